package server_test

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"
	"github.com/stancegraph/stancegraph/server"
	"github.com/stancegraph/stancegraph/store/memstore"
)

// privateServer is a server with a read and a write token.
func privateServer(t *testing.T) *httptest.Server {
	t.Helper()
	s := memstore.OpenMemory()
	t.Cleanup(func() { s.Close() })
	ts := httptest.NewServer(server.New(s, server.Config{GraphQL: server.Options{WriteTokens: []string{"w"}, ReadTokens: []string{"r"}}}))
	t.Cleanup(ts.Close)
	return ts
}

// TestAuth_NoBypassByHeaders is attack 1: a POST with Accept:
// text/event-stream and an Upgrade header, no token, got data.
func TestAuth_NoBypassByHeaders(t *testing.T) {
	ts := privateServer(t)
	for _, c := range []struct{ name, method, accept, upgrade string }{
		{"SSEWithUpgrade", http.MethodPost, "text/event-stream", "websocket"},
		{"SSE", http.MethodPost, "text/event-stream", ""},
		{"PostWithUpgrade", http.MethodPost, "application/json", "h2c"},
		{"GetWithUpgradeNoKey", http.MethodGet, "application/json", "websocket"},
	} {
		t.Run(c.name, func(t *testing.T) {
			url := ts.URL + "/query"
			var body *strings.Reader
			if c.method == http.MethodGet {
				url += "?query=%7B__typename%7D"
				body = strings.NewReader("")
			} else {
				body = strings.NewReader(`{"query":"{ actors { totalCount } }"}`)
			}
			req, _ := http.NewRequest(c.method, url, body)
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Accept", c.accept)
			if c.upgrade != "" {
				req.Header.Set("Upgrade", c.upgrade)
				req.Header.Set("Connection", "Upgrade")
			}
			resp, text := send(t, req)
			if resp.StatusCode != http.StatusUnauthorized || strings.Contains(text, "totalCount") {
				t.Fatalf("got %d %s, want 401 without data", resp.StatusCode, text)
			}
		})
	}
}

// sseEvents reads an SSE response to its end (or until d passes) and
// returns its events' names and data.
func sseEvents(t *testing.T, ts *httptest.Server, query, token string, d time.Duration) (events []string, data []string, ended bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	body, _ := json.Marshal(map[string]string{"query": query})
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, ts.URL+"/query", strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "text/event-stream")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line := sc.Text()
		if e, ok := strings.CutPrefix(line, "event: "); ok {
			events = append(events, e)
		}
		if v, ok := strings.CutPrefix(line, "data: "); ok {
			data = append(data, v)
		}
		if len(events) > 100 {
			return events, data, false
		}
	}
	return events, data, ctx.Err() == nil
}

// TestSSE_RefusedMutationEnds is attack 3 over SSE: a mutation without a
// write token streamed its error forever.
func TestSSE_RefusedMutationEnds(t *testing.T) {
	ts := privateServer(t)
	events, data, ended := sseEvents(t, ts, `mutation { deleteNode(id: "x") }`, "r", 5*time.Second)
	if !ended {
		t.Fatalf("the stream did not end: %d events", len(events))
	}
	if strings.Join(events, ",") != "next,complete" || len(data) != 1 || !strings.Contains(data[0], "FORBIDDEN") {
		t.Fatalf("got events %q data %q, want one FORBIDDEN error then complete", events, data)
	}
	// A query is answered once and completes too.
	events, data, ended = sseEvents(t, ts, `{ __typename }`, "r", 5*time.Second)
	if !ended || strings.Join(events, ",") != "next,complete" || !strings.Contains(data[0], "Query") {
		t.Fatalf("query: got events %q data %q ended %v", events, data, ended)
	}
}

