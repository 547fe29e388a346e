package e2e_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stancegraph/stancegraph/server"
)

const hostileToken = "hostile-write-token"

// injections are strings that would change a query built by splicing text
// into Cypher (or JSON, HTML, format strings). Every one must be stored
// and read back literally.
var injections = []string{
	`x' OR 1=1 //`,
	`"}) MATCH (n) DETACH DELETE n //`,
	`') RETURN 1 UNION MATCH (n) DETACH DELETE n //`,
	"`Entity`:Company {id: 'openai'}",
	`$id $0 {id} ${id}`,
	`\'; CALL dbms.components() YIELD name RETURN name //`,
	`*/ MATCH (n) SET n.name = 'pwned' /*`,
	`<script>alert(1)</script>`,
	`%s%n%x%d %v`,
	"line\r\nbreak\ttab \\ backslash \\u0000 literal",
	"\u202eRTL \U0001F469\u200d\U0001F469\u200d\U0001F467 \ufdfd e\u0301",
}

// hostileServer serves the seeded store s through the whole HTTP stack.
func hostileServer(t *testing.T, b backend) http.Handler {
	s := b.open(t)
	mustSeed(t, s)
	return server.New(s, server.Config{GraphQL: server.Options{WriteTokens: []string{hostileToken}}, Logger: slog.New(slog.DiscardHandler)})
}

type gqlAnswer struct {
	status int
	data   json.RawMessage
	errors []struct {
		Message    string
		Extensions struct{ Code, Field string }
	}
}

func (a gqlAnswer) code() string {
	if len(a.errors) == 0 {
		return ""
	}
	return a.errors[0].Extensions.Code
}

// post sends a GraphQL request with the write token.
func post(t *testing.T, h http.Handler, query string, vars map[string]any) gqlAnswer {
	t.Helper()
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		t.Fatal(err)
	}
	return postRaw(t, h, body)
}

func postRaw(t *testing.T, h http.Handler, body []byte) gqlAnswer {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/query", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+hostileToken)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var resp struct {
		Data   json.RawMessage
		Errors json.RawMessage
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
		t.Fatalf("answer is not JSON (%d): %.300s", rec.Code, rec.Body.String())
	}
	a := gqlAnswer{status: rec.Code, data: resp.Data}
	if len(resp.Errors) > 0 {
		if err := json.Unmarshal(resp.Errors, &a.errors); err != nil {
			t.Fatal(err)
		}
	}
	return a
}

// roundTrip is a write of a value into one string field and the read that
// must give it back.
type roundTrip struct {
	field string
	write string
	vars  func(v string) map[string]any
	read  string
	got   func(data json.RawMessage) string
}

func path(keys ...any) func(json.RawMessage) string {
	return func(data json.RawMessage) string {
		var v any
		_ = json.Unmarshal(data, &v)
		for _, k := range keys {
			switch k := k.(type) {
			case string:
				m, _ := v.(map[string]any)
				v = m[k]
			case int:
				l, _ := v.([]any)
				if k >= len(l) {
					return "<missing>"
				}
				v = l[k]
			}
		}
		s, _ := v.(string)
		return s
	}
}

