package ingest_test

import (
	"context"
	"testing"

	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/ingest"
)

func TestCheckHierarchy(t *testing.T) {
	stored := map[string]string{"ita": "commerce", "commerce": "us"}
	parents := func(_ context.Context, ids []string) ([]string, error) {
		out := make([]string, len(ids))
		for i, id := range ids {
			out[i] = stored[id]
		}
		return out, nil
	}
	partOf := func(from, to string) *stancegraph.Relation {
		return &stancegraph.Relation{Type: stancegraph.PartOf, From: from, To: to}
	}
	for _, tc := range []struct {
		name     string
		rels     []*stancegraph.Relation
		problems []string
	}{
		{"OKNewBranch", []*stancegraph.Relation{partOf("center", "ita"), partOf("state", "us")}, nil},
		{"OKAgain", []*stancegraph.Relation{partOf("ita", "commerce")}, nil},
		{"ErrSecondStoredParent", []*stancegraph.Relation{partOf("ita", "state")}, []string{"relations[0] PART_OF ita->state"}},
		{"ErrStoredCycle", []*stancegraph.Relation{partOf("us", "ita")}, []string{"relations[0] PART_OF us->ita"}},
		{"ErrCycleWithin", []*stancegraph.Relation{partOf("a", "b"), partOf("b", "c"), partOf("c", "a")}, []string{"relations[2] PART_OF c->a"}},
		{"ErrTwoParentsWithin", []*stancegraph.Relation{partOf("a", "b"), partOf("a", "c")}, []string{"relations[1] PART_OF a->c"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := &stancegraph.Graph{Relations: tc.rels}
			ps, err := ingest.CheckHierarchy(context.Background(), g, parents)
			if err != nil {
				t.Fatal(err)
			}
			if len(ps) != len(tc.problems) {
				t.Fatalf("problems %v, want %v", ps, tc.problems)
			}
			for i, p := range ps {
				if p.Entry != tc.problems[i] || p.Code != stancegraph.ECONFLICT {
					t.Errorf("problem %d = %+v, want a CONFLICT on %s", i, p, tc.problems[i])
				}
			}
		})
	}
}
