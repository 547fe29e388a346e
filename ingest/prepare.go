package ingest

import (
	"context"
	"fmt"

	"github.com/stancegraph/stancegraph"
)

// Stored is what the checks of an import read of a store. A store supplies
// it over the state its write will see: the embedded store under its lock,
// Neo4j in its write transaction. The reads are the store's; the order of
// the checks and their verdicts are Prepare's.
type Stored interface {
	// Entities returns the stored entities with the given ids, in order,
	// nil where missing. At most stancegraph.MaxBatchIDs ids a call.
	Entities(ctx context.Context, ids []string) ([]*stancegraph.Entity, error)
	// External returns the stored entity each external id names, in order,
	// nil where none does.
	External(ctx context.Context, xs []stancegraph.ExternalID) ([]*stancegraph.Entity, error)
	// Parents returns the stored PART_OF parent of each id, in order, ""
	// for an id without one.
	Parents(ctx context.Context, ids []string) ([]string, error)
}

// Plan is a checked import: the entries a store writes, each valid,
// normalised (position ids and strengths set) and resolved against the
// graph and the store, in the order of the graph. An entry given twice
// stays twice, so that a store counts the second as unchanged; copies of
// one id hold equal data.
type Plan struct {
	Entities  []*stancegraph.Entity
	Relations []*stancegraph.Relation
	Positions []*stancegraph.Position
}

// Prepare runs every check of an import, in one order, and returns the plan
// a store writes, or the error that refuses the whole import:
//
//  1. the graph and each of its entries is given (CheckEntries);
//  2. it holds at most MaxItems entries;
//  3. entities naming a stored or earlier entity by an external id are
//     merged into it (MergeExternalIDs);
//  4. every entry is validated and normalised and its references resolved
//     against the graph and the store (Check);
//  5. the PART_OF relations keep the stored hierarchy a forest
//     (CheckHierarchy).
//
// A step that finds problems ends the checks; the error is INVALID,
// NOTFOUND or CONFLICT (the code of the first problem) and lists them all
// (ProblemsError). Prepare normalises g in place and may run again on the
// same graph, as a store that checks twice or retries a transaction does.
func Prepare(ctx context.Context, g *stancegraph.Graph, st Stored) (*Plan, error) {
	if err := CheckEntries(g); err != nil {
		return nil, err
	}
	if ps := checkSize(g); len(ps) > 0 {
		return nil, ProblemsError(ps)
	}
	for _, step := range []func() ([]Problem, error){
		func() ([]Problem, error) {
			ps, _, err := MergeExternalIDs(ctx, g, st.External)
			return ps, err
		},
		func() ([]Problem, error) { return Check(ctx, g, st.Entities) },
		func() ([]Problem, error) { return CheckHierarchy(ctx, g, st.Parents) },
	} {
		ps, err := step()
		if err != nil {
			return nil, err
		}
		if err := ProblemsError(ps); err != nil {
			return nil, err
		}
	}
	return &Plan{Entities: g.Entities, Relations: g.Relations, Positions: g.Positions}, nil
}

// checkSize bounds the entries of one import.
func checkSize(g *stancegraph.Graph) []Problem {
	if n := len(g.Entities) + len(g.Relations) + len(g.Positions); n > MaxItems {
		return []Problem{{Entry: "graph", Code: stancegraph.EINVALID, Msg: fmt.Sprintf("%d entries is more than the %d one import takes", n, MaxItems)}}
	}
	return nil
}
