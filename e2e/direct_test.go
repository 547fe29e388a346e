package e2e_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stancegraph/stancegraph/graph"
	"github.com/stancegraph/stancegraph/server"
)

// directCorpus are queries the read plan serves whole, covering every
// field of every type the direct writer writes, fragments (named, inline,
// on interfaces), aliases, __typename, @skip/@include, variables, nulls,
// pages both ways and aggregates.
var directCorpus = []string{
	`{ __typename proposal(id: "trusted-partner-designation") { __typename id title aliases summary description url topics
	   externalIds { __typename scheme value }
	   positions { __typename totalCount pageInfo { __typename hasNextPage hasPreviousPage startCursor endCursor }
	     aggregate { __typename count actors targets sources statedAt { __typename min max } byStance { __typename stance count actors } }
	     edges { __typename cursor node { __typename id stance strength quote statedAt condition
	       statedAtDetail { __typename value precision qualifier start end }
	       actor { __typename id kind name } target { __typename id } source { __typename id title kind } } } }
	   stanceSummary { __typename supporters opposers positions net }
	   lastYear: stanceSummary(from: "2025-01-01", to: "2025-12-31") { supporters net }
	   proposedBy { id name } concerns { id name } } }`,
	`{ program(id: "american-ai-exports-program") { id name aliases description url externalIds { scheme value }
	   administeredBy { id name kind } establishedBy { id title publishedAt publishedAtDetail { value precision qualifier start end } }
	   proposals { id title } stanceSummary(asOf: "2025-12-31") { supporters opposers positions net }
	   positions(first: 3, stance: SUPPORTS) { edges { node { id actor { id } } } pageInfo { hasNextPage endCursor } } } }`,
	`{ actor(id: "department-of-commerce") { __typename id kind name country url description aliases
	   ... on Agency { parent { id name } children { id name children { id } } administers { id name } proposed { id } published { id } } } }`,
	`{ a: actor(id: "openai") { ...actorBits } b: actor(id: "anthropic") { ...actorBits } }
	 fragment actorBits on Actor { id name ... on Company { memberOf { id name members { id } } }
	   positions(last: 2) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id statedAt } } } }`,
	`{ actor(id: "benjamin-schwartz") { id name ... on Person { affiliations { __typename role title organization { __typename id name } } } } }`,
	`{ actor(id: "united-states") { id country description url aliases ... on Government { externalIds { scheme value } agencies { id name country parent { id country } } } } }`,
	`{ source(id: "openai-ai-exports-program-comment") { id title kind publisher author publishedAt
	   publishedAtDetail { value qualifier } publishedBy { id name } positions { totalCount edges { node { id target { id } } } } } }`,
	`{ node(id: "openai") { __typename id ... on Actor { name } ... on Node { id } } other: node(id: "no-such-entity") { id } }`,
	`{ wrongType: proposal(id: "openai") { id } missing: actor(id: "nobody-here") { id } }`,
	`{ nodes(ids: ["openai", "no-such-one", "american-ai-exports-program", "trusted-partner-designation"]) {
	   __typename id ... on Stanceable { stanceSummary { net } } ... on Company { name } } }`,
	`{ positions(first: 4, orderBy: [{ statedAt: DESC }]) { totalCount pageInfo { hasNextPage endCursor }
	   edges { cursor node { id statedAt actor { id } target { __typename id ... on PolicyProposal { title } ... on Program { name } } } } } }`,
	`{ positions(where: { actor: { kind: { in: [COMPANY, TRADE_ASSOCIATION] } }, stance: { eq: SUPPORTS } }, orderBy: [{ strength: DESC }, { statedAt: ASC }], first: 5) {
	   aggregate { count actors targets byStance { stance count actors } statedAt { min max } } edges { node { id strength } } } }`,
	`{ positions(where: { statedAt: { gte: "2030-01-01" } }) { totalCount aggregate { count statedAt { min } byStance { stance } } pageInfo { startCursor endCursor hasNextPage } edges { cursor } } }`,
	`{ actors(first: 3) { __typename totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { __typename cursor node { __typename id name kind } } } }`,
	`{ actors(orderBy: NAME_DESC, last: 2, where: { kind: { eq: COMPANY } }) { totalCount edges { node { id } } pageInfo { hasPreviousPage } } }`,
	`{ proposals(first: 2, where: { topics: { includes: "export controls" } }) { totalCount edges { cursor node { id title topics } } } programs { edges { node { id name } } } sources(orderBy: ID_ASC) { totalCount edges { node { id kind } } } }`,
	`query($id: ID!, $n: Int, $withQuote: Boolean!, $skipActor: Boolean!) { proposal(id: $id) { id positions(first: $n) { edges { node { id quote @include(if: $withQuote) actor @skip(if: $skipActor) { id } } } } } }`,
	`{ proposal(id: "trusted-partner-designation") { positions(first: 2) { edges { node { actor { id positions(first: 2) { totalCount edges { node { id target { id ... on PolicyProposal { stanceSummary { supporters } } } } } } } } } } } }`,
	`{ actor(id: "openai") { positions(first: 1) { edges { node { id } } } positions(first: 1) { edges { node { statedAt } } } } }`,
	// Cursors whose node asks for none of the fields of the page's order:
	// the plan reads them all the same.
	`{ actor(id: "openai") { positions(first: 2) { pageInfo { endCursor startCursor } edges { node { id } } } } }`,
	`{ positions(orderBy: [{ strength: DESC }], first: 3) { edges { cursor node { id stance } } } proposal(id: "trusted-partner-designation") { positions(orderBy: [{ strength: ASC }, { statedAt: DESC }], last: 2) { edges { cursor node { quote } } } } }`,
	`{ actor(id: "amazon-web-services") { ... on Company { positions(first: 1) { edges { node { id } } } } ... on Actor { positions(first: 1) { totalCount } } } }`,
	`{ backers(of: "trusted-partner-designation") { __typename proposed direct actor { __typename id name kind }
	   positions { id stance quote statedAt statedAtDetail { value qualifier } actor { id } target { id } source { id title } }
	   via { __typename type role title quote statedAt statedAtDetail { value } from { __typename id } to { id } source { id } } } }`,
	`{ s: backers(of: "american-ai-exports-program", include: { proposers: true, members: true }) { actor { id ... on Company { memberOf { id } } } direct proposed via { type from { id } to { id } } }
	   o: backers(of: "american-ai-exports-program", stance: OPPOSES, from: "2025-01-01") { actor { id } positions { id } }
	   p: backers(of: "trusted-partner-designation", include: { proposers: true }) { proposed direct via { type role title quote source { id } } } }`,
}

