package neo4jstore

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/stancegraph/stancegraph"
)

// The change feed lives in the database, so that every server on it sees
// every writer's changes: a (:ChangeFeed {name: 'positions'}) node holds
// the sequence of the last event, and each position change is a
// (:PositionEvent) node with its seq (indexed), change, the position's id,
// actor and target, and the whole position at the time (as JSON). A write bumps
// the sequence in its own transaction, which locks the feed node until it
// commits, so events become visible in seq order and a reader that polls
// "seq > last seen" misses none. Writers prune events older than the last
// feedKeep.

// feedKeep is how many events the database keeps for readers that fall
// behind.
const feedKeep = 4096

// notifier wakes this process's feed readers at each commit of an event.
type notifier struct {
	mu sync.Mutex
	ch chan struct{}
}

func (n *notifier) wait() <-chan struct{} {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.ch == nil {
		n.ch = make(chan struct{})
	}
	return n.ch
}

func (n *notifier) notify() {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.ch != nil {
		close(n.ch)
		n.ch = nil
	}
}

// FeedChanged returns a channel closed at the next commit of an event by
// this store; other processes' events are found by polling.
func (s *Store) FeedChanged() <-chan struct{} { return s.feedNotifier.wait() }

// eventRow is the parameter row of one event. The position is kept whole,
// as its JSON, so that an event carries every field a position has.
func eventRow(change stancegraph.PositionChange, p *stancegraph.Position) map[string]any {
	data, _ := json.Marshal(p) // a Position always encodes
	return map[string]any{
		"change": string(change), "id": p.ID, "actor": p.ActorID, "target": p.TargetID, "position": string(data),
	}
}

// logEvents appends events (rows of eventRow) to the feed in tx and prunes
// as many of the oldest beyond feedKeep.
func (s *Store) logEvents(ctx context.Context, tx neo4j.ManagedTransaction, rows []any) error {
	if len(rows) == 0 {
		return nil
	}
	if len(rows) > feedKeep { // only the last feedKeep would be kept
		rows = rows[len(rows)-feedKeep:]
	}
	_, err := s.collect(ctx, tx, `
		MERGE (f:ChangeFeed {name: 'positions'}) ON CREATE SET f.seq = 0
		SET f.seq = f.seq + size($rows)
		WITH f, f.seq - size($rows) AS base
		UNWIND range(0, size($rows) - 1) AS i
		CREATE (e:PositionEvent)
		SET e = $rows[i], e.seq = base + i + 1
		WITH DISTINCT f
		OPTIONAL MATCH (old:PositionEvent) WHERE old.seq <= f.seq - $keep
		WITH old LIMIT $prune
		DELETE old
		RETURN count(*)`,
		map[string]any{"rows": rows, "keep": feedKeep, "prune": len(rows) + 64})
	return err
}

// PositionEvents returns the kept events after the given sequence.
func (s *Store) PositionEvents(ctx context.Context, after uint64, limit int) ([]stancegraph.PositionEvent, uint64, error) {
	if err := stancegraph.CheckFeedLimit(limit); err != nil {
		return nil, 0, err
	}
	var (
		out  []stancegraph.PositionEvent
		head uint64
	)
	err := s.read(ctx, "read the change feed", func(tx neo4j.ManagedTransaction) error {
		out, head = nil, 0
		recs, err := s.collect(ctx, tx, `OPTIONAL MATCH (f:ChangeFeed {name: 'positions'}) RETURN coalesce(f.seq, 0)`, nil)
		if err != nil {
			return err
		}
		head = uint64(integer(recs[0].Values[0]))
		if limit == 0 {
			return nil
		}
		recs, err = s.collect(ctx, tx, `
			MATCH (e:PositionEvent) WHERE e.seq > $after AND e.seq <= $head
			RETURN e.seq, e.change, e.position
			ORDER BY e.seq LIMIT $limit`,
			map[string]any{"after": int64(after), "head": int64(head), "limit": limit})
		if err != nil {
			return err
		}
		for _, r := range recs {
			v := r.Values
			p := new(stancegraph.Position)
			if err := json.Unmarshal([]byte(str(v[2])), p); err != nil {
				return fmt.Errorf("change feed event %d: %w", integer(v[0]), err)
			}
			out = append(out, stancegraph.PositionEvent{
				Seq: uint64(integer(v[0])), Change: stancegraph.PositionChange(str(v[1])), Position: p,
			})
		}
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	return out, head, nil
}
