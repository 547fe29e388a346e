package main

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stancegraph/stancegraph/gen"
)

func TestWriteSection_KeepsTheRestOfTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "BENCHMARKS.md")
	if err := writeSection(path, "first run\n"); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	// Others append their sections after ours; notes go after the markers.
	edited := string(b) + "\nmy notes\n\n## Someone else's section\n\nfigures\n"
	if err := os.WriteFile(path, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := writeSection(path, "second run\n"); err != nil {
		t.Fatal(err)
	}
	b, _ = os.ReadFile(path)
	got := string(b)
	for _, want := range []string{sectionHeading, "second run", "my notes", "## Someone else's section", "figures"} {
		if !strings.Contains(got, want) {
			t.Errorf("the file lost %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "first run") || strings.Count(got, sectionHeading) != 1 {
		t.Errorf("the old figures or a second heading remain:\n%s", got)
	}
}

func TestFigureArgs_DropsOutputFlags(t *testing.T) {
	got := figureArgs([]string{"--sizes", "10k", "--out", "x.md", "--json=r.json", "-profile", "p", "--duration", "2s"})
	want := []string{"--sizes", "10k", "--duration", "2s"}
	if !slices.Equal(got, want) {
		t.Errorf("figureArgs = %q, want %q", got, want)
	}
}

func TestPickInputs_Deterministic(t *testing.T) {
	cfg := sizes["10k"].Cfg
	a, b := pickInputs(gen.Generate(cfg)), pickInputs(gen.Generate(cfg))
	if !slices.Equal(a.targets, b.targets) || !slices.Equal(a.actors, b.actors) || !slices.Equal(a.pairs, b.pairs) {
		t.Error("the same graph gave different inputs")
	}
	if len(a.targets) != variants || len(a.actors) != variants || len(a.pairs) != variants {
		t.Errorf("inputs: %d targets, %d actors, %d pairs; want %d each", len(a.targets), len(a.actors), len(a.pairs), variants)
	}
}

// An op and its floor are measured in turn, slice by slice, and each
// cell's figures are those of its own calls only.
func TestRunAlternating_Slices(t *testing.T) {
	var mu sync.Mutex
	var runs []string // which call ran, one entry per change
	mk := func(name string, d time.Duration) call {
		return func(ctx context.Context, w, k int) (int, error) {
			mu.Lock()
			if len(runs) == 0 || runs[len(runs)-1] != name {
				runs = append(runs, name)
			}
			mu.Unlock()
			time.Sleep(d)
			return len(name), nil
		}
	}
	r := &runner{warmup: 20 * time.Millisecond, duration: 300 * time.Millisecond}
	a := &cell{Op: "a", Concurrency: 2}
	b := &cell{Op: "b", Concurrency: 2}
	r.runAlternating(t.Context(), []*cell{a, b}, []call{mk("a", time.Millisecond), mk("b", 5*time.Millisecond)}, 3)
	if want := []string{"a", "b", "a", "b", "a", "b"}; !slices.Equal(runs, want) {
		t.Errorf("calls ran in the order %v, want %v", runs, want)
	}
	for _, c := range []struct {
		cell  *cell
		least time.Duration
		bytes int
	}{{a, time.Millisecond, 1}, {b, 5 * time.Millisecond, 1}} {
		if c.cell.Requests == 0 || c.cell.P50 < c.least || c.cell.MeanBytes != c.bytes {
			t.Errorf("cell %s: %d requests, p50 %v (at least %v), %d bytes", c.cell.Op, c.cell.Requests, c.cell.P50, c.least, c.cell.MeanBytes)
		}
		if s := c.cell.Seconds; s < 0.25 || s > 0.45 {
			t.Errorf("cell %s measured for %.2fs, want the 0.3s of its three slices", c.cell.Op, s)
		}
	}
	if a.Requests <= b.Requests {
		t.Errorf("the faster call made %d requests, the slower %d", a.Requests, b.Requests)
	}
}

// The 10x target covers the 1-hop ops and the two-level one, no other op,
// and says where each server ran.
func TestTargets_TenfoldOpsAndPlaces(t *testing.T) {
	cells := func(op string, embedded, neo4j float64) []*cell {
		return []*cell{{Backend: "embedded", Op: op, Concurrency: 8, Throughput: embedded},
			{Backend: "neo4j", Op: op, Concurrency: 8, Throughput: neo4j}}
	}
	sr := &sizeResult{Name: "100k", Ops: []opInfo{{Name: "backers", OneHop: true}, {Name: "twoLevel"}, {Name: "list"}}}
	sr.Cells = append(append(cells("backers", 12000, 1000), cells("twoLevel", 900, 100)...), cells("list", 100, 100)...)
	for _, c := range []struct {
		embeddedIn, neo4jChild bool
		place                  string
	}{
		{false, false, "the embedded server in its own process, Neo4j's in the harness's"},
		{true, false, "both servers in the harness's process"},
		{false, true, "each server in its own process"},
		{true, true, "the embedded server in the harness's process, Neo4j's in its own"},
	} {
		r := &report{Concurrency: []int{1, 8}, EmbeddedIn: c.embeddedIn, Neo4jChild: c.neo4jChild, Sizes: []*sizeResult{sr}}
		var line string
		for _, l := range r.targets() {
			if strings.HasPrefix(l, "Embedded 1-hop and two-level throughput") {
				line = l
			}
		}
		want := "Embedded 1-hop and two-level throughput ≥ 10x Neo4j's (c=8, " + c.place + "), 100k: missed by twoLevel 9.0x; met by backers 12.0x."
		if line != want {
			t.Errorf("got  %q\nwant %q", line, want)
		}
	}
}
