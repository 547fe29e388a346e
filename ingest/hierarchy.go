package ingest

import (
	"context"
	"fmt"

	"github.com/stancegraph/stancegraph"
)

// CheckHierarchy checks the PART_OF relations of g against each other and
// the stored hierarchy: one problem per relation that gives a child a
// second parent or closes a cycle.
func CheckHierarchy(ctx context.Context, g *stancegraph.Graph, parents stancegraph.ParentsFunc) ([]Problem, error) {
	h := stancegraph.NewHierarchy(parents)
	var ids []string
	for _, r := range g.Relations {
		if r.Type == stancegraph.PartOf {
			ids = append(ids, r.From, r.To)
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	for start := 0; start < len(ids); start += stancegraph.MaxBatchIDs {
		if err := h.Load(ctx, ids[start:min(start+stancegraph.MaxBatchIDs, len(ids))]); err != nil {
			return nil, err
		}
	}
	var ps []Problem
	for i, r := range g.Relations {
		if r.Type != stancegraph.PartOf {
			continue
		}
		if err := h.Add(ctx, r); err != nil {
			if stancegraph.ErrorCode(err) != stancegraph.ECONFLICT {
				return nil, err
			}
			ps = append(ps, problemOf(fmt.Sprintf("relations[%d] %s %s->%s", i, r.Type, r.From, r.To), err))
		}
	}
	return ps, nil
}
