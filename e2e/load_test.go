package e2e_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stancegraph/stancegraph/server"
)

// The load test is bounded in requests and in time. CI runs the defaults
// (a few seconds per backend); for the figures of BENCHMARKS.md:
//
//	go test ./e2e -run TestLoad -v -load.requests 200000 -load.duration 60s
var (
	loadRequests = flag.Int("load.requests", 2000, "requests per backend in TestLoad")
	loadDuration = flag.Duration("load.duration", 5*time.Second, "time limit per backend in TestLoad")
	loadClients  = flag.Int("load.clients", 64, "concurrent clients in TestLoad")
)

// loadRequest is one kind of request the load mixes; weight is its share.
type loadRequest struct {
	name   string
	weight int
	body   func(i int) []byte
}

func loadBody(query string, vars map[string]any) []byte {
	b, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	return b
}

// loadMix is 80% reads and 20% writes. Writes go to a fixed set of ids, so
// the data, and the memory it takes, stay bounded however long it runs.
var loadMix = []loadRequest{
	{"backers", 20, func(int) []byte {
		return loadBody(`{ backers(of: "trusted-partner-designation") { actor { name } positions { quote source { title } } } }`, nil)
	}},
	{"actors", 20, func(int) []byte {
		return loadBody(`{ actors(first: 20) { totalCount edges { node { id name positions { totalCount } } } } }`, nil)
	}},
	{"node", 20, func(int) []byte {
		return loadBody(`{ node(id: "ita-advocacy-center") { ... on Agency { name parent { name } administers { name } } } }`, nil)
	}},
	{"search", 20, func(int) []byte { return loadBody(`{ search(query: "trusted partner") { score node { id } } }`, nil) }},
	{"upsertActor", 10, func(i int) []byte {
		return loadBody(`mutation($in: ActorInput!) { upsertActor(input: $in) { change } }`, map[string]any{"in": map[string]any{
			"id": fmt.Sprintf("load-company-%d", i%32), "kind": "COMPANY", "name": fmt.Sprintf("Load Company %d", i%32),
			"description": fmt.Sprintf("revision %d", i%7)}})
	}},
	{"recordPosition", 10, func(i int) []byte {
		return loadBody(`mutation($in: PositionInput!) { recordPosition(input: $in) { change } }`, map[string]any{"in": map[string]any{
			"actor": "openai", "target": "american-ai-exports-program", "stance": "SUPPORTS",
			"source": "openai-ai-exports-program-comment", "statedAt": "2025-12-13", "quote": fmt.Sprintf("load quote %d", i%5)}})
	}},
}

type loadStats struct {
	mu        sync.Mutex
	latencies []time.Duration
	byCode    map[string]int
	failures  []string
}

func (s *loadStats) add(d time.Duration, code, failure string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.latencies = append(s.latencies, d)
	if code != "" {
		s.byCode[code]++
	}
	if failure != "" && len(s.failures) < 10 {
		s.failures = append(s.failures, failure)
	}
}

func heapAfterGC() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestLoad runs a fixed number of requests, within a time limit, from 64
// concurrent clients over loopback HTTP against each backend: no request
// may fail (CONFLICT, which concurrent writers of one id may get on Neo4j
// and are told to retry, is counted apart), and the heap after the run is
// within bounds of the heap before it.
func TestLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("load test")
	}
	total := 0
	for _, r := range loadMix {
		total += r.weight
	}
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			s := b.open(t)
			mustSeed(t, s)
			ts := httptest.NewServer(server.New(s, server.Config{
				GraphQL: server.Options{WriteTokens: []string{hostileToken}},
				Logger:  slog.New(slog.DiscardHandler),
			}))
			defer ts.Close()
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: *loadClients}, Timeout: 30 * time.Second}
			defer client.CloseIdleConnections()
			send := func(body []byte) (code, failure string) {
				req, _ := http.NewRequest(http.MethodPost, ts.URL+"/query", bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+hostileToken)
				resp, err := client.Do(req)
				if err != nil {
					return "HTTP", err.Error()
				}
				defer resp.Body.Close()
				raw, _ := io.ReadAll(resp.Body)
				var out struct {
					Errors []struct {
						Message    string
						Extensions struct{ Code string }
					}
				}
				if err := json.Unmarshal(raw, &out); err != nil || resp.StatusCode != 200 {
					return "HTTP", fmt.Sprintf("%d %.200s", resp.StatusCode, raw)
				}
				if len(out.Errors) > 0 {
					return out.Errors[0].Extensions.Code, out.Errors[0].Message
				}
				return "", ""
			}
			// Warm up: caches, connections, the seed's pages.
			for i := range 2 * len(loadMix) {
				send(loadMix[i%len(loadMix)].body(i))
			}
			heapBefore := heapAfterGC()
			goroutinesBefore := runtime.NumGoroutine()

			stats := &loadStats{byCode: map[string]int{}}
			var next atomic.Int64
			deadline := time.Now().Add(*loadDuration)
			start := time.Now()
			var wg sync.WaitGroup
			for range *loadClients {
				wg.Go(func() {
					for time.Now().Before(deadline) {
						i := int(next.Add(1)) - 1
						if i >= *loadRequests {
							return
						}
						w, r := i%total, loadMix[0]
						for _, m := range loadMix {
							if w < m.weight {
								r = m
								break
							}
							w -= m.weight
						}
						t0 := time.Now()
						code, failure := send(r.body(i))
						if code == "CONFLICT" {
							failure = ""
						}
						if failure != "" {
							failure = r.name + ": " + code + " " + failure
						}
						stats.add(time.Since(t0), code, failure)
					}
				})
			}
			wg.Wait()
			elapsed := time.Since(start)
			client.CloseIdleConnections()
			heapAfter := heapAfterGC()

			n := len(stats.latencies)
			slices.Sort(stats.latencies)
			pct := func(p float64) time.Duration { return stats.latencies[min(n-1, int(float64(n)*p))] }
			t.Logf("%s: %d requests in %v from %d clients: %.0f req/s; latency p50 %v p95 %v p99 %v max %v; errors by code %v; heap %.1f MiB -> %.1f MiB",
				b.name, n, elapsed.Round(time.Millisecond), *loadClients, float64(n)/elapsed.Seconds(),
				pct(.5).Round(time.Microsecond), pct(.95).Round(time.Microsecond), pct(.99).Round(time.Microsecond), stats.latencies[n-1].Round(time.Microsecond),
				stats.byCode, float64(heapBefore)/(1<<20), float64(heapAfter)/(1<<20))
			if n == 0 {
				t.Fatal("no request ran")
			}
			if n < *loadRequests && elapsed < *loadDuration {
				t.Errorf("only %d of %d requests ran", n, *loadRequests)
			}
			for _, f := range stats.failures {
				t.Errorf("unexpected failure: %s", f)
			}
			if heapAfter > heapBefore+64<<20 {
				t.Errorf("heap grew from %d to %d bytes", heapBefore, heapAfter)
			}
			// Connections and their goroutines wind down once idle.
			var goroutinesAfter int
			for range 50 {
				if goroutinesAfter = runtime.NumGoroutine(); goroutinesAfter <= goroutinesBefore+8 {
					break
				}
				time.Sleep(100 * time.Millisecond)
			}
			if goroutinesAfter > goroutinesBefore+8 {
				t.Errorf("goroutines: %d before the load, %d after", goroutinesBefore, goroutinesAfter)
			}
		})
	}
}
