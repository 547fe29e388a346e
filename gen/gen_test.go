package gen_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/gen"
	"github.com/stancegraph/stancegraph/ingest"
)

func check(t *testing.T, g *stancegraph.Graph) {
	t.Helper()
	none := func(_ context.Context, ids []string) ([]*stancegraph.Entity, error) {
		return make([]*stancegraph.Entity, len(ids)), nil
	}
	problems, err := ingest.Check(t.Context(), g, none)
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range problems {
		if i == 10 {
			t.Fatalf("and %d more problems", len(problems)-i)
		}
		t.Error(p)
	}
	if len(problems) > 0 {
		t.FailNow()
	}
}

func TestGenerate_Deterministic(t *testing.T) {
	cfg := gen.Config{Actors: 200, Proposals: 30, Positions: 3000, Seed: 7, HotTarget: 100}
	if diff := cmp.Diff(gen.Generate(cfg), gen.Generate(cfg)); diff != "" {
		t.Fatalf("two graphs from one config differ (-first +second):\n%s", diff)
	}
	other := cfg
	other.Seed = 8
	if cmp.Equal(gen.Generate(cfg), gen.Generate(other)) {
		t.Fatal("two seeds give the same graph")
	}
}

func TestGenerate_Valid(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  gen.Config
	}{
		{"Small", gen.Config{Actors: 50, Proposals: 10, Positions: 500, Seed: 1}},
		{"Hot", gen.Config{Actors: 500, Proposals: 50, Positions: 10000, Seed: 2, HotTarget: 1000}},
		{"HotOnly", gen.Config{Actors: 100, Proposals: 0, Positions: 10, Seed: 3, HotTarget: 50}},
		{"Tiny", gen.Config{Actors: 1, Proposals: 1, Positions: 5, Seed: 4}},
		{"NoActors", gen.Config{Actors: 0, Proposals: 3, Positions: 5, Seed: 5, HotTarget: 5}},
		{"Empty", gen.Config{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := gen.Generate(tc.cfg)
			check(t, g)
			hot, byActor := 0, map[string]int{}
			for _, p := range g.Positions {
				if p.TargetID == gen.HotTargetID {
					hot++
				}
				byActor[p.ActorID]++
			}
			wantPositions, wantHot := max(tc.cfg.Positions, tc.cfg.HotTarget), tc.cfg.HotTarget
			if tc.cfg.Actors == 0 {
				wantPositions, wantHot = 0, 0
			}
			if tc.name != "Tiny" && len(g.Positions) != wantPositions {
				t.Errorf("%d positions, want %d", len(g.Positions), wantPositions)
			}
			if hot != wantHot {
				t.Errorf("%d positions on %s, want %d", hot, gen.HotTargetID, wantHot)
			}
		})
	}
}

func TestGenerate_Skewed(t *testing.T) {
	g := gen.Generate(gen.Config{Actors: 1000, Proposals: 100, Positions: 20000, Seed: 9})
	byActor, byTarget := map[string]int{}, map[string]int{}
	for _, p := range g.Positions {
		byActor[p.ActorID]++
		byTarget[p.TargetID]++
	}
	top := func(m map[string]int) int {
		n := 0
		for _, v := range m {
			n = max(n, v)
		}
		return n
	}
	// Uniform draws would give each actor about 20 and each target about 200.
	if top(byActor) < 200 || top(byTarget) < 1000 {
		t.Fatalf("busiest actor has %d positions, busiest target %d: not skewed", top(byActor), top(byTarget))
	}
}
