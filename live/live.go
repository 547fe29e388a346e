// Package live fans a store's change feed out to subscribers: one reader
// per process follows the feed (woken by the store's own commits, and
// polling for the commits of other processes on a shared database) and
// hands each event to the subscriptions whose filter it matches.
package live

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/stancegraph/stancegraph"
)

// Defaults of Options.
const (
	DefaultPollInterval   = 500 * time.Millisecond
	DefaultMaxSubscribers = 1000
	DefaultBuffer         = 64
)

// Options configure a Hub. Zero values take the defaults.
type Options struct {
	// PollInterval is how often the feed is read when this process has
	// not written: how soon writes of other processes arrive.
	PollInterval time.Duration
	// MaxSubscribers bounds the subscriptions of the whole process.
	MaxSubscribers int
	// Buffer is how many events a subscription may fall behind before it
	// is ended (a client that does not read must not hold memory).
	Buffer int
	Logger *slog.Logger
}

// Filter selects events; empty fields do not filter.
type Filter struct {
	ActorID  string
	TargetID string
}

func (f Filter) match(ev *stancegraph.PositionEvent) bool {
	return (f.ActorID == "" || f.ActorID == ev.Position.ActorID) &&
		(f.TargetID == "" || f.TargetID == ev.Position.TargetID)
}

// Hub follows a change feed while anyone subscribes.
type Hub struct {
	feed stancegraph.ChangeFeed
	o    Options

	mu     sync.Mutex
	subs   map[*subscription]struct{}
	gen    uint64             // the current reader's generation
	stop   context.CancelFunc // stops the current reader; nil when none runs
	ready  chan struct{}      // closed once the current reader knows the head
	done   chan struct{}      // closed when the current reader has returned
	closed bool
}

type subscription struct {
	f    Filter
	ch   chan *stancegraph.PositionEvent
	stop func() bool // unregisters the context's AfterFunc
}

// New returns a hub over feed; nothing runs until the first Subscribe.
func New(feed stancegraph.ChangeFeed, o Options) *Hub {
	if o.PollInterval <= 0 {
		o.PollInterval = DefaultPollInterval
	}
	if o.MaxSubscribers <= 0 {
		o.MaxSubscribers = DefaultMaxSubscribers
	}
	if o.Buffer <= 0 {
		o.Buffer = DefaultBuffer
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return &Hub{feed: feed, o: o, subs: map[*subscription]struct{}{}}
}

// Subscribe returns the events committed from now on that match f. The
// channel is closed when ctx ends, when the hub closes, or when the
// subscriber falls more than Options.Buffer events behind. Returns
// EUNAVAILABLE when the process has MaxSubscribers subscriptions.
func (h *Hub) Subscribe(ctx context.Context, f Filter) (<-chan *stancegraph.PositionEvent, error) {
	if err := ctx.Err(); err != nil {
		return nil, stancegraph.ContextError(err, "the subscription")
	}
	h.mu.Lock()
	switch {
	case h.closed:
		h.mu.Unlock()
		return nil, stancegraph.Errorf(stancegraph.EUNAVAILABLE, "the server is shutting down")
	case len(h.subs) >= h.o.MaxSubscribers:
		h.mu.Unlock()
		return nil, stancegraph.Errorf(stancegraph.EUNAVAILABLE, "the server has %d subscriptions, its limit; try again later", h.o.MaxSubscribers)
	}
	s := &subscription{f: f, ch: make(chan *stancegraph.PositionEvent, h.o.Buffer)}
	h.subs[s] = struct{}{}
	if h.stop == nil {
		h.start()
	}
	ready := h.ready
	s.stop = context.AfterFunc(ctx, func() { h.remove(s) })
	h.mu.Unlock()
	// Events count from the head the reader found: wait for it, so that a
	// write made after Subscribe returns is delivered.
	t := time.NewTimer(readyTimeout)
	defer t.Stop()
	select {
	case <-ready:
	case <-ctx.Done():
	case <-t.C:
		h.remove(s)
		return nil, stancegraph.Errorf(stancegraph.EUNAVAILABLE, "live updates are unavailable: the store does not answer")
	}
	return s.ch, nil
}

// readyTimeout bounds how long Subscribe waits for the reader to find the
// feed's head (a store that does not answer).
const readyTimeout = 10 * time.Second

// Following reports whether a reader runs and has found the feed's head:
// from then on every write reaches the open subscriptions.
func (h *Hub) Following() bool {
	h.mu.Lock()
	ready := h.ready
	h.mu.Unlock()
	if ready == nil {
		return false
	}
	select {
	case <-ready:
		return true
	default:
		return false
	}
}

// Subscribers returns how many subscriptions are open.
func (h *Hub) Subscribers() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.subs)
}

