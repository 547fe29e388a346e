package e2e_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/internal/neo4jtest"
	"github.com/stancegraph/stancegraph/live"
	"github.com/stancegraph/stancegraph/seed"
	"github.com/stancegraph/stancegraph/server"
	"github.com/stancegraph/stancegraph/store/neo4jstore"
)

// liveInstance is one server on the shared test Neo4j, with its own store
// (driver) and hub, as a second process would have.
type liveInstance struct {
	url   string
	hub   *live.Hub
	store stancegraph.Store
}

func newLiveInstance(t *testing.T, poll time.Duration) *liveInstance {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	s, err := neo4jstore.Open(ctx, neo4jstore.Config{URI: neo4jtest.URI(),
		Username: os.Getenv("STANCEGRAPH_NEO4J_USER"), Password: os.Getenv("STANCEGRAPH_NEO4J_PASSWORD")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	hub := live.New(s, live.Options{PollInterval: poll, Logger: log})
	t.Cleanup(hub.Close)
	srv := httptest.NewServer(server.New(s, server.Config{Logger: log,
		GraphQL: server.Options{WriteTokens: []string{"w"}, Live: hub}}))
	t.Cleanup(srv.Close)
	return &liveInstance{url: srv.URL, hub: hub, store: s}
}

// TestLive_Neo4jAcrossInstances: a write through server A, and an import
// by a loader with its own connection, reach a subscriber of server B
// within 2 s, through the change feed in the database.
func TestLive_Neo4jAcrossInstances(t *testing.T) {
	neo4jtest.Require(t)
	neo4jtest.Lock(t)
	neo4jtest.Wipe(t)
	a := newLiveInstance(t, live.DefaultPollInterval)
	b := newLiveInstance(t, live.DefaultPollInterval)
	g, err := seed.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := seed.Load(t.Context(), a.store, g, false); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	body, _ := json.Marshal(map[string]any{"query": `subscription {
		positionChanges(target: "trusted-partner-designation") { change position { quote actor { id } } } }`})
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, b.url+"/query", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "text/event-stream")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	deadline := time.Now().Add(10 * time.Second)
	// Open, and counting from the feed's head: a write from now on reaches it.
	for b.hub.Subscribers() != 1 || !b.hub.Following() {
		if time.Now().After(deadline) {
			t.Fatal("the subscription did not open on B")
		}
		time.Sleep(10 * time.Millisecond)
	}
	events := make(chan string, 4)
	go func() {
		lines := bufio.NewScanner(resp.Body)
		for lines.Scan() {
			if d, ok := strings.CutPrefix(lines.Text(), "data: "); ok {
				events <- d
			}
		}
		close(events)
	}()
	next := func(t *testing.T, want string, start time.Time) {
		t.Helper()
		select {
		case d, ok := <-events:
			if !ok {
				t.Fatal("the stream ended")
			}
			took := time.Since(start)
			if !strings.Contains(d, want) {
				t.Fatalf("event %s, want it to contain %s", d, want)
			}
			t.Logf("event reached B %v after the write", took.Round(time.Millisecond))
			if took > 2*time.Second {
				t.Fatalf("the event took %v, want at most 2s", took)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("no event on B within 5s (want %s)", want)
		}
	}

	t.Run("WriteThroughA", func(t *testing.T) {
		start := time.Now()
		w, _ := json.Marshal(map[string]any{"query": `mutation { recordPosition(input: {actor: "anthropic",
			target: "trusted-partner-designation", stance: OPPOSES, quote: "Written through A.",
			source: "industry-calls-for-us-leadership-in-ai", statedAt: "2025-12-05"}) { change } }`})
		wr, _ := http.NewRequest(http.MethodPost, a.url+"/query", bytes.NewReader(w))
		wr.Header.Set("Content-Type", "application/json")
		wr.Header.Set("Authorization", "Bearer w")
		wresp, err := http.DefaultClient.Do(wr)
		if err != nil {
			t.Fatal(err)
		}
		out, _ := io.ReadAll(wresp.Body)
		wresp.Body.Close()
		if !bytes.Contains(out, []byte("CREATED")) {
			t.Fatalf("recordPosition through A: %s", out)
		}
		next(t, `"Written through A."`, start)
	})
	t.Run("RetractByALoader", func(t *testing.T) {
		loader := newLiveInstance(t, live.DefaultPollInterval) // its own connection, as `stancegraph import` has
		id := stancegraph.PositionID("anthropic", "trusted-partner-designation", stancegraph.Opposes, "industry-calls-for-us-leadership-in-ai")
		start := time.Now()
		if err := loader.store.RetractPosition(t.Context(), id); err != nil {
			t.Fatal(err)
		}
		next(t, `{"change":"RETRACTED","position":{"quote":"Written through A."`, start)
	})
	cancel()
	deadline = time.Now().Add(5 * time.Second)
	for b.hub.Subscribers() != 0 {
		if time.Now().After(deadline) {
			t.Fatal("the subscription outlived its client")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
