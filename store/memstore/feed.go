package memstore

import (
	"context"

	"github.com/stancegraph/stancegraph"
)

// feedKeep is how many events the feed keeps for readers that fall behind.
const feedKeep = 4096

// feed is the store's change feed: the latest events in a ring, and a
// channel closed at each commit. Guarded by Store.mu.
type feed struct {
	seq     uint64
	ring    []stancegraph.PositionEvent // ring[(seq-1) % feedKeep] is event seq
	changed chan struct{}
}

// publish appends the events of a committed write and wakes the readers.
// Callers hold mu for writing.
func (f *feed) publish(events ...stancegraph.PositionEvent) {
	if len(events) == 0 {
		return
	}
	if f.ring == nil {
		f.ring = make([]stancegraph.PositionEvent, feedKeep)
	}
	for _, ev := range events {
		f.seq++
		ev.Seq = f.seq
		f.ring[(f.seq-1)%feedKeep] = ev
	}
	if f.changed != nil {
		close(f.changed)
		f.changed = nil
	}
}

// PositionEvents returns the kept events after the given sequence.
func (s *Store) PositionEvents(ctx context.Context, after uint64, limit int) ([]stancegraph.PositionEvent, uint64, error) {
	if err := stancegraph.CheckFeedLimit(limit); err != nil {
		return nil, 0, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.ready(ctx); err != nil {
		return nil, 0, err
	}
	f := &s.feed
	head := f.seq
	first := after + 1
	if head > feedKeep && first <= head-feedKeep {
		first = head - feedKeep + 1
	}
	var out []stancegraph.PositionEvent
	for seq := first; seq <= head && len(out) < limit; seq++ {
		ev := f.ring[(seq-1)%feedKeep]
		p := *ev.Position
		ev.Position = &p
		out = append(out, ev)
	}
	return out, head, nil
}

// FeedChanged returns a channel closed at the next commit of an event.
func (s *Store) FeedChanged() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.feed.changed == nil {
		s.feed.changed = make(chan struct{})
	}
	return s.feed.changed
}
