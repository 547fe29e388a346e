package server

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stancegraph/stancegraph/store/memstore"
)

// requestFor builds a request for a route pattern ("GET /export/{format}"):
// its method (GET when the pattern has none) and its path, wildcards
// filled in. The GraphQL route gets a query.
func requestFor(t *testing.T, pattern string) *http.Request {
	t.Helper()
	method, path, ok := strings.Cut(pattern, " ")
	if !ok {
		method, path = http.MethodGet, pattern
	}
	path = strings.ReplaceAll(path, "{$}", "")
	path = strings.ReplaceAll(path, "{format}", "json")
	path = strings.ReplaceAll(path, "{id}", "anthropic")
	if strings.Contains(path, "{") {
		t.Fatalf("route %q has a wildcard this test does not know: add it to requestFor", pattern)
	}
	if path == "/query" {
		path += "?query=%7B__typename%7D"
	}
	return httptest.NewRequest(method, path, nil)
}

// TestRoutes_Auth walks every route of the table New builds the mux from,
// so a route added later is walked too: with read tokens configured, a
// private route refuses a request without a token (401) and with a wrong
// one (403), and serves it with the read token; a public route serves all
// three.
func TestRoutes_Auth(t *testing.T) {
	s := memstore.OpenMemory()
	defer s.Close()
	h, routes := newHandler(s, Config{GraphQL: Options{WriteTokens: []string{"w"}, ReadTokens: []string{"r"}}})
	if len(routes) < 6 {
		t.Fatalf("only %d routes", len(routes))
	}
	public := map[string]bool{}
	for _, rt := range routes {
		if rt.Access == Public {
			public[rt.Pattern] = true
		}
	}
	// The allow-list is exactly these: anything else made public must be
	// a deliberate change of this test.
	for _, p := range []string{"GET /healthz", "GET /readyz", "GET /metrics"} {
		if !public[p] {
			t.Errorf("%s is not public", p)
		}
		delete(public, p)
	}
	for p := range public {
		t.Errorf("%s is public; only health, readiness and metrics may be", p)
	}
	for _, rt := range routes {
		for _, c := range []struct {
			name, header string
			want         int // 0: anything but 401 and 403
		}{
			{"NoToken", "", http.StatusUnauthorized},
			{"WrongToken", "Bearer nope", http.StatusForbidden},
			{"ReadToken", "Bearer r", 0},
			{"NotBearer", "Basic cjpy", http.StatusForbidden},
		} {
			t.Run(rt.Pattern+"/"+c.name, func(t *testing.T) {
				req := requestFor(t, rt.Pattern)
				if c.header != "" {
					req.Header.Set("Authorization", c.header)
				}
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				body, _ := io.ReadAll(rec.Body)
				refused := rec.Code == http.StatusUnauthorized || rec.Code == http.StatusForbidden
				switch {
				case rt.Access == Public || c.want == 0:
					if refused {
						t.Fatalf("got %d %s, want it served", rec.Code, body)
					}
				case rec.Code != c.want:
					t.Fatalf("got %d %s, want %d", rec.Code, body, c.want)
				}
			})
		}
	}
}
