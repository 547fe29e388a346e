package storetest

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stancegraph/stancegraph"
)

// testChangeFeed pins down PositionEvents and FeedChanged: every committed
// position change is one event, in commit order, with increasing Seq;
// RETRACTED events carry the position as it was; writes that change
// nothing make no event; FeedChanged wakes at the next event.
func testChangeFeed(t *testing.T, h *harness) {
	type ev struct {
		Change stancegraph.PositionChange
		ID     string
		Quote  string
	}
	events := func(t *testing.T, s stancegraph.Store, after uint64) ([]ev, uint64) {
		t.Helper()
		got, head, err := s.PositionEvents(t.Context(), after, stancegraph.MaxFeedPage)
		mustOK(t, err)
		var out []ev
		last := after
		for _, e := range got {
			if e.Seq <= last {
				t.Fatalf("event seq %d after %d: not increasing", e.Seq, last)
			}
			last = e.Seq
			if e.Position == nil {
				t.Fatalf("event %d has no position", e.Seq)
			}
			out = append(out, ev{e.Change, e.Position.ID, e.Position.Quote})
		}
		if last != head {
			t.Fatalf("head = %d, want the last event's seq %d", head, last)
		}
		return out, head
	}

	t.Run("Writes", func(t *testing.T) {
		s := h.fixture(t)
		_, start := events(t, s, 0)

		woken := s.FeedChanged()
		p := newPosition()
		_, err := s.RecordPosition(t.Context(), p)
		mustOK(t, err)
		select {
		case <-woken:
		case <-time.After(5 * time.Second):
			t.Fatal("FeedChanged did not wake at a recorded position")
		}
		_, err = s.RecordPosition(t.Context(), p) // unchanged: no event
		mustOK(t, err)
		q := *p
		q.Quote = "a changed quote"
		_, err = s.RecordPosition(t.Context(), &q)
		mustOK(t, err)
		mustOK(t, s.RetractPosition(t.Context(), p.ID))

		// Events carry the whole position, every field as recorded.
		all, _, err := s.PositionEvents(t.Context(), start, stancegraph.MaxFeedPage)
		mustOK(t, err)
		if len(all) == 3 {
			if diff := cmp.Diff(all[0].Position, p); diff != "" {
				t.Fatalf("CREATED event's position (-got +want):\n%s", diff)
			}
			q.ID, q.Strength = p.ID, p.Strength
			if diff := cmp.Diff(all[2].Position, &q); diff != "" {
				t.Fatalf("RETRACTED event's position (-got +want):\n%s", diff)
			}
		}
		got, _ := events(t, s, start)
		want := []ev{
			{stancegraph.PositionCreated, p.ID, p.Quote},
			{stancegraph.PositionUpdated, p.ID, q.Quote},
			{stancegraph.PositionRetracted, p.ID, q.Quote}, // as it was
		}
		if diff := cmp.Diff(got, want); diff != "" {
			t.Fatalf("events (-got +want):\n%s", diff)
		}
	})

	t.Run("CreatedThenUpdated", func(t *testing.T) {
		s := h.fixture(t)
		_, start := events(t, s, 0)
		p := newPosition()
		_, err := s.RecordPosition(t.Context(), p)
		mustOK(t, err)
		got, mid := events(t, s, start)
		if diff := cmp.Diff(got, []ev{{stancegraph.PositionCreated, p.ID, p.Quote}}); diff != "" {
			t.Fatalf("events after a new position (-got +want):\n%s", diff)
		}
		p.Quote = "said again, differently"
		_, err = s.RecordPosition(t.Context(), p)
		mustOK(t, err)
		got, _ = events(t, s, mid)
		if diff := cmp.Diff(got, []ev{{stancegraph.PositionUpdated, p.ID, p.Quote}}); diff != "" {
			t.Fatalf("events after an update (-got +want):\n%s", diff)
		}
	})

	t.Run("ImportAndDeleteEntity", func(t *testing.T) {
		s := h.newStore(t)
		_, start := events(t, s, 0)
		if _, err := s.Import(t.Context(), Fixture()); err != nil {
			t.Fatal(err)
		}
		got, mid := events(t, s, start)
		if len(got) != len(fixturePositions()) {
			t.Fatalf("an import of %d positions made %d events: %+v", len(fixturePositions()), len(got), got)
		}
		for _, e := range got {
			if e.Change != stancegraph.PositionCreated {
				t.Fatalf("import event %+v, want CREATED", e)
			}
		}
		if _, err := s.Import(t.Context(), Fixture()); err != nil { // unchanged
			t.Fatal(err)
		}
		mustOK(t, s.DeleteEntity(t.Context(), "mistral-ai"))
		got, _ = events(t, s, mid)
		p := fixturePosition("mistral-ai", "trusted-partner-designation", stancegraph.Opposes, "news-article")
		if diff := cmp.Diff(got, []ev{{stancegraph.PositionRetracted, p.ID, p.Quote}}); diff != "" {
			t.Fatalf("events after deleting an actor (-got +want):\n%s", diff)
		}
	})

	t.Run("Paging", func(t *testing.T) {
		s := h.fixture(t)
		all, head := events(t, s, 0)
		first, h1, err := s.PositionEvents(t.Context(), 0, 2)
		mustOK(t, err)
		if h1 != head || len(first) != min(2, len(all)) {
			t.Fatalf("PositionEvents(0, 2) = %d events, head %d; want %d, head %d", len(first), h1, min(2, len(all)), head)
		}
		none, h2, err := s.PositionEvents(t.Context(), head, 0)
		mustOK(t, err)
		if len(none) != 0 || h2 != head {
			t.Fatalf("PositionEvents(head, 0) = %d events, head %d; want none, head %d", len(none), h2, head)
		}
	})

	t.Run("ErrLimit", func(t *testing.T) {
		s := h.newStore(t)
		for _, limit := range []int{-1, stancegraph.MaxFeedPage + 1} {
			_, _, err := s.PositionEvents(t.Context(), 0, limit)
			wantCode(t, err, stancegraph.EINVALID)
		}
	})
}
