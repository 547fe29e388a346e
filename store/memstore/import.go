package memstore

import (
	"context"
	"slices"
	"strings"

	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/ingest"
)

// Import writes a whole graph in one transaction: all of it, or nothing.
// ingest.Prepare checks it, under the lock, against the state it is
// written to. Memory changes only after the file has the graph.
func (s *Store) Import(ctx context.Context, g *stancegraph.Graph) (stancegraph.ImportResult, error) {
	var res stancegraph.ImportResult
	// Checking a large graph takes long, so it runs under the read lock;
	// if a write slipped in before the write lock, it runs again.
	s.mu.RLock()
	if err := s.ready(ctx); err != nil {
		s.mu.RUnlock()
		return res, err
	}
	version := s.version
	checked, err := ingest.Prepare(ctx, g, stored{s})
	s.mu.RUnlock()
	if err != nil {
		return res, err
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.ready(ctx); err != nil {
		return res, err
	}
	if s.version != version {
		if checked, err = ingest.Prepare(ctx, g, stored{s}); err != nil {
			return res, err
		}
	}
	plan := s.plan(checked, &res)
	for _, p := range plan.positions {
		if err := storable(p); err != nil {
			return stancegraph.ImportResult{}, err
		}
	}
	err = s.commit(func(t *txn) error {
		// bbolt splits nodes only at commit, so one transaction's puts in
		// random order grow a node quadratically; in key order they append.
		n := 0
		put := func(bucket []byte, keys []string, value func(i int) any) error {
			order := make([]int, len(keys))
			for i := range order {
				order[i] = i
			}
			slices.SortFunc(order, func(a, b int) int { return strings.Compare(keys[a], keys[b]) })
			for _, i := range order {
				if err := t.put(bucket, keys[i], value(i)); err != nil {
					return err
				}
				if n++; n%4096 == 0 {
					if err := ctx.Err(); err != nil {
						return err
					}
				}
			}
			return nil
		}
		keys := make([]string, len(plan.entities))
		for i, e := range plan.entities {
			keys[i] = e.ID
		}
		if err := put(bucketEntities, keys, func(i int) any { return plan.entities[i] }); err != nil {
			return err
		}
		keys = make([]string, len(plan.relations))
		for i, r := range plan.relations {
			keys[i] = r.Key()
		}
		if err := put(bucketRelations, keys, func(i int) any { return plan.relations[i] }); err != nil {
			return err
		}
		keys = make([]string, len(plan.positions))
		for i, p := range plan.positions {
			keys[i] = p.ID
		}
		return put(bucketPositions, keys, func(i int) any { return plan.positions[i] })
	})
	if err != nil {
		if ctx.Err() != nil {
			return stancegraph.ImportResult{}, s.ready(ctx)
		}
		return stancegraph.ImportResult{}, err
	}
	s.idx.batch = true
	for _, e := range plan.entities {
		s.idx.putEntity(e)
	}
	for _, r := range plan.relations {
		s.idx.putRelation(r)
	}
	events := make([]stancegraph.PositionEvent, 0, min(len(plan.positions), feedKeep))
	for i, p := range plan.positions {
		s.idx.putPosition(p)
		if len(plan.positions)-i <= feedKeep { // the feed keeps only the last
			ev, _ := stancegraph.PositionEventOf(plan.posChanges[i], p)
			events = append(events, ev)
		}
	}
	s.idx.endBatch()
	s.feed.publish(events...)
	return res, nil
}

// stored is what ingest.Prepare reads of the store. Callers hold mu.
type stored struct{ s *Store }

func (v stored) Entities(ctx context.Context, ids []string) ([]*stancegraph.Entity, error) {
	if err := ctx.Err(); err != nil {
		return nil, v.s.ready(ctx)
	}
	out := make([]*stancegraph.Entity, len(ids))
	for i, id := range ids {
		out[i] = v.s.idx.entity(id)
	}
	return out, nil
}

func (v stored) External(ctx context.Context, xs []stancegraph.ExternalID) ([]*stancegraph.Entity, error) {
	return v.s.idx.findExternal(ctx, xs)
}

func (v stored) Parents(ctx context.Context, ids []string) ([]string, error) {
	return v.s.idx.parents(ctx, ids)
}

// importPlan holds the records an import writes: new or changed copies,
// each once, in the order of the graph.
type importPlan struct {
	entities  []*stancegraph.Entity
	relations []*stancegraph.Relation
	positions []*stancegraph.Position
	// posChanges[i] is what writing positions[i] does.
	posChanges []stancegraph.Change
}

// plan counts what each entry of a checked import changes, as if its entries
// were written one after the other, and collects the records to write.
// Callers hold mu.
func (s *Store) plan(g *ingest.Plan, res *stancegraph.ImportResult) *importPlan {
	plan := &importPlan{}
	x := s.idx

	entities := map[string]*stancegraph.Entity{}
	for _, e := range g.Entities {
		cur := entities[e.ID]
		if cur == nil {
			cur = x.entity(e.ID)
		}
		ch := change(cur != nil, cur != nil && cur.Equal(e))
		res.Entities.Add(ch)
		if ch != stancegraph.Unchanged {
			c := e.Clone()
			if entities[e.ID] == nil {
				plan.entities = append(plan.entities, c)
			}
			entities[e.ID] = c
		}
	}
	// Only the last copy of an entity given twice is written.
	for i, e := range plan.entities {
		plan.entities[i] = entities[e.ID]
	}

	relations := map[string]*stancegraph.Relation{}
	order := []string{}
	for _, r := range g.Relations {
		key := r.Key()
		cur := relations[key]
		if cur == nil {
			cur = x.relation(r.Type, r.From, r.To)
		}
		ch := change(cur != nil, cur != nil && cur.Equal(r))
		res.Relations.Add(ch)
		if ch != stancegraph.Unchanged {
			if relations[key] == nil {
				order = append(order, key)
			}
			c := *r
			relations[key] = &c
		}
	}
	for _, key := range order {
		plan.relations = append(plan.relations, relations[key])
	}

	// ingest.Prepare has refused positions given twice with different data,
	// so a position is written once, the first time it is seen.
	seen := make(map[string]bool, len(g.Positions))
	for _, p := range g.Positions {
		cur, ok := x.lookup(p.ID)
		switch {
		case seen[p.ID] || ok && x.equal(cur, p):
			res.Positions.Add(stancegraph.Unchanged)
		default:
			ch := change(ok, false)
			res.Positions.Add(ch)
			c := *p
			plan.positions = append(plan.positions, &c)
			plan.posChanges = append(plan.posChanges, ch)
		}
		seen[p.ID] = true
	}
	return plan
}

func change(exists, equal bool) stancegraph.Change {
	switch {
	case !exists:
		return stancegraph.Created
	case equal:
		return stancegraph.Unchanged
	}
	return stancegraph.Updated
}
