// Package explore draws the graph: a node's stance map and its
// neighbourhood, as Graphviz DOT laid out into SVG by Graphviz itself
// (github.com/goccy/go-graphviz, compiled to WebAssembly: no cgo, no
// system package), and serves them as HTML pages (/explore/{id}) and files
// (/export/svg, /export/dot).
package explore

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/analysis"
)

// Bounds of a drawing.
const (
	// MaxDepth is the deepest neighbourhood drawn.
	MaxDepth = 2
	// MaxNodes bounds the nodes of a neighbourhood drawing, its centre
	// included.
	MaxNodes = 60
	// MaxStanceEdges bounds the positions a stance map draws on each side;
	// the rest are counted in a note.
	MaxStanceEdges = 40
)

// kindColours are the fill colours of the kinds; every kind has one (a
// test checks stancegraph.Kinds against it).
var kindColours = map[stancegraph.Kind]string{
	stancegraph.KindCompany:          "#9ecae1",
	stancegraph.KindAgency:           "#c6dbef",
	stancegraph.KindTradeAssociation: "#bcbddc",
	stancegraph.KindPerson:           "#fdd0a2",
	stancegraph.KindGovernment:       "#d9d9d9",
	stancegraph.KindProgram:          "#fdae6b",
	stancegraph.KindPolicyProposal:   "#fee391",
	stancegraph.KindSource:           "#f0f0f0",
}

// stanceColours are the colours of position edges.
var stanceColours = map[stancegraph.Stance]string{
	stancegraph.Supports: "#2e7d32",
	stancegraph.Opposes:  "#c62828",
}

// Drawing is a graph in DOT, with the SVG <title> each edge gets: Graphviz
// titles an edge "tail->head", and a reader hovering over a position wants
// its quote.
type Drawing struct {
	DOT []byte
	// EdgeTitles maps the id of an edge (id attribute "e<N>") to its title.
	EdgeTitles map[string]string
}

// dotWriter builds a DOT graph; every string it writes is quoted.
type dotWriter struct {
	b      strings.Builder
	titles map[string]string
	edges  int
}

func newDOT(name, label string) *dotWriter {
	w := &dotWriter{titles: map[string]string{}}
	fmt.Fprintf(&w.b, "digraph %s {\n", quote(name))
	w.line(`graph [rankdir=LR, fontname="Helvetica", fontsize=12, labelloc=t, nodesep=0.25, ranksep=0.9, bgcolor="white", label=%s]`, quote(label))
	w.line(`node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=11, color="#555555", penwidth=1]`)
	w.line(`edge [fontname="Helvetica", fontsize=9, color="#777777", arrowsize=0.7]`)
	return w
}

func (w *dotWriter) line(format string, args ...any) {
	w.b.WriteString("  ")
	fmt.Fprintf(&w.b, format, args...)
	w.b.WriteString(";\n")
}

// node writes an entity's node, linking its explore page.
func (w *dotWriter) node(e *stancegraph.Entity, extra string) {
	label := wrap(displayName(e), 28)
	tip := e.Kind.Label() + ": " + displayName(e) + " (" + e.ID + ")"
	attrs := fmt.Sprintf("label=%s, fillcolor=%s, URL=%s, tooltip=%s, target=\"_top\"",
		quote(label), quote(kindColours[e.Kind]), quote(PagePath(e.ID)), quote(tip))
	if extra != "" {
		attrs += ", " + extra
	}
	w.line("%s [%s]", quote(e.ID), attrs)
}

// edge writes an edge titled title, linking url when given.
func (w *dotWriter) edge(from, to, attrs, title, url string) {
	w.edges++
	id := "e" + strconv.Itoa(w.edges)
	w.titles[id] = title
	a := fmt.Sprintf("id=%s, tooltip=%s", quote(id), quote(title))
	if url != "" {
		a += fmt.Sprintf(", URL=%s, target=\"_top\"", quote(url))
	}
	if attrs != "" {
		a += ", " + attrs
	}
	w.line("%s -> %s [%s]", quote(from), quote(to), a)
}

