package e2e_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stancegraph/stancegraph/gen"
	"github.com/stancegraph/stancegraph/server"
	"github.com/stancegraph/stancegraph/store/memstore"
)

// graph100k is the 100k-position graph of `make bench` (and of the
// attacks of issue 10): 5,000 actors, 2,000 proposals.
var graph100k = gen.Config{Actors: 5_000, Proposals: 2_000, Positions: 100_000, Seed: 7}

// TestAttack_AnalysisBounded is attack 4 on a 100k-position graph: with the
// default limits the expensive analyses are refused by cost before they
// run; with the cost limit lifted they answer within the timeout (2 s)
// plus a margin (3 s in all, as the issue asks; wider under -race), with
// data or TIMEOUT, and the heap falls back to where it was once the
// work left behind has ended.
func TestAttack_AnalysisBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a 100k-position graph")
	}
	ms := memstore.OpenMemory()
	defer ms.Close()
	if _, err := ms.Import(context.Background(), gen.Generate(graph100k)); err != nil {
		t.Fatal(err)
	}
	queries := map[string]string{
		"Network1000":      `{ actorNetwork(limit: 1000) { edges { a { id } b { id } targets { __typename } } } }`,
		"Coalitions1000":   `{ coalitions(limit: 1000) { modularity } }`,
		"CoalitionAliases": aliases(20, "coalitions { modularity }"),
	}
	logger := slog.New(slog.DiscardHandler)
	t.Run("RefusedByCost", func(t *testing.T) {
		ts := httptest.NewServer(server.New(ms, server.Config{GraphQL: server.Options{Timeout: 2 * time.Second}, Logger: logger}))
		defer ts.Close()
		for name, q := range queries {
			if code, _ := timedQuery(t, ts.URL, q); code != server.CodeComplexityLimit {
				t.Errorf("%s: code %q, want %s", name, code, server.CodeComplexityLimit)
			}
		}
	})
	t.Run("Timeout", func(t *testing.T) {
		ts := httptest.NewServer(server.New(ms, server.Config{
			GraphQL: server.Options{Timeout: 2 * time.Second, MaxComplexity: 1 << 40}, Logger: logger}))
		defer ts.Close()
		before := heapAfterGC()
		goroutines := runtime.NumGoroutine()
		for name, q := range queries {
			// Each attack on a quiet server: what gqlgen still walks
			// past the deadline of the one before takes CPU from it.
			waitQuiet(goroutines)
			code, d := timedQuery(t, ts.URL, q)
			t.Logf("%s: %q in %v", name, code, d)
			if code != "" && code != "TIMEOUT" {
				t.Errorf("%s: code %q, want data or TIMEOUT", name, code)
			}
			// 3 s: the timeout and a margin (wider under -race).
			if limit := (3 + raceSlowdown) * time.Second; d > limit {
				t.Errorf("%s took %v, more than %v; the timeout is 2 s", name, d, limit)
			}
		}
		// What gqlgen still walks past the deadline ends without the
		// client; then the heap is back near where it was.
		// Under -race on a busy machine that walk takes minutes.
		settle := time.Duration(1+2*raceSlowdown) * time.Minute
		waitQuietFor(goroutines, settle)
		var after uint64
		for deadline := time.Now().Add(settle); time.Now().Before(deadline); time.Sleep(500 * time.Millisecond) {
			if after = heapAfterGC(); after < before+64<<20 {
				break
			}
		}
		t.Logf("heap after GC: %d MB before, %d MB after", before>>20, after>>20)
		if after >= before+64<<20 {
			t.Fatalf("heap after GC grew from %d MB to %d MB and stayed there", before>>20, after>>20)
		}
	})
	runtime.KeepAlive(ms)
}

// waitQuiet waits (at most a minute, more under -race) until no more than
// n+10 goroutines run.
func waitQuiet(n int) { waitQuietFor(n, time.Duration(1+2*raceSlowdown)*time.Minute) }

func waitQuietFor(n int, d time.Duration) {
	for deadline := time.Now().Add(d); runtime.NumGoroutine() > n+10 && time.Now().Before(deadline); {
		time.Sleep(100 * time.Millisecond)
	}
}

// timedQuery posts a query and returns the code of its first error ("" for
// none) and how long the answer took.
func timedQuery(t *testing.T, url, query string) (string, time.Duration) {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"query": query})
	start := time.Now()
	resp, err := http.Post(url+"/query", "application/json", strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Errors []struct{ Extensions struct{ Code string } }
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	d := time.Since(start)
	if len(out.Errors) == 0 {
		return "", d
	}
	return out.Errors[0].Extensions.Code, d
}

// TestAttack_PrivateDeployment is attacks 1 and 2 through the whole
// server: with a read token, neither header tricks on /query nor /export
// give data without a token.
func TestAttack_PrivateDeployment(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			s := b.open(t)
			mustSeed(t, s)
			ts := httptest.NewServer(server.New(s, server.Config{Logger: slog.New(slog.DiscardHandler),
				GraphQL: server.Options{WriteTokens: []string{hostileToken}, ReadTokens: []string{"reader"}}}))
			defer ts.Close()
			req, _ := http.NewRequest(http.MethodPost, ts.URL+"/query", strings.NewReader(`{"query":"{ actors { totalCount } }"}`))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Accept", "text/event-stream")
			req.Header.Set("Upgrade", "websocket")
			if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusUnauthorized {
				t.Fatalf("SSE with Upgrade, no token: %v %v", err, resp)
			}
			for _, c := range []struct {
				token string
				want  int
			}{{"", http.StatusUnauthorized}, {"wrong", http.StatusForbidden}, {"reader", http.StatusOK}} {
				req, _ := http.NewRequest(http.MethodGet, ts.URL+"/export/json", nil)
				if c.token != "" {
					req.Header.Set("Authorization", "Bearer "+c.token)
				}
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode != c.want {
					t.Errorf("export with token %q: %d, want %d", c.token, resp.StatusCode, c.want)
				}
			}
		})
	}
}
