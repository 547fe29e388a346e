package memstore

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/gen"
	"github.com/stancegraph/stancegraph/search"
)

// bruteSearch is what Search must answer, found by scoring every entity
// and position of the index rather than through the postings.
func bruteSearch(x *index, query string, limit int) []stancegraph.SearchHit {
	q := search.Parse(query)
	var hits []stancegraph.SearchHit
	for _, rec := range x.entities {
		if score, ok := q.ScoreEntity(rec.e); ok {
			hits = append(hits, stancegraph.SearchHit{Entity: rec.e, Score: score})
		}
	}
	for seq := range x.recs {
		if x.recs[seq].strength == 0 {
			continue
		}
		p := x.materialize(uint32(seq))
		if score, ok := q.ScorePosition(p); ok {
			hits = append(hits, stancegraph.SearchHit{Position: p, Score: score})
		}
	}
	search.SortHits(hits)
	return hits[:min(limit, len(hits))]
}

func hitIDs(hits []stancegraph.SearchHit) []string {
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = fmt.Sprintf("%s %.6f", h.ID(), h.Score)
	}
	return ids
}

// TestPostings_AfterWrites checks that the postings find what scoring every
// position finds after updates that change quotes, retracts, and records
// that reuse the sequence numbers of retracted positions.
func TestPostings_AfterWrites(t *testing.T) {
	ctx := context.Background()
	g := gen.Generate(gen.Config{Actors: 60, Proposals: 12, Positions: 1500, Seed: 7})
	s := OpenMemory()
	defer s.Close()
	if _, err := s.Import(ctx, g); err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(3, 4))
	queries := []string{"zebra", "quokka walrus", "as stated", "inc", "support"}
	for range 20 {
		words := search.PositionWords(g.Positions[r.IntN(len(g.Positions))])
		w := words[r.IntN(len(words))]
		queries = append(queries, w[:min(len(w), 1+r.IntN(4))])
	}
	check := func(step string) {
		t.Helper()
		for _, q := range queries {
			got, err := s.Search(ctx, q, stancegraph.SearchFilter{Limit: stancegraph.MaxPageSize})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(hitIDs(bruteSearch(s.idx, q, stancegraph.MaxPageSize)), hitIDs(got)); diff != "" {
				t.Fatalf("%s: search %q (-want +got):\n%s", step, q, diff)
			}
		}
	}
	check("import")

	retracted := map[string]*stancegraph.Position{}
	extra := []string{"zebra", "quokka", "walrus"}
	for round := range 3 {
		for i := range 300 {
			p := *g.Positions[r.IntN(len(g.Positions))]
			switch i % 3 {
			case 0: // a new quote, with words no other position has
				p.Quote = fmt.Sprintf("%s %s round %d", extra[r.IntN(len(extra))], extra[r.IntN(len(extra))], round)
				p.ID = ""
				if _, err := s.RecordPosition(ctx, &p); err != nil {
					t.Fatal(err)
				}
				delete(retracted, p.ID) // recorded again, if it was retracted
			case 1:
				if _, ok := retracted[p.ID]; ok {
					continue
				}
				if err := s.RetractPosition(ctx, p.ID); err != nil {
					t.Fatal(err)
				}
				retracted[p.ID] = &p
			case 2: // record a retracted one again
				for id, rp := range retracted {
					c := *rp
					c.ID = ""
					if _, err := s.RecordPosition(ctx, &c); err != nil {
						t.Fatal(err)
					}
					delete(retracted, id)
					break
				}
			}
		}
		check(fmt.Sprintf("round %d", round))
	}
	// Sequence numbers are reused: the list never grows past the most
	// positions held at once.
	if n, want := len(s.idx.recs), len(g.Positions); n != want {
		t.Errorf("%d sequence numbers for at most %d positions", n, want)
	}
	if got, want := len(s.idx.recs)-len(s.idx.free), s.idx.ids.n; got != want {
		t.Errorf("%d numbers in use, %d positions", got, want)
	}
}

// TestPostings_FewAndMany adds and removes positions across fewPositions,
// in random order, against a set.
func TestPostings_FewAndMany(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	var ps postings
	want := map[uint32]bool{}
	check := func(step string) {
		t.Helper()
		var got []uint32
		if ps.many != nil {
			got = ps.many.ToArray()
		} else {
			got = ps.few
		}
		var ws []uint32
		for seq := range want {
			ws = append(ws, seq)
		}
		slices.Sort(ws)
		if diff := cmp.Diff(ws, got, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("%s (-want +got):\n%s", step, diff)
		}
		if ps.hasPositions() != (len(want) > 0) {
			t.Fatalf("%s: hasPositions %v with %d positions", step, ps.hasPositions(), len(want))
		}
		if c := ps.clone(); !slices.Equal(c.few, ps.few) || (c.many == nil) != (ps.many == nil) || c.many != nil && !c.many.Equals(ps.many) {
			t.Fatalf("%s: clone differs", step)
		}
	}
	for seq := range uint32(fewPositions) {
		ps.addPosition(seq * 1000)
		want[seq*1000] = true
	}
	ps.addPosition(0) // again
	check("full")
	if ps.many != nil || len(ps.few) != fewPositions {
		t.Fatalf("%d positions: many %v, %d few; want all few", fewPositions, ps.many != nil, len(ps.few))
	}
	for range 2000 {
		seq := uint32(r.IntN(1 << 20))
		if r.IntN(3) == 0 {
			ps.removePosition(seq)
			delete(want, seq)
		} else {
			ps.addPosition(seq)
			want[seq] = true
		}
	}
	check("past fewPositions")
	if ps.many == nil {
		t.Fatalf("%d positions, none in the bitmap", len(want))
	}
	for seq := range want {
		ps.removePosition(seq)
		delete(want, seq)
	}
	check("all removed")
}
