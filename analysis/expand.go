package analysis

import (
	"context"
	"slices"
	"strings"

	"github.com/stancegraph/stancegraph"
)

// edge is an edge of the graph as the traversals see it: a relation, or
// the positions of one actor with one stance on one target, which are one
// edge carrying every piece of evidence.
type edge struct {
	Type      EdgeType
	From, To  string // as stored: actor -> target for a stance
	Relation  *stancegraph.Relation
	Positions []*stancegraph.Position // oldest first, for a stance
}

func (e *edge) key() string { return string(e.Type) + "|" + e.From + "|" + e.To }

// other returns the end of e that is not id.
func (e *edge) other(id string) string {
	if e.From == id {
		return e.To
	}
	return e.From
}

// typeSet is the set of edge types a traversal follows.
type typeSet struct {
	rels    []stancegraph.RelType
	stances []stancegraph.Stance
}

func newTypeSet(types []EdgeType) (typeSet, error) {
	if len(types) == 0 {
		types = EdgeTypes
	}
	var ts typeSet
	for _, t := range types {
		if _, err := parseEnum("EdgeType", EdgeTypes, string(t)); err != nil {
			return ts, stancegraph.FieldErrorf("relations", "%q is not a valid edge type", t)
		}
		if t.IsStance() {
			if !slices.Contains(ts.stances, stancegraph.Stance(t)) {
				ts.stances = append(ts.stances, stancegraph.Stance(t))
			}
		} else if !slices.Contains(ts.rels, stancegraph.RelType(t)) {
			ts.rels = append(ts.rels, stancegraph.RelType(t))
		}
	}
	return ts, nil
}

// expand returns every edge of the allowed types that touches one of ids,
// in a deterministic order: by type, from, then to. It costs at most four
// store calls per MaxBatchIDs ids.
func expand(ctx context.Context, s stancegraph.Store, ids []string, ts typeSet) ([]*edge, error) {
	seen := map[string]*edge{}
	var out []*edge
	add := func(e *edge) *edge {
		k := e.key()
		if prev := seen[k]; prev != nil {
			return prev
		}
		seen[k] = e
		out = append(out, e)
		return e
	}
	for start := 0; start < len(ids); start += stancegraph.MaxBatchIDs {
		if err := ctxErr(ctx); err != nil {
			return nil, err
		}
		chunk := ids[start:min(start+stancegraph.MaxBatchIDs, len(ids))]
		if len(ts.rels) > 0 {
			for _, f := range []stancegraph.RelationFilter{{Types: ts.rels, FromIDs: chunk}, {Types: ts.rels, ToIDs: chunk}} {
				rs, err := s.Relations(ctx, f)
				if err != nil {
					return nil, err
				}
				for _, r := range rs {
					add(&edge{Type: EdgeType(r.Type), From: r.From, To: r.To, Relation: r})
				}
			}
		}
		if len(ts.stances) > 0 {
			var stance stancegraph.Stance
			if len(ts.stances) == 1 {
				stance = ts.stances[0]
			}
			for _, f := range []stancegraph.PositionFilter{{ActorIDs: chunk, Stance: stance}, {TargetIDs: chunk, Stance: stance}} {
				ps, err := s.Positions(ctx, f)
				if err != nil {
					return nil, err
				}
				fresh := map[*edge]bool{}
				for _, p := range ps {
					e := add(&edge{Type: EdgeType(p.Stance), From: p.ActorID, To: p.TargetID})
					// The second call finds again the edges between two
					// ids of the chunk; their evidence is already there.
					if len(e.Positions) == 0 || fresh[e] {
						fresh[e] = true
						e.Positions = append(e.Positions, p)
					}
				}
			}
		}
	}
	slices.SortFunc(out, compareEdges)
	return out, nil
}

func compareEdges(a, b *edge) int {
	if c := strings.Compare(string(a.Type), string(b.Type)); c != 0 {
		return c
	}
	if c := strings.Compare(a.From, b.From); c != 0 {
		return c
	}
	return strings.Compare(a.To, b.To)
}
