package memstore

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/gen"
)

func TestParsePosKey(t *testing.T) {
	id := stancegraph.PositionID("a", "b", stancegraph.Supports, "c")
	k, ok := parsePosKey(id)
	if !ok || k.String() != id {
		t.Fatalf("parsePosKey(%q) = %v, %v; String %q", id, k, ok, k.String())
	}
	for _, bad := range []string{"", "pos-", id[:len(id)-1], id + "0", "pas-" + id[4:], "pos-" + strings.ToUpper(id[4:]), "pos-" + id[4:19] + "g"} {
		if _, ok := parsePosKey(bad); ok {
			t.Errorf("parsePosKey(%q) accepted", bad)
		}
	}
	other := stancegraph.PositionID("a", "b", stancegraph.Opposes, "c")
	ko, _ := parsePosKey(other)
	for _, c := range []struct{ a, b string }{{id, other}, {other, id}, {id, id}} {
		ka, _ := parsePosKey(c.a)
		if got, want := ka.compareID(c.b), strings.Compare(c.a, c.b); got != want {
			t.Errorf("compareID(%s, %s) = %d, want %d", c.a, c.b, got, want)
		}
	}
	if got, want := k.compareID(other) < 0, id < other; got != want || (k == ko) {
		t.Errorf("keys of %s and %s", id, other)
	}
}

// recordGraph is a generated graph with every kind of position the
// records pack: month and year dates, qualifiers, conditions, strengths.
func recordGraph() *stancegraph.Graph {
	return gen.Generate(gen.Config{Actors: 50, Proposals: 10, Positions: 2000, Seed: 11})
}

func positionIDs(g *stancegraph.Graph) []string {
	ids := make([]string, len(g.Positions))
	for i, p := range g.Positions {
		ids[i] = p.ID
	}
	return ids
}

// TestRecords_RoundTrip checks that what the records pack reads back as it
// was given, from memory and from the file.
func TestRecords_RoundTrip(t *testing.T) {
	ctx := context.Background()
	g := recordGraph()
	var conds, quals, months int
	for _, p := range g.Positions {
		if p.Condition != "" {
			conds++
		}
		if p.StatedAtQualifier != "" {
			quals++
		}
		if len(p.StatedAt) < 10 {
			months++
		}
	}
	if conds == 0 || quals == 0 || months == 0 {
		t.Fatalf("graph lacks variety: %d conditions, %d qualifiers, %d reduced dates", conds, quals, months)
	}
	path := filepath.Join(t.TempDir(), "s.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Import(ctx, g); err != nil {
		t.Fatal(err)
	}
	check := func(s *Store, step string) {
		t.Helper()
		got, err := s.PositionsByID(ctx, positionIDs(g))
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(g.Positions, got); diff != "" {
			t.Fatalf("%s (-want +got):\n%s", step, diff)
		}
	}
	check(s, "imported")
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if s, err = Open(path); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	check(s, "loaded")
	// An id in upper case is not the id.
	got, err := s.PositionsByID(ctx, []string{"pos-" + strings.ToUpper(g.Positions[0].ID[4:])})
	if err != nil || got[0] != nil {
		t.Errorf("upper-case id: %v, %v", got[0], err)
	}
}

// TestTexts_Compact rewrites quotes until the dead texts outweigh the
// live ones several times over, and checks that the arena stays bounded
// and every position keeps its quote and condition.
func TestTexts_Compact(t *testing.T) {
	ctx := context.Background()
	g := recordGraph()
	s := OpenMemory()
	defer s.Close()
	if _, err := s.Import(ctx, g); err != nil {
		t.Fatal(err)
	}
	want := map[string]*stancegraph.Position{}
	for _, p := range g.Positions {
		want[p.ID] = p
	}
	pad := strings.Repeat("x", 1800)
	compactions := 0
	for round := range 8 {
		before := len(s.idx.texts.chunks)
		for i, p := range g.Positions[:400] {
			c := *p
			c.Quote = fmt.Sprintf("round %d %s %d", round, pad, i)
			if i%3 == 0 {
				c.Condition = fmt.Sprintf("if round %d", round)
			}
			if _, err := s.RecordPosition(ctx, &c); err != nil {
				t.Fatal(err)
			}
			want[c.ID] = &c
		}
		if len(s.idx.texts.chunks) < before {
			compactions++
		}
	}
	if compactions == 0 {
		t.Error("the arena was never compacted")
	}
	// Live texts are about 850 KB: the dead bytes stay below a chunk more
	// than the live ones.
	x := &s.idx.texts
	if x.dead > max(textChunk, x.used-x.dead)+textChunk {
		t.Errorf("%d dead bytes of %d", x.dead, x.used)
	}
	if n := len(x.chunks); n > 4 {
		t.Errorf("%d chunks for %d live bytes", n, x.used-x.dead)
	}
	for i := 0; i < len(g.Positions); i += stancegraph.MaxBatchIDs {
		ids := positionIDs(g)[i:min(i+stancegraph.MaxBatchIDs, len(g.Positions))]
		got, err := s.PositionsByID(ctx, ids)
		if err != nil {
			t.Fatal(err)
		}
		for j, id := range ids {
			if diff := cmp.Diff(want[id], got[j]); diff != "" {
				t.Fatalf("position %s (-want +got):\n%s", id, diff)
			}
		}
	}
}
