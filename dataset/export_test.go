package dataset_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/dataset"
	"github.com/stancegraph/stancegraph/seed"
	"github.com/stancegraph/stancegraph/store/memstore"
)

func mustExport(t *testing.T, s stancegraph.Store, f dataset.Filter) *stancegraph.Graph {
	t.Helper()
	g, err := dataset.Export(t.Context(), s, f)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// seeded returns an embedded store holding the bundled data set.
func seeded(t *testing.T) *memstore.Store {
	t.Helper()
	g, err := seed.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	s := memstore.OpenMemory()
	t.Cleanup(func() { s.Close() })
	if _, err := s.Import(t.Context(), g); err != nil {
		t.Fatal(err)
	}
	return s
}

func write(t *testing.T, f dataset.Format, g *stancegraph.Graph) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := dataset.Write(&b, f, g); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// Export JSON, import it into an empty store, export again: the same bytes.
// The same holds of YAML, NDJSON and the CSV tables.
func TestExport_RoundTrips(t *testing.T) {
	s := seeded(t)
	g := mustExport(t, s, dataset.Filter{})
	want := write(t, dataset.JSON, g)
	for _, f := range []dataset.Format{dataset.JSON, dataset.YAML, dataset.NDJSON, dataset.CSV} {
		t.Run(string(f), func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "graph"+f.Ext())
			if f == dataset.CSV {
				path = dir + "/"
			}
			if err := dataset.WriteFile(path, f, g); err != nil {
				t.Fatal(err)
			}
			src, err := dataset.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			other := memstore.OpenMemory()
			defer other.Close()
			if _, err := dataset.Import(t.Context(), src, other, dataset.Options{}); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(string(want), string(write(t, dataset.JSON, mustExport(t, other, dataset.Filter{})))); diff != "" {
				t.Errorf("round trip through %s changed the graph (-before +after):\n%s", f, diff)
			}
		})
	}
}

// graphmlDoc reads GraphML independently of the writer's types.
type graphmlDoc struct {
	Keys []struct {
		ID   string `xml:"id,attr"`
		For  string `xml:"for,attr"`
		Name string `xml:"attr.name,attr"`
		Type string `xml:"attr.type,attr"`
	} `xml:"key"`
	Graph struct {
		EdgeDefault string `xml:"edgedefault,attr"`
		Nodes       []struct {
			ID   string `xml:"id,attr"`
			Data []struct {
				Key   string `xml:"key,attr"`
				Value string `xml:",chardata"`
			} `xml:"data"`
		} `xml:"node"`
		Edges []struct {
			ID     string `xml:"id,attr"`
			Source string `xml:"source,attr"`
			Target string `xml:"target,attr"`
			Data   []struct {
				Key   string `xml:"key,attr"`
				Value string `xml:",chardata"`
			} `xml:"data"`
		} `xml:"edge"`
	} `xml:"http://graphml.graphdrawing.org/xmlns graph"`
}

