package e2e_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/dataset"
	"github.com/stancegraph/stancegraph/gen"
	"github.com/stancegraph/stancegraph/internal/neo4jtest"
	"github.com/stancegraph/stancegraph/store/memstore"
	"github.com/stancegraph/stancegraph/store/neo4jstore"
)

// The import benchmarks (BENCHMARKS.md). Neo4j runs only with
// STANCEGRAPH_BENCH_NEO4J=1; STANCEGRAPH_BENCH_POSITIONS sets the size of
// BenchmarkImport (default 20000).

func benchNeo4j(b *testing.B) *neo4jstore.Store {
	b.Helper()
	neo4jtest.Require(b)
	neo4jtest.Lock(b)
	neo4jtest.Wipe(b)
	s, err := neo4jstore.Open(context.Background(), neo4jstore.Config{URI: neo4jtest.URI(),
		Username: os.Getenv("STANCEGRAPH_NEO4J_USER"), Password: os.Getenv("STANCEGRAPH_NEO4J_PASSWORD")})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = s.Close() })
	return s
}

// BenchmarkImport streams a generated NDJSON file into each backend:
// validation, then the writes (one transaction into the embedded store,
// batches of dataset.DefaultStreamBatch into Neo4j).
func BenchmarkImport(b *testing.B) {
	n := 20000
	if v, err := strconv.Atoi(os.Getenv("STANCEGRAPH_BENCH_POSITIONS")); err == nil && v > 0 {
		n = v
	}
	g := gen.Generate(gen.Config{Actors: max(n/20, 10), Proposals: max(n/200, 2), Positions: n, Seed: 1})
	path := filepath.Join(b.TempDir(), "g.ndjson")
	if err := dataset.WriteFile(path, dataset.NDJSON, g); err != nil {
		b.Fatal(err)
	}
	g = nil
	// open returns an empty store for one iteration; Neo4j is opened once
	// (holding the test database) and wiped for each.
	stores := map[string]func(b *testing.B) stancegraph.Store{
		"embedded": func(b *testing.B) stancegraph.Store {
			s, err := memstore.Open(filepath.Join(b.TempDir(), "bench.db"))
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { s.Close() })
			return s
		},
	}
	if os.Getenv("STANCEGRAPH_BENCH_NEO4J") != "" {
		var neo *neo4jstore.Store
		stores["neo4j"] = func(b *testing.B) stancegraph.Store {
			if neo == nil {
				neo = benchNeo4j(b)
			} else {
				neo4jtest.Wipe(b)
			}
			return neo
		}
	}
	for _, name := range []string{"embedded", "neo4j"} {
		open := stores[name]
		if open == nil {
			continue
		}
		b.Run(fmt.Sprintf("%s/positions=%d", name, n), func(b *testing.B) {
			batch := 0
			if name == "embedded" {
				batch = -1
			}
			var elapsed time.Duration
			for b.Loop() {
				b.StopTimer()
				s := open(b)
				src, _ := dataset.Open(path)
				b.StartTimer()
				start := time.Now()
				rep, err := dataset.Import(context.Background(), src, s, dataset.Options{Batch: batch})
				elapsed += time.Since(start)
				if err != nil {
					b.Fatal(err)
				}
				if rep.Result.Positions.Created != rep.Positions {
					b.Fatalf("result %+v", rep.Result)
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/elapsed.Seconds(), "positions/s")
		})
	}
}

// BenchmarkNeo4jWrites compares one Import of a batch of positions with
// one RecordPosition per position, on the same stored entities. Every
// iteration changes every quote, so that both write every position.
func BenchmarkNeo4jWrites(b *testing.B) {
	if os.Getenv("STANCEGRAPH_BENCH_NEO4J") == "" {
		b.Skip("set STANCEGRAPH_BENCH_NEO4J=1 to run on Neo4j")
	}
	const n = 1000
	ctx := context.Background()
	g := gen.Generate(gen.Config{Actors: 200, Proposals: 20, Positions: n, Seed: 3})
	s := benchNeo4j(b)
	if _, err := s.Import(ctx, &stancegraph.Graph{Entities: g.Entities, Relations: g.Relations}); err != nil {
		b.Fatal(err)
	}
	round := 0
	next := func() []*stancegraph.Position {
		round++
		ps := make([]*stancegraph.Position, len(g.Positions))
		for i, p := range g.Positions {
			c := *p
			c.Quote = fmt.Sprintf("%s (round %d)", p.Quote, round)
			ps[i] = &c
		}
		return ps
	}
	b.Run("batched", func(b *testing.B) {
		start, count := time.Now(), 0
		for b.Loop() {
			ps := next()
			if _, err := s.Import(ctx, &stancegraph.Graph{Positions: ps}); err != nil {
				b.Fatal(err)
			}
			count += len(ps)
		}
		b.ReportMetric(float64(count)/time.Since(start).Seconds(), "positions/s")
	})
	b.Run("one-per-position", func(b *testing.B) {
		start, count := time.Now(), 0
		for b.Loop() {
			for _, p := range next() {
				if _, err := s.RecordPosition(ctx, p); err != nil {
					b.Fatal(err)
				}
				count++
			}
		}
		b.ReportMetric(float64(count)/time.Since(start).Seconds(), "positions/s")
	})
}
