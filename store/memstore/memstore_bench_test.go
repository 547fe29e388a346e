package memstore_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"testing"
	"time"

	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/analysis"
	"github.com/stancegraph/stancegraph/gen"
	"github.com/stancegraph/stancegraph/store/memstore"
)

// benchStores holds one loaded store per size, built once per process.
var benchStores = map[int]*memstore.Store{}

func benchStore(b *testing.B, positions int) *memstore.Store {
	b.Helper()
	if s := benchStores[positions]; s != nil {
		return s
	}
	start := time.Now()
	g := gen.Generate(gen.Config{Actors: positions / 20, Proposals: positions / 200, Positions: positions, Seed: 1, HotTarget: 1000})
	generated := time.Since(start)
	s := memstore.OpenMemory()
	start = time.Now()
	if _, err := s.Import(context.Background(), g); err != nil {
		b.Fatal(err)
	}
	b.Logf("%d positions: generated in %v, imported in %v", len(g.Positions), generated.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
	benchStores[positions] = s
	return s
}

// BenchmarkBackersPositions times the store query behind "who backs the
// hot proposal": its supporting positions, whatever the size of the graph.
func BenchmarkBackersPositions(b *testing.B) {
	for _, n := range []int{10_000, 1_000_000} {
		b.Run(fmt.Sprintf("positions=%s", size(n)), func(b *testing.B) {
			s := benchStore(b, n)
			ctx := context.Background()
			f := stancegraph.PositionFilter{TargetIDs: []string{gen.HotTargetID}, Stance: stancegraph.Supports}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				ps, err := s.Positions(ctx, f)
				if err != nil {
					b.Fatal(err)
				}
				if len(ps) == 0 {
					b.Fatal("no positions")
				}
			}
		})
	}
}

func size(n int) string {
	if n >= 1_000_000 {
		return fmt.Sprintf("%dM", n/1_000_000)
	}
	return fmt.Sprintf("%dk", n/1000)
}

// BenchmarkBackers times the whole "who backs the hot proposal" query of
// the domain (target check, supporting positions, proposers) on a target
// with 1,000 positions, in graphs of 10k and 1M positions.
func BenchmarkBackers(b *testing.B) {
	for _, n := range []int{10_000, 1_000_000} {
		b.Run(fmt.Sprintf("positions=%s", size(n)), func(b *testing.B) {
			s := benchStore(b, n)
			ctx := context.Background()
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				backers, err := analysis.Backers(ctx, s, gen.HotTargetID, stancegraph.Supports)
				if err != nil {
					b.Fatal(err)
				}
				if len(backers) == 0 {
					b.Fatal("no backers")
				}
			}
		})
	}
}

var benchRuns int

// BenchmarkWrites times single writes on an in-memory store of 100k
// positions (the index's share of a write; the file's is apart): a quote
// update, and a retract followed by the record that brings the position
// back.
func BenchmarkWrites(b *testing.B) {
	const n = 100_000
	s := benchStore(b, n)
	g := gen.Generate(gen.Config{Actors: n / 20, Proposals: n / 200, Positions: n, Seed: 1, HotTarget: 1000})
	ctx := context.Background()
	b.Run("update", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		benchRuns++ // -count runs again on the same store: each run writes new quotes
		for b.Loop() {
			p := *g.Positions[i%len(g.Positions)]
			p.Quote = fmt.Sprintf("%s, updated %d in run %d", p.Quote, i, benchRuns)
			if ch, err := s.RecordPosition(ctx, &p); err != nil || ch != stancegraph.Updated {
				b.Fatal(ch, err)
			}
			i++
		}
	})
	b.Run("retract+record", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			p := *g.Positions[i%len(g.Positions)]
			if err := s.RetractPosition(ctx, p.ID); err != nil {
				b.Fatal(err)
			}
			if ch, err := s.RecordPosition(ctx, &p); err != nil || ch != stancegraph.Created {
				b.Fatal(ch, err)
			}
			i++
		}
	})
}

// BenchmarkSearch times searches of 100k positions for a rare word (a
// source's number, in the quotes that cite it), a common one, and a prefix
// that begins many words.
func BenchmarkSearch(b *testing.B) {
	s := benchStore(b, 100_000)
	ctx := context.Background()
	for _, q := range []struct{ name, query string }{
		{"rare", "000042"},
		{"common", "supports"},
		{"prefix", "pro"},
	} {
		b.Run(q.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				hits, err := s.Search(ctx, q.query, stancegraph.SearchFilter{Limit: 20})
				if err != nil {
					b.Fatal(err)
				}
				if len(hits) == 0 {
					b.Fatal("no hits")
				}
			}
		})
	}
}

// BenchmarkLoad times Open of a store file of 100k positions (1M with
// STANCEGRAPH_BENCH_POSITIONS=1000000), and reports the heap the loaded
// store holds: live bytes, and bytes of spans in use (live plus the holes
// the load left), per position, after two collections and the load's
// garbage returned as serve returns it.
func BenchmarkLoad(b *testing.B) {
	n := 100_000
	if v, err := strconv.Atoi(os.Getenv("STANCEGRAPH_BENCH_POSITIONS")); err == nil && v > 0 {
		n = v
	}
	path := filepath.Join(b.TempDir(), "stancegraph.db")
	writeStore(b, path, gen.Config{Actors: n / 20, Proposals: n / 50, Positions: n, Seed: 7})
	var before, after runtime.MemStats
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		runtime.GC()
		debug.FreeOSMemory()
		runtime.ReadMemStats(&before)
		b.StartTimer()
		s, err := memstore.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		runtime.GC()
		debug.FreeOSMemory()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/float64(n), "heap-B/position")
		b.ReportMetric(float64(after.HeapInuse-before.HeapInuse)/float64(n), "inuse-B/position")
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
}

// writeStore writes the generated graph of cfg into a store file at path.
func writeStore(b *testing.B, path string, cfg gen.Config) {
	b.Helper()
	s, err := memstore.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := s.Import(context.Background(), gen.Generate(cfg)); err != nil {
		b.Fatal(err)
	}
	if err := s.Close(); err != nil {
		b.Fatal(err)
	}
}