func TestExport_GraphML(t *testing.T) {
	s := seeded(t)
	g := mustExport(t, s, dataset.Filter{})
	var doc graphmlDoc
	if err := xml.Unmarshal(write(t, dataset.GraphML, g), &doc); err != nil {
		t.Fatal(err)
	}
	keys := map[string]string{} // id -> name:type
	for _, k := range doc.Keys {
		keys[k.ID] = k.For + ":" + k.Name + ":" + k.Type
	}
	for _, want := range []string{"node:kind:string", "node:label:string", "edge:stance:string", "edge:strength:int", "edge:weight:double", "edge:statedAt:string", "edge:type:string"} {
		if !slices.Contains(mapValues(keys), want) {
			t.Errorf("no key %s among %v", want, keys)
		}
	}
	if doc.Graph.EdgeDefault != "directed" || len(doc.Graph.Nodes) != len(g.Entities) || len(doc.Graph.Edges) != len(g.Positions)+len(g.Relations) {
		t.Fatalf("%d nodes, %d edges (%s), want %d and %d", len(doc.Graph.Nodes), len(doc.Graph.Edges), doc.Graph.EdgeDefault, len(g.Entities), len(g.Positions)+len(g.Relations))
	}
	nodes := map[string]map[string]string{}
	for _, n := range doc.Graph.Nodes {
		nodes[n.ID] = map[string]string{}
		for _, d := range n.Data {
			nodes[n.ID][strings.SplitN(keys[d.Key], ":", 3)[1]] = d.Value
		}
	}
	if got := nodes["openai"]; got["kind"] != "COMPANY" || got["label"] != "OpenAI" {
		t.Errorf("node openai = %v", got)
	}
	byID := map[string]*stancegraph.Position{}
	for _, p := range g.Positions {
		byID[p.ID] = p
	}
	checked := 0
	for _, e := range doc.Graph.Edges {
		attrs := map[string]string{}
		for _, d := range e.Data {
			attrs[strings.SplitN(keys[d.Key], ":", 3)[1]] = d.Value
		}
		if p := byID[e.ID]; p != nil {
			checked++
			want := map[string]string{"type": string(p.Stance), "stance": string(p.Stance), "strength": strconv.Itoa(p.Strength), "weight": strconv.Itoa(p.Strength),
				"quote": p.Quote, "source": p.SourceID, "statedAt": string(p.StatedAt)}
			for k, v := range map[string]string{"statedStart": p.Stated().Start(), "statedEnd": p.Stated().End(),
				"statedAtQualifier": string(p.StatedAtQualifier), "condition": p.Condition} {
				if v != "" {
					want[k] = v
				}
			}
			if diff := cmp.Diff(want, attrs); diff != "" || e.Source != p.ActorID || e.Target != p.TargetID {
				t.Errorf("edge %s %s->%s (-want +got):\n%s", e.ID, e.Source, e.Target, diff)
			}
		} else if _, ok := nodes[e.Source]; !ok || attrs["type"] == "" {
			t.Errorf("edge %s from unknown node %s or without type: %v", e.ID, e.Source, attrs)
		}
	}
	if checked != len(g.Positions) {
		t.Errorf("%d position edges, want %d", checked, len(g.Positions))
	}
}

