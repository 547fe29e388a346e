package server_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"
	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/live"
	"github.com/stancegraph/stancegraph/seed"
	"github.com/stancegraph/stancegraph/server"
	"github.com/stancegraph/stancegraph/store/memstore"
)

type liveServer struct {
	url string
	hub *live.Hub
}

// MustLiveServer serves the bundled seed over HTTP with a hub whose
// subscriptions the test can count.
func MustLiveServer(t *testing.T, o server.Options) *liveServer {
	t.Helper()
	return mustLiveServer(t, o, nil)
}

// mustLiveServer is MustLiveServer; with cfg, it serves the whole server
// (server.NewHTTPServer, its connection timeouts included).
func mustLiveServer(t *testing.T, o server.Options, cfg *server.Config) *liveServer {
	t.Helper()
	s := memstore.OpenMemory()
	t.Cleanup(func() { s.Close() })
	g, err := seed.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := seed.Load(t.Context(), s, g, false); err != nil {
		t.Fatal(err)
	}
	hub := live.New(s, live.Options{})
	t.Cleanup(hub.Close)
	o.WriteTokens, o.Live = []string{token}, hub
	if cfg != nil {
		cfg.GraphQL = o
		return &liveServer{url: "http://" + startHTTPServer(t, s, *cfg) + "/query", hub: hub}
	}
	srv := httptest.NewServer(server.NewGraphQL(s, o))
	t.Cleanup(srv.Close)
	return &liveServer{url: srv.URL + "/query", hub: hub}
}

