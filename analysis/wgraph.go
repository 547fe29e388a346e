package analysis

import (
	"context"
	"sort"

	"gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/iterator"
	"gonum.org/v1/gonum/graph/simple"
)

// wgraph is an undirected weighted graph over the nodes 0..n-1 whose every
// iteration runs in id order, so that community detection over it, with a
// fixed random source, is reproducible (gonum's simple graphs iterate maps).
type wgraph struct {
	adj [][]neighbor // sorted by id
	ctx context.Context
}

type neighbor struct {
	id int64
	w  float64
}

var _ graph.WeightedUndirected = (*wgraph)(nil)

func newWGraph(n int) *wgraph { return &wgraph{adj: make([][]neighbor, n)} }

// stopped is the panic value of a wgraph whose context ended while a
// gonum algorithm, which takes no context, was walking it; see
// runStoppable.
type stopped struct{ err error }

// checkCtx makes the graph stop the algorithm walking it (by panicking
// with stopped) once ctx ends.
func (g *wgraph) checkCtx(ctx context.Context) { g.ctx = ctx }

// runStoppable runs fn, an algorithm over graphs that check ctx, and
// returns the error of ctx if it ended during fn.
func runStoppable(ctx context.Context, fn func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			s, ok := r.(stopped)
			if !ok {
				panic(r)
			}
			err = s.err
		}
	}()
	fn()
	return ctxErr(ctx)
}

// addEdge adds the edge u-v; callers add each edge once, in increasing
// order of u and then v, which keeps the lists sorted.
func (g *wgraph) addEdge(u, v int64, w float64) {
	g.adj[u] = append(g.adj[u], neighbor{v, w})
	g.adj[v] = append(g.adj[v], neighbor{u, w})
}

// sortAdjacency restores the order addEdge's callers may not keep.
func (g *wgraph) sortAdjacency() {
	for _, ns := range g.adj {
		sort.Slice(ns, func(i, j int) bool { return ns[i].id < ns[j].id })
	}
}

func (g *wgraph) has(id int64) bool { return id >= 0 && id < int64(len(g.adj)) }

func (g *wgraph) Node(id int64) graph.Node {
	if !g.has(id) {
		return nil
	}
	return simple.Node(id)
}

func (g *wgraph) Nodes() graph.Nodes {
	return iterator.NewImplicitNodes(0, len(g.adj), func(id int) graph.Node { return simple.Node(id) })
}

func (g *wgraph) From(id int64) graph.Nodes {
	if g.ctx != nil && g.ctx.Err() != nil {
		panic(stopped{ctxErr(g.ctx)})
	}
	if !g.has(id) || len(g.adj[id]) == 0 {
		return graph.Empty
	}
	ns := make([]graph.Node, len(g.adj[id]))
	for i, n := range g.adj[id] {
		ns[i] = simple.Node(n.id)
	}
	return iterator.NewOrderedNodes(ns)
}

func (g *wgraph) Weight(xid, yid int64) (float64, bool) {
	if !g.has(xid) || !g.has(yid) {
		return 0, false
	}
	if xid == yid {
		return 0, true
	}
	ns := g.adj[xid]
	i := sort.Search(len(ns), func(i int) bool { return ns[i].id >= yid })
	if i < len(ns) && ns[i].id == yid {
		return ns[i].w, true
	}
	return 0, false
}

func (g *wgraph) HasEdgeBetween(xid, yid int64) bool {
	_, ok := g.Weight(xid, yid)
	return ok && xid != yid
}

func (g *wgraph) WeightedEdgeBetween(xid, yid int64) graph.WeightedEdge {
	w, ok := g.Weight(xid, yid)
	if !ok || xid == yid {
		return nil
	}
	return simple.WeightedEdge{F: simple.Node(xid), T: simple.Node(yid), W: w}
}

func (g *wgraph) WeightedEdge(uid, vid int64) graph.WeightedEdge {
	return g.WeightedEdgeBetween(uid, vid)
}

func (g *wgraph) EdgeBetween(xid, yid int64) graph.Edge {
	if e := g.WeightedEdgeBetween(xid, yid); e != nil {
		return e
	}
	return nil
}

func (g *wgraph) Edge(uid, vid int64) graph.Edge { return g.EdgeBetween(uid, vid) }