type wsMessage struct {
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// dialWS opens a graphql-transport-ws connection with the given header
// token and connection_init payload.
func dialWS(t *testing.T, ctx context.Context, ts *httptest.Server, headerToken string, initPayload map[string]any) *websocket.Conn {
	t.Helper()
	h := http.Header{}
	if headerToken != "" {
		h.Set("Authorization", "Bearer "+headerToken)
	}
	c, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(ts.URL, "http")+"/query",
		&websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}, HTTPHeader: h})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.CloseNow() })
	p, _ := json.Marshal(initPayload)
	if err := wsjson.Write(ctx, c, wsMessage{Type: "connection_init", Payload: p}); err != nil {
		t.Fatal(err)
	}
	return c
}

// readUntil reads messages until one of type typ for id (or any
// connection-level one), failing on timeout.
func readAll(ctx context.Context, c *websocket.Conn) ([]wsMessage, error) {
	var msgs []wsMessage
	for {
		var m wsMessage
		if err := wsjson.Read(ctx, c, &m); err != nil {
			return msgs, err
		}
		msgs = append(msgs, m)
		if len(msgs) > 100 {
			return msgs, nil
		}
	}
}

// TestWebSocket_RefusedMutationEnds is attack 3 over WebSocket: subscribe
// with a mutation and no write token gets one error and complete for its
// id, and nothing more.
func TestWebSocket_RefusedMutationEnds(t *testing.T) {
	ts := privateServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	c := dialWS(t, ctx, ts, "", map[string]any{"Authorization": "Bearer r"})
	var ack wsMessage
	if err := wsjson.Read(ctx, c, &ack); err != nil || ack.Type != "connection_ack" {
		t.Fatalf("init: %v %+v", err, ack)
	}
	p, _ := json.Marshal(map[string]string{"query": `mutation { deleteNode(id: "x") }`})
	if err := wsjson.Write(ctx, c, wsMessage{ID: "1", Type: "subscribe", Payload: p}); err != nil {
		t.Fatal(err)
	}
	// Read for a while: an endless stream would exceed 100 messages.
	readCtx, stop := context.WithTimeout(ctx, time.Second)
	defer stop()
	msgs, _ := readAll(readCtx, c)
	var types []string
	for _, m := range msgs {
		if m.Type == "ping" || m.Type == "pong" {
			continue
		}
		types = append(types, m.Type)
		if m.ID != "1" {
			t.Errorf("message for id %q: %+v", m.ID, m)
		}
	}
	if got := strings.Join(types, ","); got != "next,complete" && got != "error" {
		t.Fatalf("got %q (%d messages), want next,complete or error", got, len(msgs))
	}
	if !strings.Contains(string(msgs[0].Payload), "FORBIDDEN") {
		t.Fatalf("got %s, want FORBIDDEN", msgs[0].Payload)
	}
}

// TestWebSocket_ReadToken: with read tokens, an upgrade without a token
// proceeds only so that connection_init can bring one; without one the
// connection is refused before any operation runs.
func TestWebSocket_ReadToken(t *testing.T) {
	ts := privateServer(t)
	for _, c := range []struct {
		name, header string
		init         map[string]any
		ok           bool
	}{
		{"InitToken", "", map[string]any{"Authorization": "Bearer r"}, true},
		{"HeaderToken", "r", nil, true},
		{"NoToken", "", nil, false},
		{"WrongInitToken", "", map[string]any{"Authorization": "Bearer nope"}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
			defer cancel()
			conn := dialWS(t, ctx, ts, c.header, c.init)
			p, _ := json.Marshal(map[string]string{"query": `{ actors { totalCount } }`})
			_ = wsjson.Write(ctx, conn, wsMessage{ID: "1", Type: "subscribe", Payload: p})
			readCtx, stop := context.WithTimeout(ctx, time.Second)
			defer stop()
			msgs, err := readAll(readCtx, conn)
			gotData := false
			for _, m := range msgs {
				if m.Type == "next" && strings.Contains(string(m.Payload), "totalCount") {
					gotData = true
				}
			}
			if gotData != c.ok {
				t.Fatalf("data %v, want %v (messages %+v, end %v)", gotData, c.ok, msgs, err)
			}
			if !c.ok && websocket.CloseStatus(err) == -1 {
				t.Fatalf("connection not closed: %v", err)
			}
		})
	}
}
