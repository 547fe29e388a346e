package e2e_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/analysis"
	"github.com/stancegraph/stancegraph/gen"
	"github.com/stancegraph/stancegraph/internal/neo4jtest"
	"github.com/stancegraph/stancegraph/server"
	"github.com/stancegraph/stancegraph/store/memstore"
	"github.com/stancegraph/stancegraph/store/neo4jstore"
)

// The research benchmarks run on synthetic graphs of gen at two sizes, the
// larger ten times the smaller in actors, proposals and positions, so that
// the ratio of their times shows how an analysis grows. See BENCHMARKS.md.

var benchSizes = []struct {
	name string
	cfg  gen.Config
}{
	{"10k", gen.Config{Actors: 500, Proposals: 200, Positions: 10_000, Seed: 4}},
	{"100k", gen.Config{Actors: 5_000, Proposals: 2_000, Positions: 100_000, Seed: 4}},
}

// Path end points: the most active company, and the agency that
// administers the program; a person and a government.
var benchPaths = [][2]string{
	{"company-000000", "agency-000014"},
	{"person-000016", "government-000019"},
}

// benchStores returns a store per backend holding the graph of cfg; the
// Neo4j one only when it is reachable.
func benchStores(b *testing.B, cfg gen.Config) map[string]stancegraph.Store {
	b.Helper()
	ctx := context.Background()
	g := gen.Generate(cfg)
	mem := memstore.OpenMemory()
	b.Cleanup(func() { mem.Close() })
	if _, err := mem.Import(ctx, g); err != nil {
		b.Fatal(err)
	}
	out := map[string]stancegraph.Store{"embedded": mem}
	if os.Getenv("STANCEGRAPH_BENCH_NEO4J") == "" {
		return out
	}
	neo4jtest.Require(b)
	neo4jtest.Lock(b)
	neo4jtest.Wipe(b)
	s, err := neo4jstore.Open(ctx, neo4jstore.Config{URI: neo4jtest.URI(),
		Username: os.Getenv("STANCEGRAPH_NEO4J_USER"), Password: os.Getenv("STANCEGRAPH_NEO4J_PASSWORD")})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = s.Close() })
	// In parts: one import is one transaction, and the test server's
	// transaction memory (about 360 MiB) does not hold 100k positions.
	start := time.Now()
	parts := []*stancegraph.Graph{{Entities: g.Entities}, {Relations: g.Relations}}
	for i := 0; i < len(g.Positions); i += 20_000 {
		parts = append(parts, &stancegraph.Graph{Positions: g.Positions[i:min(i+20_000, len(g.Positions))]})
	}
	for _, part := range parts {
		if _, err := s.Import(ctx, part); err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("neo4j import of %d positions: %v", len(g.Positions), time.Since(start))
	out["neo4j"] = s
	return out
}

