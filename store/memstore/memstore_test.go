package memstore_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/store/memstore"
	"github.com/stancegraph/stancegraph/store/storetest"
)

func TestConformance(t *testing.T) {
	t.Run("Disk", func(t *testing.T) {
		storetest.RunConformanceTests(t, func(t *testing.T) stancegraph.Store {
			return MustOpen(t, filepath.Join(t.TempDir(), "stancegraph.db"))
		})
	})
	t.Run("Memory", func(t *testing.T) {
		storetest.RunConformanceTests(t, func(t *testing.T) stancegraph.Store {
			s := memstore.OpenMemory()
			t.Cleanup(func() { _ = s.Close() })
			return s
		})
	})
}

// MustOpen opens the store at path and closes it when the test ends.
func MustOpen(tb testing.TB, path string) *memstore.Store {
	tb.Helper()
	s, err := memstore.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = s.Close() })
	return s
}

func TestOpen_ErrInUse(t *testing.T) {
	path := filepath.Join(t.TempDir(), "stancegraph.db")
	s := MustOpen(t, path)
	start := time.Now()
	_, err := memstore.Open(path)
	if code := stancegraph.ErrorCode(err); code != stancegraph.EUNAVAILABLE {
		t.Fatalf("second Open: code %q (%v), want %q", code, err, stancegraph.EUNAVAILABLE)
	}
	want := "store in use: " + path + " is held by another stancegraph process"
	if msg := stancegraph.ErrorMessage(err); msg != want {
		t.Fatalf("second Open: message %q, want %q", msg, want)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("second Open took %v to fail", d)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	MustOpen(t, path) // released by Close
}

func TestOpen_ErrInUseByAnotherProcess(t *testing.T) {
	path := filepath.Join(t.TempDir(), "stancegraph.db")
	child, lines := startChild(t, "hold", path)
	defer func() { _ = child.Process.Kill(); _ = child.Wait() }()
	if line, ok := <-lines; !ok || line != "ready" {
		t.Fatalf("child said %q, want ready", line)
	}
	_, err := memstore.Open(path)
	if code := stancegraph.ErrorCode(err); code != stancegraph.EUNAVAILABLE || !strings.Contains(err.Error(), "store in use") {
		t.Fatalf("Open of a store another process holds: %v, want %s store in use", err, stancegraph.EUNAVAILABLE)
	}
}

func TestOpen_Reopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "stancegraph.db")
	ctx := t.Context()
	s := MustOpen(t, path)
	if _, err := s.Import(ctx, storetest.Fixture()); err != nil {
		t.Fatal(err)
	}
	// Writes of every kind after the import: update, delete, retract.
	p := &stancegraph.Position{ActorID: "anthropic", TargetID: "american-ai-exports-program", Stance: stancegraph.Opposes,
		SourceID: "news-article", StatedAt: "2025-12-05", Quote: "Reopened."}
	mustDo(t, func() error { _, err := s.RecordPosition(ctx, p); return err })
	mustDo(t, func() error { return s.DeleteEntity(ctx, "mistral-ai") })
	mustDo(t, func() error { return s.Unrelate(ctx, stancegraph.MemberOf, "openai", "business-software-alliance") })
	mustDo(t, func() error {
		_, err := s.UpsertEntity(ctx, &stancegraph.Entity{ID: "openai", Kind: stancegraph.KindCompany, Name: "OpenAI", Country: "US", Description: "Renamed."})
		return err
	})
	before := snapshot(t, s)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	after := snapshot(t, MustOpen(t, path))
	if diff := cmp.Diff(after, before); diff != "" {
		t.Fatalf("reopened store (-got +want):\n%s", diff)
	}
	if len(before.Positions) != len(storetest.Fixture().Positions) || before.Entities[0] == "" {
		t.Fatalf("unexpected snapshot: %+v", before)
	}
}

