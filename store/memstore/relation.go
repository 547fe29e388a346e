package memstore

import (
	"context"
	"slices"
	"strings"

	"github.com/stancegraph/stancegraph"
)

// Relate creates or updates a relation.
func (s *Store) Relate(ctx context.Context, r *stancegraph.Relation) (stancegraph.Change, error) {
	if err := r.Validate(); err != nil {
		return stancegraph.Unchanged, err
	}
	nr := *r
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.ready(ctx); err != nil {
		return stancegraph.Unchanged, err
	}
	if err := nr.CheckEnds(s.idx.entity(nr.From), s.idx.entity(nr.To), s.idx.entity(nr.SourceID)); err != nil {
		return stancegraph.Unchanged, err
	}
	nr.Normalize()
	if err := stancegraph.CheckPartOf(ctx, &nr, s.idx.parents); err != nil {
		return stancegraph.Unchanged, err
	}
	ch := stancegraph.Created
	if old := s.idx.relation(nr.Type, nr.From, nr.To); old != nil {
		if *old == nr {
			return stancegraph.Unchanged, nil
		}
		ch = stancegraph.Updated
	}
	if err := s.commit(func(t *txn) error { return t.putRelation(&nr) }); err != nil {
		return stancegraph.Unchanged, err
	}
	s.idx.putRelation(&nr)
	return ch, nil
}

// Unrelate deletes a relation.
func (s *Store) Unrelate(ctx context.Context, typ stancegraph.RelType, from, to string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.ready(ctx); err != nil {
		return err
	}
	r := s.idx.relation(typ, from, to)
	if r == nil {
		return stancegraph.Errorf(stancegraph.ENOTFOUND, "no %s relation from %q to %q", typ, from, to)
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
	if len(f.Types) == 0 && len(f.FromIDs) == 0 && len(f.ToIDs) == 0 {
		return nil, stancegraph.FieldErrorf("filter", "a relation filter needs types, fromIds or toIds")
	}
	for _, typ := range f.Types {
		if !typ.Valid() {
			return nil, stancegraph.RelTypes.Invalid("types", "relation type", typ)
		}
	}
	if err := checkBatch("fromIds", f.FromIDs); err != nil {
		return nil, err
	}
	if err := checkBatch("toIds", f.ToIDs); err != nil {
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