// legend writes one node, a table of the colours of kinds (in the order
// of stancegraph.Kinds) and, with stances, of the position edges. Its
// content is static (kind labels and colours, no data), and its name is no
// slug, so no entity can take it.
func (w *dotWriter) legend(kinds map[stancegraph.Kind]bool, stances bool) {
	var t strings.Builder
	t.WriteString(`<<TABLE BORDER="1" COLOR="#cccccc" CELLBORDER="0" CELLSPACING="3" CELLPADDING="2">`)
	t.WriteString(`<TR><TD COLSPAN="2" ALIGN="LEFT"><B>Legend</B></TD></TR>`)
	for _, k := range stancegraph.Kinds {
		if kinds[k] {
			fmt.Fprintf(&t, `<TR><TD BGCOLOR="%s" BORDER="1" COLOR="#555555" WIDTH="18"> </TD><TD ALIGN="LEFT">%s</TD></TR>`, kindColours[k], k.Label())
		}
	}
	if stances {
		for _, s := range []stancegraph.Stance{stancegraph.Supports, stancegraph.Opposes} {
			fmt.Fprintf(&t, `<TR><TD><FONT COLOR="%s"><B>——</B></FONT></TD><TD ALIGN="LEFT">%s (thicker: strongly)</TD></TR>`, stanceColours[s], strings.ToLower(string(s)))
		}
	}
	t.WriteString(`</TABLE>>`)
	w.line(`"_legend" [shape=plaintext, style="", fontsize=9, margin=0, tooltip="Legend", label=%s]`, t.String())
}

func (w *dotWriter) done() *Drawing {
	w.b.WriteString("}\n")
	return &Drawing{DOT: []byte(w.b.String()), EdgeTitles: w.titles}
}

// PagePath is the path of an entity's explore page.
func PagePath(id string) string { return "/explore/" + id }

// Neighbourhood draws the nodes within depth steps of center (at most
// MaxNodes), coloured by kind, with a legend. Returns EINVALID for a bad
// id or depth and ENOTFOUND for an unknown center.
func Neighbourhood(ctx context.Context, s stancegraph.Store, center string, depth int) (*Drawing, error) {
	if depth < 1 || depth > MaxDepth {
		return nil, stancegraph.FieldErrorf("depth", "depth must be between 1 and %d", MaxDepth)
	}
	nb, err := analysis.Neighbors(ctx, s, analysis.NeighborhoodQuery{ID: center, Depth: depth, Limit: MaxNodes})
	if err != nil {
		return nil, err
	}
	kept := map[string]bool{}
	kinds := map[stancegraph.Kind]bool{}
	name := center
	for _, n := range nb.Nodes {
		kept[n.ID] = true
		kinds[n.Kind] = true
		if n.ID == center {
			name = displayName(n.Entity)
		}
	}
	label := fmt.Sprintf("Neighbourhood of %s (depth %d)", name, depth)
	if nb.Truncated {
		label += fmt.Sprintf(": the first %d nodes", MaxNodes)
	}
	w := newDOT("neighbourhood", label)
	for _, n := range nb.Nodes {
		extra := ""
		if n.ID == center {
			extra = `penwidth=3, color="#000000"`
		}
		w.node(n.Entity, extra)
	}
	for _, e := range nb.Edges {
		if !kept[e.Source] || !kept[e.Target] {
			continue
		}
		if p := e.Position; p != nil {
			w.edge(e.Source, e.Target, positionAttrs(p, true), positionTitle(p), PagePath(p.SourceID))
			continue
		}
		title := string(e.Type)
		if r := e.Relation; r != nil {
			if r.Role != "" {
				title += " (" + r.Role + ")"
			}
			if r.Title != "" {
				title += " (" + r.Title + ")"
			}
		}
		w.edge(e.Source, e.Target, fmt.Sprintf("label=%s", quote(strings.ToLower(string(e.Type)))), title, "")
	}
	w.legend(kinds, true)
	return w.done(), nil
}

// StanceMap draws who supports and opposes a proposal or program
// (supporters on the left, opposers on the right), or, for an actor, what
// it supports and opposes. One edge per position, its width by strength,
// titled with its quote and linking its source. Returns EINVALID for a
// bad id or a kind that takes no stance and is none taken (a source), and
// ENOTFOUND for an unknown id.
func StanceMap(ctx context.Context, s stancegraph.Store, id string) (*Drawing, error) {
	e, err := entity(ctx, s, id)
	if err != nil {
		return nil, err
	}
	switch {
	case e.Kind.IsStanceable():
		return targetMap(ctx, s, e)
	case e.Kind.IsActor():
		return actorMap(ctx, s, e)
	}
	return nil, stancegraph.FieldErrorf("id", "%s is a %s: stance maps are drawn for actors, proposals and programs", id, e.Kind.Label())
}