// directVariables are the variables of the corpus' one query that takes some.
var directVariables = map[string]any{"id": "trusted-partner-designation", "n": 2, "withQuote": true, "skipActor": false}

// notDirect are queries that must go to the resolvers, with the same
// answers: research fields, introspection, errors.
var notDirect = []string{
	`{ backers(of: "no-such-target") { actor { id } } }`,
	`{ backers(of: "openai") { actor { id } } }`,
	`{ __schema { queryType { name } } }`,
	`{ proposal(id: "Not A Slug") { id } }`,
	`{ positions(first: 100000) { totalCount } }`,
	`{ positions(after: "bm90IGEgY3Vyc29y") { totalCount } }`,
	`{ actor(id: "openai") { id } search(query: "trusted partner") { score } }`,
	`{ alignment(a: "openai", b: "anthropic") { sizeA sizeB a { id } } }`,
}

// postRaw posts a query and returns the whole response body.
func postBoth(t *testing.T, h http.Handler, query string, vars map[string]any, direct bool) []byte {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req := httptest.NewRequest(http.MethodPost, "/query", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if !direct {
		req = req.WithContext(graph.WithoutDirectAnswers(req.Context()))
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Body.Bytes()
}

// Who must answer a query in sameBytes.
const (
	anyone = iota
	directly
	byResolvers
)

// sameBytes runs a query both ways and returns the direct answer, failing
// when the bytes differ or the query was not answered by who.
func sameBytes(t *testing.T, h http.Handler, query string, vars map[string]any, who int) []byte {
	t.Helper()
	d0, r0 := graph.AnswerCounts()
	direct := postBoth(t, h, query, vars, true)
	d1, r1 := graph.AnswerCounts()
	viaResolvers := postBoth(t, h, query, vars, false)
	if !bytes.Equal(direct, viaResolvers) {
		t.Errorf("direct answer differs from the resolvers'\nquery: %s\ndirect:    %s\nresolvers: %s", query, direct, viaResolvers)
	}
	if who == directly && (d1-d0 != 1 || r1 != r0) {
		t.Errorf("not answered directly (direct %d, resolvers %d): %s\nanswer: %s", d1-d0, r1-r0, query, direct)
	}
	if who == byResolvers && d1 != d0 {
		t.Errorf("answered directly, want the resolvers: %s", query)
	}
	return direct
}

// TestDirect_SameBytes: on both backends, every query of the corpus, of
// README.md and docs/, and of a generator of random selections is answered
// directly with the very bytes gqlgen's resolvers write.
func TestDirect_SameBytes(t *testing.T) {
	examples := readmeExamples(t)
	answers := map[string][]string{} // by backend: the corpus', then the random queries'
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			s := b.open(t)
			mustSeed(t, s)
			h := server.NewGraphQL(s, server.Options{})
			for _, q := range directCorpus {
				var vars map[string]any
				if strings.HasPrefix(q, "query(") {
					vars = directVariables
				}
				out := sameBytes(t, h, q, vars, directly)
				if bytes.Contains(out, []byte(`"errors"`)) {
					t.Errorf("corpus query failed: %s\n%s", q, out)
				}
				answers[b.name] = append(answers[b.name], string(out))
			}
			for _, q := range notDirect {
				sameBytes(t, h, q, nil, byResolvers)
			}
			direct := 0
			for _, ex := range examples {
				d0, _ := graph.AnswerCounts()
				sameBytes(t, h, ex.query, nil, anyone)
				if d1, _ := graph.AnswerCounts(); d1 > d0 {
					direct++
				}
			}
			if direct == 0 {
				t.Errorf("none of the %d README and docs examples was answered directly", len(examples))
			}
			// Each new shape of query is a new statement for Neo4j to
			// plan: fewer there. The first ones are the same on both.
			n := 400
			if b.name == "neo4j" {
				n = 30
			}
			rng := rand.New(rand.NewPCG(11, 12))
			for i := range n {
				q := randomQuery(rng)
				out := sameBytes(t, h, q, nil, directly)
				if bytes.Contains(out, []byte(`"errors"`)) {
					t.Errorf("random query %d failed: %s\n%s", i, q, out)
				}
				answers[b.name] = append(answers[b.name], q+"\n"+string(out))
			}
		})
	}
	// The backends answer alike: a field a plan leaves out on one backend
	// but not the other shows here.
	e, n := answers["embedded"], answers["neo4j"]
	for i := range min(len(e), len(n)) {
		if e[i] != n[i] {
			t.Errorf("the backends differ:\nembedded: %s\nneo4j:    %s", e[i], n[i])
		}
	}
}

