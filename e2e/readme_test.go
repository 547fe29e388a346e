// Package e2e runs the example queries of the README and of docs/ end to
// end: through the GraphQL handler, on the seeded graph, on every backend.
package e2e_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/seed"
	"github.com/stancegraph/stancegraph/server"
)

// example is a ```graphql block of the README or a page of docs/ and the
// ```json block that follows it: the query and the data it must return.
type example struct {
	file  string
	query string
	want  json.RawMessage
}

var block = regexp.MustCompile("(?s)```(graphql|json)\n(.*?)```")

func readmeExamples(t *testing.T) []example {
	t.Helper()
	docs, err := filepath.Glob("../docs/*.md")
	if err != nil {
		t.Fatal(err)
	}
	var out []example
	for _, name := range append([]string{"../README.md"}, docs...) {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		ms := block.FindAllSubmatch(b, -1)
		for i := 0; i+1 < len(ms); i++ {
			if string(ms[i][1]) == "graphql" && string(ms[i+1][1]) == "json" {
				out = append(out, example{file: strings.TrimPrefix(name, "../"), query: string(ms[i][2]), want: ms[i+1][2]})
			}
		}
	}
	if len(out) < 5 {
		t.Fatalf("found %d query/answer pairs in README.md and docs/, want at least 5", len(out))
	}
	return out
}

// mustSeed loads the bundled seed into s.
func mustSeed(t *testing.T, s stancegraph.Store) {
	t.Helper()
	g, err := seed.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := seed.Load(context.Background(), s, g, false); err != nil {
		t.Fatal(err)
	}
}

// run posts query to h and returns the response's data, failing on errors.
func run(t *testing.T, h http.Handler, query string) json.RawMessage {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"query": query})
	req := httptest.NewRequest(http.MethodPost, "/query", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var resp struct {
		Data   json.RawMessage `json:"data"`
		Errors json.RawMessage `json:"errors"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
		t.Fatalf("bad response %d: %s", rec.Code, rec.Body)
	}
	if len(resp.Errors) > 0 {
		t.Fatalf("query failed: %s\n%s", resp.Errors, query)
	}
	return resp.Data
}

// canonical re-encodes JSON so that layout does not matter.
func canonical(t *testing.T, raw []byte) string {
	t.Helper()
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("invalid JSON: %v\n%s", err, raw)
	}
	b, _ := json.MarshalIndent(v, "", "  ")
	return string(b)
}

func TestREADMEExamples(t *testing.T) {
	examples := readmeExamples(t)
	answers := map[string][]string{}
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			s := b.open(t)
			mustSeed(t, s)
			h := server.NewGraphQL(s, server.Options{})
			for i, ex := range examples {
				got := canonical(t, run(t, h, ex.query))
				if want := canonical(t, ex.want); got != want {
					t.Errorf("example %d: %s says\n%s\nbut the %s backend answers\n%s\nquery:%s", i+1, ex.file, want, b.name, got, ex.query)
				}
				answers[b.name] = append(answers[b.name], got)
			}
		})
	}
	// Every backend gives the same JSON for every example.
	var first []string
	for name, a := range answers {
		if first == nil {
			first = a
			continue
		}
		for i := range a {
			if a[i] != first[i] {
				t.Errorf("backend %s differs on example %d", name, i+1)
			}
		}
	}
}