var roundTrips = []roundTrip{
	{"Actor.name", `mutation($v: String!) { upsertActor(input: {id: "hostile-co", kind: COMPANY, name: $v}) { change } }`,
		func(v string) map[string]any { return map[string]any{"v": v} },
		`{ actor(id: "hostile-co") { name } }`, path("actor", "name")},
	{"Actor.description", `mutation($v: String) { upsertActor(input: {id: "hostile-co", kind: COMPANY, name: "Hostile", description: $v}) { change } }`,
		func(v string) map[string]any { return map[string]any{"v": v} },
		`{ actor(id: "hostile-co") { description } }`, path("actor", "description")},
	{"Actor.aliases", `mutation($v: String!) { upsertActor(input: {id: "hostile-co", kind: COMPANY, name: "Hostile", aliases: [$v]}) { change } }`,
		func(v string) map[string]any { return map[string]any{"v": v} },
		`{ actor(id: "hostile-co") { aliases } }`, path("actor", "aliases", 0)},
	{"Proposal.title", `mutation($v: String!) { upsertProposal(input: {id: "hostile-proposal", title: $v}) { change } }`,
		func(v string) map[string]any { return map[string]any{"v": v} },
		`{ proposal(id: "hostile-proposal") { title } }`, path("proposal", "title")},
	{"Proposal.summary", `mutation($v: String) { upsertProposal(input: {id: "hostile-proposal", title: "T", summary: $v}) { change } }`,
		func(v string) map[string]any { return map[string]any{"v": v} },
		`{ proposal(id: "hostile-proposal") { summary } }`, path("proposal", "summary")},
	{"Proposal.topics", `mutation($v: String!) { upsertProposal(input: {id: "hostile-proposal", title: "T", topics: [$v]}) { change } }`,
		func(v string) map[string]any { return map[string]any{"v": v} },
		`{ proposal(id: "hostile-proposal") { topics } }`, path("proposal", "topics", 0)},
	{"Program.name", `mutation($v: String!) { upsertProgram(input: {id: "hostile-program", name: $v}) { change } }`,
		func(v string) map[string]any { return map[string]any{"v": v} },
		`{ program(id: "hostile-program") { name } }`, path("program", "name")},
	{"Source.title", `mutation($v: String!) { upsertSource(input: {id: "hostile-source", title: $v, kind: OTHER}) { change } }`,
		func(v string) map[string]any { return map[string]any{"v": v} },
		`{ source(id: "hostile-source") { title } }`, path("source", "title")},
	{"Source.author", `mutation($v: String) { upsertSource(input: {id: "hostile-source", title: "T", kind: OTHER, author: $v, publisher: $v}) { change } }`,
		func(v string) map[string]any { return map[string]any{"v": v} },
		`{ source(id: "hostile-source") { author } }`, path("source", "author")},
	{"Position.quote", `mutation($v: String!) { recordPosition(input: {actor: "openai", target: "american-ai-exports-program", stance: OPPOSES, source: "openai-ai-exports-program-comment", statedAt: "2025-12-13", quote: $v}) { change } }`,
		func(v string) map[string]any { return map[string]any{"v": v} },
		`{ actor(id: "openai") { positions(stance: OPPOSES) { edges { node { quote } } } } }`, path("actor", "positions", "edges", 0, "node", "quote")},
	{"Relation.role", `mutation($v: String) { relate(input: {type: AFFILIATED_WITH, from: "benjamin-schwartz", to: "openai", role: $v, title: $v}) { change } }`,
		func(v string) map[string]any { return map[string]any{"v": v} },
		`{ actor(id: "benjamin-schwartz") { ... on Person { affiliations { role } } } }`, path("actor", "affiliations", 0, "role")},
}

// TestHostileInput_RoundTrip stores every injection string in every string
// field on both backends and reads it back unchanged; searches and filters
// by it answer without error.
func TestHostileInput_RoundTrip(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			h := hostileServer(t, b)
			for _, rt := range roundTrips {
				for i, v := range injections {
					a := post(t, h, rt.write, rt.vars(v))
					if a.status != 200 || len(a.errors) > 0 {
						t.Errorf("%s #%d: write %q: %d %+v", rt.field, i, v, a.status, a.errors)
						continue
					}
					r := post(t, h, rt.read, nil)
					if got := rt.got(r.data); got != v || len(r.errors) > 0 {
						t.Errorf("%s #%d: read back %q, want %q (%+v)", rt.field, i, got, v, r.errors)
					}
				}
			}
			for i, v := range injections {
				a := post(t, h, `query($v: String!) { search(query: $v) { score } actors(where: {nameContains: $v}) { totalCount } proposals(where: {topic: $v}) { totalCount } }`, map[string]any{"v": v})
				if a.status != 200 || len(a.errors) > 0 {
					t.Errorf("search #%d %q: %d %+v", i, v, a.status, a.errors)
				}
			}
			// The graph is intact: nothing an injection said was run.
			a := post(t, h, `{ actor(id: "openai") { name } actors { totalCount } }`, nil)
			if diff := cmp.Diff(path("actor", "name")(a.data), "OpenAI"); diff != "" || len(a.errors) > 0 {
				t.Errorf("openai after the injections: %s %+v", diff, a.errors)
			}
		})
	}
}

// hostileCase is a request and the refusal it must get: extensions.code,
// and extensions.field where the input is at fault.
type hostileCase struct {
	name   string
	body   func() []byte
	status int
	code   string
	field  string
}

func gql(query string, vars map[string]any) func() []byte {
	return func() []byte {
		b, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
		return b
	}
}

func upsertActor(field string, value any) func() []byte {
	input := map[string]any{"id": "hostile-co", "kind": "COMPANY", "name": "Hostile"}
	input[field] = value
	return gql(`mutation($in: ActorInput!) { upsertActor(input: $in) { change } }`, map[string]any{"in": input})
}

