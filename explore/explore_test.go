package explore_test

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/explore"
	"github.com/stancegraph/stancegraph/seed"
	"github.com/stancegraph/stancegraph/store/memstore"
)

// seeded returns an embedded store holding the bundled seed.
func seeded(tb testing.TB) *memstore.Store {
	tb.Helper()
	s := memstore.OpenMemory()
	tb.Cleanup(func() { s.Close() })
	g, err := seed.Bundled()
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := seed.Load(context.Background(), s, g, false); err != nil {
		tb.Fatal(err)
	}
	return s
}

func svgOf(t *testing.T, d *explore.Drawing) string {
	t.Helper()
	svg, err := explore.SVG(context.Background(), d)
	if err != nil {
		t.Fatalf("SVG: %v\n%s", err, d.DOT)
	}
	return string(svg)
}

// edgeTitles returns the <title> of every edge group of an SVG.
func edgeTitles(svg string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`(?s)<g id="e[0-9]+" class="edge">\s*<title>(.*?)</title>`).FindAllStringSubmatch(svg, -1) {
		out = append(out, m[1])
	}
	return out
}

func TestStanceMap_Proposal(t *testing.T) {
	s := seeded(t)
	d, err := explore.StanceMap(context.Background(), s, "trusted-partner-designation")
	if err != nil {
		t.Fatal(err)
	}
	svg := svgOf(t, d)
	for _, want := range []string{"Anthropic", "Amazon Web Services", "Supporters (2)", "Opposers (0)", `xlink:href="/explore/anthropic"`} {
		if !strings.Contains(svg, want) {
			t.Errorf("stance map lacks %q", want)
		}
	}
	titles := edgeTitles(svg)
	if len(titles) != 2 {
		t.Fatalf("edge titles = %q, want one per position (2)", titles)
	}
	joined := strings.Join(titles, "\n")
	for _, want := range []string{"anthropic supports trusted-partner-designation: “Commerce should employ guardrails", "amazon-web-services supports trusted-partner-designation: “AWS submitted comments"} {
		if !strings.Contains(joined, want) {
			t.Errorf("edge titles %q lack %q", titles, want)
		}
	}
	// Supporters are left of the proposal: their nodes' x is smaller.
	x := func(id string) float64 {
		m := regexp.MustCompile(`(?s)<title>` + regexp.QuoteMeta(strings.ReplaceAll(id, "-", "&#45;")) + `</title>.*?<text text-anchor="middle" x="([0-9.]+)"`).FindStringSubmatch(svg)
		if m == nil {
			t.Fatalf("no node %s in the SVG", id)
		}
		var f float64
		fmt.Sscan(m[1], &f)
		return f
	}
	if a, p := x("anthropic"), x("trusted-partner-designation"); a >= p {
		t.Errorf("supporter at x=%v is not left of the proposal at x=%v", a, p)
	}
}

// A conditional position shows its condition and its date's qualifier.
func TestStanceMap_Condition(t *testing.T) {
	s := seeded(t)
	d, err := explore.StanceMap(context.Background(), s, "us-anchored-ai-consortia")
	if err != nil {
		t.Fatal(err)
	}
	joined := strings.Join(edgeTitles(svgOf(t, d)), "\n")
	for _, want := range []string{"anthropic supports us-anchored-ai-consortia", "on condition: “guardrails to ensure U.S. national security", "XXXX-12-13 (ON_OR_BEFORE)"} {
		if !strings.Contains(joined, want) {
			t.Errorf("edge titles %q lack %q", joined, want)
		}
	}
}

