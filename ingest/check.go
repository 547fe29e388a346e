package ingest

import (
	"context"
	"fmt"

	"github.com/stancegraph/stancegraph"
)

// Lookup returns the stored entities with the given ids, in order, with
// nil for an id not stored.
type Lookup func(ctx context.Context, ids []string) ([]*stancegraph.Entity, error)

// CheckEntries returns INVALID for a nil graph or the first nil entry,
// naming it, so that every backend refuses them alike before looking
// further.
func CheckEntries(g *stancegraph.Graph) error {
	if g == nil {
		return stancegraph.FieldErrorf("graph", "no graph to import")
	}
	var ps []Problem
	for _, l := range []struct {
		name string
		n    int
		nil  func(int) bool
	}{
		{"entities", len(g.Entities), func(i int) bool { return g.Entities[i] == nil }},
		{"relations", len(g.Relations), func(i int) bool { return g.Relations[i] == nil }},
		{"positions", len(g.Positions), func(i int) bool { return g.Positions[i] == nil }},
	} {
		for i := 0; i < l.n; i++ {
			if l.nil(i) {
				ps = append(ps, Problem{Entry: fmt.Sprintf("%s[%d]", l.name, i), Code: stancegraph.EINVALID, Msg: "empty entry"})
			}
		}
	}
	return ProblemsError(ps)
}

// Check validates every entry of g, normalises its positions (id,
// strength) and resolves references against g itself and then against
// lookup, which returns stored entities by id (nil where missing). It
// returns every problem found, or nil.
func Check(ctx context.Context, g *stancegraph.Graph, lookup Lookup) ([]Problem, error) {
	if ps := checkSize(g); len(ps) > 0 {
		return ps, nil
	}
	var ps []Problem
	known := make(map[string]*stancegraph.Entity, len(g.Entities))
	// ids lists the entities to look up in the graph's order, so that the
	// problems come in the same order on every run and every backend.
	ids := make([]string, 0, len(g.Entities))
	for i, e := range g.Entities {
		if err := stopped(ctx, i); err != nil {
			return nil, err
		}
		entry := fmt.Sprintf("entities[%d] %q", i, e.ID)
		if err := e.Validate(); err != nil {
			ps = append(ps, problemOf(entry, err))
			continue
		}
		e.Normalize()
		if prev, dup := known[e.ID]; dup && !prev.Equal(e) {
			ps = append(ps, Problem{Entry: entry, Field: "id", Code: stancegraph.ECONFLICT, Msg: fmt.Sprintf("id %q is given twice with different data", e.ID)})
			continue
		}
		if known[e.ID] == nil {
			ids = append(ids, e.ID)
		}
		known[e.ID] = e
	}
	// Look up, in the store, the entities the graph writes (an id stored
	// with another kind is a conflict) and the references it does not hold.
	need := func(id string) {
		if _, ok := known[id]; !ok && id != "" {
			known[id] = nil
			ids = append(ids, id)
		}
	}
	for _, r := range g.Relations {
		need(r.From)
		need(r.To)
		need(r.SourceID)
	}
	for _, p := range g.Positions {
		need(p.ActorID)
		need(p.TargetID)
		need(p.SourceID)
	}
	for start := 0; start < len(ids); start += stancegraph.MaxBatchIDs {
		batch := ids[start:min(start+stancegraph.MaxBatchIDs, len(ids))]
		found, err := lookup(ctx, batch)
		if err != nil {
			return nil, err
		}
		for i, stored := range found {
			if stored == nil {
				continue
			}
			if e := known[batch[i]]; e == nil {
				known[batch[i]] = stored
			} else if e.Kind != stored.Kind {
				ps = append(ps, problemOf(fmt.Sprintf("entity %q", e.ID), KindConflict(e, stored.Kind)))
			}
		}
	}
	for i, r := range g.Relations {
		if err := stopped(ctx, i); err != nil {
			return nil, err
		}
		entry := fmt.Sprintf("relations[%d] %s %s->%s", i, r.Type, r.From, r.To)
		if err := r.Validate(); err != nil {
			ps = append(ps, problemOf(entry, err))
		} else if err := r.CheckEnds(known[r.From], known[r.To], known[r.SourceID]); err != nil {
			ps = append(ps, problemOf(entry, err))
		} else {
			r.Normalize()
		}
	}
	seen := make(map[string]*stancegraph.Position, len(g.Positions))
	for i, p := range g.Positions {
		if err := stopped(ctx, i); err != nil {
			return nil, err
		}
		entry := fmt.Sprintf("positions[%d] %s %s %s", i, p.ActorID, p.Stance, p.TargetID)
		if p.Strength == 0 {
			p.Strength = 1
		}
		if err := p.Validate(); err != nil {
			ps = append(ps, problemOf(entry, err))
			continue
		}
		p.Normalize()
		if err := p.CheckEnds(known[p.ActorID], known[p.TargetID], known[p.SourceID]); err != nil {
			ps = append(ps, problemOf(entry, err))
			continue
		}
		if prev, dup := seen[p.ID]; dup && !prev.Equal(p) {
			ps = append(ps, Problem{Entry: entry, Code: stancegraph.ECONFLICT, Msg: "the same actor, target, stance and source are given twice with different data"})
			continue
		}
		seen[p.ID] = p
	}
	return ps, nil
}

// stopped returns the context's error, checked every 1024 entries: a
// check of a large import stops soon after its request ends.
func stopped(ctx context.Context, i int) error {
	if i%1024 != 0 {
		return nil
	}
	if err := ctx.Err(); err != nil {
		return stancegraph.ContextError(err, "the import check")
	}
	return nil
}
