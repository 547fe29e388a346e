// Package playground serves the GraphiQL playground from assets embedded in
// the binary: the page at "/" and its scripts, stylesheet and Monaco workers
// under /playground/. Nothing the page loads comes from another host.
//
// The assets in dist/ are built from web/ (package.json, package-lock.json,
// build.mjs) by go generate, and committed.
package playground

//go:generate sh -c "cd web && npm ci --no-audit --no-fund --loglevel=error && node build.mjs"

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

//go:embed dist
var dist embed.FS

// AssetPrefix is the path under which the playground's assets are served.
const AssetPrefix = "/playground/"

// Example is a query the playground opens as a tab.
type Example struct {
	Title string `json:"title"`
	Query string `json:"query"`
}

// Link is an explore page the playground's bar points to.
type Link struct {
	Title string
	Href  string
}

// Examples are the README's research questions, the first of which the
// playground opens on, each named so that its tab has a title. A test
// checks that each, without its name, appears in README.md or docs/.
var Examples = []Example{
	{Title: "Who backs a trusted-partner designation?", Query: `query TrustedPartnerBackers {
  backers(of: "trusted-partner-designation") {
    actor { name }
    proposed
    positions { quote statedAt source { title kind } }
  }
}`},
	{Title: "Who opposes prescriptive regulation abroad?", Query: `query PrescriptiveRegulationOpposers {
  backers(of: "prescriptive-ai-regulation-abroad", stance: OPPOSES) {
    actor { name }
    positions { quote }
  }
}`},
	{Title: "Where do OpenAI and Anthropic agree?", Query: `query OpenAIAnthropicAlignment {
  alignment(a: "openai", b: "anthropic", normalization: JACCARD) {
    sizeA sizeB congruence conflict
    agreements {
      target { ... on Program { name } ... on PolicyProposal { title } }
      stanceA
      a { source { kind } }
      b { source { kind } }
    }
    conflicts { target { id } }
  }
}`},
	{Title: "Search for a trusted partner", Query: `query SearchTrustedPartner {
  search(query: "trusted partner") {
    node {
      __typename
      ... on PolicyProposal { id title }
      ... on Position { actor { name } quote }
    }
  }
}`},
}

// ExploreLinks are the explore pages the playground's bar lists.
var ExploreLinks = []Link{
	{Title: "trusted-partner-designation", Href: "/explore/trusted-partner-designation"},
	{Title: "american-ai-exports-program", Href: "/explore/american-ai-exports-program"},
	{Title: "anthropic", Href: "/explore/anthropic"},
	{Title: "amazon-web-services", Href: "/explore/amazon-web-services"},
}

// DefaultHeaders is what the headers pane opens with: a place for a bearer
// token. The page does not send an Authorization header whose token is
// empty.
const DefaultHeaders = "{\n  \"Authorization\": \"Bearer \"\n}"

// csp keeps every load on this server: scripts, workers, styles, fonts and
// GraphQL requests (HTTP and WebSocket) go to 'self' only. Inline styles
// are React's; data: fonts are Monaco's and GraphiQL's embedded fonts.
const csp = "default-src 'self'; script-src 'self'; worker-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

var page = template.Must(template.New("playground").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>stancegraph playground</title>
<link rel="stylesheet" href="{{.Prefix}}playground.css">
</head>
<body>
<nav id="stancegraph-bar" aria-label="stancegraph">
<strong>stancegraph</strong>
<span>GraphQL at <code>{{.Endpoint}}</code>; put a bearer token in the Headers pane when the server needs one.</span>
<span>Explore: {{range $i, $l := .Links}}{{if $i}} · {{end}}<a href="{{$l.Href}}">{{$l.Title}}</a>{{end}}</span>
<span class="examples">Example tabs: {{range $i, $e := .Examples}}{{if $i}} · {{end}}{{$e.Title}}{{end}}</span>
</nav>
<div id="graphiql">Loading the playground…</div>
<script id="stancegraph-config" type="application/json">{{.Config}}</script>
<script type="module" src="{{.Prefix}}playground.js"></script>
</body>
</html>
`))

// Handler serves the playground page (mount it on "GET /{$}") and its
// assets (mount it on "GET /playground/"), for a GraphQL endpoint at
// endpoint.
func Handler(endpoint string) http.Handler {
	cfg, err := json.Marshal(struct {
		Endpoint string    `json:"endpoint"`
		Headers  string    `json:"headers"`
		Examples []Example `json:"examples"`
	}{endpoint, DefaultHeaders, Examples})
	if err != nil {
		panic(err) // static data
	}
	var buf bytes.Buffer
	err = page.Execute(&buf, map[string]any{
		"Prefix":   AssetPrefix,
		"Endpoint": endpoint,
		"Links":    ExploreLinks,
		"Examples": Examples,
		// json.Marshal escapes <, > and &, so the JSON cannot end the
		// script element.
		"Config": template.JS(cfg),
	})
	if err != nil {
		panic(err)
	}
	html := buf.Bytes()
	assets, err := loadAssets()
	if err != nil {
		panic(err) // the embedded bundle is unreadable: a broken build
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		if r.URL.Path == "/" {
			h.Set("Content-Type", "text/html; charset=utf-8")
			h.Set("Cache-Control", "no-cache")
			_, _ = w.Write(html)
			return
		}
		a, ok := assets[strings.TrimPrefix(r.URL.Path, AssetPrefix)]
		if !ok {
			http.NotFound(w, r)
			return
		}
		a.serve(w, r)
	})
}

// asset is one file of the bundle. Embedded files have no modification
// time: an ETag lets browsers revalidate instead of downloading the bundle
// again. The gzipped copy is made on first demand (the bundle is mostly
// Monaco, about 5 MB, a quarter of that gzipped).
type asset struct {
	name string
	data []byte
	etag string
	once sync.Once
	gz   []byte
}

func loadAssets() (map[string]*asset, error) {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		return nil, err
	}
	out := map[string]*asset{}
	err = fs.WalkDir(sub, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(sub, path)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		out[path] = &asset{name: path, data: b, etag: hex.EncodeToString(sum[:12])}
		return nil
	})
	return out, err
}

func (a *asset) serve(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Cache-Control", "no-cache")
	h.Set("Vary", "Accept-Encoding")
	if ct := mime.TypeByExtension(filepath.Ext(a.name)); ct != "" {
		h.Set("Content-Type", ct)
	}
	body, tag := a.data, `"`+a.etag+`"`
	if acceptsGzip(r.Header.Get("Accept-Encoding")) {
		a.once.Do(func() {
			var buf bytes.Buffer
			zw, _ := gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
			_, _ = zw.Write(a.data)
			_ = zw.Close()
			a.gz = buf.Bytes()
		})
		body, tag = a.gz, `"`+a.etag+`-gzip"`
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("ETag", tag)
	http.ServeContent(w, r, a.name, time.Time{}, bytes.NewReader(body))
}

// acceptsGzip reports whether an Accept-Encoding header admits gzip.
func acceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(coding), "gzip") {
			return strings.ReplaceAll(strings.TrimSpace(params), " ", "") != "q=0"
		}
	}
	return false
}
