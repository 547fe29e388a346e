package server_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stancegraph/stancegraph/seed"
	"github.com/stancegraph/stancegraph/server"
	"github.com/stancegraph/stancegraph/store/memstore"
)

// TestPages serves the playground, an explore page and a drawing through
// the whole handler, on a public and on a private deployment.
func TestPages(t *testing.T) {
	s := memstore.OpenMemory()
	t.Cleanup(func() { s.Close() })
	g, err := seed.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := seed.Load(context.Background(), s, g, false); err != nil {
		t.Fatal(err)
	}
	pages := []struct{ path, contentType, want string }{
		{"/", "text/html", `id="graphiql"`},
		{"/playground/playground.js", "text/javascript", "GraphiQL"},
		{"/explore/trusted-partner-designation", "text/html", "Amazon Web Services"},
		{"/export/svg?center=trusted-partner-designation", "image/svg+xml", "Anthropic"},
		{"/export/dot?center=trusted-partner-designation", "text/vnd.graphviz", `"anthropic"`},
	}
	for _, c := range []struct {
		name   string
		cfg    server.Config
		header []string
	}{
		{"Public", server.Config{}, nil},
		{"Private", server.Config{GraphQL: server.Options{ReadTokens: []string{"r"}}}, []string{"Authorization", "Bearer r"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			ts := httptest.NewServer(server.New(s, c.cfg))
			defer ts.Close()
			for _, p := range pages {
				resp, body := get(t, ts.URL+p.path, c.header...)
				if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), p.contentType) || !strings.Contains(body, p.want) {
					t.Errorf("GET %s = %d %s, want 200 %s with %q", p.path, resp.StatusCode, resp.Header.Get("Content-Type"), p.contentType, p.want)
				}
			}
		})
	}
	// The explore page and drawings are data: a private deployment refuses
	// them without a token.
	ts := httptest.NewServer(server.New(s, server.Config{GraphQL: server.Options{ReadTokens: []string{"r"}}}))
	defer ts.Close()
	for _, p := range []string{"/explore/anthropic", "/export/svg?center=anthropic"} {
		if resp, _ := get(t, ts.URL+p); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("GET %s without a token = %d, want 401", p, resp.StatusCode)
		}
	}
}