// The generator: random selections over the types the plans serve, within
// the server's depth limit, with aliases, fragments and __typename.

var (
	entityIDs = []string{"openai", "anthropic", "amazon-web-services", "business-software-alliance", "benjamin-schwartz", "united-states", "department-of-commerce", "international-trade-administration", "american-ai-exports-program", "trusted-partner-designation", "democratic-ai-standards", "openai-ai-exports-program-comment", "no-such-node"}
	scalarsOf = map[string][]string{
		"Actor":          {"id", "kind", "name", "aliases", "description", "url", "country", "__typename"},
		"PolicyProposal": {"id", "title", "aliases", "summary", "description", "url", "topics", "__typename"},
		"Program":        {"id", "name", "aliases", "description", "url", "__typename"},
		"Source":         {"id", "title", "kind", "description", "url", "publisher", "publishedAt", "author", "__typename"},
		"Position":       {"id", "stance", "strength", "quote", "statedAt", "condition", "__typename"},
	}
	connArgsPool = []string{"(first: 4)", "(first: 2)", "(last: 1)", "(stance: OPPOSES, first: 3)", "(first: 3, orderBy: [{ statedAt: DESC }])",
		"(orderBy: [{ strength: DESC }], first: 2)", `(from: "2025-06-01", last: 3)`, `(where: { source: { kind: { eq: PUBLIC_COMMENT } } }, first: 3)`}
	// rootConnArgs are those the root positions field takes too.
	rootConnArgs = []string{"(first: 5)", "(first: 2)", "(last: 1)", "(first: 3, orderBy: [{ statedAt: DESC }])",
		"(orderBy: [{ strength: DESC }], first: 2)", `(where: { source: { kind: { eq: PUBLIC_COMMENT } } }, first: 4)`, `(where: { stance: { eq: OPPOSES } }, last: 2)`}
)

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func someScalars(r *rand.Rand, typ string) string {
	fs := scalarsOf[typ]
	var out []string
	for range 1 + r.IntN(3) {
		f := pick(r, fs)
		if r.IntN(4) == 0 {
			// An alias always names the same field: no conflicts.
			f = fmt.Sprintf("%s%d: %s", strings.TrimPrefix(f, "__"), r.IntN(3), f)
		}
		out = append(out, f)
	}
	return strings.Join(out, " ")
}

