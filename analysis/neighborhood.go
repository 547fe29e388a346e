package analysis

import (
	"context"
	"slices"
	"strings"

	"github.com/stancegraph/stancegraph"
)

// NeighborhoodQuery asks for the nodes and edges around an entity.
type NeighborhoodQuery struct {
	ID string
	// Depth is how many steps out to go: 1 to MaxDepth.
	Depth int
	// Limit bounds the nodes, the centre included: 1 to MaxNeighborhood.
	Limit int
	Types []EdgeType
}

// Neighborhood is a bounded subgraph around an entity, shaped for graph
// drawing: nodes and typed edges that name their ends by id.
type Neighborhood struct {
	Nodes []*NeighborhoodNode
	Edges []*NeighborhoodEdge
	// Truncated says the limit left out nodes within the depth.
	Truncated bool
}

// NeighborhoodNode is an entity at some depth from the centre.
type NeighborhoodNode struct {
	ID     string
	Kind   stancegraph.Kind
	Label  string
	Depth  int
	Entity *stancegraph.Entity
}

// NeighborhoodEdge is one relation or one position.
type NeighborhoodEdge struct {
	// ID is the position id, or TYPE|from|to for a relation.
	ID             string
	Type           EdgeType
	Source, Target string
	Position       *stancegraph.Position
	Relation       *stancegraph.Relation
}

// Neighbors returns the neighbourhood of q.ID: breadth first, both
// directions, up to q.Depth steps and q.Limit nodes. Nodes are ordered by
// depth, then id, and within a depth the limit keeps the first by id. The
// edges are those the search walked: every edge between a node nearer than
// q.Depth and any node kept.
func Neighbors(ctx context.Context, s stancegraph.Store, q NeighborhoodQuery) (*Neighborhood, error) {
	depth, limit := q.Depth, q.Limit
	if depth < 1 || depth > MaxDepth {
		return nil, stancegraph.FieldErrorf("depth", "depth must be between 1 and %d", MaxDepth)
	}
	if limit < 1 || limit > MaxNeighborhood {
		return nil, stancegraph.FieldErrorf("limit", "limit must be between 1 and %d", MaxNeighborhood)
	}
	ts, err := newTypeSet(q.Types)
	if err != nil {
		return nil, err
	}
	if err := stancegraph.ValidateID("id", q.ID); err != nil {
		return nil, err
	}
	es, err := s.Entities(ctx, []string{q.ID})
	if err != nil {
		return nil, err
	}
	if es[0] == nil {
		return nil, &stancegraph.Error{Code: stancegraph.ENOTFOUND, Field: "id", Message: "no entity with id \"" + q.ID + "\""}
	}
	nb := &Neighborhood{Edges: []*NeighborhoodEdge{}}
	depthOf := map[string]int{q.ID: 0}
	order := []string{q.ID}
	frontier := []string{q.ID}
	seenEdge := map[string]bool{}
	for d := 1; d <= depth && len(frontier) > 0 && !nb.Truncated; d++ {
		if err := ctxErr(ctx); err != nil {
			return nil, err
		}
		edges, err := expand(ctx, s, frontier, ts)
		if err != nil {
			return nil, err
		}
		var next []string
		found := map[string]bool{}
		for _, e := range edges {
			for _, v := range []string{e.From, e.To} {
				if _, ok := depthOf[v]; !ok && !found[v] {
					found[v] = true
					next = append(next, v)
				}
			}
		}
		slices.Sort(next)
		if room := limit - len(order); len(next) > room {
			next, nb.Truncated = next[:room], true
		}
		for _, v := range next {
			depthOf[v] = d
		}
		order = append(order, next...)
		for _, e := range edges {
			_, okFrom := depthOf[e.From]
			_, okTo := depthOf[e.To]
			if !okFrom || !okTo {
				continue
			}
			if e.Relation != nil {
				id := e.Relation.Key()
				if !seenEdge[id] {
					seenEdge[id] = true
					nb.Edges = append(nb.Edges, &NeighborhoodEdge{ID: id, Type: e.Type, Source: e.From, Target: e.To, Relation: e.Relation})
				}
				continue
			}
			for _, p := range e.Positions {
				if !seenEdge[p.ID] {
					seenEdge[p.ID] = true
					nb.Edges = append(nb.Edges, &NeighborhoodEdge{ID: p.ID, Type: e.Type, Source: e.From, Target: e.To, Position: p})
				}
			}
		}
		frontier = next
	}
	ents, err := entitiesOf(ctx, s, order)
	if err != nil {
		return nil, err
	}
	nb.Nodes = make([]*NeighborhoodNode, 0, len(order))
	for i, id := range order {
		e := ents[i]
		if e == nil { // deleted meanwhile
			continue
		}
		nb.Nodes = append(nb.Nodes, &NeighborhoodNode{ID: id, Kind: e.Kind, Label: e.Name, Depth: depthOf[id], Entity: e})
	}
	slices.SortFunc(nb.Edges, func(a, b *NeighborhoodEdge) int {
		if c := strings.Compare(a.Source, b.Source); c != 0 {
			return c
		}
		if c := strings.Compare(a.Target, b.Target); c != 0 {
			return c
		}
		if c := strings.Compare(string(a.Type), string(b.Type)); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return nb, nil
}

// entitiesOf loads entities in batches the store takes.
func entitiesOf(ctx context.Context, s stancegraph.Store, ids []string) ([]*stancegraph.Entity, error) {
	out := make([]*stancegraph.Entity, 0, len(ids))
	for start := 0; start < len(ids); start += stancegraph.MaxBatchIDs {
		es, err := s.Entities(ctx, ids[start:min(start+stancegraph.MaxBatchIDs, len(ids))])
		if err != nil {
			return nil, err
		}
		out = append(out, es...)
	}
	return out, nil
}