// TestDurability kills a writing process at random points and checks that
// every write it acknowledged is in the store.
func TestDurability(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	path := filepath.Join(t.TempDir(), "stancegraph.db")
	var acked []string
	// STANCEGRAPH_DURABILITY_ROUNDS asks for more kills (scripts/test.sh).
	rounds := 5
	if n, err := strconv.Atoi(os.Getenv("STANCEGRAPH_DURABILITY_ROUNDS")); err == nil && n > 0 {
		rounds = n
	}
	for round := range rounds {
		killAfter := 1 + rand.IntN(40)
		child, lines := startChild(t, "write", path)
		n := 0
		var inFlight []string
		for line := range lines {
			if ids, ok := strings.CutPrefix(line, "begin "); ok {
				inFlight = strings.Fields(ids)
			}
			if ids, ok := strings.CutPrefix(line, "ack "); ok {
				acked = append(acked, strings.Fields(ids)...)
				inFlight = nil
				if n++; n == killAfter {
					break
				}
			}
		}
		if err := child.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		_ = child.Wait()
		for range lines { // drain what the child printed before it died
		}
		if n != killAfter {
			t.Fatalf("round %d: the child acknowledged %d writes and stopped, want at least %d", round, n, killAfter)
		}

		s, err := memstore.Open(path)
		if err != nil {
			t.Fatalf("round %d: reopen after kill -9: %v", round, err)
		}
		has := func(id string) bool {
			if strings.HasPrefix(id, "pos-") {
				ps, err := s.PositionsByID(t.Context(), []string{id})
				return err == nil && ps[0] != nil
			}
			es, err := s.Entities(t.Context(), []string{id})
			return err == nil && es[0] != nil
		}
		for _, id := range acked {
			if !has(id) {
				t.Errorf("round %d (killed after %d acks): acknowledged write %s is lost", round, killAfter, id)
			}
		}
		present := 0
		for _, id := range inFlight {
			if has(id) {
				present++
			}
		}
		if present != 0 && present != len(inFlight) {
			t.Errorf("round %d: an import cut short by kill -9 wrote %d of its %d records", round, present, len(inFlight))
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("%d acknowledged writes survived %d kills", len(acked), rounds)
}

// childEnv switches the test binary into a helper process: "hold:<path>"
// opens the store and waits; "write:<path>" writes and acknowledges each
// write on stdout once the call has returned.
const childEnv = "MEMSTORE_TEST_CHILD"

func TestMain(m *testing.M) {
	if mode, path, ok := strings.Cut(os.Getenv(childEnv), ":"); ok {
		runChild(mode, path)
		return
	}
	os.Exit(m.Run())
}

func startChild(t *testing.T, mode, path string) (*exec.Cmd, <-chan string) {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), childEnv+"="+mode+":"+path)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	return cmd, lines
}

func runChild(mode, path string) {
	fail := func(err error) {
		fmt.Fprintln(os.Stderr, "child:", err)
		os.Exit(2)
	}
	s, err := memstore.Open(path)
	if err != nil {
		fail(err)
	}
	if mode == "hold" {
		fmt.Println("ready")
		time.Sleep(time.Minute)
		return
	}
	ctx := context.Background()
	base := []*stancegraph.Entity{
		{ID: "acme", Kind: stancegraph.KindCompany, Name: "Acme"},
		{ID: "export-program", Kind: stancegraph.KindProgram, Name: "Export Program"},
	}
	for _, e := range base {
		if _, err := s.UpsertEntity(ctx, e); err != nil {
			fail(err)
		}
		fmt.Println("ack", e.ID)
	}
	run := rand.Int64()
	for i := 0; ; i++ {
		src := &stancegraph.Entity{ID: fmt.Sprintf("source-%d-%d", run, i), Kind: stancegraph.KindSource,
			Name: fmt.Sprintf("Source %d", i), SourceKind: stancegraph.OtherSource}
		if _, err := s.UpsertEntity(ctx, src); err != nil {
			fail(err)
		}
		fmt.Println("ack", src.ID)
		p := &stancegraph.Position{ActorID: "acme", TargetID: "export-program", Stance: stancegraph.Supports,
			SourceID: src.ID, StatedAt: "2026-01-02", Quote: fmt.Sprintf("Statement %d.", i)}
		if _, err := s.RecordPosition(ctx, p); err != nil {
			fail(err)
		}
		fmt.Println("ack", p.ID)
		if i%5 == 4 {
			// An import acknowledges all its records at once; "begin"
			// names them before the call, so that the parent can check
			// that an import cut short wrote all or none of them.
			g := &stancegraph.Graph{Entities: []*stancegraph.Entity{{ID: fmt.Sprintf("import-source-%d-%d", run, i),
				Kind: stancegraph.KindSource, Name: "Imported source", SourceKind: stancegraph.OtherSource}}}
			for _, stance := range stancegraph.Stances {
				g.Positions = append(g.Positions, &stancegraph.Position{ActorID: "acme", TargetID: "export-program", Stance: stance,
					SourceID: g.Entities[0].ID, StatedAt: "2026-01-03", Quote: "Imported."})
			}
			ids := []string{g.Entities[0].ID}
			for _, p := range g.Positions {
				ids = append(ids, stancegraph.PositionID(p.ActorID, p.TargetID, p.Stance, p.SourceID))
			}
			fmt.Println("begin", strings.Join(ids, " "))
			if _, err := s.Import(ctx, g); err != nil {
				fail(err)
			}
			fmt.Println("ack", strings.Join(ids, " "))
		}
	}
}

type storeSnapshot struct {
	Entities  []string
	Relations []stancegraph.Relation
	Positions []stancegraph.Position
}

// snapshot lists what s holds, entities as JSON.
func snapshot(t *testing.T, s *memstore.Store) storeSnapshot {
	t.Helper()
	var snap storeSnapshot
	es, _, err := s.FindEntities(t.Context(), stancegraph.EntityFilter{OrderBy: stancegraph.OrderIDAsc, Limit: stancegraph.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		b, _ := json.Marshal(e)
		snap.Entities = append(snap.Entities, string(b))
	}
	rs, err := s.Relations(t.Context(), stancegraph.RelationFilter{Types: stancegraph.RelTypes})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		snap.Relations = append(snap.Relations, *r)
	}
	ps, err := s.Positions(t.Context(), stancegraph.PositionFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		snap.Positions = append(snap.Positions, *p)
	}
	return snap
}

func mustDo(t *testing.T, f func() error) {
	t.Helper()
	if err := f(); err != nil {
		t.Fatal(err)
	}
}