// waitSubscribers waits until the hub has n subscriptions and, when n > 0,
// follows the feed (a write from then on reaches them).
func (ls *liveServer) waitSubscribers(t *testing.T, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for ls.hub.Subscribers() != n || n > 0 && !ls.hub.Following() {
		if time.Now().After(deadline) {
			t.Fatalf("hub has %d subscriptions, want %d", ls.hub.Subscribers(), n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// record records a position through the API.
func (ls *liveServer) record(t *testing.T, actor, target, quote string) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{
		"query": `mutation($in: PositionInput!) { recordPosition(input: $in) { change } }`,
		"variables": map[string]any{"in": map[string]any{
			"actor": actor, "target": target, "stance": "OPPOSES", "quote": quote,
			"source": "industry-calls-for-us-leadership-in-ai", "statedAt": "2025-12-05"}},
	})
	req, _ := http.NewRequest(http.MethodPost, ls.url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	req.Close = true // no idle connection to count as a leftover goroutine
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Errors []gqlError `json:"errors"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || len(out.Errors) > 0 {
		t.Fatalf("recordPosition: %v %+v", err, out.Errors)
	}
}

type positionEvent struct {
	Change   string `json:"change"`
	Position struct {
		Quote string `json:"quote"`
		Actor struct {
			ID string `json:"id"`
		} `json:"actor"`
	} `json:"position"`
}

const subscription = `subscription($target: ID, $actor: ID) {
  positionChanges(target: $target, actor: $actor) { change position { quote actor { id } } }
}`

// dialLive opens a graphql-transport-ws connection and initialises it.
func dialLive(t *testing.T, ls *liveServer, init map[string]any) (*websocket.Conn, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	c, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(ls.url, "http"),
		&websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.CloseNow() })
	payload, _ := json.Marshal(init)
	if err := wsjson.Write(ctx, c, wsMessage{Type: "connection_init", Payload: payload}); err != nil {
		t.Fatal(err)
	}
	var ack wsMessage
	if err := wsjson.Read(ctx, c, &ack); err != nil {
		return nil, err
	}
	if ack.Type != "connection_ack" {
		t.Fatalf("got %s, want connection_ack", ack.Type)
	}
	return c, nil
}

func wsSubscribe(t *testing.T, c *websocket.Conn, id string, vars map[string]any) {
	t.Helper()
	payload, _ := json.Marshal(map[string]any{"query": subscription, "variables": vars})
	if err := wsjson.Write(t.Context(), c, wsMessage{ID: id, Type: "subscribe", Payload: payload}); err != nil {
		t.Fatal(err)
	}
}

func wsNext(t *testing.T, c *websocket.Conn) wsMessage {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	for {
		var m wsMessage
		if err := wsjson.Read(ctx, c, &m); err != nil {
			t.Fatalf("reading the next message: %v", err)
		}
		if m.Type != "ping" && m.Type != "pong" {
			return m
		}
	}
}

func eventOf(t *testing.T, payload json.RawMessage) positionEvent {
	t.Helper()
	var p struct {
		Data struct {
			PositionChanges positionEvent `json:"positionChanges"`
		} `json:"data"`
		Errors []gqlError `json:"errors"`
	}
	if err := json.Unmarshal(payload, &p); err != nil || len(p.Errors) > 0 {
		t.Fatalf("event payload %s: %v", payload, err)
	}
	return p.Data.PositionChanges
}

func TestSubscription_WebSocket(t *testing.T) {
	ls := MustLiveServer(t, server.Options{})
	before := runtime.NumGoroutine()
	c, err := dialLive(t, ls, nil)
	if err != nil {
		t.Fatal(err)
	}
	wsSubscribe(t, c, "1", map[string]any{"target": "trusted-partner-designation"})
	ls.waitSubscribers(t, 1)

	ls.record(t, "openai", "american-ai-exports-program", "not for this subscription")
	ls.record(t, "anthropic", "trusted-partner-designation", "Anthropic backs it.")
	m := wsNext(t, c)
	if m.Type != "next" || m.ID != "1" {
		t.Fatalf("got %+v, want a next message of subscription 1", m)
	}
	got := eventOf(t, m.Payload)
	if got.Change != "CREATED" || got.Position.Quote != "Anthropic backs it." || got.Position.Actor.ID != "anthropic" {
		t.Fatalf("event = %+v, want anthropic's new position on the target", got)
	}

	// The client leaves: the subscription ends and nothing lingers.
	if err := wsjson.Write(t.Context(), c, wsMessage{ID: "1", Type: "complete"}); err != nil {
		t.Fatal(err)
	}
	ls.waitSubscribers(t, 0)
	c.Close(websocket.StatusNormalClosure, "")
	waitGoroutines(t, before)
}

func TestSubscription_WebSocketFilters(t *testing.T) {
	ls := MustLiveServer(t, server.Options{})
	c, err := dialLive(t, ls, nil)
	if err != nil {
		t.Fatal(err)
	}
	wsSubscribe(t, c, "actor", map[string]any{"actor": "openai"})
	wsSubscribe(t, c, "both", map[string]any{"actor": "anthropic", "target": "trusted-partner-designation"})
	ls.waitSubscribers(t, 2)
	ls.record(t, "anthropic", "american-ai-exports-program", "first")  // neither
	ls.record(t, "anthropic", "trusted-partner-designation", "second") // both
	ls.record(t, "openai", "american-ai-exports-program", "third")     // actor
	got := map[string]string{}
	for range 2 {
		m := wsNext(t, c)
		got[m.ID] = eventOf(t, m.Payload).Position.Quote
	}
	if got["actor"] != "third" || got["both"] != "second" {
		t.Fatalf("events by subscription = %v, want actor: third, both: second", got)
	}
}

func TestSubscription_SSE(t *testing.T) {
	ls := MustLiveServer(t, server.Options{})
	before := runtime.NumGoroutine()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	resp := sse(t, ctx, ls, "", map[string]any{"actor": "anthropic"})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	ls.waitSubscribers(t, 1)
	ls.record(t, "openai", "trusted-partner-designation", "filtered out")
	ls.record(t, "anthropic", "trusted-partner-designation", "Over SSE.")
	lines := bufio.NewScanner(resp.Body)
	var event, data string
	for data == "" && lines.Scan() {
		line := lines.Text()
		switch {
		case strings.HasPrefix(line, "event: "):
			event = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: ") && event == "next":
			data = strings.TrimPrefix(line, "data: ")
		}
	}
	if data == "" {
		t.Fatalf("no next event: %v", lines.Err())
	}
	if got := eventOf(t, json.RawMessage(data)); got.Change != "CREATED" || got.Position.Quote != "Over SSE." {
		t.Fatalf("event = %+v, want anthropic's new position", got)
	}
	cancel() // the client leaves
	resp.Body.Close()
	ls.waitSubscribers(t, 0)
	waitGoroutines(t, before)
}

// sse posts a subscription with Accept: text/event-stream.
func sse(t *testing.T, ctx context.Context, ls *liveServer, bearer string, vars map[string]any) *http.Response {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": subscription, "variables": vars})
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, ls.url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "text/event-stream")
	req.Close = true
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func TestSubscription_ReadToken(t *testing.T) {
	ls := MustLiveServer(t, server.Options{ReadTokens: []string{readToken}})
	t.Run("SSEWithoutToken", func(t *testing.T) {
		if resp := sse(t, t.Context(), ls, "", nil); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("status %d, want 401", resp.StatusCode)
		}
		if ls.hub.Subscribers() != 0 {
			t.Fatal("a refused request subscribed")
		}
	})
	t.Run("SSEWithReadToken", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		if resp := sse(t, ctx, ls, readToken, nil); resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d, want 200", resp.StatusCode)
		}
		ls.waitSubscribers(t, 1)
		cancel()
		ls.waitSubscribers(t, 0)
	})
	t.Run("WebSocketWithoutToken", func(t *testing.T) {
		if _, err := dialLive(t, ls, nil); err == nil {
			t.Fatal("connection acknowledged without a token")
		}
	})
	t.Run("WebSocketWithReadToken", func(t *testing.T) {
		c, err := dialLive(t, ls, map[string]any{"Authorization": "Bearer " + readToken})
		if err != nil {
			t.Fatal(err)
		}
		wsSubscribe(t, c, "1", nil)
		ls.waitSubscribers(t, 1)
	})
}

func TestSubscription_Limits(t *testing.T) {
	ls := MustLiveServer(t, server.Options{MaxSubscriptionsPerConnection: 1})
	c, err := dialLive(t, ls, nil)
	if err != nil {
		t.Fatal(err)
	}
	wsSubscribe(t, c, "1", nil)
	ls.waitSubscribers(t, 1)
	wsSubscribe(t, c, "2", nil)
	m := wsNext(t, c)
	if m.Type != "error" && !(m.Type == "next" && bytes.Contains(m.Payload, []byte("UNAVAILABLE"))) {
		t.Fatalf("second subscription on a connection of one: got %s %s, want an error", m.Type, m.Payload)
	}
	if !bytes.Contains(m.Payload, []byte("at most 1 subscriptions")) {
		t.Fatalf("error %s does not name the limit", m.Payload)
	}
	if n := ls.hub.Subscribers(); n != 1 {
		t.Fatalf("%d subscriptions, want 1", n)
	}
}

func TestSubscription_InvalidID(t *testing.T) {
	ls := MustLiveServer(t, server.Options{})
	c, err := dialLive(t, ls, nil)
	if err != nil {
		t.Fatal(err)
	}
	wsSubscribe(t, c, "1", map[string]any{"actor": "OpenAI"})
	m := wsNext(t, c)
	if !bytes.Contains(m.Payload, []byte(stancegraph.EINVALID)) || !bytes.Contains(m.Payload, []byte(`did you mean \"openai\"`)) {
		t.Fatalf("got %s %s, want INVALID suggesting openai", m.Type, m.Payload)
	}
}

// waitGoroutines waits for the goroutines started since before to end.
func waitGoroutines(t *testing.T, before int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			t.Fatalf("%d goroutines, %d before the subscription:\n%s", runtime.NumGoroutine(), before, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// A subscription outlives the operation timeout and the connection's
// write timeout: it waits for events as long as its client stays.
func TestSubscription_OutlivesTimeouts(t *testing.T) {
	ls := mustLiveServer(t, server.Options{Timeout: 200 * time.Millisecond},
		&server.Config{WriteTimeout: 400 * time.Millisecond, ReadTimeout: 400 * time.Millisecond})
	t.Run("SSE", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		resp := sse(t, ctx, ls, "", map[string]any{"actor": "anthropic"})
		ls.waitSubscribers(t, 1)
		time.Sleep(time.Second) // past both timeouts
		ls.record(t, "anthropic", "trusted-partner-designation", "After a quiet second.")
		lines := bufio.NewScanner(resp.Body)
		for lines.Scan() {
			if d, ok := strings.CutPrefix(lines.Text(), "data: "); ok {
				if got := eventOf(t, json.RawMessage(d)); got.Position.Quote != "After a quiet second." {
					t.Fatalf("event %+v", got)
				}
				return
			}
		}
		t.Fatalf("the stream ended without the event: %v", lines.Err())
	})
	t.Run("WebSocket", func(t *testing.T) {
		c, err := dialLive(t, ls, nil)
		if err != nil {
			t.Fatal(err)
		}
		wsSubscribe(t, c, "1", map[string]any{"actor": "anthropic"})
		ls.waitSubscribers(t, 1)
		time.Sleep(time.Second)
		ls.record(t, "anthropic", "american-ai-exports-program", "Later, over WebSocket.")
		if got := eventOf(t, wsNext(t, c).Payload); got.Position.Quote != "Later, over WebSocket." {
			t.Fatalf("event %+v", got)
		}
	})
}

// Queries sent one after the other over one WebSocket connection each read
// the store afresh: the connection is not a request, so neither the read
// plan nor the loaders' cache carry over from one operation to the next.
func TestWebSocket_QueriesReadFresh(t *testing.T) {
	ls := MustLiveServer(t, server.Options{})
	c, err := dialLive(t, ls, nil)
	if err != nil {
		t.Fatal(err)
	}
	ask := func(id, query string) string {
		t.Helper()
		payload, _ := json.Marshal(map[string]any{"query": query})
		if err := wsjson.Write(t.Context(), c, wsMessage{ID: id, Type: "subscribe", Payload: payload}); err != nil {
			t.Fatal(err)
		}
		m := wsNext(t, c)
		if m.Type != "next" || m.ID != id {
			t.Fatalf("got %+v, want the answer to %s", m, id)
		}
		if done := wsNext(t, c); done.Type != "complete" || done.ID != id {
			t.Fatalf("got %+v after the answer, want complete %s", done, id)
		}
		return string(m.Payload)
	}
	const q = `{ proposal(id: %q) { id positions(first: 1) { totalCount } } actor(id: "anthropic") { name } }`
	first := ask("1", fmt.Sprintf(q, "trusted-partner-designation"))
	if !strings.Contains(first, `"id":"trusted-partner-designation"`) {
		t.Fatalf("first answer %s, want the trusted-partner designation", first)
	}
	ls.record(t, "anthropic", "trusted-partner-designation", "Anthropic backs it again.")
	second := ask("2", fmt.Sprintf(q, "democratic-ai-standards"))
	if !strings.Contains(second, `"id":"democratic-ai-standards"`) {
		t.Fatalf("second answer %s, want the proposal it names, not the first one's", second)
	}
	third := ask("3", fmt.Sprintf(q, "trusted-partner-designation"))
	if third == first {
		t.Fatalf("third answer %s is the first one's: the new position is not counted", third)
	}
}
