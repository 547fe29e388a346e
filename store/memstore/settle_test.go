package memstore

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/gen"
	"github.com/stancegraph/stancegraph/search"
)

// listIDs returns the position ids of every list of the index, by index and
// key, in list order.
func listIDs(x *index) map[string][]string {
	out := map[string][]string{}
	for name, pi := range map[string]*posIndex{"actor": x.byActor, "target": x.byTarget, "source": x.bySource, "all": x.all} {
		for key, list := range pi.m {
			ids := make([]string, len(list))
			for i, seq := range list {
				ids[i] = x.recs[seq].id.String()
			}
			out[name+" "+key] = ids
		}
	}
	return out
}

// TestSettle_WritesAfterLoad checks that a store loaded from its file, whose
// lists and postings settle packed, answers as a store that imported the
// same graph in memory, after writes that insert into, remove from and
// empty the packed lists.
func TestSettle_WritesAfterLoad(t *testing.T) {
	ctx := context.Background()
	g := gen.Generate(gen.Config{Actors: 40, Proposals: 10, Positions: 1500, Seed: 5})
	path := filepath.Join(t.TempDir(), "s.db")
	disk, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := disk.Import(ctx, g); err != nil {
		t.Fatal(err)
	}
	if err := disk.Close(); err != nil {
		t.Fatal(err)
	}
	if disk, err = Open(path); err != nil {
		t.Fatal(err)
	}
	defer disk.Close()
	for _, pi := range []*posIndex{disk.idx.byActor, disk.idx.byTarget, disk.idx.bySource} {
		for key, list := range pi.m {
			if cap(list) != len(list) {
				t.Fatalf("loaded list %q: capacity %d for %d positions, want them equal", key, cap(list), len(list))
			}
		}
	}
	mem := OpenMemory()
	defer mem.Close()
	if _, err := mem.Import(ctx, g); err != nil {
		t.Fatal(err)
	}

	r := rand.New(rand.NewPCG(1, 2))
	queries := []string{"supports", "as stated", "zebra", "quokka"}
	check := func(step string) {
		t.Helper()
		if diff := cmp.Diff(listIDs(mem.idx), listIDs(disk.idx)); diff != "" {
			t.Fatalf("%s: lists (-memory +loaded):\n%s", step, diff)
		}
		for _, q := range queries {
			want, err := mem.Search(ctx, q, stancegraph.SearchFilter{Limit: stancegraph.MaxPageSize})
			if err != nil {
				t.Fatal(err)
			}
			got, err := disk.Search(ctx, q, stancegraph.SearchFilter{Limit: stancegraph.MaxPageSize})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(hitIDs(want), hitIDs(got)); diff != "" {
				t.Fatalf("%s: search %q (-memory +loaded):\n%s", step, q, diff)
			}
		}
	}
	check("loaded")
	do := func(f func(s *Store) error) {
		t.Helper()
		for _, s := range []*Store{mem, disk} {
			if err := f(s); err != nil {
				t.Fatal(err)
			}
		}
	}
	// One actor loses all its positions, so its lists go.
	gone := g.Positions[0].ActorID
	retracted := map[string]bool{}
	for _, p := range g.Positions {
		if p.ActorID == gone {
			do(func(s *Store) error { return s.RetractPosition(ctx, p.ID) })
			retracted[p.ID] = true
		}
	}
	check("an actor's positions retracted")
	for round := range 3 {
		for i := range 200 {
			p := *g.Positions[r.IntN(len(g.Positions))]
			if retracted[p.ID] {
				continue
			}
			switch i % 3 {
			case 0: // a new position, in lists that were packed
				other := g.Positions[r.IntN(len(g.Positions))]
				p.ID, p.SourceID, p.StatedAt, p.StatedAtQualifier = "", other.SourceID, other.StatedAt, other.StatedAtQualifier
				p.Quote = fmt.Sprintf("zebra quokka %d %d", round, i)
				do(func(s *Store) error { c := p; _, err := s.RecordPosition(ctx, &c); return err })
			case 1:
				do(func(s *Store) error { return s.RetractPosition(ctx, p.ID) })
				retracted[p.ID] = true
			case 2: // the same position, a new quote
				p.Quote = fmt.Sprintf("quokka %d", i)
				do(func(s *Store) error { c := p; _, err := s.RecordPosition(ctx, &c); return err })
			}
		}
		check(fmt.Sprintf("round %d", round))
	}
	if words := search.Words("zebra quokka"); !disk.idx.words[words[0]].hasPositions() {
		t.Fatal("no position has the new words: the writes did not reach the postings")
	}
}