func mapValues(m map[string]string) []string {
	var out []string
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

type gexfDoc struct {
	Version string `xml:"version,attr"`
	Graph   struct {
		EdgeType   string `xml:"defaultedgetype,attr"`
		Attributes []struct {
			Class string `xml:"class,attr"`
			Attrs []struct {
				ID   string `xml:"id,attr"`
				Type string `xml:"type,attr"`
			} `xml:"attribute"`
		} `xml:"attributes"`
		Nodes []struct {
			ID     string `xml:"id,attr"`
			Label  string `xml:"label,attr"`
			Values []struct {
				For   string `xml:"for,attr"`
				Value string `xml:"value,attr"`
			} `xml:"attvalues>attvalue"`
			Color struct {
				R int `xml:"r,attr"`
				G int `xml:"g,attr"`
				B int `xml:"b,attr"`
			} `xml:"http://www.gexf.net/1.2draft/viz color"`
		} `xml:"nodes>node"`
		Edges []struct {
			ID     string `xml:"id,attr"`
			Source string `xml:"source,attr"`
			Target string `xml:"target,attr"`
			Label  string `xml:"label,attr"`
			Weight string `xml:"weight,attr"`
			Values []struct {
				For   string `xml:"for,attr"`
				Value string `xml:"value,attr"`
			} `xml:"attvalues>attvalue"`
			Color struct {
				R int `xml:"r,attr"`
				G int `xml:"g,attr"`
				B int `xml:"b,attr"`
			} `xml:"http://www.gexf.net/1.2draft/viz color"`
		} `xml:"edges>edge"`
	} `xml:"http://www.gexf.net/1.2draft graph"`
}

func TestExport_GEXF(t *testing.T) {
	s := seeded(t)
	g := mustExport(t, s, dataset.Filter{})
	var doc gexfDoc
	if err := xml.Unmarshal(write(t, dataset.GEXF, g), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Version != "1.2" || doc.Graph.EdgeType != "directed" || len(doc.Graph.Nodes) != len(g.Entities) || len(doc.Graph.Edges) != len(g.Positions)+len(g.Relations) {
		t.Fatalf("version %s, %d nodes, %d edges", doc.Version, len(doc.Graph.Nodes), len(doc.Graph.Edges))
	}
	types := map[string]string{}
	for _, a := range doc.Graph.Attributes {
		for _, x := range a.Attrs {
			types[a.Class+":"+x.ID] = x.Type
		}
	}
	for k, v := range map[string]string{"node:kind": "string", "edge:stance": "string", "edge:strength": "integer", "edge:statedAt": "string"} {
		if types[k] != v {
			t.Errorf("attribute %s has type %q, want %q", k, types[k], v)
		}
	}
	kinds := map[string]map[[3]int]bool{}
	for _, n := range doc.Graph.Nodes {
		for _, v := range n.Values {
			if v.For == "kind" {
				if kinds[v.Value] == nil {
					kinds[v.Value] = map[[3]int]bool{}
				}
				kinds[v.Value][[3]int{n.Color.R, n.Color.G, n.Color.B}] = true
			}
		}
	}
	for k, colors := range kinds {
		if len(colors) != 1 {
			t.Errorf("kind %s has %d colours", k, len(colors))
		}
	}
	stanceColors := map[string][3]int{}
	for _, e := range doc.Graph.Edges {
		if e.Label == "SUPPORTS" || e.Label == "OPPOSES" {
			stanceColors[e.Label] = [3]int{e.Color.R, e.Color.G, e.Color.B}
			if e.Weight != "1" && e.Weight != "2" {
				t.Errorf("position %s has weight %q", e.ID, e.Weight)
			}
		}
	}
	if len(stanceColors) != 2 || stanceColors["SUPPORTS"] == stanceColors["OPPOSES"] {
		t.Errorf("stance colours %v", stanceColors)
	}
}

// The statement CSV has one row per position, with the names of its ends,
// and imports back as positions.
func TestExport_Statements(t *testing.T) {
	s := seeded(t)
	g := mustExport(t, s, dataset.Filter{})
	rows, err := csv.NewReader(bytes.NewReader(write(t, dataset.CSV, g))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(dataset.StatementColumns, rows[0]); diff != "" {
		t.Fatalf("header (-want +got):\n%s", diff)
	}
	if len(rows)-1 != len(g.Positions) {
		t.Fatalf("%d rows, want %d", len(rows)-1, len(g.Positions))
	}
	names := map[string]string{}
	for _, e := range g.Entities {
		names[e.ID] = e.Name
	}
	for i, p := range g.Positions {
		r := rows[i+1]
		if r[0] != p.ActorID || r[1] != names[p.ActorID] || r[2] != p.TargetID || r[4] != string(p.Stance) || r[6] != p.Quote || r[9] != string(p.StatedAt) || r[10] != p.ID {
			t.Errorf("row %d = %q for %+v", i+1, r, p)
		}
	}
	path := filepath.Join(t.TempDir(), "statements.csv")
	if err := dataset.WriteFile(path, dataset.CSV, g); err != nil {
		t.Fatal(err)
	}
	src, _ := dataset.Open(path)
	rep, err := dataset.Import(t.Context(), src, s, dataset.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Result.Positions.Unchanged != len(g.Positions) {
		t.Fatalf("statements re-imported: %+v", rep.Result)
	}
}

// A cell a spreadsheet would run as a formula is written quoted and read
// back as it was.
func TestCSV_FormulaCells(t *testing.T) {
	g := &stancegraph.Graph{Entities: []*stancegraph.Entity{{ID: "x", Kind: stancegraph.KindCompany, Name: "=HYPERLINK(\"evil\")"}}}
	var b bytes.Buffer
	if err := dataset.WriteNodes(&b, g.Entities); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `'=HYPERLINK`) {
		t.Fatalf("formula not escaped: %s", b.String())
	}
	d := dataset.ParseCSV("nodes.csv", b.Bytes())
	if got := d.Graph().Entities[0].Name; got != g.Entities[0].Name {
		t.Fatalf("read back %q", got)
	}
}

// Spreadsheets write a byte-order mark, semicolons and lower-case enums.
func TestCSV_SpreadsheetDialects(t *testing.T) {
	data := "\uFEFFID;Kind;Name;Source Kind\nacme;company;Acme;\nbsa;trade association;BSA;\ns;source;S;public comment\n"
	d := dataset.ParseCSV("nodes.csv", []byte(data))
	g := d.Graph()
	if len(g.Entities) != 3 || g.Entities[1].Kind != stancegraph.KindTradeAssociation || g.Entities[2].SourceKind != stancegraph.PublicComment {
		t.Fatalf("entities = %+v", g.Entities)
	}
}

func TestExport_Filters(t *testing.T) {
	s := seeded(t)
	all := mustExport(t, s, dataset.Filter{})
	tests := []struct {
		name   string
		filter dataset.Filter
		keep   func(p *stancegraph.Position) bool
	}{
		{"Targets", dataset.Filter{Targets: []string{"trusted-partner-designation"}}, func(p *stancegraph.Position) bool { return p.TargetID == "trusted-partner-designation" }},
		// The seed's positions are dated XXXX-12-13, ON_OR_BEFORE: in a year
		// the article does not give, so any window may hold them.
		{"Window", dataset.Filter{From: "2025-12-13", To: "2025-12-13"}, func(p *stancegraph.Position) bool { return true }},
		{"AnyYear", dataset.Filter{From: "2020-01-01", To: "2020-12-31"}, func(p *stancegraph.Position) bool { return true }},
		{"UnknownTopic", dataset.Filter{Topics: []string{"no-such-topic"}}, func(p *stancegraph.Position) bool { return false }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := mustExport(t, s, tt.filter)
			var want []string
			for _, p := range all.Positions {
				if tt.keep(p) {
					want = append(want, p.ID)
				}
			}
			var got []string
			for _, p := range g.Positions {
				got = append(got, p.ID)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("positions (-want +got):\n%s", diff)
			}
			// The export is a graph of its own: it imports into an empty store.
			if _, err := memstore.OpenMemory().Import(t.Context(), g); err != nil {
				t.Errorf("filtered export does not import: %v", err)
			}
		})
	}
	t.Run("Topics", func(t *testing.T) {
		var topic string
		for _, e := range all.Entities {
			if len(e.Topics) > 0 {
				topic = e.Topics[0]
				break
			}
		}
		g := mustExport(t, s, dataset.Filter{Topics: []string{topic}})
		if len(g.Positions) == 0 {
			t.Fatalf("no positions on proposals about %q", topic)
		}
		kinds := map[string]stancegraph.Kind{}
		topics := map[string][]string{}
		for _, e := range g.Entities {
			kinds[e.ID], topics[e.ID] = e.Kind, e.Topics
		}
		for _, p := range g.Positions {
			if !slices.Contains(topics[p.TargetID], topic) {
				t.Errorf("position on %s, which is not about %s", p.TargetID, topic)
			}
		}
	})
	for _, bad := range []dataset.Filter{{Targets: []string{"Not A Slug"}}, {From: "2025-13-01"}, {From: "2025-02-01", To: "2025-01-01"}} {
		if _, err := dataset.Export(t.Context(), s, bad); stancegraph.ErrorCode(err) != stancegraph.EINVALID {
			t.Errorf("Export(%+v) = %v, want INVALID", bad, err)
		}
	}
}

func TestHandler(t *testing.T) {
	s := seeded(t)
	mux := http.NewServeMux()
	mux.Handle("GET /export/{format}", dataset.Handler(s))
	srv := httptest.NewServer(mux)
	defer srv.Close()
	get := func(path string) (*http.Response, []byte) {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b bytes.Buffer
		_, _ = b.ReadFrom(resp.Body)
		return resp, b.Bytes()
	}
	for _, f := range dataset.Formats {
		resp, body := get("/export/" + string(f))
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != f.ContentType() || len(body) == 0 {
			t.Errorf("GET /export/%s = %d %s, %d bytes", f, resp.StatusCode, resp.Header.Get("Content-Type"), len(body))
		}
	}
	resp, body := get("/export/json?targets=trusted-partner-designation&from=2025-01-01&to=2025-12-31")
	var g stancegraph.Graph
	if err := json.Unmarshal(body, &g); err != nil || resp.StatusCode != 200 {
		t.Fatalf("filtered JSON: %d %v", resp.StatusCode, err)
	}
	for _, p := range g.Positions {
		if p.TargetID != "trusted-partner-designation" {
			t.Errorf("position on %s", p.TargetID)
		}
	}
	if len(g.Positions) == 0 {
		t.Error("no positions")
	}
	for path, status := range map[string]int{"/export/pdf": 404, "/export/json?from=yesterday": 400, "/export/csv?targets=Bad+Id": 400} {
		if resp, body := get(path); resp.StatusCode != status || !strings.Contains(string(body), `"error"`) {
			t.Errorf("GET %s = %d %s, want %d", path, resp.StatusCode, body, status)
		}
	}
}

func TestCypher_Quoting(t *testing.T) {
	g := &stancegraph.Graph{Entities: []*stancegraph.Entity{{ID: "x", Kind: stancegraph.KindCompany, Name: "O'Brien \\ \"Co\"\nLine\u2028"}}}
	out := string(write(t, dataset.Cypher, g))
	if !strings.Contains(out, `name: 'O\'Brien \\ "Co"\nLine\u2028'`) {
		t.Fatalf("cypher:\n%s", out)
	}
}

// The two-mode network has one node per actor and target and one edge per
// (actor, target, stance), with the strongest strength and the evidence
// count.
func TestExport_TwoModeGraphML(t *testing.T) {
	s := seeded(t)
	g := mustExport(t, s, dataset.Filter{})
	var b bytes.Buffer
	if err := dataset.WriteTwoModeGraphML(&b, g); err != nil {
		t.Fatal(err)
	}
	var doc graphmlDoc
	if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	keys := map[string]string{}
	for _, k := range doc.Keys {
		keys[k.ID] = k.Name
	}
	type edge struct{ stance, strength, positions string }
	want := map[string]edge{}
	for _, p := range g.Positions {
		id := strings.ToLower(string(p.Stance)) + "-" + p.ActorID + "-" + p.TargetID
		e := want[id]
		n, _ := strconv.Atoi(e.positions)
		st, _ := strconv.Atoi(e.strength)
		want[id] = edge{string(p.Stance), strconv.Itoa(max(st, p.Strength)), strconv.Itoa(n + 1)}
	}
	got := map[string]edge{}
	for _, e := range doc.Graph.Edges {
		attrs := map[string]string{}
		for _, d := range e.Data {
			attrs[keys[d.Key]] = d.Value
		}
		got[e.ID] = edge{attrs["stance"], attrs["strength"], attrs["positions"]}
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(edge{})); diff != "" {
		t.Fatalf("edges (-want +got):\n%s", diff)
	}
	if e := got["supports-anthropic-full-american-ai-stack-adoption"]; e.strength != "2" {
		t.Errorf("Anthropic's emphatic support: %+v", e)
	}
	modes := map[string]int{}
	for _, n := range doc.Graph.Nodes {
		for _, d := range n.Data {
			if keys[d.Key] == "mode" {
				modes[d.Value]++
			}
		}
	}
	if modes["actor"] != 4 || modes["target"] == 0 || len(doc.Graph.Nodes) != modes["actor"]+modes["target"] {
		t.Errorf("nodes by mode: %v of %d", modes, len(doc.Graph.Nodes))
	}
}
