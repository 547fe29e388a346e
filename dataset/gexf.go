package dataset

import (
	"encoding/xml"
	"io"

	"github.com/stancegraph/stancegraph"
)

// GEXF 1.2, the format Gephi reads natively. Beside the typed attributes
// of graphml.go it carries viz colours: nodes by kind, positions green
// (SUPPORTS) or red (OPPOSES), relations grey, so that the graph opens
// coloured.

const (
	gexfNS    = "http://www.gexf.net/1.2draft"
	gexfVizNS = "http://www.gexf.net/1.2draft/viz"
)

type rgb struct {
	R uint8 `xml:"r,attr"`
	G uint8 `xml:"g,attr"`
	B uint8 `xml:"b,attr"`
}

var (
	supportsColor = rgb{44, 160, 44}
	opposesColor  = rgb{214, 39, 40}
	relationColor = rgb{170, 170, 170}
)

type gexfAttr struct {
	ID    string `xml:"id,attr"`
	Title string `xml:"title,attr"`
	Type  string `xml:"type,attr"`
}

type gexfAttrs struct {
	Class string     `xml:"class,attr"`
	Attrs []gexfAttr `xml:"attribute"`
}

type gexfValue struct {
	For   string `xml:"for,attr"`
	Value string `xml:"value,attr"`
}

type gexfElem struct {
	ID     string      `xml:"id,attr"`
	Label  string      `xml:"label,attr,omitempty"`
	Source string      `xml:"source,attr,omitempty"`
	Target string      `xml:"target,attr,omitempty"`
	Weight string      `xml:"weight,attr,omitempty"`
	Values []gexfValue `xml:"attvalues>attvalue"`
	Color  *rgb        `xml:"viz:color"`
}

type gexfDoc struct {
	XMLName xml.Name `xml:"http://www.gexf.net/1.2draft gexf"`
	Viz     string   `xml:"xmlns:viz,attr"`
	Version string   `xml:"version,attr"`
	Meta    struct {
		Creator     string `xml:"creator"`
		Description string `xml:"description"`
	} `xml:"meta"`
	Graph struct {
		Mode       string      `xml:"mode,attr"`
		EdgeType   string      `xml:"defaultedgetype,attr"`
		Attributes []gexfAttrs `xml:"attributes"`
		Nodes      []gexfElem  `xml:"nodes>node"`
		Edges      []gexfElem  `xml:"edges>edge"`
	} `xml:"graph"`
}

// gexfType is the GEXF name of a GraphML attribute type.
func gexfType(t string) string {
	if t == "int" {
		return "integer"
	}
	return t
}

// WriteGEXF writes g as GEXF 1.2.
func WriteGEXF(w io.Writer, g *stancegraph.Graph) error {
	doc := gexfDoc{Viz: gexfVizNS, Version: "1.2"}
	doc.Meta.Creator = "stancegraph"
	doc.Meta.Description = "Policy positions: actors SUPPORT or OPPOSE proposals and programs, with evidence"
	doc.Graph.Mode, doc.Graph.EdgeType = "static", "directed"
	nodes := gexfAttrs{Class: "node"}
	for _, a := range nodeAttrs[1:] { // the label is the node's own
		nodes.Attrs = append(nodes.Attrs, gexfAttr{ID: a.name, Title: a.name, Type: gexfType(a.typ)})
	}
	links := gexfAttrs{Class: "edge"}
	for _, a := range edgeAttrs {
		if a.name != "weight" { // the weight is the edge's own
			links.Attrs = append(links.Attrs, gexfAttr{ID: a.name, Title: a.name, Type: gexfType(a.typ)})
		}
	}
	doc.Graph.Attributes = []gexfAttrs{nodes, links}
	for _, e := range g.Entities {
		info, _ := e.Kind.Info()
		c := rgb{info.Colour[0], info.Colour[1], info.Colour[2]}
		n := gexfElem{ID: e.ID, Label: e.Name, Color: &c}
		for i, v := range nodeValues(e)[1:] {
			if v != "" {
				n.Values = append(n.Values, gexfValue{For: nodeAttrs[i+1].name, Value: v})
			}
		}
		doc.Graph.Nodes = append(doc.Graph.Nodes, n)
	}
	for _, e := range edges(g) {
		c := relationColor
		switch e.label {
		case string(stancegraph.Supports):
			c = supportsColor
		case string(stancegraph.Opposes):
			c = opposesColor
		}
		x := gexfElem{ID: e.id, Label: e.label, Source: e.from, Target: e.to, Color: &c}
		for i, v := range e.values {
			switch {
			case edgeAttrs[i].name == "weight":
				x.Weight = v
			case v != "":
				x.Values = append(x.Values, gexfValue{For: edgeAttrs[i].name, Value: v})
			}
		}
		doc.Graph.Edges = append(doc.Graph.Edges, x)
	}
	return encodeXML(w, doc)
}