func connection(r *rand.Rand, depth int) string {
	var parts []string
	if r.IntN(2) == 0 {
		parts = append(parts, "totalCount")
	}
	if r.IntN(3) == 0 {
		parts = append(parts, "pageInfo { hasNextPage hasPreviousPage startCursor endCursor }")
	}
	if r.IntN(4) == 0 {
		parts = append(parts, "aggregate { count actors byStance { stance count } statedAt { min max } }")
	}
	cursor := ""
	if r.IntN(2) == 0 {
		cursor = "cursor "
	}
	parts = append(parts, "edges { "+cursor+"node { "+position(r, depth)+" } }")
	return "positions" + pick(r, connArgsPool) + " { " + strings.Join(parts, " ") + " }"
}

func position(r *rand.Rand, depth int) string {
	s := someScalars(r, "Position")
	if r.IntN(3) == 0 {
		s += " statedAtDetail { value precision qualifier start end }"
	}
	if depth > 0 {
		switch r.IntN(4) {
		case 0:
			s += " actor { " + entity(r, "Actor", depth-1) + " }"
		case 1:
			s += " target { __typename ... on PolicyProposal { " + entity(r, "PolicyProposal", depth-1) + " } ... on Program { " + entity(r, "Program", depth-1) + " } }"
		case 2:
			s += " source { " + entity(r, "Source", depth-1) + " }"
		}
	}
	return s
}

func entity(r *rand.Rand, typ string, depth int) string {
	s := someScalars(r, typ)
	if depth <= 0 {
		return s
	}
	switch typ {
	case "Actor":
		switch r.IntN(5) {
		case 0:
			s += " " + connection(r, depth-1)
		case 1:
			s += " ... on Agency { parent { id } children { id name } administers { id } }"
		case 2:
			s += " ... on Person { affiliations { role title organization { id kind } } }"
		case 3:
			s += " ... on Company { memberOf { id members { id } } } proposed { id } published { id }"
		}
	case "PolicyProposal", "Program":
		switch r.IntN(4) {
		case 0:
			s += " " + connection(r, depth-1)
		case 1:
			s += " stanceSummary { supporters opposers positions net }"
		case 2:
			if typ == "Program" {
				s += " administeredBy { id } establishedBy { id title } proposals { id }"
			} else {
				s += " proposedBy { id } concerns { id name }"
			}
		}
	case "Source":
		if r.IntN(2) == 0 {
			s += " " + connection(r, depth-1)
		} else {
			s += " publishedBy { id }"
		}
	}
	return s
}

// randomQuery returns a query of one to three planned root fields.
func randomQuery(r *rand.Rand) string {
	var roots []string
	for i := range 1 + r.IntN(3) {
		alias := fmt.Sprintf("r%d: ", i)
		switch r.IntN(6) {
		case 0:
			roots = append(roots, alias+fmt.Sprintf("actor(id: %q) { %s }", pick(r, entityIDs), entity(r, "Actor", 2)))
		case 1:
			roots = append(roots, alias+fmt.Sprintf("proposal(id: %q) { %s }", pick(r, entityIDs), entity(r, "PolicyProposal", 2)))
		case 2:
			roots = append(roots, alias+fmt.Sprintf("node(id: %q) { __typename ... on Program { %s } ... on Source { %s } }", pick(r, entityIDs), entity(r, "Program", 1), entity(r, "Source", 1)))
		case 3:
			roots = append(roots, alias+"positions"+pick(r, rootConnArgs)+" { totalCount edges { node { "+position(r, 2)+" } } }")
		case 4:
			roots = append(roots, alias+"actors(first: 3) { totalCount edges { cursor node { "+entity(r, "Actor", 1)+" } } }")
		case 5:
			roots = append(roots, alias+fmt.Sprintf("nodes(ids: [%q, %q]) { __typename ... on Actor { %s } }", pick(r, entityIDs), pick(r, entityIDs), entity(r, "Actor", 1)))
		}
	}
	return "{ " + strings.Join(roots, " ") + " }"
}
