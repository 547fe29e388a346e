package memstore

import (
	"context"
	"slices"
	"sort"

	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/ingest"
)

// RecordPosition creates or updates the position with p's identity and
// sets p.ID (and p.Strength when it was left at 0).
func (s *Store) RecordPosition(ctx context.Context, p *stancegraph.Position) (stancegraph.Change, error) {
	np, err := stancegraph.Prepare(p)
	if err != nil {
		return stancegraph.Unchanged, err
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.ready(ctx); err != nil {
		return stancegraph.Unchanged, err
	}
	x := s.idx
	if err := np.CheckEnds(x.entity(np.ActorID), x.entity(np.TargetID), x.entity(np.SourceID)); err != nil {
		return stancegraph.Unchanged, err
	}
	if err := storable(np); err != nil {
		return stancegraph.Unchanged, err
	}
	ch := stancegraph.Created
	if seq, ok := x.lookup(np.ID); ok {
		if x.equal(seq, np) {
			p.ID, p.Strength = np.ID, np.Strength
			return stancegraph.Unchanged, nil
		}
		ch = stancegraph.Updated
	}
	if err := s.commit(func(t *txn) error { return t.putPosition(np) }); err != nil {
		return stancegraph.Unchanged, err
	}
	x.putPosition(np)
	if ev, ok := stancegraph.PositionEventOf(ch, np); ok {
		s.feed.publish(ev)
	}
	p.ID, p.Strength = np.ID, np.Strength
	return ch, nil
}

// RetractPosition deletes a position.
func (s *Store) RetractPosition(ctx context.Context, id string) error {
	if err := stancegraph.ValidateID("id", id); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.ready(ctx); err != nil {
		return err
	}
	seq, ok := s.idx.lookup(id)
	if !ok {
		return ingest.PositionNotFound(id)
	}
	if err := s.commit(func(t *txn) error { return t.del(bucketPositions, id) }); err != nil {
		return err
	}
	was := s.idx.materialize(seq)
	s.idx.removePosition(id)
	s.feed.publish(stancegraph.PositionEvent{Change: stancegraph.PositionRetracted, Position: was})
	return nil
}

// PositionsByID returns the positions with the given ids, nil for the
// missing.
func (s *Store) PositionsByID(ctx context.Context, ids []string) ([]*stancegraph.Position, error) {
	if err := stancegraph.CheckBatch("ids", ids); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.ready(ctx); err != nil {
		return nil, err
	}
	out := make([]*stancegraph.Position, len(ids))
	for i, id := range ids {
		if seq, ok := s.idx.lookup(id); ok {
			out[i] = s.idx.materialize(seq)
		}
	}
	return out, nil
}

// Positions returns the positions that match f ordered by statedAt, then
// id. It walks the smallest of the indexes the filter names, so its cost
// follows the size of the answer rather than of the graph.
func (s *Store) Positions(ctx context.Context, f stancegraph.PositionFilter) ([]*stancegraph.Position, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	window := f.Window()
	_, startTo, _ := window.Limits()

	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.ready(ctx); err != nil {
		return nil, err
	}
	x := s.idx
	// Walk the smallest of the lists the filter names; a single list is
	// already in order and its date window is found by binary search.
	var best []string
	var bestIndex *posIndex
	bestSize := 0
	for _, c := range []struct {
		ids   []string
		index *posIndex
	}{{f.ActorIDs, x.byActor}, {f.TargetIDs, x.byTarget}, {f.SourceIDs, x.bySource}} {
		if len(c.ids) == 0 {
			continue
		}
		ids := uniq(c.ids)
		size := 0
		for _, id := range ids {
			size += len(c.index.m[id])
		}
		if best == nil || size < bestSize {
			best, bestIndex, bestSize = ids, c.index, size
		}
	}
	actors, targets, sources := newIDFilter(f.ActorIDs), newIDFilter(f.TargetIDs), newIDFilter(f.SourceIDs)
	stance := -1
	if f.Stance != "" {
		stance = slices.Index(stancegraph.Stances, f.Stance)
	}
	match := func(seq uint32) bool {
		r := &x.recs[seq]
		return (stance < 0 || int(r.stance) == stance) &&
			actors.has(x.ents[r.actor].e.ID) && targets.has(x.ents[r.target].e.ID) && sources.has(x.ents[r.source].e.ID) &&
			window.Keeps(x.dates.list[r.date].pd)
	}
	var found []uint32
	switch {
	case best == nil:
		for seq := range x.recs {
			if x.recs[seq].strength != 0 && match(uint32(seq)) {
				found = append(found, uint32(seq))
			}
		}
		slices.SortFunc(found, x.compareSeqs)
	default:
		found = make([]uint32, 0, bestSize)
		for _, id := range best {
			list := bestIndex.m[id]
			// Lists are in order of the intervals' first days, so the
			// positions that start after To end the walk.
			hi := len(list)
			if startTo != "" {
				hi = sort.Search(len(list), func(i int) bool { return x.dates.list[x.recs[list[i]].date].first > startTo })
			}
			for _, seq := range list[:hi] {
				if match(seq) {
					found = append(found, seq)
				}
			}
		}
		if len(best) > 1 {
			slices.SortFunc(found, x.compareSeqs)
		}
	}
	return x.materializeAll(found), nil
}

// idFilter tests membership in a list of ids; an empty list admits all.
type idFilter struct {
	ids []string
	set map[string]bool // for long lists
}

func newIDFilter(ids []string) idFilter {
	f := idFilter{ids: ids}
	if len(ids) > 8 {
		f.set = make(map[string]bool, len(ids))
		for _, id := range ids {
			f.set[id] = true
		}
	}
	return f
}

func (f idFilter) has(id string) bool {
	switch {
	case len(f.ids) == 0:
		return true
	case f.set != nil:
		return f.set[id]
	}
	return slices.Contains(f.ids, id)
}