func BenchmarkResearch(b *testing.B) {
	ctx := context.Background()
	for _, size := range benchSizes {
		stores := benchStores(b, size.cfg)
		for _, name := range []string{"embedded", "neo4j"} {
			s := stores[name]
			if s == nil {
				continue
			}
			b.Run(fmt.Sprintf("ActorNetwork/%s/%s", name, size.name), func(b *testing.B) {
				for b.Loop() {
					net, err := analysis.Network(ctx, s, analysis.NetworkQuery{Normalization: analysis.NormJaccard, Limit: analysis.DefaultActors})
					if err != nil {
						b.Fatal(err)
					}
					b.ReportMetric(float64(len(net.Edges)), "edges")
				}
			})
			b.Run(fmt.Sprintf("Coalitions/%s/%s", name, size.name), func(b *testing.B) {
				for b.Loop() {
					res, err := analysis.Coalitions(ctx, s, analysis.CoalitionQuery{Normalization: analysis.NormJaccard, Resolution: 1, Limit: analysis.DefaultActors})
					if err != nil {
						b.Fatal(err)
					}
					b.ReportMetric(float64(len(res.Coalitions)), "coalitions")
				}
			})
			for i, p := range benchPaths {
				b.Run(fmt.Sprintf("Path%d/%s/%s", i+1, name, size.name), func(b *testing.B) {
					for b.Loop() {
						ps, err := analysis.FindPaths(ctx, s, analysis.PathQuery{From: p[0], To: p[1], MaxHops: 4, First: 10})
						if err != nil {
							b.Fatal(err)
						}
						if len(ps) > 0 {
							b.ReportMetric(float64(ps[0].Length()), "hops")
						}
					}
				})
			}
			b.Run(fmt.Sprintf("Neighborhood/%s/%s", name, size.name), func(b *testing.B) {
				for b.Loop() {
					if _, err := analysis.Neighbors(ctx, s, analysis.NeighborhoodQuery{ID: "company-000000", Depth: 2, Limit: 1000}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkPageCost shows that a page costs what it holds, not what its
// parent holds: first: 5 of the positions of a target holding 100k
// positions against first: 5 of one holding about 30, through the GraphQL
// handler, on each backend. See BENCHMARKS.md ("Cost follows the page").
func BenchmarkPageCost(b *testing.B) {
	cfg := gen.Config{Actors: 5_000, Proposals: 2_000, Positions: 150_000, Seed: 4, HotTarget: 100_000}
	g := gen.Generate(cfg)
	degree := map[string]int{}
	for _, p := range g.Positions {
		degree[p.TargetID]++
	}
	cold := ""
	for id, d := range degree {
		if id != gen.HotTargetID && abs(d-30) < abs(degree[cold]-30) || cold == "" {
			cold = id
		}
	}
	if degree[gen.HotTargetID] != cfg.HotTarget {
		b.Fatalf("the hot target holds %d positions, want %d", degree[gen.HotTargetID], cfg.HotTarget)
	}
	stores := benchStores(b, cfg)
	for _, name := range []string{"embedded", "neo4j"} {
		s := stores[name]
		if s == nil {
			continue
		}
		h := server.NewGraphQL(s, server.Options{})
		for _, target := range []struct{ name, id string }{{"hot100k", gen.HotTargetID}, {fmt.Sprintf("cold%d", degree[cold]), cold}} {
			q := fmt.Sprintf(`{ proposal(id: %q) { positions(first: 5) { edges { node { id statedAt actor { id } } } pageInfo { hasNextPage } } } }`, target.id)
			b.Run(fmt.Sprintf("First5/%s/%s", name, target.name), func(b *testing.B) {
				for b.Loop() {
					data := run(b, h, q)
					if n := bytes.Count(data, []byte(`"statedAt"`)); n != 5 {
						b.Fatalf("%d positions, want 5: %s", n, data)
					}
				}
			})
		}
	}
}

func abs(x int) int { return max(x, -x) }

// BenchmarkTwoLevel is the bench harness's twoLevel op through the GraphQL
// handler on the 100k graph: a proposal's first 50 supporters, each with
// its own first 10 positions. Its CPU profile shows what the GraphQL layer
// costs around one plan.
func BenchmarkTwoLevel(b *testing.B) {
	stores := benchStores(b, benchSizes[1].cfg)
	g := gen.Generate(benchSizes[1].cfg)
	degree := map[string]int{}
	for _, p := range g.Positions {
		if p.Stance == stancegraph.Supports {
			degree[p.TargetID]++
		}
	}
	target := ""
	for id, d := range degree {
		if d >= 50 && strings.HasPrefix(id, "proposal-") && (target == "" || id < target) {
			target = id
		}
	}
	q := fmt.Sprintf(`{ proposal(id: %q) { id positions(stance: SUPPORTS, first: 50) {
		edges { node { actor { id name positions(first: 10) { edges { node { id stance statedAt target { id } } } } } } } } } }`, target)
	for _, name := range []string{"embedded", "neo4j"} {
		s := stores[name]
		if s == nil {
			continue
		}
		h := server.NewGraphQL(s, server.Options{})
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				data := run(b, h, q)
				if n := bytes.Count(data, []byte(`"statedAt"`)); n < 50 {
					b.Fatalf("%d positions, want at least 50: %s", n, data)
				}
			}
		})
	}
}

// BenchmarkServe is the harness's 1-hop and two-level ops through the whole
// server (server.New: request logs as JSON, metrics, auth, CORS, limits) on
// the embedded 100k graph, with variables as clients send them. It shows
// the CPU one request costs the embedded server, less the connection's own
// work; BENCHMARKS.md ("Cheaper embedded requests") has its figures.
func BenchmarkServe(b *testing.B) {
	cfg := benchSizes[1].cfg
	g := gen.Generate(cfg)
	supports, actorDeg := map[string]int{}, map[string]int{}
	for _, p := range g.Positions {
		if p.Stance == stancegraph.Supports {
			supports[p.TargetID]++
		}
		actorDeg[p.ActorID]++
	}
	nearest := func(deg map[string]int, want int, prefix string) string {
		best := ""
		for id, d := range deg {
			if !strings.HasPrefix(id, prefix) {
				continue
			}
			if best == "" || abs(d-want) < abs(deg[best]-want) || abs(d-want) == abs(deg[best]-want) && id < best {
				best = id
			}
		}
		return best
	}
	target, actor := nearest(supports, 30, "proposal-"), nearest(actorDeg, 20, "")
	mem := memstore.OpenMemory()
	b.Cleanup(func() { mem.Close() })
	if _, err := mem.Import(context.Background(), g); err != nil {
		b.Fatal(err)
	}
	h := server.New(mem, server.Config{Logger: slog.New(slog.NewJSONHandler(io.Discard, nil))})
	ops := []struct {
		name, query string
		vars        map[string]any
	}{
		{"typename", `{ __typename }`, nil},
		{"backers", `query Backers($of: ID!) { backers(of: $of) { actor { id name } proposed
			positions { id quote statedAt source { id title } } } }`, map[string]any{"of": target}},
		{"actorPositions", `query ActorPositions($id: ID!) { actor(id: $id) { id name
			positions(first: 20) { totalCount pageInfo { hasNextPage endCursor }
			edges { cursor node { id stance quote statedAt target { id } source { id } } } } } }`, map[string]any{"id": actor}},
		{"twoLevel", `query TwoLevel($id: ID!) { proposal(id: $id) { id positions(stance: SUPPORTS, first: 50) {
			edges { node { actor { id name positions(first: 10) { edges { node { id stance statedAt target { id } } } } } } } } } }`,
			map[string]any{"id": target}},
		{"stanceSummary", `query Summary($id: ID!) { proposal(id: $id) { id stanceSummary { supporters opposers positions net } } }`,
			map[string]any{"id": target}},
	}
	for _, op := range ops {
		body, err := json.Marshal(map[string]any{"query": op.query, "variables": op.vars})
		if err != nil {
			b.Fatal(err)
		}
		b.Run(op.name, func(b *testing.B) {
			cpu := processCPU()
			for b.Loop() {
				req := httptest.NewRequest(http.MethodPost, "/query", bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK || bytes.Contains(rec.Body.Bytes(), []byte(`"errors"`)) {
					b.Fatalf("%d: %s", rec.Code, rec.Body)
				}
			}
			// CPU per request, GC included: steadier than the time per
			// request when other work shares the machine.
			if cpu := processCPU() - cpu; cpu > 0 {
				b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
			}
		})
	}
}