func TestStanceMap_Actor(t *testing.T) {
	s := seeded(t)
	d, err := explore.StanceMap(context.Background(), s, "amazon-web-services")
	if err != nil {
		t.Fatal(err)
	}
	svg := svgOf(t, d)
	ps, err := s.Positions(context.Background(), stancegraph.PositionFilter{ActorIDs: []string{"amazon-web-services"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := len(edgeTitles(svg)); got != len(ps) {
		t.Errorf("%d edges for %d positions", got, len(ps))
	}
	var opposes bool
	for _, p := range ps {
		if p.Stance == stancegraph.Opposes {
			opposes = true
			if !strings.Contains(svg, "amazon-web-services opposes "+p.TargetID) {
				t.Errorf("no edge titled with the opposition to %s", p.TargetID)
			}
		}
	}
	if !opposes {
		t.Fatal("the seed's AWS opposes nothing: the test lost its subject")
	}
}

func TestStanceMap_Errors(t *testing.T) {
	s := seeded(t)
	for _, c := range []struct{ id, code string }{
		{"no-such-entity", stancegraph.ENOTFOUND},
		{"Not_A_Slug", stancegraph.EINVALID},
		{"", stancegraph.EINVALID},
		{"industry-calls-for-us-leadership-in-ai", stancegraph.EINVALID}, // a source
	} {
		_, err := explore.StanceMap(context.Background(), s, c.id)
		if got := stancegraph.ErrorCode(err); got != c.code {
			t.Errorf("StanceMap(%q) = %v (%s), want %s", c.id, err, got, c.code)
		}
	}
}

func TestNeighbourhood_Depth(t *testing.T) {
	s := seeded(t)
	ctx := context.Background()
	d1, err := explore.Neighbourhood(ctx, s, "trusted-partner-designation", 1)
	if err != nil {
		t.Fatal(err)
	}
	d2, err := explore.Neighbourhood(ctx, s, "trusted-partner-designation", 2)
	if err != nil {
		t.Fatal(err)
	}
	nodes := func(d *explore.Drawing) int {
		return len(regexp.MustCompile(`(?m)^  "[a-z0-9-]+" \[label=`).FindAll(d.DOT, -1))
	}
	n1, n2 := nodes(d1), nodes(d2)
	if n1 != 4 { // the proposal, its two backers, its program
		t.Errorf("depth 1 has %d nodes, want 4:\n%s", n1, d1.DOT)
	}
	if n2 <= n1 {
		t.Errorf("depth 2 has %d nodes, depth 1 %d", n2, n1)
	}
	svg := svgOf(t, d2)
	for _, want := range []string{"Legend", "Company", "Program", "PolicyProposal"} {
		if !strings.Contains(svg, want) {
			t.Errorf("neighbourhood lacks %q", want)
		}
	}
	for _, depth := range []int{0, 3, -1} {
		if _, err := explore.Neighbourhood(ctx, s, "anthropic", depth); stancegraph.ErrorCode(err) != stancegraph.EINVALID {
			t.Errorf("depth %d: %v, want INVALID", depth, err)
		}
	}
	if _, err := explore.Neighbourhood(ctx, s, "no-such-entity", 1); stancegraph.ErrorCode(err) != stancegraph.ENOTFOUND {
		t.Errorf("unknown centre: %v, want NOT_FOUND", err)
	}
}

// star is a store with one proposal and n companies supporting it, with
// names that need escaping in DOT, SVG and HTML.
func star(t *testing.T, n int) *memstore.Store {
	t.Helper()
	s := memstore.OpenMemory()
	t.Cleanup(func() { s.Close() })
	g := &stancegraph.Graph{Entities: []*stancegraph.Entity{
		{ID: "hub", Kind: stancegraph.KindPolicyProposal, Name: `The "hub" \ proposal <script>alert(1)</script>`},
		{ID: "doc", Kind: stancegraph.KindSource, Name: "A document", SourceKind: stancegraph.OtherSource, URL: "https://example.org/doc?a=1&b=<x>"},
	}}
	for i := range n {
		id := fmt.Sprintf("company-%03d", i)
		g.Entities = append(g.Entities, &stancegraph.Entity{ID: id, Kind: stancegraph.KindCompany, Name: fmt.Sprintf("Company %d & <b>sons</b>", i)})
		g.Positions = append(g.Positions, &stancegraph.Position{ActorID: id, TargetID: "hub", Stance: stancegraph.Supports, Strength: 1 + i%2, Quote: `we "like" it </title><script>x</script>`, SourceID: "doc", StatedAt: "2025-01-02"})
	}
	if _, err := s.Import(context.Background(), g); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestDrawings_Bounded(t *testing.T) {
	s := star(t, explore.MaxNodes+30)
	ctx := context.Background()
	d, err := explore.Neighbourhood(ctx, s, "hub", 1)
	if err != nil {
		t.Fatal(err)
	}
	svg := svgOf(t, d)
	if got := strings.Count(svg, `class="node"`) - 1; got > explore.MaxNodes { // less the legend
		t.Errorf("%d nodes drawn, at most %d allowed", got, explore.MaxNodes)
	}
	if !strings.Contains(svg, fmt.Sprintf("the first %d nodes", explore.MaxNodes)) {
		t.Error("the drawing does not say it is cut")
	}
	m, err := explore.StanceMap(ctx, s, "hub")
	if err != nil {
		t.Fatal(err)
	}
	msvg := svgOf(t, m)
	if got := len(edgeTitles(msvg)); got != explore.MaxStanceEdges {
		t.Errorf("%d position edges drawn, want %d", got, explore.MaxStanceEdges)
	}
	if !strings.Contains(msvg, fmt.Sprintf("and %d more positions", explore.MaxNodes+30-explore.MaxStanceEdges)) {
		t.Error("the stance map does not count the positions it leaves out")
	}
	for _, svg := range []string{svg, msvg} {
		if strings.Contains(svg, "<script") || strings.Contains(svg, "<b>") || strings.Contains(svg, "<x>") {
			t.Error("data reached the SVG unescaped")
		}
	}
	// Strongly stated positions are drawn wider.
	if !strings.Contains(msvg, `stroke-width="4"`) || !strings.Contains(msvg, `stroke-width="1.5"`) {
		t.Error("edge widths do not follow strength")
	}
}

func TestSVG_Cancelled(t *testing.T) {
	s := seeded(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	// A drawing no other test lays out, so no cached layout answers.
	d := &explore.Drawing{DOT: []byte(`digraph "cancelled" { "a" -> "b" }`)}
	if _, err := explore.SVG(ctx, d); stancegraph.ErrorCode(err) != stancegraph.EUNAVAILABLE {
		t.Errorf("SVG on a cancelled context: %v, want UNAVAILABLE", err)
	}
	if _, err := explore.Neighbourhood(ctx, s, "anthropic", 1); err == nil {
		t.Error("Neighbourhood ran on a cancelled context")
	}
	expired, cancel2 := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel2()
	if _, err := explore.SVG(expired, d); stancegraph.ErrorCode(err) != stancegraph.ETIMEOUT {
		t.Errorf("SVG past its deadline: %v, want TIMEOUT", err)
	}
	// The engine still works afterwards (a layout cancelled midway would
	// break it for good, so none is).
	if svg, err := explore.SVG(context.Background(), d); err != nil || !strings.Contains(string(svg), "<svg") {
		t.Errorf("SVG after a cancellation: %v", err)
	}
}

func serve(t *testing.T, s stancegraph.Store) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.Handle("GET /explore/{id}", explore.PageHandler(s))
	mux.Handle("GET /export/svg", explore.ExportHandler(s, "svg"))
	mux.Handle("GET /export/dot", explore.ExportHandler(s, "dot"))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func get(t *testing.T, url string) (*http.Response, string) {
	t.Helper()
	resp, err := http.Get(url)
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

func TestPageHandler(t *testing.T) {
	srv := serve(t, seeded(t))
	t.Run("OK", func(t *testing.T) {
		resp, body := get(t, srv.URL+"/explore/trusted-partner-designation")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d: %s", resp.StatusCode, body)
		}
		for _, want := range []string{`<a href="/">`, `id="stance-map-svg"`, `id="neighbourhood-svg"`, "Anthropic", "Amazon Web Services", `href="/export/svg?center=trusted-partner-designation&amp;depth=1"`} {
			if !strings.Contains(body, want) {
				t.Errorf("page lacks %q", want)
			}
		}
		if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
			t.Errorf("CSP = %q", csp)
		}
		// No script and nothing from another host.
		if strings.Contains(body, "<script") || regexp.MustCompile(`(?:src|href)="(?:https?:)?//`).MatchString(body) {
			t.Error("the page loads a script or refers to another host")
		}
	})
	t.Run("Depth2", func(t *testing.T) {
		resp, body := get(t, srv.URL+"/explore/anthropic?depth=2")
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, "(depth 2)") {
			t.Errorf("status %d, depth-2 drawing missing", resp.StatusCode)
		}
	})
	t.Run("Source", func(t *testing.T) { // no stance map, a neighbourhood
		resp, body := get(t, srv.URL+"/explore/industry-calls-for-us-leadership-in-ai")
		if resp.StatusCode != http.StatusOK || strings.Contains(body, `id="stance-map-svg"`) || !strings.Contains(body, `id="neighbourhood-svg"`) {
			t.Errorf("status %d", resp.StatusCode)
		}
	})
	for _, c := range []struct {
		name, path string
		status     int
		want       string
	}{
		{"NotFound", "/explore/openai-inc", http.StatusNotFound, `no entity with id &#34;openai-inc&#34;`},
		{"Malformed", "/explore/OpenAI", http.StatusBadRequest, "not a slug"},
		{"BadDepth", "/explore/anthropic?depth=3", http.StatusBadRequest, "depth must be between 1 and 2"},
		{"NaNDepth", "/explore/anthropic?depth=x", http.StatusBadRequest, "depth must be between 1 and 2"},
	} {
		t.Run(c.name, func(t *testing.T) {
			resp, body := get(t, srv.URL+c.path)
			if resp.StatusCode != c.status || !strings.Contains(body, c.want) {
				t.Errorf("status %d, body %s; want %d with %q", resp.StatusCode, body, c.status, c.want)
			}
			if !strings.Contains(body, `<a href="/">`) || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
				t.Error("error page is not an HTML page linking the playground")
			}
		})
	}
}

func TestExportHandler(t *testing.T) {
	srv := serve(t, seeded(t))
	resp, svg := get(t, srv.URL+"/export/svg?center=trusted-partner-designation&depth=2")
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/svg+xml" || !strings.Contains(svg, "<svg") {
		t.Fatalf("svg: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if cd := resp.Header.Get("Content-Disposition"); !strings.Contains(cd, `trusted-partner-designation-depth-2.svg`) {
		t.Errorf("Content-Disposition = %q", cd)
	}
	resp, dot := get(t, srv.URL+"/export/dot?center=trusted-partner-designation&depth=2")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(dot, `digraph "neighbourhood"`) {
		t.Fatalf("dot: %d %q", resp.StatusCode, dot[:min(len(dot), 80)])
	}
	// The same drawing: the SVG is the DOT laid out.
	d, err := explore.Neighbourhood(context.Background(), seeded(t), "trusted-partner-designation", 2)
	if err != nil {
		t.Fatal(err)
	}
	if string(d.DOT) != dot {
		t.Error("/export/dot differs from the drawing of /explore")
	}
	resp, stance := get(t, srv.URL+"/export/svg?center=trusted-partner-designation&drawing=stance")
	if resp.StatusCode != http.StatusOK || !strings.Contains(stance, "Supporters (2)") {
		t.Errorf("stance map export: %d", resp.StatusCode)
	}
	for _, c := range []struct {
		query  string
		status int
	}{
		{"center=no-such-thing", http.StatusNotFound},
		{"center=Bad_Id", http.StatusBadRequest},
		{"", http.StatusBadRequest},
		{"center=anthropic&depth=9", http.StatusBadRequest},
		{"center=anthropic&drawing=pie", http.StatusBadRequest},
	} {
		resp, body := get(t, srv.URL+"/export/svg?"+c.query)
		if resp.StatusCode != c.status || !strings.Contains(body, `"code"`) {
			t.Errorf("?%s = %d %s, want %d with a code", c.query, resp.StatusCode, body, c.status)
		}
	}
}

var update = flag.Bool("update", false, "rewrite docs/images/ from the seed")

// TestDocsPicture keeps the stance map in docs/images/ what the seed draws
// (go test ./explore -run TestDocsPicture -update rewrites it).
func TestDocsPicture(t *testing.T) {
	d, err := explore.StanceMap(context.Background(), seeded(t), "trusted-partner-designation")
	if err != nil {
		t.Fatal(err)
	}
	svg := svgOf(t, d)
	path := filepath.Join("..", "docs", "images", "trusted-partner-designation-stance-map.svg")
	if *update {
		if err := os.WriteFile(path, []byte(svg), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(want) != svg {
		t.Errorf("%s is not what the seed draws: go test ./explore -run TestDocsPicture -update", path)
	}
}

func TestPageHandler_Bounded(t *testing.T) {
	n := 2*explore.MaxStanceEdges + 7
	srv := serve(t, star(t, n))
	resp, body := get(t, srv.URL+"/explore/hub")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if got := strings.Count(body, `<span class="supports">`); got != 2*explore.MaxStanceEdges {
		t.Errorf("%d positions listed, want %d", got, 2*explore.MaxStanceEdges)
	}
	if !strings.Contains(body, "and 7 more positions") {
		t.Error("the list does not count the positions it leaves out")
	}
	if strings.Contains(body, "<script") || strings.Contains(body, "<b>sons") {
		t.Error("data reached the page unescaped")
	}
	// Edges link the source's URL, escaped.
	if !strings.Contains(body, `xlink:href="https://example.org/doc?a=1&amp;b=&lt;x&gt;"`) {
		t.Error("edges do not link their source's URL")
	}
}
