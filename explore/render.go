package explore

import (
	"bytes"
	"container/list"
	"context"
	"crypto/sha256"
	"html"
	"regexp"
	"sync"

	"github.com/goccy/go-graphviz"
	"github.com/stancegraph/stancegraph"
)

// The Graphviz WebAssembly module is one instance per process and not safe
// for concurrent use: one layout at a time (sem). Drawings are bounded
// (MaxNodes, MaxStanceEdges), so each layout is short. Two limits of
// go-graphviz shape the rest:
//   - a layout is never given a context that can be cancelled: a
//     cancelled call leaves the module unusable for every later call
//     (goccy/go-graphviz issue 118), so ctx is checked before, not during;
//   - each layout keeps some WebAssembly memory (about 100 KB for a
//     60-node drawing; goccy/go-graphviz issue 111), so finished drawings
//     are cached by their DOT and the same drawing is laid out once.
var (
	sem   = make(chan struct{}, 1)
	gv    *graphviz.Graphviz
	cache = newSVGCache(256)
)

// SVG lays d out with Graphviz's dot and returns the SVG document, each
// edge's <title> replaced by the one d gives it. Waiting for the layout
// engine honours ctx.
func SVG(ctx context.Context, d *Drawing) ([]byte, error) {
	key := sha256.Sum256(d.DOT)
	if svg, ok := cache.get(key); ok {
		return retitle(svg, d.EdgeTitles), nil
	}
	select {
	case sem <- struct{}{}:
	case <-ctx.Done():
		return nil, stancegraph.ContextError(ctx.Err(), "the drawing")
	}
	defer func() { <-sem }()
	if err := ctx.Err(); err != nil {
		return nil, stancegraph.ContextError(err, "the drawing")
	}
	bg := context.Background()
	if gv == nil {
		g, err := graphviz.New(bg)
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
	if err := gv.Render(bg, g, graphviz.SVG, &buf); err != nil {
		return nil, stancegraph.Errorf(stancegraph.EINTERNAL, "laying out the drawing: %v", err)
	}
	svg := buf.Bytes()
	cache.put(key, svg)
	return retitle(svg, d.EdgeTitles), nil
}

// svgCache keeps the most recently used layouts.
type svgCache struct {
	mu    sync.Mutex
	max   int
	order *list.List // of [32]byte keys, most recent first
	items map[[32]byte]*list.Element
	svgs  map[[32]byte][]byte
}

func newSVGCache(max int) *svgCache {
	return &svgCache{max: max, order: list.New(), items: map[[32]byte]*list.Element{}, svgs: map[[32]byte][]byte{}}
}

func (c *svgCache) get(k [32]byte) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.items[k]
	if !ok {
		return nil, false
	}
	c.order.MoveToFront(e)
	return c.svgs[k], true
}

func (c *svgCache) put(k [32]byte, svg []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[k]; ok {
		c.order.MoveToFront(e)
		return
	}
	c.items[k] = c.order.PushFront(k)
	c.svgs[k] = svg
	for c.order.Len() > c.max {
		last := c.order.Back()
		old := last.Value.([32]byte)
		c.order.Remove(last)
		delete(c.items, old)
		delete(c.svgs, old)
	}
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
