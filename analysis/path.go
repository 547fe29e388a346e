package analysis

import (
	"context"
	"slices"
	"strings"

	"github.com/stancegraph/stancegraph"
)

// PathQuery asks for the shortest connections between two entities.
type PathQuery struct {
	From, To string
	// MaxHops bounds the length: 1 to MaxHops.
	MaxHops int
	// Types are the edge types to follow; none means all, in either
	// direction.
	Types []EdgeType
	// First bounds how many shortest paths are returned: 1 to MaxPaths.
	First int
}

// Path is a walk from one entity to another.
type Path struct {
	NodeIDs []string
	Steps   []*PathStep
}

// Length is the number of steps.
func (p *Path) Length() int { return len(p.Steps) }

// PathStep is one edge of a path, walked from FromID to ToID.
type PathStep struct {
	Type EdgeType
	// Direction is FORWARD when the edge points from FromID to ToID.
	Direction    Direction
	FromID, ToID string
	// Relation is the relation of a relation step.
	Relation *stancegraph.Relation
	// Positions are the evidence of a SUPPORTS or OPPOSES step, oldest
	// first.
	Positions []*stancegraph.Position
}

// search is one side of a bidirectional breadth-first search.
type search struct {
	dist     map[string]int
	pred     map[string][]*edge // edges to nodes one step nearer the root
	frontier []string
	depth    int
}

func newSearch(root string) *search {
	return &search{dist: map[string]int{root: 0}, pred: map[string][]*edge{}, frontier: []string{root}}
}

// FindPaths returns the shortest paths between q.From and q.To over
// relations and positions, either direction, of at most q.MaxHops steps:
// all of them up to q.First, in lexicographic order of their node ids and
// edge types; none when they are farther apart. A bidirectional
// breadth-first search expands the smaller side one level at a time, each
// level a few batched store calls.
func FindPaths(ctx context.Context, s stancegraph.Store, q PathQuery) ([]*Path, error) {
	hops, first := q.MaxHops, q.First
	if hops < 1 || hops > MaxHops {
		return nil, stancegraph.FieldErrorf("maxHops", "maxHops must be between 1 and %d", MaxHops)
	}
	if first < 1 || first > MaxPaths {
		return nil, stancegraph.FieldErrorf("first", "first must be between 1 and %d", MaxPaths)
	}
	ts, err := newTypeSet(q.Types)
	if err != nil {
		return nil, err
	}
	if len(q.Types) > len(EdgeTypes) {
		return nil, stancegraph.FieldErrorf("relations", "relations has more than %d entries", len(EdgeTypes))
	}
	if err := mustExist(ctx, s, [][2]string{{"from", q.From}, {"to", q.To}}); err != nil {
		return nil, err
	}
	if q.From == q.To {
		return []*Path{{NodeIDs: []string{q.From}, Steps: []*PathStep{}}}, nil
	}
	fwd, bwd := newSearch(q.From), newSearch(q.To)
	for fwd.depth+bwd.depth < hops {
		side, other := fwd, bwd
		if len(bwd.frontier) < len(fwd.frontier) {
			side, other = bwd, fwd
		}
		if len(side.frontier) == 0 {
			break
		}
		if err := ctxErr(ctx); err != nil {
			return nil, err
		}
		edges, err := expand(ctx, s, side.frontier, ts)
		if err != nil {
			return nil, err
		}
		var next, meet []string
		for _, e := range edges {
			for _, u := range []string{e.From, e.To} {
				v := e.other(u)
				if du, ok := side.dist[u]; !ok || du != side.depth {
					continue
				}
				dv, seen := side.dist[v]
				if !seen {
					side.dist[v] = side.depth + 1
					dv = side.depth + 1
					next = append(next, v)
					if _, ok := other.dist[v]; ok {
						meet = append(meet, v)
					}
				}
				if dv == side.depth+1 {
					side.pred[v] = append(side.pred[v], e)
				}
			}
		}
		side.depth++
		slices.Sort(next)
		side.frontier = next
		if len(meet) > 0 {
			slices.Sort(meet)
			return walk(q.From, q.To, fwd, bwd, meet, first), nil
		}
	}
	return []*Path{}, nil
}

// walk enumerates the shortest paths through the meeting nodes in
// lexicographic order, depth first from the start, up to first of them.
func walk(from, to string, fwd, bwd *search, meet []string, first int) []*Path {
	// succ holds, for the nodes of the forward search that lead to a
	// meeting node, the edges one step farther from the start.
	type hop struct {
		e    *edge
		next string
	}
	succ := map[string][]hop{}
	useful := map[string]bool{}
	queue := slices.Clone(meet)
	for _, m := range meet {
		useful[m] = true
	}
	for len(queue) > 0 {
		v := queue[0]
		queue = queue[1:]
		for _, e := range fwd.pred[v] {
			u := e.other(v)
			succ[u] = append(succ[u], hop{e, v})
			if !useful[u] {
				useful[u] = true
				queue = append(queue, u)
			}
		}
	}
	isMeet := map[string]bool{}
	for _, m := range meet {
		isMeet[m] = true
	}
	order := func(a, b hop) int {
		if c := strings.Compare(a.next, b.next); c != 0 {
			return c
		}
		return compareEdges(a.e, b.e)
	}
	for u := range succ {
		slices.SortFunc(succ[u], order)
	}
	nexts := func(u string, back bool) []hop {
		if !back {
			return succ[u]
		}
		// From a meeting node on, follow the backward search to the end.
		var hs []hop
		for _, e := range bwd.pred[u] {
			hs = append(hs, hop{e, e.other(u)})
		}
		slices.SortFunc(hs, order)
		return hs
	}
	var out []*Path
	nodes := []string{from}
	var steps []*PathStep
	var dfs func(u string, back bool)
	dfs = func(u string, back bool) {
		if len(out) >= first {
			return
		}
		if u == to {
			out = append(out, &Path{NodeIDs: slices.Clone(nodes), Steps: slices.Clone(steps)})
			return
		}
		back = back || isMeet[u]
		for _, h := range nexts(u, back) {
			dir := Forward
			if h.e.From != u {
				dir = Backward
			}
			st := &PathStep{Type: h.e.Type, Direction: dir, FromID: u, ToID: h.next, Relation: h.e.Relation, Positions: h.e.Positions}
			if st.Positions == nil {
				st.Positions = []*stancegraph.Position{}
			}
			nodes = append(nodes, h.next)
			steps = append(steps, st)
			dfs(h.next, back)
			nodes, steps = nodes[:len(nodes)-1], steps[:len(steps)-1]
		}
	}
	dfs(from, false)
	return out
}

// mustExist checks that each (field, id) names a stored entity.
func mustExist(ctx context.Context, s stancegraph.Store, fields [][2]string) error {
	ids := make([]string, len(fields))
	for i, f := range fields {
		if err := stancegraph.ValidateID(f[0], f[1]); err != nil {
			return err
		}
		ids[i] = f[1]
	}
	es, err := s.Entities(ctx, ids)
	if err != nil {
		return err
	}
	for i, e := range es {
		if e == nil {
			return &stancegraph.Error{Code: stancegraph.ENOTFOUND, Field: fields[i][0], Message: "no entity with id \"" + ids[i] + "\""}
		}
	}
	return nil
}