func targetMap(ctx context.Context, s stancegraph.Store, t *stancegraph.Entity) (*Drawing, error) {
	ps, err := s.Positions(ctx, stancegraph.PositionFilter{TargetIDs: []string{t.ID}})
	if err != nil {
		return nil, err
	}
	sides := map[stancegraph.Stance][]*stancegraph.Position{}
	for _, p := range ps {
		sides[p.Stance] = append(sides[p.Stance], p)
	}
	w := newDOT("stance-map", "Who supports and who opposes "+displayName(t))
	w.node(t, `penwidth=3, color="#000000"`)
	kinds := map[stancegraph.Kind]bool{t.Kind: true}
	for _, stance := range []stancegraph.Stance{stancegraph.Supports, stancegraph.Opposes} {
		side, more := cut(sides[stance], MaxStanceEdges)
		actors, err := entitiesByID(ctx, s, side, func(p *stancegraph.Position) string { return p.ActorID })
		if err != nil {
			return nil, err
		}
		links, err := sourceLinks(ctx, s, side)
		if err != nil {
			return nil, err
		}
		cluster := "cluster_" + strings.ToLower(string(stance))
		title := map[stancegraph.Stance]string{stancegraph.Supports: "Supporters", stancegraph.Opposes: "Opposers"}[stance]
		fmt.Fprintf(&w.b, "  subgraph %s {\n", quote(cluster))
		w.line("  graph [label=%s, style=\"rounded\", color=%s, fontcolor=%s]", quote(fmt.Sprintf("%s (%d)", title, countActors(sides[stance]))), quote(stanceColours[stance]), quote(stanceColours[stance]))
		if len(side) == 0 {
			w.line("  %s [label=\"none recorded\", shape=plaintext, style=\"\", fontcolor=\"#777777\"]", quote(cluster+"-none"))
		}
		for _, a := range actors {
			kinds[a.Kind] = true
			w.node(a, "")
		}
		if more > 0 {
			w.line("  %s [label=%s, shape=plaintext, style=\"\", fontcolor=\"#777777\"]", quote(cluster+"-more"), quote(fmt.Sprintf("and %d more positions", more)))
		}
		w.b.WriteString("  }\n")
		for _, p := range side {
			if stance == stancegraph.Supports {
				w.edge(p.ActorID, t.ID, positionAttrs(p, false), positionTitle(p), links[p.SourceID])
			} else {
				// Drawn target -> opposer so that opposers rank to the right;
				// the arrow still points at the target.
				w.edge(t.ID, p.ActorID, positionAttrs(p, false)+", dir=back", positionTitle(p), links[p.SourceID])
			}
		}
		if len(side) == 0 {
			if stance == stancegraph.Supports {
				w.line("%s -> %s [style=invis]", quote(cluster+"-none"), quote(t.ID))
			} else {
				w.line("%s -> %s [style=invis]", quote(t.ID), quote(cluster+"-none"))
			}
		}
	}
	w.legend(kinds, true)
	return w.done(), nil
}

func actorMap(ctx context.Context, s stancegraph.Store, a *stancegraph.Entity) (*Drawing, error) {
	ps, err := s.Positions(ctx, stancegraph.PositionFilter{ActorIDs: []string{a.ID}})
	if err != nil {
		return nil, err
	}
	sides := map[stancegraph.Stance][]*stancegraph.Position{}
	for _, p := range ps {
		sides[p.Stance] = append(sides[p.Stance], p)
	}
	w := newDOT("stance-map", "What "+displayName(a)+" supports and opposes")
	w.node(a, `penwidth=3, color="#000000"`)
	kinds := map[stancegraph.Kind]bool{a.Kind: true}
	for _, stance := range []stancegraph.Stance{stancegraph.Supports, stancegraph.Opposes} {
		side, more := cut(sides[stance], MaxStanceEdges)
		targets, err := entitiesByID(ctx, s, side, func(p *stancegraph.Position) string { return p.TargetID })
		if err != nil {
			return nil, err
		}
		links, err := sourceLinks(ctx, s, side)
		if err != nil {
			return nil, err
		}
		cluster := "cluster_" + strings.ToLower(string(stance))
		title := map[stancegraph.Stance]string{stancegraph.Supports: "Supports", stancegraph.Opposes: "Opposes"}[stance]
		fmt.Fprintf(&w.b, "  subgraph %s {\n", quote(cluster))
		w.line("  graph [label=%s, style=\"rounded\", color=%s, fontcolor=%s]", quote(title), quote(stanceColours[stance]), quote(stanceColours[stance]))
		if len(side) == 0 {
			w.line("  %s [label=\"nothing recorded\", shape=plaintext, style=\"\", fontcolor=\"#777777\"]", quote(cluster+"-none"))
			w.b.WriteString("  }\n")
			w.line("%s -> %s [style=invis]", quote(a.ID), quote(cluster+"-none"))
			continue
		}
		for _, t := range targets {
			kinds[t.Kind] = true
			w.node(t, "")
		}
		if more > 0 {
			w.line("  %s [label=%s, shape=plaintext, style=\"\", fontcolor=\"#777777\"]", quote(cluster+"-more"), quote(fmt.Sprintf("and %d more positions", more)))
		}
		w.b.WriteString("  }\n")
		for _, p := range side {
			w.edge(a.ID, p.TargetID, positionAttrs(p, false), positionTitle(p), links[p.SourceID])
		}
	}
	w.legend(kinds, true)
	return w.done(), nil
}

