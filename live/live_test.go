package live_test

import (
	"context"
	"testing"
	"time"

	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/live"
	"github.com/stancegraph/stancegraph/store/memstore"
	"github.com/stancegraph/stancegraph/store/storetest"
)

func mustStore(t *testing.T) stancegraph.Store {
	t.Helper()
	s := memstore.OpenMemory()
	t.Cleanup(func() { s.Close() })
	if _, err := s.Import(t.Context(), storetest.Fixture()); err != nil {
		t.Fatal(err)
	}
	return s
}

func position(quote string) *stancegraph.Position {
	return &stancegraph.Position{ActorID: "anthropic", TargetID: "trusted-partner-designation", Stance: stancegraph.Supports,
		SourceID: "news-article", StatedAt: "2025-12-05", Quote: quote}
}

func receive(t *testing.T, ch <-chan *stancegraph.PositionEvent) *stancegraph.PositionEvent {
	t.Helper()
	select {
	case ev, ok := <-ch:
		if !ok {
			t.Fatal("the subscription ended")
		}
		return ev
	case <-time.After(5 * time.Second):
		t.Fatal("no event within 5s")
	}
	return nil
}

func TestHub_Subscribe(t *testing.T) {
	s := mustStore(t)
	h := live.New(s, live.Options{PollInterval: time.Hour}) // the store's commits wake it
	t.Cleanup(h.Close)
	ctx, cancel := context.WithCancel(t.Context())
	all, err := h.Subscribe(ctx, live.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	other, err := h.Subscribe(t.Context(), live.Filter{ActorID: "openai"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.RecordPosition(t.Context(), position("one")); err != nil {
		t.Fatal(err)
	}
	if ev := receive(t, all); ev.Change != stancegraph.PositionCreated || ev.Position.Quote != "one" {
		t.Fatalf("event %v %+v, want CREATED one", ev.Change, ev.Position)
	}
	select {
	case ev := <-other:
		t.Fatalf("a subscription for openai got %+v", ev.Position)
	default:
	}
	cancel()
	if _, ok := <-all; ok {
		t.Fatal("the subscription stayed open after its context ended")
	}
	if n := h.Subscribers(); n != 1 {
		t.Fatalf("%d subscriptions, want 1", n)
	}
	h.Close()
	if _, ok := <-other; ok {
		t.Fatal("Close left a subscription open")
	}
	if _, err := h.Subscribe(t.Context(), live.Filter{}); stancegraph.ErrorCode(err) != stancegraph.EUNAVAILABLE {
		t.Fatalf("Subscribe after Close: %v, want UNAVAILABLE", err)
	}
}

func TestHub_MaxSubscribers(t *testing.T) {
	h := live.New(mustStore(t), live.Options{MaxSubscribers: 2})
	t.Cleanup(h.Close)
	for range 2 {
		if _, err := h.Subscribe(t.Context(), live.Filter{}); err != nil {
			t.Fatal(err)
		}
	}
	_, err := h.Subscribe(t.Context(), live.Filter{})
	if stancegraph.ErrorCode(err) != stancegraph.EUNAVAILABLE {
		t.Fatalf("third subscription: %v, want UNAVAILABLE", err)
	}
}

func TestHub_SlowSubscriberEnds(t *testing.T) {
	s := mustStore(t)
	h := live.New(s, live.Options{Buffer: 2})
	t.Cleanup(h.Close)
	slow, err := h.Subscribe(t.Context(), live.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if _, err := s.RecordPosition(t.Context(), position(string(rune('a'+i)))); err != nil {
			t.Fatal(err)
		}
	}
	// Nobody reads: the third event overflows the buffer.
	deadline := time.Now().Add(5 * time.Second)
	for h.Subscribers() != 0 {
		if time.Now().After(deadline) {
			t.Fatal("the slow subscription is still registered")
		}
		time.Sleep(5 * time.Millisecond)
	}
	n := 0
	for range slow {
		n++
	}
	if n != 2 {
		t.Fatalf("a subscriber with a buffer of 2 got %d events before it ended, want 2", n)
	}
}
