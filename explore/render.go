package explore

import (
	"bytes"
	"context"
	"html"
	"regexp"
	"sync"

	"github.com/goccy/go-graphviz"
	"github.com/stancegraph/stancegraph"
)

// The Graphviz WebAssembly module is one instance per process and not safe
// for concurrent use: one layout at a time. Drawings are bounded (MaxNodes,
// MaxStanceEdges), so each layout is short.
var (
	gvMu sync.Mutex
	gv   *graphviz.Graphviz
)

// SVG lays d out with Graphviz's dot and returns the SVG document, each
// edge's <title> replaced by the one d gives it.
func SVG(ctx context.Context, d *Drawing) ([]byte, error) {
	gvMu.Lock()
	defer gvMu.Unlock()
	if err := ctx.Err(); err != nil {
		return nil, stancegraph.Errorf(stancegraph.EUNAVAILABLE, "drawing cancelled: %v", err)
	}
	if gv == nil {
		g, err := graphviz.New(context.Background())
		if err != nil {
			return nil, stancegraph.Errorf(stancegraph.EINTERNAL, "starting graphviz: %v", err)
		}
		gv = g
	}
	g, err := graphviz.ParseBytes(d.DOT)
	if err != nil {
		return nil, stancegraph.Errorf(stancegraph.EINTERNAL, "parsing the drawing: %v", err)
	}
	defer g.Close()
	var buf bytes.Buffer
	if err := gv.Render(ctx, g, graphviz.SVG, &buf); err != nil {
		return nil, stancegraph.Errorf(stancegraph.EINTERNAL, "laying out the drawing: %v", err)
	}
	return retitle(buf.Bytes(), d.EdgeTitles), nil
}

var edgeTitle = regexp.MustCompile(`(<g id="(e[0-9]+)" class="edge">\s*<title>)[^<]*(</title>)`)

// retitle gives each edge group the <title> of titles: a browser shows it
// when the pointer rests on the edge.
func retitle(svg []byte, titles map[string]string) []byte {
	return edgeTitle.ReplaceAllFunc(svg, func(m []byte) []byte {
		sub := edgeTitle.FindSubmatch(m)
		t, ok := titles[string(sub[2])]
		if !ok {
			return m
		}
		out := append([]byte{}, sub[1]...)
		out = append(out, html.EscapeString(t)...)
		return append(out, sub[3]...)
	})
}

var prolog = regexp.MustCompile(`(?s)^.*?(<svg\b)`)

// Inline strips the XML declaration, DOCTYPE and comments before the <svg>
// element, for embedding the document in an HTML page.
func Inline(svg []byte) []byte {
	return prolog.ReplaceAll(svg, []byte("$1"))
}