func recordPosition(field string, value any) func() []byte {
	input := map[string]any{"actor": "openai", "target": "american-ai-exports-program", "stance": "SUPPORTS",
		"source": "openai-ai-exports-program-comment", "statedAt": "2025-12-13", "quote": "q"}
	input[field] = value
	return gql(`mutation($in: PositionInput!) { recordPosition(input: $in) { change } }`, map[string]any{"in": input})
}

// nestedParents is a query nesting `parent` n levels below node.
func nestedParents(n int) string {
	q := "id"
	for range n - 1 {
		q = "parent { ... on Agency { " + q + " } }"
	}
	return `{ node(id: "ita-advocacy-center") { ... on Agency { ` + q + ` } } }`
}

func aliases(n int, field string) string {
	var b strings.Builder
	b.WriteString("{ ")
	for i := range n {
		fmt.Fprintf(&b, "a%d: %s ", i, field)
	}
	b.WriteString("}")
	return b.String()
}

// fragmentBomb spreads each fragment twice in the one before it: n levels
// select 2^n fields.
func fragmentBomb(n int) string {
	var b strings.Builder
	b.WriteString("{ ...F0 }\n")
	for i := range n {
		fmt.Fprintf(&b, "fragment F%d on Query { ...F%d ...F%d }\n", i, i+1, i+1)
	}
	fmt.Fprintf(&b, "fragment F%d on Query { actors { totalCount } }\n", n)
	return b.String()
}

func ids(n int, id string) []string {
	l := make([]string, n)
	for i := range l {
		l[i] = id
	}
	return l
}

