package graph

import (
	"testing"
	"time"
)

// Loaders wait to batch until the store's reads prove cheaper than the
// wait, and go back to waiting when they grow dear again.
func TestFetchCost_WaitFollowsTheStore(t *testing.T) {
	c := newFetchCost()
	if got := c.wait(); got != loaderWait {
		t.Fatalf("new: wait %v, want %v: a new handler batches", got, loaderWait)
	}
	for range 50 {
		c.observe(5 * time.Microsecond) // the embedded store
	}
	if got := c.wait(); got != 0 {
		t.Errorf("after cheap fetches: wait %v, want 0", got)
	}
	for range 50 {
		c.observe(800 * time.Microsecond) // a round trip to Neo4j
	}
	if got := c.wait(); got != loaderWait {
		t.Errorf("after dear fetches: wait %v, want %v", got, loaderWait)
	}
}
