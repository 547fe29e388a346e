package e2e_test

import (
	"strings"
	"testing"

	"github.com/stancegraph/stancegraph/server"
	"github.com/stancegraph/stancegraph/store/neo4jstore"
)

// A GraphQL request costs at most one Cypher round trip per nesting level,
// whatever the size of the result: the dataloaders batch each level.
func TestNeo4j_RoundTripsPerNestingLevel(t *testing.T) {
	s := openNeo4j(t).(*neo4jstore.Store)
	mustSeed(t, s)
	h := server.NewGraphQL(s, server.Options{})
	tests := []struct {
		name  string
		query string
		max   int64
	}{
		{"Depth3ActorsPositionsTargets", `{ actors(first: 500) { edges { node { id positions { edges { node {
			target { ... on PolicyProposal { id } ... on Program { id } } } } } } } } }`, 4},
		{"Depth4WithSourcesAndProposers", `{ actors(first: 50) { edges { node { id positions(first: 20) { edges { node {
			source { id } target { ... on PolicyProposal { id proposedBy { id } } } } } } } } } }`, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := s.RoundTrips()
			data := run(t, h, tt.query)
			got := s.RoundTrips() - before
			if n := strings.Count(string(data), `"target"`); n < 20 {
				t.Fatalf("only %d positions answered; the test needs a real fan-out", n)
			}
			if got > tt.max {
				t.Errorf("%d Cypher round trips, want at most %d", got, tt.max)
			}
			t.Logf("%d round trips", got)
		})
	}
}
