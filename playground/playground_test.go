package playground_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stancegraph/stancegraph/playground"
)

func serve(t *testing.T) *httptest.Server {
	t.Helper()
	h := playground.Handler("/query")
	mux := http.NewServeMux()
	mux.Handle("GET /{$}", h)
	mux.Handle("GET "+playground.AssetPrefix, h)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func get(t *testing.T, url string, header http.Header) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

var configScript = regexp.MustCompile(`(?s)<script id="stancegraph-config" type="application/json">(.*?)</script>`)

func TestHandler_Page(t *testing.T) {
	srv := serve(t)
	resp, page := get(t, srv.URL+"/", nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET / = %d", resp.StatusCode)
	}
	csp := resp.Header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'self'", "script-src 'self'", "connect-src 'self'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("Content-Security-Policy %q lacks %q", csp, want)
		}
	}
	// Everything the page loads is on this server.
	for _, m := range regexp.MustCompile(`(?:src|href)="([^"]*)"`).FindAllStringSubmatch(page, -1) {
		if !strings.HasPrefix(m[1], "/") || strings.HasPrefix(m[1], "//") {
			t.Errorf("page refers to %q, not a path on this server", m[1])
		}
	}
	for _, want := range []string{`href="/explore/trusted-partner-designation"`, `src="/playground/playground.js"`, `href="/playground/playground.css"`} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	m := configScript.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("page has no configuration script")
	}
	var cfg struct {
		Endpoint string
		Headers  string
		Examples []playground.Example
	}
	if err := json.Unmarshal([]byte(m[1]), &cfg); err != nil {
		t.Fatalf("configuration %q: %v", m[1], err)
	}
	if cfg.Endpoint != "/query" {
		t.Errorf("endpoint = %q", cfg.Endpoint)
	}
	if len(cfg.Examples) == 0 || !strings.Contains(cfg.Examples[0].Query, `backers(of: "trusted-partner-designation")`) {
		t.Errorf("the playground does not open on the README's first question: %+v", cfg.Examples)
	}
	var headers map[string]string
	if err := json.Unmarshal([]byte(cfg.Headers), &headers); err != nil || !strings.HasPrefix(headers["Authorization"], "Bearer") {
		t.Errorf("headers pane = %q (%v), want an Authorization: Bearer hint", cfg.Headers, err)
	}
}

func TestHandler_Assets(t *testing.T) {
	srv := serve(t)
	for _, c := range []struct{ path, contentType string }{
		{"playground.js", "text/javascript"},
		{"playground.css", "text/css"},
		{"editor.worker.js", "text/javascript"},
		{"json.worker.js", "text/javascript"},
		{"graphql.worker.js", "text/javascript"},
	} {
		t.Run(c.path, func(t *testing.T) {
			// identity: TestHandler_Gzip tests compression.
			plain := http.Header{"Accept-Encoding": {"identity"}}
			resp, body := get(t, srv.URL+playground.AssetPrefix+c.path, plain)
			if resp.StatusCode != http.StatusOK || len(body) == 0 {
				t.Fatalf("GET %s = %d, %d bytes", c.path, resp.StatusCode, len(body))
			}
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, c.contentType) {
				t.Errorf("Content-Type = %q, want %s", ct, c.contentType)
			}
			etag := resp.Header.Get("ETag")
			if etag == "" {
				t.Fatal("no ETag")
			}
			resp, _ = get(t, srv.URL+playground.AssetPrefix+c.path, http.Header{"If-None-Match": {etag}, "Accept-Encoding": {"identity"}})
			if resp.StatusCode != http.StatusNotModified {
				t.Errorf("revalidation = %d, want 304", resp.StatusCode)
			}
		})
	}
	if resp, _ := get(t, srv.URL+playground.AssetPrefix+"no-such.js", nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown asset = %d, want 404", resp.StatusCode)
	}
}

// TestBundle_NoCDN checks that the committed bundle loads nothing from a
// public CDN or font service.
func TestBundle_NoCDN(t *testing.T) {
	files, err := filepath.Glob("dist/*")
	if err != nil || len(files) == 0 {
		t.Fatalf("no bundle in dist/ (%v): run go generate ./playground", err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		b = bytes.ToLower(b)
		for _, host := range []string{"unpkg.com", "jsdelivr", "esm.sh/", "cdnjs", "fonts.googleapis", "fonts.gstatic"} {
			if bytes.Contains(b, []byte(host)) {
				t.Errorf("%s refers to %s", f, host)
			}
		}
	}
}

// TestExamples_Documented checks that each example query, without its
// operation name, is a query of README.md or docs/, so the examples test
// checks what the playground offers.
func TestExamples_Documented(t *testing.T) {
	var docs strings.Builder
	paths, _ := filepath.Glob("../docs/*.md")
	for _, p := range append([]string{"../README.md"}, paths...) {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		docs.Write(b)
	}
	name := regexp.MustCompile(`^query [A-Za-z]+ `)
	for _, e := range playground.Examples {
		q := name.ReplaceAllString(e.Query, "")
		if q == e.Query {
			t.Errorf("example %q has no operation name (its tab would be untitled)", e.Title)
		}
		if !strings.Contains(docs.String(), "```graphql\n"+q+"\n```") {
			t.Errorf("example %q is not a query of README.md or docs/:\n%s", e.Title, q)
		}
	}
}

func TestHandler_Gzip(t *testing.T) {
	srv := serve(t)
	url := srv.URL + playground.AssetPrefix + "editor.worker.js"
	plain, plainBody := get(t, url, http.Header{"Accept-Encoding": {"identity"}})
	zipped, zippedBody := get(t, url, http.Header{"Accept-Encoding": {"br, gzip"}})
	if plain.Header.Get("Content-Encoding") != "" || zipped.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("Content-Encoding: identity %q, gzip %q", plain.Header.Get("Content-Encoding"), zipped.Header.Get("Content-Encoding"))
	}
	if plain.Header.Get("ETag") == zipped.Header.Get("ETag") {
		t.Error("the two encodings share an ETag")
	}
	zr, err := gzip.NewReader(strings.NewReader(zippedBody))
	if err != nil {
		t.Fatal(err)
	}
	unzipped, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if string(unzipped) != plainBody {
		t.Error("the gzipped asset is not the asset")
	}
	if len(zippedBody) >= len(plainBody)/2 {
		t.Errorf("gzip gives %d of %d bytes", len(zippedBody), len(plainBody))
	}
	refused, _ := get(t, url, http.Header{"Accept-Encoding": {"gzip;q=0"}})
	if refused.Header.Get("Content-Encoding") != "" {
		t.Error("gzip sent to a client that refused it")
	}
}
