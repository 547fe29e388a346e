package server_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/server"
	"github.com/stancegraph/stancegraph/store/memstore"
)

// flakyStore is a store that can be taken down.
type flakyStore struct {
	stancegraph.Store
	down  atomic.Bool
	reads atomic.Int64
}

func (s *flakyStore) Ping(ctx context.Context) error {
	if s.down.Load() {
		return stancegraph.Errorf(stancegraph.EUNAVAILABLE, "store is down")
	}
	return s.Store.Ping(ctx)
}

func (s *flakyStore) FindEntities(ctx context.Context, f stancegraph.EntityFilter) ([]*stancegraph.Entity, int, error) {
	if s.down.Load() {
		return nil, 0, stancegraph.Errorf(stancegraph.EUNAVAILABLE, "store is down")
	}
	return s.Store.FindEntities(ctx, f)
}

func (s *flakyStore) Read(ctx context.Context, p *stancegraph.Plan) (*stancegraph.Result, error) {
	if s.down.Load() {
		return nil, stancegraph.Errorf(stancegraph.EUNAVAILABLE, "store is down")
	}
	s.reads.Add(1)
	return s.Store.Read(ctx, p)
}

// RoundTrips counts reads as the statements a Neo4j store would send.
func (s *flakyStore) RoundTrips() int64 { return s.reads.Load() }

func MustServer(t *testing.T, cfg server.Config) (*httptest.Server, *flakyStore) {
	t.Helper()
	ms := memstore.OpenMemory()
	t.Cleanup(func() { ms.Close() })
	s := &flakyStore{Store: ms}
	ts := httptest.NewServer(server.New(s, cfg))
	t.Cleanup(ts.Close)
	return ts, s
}

func get(t *testing.T, url string, header ...string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return send(t, req)
}

func send(t *testing.T, req *http.Request) (*http.Response, string) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func TestHealthAndReadiness(t *testing.T) {
	ts, s := MustServer(t, server.Config{})
	if resp, _ := get(t, ts.URL+"/healthz"); resp.StatusCode != 200 {
		t.Fatalf("healthz: %d", resp.StatusCode)
	}
	if resp, _ := get(t, ts.URL+"/readyz"); resp.StatusCode != 200 {
		t.Fatalf("readyz: %d", resp.StatusCode)
	}
	s.down.Store(true)
	if resp, body := get(t, ts.URL+"/readyz"); resp.StatusCode != 503 || !strings.Contains(body, "store is down") {
		t.Fatalf("readyz with the store down: %d %s", resp.StatusCode, body)
	}
	if resp, _ := get(t, ts.URL+"/healthz"); resp.StatusCode != 200 {
		t.Fatalf("healthz with the store down: %d", resp.StatusCode)
	}
	if _, body := get(t, ts.URL+`/query?query={actors{totalCount}}`); !strings.Contains(body, `"UNAVAILABLE"`) {
		t.Fatalf("query with the store down: %s", body)
	}
	s.down.Store(false)
	if resp, _ := get(t, ts.URL+"/readyz"); resp.StatusCode != 200 {
		t.Fatalf("readyz after recovery: %d", resp.StatusCode)
	}
}

