package stancegraph

import (
	"context"
	"io"
)

// PositionChange says what happened to a position.
type PositionChange string

const (
	PositionCreated   PositionChange = "CREATED"
	PositionUpdated   PositionChange = "UPDATED"
	PositionRetracted PositionChange = "RETRACTED"
)

// PositionChanges lists every position change.
var PositionChanges = enumValues[PositionChange]{PositionCreated, PositionUpdated, PositionRetracted}

// Valid reports whether c is a known change.
func (c PositionChange) Valid() bool { return PositionChanges.has(c) }

func (c PositionChange) MarshalGQL(w io.Writer) { writeQuoted(w, string(c)) }
func (c *PositionChange) UnmarshalGQL(v any) (err error) {
	*c, err = PositionChanges.parse("PositionChange", v)
	return err
}

// positionChangeOf is the event change of a write's Change; Unchanged
// writes make no event.
func positionChangeOf(c Change) (PositionChange, bool) {
	switch c {
	case Created:
		return PositionCreated, true
	case Updated:
		return PositionUpdated, true
	}
	return "", false
}

// PositionEventOf returns the event of a committed position write, false
// when the write changed nothing.
func PositionEventOf(c Change, p *Position) (PositionEvent, bool) {
	pc, ok := positionChangeOf(c)
	if !ok {
		return PositionEvent{}, false
	}
	cp := *p
	return PositionEvent{Change: pc, Position: &cp}, true
}

// PositionEvent is one committed change of a position, as the change feed
// reports it.
type PositionEvent struct {
	// Seq orders the events of a store: every committed change has a
	// higher Seq than the changes committed before it.
	Seq    uint64
	Change PositionChange
	// Position is the position after the change; for PositionRetracted,
	// the position as it was.
	Position *Position
}

// MaxFeedPage bounds the events one PositionEvents call returns.
const MaxFeedPage = 1000

// ChangeFeed is the feed of committed position changes a store keeps, so
// that subscribers (of this process and, for a shared database, of others)
// learn about writes. Both methods are part of Store.
type ChangeFeed interface {
	// PositionEvents returns the events with a Seq above after, oldest
	// first, at most limit (1..MaxFeedPage, else EINVALID), and head, the
	// Seq of the newest event committed. Stores keep a bounded history:
	// events older than it are gone, so a reader that fell behind resumes
	// at the oldest kept. limit 0 returns no events, only head.
	PositionEvents(ctx context.Context, after uint64, limit int) (events []PositionEvent, head uint64, err error)

	// FeedChanged returns a channel closed at the next commit of an event
	// by this process, to wake readers up without polling. Writes by other
	// processes (other servers on a shared database) are found by polling
	// PositionEvents.
	FeedChanged() <-chan struct{}
}

// CheckFeedLimit returns EINVALID for a PositionEvents limit outside
// 0..MaxFeedPage.
func CheckFeedLimit(limit int) error {
	if limit < 0 || limit > MaxFeedPage {
		return FieldErrorf("limit", "limit must be between 0 and %d, not %d", MaxFeedPage, limit)
	}
	return nil
}