// Close ends every subscription and waits for the reader to return.
func (h *Hub) Close() {
	h.mu.Lock()
	h.closed = true
	for s := range h.subs {
		h.drop(s)
	}
	done := h.halt()
	h.mu.Unlock()
	if done != nil {
		<-done
	}
}

// start starts a reader. Callers hold mu.
func (h *Hub) start() {
	ctx, stop := context.WithCancel(context.Background())
	h.gen++
	h.stop, h.ready, h.done = stop, make(chan struct{}), make(chan struct{})
	go h.read(ctx, h.gen, h.ready, h.done)
}

// halt stops the reader and returns the channel closed when it has
// returned, nil when none runs. Callers hold mu.
func (h *Hub) halt() chan struct{} {
	if h.stop == nil {
		return nil
	}
	h.stop()
	done := h.done
	h.stop, h.ready, h.done = nil, nil, nil
	return done
}

// remove ends a subscription; the reader stops with the last one.
func (h *Hub) remove(s *subscription) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.subs[s]; !ok {
		return
	}
	h.drop(s)
	if len(h.subs) == 0 {
		h.halt()
	}
}

// drop ends a registered subscription. Callers hold mu.
func (h *Hub) drop(s *subscription) {
	delete(h.subs, s)
	s.stop()
	close(s.ch)
}

// read follows the feed from its head until ctx ends.
func (h *Hub) read(ctx context.Context, gen uint64, ready, done chan struct{}) {
	defer close(done)
	var cursor uint64
	for delay := 100 * time.Millisecond; ; delay = min(2*delay, 5*time.Second) {
		_, head, err := h.feed.PositionEvents(ctx, 0, 0)
		if err == nil {
			cursor = head
			break
		}
		if ctx.Err() != nil {
			return
		}
		h.o.Logger.Warn("live updates: cannot read the change feed", "error", stancegraph.ErrorMessage(err))
		select {
		case <-ctx.Done():
			return
		case <-time.After(delay):
		}
	}
	close(ready)
	tick := time.NewTicker(h.o.PollInterval)
	defer tick.Stop()
	for {
		woken := h.feed.FeedChanged() // before reading, so no commit slips between
		cursor = h.drain(ctx, gen, cursor)
		select {
		case <-ctx.Done():
			return
		case <-woken:
		case <-tick.C:
		}
	}
}

// drain hands out the events after cursor and returns the new cursor.
func (h *Hub) drain(ctx context.Context, gen, cursor uint64) uint64 {
	for ctx.Err() == nil {
		evs, head, err := h.feed.PositionEvents(ctx, cursor, stancegraph.MaxFeedPage)
		if err != nil {
			if ctx.Err() == nil {
				h.o.Logger.Warn("live updates: cannot read the change feed", "error", stancegraph.ErrorMessage(err))
			}
			return cursor
		}
		if head < cursor { // the feed started over (a wiped database)
			return head
		}
		h.dispatch(gen, evs)
		if len(evs) > 0 {
			cursor = evs[len(evs)-1].Seq
		}
		if len(evs) < stancegraph.MaxFeedPage {
			// Events between cursor and head that were not returned were
			// pruned before this reader got to them.
			return max(cursor, head)
		}
	}
	return cursor
}

func (h *Hub) dispatch(gen uint64, evs []stancegraph.PositionEvent) {
	if len(evs) == 0 {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if gen != h.gen {
		return // a stopped reader
	}
	for i := range evs {
		ev := &evs[i]
		for s := range h.subs {
			if !s.f.match(ev) {
				continue
			}
			select {
			case s.ch <- ev:
			default:
				h.o.Logger.Warn("live updates: a subscriber fell behind; ending its subscription", "buffer", h.o.Buffer)
				h.drop(s)
			}
		}
	}
	if len(h.subs) == 0 {
		h.halt()
	}
}