// entity loads one entity: EINVALID for a malformed id, ENOTFOUND for an
// unknown one.
func entity(ctx context.Context, s stancegraph.Store, id string) (*stancegraph.Entity, error) {
	if err := stancegraph.ValidateID("id", id); err != nil {
		return nil, err
	}
	es, err := s.Entities(ctx, []string{id})
	if err != nil {
		return nil, err
	}
	if es[0] == nil {
		return nil, &stancegraph.Error{Code: stancegraph.ENOTFOUND, Field: "id", Message: "no entity with id \"" + id + "\""}
	}
	return es[0], nil
}

// entitiesByID loads the distinct entities key names in ps, in order of
// first appearance.
func entitiesByID(ctx context.Context, s stancegraph.Store, ps []*stancegraph.Position, key func(*stancegraph.Position) string) ([]*stancegraph.Entity, error) {
	var ids []string
	seen := map[string]bool{}
	for _, p := range ps {
		if id := key(p); !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	es, err := s.Entities(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := es[:0]
	for _, e := range es {
		if e != nil {
			out = append(out, e)
		}
	}
	return out, nil
}

func countActors(ps []*stancegraph.Position) int {
	seen := map[string]bool{}
	for _, p := range ps {
		seen[p.ActorID] = true
	}
	return len(seen)
}

// cut keeps the first n positions and says how many it left out.
func cut(ps []*stancegraph.Position, n int) ([]*stancegraph.Position, int) {
	if len(ps) <= n {
		return ps, 0
	}
	return ps[:n], len(ps) - n
}

// sourceLinks maps the source of each position to where its edges link:
// the source document's URL, or the source's explore page when it has
// none. One store call.
func sourceLinks(ctx context.Context, s stancegraph.Store, ps []*stancegraph.Position) (map[string]string, error) {
	srcs, err := entitiesByID(ctx, s, ps, func(p *stancegraph.Position) string { return p.SourceID })
	if err != nil {
		return nil, err
	}
	links := map[string]string{}
	for _, p := range ps {
		links[p.SourceID] = PagePath(p.SourceID)
	}
	for _, e := range srcs {
		if safeURL(e.URL) {
			links[e.ID] = e.URL
		}
	}
	return links, nil
}

// safeURL admits only http(s) links into a drawing.
func safeURL(u string) bool {
	return strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://")
}

func positionAttrs(p *stancegraph.Position, label bool) string {
	width := 1.5
	if p.Strength >= 2 {
		width = 4
	}
	a := fmt.Sprintf("color=%s, penwidth=%g", quote(stanceColours[p.Stance]), width)
	if label {
		a += fmt.Sprintf(", label=%s, fontcolor=%s", quote(strings.ToLower(string(p.Stance))), quote(stanceColours[p.Stance]))
	}
	return a
}

// positionTitle is what a reader sees hovering over a position's edge.
func positionTitle(p *stancegraph.Position) string {
	t := fmt.Sprintf("%s %s %s", p.ActorID, strings.ToLower(string(p.Stance)), p.TargetID)
	if p.Strength >= 2 {
		t += " (strongly)"
	}
	if p.Quote != "" {
		t += ": “" + p.Quote + "”"
	}
	if p.Condition != "" {
		t += "; on condition: “" + p.Condition + "”"
	}
	t += " (" + p.SourceID
	if p.StatedAt != "" {
		t += ", " + p.Stated().String()
	}
	return t + ")"
}

func displayName(e *stancegraph.Entity) string {
	if e == nil {
		return ""
	}
	if e.Name != "" {
		return e.Name
	}
	return e.ID
}

// wrap breaks a label into lines of about width runes at spaces.
func wrap(s string, width int) string {
	words := strings.Fields(s)
	var lines []string
	var cur string
	for _, w := range words {
		if cur != "" && len([]rune(cur))+1+len([]rune(w)) > width {
			lines = append(lines, cur)
			cur = w
			continue
		}
		if cur != "" {
			cur += " "
		}
		cur += w
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return strings.Join(lines, "\n")
}

// quote returns s as a DOT double-quoted string. DOT keeps a backslash
// before most characters, so backslashes are doubled, quotes escaped and
// line breaks written as \n (a centred line in a label).
func quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r', 0:
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
