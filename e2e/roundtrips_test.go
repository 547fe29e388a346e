package e2e_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stancegraph/stancegraph/server"
	"github.com/stancegraph/stancegraph/store/memstore"
	"github.com/stancegraph/stancegraph/store/neo4jstore"
)

// statementsQueries are read requests mixing fragments, aliases, variables
// (inlined here), connections, aggregates and relations, nested to depth
// four and beyond.
var statementsQueries = []struct{ name, query string }{
	{"Depth4FragmentsAliasesConnections", `
		query {
		  a: actors(first: 50, where: { kind: { in: [COMPANY, TRADE_ASSOCIATION] } }) {
		    totalCount
		    edges { cursor node { ...ActorBits } }
		  }
		  tpd: proposal(id: "trusted-partner-designation") { ...Target }
		  all: positions(first: 5, where: { source: { kind: { eq: PUBLIC_COMMENT } } }, orderBy: [{ statedAt: DESC }]) {
		    aggregate { count actors targets byStance { stance count actors } statedAt { min max } }
		    pageInfo { hasNextPage hasPreviousPage endCursor }
		    edges { cursor node { id actor { id name } target { ... on Program { id } ... on PolicyProposal { id title } } } }
		  }
		  nodes(ids: ["openai", "american-ai-exports-program", "nope"]) {
		    id
		    ... on Company { memberOf { id } }
		    ... on Program { stanceSummary { supporters opposers net } positions(first: 1) { totalCount } }
		  }
		}
		fragment ActorBits on Actor {
		  id
		  ... on Company {
		    latest: positions(first: 5, orderBy: [{ statedAt: DESC }]) {
		      edges { node { source { id publishedBy { id } } target { ...Target } } }
		    }
		    memberOf { id members { id } }
		  }
		}
		fragment Target on Stanceable {
		  id
		  ... on PolicyProposal { proposedBy { id } stanceSummary { supporters opposers positions } }
		  sup: positions(stance: SUPPORTS, first: 2) { totalCount edges { node { actor { id } } } }
		}`},
	{"Depth3ActorsPositionsTargets", `{ actors(first: 500) { edges { node { id positions { edges { node {
		target { ... on PolicyProposal { id } ... on Program { id } } } } } } } } }`},
	{"PeopleAndAffiliations", `{ actors(where: { kind: { eq: PERSON } }) { edges { node { id ... on Person {
		affiliations { role title organization { id name ... on TradeAssociation { members { id } } } } } } } }
		a: actors(where: { kind: { eq: COMPANY } }) { edges { node { id published { id } proposed { id } } } }
		proposals { edges { node { id proposedBy { id } concerns { id } } } } }`},
	{"ProgramTree", `{ programs { edges { node { id administeredBy { id parent { id } children { id } }
		proposals { id positions(last: 3) { pageInfo { hasPreviousPage } edges { node { actor { id } } } } } } } } }`},
	{"BackersIndirectWithEnds", `
		query {
		  b: backers(of: "trusted-partner-designation", include: { proposers: true, members: true }) {
		    ...Backing
		    actor { ... on Company { memberOf { id } latest: positions(first: 2, orderBy: [{ statedAt: DESC }]) { totalCount edges { node { id } } } } }
		  }
		  o: backers(of: "trusted-partner-designation", stance: OPPOSES, from: "2024") { ...Backing }
		  w: backers(of: "american-ai-exports-program", include: { members: true }) { ...Backing }
		}
		fragment Backing on Backer {
		  proposed direct
		  actor { id name kind }
		  positions { id stance statedAt actor { id } target { ... on PolicyProposal { id title } ... on Program { id } } source { id title publishedBy { id } } }
		  via { type role from { id ... on Actor { name } } to { id } source { id } }
		}`},
}

// Every non-research read request is one Cypher statement at any depth,
// and the two backends answer it identically.
func TestNeo4j_OneStatementPerRequest(t *testing.T) {
	s := openNeo4j(t).(*neo4jstore.Store)
	mustSeed(t, s)
	h := server.NewGraphQL(s, server.Options{})
	mem := memstore.OpenMemory()
	defer mem.Close()
	mustSeed(t, mem)
	hm := server.NewGraphQL(mem, server.Options{})
	for _, tt := range statementsQueries {
		t.Run(tt.name, func(t *testing.T) {
			before := s.RoundTrips()
			data := run(t, h, tt.query)
			if got := s.RoundTrips() - before; got != 1 {
				t.Errorf("%d Cypher statements, want 1", got)
			}
			if n := strings.Count(string(data), `"id"`); n < 20 {
				t.Fatalf("only %d ids answered; the test needs a real fan-out", n)
			}
			want := run(t, hm, tt.query)
			var a, b bytes.Buffer
			_ = json.Indent(&a, data, "", " ")
			_ = json.Indent(&b, want, "", " ")
			if a.String() != b.String() {
				t.Errorf("neo4j and embedded answers differ:\nneo4j:\n%s\nembedded:\n%s", a.String(), b.String())
			}
		})
	}
}
