package dataset

import (
	"cmp"
	"encoding/xml"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/stancegraph/stancegraph"
)

// GraphML and GEXF carry the same typed attributes, so that Gephi can
// partition (colour) nodes by kind and edges by type or stance:
//
//	node: label, kind, aliases, description, url, country, summary, topics,
//	      sourceKind, publisher, publishedAt, author
//	      publishedAtQualifier, externalIds (scheme:value entries joined by |)
//	edge: type (SUPPORTS, OPPOSES or a relation type), stance, strength,
//	      weight, quote, source, statedAt, role, title, statedAtQualifier,
//	      statedStart, statedEnd, condition
//
// Positions are edges from actor to target whose id is the position's id;
// relations are edges of their type, with their evidence where they have
// it. Dates are stancegraph.Date strings (2025, 2025-12, 2025-12-13,
// XXXX-12-13); statedStart and statedEnd are the first and last days of
// the date's interval, empty when unbounded, for tools that filter by day.

type attr struct {
	name, typ string // typ: string, int or double (GraphML names)
}

var nodeAttrs = []attr{
	{"label", "string"}, {"kind", "string"}, {"aliases", "string"}, {"description", "string"}, {"url", "string"},
	{"country", "string"}, {"summary", "string"}, {"topics", "string"}, {"sourceKind", "string"},
	{"publisher", "string"}, {"publishedAt", "string"}, {"author", "string"}, {"publishedAtQualifier", "string"},
	{"externalIds", "string"},
}

var edgeAttrs = []attr{
	{"type", "string"}, {"stance", "string"}, {"strength", "int"}, {"weight", "double"}, {"quote", "string"},
	{"source", "string"}, {"statedAt", "string"}, {"role", "string"}, {"title", "string"},
	{"statedAtQualifier", "string"}, {"statedStart", "string"}, {"statedEnd", "string"}, {"condition", "string"},
}

// nodeValues returns the attribute values of an entity, in nodeAttrs order.
func nodeValues(e *stancegraph.Entity) []string {
	return []string{e.Name, string(e.Kind), strings.Join(e.Aliases, "|"), e.Description, e.URL, e.Country,
		e.Summary, strings.Join(e.Topics, "|"), string(e.SourceKind), e.Publisher, string(e.PublishedAt), e.Author, string(e.PublishedAtQualifier),
		ExternalIDsCell(e.ExternalIDs)}
}

// edge is a position or a relation as an edge, with its values in
// edgeAttrs order.
type edge struct {
	id, from, to, label string
	values              []string
}

func edges(g *stancegraph.Graph) []edge {
	out := make([]edge, 0, len(g.Positions)+len(g.Relations))
	for _, p := range g.Positions {
		s := strconv.Itoa(p.Strength)
		out = append(out, edge{p.ID, p.ActorID, p.TargetID, string(p.Stance),
			[]string{string(p.Stance), string(p.Stance), s, s, p.Quote, p.SourceID, string(p.StatedAt), "", "",
				string(p.StatedAtQualifier), p.Stated().Start(), p.Stated().End(), p.Condition}})
	}
	for _, r := range g.Relations {
		out = append(out, edge{"rel-" + strings.ToLower(string(r.Type)) + "-" + r.From + "-" + r.To, r.From, r.To, string(r.Type),
			[]string{string(r.Type), "", "", "1", r.Quote, r.SourceID, string(r.StatedAt), r.Role, r.Title,
				string(r.StatedAtQualifier), r.Stated().Start(), r.Stated().End(), ""}})
	}
	return out
}

type gmlKey struct {
	ID   string `xml:"id,attr"`
	For  string `xml:"for,attr"`
	Name string `xml:"attr.name,attr"`
	Type string `xml:"attr.type,attr"`
}

type gmlData struct {
	Key   string `xml:"key,attr"`
	Value string `xml:",chardata"`
}

type gmlElem struct {
	ID     string    `xml:"id,attr,omitempty"`
	Source string    `xml:"source,attr,omitempty"`
	Target string    `xml:"target,attr,omitempty"`
	Data   []gmlData `xml:"data"`
}

type gmlDoc struct {
	XMLName xml.Name `xml:"http://graphml.graphdrawing.org/xmlns graphml"`
	Keys    []gmlKey `xml:"key"`
	Graph   struct {
		ID          string    `xml:"id,attr"`
		EdgeDefault string    `xml:"edgedefault,attr"`
		Nodes       []gmlElem `xml:"node"`
		Edges       []gmlElem `xml:"edge"`
	} `xml:"graph"`
}

