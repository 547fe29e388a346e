package server_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/server"
	"github.com/stancegraph/stancegraph/store/memstore"
)

// startHTTPServer serves NewHTTPServer(s, cfg) on a loopback port.
func startHTTPServer(t *testing.T, s stancegraph.Store, cfg server.Config) string {
	t.Helper()
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	srv := server.NewHTTPServer(s, cfg)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return ln.Addr().String()
}

// TestHTTPServer_SlowBodyCutOff is attack 7: a client that sends its body
// one byte at a time is cut off at the read timeout.
func TestHTTPServer_SlowBodyCutOff(t *testing.T) {
	s := memstore.OpenMemory()
	defer s.Close()
	addr := startHTTPServer(t, s, server.Config{ReadTimeout: 300 * time.Millisecond})
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /query HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n")
	start := time.Now()
	closed := false
	for range 50 { // 50 bytes at 100 ms: 5 s if nothing cuts it off
		if _, err := conn.Write([]byte(" ")); err != nil {
			closed = true
			break
		}
		time.Sleep(100 * time.Millisecond)
		_ = conn.SetReadDeadline(time.Now().Add(time.Millisecond))
		if _, err := conn.Read(make([]byte, 1)); err != nil && !isTimeout(err) {
			closed = true
			break
		}
	}
	if !closed {
		t.Fatalf("the connection was still open after %v", time.Since(start))
	}
}

func isTimeout(err error) bool {
	ne, ok := err.(net.Error)
	return ok && ne.Timeout()
}

// TestHTTPServer_StreamsOutliveWriteTimeout: an SSE stream is exempt from
// the write timeout that cuts off ordinary responses.
func TestHTTPServer_StreamsOutliveWriteTimeout(t *testing.T) {
	s := memstore.OpenMemory()
	defer s.Close()
	addr := startHTTPServer(t, &slowStore{Store: s, delay: 700 * time.Millisecond},
		server.Config{ReadTimeout: 300 * time.Millisecond, WriteTimeout: 300 * time.Millisecond})
	req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/query", strings.NewReader(`{"query":"{ actors { totalCount } }"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "text/event-stream")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || !strings.Contains(string(body), "totalCount") || !strings.Contains(string(body), "event: complete") {
		t.Fatalf("SSE past the write timeout: %v %q", err, body)
	}
	// A query's answer, written directly, is its only event.
	if n := strings.Count(string(body), "event: next"); n != 1 {
		t.Fatalf("%d next events for one query, want 1: %q", n, body)
	}
	// The same query as a plain POST is cut off by the write timeout.
	resp2, err := http.Post("http://"+addr+"/query", "application/json", strings.NewReader(`{"query":"{ actors { totalCount } }"}`))
	if err == nil {
		b, err := io.ReadAll(resp2.Body)
		resp2.Body.Close()
		if err == nil && strings.Contains(string(b), "totalCount") {
			t.Fatalf("a plain POST outlived the write timeout: %s", b)
		}
	}
}

// slowStore delays entity listings and read plans, or blocks them until
// release closes.
type slowStore struct {
	stancegraph.Store
	delay   time.Duration
	release chan struct{}
	started chan struct{}
	once    sync.Once
}

func (s *slowStore) wait(ctx context.Context) error {
	if s.started != nil {
		s.once.Do(func() { close(s.started) })
	}
	var wait <-chan time.Time
	if s.delay > 0 {
		wait = time.After(s.delay)
	}
	select {
	case <-wait:
	case <-s.release:
	case <-ctx.Done():
		return stancegraph.Errorf(stancegraph.EUNAVAILABLE, "request cancelled or timed out")
	}
	return nil
}

func (s *slowStore) FindEntities(ctx context.Context, f stancegraph.EntityFilter) ([]*stancegraph.Entity, int, error) {
	if err := s.wait(ctx); err != nil {
		return nil, 0, err
	}
	return s.Store.FindEntities(ctx, f)
}

func (s *slowStore) Read(ctx context.Context, p *stancegraph.Plan) (*stancegraph.Result, error) {
	if err := s.wait(ctx); err != nil {
		return nil, err
	}
	return s.Store.Read(ctx, p)
}

// TestExports_Bounded is attack 6: past MaxExports running exports, the
// next one gets 429 with Retry-After; each export ends at the timeout.
func TestExports_Bounded(t *testing.T) {
	ms := memstore.OpenMemory()
	defer ms.Close()
	s := &slowStore{Store: ms, release: make(chan struct{}), started: make(chan struct{})}
	ts := startHTTPServer(t, s, server.Config{MaxExports: 1, GraphQL: server.Options{Timeout: 2 * time.Second}})
	first := make(chan int, 1)
	start := time.Now()
	go func() {
		resp, err := http.Get("http://" + ts + "/export/json")
		if err != nil {
			first <- 0
			return
		}
		resp.Body.Close()
		first <- resp.StatusCode
	}()
	<-s.started
	resp, err := http.Get("http://" + ts + "/export/json")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" || !strings.Contains(string(body), server.CodeBusy) {
		t.Fatalf("second export: %d Retry-After %q %s, want 429 with Retry-After", resp.StatusCode, resp.Header.Get("Retry-After"), body)
	}
	// The first one is held by the store until the timeout ends it.
	if code := <-first; code != http.StatusServiceUnavailable {
		t.Fatalf("the blocked export ended with %d, want 503", code)
	}
	if d := time.Since(start); d > 30*time.Second {
		t.Fatalf("the blocked export took %v", d)
	}
	close(s.release)
	resp, err = http.Get("http://" + ts + "/export/json")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("export after the others ended: %v %v", err, resp)
	}
	resp.Body.Close()
}

// TestHTTP_MethodsAndAPQCodes is part of attack 8: every refusal has a
// code.
func TestHTTP_MethodsAndAPQCodes(t *testing.T) {
	ts, _ := MustServer(t, server.Config{})
	for _, m := range []string{http.MethodPut, http.MethodDelete, http.MethodPatch} {
		req, _ := http.NewRequest(m, ts.URL+"/query", strings.NewReader(`{"query":"{ __typename }"}`))
		req.Header.Set("Content-Type", "application/json")
		resp, body := send(t, req)
		if resp.StatusCode != http.StatusMethodNotAllowed || !strings.Contains(body, `"code":"BAD_REQUEST"`) || resp.Header.Get("Allow") == "" {
			t.Errorf("%s: %d %s, want 405 with a code and Allow", m, resp.StatusCode, body)
		}
	}
	sum := sha256.Sum256([]byte("{ actors { totalCount } }"))
	for name, c := range map[string]struct{ query, hash, code string }{
		"HashMismatch": {"{ __typename }", hex.EncodeToString(sum[:]), server.CodePersistedQuery},
		"NotFound":     {"", hex.EncodeToString(sum[:]), "PERSISTED_QUERY_NOT_FOUND"},
	} {
		b, _ := json.Marshal(map[string]any{"query": c.query, "extensions": map[string]any{
			"persistedQuery": map[string]any{"version": 1, "sha256Hash": c.hash}}})
		req, _ := http.NewRequest(http.MethodPost, ts.URL+"/query", strings.NewReader(string(b)))
		req.Header.Set("Content-Type", "application/json")
		_, body := send(t, req)
		if !strings.Contains(body, `"code":"`+c.code+`"`) {
			t.Errorf("%s: %s, want code %s", name, body, c.code)
		}
	}
}
