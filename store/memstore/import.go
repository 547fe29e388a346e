package memstore

import (
	"context"
	"slices"
	"strings"

	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/ingest"
)

// Import writes a whole graph in one transaction: all of it, or nothing.
// Positions with a strength of 0 get the default, 1, as RecordPosition
// gives them. Memory changes only after the file has the graph.
func (s *Store) Import(ctx context.Context, g *stancegraph.Graph) (stancegraph.ImportResult, error) {
	var res stancegraph.ImportResult
	if err := ingest.CheckEntries(g); err != nil {
		return res, err
	}
	for _, p := range g.Positions {
		if p.Strength == 0 {
			p.Strength = 1
		}
	}

	// Checking a large graph takes long, so it runs under the read lock;
	// if a write slipped in before the write lock, it runs again.
	s.mu.RLock()
	if err := s.ready(ctx); err != nil {
		s.mu.RUnlock()
		return res, err
	}
	version := s.version
	problems, err := s.check(ctx, g)
	s.mu.RUnlock()
	if err != nil {
		return res, err
	}
	if len(problems) > 0 {
		return res, ingest.ProblemsError(problems)
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.ready(ctx); err != nil {
		return res, err
	}
	if s.version != version {
		problems, err := s.check(ctx, g)
		if err != nil {
			return res, err
		}
		if len(problems) > 0 {
			return res, ingest.ProblemsError(problems)
		}
	}
	plan := s.plan(g, &res)
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

// check runs ingest.MergeExternalIDs, ingest.Check and, on a sound graph,
// ingest.CheckHierarchy. Callers hold mu.
func (s *Store) check(ctx context.Context, g *stancegraph.Graph) ([]ingest.Problem, error) {
	problems, _, err := ingest.MergeExternalIDs(ctx, g, s.idx.findExternal)
	if err != nil || len(problems) > 0 {
		return problems, err
	}
	problems, err = ingest.Check(ctx, g, s.lookup)
	if err != nil || len(problems) > 0 {
		return problems, err
	}
	return ingest.CheckHierarchy(ctx, g, s.idx.parents)
}

// lookup returns stored entities for ingest.Check. Callers hold mu.
func (s *Store) lookup(ctx context.Context, ids []string) ([]*stancegraph.Entity, error) {
	if err := ctx.Err(); err != nil {
		return nil, s.ready(ctx)
	}
	out := make([]*stancegraph.Entity, len(ids))
	for i, id := range ids {
		out[i] = s.idx.entity(id)
	}
	return out, nil
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

// plan counts what each entry of a checked graph changes, as if its entries
// were written one after the other, and collects the records to write.
// Callers hold mu.
func (s *Store) plan(g *stancegraph.Graph, res *stancegraph.ImportResult) *importPlan {
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

	// ingest.Check has refused positions given twice with different data,
	// so a position is written once, the first time it is seen.
	seen := make(map[string]bool, len(g.Positions))
	for _, p := range g.Positions {
		cur := x.position(p.ID)
		switch {
		case seen[p.ID] || cur != nil && cur.Equal(p):
			res.Positions.Add(stancegraph.Unchanged)
		default:
			ch := change(cur != nil, false)
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