// WriteGraphML writes g as GraphML.
func WriteGraphML(w io.Writer, g *stancegraph.Graph) error {
	var doc gmlDoc
	for _, a := range nodeAttrs {
		doc.Keys = append(doc.Keys, gmlKey{ID: "n_" + a.name, For: "node", Name: a.name, Type: a.typ})
	}
	for _, a := range edgeAttrs {
		doc.Keys = append(doc.Keys, gmlKey{ID: "e_" + a.name, For: "edge", Name: a.name, Type: a.typ})
	}
	doc.Graph.ID, doc.Graph.EdgeDefault = "stancegraph", "directed"
	for _, e := range g.Entities {
		n := gmlElem{ID: e.ID}
		for i, v := range nodeValues(e) {
			if v != "" {
				n.Data = append(n.Data, gmlData{Key: "n_" + nodeAttrs[i].name, Value: v})
			}
		}
		doc.Graph.Nodes = append(doc.Graph.Nodes, n)
	}
	for _, e := range edges(g) {
		x := gmlElem{ID: e.id, Source: e.from, Target: e.to}
		for i, v := range e.values {
			if v != "" {
				x.Data = append(x.Data, gmlData{Key: "e_" + edgeAttrs[i].name, Value: v})
			}
		}
		doc.Graph.Edges = append(doc.Graph.Edges, x)
	}
	return encodeXML(w, doc)
}

func encodeXML(w io.Writer, doc any) error {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	if err := enc.Close(); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// WriteTwoModeGraphML writes the two-mode (bipartite) actor × target
// network of g's positions as GraphML: one node per actor and per target
// (attributes label, kind and mode, "actor" or "target"), and one
// undirected edge per (actor, target, stance) with
//
//	stance     SUPPORTS or OPPOSES
//	strength   the strongest evidence, 1 or 2 (int)
//	positions  how many positions state it (int)
//	weight     strength, as a double, for tools that read weight
//
// Relations and sources are left out: the network is the statements.
func WriteTwoModeGraphML(w io.Writer, g *stancegraph.Graph) error {
	byID := make(map[string]*stancegraph.Entity, len(g.Entities))
	for _, e := range g.Entities {
		byID[e.ID] = e
	}
	type key struct {
		actor, target string
		stance        stancegraph.Stance
	}
	type agg struct{ strength, n int }
	edges := map[key]*agg{}
	var order []key
	modes := map[string]string{}
	var nodes []string
	for _, p := range g.Positions {
		for id, mode := range map[string]string{p.ActorID: "actor", p.TargetID: "target"} {
			if _, ok := modes[id]; !ok {
				modes[id] = mode
				nodes = append(nodes, id)
			}
		}
		k := key{p.ActorID, p.TargetID, p.Stance}
		a := edges[k]
		if a == nil {
			a = &agg{}
			edges[k] = a
			order = append(order, k)
		}
		a.strength = max(a.strength, p.Strength)
		a.n++
	}
	slices.SortFunc(nodes, func(a, b string) int {
		if c := strings.Compare(modes[a], modes[b]); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	slices.SortFunc(order, func(a, b key) int {
		return cmp.Or(strings.Compare(a.actor, b.actor), strings.Compare(a.target, b.target), strings.Compare(string(a.stance), string(b.stance)))
	})
	var doc gmlDoc
	for _, a := range []attr{{"label", "string"}, {"kind", "string"}, {"mode", "string"}} {
		doc.Keys = append(doc.Keys, gmlKey{ID: "n_" + a.name, For: "node", Name: a.name, Type: a.typ})
	}
	for _, a := range []attr{{"stance", "string"}, {"strength", "int"}, {"positions", "int"}, {"weight", "double"}} {
		doc.Keys = append(doc.Keys, gmlKey{ID: "e_" + a.name, For: "edge", Name: a.name, Type: a.typ})
	}
	doc.Graph.ID, doc.Graph.EdgeDefault = "stancegraph-two-mode", "undirected"
	for _, id := range nodes {
		label, kind := id, ""
		if e := byID[id]; e != nil {
			label, kind = e.Name, string(e.Kind)
		}
		doc.Graph.Nodes = append(doc.Graph.Nodes, gmlElem{ID: id, Data: []gmlData{{"n_label", label}, {"n_kind", kind}, {"n_mode", modes[id]}}})
	}
	for _, k := range order {
		a := edges[k]
		s := strconv.Itoa(a.strength)
		doc.Graph.Edges = append(doc.Graph.Edges, gmlElem{ID: strings.ToLower(string(k.stance)) + "-" + k.actor + "-" + k.target, Source: k.actor, Target: k.target,
			Data: []gmlData{{"e_stance", string(k.stance)}, {"e_strength", s}, {"e_positions", strconv.Itoa(a.n)}, {"e_weight", s}}})
	}
	return encodeXML(w, doc)
}
