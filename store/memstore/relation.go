package memstore

import (
	"context"
	"slices"
	"strings"

	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/ingest"
)

// Relate creates or updates a relation.
func (s *Store) Relate(ctx context.Context, r *stancegraph.Relation) (stancegraph.Change, error) {
	nr, err := ingest.Relation(r)
	if err != nil {
		return stancegraph.Unchanged, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.ready(ctx); err != nil {
		return stancegraph.Unchanged, err
	}
	x := s.idx
	ch, err := ingest.RelationChange(ctx, nr, x.entity(nr.From), x.entity(nr.To), x.entity(nr.SourceID), x.relation(nr.Type, nr.From, nr.To), x.parents)
	if err != nil || ch == stancegraph.Unchanged {
		return stancegraph.Unchanged, err
	}
	if err := s.commit(func(t *txn) error { return t.putRelation(nr) }); err != nil {
		return stancegraph.Unchanged, err
	}
	x.putRelation(nr)
	return ch, nil
}

// Unrelate deletes a relation.
func (s *Store) Unrelate(ctx context.Context, typ stancegraph.RelType, from, to string) error {
	if err := ingest.Unrelate(typ, from, to); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.ready(ctx); err != nil {
		return err
	}
	r := s.idx.relation(typ, from, to)
	if r == nil {
		return ingest.RelationNotFound(typ, from, to)
	}
	if err := s.commit(func(t *txn) error { return t.del(bucketRelations, r.Key()) }); err != nil {
		return err
	}
	s.idx.removeRelation(typ, from, to)
	return nil
}

// Relations returns the relations that match f, ordered by type, from, then
// to.
func (s *Store) Relations(ctx context.Context, f stancegraph.RelationFilter) ([]*stancegraph.Relation, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	types := uniq(f.Types)
	if len(types) == 0 {
		types = stancegraph.RelTypes
	}

	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.ready(ctx); err != nil {
		return nil, err
	}
	var found []*stancegraph.Relation
	froms, tos := newIDFilter(f.FromIDs), newIDFilter(f.ToIDs)
	for _, typ := range types {
		switch {
		case len(f.FromIDs) > 0:
			for _, from := range uniq(f.FromIDs) {
				for _, r := range s.idx.out[typ].at(from) {
					if tos.has(r.To) {
						found = append(found, r)
					}
				}
			}
		case len(f.ToIDs) > 0:
			for _, to := range uniq(f.ToIDs) {
				for _, r := range s.idx.in[typ].at(to) {
					if froms.has(r.From) {
						found = append(found, r)
					}
				}
			}
		default:
			if ri := s.idx.out[typ]; ri != nil {
				for _, list := range ri.m {
					found = append(found, list...)
				}
			}
		}
	}
	slices.SortFunc(found, func(a, b *stancegraph.Relation) int {
		if c := strings.Compare(string(a.Type), string(b.Type)); c != 0 {
			return c
		}
		if c := strings.Compare(a.From, b.From); c != 0 {
			return c
		}
		return strings.Compare(a.To, b.To)
	})
	copies := make([]stancegraph.Relation, len(found))
	out := make([]*stancegraph.Relation, len(found))
	for i, r := range found {
		copies[i] = *r
		out[i] = &copies[i]
	}
	return out, nil
}
