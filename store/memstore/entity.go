package memstore

import (
	"context"
	"slices"
	"strings"

	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/ingest"
)

// UpsertEntity creates the entity or replaces the data of the one with its
// id.
func (s *Store) UpsertEntity(ctx context.Context, e *stancegraph.Entity) (stancegraph.Change, error) {
	e, err := ingest.Entity(e)
	if err != nil {
		return stancegraph.Unchanged, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.ready(ctx); err != nil {
		return stancegraph.Unchanged, err
	}
	ch, err := ingest.EntityChange(ctx, e, s.idx.entity(e.ID), s.idx.findExternal)
	if err != nil || ch == stancegraph.Unchanged {
		return stancegraph.Unchanged, err
	}
	if err := s.commit(func(t *txn) error { return t.putEntity(e) }); err != nil {
		return stancegraph.Unchanged, err
	}
	s.idx.putEntity(e)
	return ch, nil
}

// Entities returns the entities with the given ids, nil for the missing.
func (s *Store) Entities(ctx context.Context, ids []string) ([]*stancegraph.Entity, error) {
	if err := stancegraph.CheckBatch("ids", ids); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.ready(ctx); err != nil {
		return nil, err
	}
	out := make([]*stancegraph.Entity, len(ids))
	for i, id := range ids {
		if e := s.idx.entity(id); e != nil {
			out[i] = e.Clone()
		}
	}
	return out, nil
}

// FindEntities returns one page of the entities matching f and how many
// match in all.
func (s *Store) FindEntities(ctx context.Context, f stancegraph.EntityFilter) ([]*stancegraph.Entity, int, error) {
	limit, err := f.Validate()
	if err != nil {
		return nil, 0, err
	}
	needle := strings.ToLower(f.NameContains)

	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.ready(ctx); err != nil {
		return nil, 0, err
	}
	kinds := uniq(f.Kinds)
	if len(kinds) == 0 {
		kinds = stancegraph.Kinds
	}
	order := orderIndex(f.OrderBy)
	// The kinds' lists, merged in the order asked for.
	lists := make([][]*entityRec, 0, len(kinds))
	total := 0
	for _, k := range kinds {
		if kl := s.idx.byKind[k]; kl != nil {
			lists = append(lists, kl.sorted[order])
			if f.Country == "" {
				total += len(kl.sorted[order])
			} else {
				total += kl.countries[f.Country]
			}
		}
	}
	match := func(rec *entityRec) bool {
		e := rec.e
		return (f.Country == "" || e.Country == f.Country) &&
			(f.Topic == "" || slices.Contains(e.Topics, f.Topic)) &&
			(f.SourceKind == "" || e.SourceKind == f.SourceKind) &&
			(needle == "" || slices.ContainsFunc(rec.lower, func(s string) bool { return strings.Contains(s, needle) }))
	}
	// Filtered by kind and country only, the total is known and the walk
	// stops at the end of the page; other filters must see every entity.
	counted := f.Topic == "" && f.SourceKind == "" && needle == ""
	if !counted {
		total = 0
	}
	page := []*stancegraph.Entity{}
	if counted && f.Offset >= total {
		return page, total, nil
	}
	heads := make([]int, len(lists))
	for n := 0; ; {
		best := -1
		for i, list := range lists {
			if heads[i] < len(list) && (best < 0 || compareIn(order, list[heads[i]], lists[best][heads[best]]) < 0) {
				best = i
			}
		}
		if best < 0 || counted && len(page) == limit {
			break
		}
		rec := lists[best][heads[best]]
		heads[best]++
		if !match(rec) {
			continue
		}
		if n >= f.Offset && len(page) < limit {
			page = append(page, rec.e.Clone())
		}
		n++
		if !counted {
			total++
		}
	}
	return page, total, nil
}

// DeleteEntity deletes an entity with its relations and the positions it
// takes or is the target of.
func (s *Store) DeleteEntity(ctx context.Context, id string) error {
	if err := stancegraph.ValidateID("id", id); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.ready(ctx); err != nil {
		return err
	}
	if s.idx.entity(id) == nil {
		return ingest.EntityNotFound(id)
	}
	if err := ingest.Deletable(id, len(s.idx.bySource.m[id]), s.idx.cited[id]); err != nil {
		return err
	}
	rs, ps := s.idx.touching(id)
	err := s.commit(func(t *txn) error {
		for _, r := range rs {
			if err := t.del(bucketRelations, r.Key()); err != nil {
				return err
			}
		}
		for _, seq := range ps {
			if err := t.del(bucketPositions, s.idx.recs[seq].id.String()); err != nil {
				return err
			}
		}
		return t.del(bucketEntities, id)
	})
	if err != nil {
		return err
	}
	for _, r := range rs {
		s.idx.removeRelation(r.Type, r.From, r.To)
	}
	events := make([]stancegraph.PositionEvent, 0, len(ps))
	for _, seq := range ps {
		if s.idx.recs[seq].strength == 0 {
			continue // listed twice, as actor and target, and gone
		}
		was := s.idx.materialize(seq)
		events = append(events, stancegraph.PositionEvent{Change: stancegraph.PositionRetracted, Position: was})
		s.idx.removePosition(was.ID)
	}
	s.idx.removeEntity(id)
	s.feed.publish(events...)
	return nil
}

// uniq returns xs without repeats, in first-seen order.
func uniq[T comparable](xs []T) []T {
	if len(xs) < 2 {
		return xs
	}
	seen := make(map[T]bool, len(xs))
	out := make([]T, 0, len(xs))
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}