func TestMetrics(t *testing.T) {
	ts, _ := MustServer(t, server.Config{GraphQL: server.Options{WriteTokens: []string{"w"}}})
	get(t, ts.URL+`/query?query=query+Actors{actors{totalCount}}`)
	get(t, ts.URL+`/query?query={nope}`)
	req, _ := http.NewRequest(http.MethodPost, ts.URL+"/query", strings.NewReader(`{"query":"mutation { deleteNode(id: \"x\") }"}`))
	req.Header.Set("Content-Type", "application/json")
	send(t, req)
	get(t, ts.URL+"/readyz")
	resp, body := get(t, ts.URL+"/metrics")
	if resp.StatusCode != 200 {
		t.Fatalf("metrics: %d", resp.StatusCode)
	}
	for _, want := range []string{
		`stancegraph_graphql_operations_total{operation="Actors",type="query"} 1`,
		`stancegraph_graphql_operation_duration_seconds_count{operation="Actors",type="query"} 1`,
		`stancegraph_graphql_errors_total{code="GRAPHQL_VALIDATION_FAILED"} 1`,
		`stancegraph_graphql_errors_total{code="UNAUTHENTICATED"} 1`,
		`stancegraph_store_call_duration_seconds_count{method="Read",outcome="ok"} 1`,
		// One read request, one statement.
		`stancegraph_store_statements_total 1`,
		// Counted process-wide, so only present here.
		`stancegraph_graphql_query_answers_total{by="direct"}`,
		`stancegraph_graphql_query_answers_total{by="resolvers"}`,
		`stancegraph_store_call_duration_seconds_count{method="Ping",outcome="ok"} 1`,
		`stancegraph_store_calls_in_flight 0`,
		`stancegraph_store_up 1`,
		`stancegraph_http_requests_total{code="200",method="GET",route="/query"} 2`,
		`stancegraph_http_requests_total{code="200",method="GET",route="GET /readyz"} 1`,
		`go_goroutines`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if strings.Contains(body, `"w"`) {
		t.Error("metrics mention the token")
	}
}

func TestMetrics_OperationNamesBounded(t *testing.T) {
	ts, _ := MustServer(t, server.Config{})
	for i := range 250 {
		get(t, ts.URL+`/query?query=query+Op`+strconv.Itoa(i)+`{__typename}`)
	}
	_, body := get(t, ts.URL+"/metrics")
	if n := strings.Count(body, "stancegraph_graphql_operations_total{"); n > 201 {
		t.Fatalf("%d operation series; the bound is 200 names and other", n)
	}
	if !strings.Contains(body, `stancegraph_graphql_operations_total{operation="other",type="query"} 50`) {
		t.Error("names past the bound are not counted as other")
	}
}

func TestCORS(t *testing.T) {
	ts, _ := MustServer(t, server.Config{CORSOrigins: []string{"https://app.example.org"}})
	preflight := func(origin string) *http.Response {
		req, _ := http.NewRequest(http.MethodOptions, ts.URL+"/query", nil)
		req.Header.Set("Origin", origin)
		req.Header.Set("Access-Control-Request-Method", "POST")
		req.Header.Set("Access-Control-Request-Headers", "authorization, content-type")
		resp, _ := send(t, req)
		return resp
	}
	resp := preflight("https://app.example.org")
	if resp.StatusCode != 204 || resp.Header.Get("Access-Control-Allow-Origin") != "https://app.example.org" ||
		!strings.Contains(resp.Header.Get("Access-Control-Allow-Headers"), "Authorization") {
		t.Errorf("allowed preflight: %d %v", resp.StatusCode, resp.Header)
	}
	if resp := preflight("https://evil.example.com"); resp.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("other origin allowed: %v", resp.Header)
	}
	resp, _ = get(t, ts.URL+"/query?query={__typename}", "Origin", "https://app.example.org")
	if resp.Header.Get("Access-Control-Allow-Origin") != "https://app.example.org" {
		t.Errorf("simple request: %v", resp.Header)
	}
	ts2, _ := MustServer(t, server.Config{})
	if resp, _ := get(t, ts2.URL+"/query?query={__typename}", "Origin", "https://app.example.org"); resp.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("CORS without an allow-list: %v", resp.Header)
	}
}

func TestIntrospectionSwitch(t *testing.T) {
	on, _ := MustServer(t, server.Config{})
	off, _ := MustServer(t, server.Config{GraphQL: server.Options{DisableIntrospection: true}})
	const q = "/query?query={__schema{queryType{name}}}"
	if _, body := get(t, on.URL+q); !strings.Contains(body, `"Query"`) {
		t.Errorf("introspection on: %s", body)
	}
	if _, body := get(t, off.URL+q); strings.Contains(body, `"Query"`) || !strings.Contains(body, `"FORBIDDEN"`) {
		t.Errorf("introspection off: %s", body)
	}
}