var hostileCases = []hostileCase{
	// Null bytes, long strings, bad UTF-8.
	{"NullByte/Actor.name", upsertActor("name", "Acme\x00Corp"), 200, "INVALID", "name"},
	{"NullByte/Actor.description", upsertActor("description", "\x00"), 200, "INVALID", "description"},
	{"NullByte/Position.quote", recordPosition("quote", "quo\x00te"), 200, "INVALID", "quote"},
	{"NullByte/Id", upsertActor("id", "acme\x00"), 200, "INVALID", "id"},
	{"Long/Actor.name", upsertActor("name", strings.Repeat("n", 301)), 200, "INVALID", "name"},
	{"Long/Actor.description", upsertActor("description", strings.Repeat("d", 5001)), 200, "INVALID", "description"},
	{"Long/Actor.aliases", upsertActor("aliases", ids(33, "alias")), 200, "INVALID", "aliases"},
	{"Long/Position.quote", recordPosition("quote", strings.Repeat("q", 2001)), 200, "INVALID", "quote"},
	{"Long/Body", upsertActor("description", strings.Repeat("d", 2<<20)), 413, server.CodeBodyTooLarge, ""},
	{"BadUTF8/Body", func() []byte {
		return []byte("{\"query\": \"mutation { upsertActor(input: {id: \\\"x\\\", kind: COMPANY, name: \\\"\xff\xfe\\\"}) { change } }\"}")
	}, 400, "INVALID", ""},
	{"BadUTF8/Variable", func() []byte {
		return []byte("{\"query\": \"mutation($n: String!) { upsertActor(input: {id: \\\"x\\\", kind: COMPANY, name: $n}) { change } }\", \"variables\": {\"n\": \"a\xffb\"}}")
	}, 400, "INVALID", ""},
	// Invalid ids.
	{"Id/Uppercase", upsertActor("id", "OpenAI"), 200, "INVALID", "id"},
	{"Id/Spaces", upsertActor("id", "open ai"), 200, "INVALID", "id"},
	{"Id/Path", upsertActor("id", "../../etc/passwd"), 200, "INVALID", "id"},
	{"Id/Injection", upsertActor("id", `x' OR 1=1 //`), 200, "INVALID", "id"},
	{"Id/Empty", upsertActor("id", ""), 200, "INVALID", "id"},
	{"Id/TooLong", upsertActor("id", strings.Repeat("a", 129)), 200, "INVALID", "id"},
	{"Id/PositionEnd", recordPosition("actor", `openai"}) DETACH DELETE n //`), 200, "INVALID", "actor"},
	{"Id/Unknown", recordPosition("actor", "no-such-actor"), 200, "NOT_FOUND", ""},
	{"Id/Lookup", gql(`query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": `x' OR 1=1 //`}), 200, "INVALID", "id"},
	{"Id/Delete", gql(`mutation($id: ID!) { deleteNode(id: $id) }`, map[string]any{"id": `x") DETACH DELETE n //`}), 200, "INVALID", "id"},
	{"Id/DeletePath", gql(`mutation { deleteNode(id: "../x") }`, nil), 200, "INVALID", "id"},
	{"Id/DeleteUnknown", gql(`mutation { deleteNode(id: "no-such-entity") }`, nil), 200, "NOT_FOUND", ""},
	{"Id/Retract", gql(`mutation($id: ID!) { retractPosition(id: $id) }`, map[string]any{"id": "pos-' OR 1=1"}), 200, "INVALID", "id"},
	{"Cursor/Forged", gql(`{ actors(after: "b2Zmc2V0Oi0x") { totalCount } }`, nil), 200, "INVALID", "after"},
	{"Cursor/Garbage", gql(`query($c: String) { actors(after: $c) { totalCount } }`, map[string]any{"c": "' OR 1=1"}), 200, "INVALID", "after"},
	// Invalid enums and scalars.
	{"Enum/Literal", gql(`mutation { upsertActor(input: {id: "x", kind: NOT_A_KIND, name: "X"}) { change } }`, nil), 200, "GRAPHQL_VALIDATION_FAILED", ""},
	{"Enum/Variable", upsertActor("kind", "PROGRAM'); DROP"), 200, "GRAPHQL_VALIDATION_FAILED", ""},
	{"Enum/WrongKind", upsertActor("kind", "PROGRAM"), 200, "INVALID", "kind"},
	{"Enum/Stance", recordPosition("stance", "supports"), 200, "INVALID", ""},
	{"Enum/RelationType", gql(`mutation { relate(input: {type: DETACH_DELETE, from: "a", to: "b"}) { change } }`, nil), 200, "GRAPHQL_VALIDATION_FAILED", ""},
	{"Date/Invalid", recordPosition("statedAt", "2025-13-45"), 200, "INVALID", ""},
	{"Date/Injection", recordPosition("statedAt", "2025-01-01' OR 1=1"), 200, "INVALID", ""},
	{"Int/Strength", recordPosition("strength", 99), 200, "INVALID", "strength"},
	{"Int/StrengthZero", recordPosition("strength", 0), 200, "INVALID", "strength"},
	{"Int/StrengthZeroImport", gql(`mutation($p: [PositionInput!]!) { importGraph(input: {positions: $p}) { positions { created } } }`,
		map[string]any{"p": []any{map[string]any{"actor": "openai", "target": "american-ai-exports-program", "stance": "SUPPORTS",
			"source": "openai-ai-exports-program-comment", "statedAt": "2025-12-13", "quote": "q", "strength": 0}}}), 200, "INVALID", "positions"},
	{"Int/Overflow", recordPosition("strength", json.Number("99999999999999999999")), 200, "GRAPHQL_VALIDATION_FAILED", ""},
	{"Page/TooLarge", gql(`{ actors(first: 501) { totalCount } }`, nil), 200, "INVALID", "first"},
	{"Page/Negative", gql(`{ actors(first: -1) { totalCount } }`, nil), 200, "INVALID", "first"},
	// Deep and wide queries, alias and fragment bombs.
	{"Deep/AtLimit", gql(nestedParents(server.DefaultMaxDepth-1), nil), 200, "", ""},
	{"Deep/OverLimit", gql(nestedParents(server.DefaultMaxDepth), nil), 200, server.CodeDepthLimit, ""},
	{"Deep/Braces", gql(strings.Repeat("{ a ", 5000)+strings.Repeat("}", 5000), nil), 200, "GRAPHQL_PARSE_FAILED", ""},
	{"Deep/Tokens", gql(strings.Repeat("{ a(x: 1, y: 2, z: 3) ", 950)+strings.Repeat("}", 950), nil), 200, server.CodeTokenLimit, ""},
	{"Wide/Fields", gql(`{ actors(first: 500) { edges { node { `+strings.Repeat("id name aliases description url country kind ", 60)+`} } } }`, nil), 200, server.CodeComplexityLimit, ""},
	{"Wide/NestedPages", gql(`{ actors(first: 500) { edges { node { positions(first: 500) { totalCount } } } } }`, nil), 200, server.CodeComplexityLimit, ""},
	{"Bomb/Aliases", gql(aliases(500, "actors(first: 500) { totalCount }"), nil), 200, server.CodeComplexityLimit, ""},
	{"Bomb/ManyAliases", gql(aliases(5000, "__typename"), nil), 200, server.CodeTokenLimit, ""},
	{"Bomb/Fragments", gql(fragmentBomb(40), nil), 200, server.CodeComplexityLimit, ""},
	{"Bomb/FragmentCycle", gql(`{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }`, nil), 200, "GRAPHQL_VALIDATION_FAILED", ""},
	// Introspection amplification (attack 5) and analysis aliases (attack 4).
	{"Bomb/Introspection", gql(aliases(1380, "__schema { ...F }")+" fragment F on __Schema { types { name fields { name } } }", nil), 200, server.CodeComplexityLimit, ""},
	{"Bomb/IntrospectionFragments", gql(`{ ...A ...B } fragment A on Query { a: __schema { queryType { name } } b: __schema { queryType { name } } } fragment B on Query { c: __type(name: "Actor") { name } d: __type(name: "Query") { name } }`, nil), 200, server.CodeComplexityLimit, ""},
	{"Introspection/Few", gql(`{ __schema { queryType { name } } __type(name: "Actor") { name } }`, nil), 200, "", ""},
	{"Analysis/NetworkLimit", gql(`{ actorNetwork(limit: 1000) { edges { a { id } b { id } targets { __typename } } } }`, nil), 200, server.CodeComplexityLimit, ""},
	{"Analysis/CoalitionsLimit", gql(`{ coalitions(limit: 1000) { modularity } }`, nil), 200, server.CodeComplexityLimit, ""},
	{"Analysis/CoalitionAliases", gql(aliases(20, "coalitions { modularity }"), nil), 200, server.CodeComplexityLimit, ""},
	{"Analysis/NeighborhoodAliases", gql(aliases(10, `neighborhood(id: "openai", depth: 3, limit: 1000) { truncated }`), nil), 200, server.CodeComplexityLimit, ""},
	{"Analysis/Default", gql(`{ coalitions { modularity } actorNetwork { actors } }`, nil), 200, "", ""},
	{"Bomb/Directives", gql(`{ __typename `+strings.Repeat("@skip(if: false) ", 1000)+`}`, nil), 200, "GRAPHQL_VALIDATION_FAILED", ""},
	// Huge variable lists.
	{"Vars/TooManyIds", gql(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, map[string]any{"ids": ids(501, "openai")}), 200, "INVALID", "ids"},
	{"Vars/HugeIdList", gql(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, map[string]any{"ids": ids(150000, "a")}), 200, "INVALID", "ids"},
	{"Vars/HugeIdListCost", gql(`query($ids: [ID!]!) { nodes(ids: $ids) { ... on Company { positions(first: 500) { totalCount } } } }`, map[string]any{"ids": ids(1000, "a")}), 200, server.CodeComplexityLimit, ""},
	{"Vars/HugeKindList", gql(`query($k: [Kind!]) { actors(where: {kinds: $k}) { totalCount } }`, map[string]any{"k": ids(50000, "COMPANY")}), 200, "", ""},
	{"Vars/ManyUnused", func() []byte {
		vars := map[string]any{}
		for i := range 20000 {
			vars[fmt.Sprintf("v%d", i)] = i
		}
		b, _ := json.Marshal(map[string]any{"query": "{ __typename }", "variables": vars})
		return b
	}, 200, "", ""},
	{"Vars/WrongType", gql(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, map[string]any{"ids": map[string]any{"$ne": nil}}), 200, "GRAPHQL_VALIDATION_FAILED", ""},
}

// TestHostileInput_Refusals sends every hostile request to both backends:
// each gets its coded error (or, where it is harmless, an answer), never
// an internal error, and the server keeps serving.
func TestHostileInput_Refusals(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			h := hostileServer(t, b)
			for _, tc := range hostileCases {
				t.Run(tc.name, func(t *testing.T) {
					a := postRaw(t, h, tc.body())
					if a.status != tc.status || a.code() != tc.code {
						t.Fatalf("got %d %q %+v, want %d %q", a.status, a.code(), a.errors, tc.status, tc.code)
					}
					if tc.field != "" && a.errors[0].Extensions.Field != tc.field {
						t.Errorf("field %q, want %q (%s)", a.errors[0].Extensions.Field, tc.field, a.errors[0].Message)
					}
					for _, e := range a.errors {
						if e.Extensions.Code == "INTERNAL" {
							t.Errorf("internal error: %+v", e)
						}
					}
				})
			}
			if a := post(t, h, `{ actor(id: "openai") { name } }`, nil); path("actor", "name")(a.data) != "OpenAI" {
				t.Errorf("after the hostile requests: %s %+v", a.data, a.errors)
			}
		})
	}
}
