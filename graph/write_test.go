package graph_test

import (
	"context"
	"testing"

	"github.com/99designs/gqlgen/client"
	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/graph"
	"github.com/stancegraph/stancegraph/server"
)

// brokenRows is a store whose plan results hold a row without its
// position: what a bug in a backend would return.
type brokenRows struct{ stancegraph.Store }

func (b brokenRows) Read(ctx context.Context, p *stancegraph.Plan) (*stancegraph.Result, error) {
	res, err := b.Store.Read(ctx, p)
	if err != nil {
		return nil, err
	}
	for _, r := range res.Roots {
		if r.Positions != nil && len(r.Positions.Rows) > 0 {
			r.Positions.Rows[0] = &stancegraph.PositionResult{}
		}
	}
	return res, nil
}

// A panic while writing an answer directly does not end the process: the
// request goes to the resolvers, whose panic is an INTERNAL error.
func TestDirect_PanicIsAnError(t *testing.T) {
	_, cs := MustSeededClient(t)
	c := client.New(server.NewGraphQL(brokenRows{cs.Store}, server.Options{}))
	d0, r0 := graph.AnswerCounts()
	errs := errorsOf(t, c, `{ positions(first: 2) { edges { node { id } } } }`)
	if len(errs) == 0 || errs[0].Extensions.Code != "INTERNAL" {
		t.Fatalf("errors = %+v, want one INTERNAL error", errs)
	}
	if d1, r1 := graph.AnswerCounts(); d1 != d0 || r1 != r0+1 {
		t.Fatalf("answers direct +%d, resolvers +%d; want the resolvers to answer", d1-d0, r1-r0)
	}
}
