package graph_test

import (
	"context"
	"encoding/json"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/99designs/gqlgen/client"
	"github.com/google/go-cmp/cmp"
	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/seed"
	"github.com/stancegraph/stancegraph/server"
	"github.com/stancegraph/stancegraph/store/memstore"
)

const token = "test-write-token"

// countingStore counts the store calls a request makes.
type countingStore struct {
	stancegraph.Store
	calls atomic.Int64
}

func (s *countingStore) Entities(ctx context.Context, ids []string) ([]*stancegraph.Entity, error) {
	s.calls.Add(1)
	return s.Store.Entities(ctx, ids)
}

func (s *countingStore) Positions(ctx context.Context, f stancegraph.PositionFilter) ([]*stancegraph.Position, error) {
	s.calls.Add(1)
	return s.Store.Positions(ctx, f)
}

func (s *countingStore) Relations(ctx context.Context, f stancegraph.RelationFilter) ([]*stancegraph.Relation, error) {
	s.calls.Add(1)
	return s.Store.Relations(ctx, f)
}

func (s *countingStore) Read(ctx context.Context, p *stancegraph.Plan) (*stancegraph.Result, error) {
	s.calls.Add(1)
	return s.Store.Read(ctx, p)
}

func (s *countingStore) FindEntities(ctx context.Context, f stancegraph.EntityFilter) ([]*stancegraph.Entity, int, error) {
	s.calls.Add(1)
	return s.Store.FindEntities(ctx, f)
}

// MustSeededClient returns a GraphQL client over an in-memory store holding
// the bundled seed, and the store's call counter.
func MustSeededClient(tb testing.TB) (*client.Client, *countingStore) {
	tb.Helper()
	s := memstore.OpenMemory()
	tb.Cleanup(func() { s.Close() })
	g, err := seed.Bundled()
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := seed.Load(context.Background(), s, g, false); err != nil {
		tb.Fatal(err)
	}
	cs := &countingStore{Store: s}
	return client.New(server.NewGraphQL(cs, server.Options{WriteTokens: []string{token}})), cs
}

func auth(t string) client.Option { return client.AddHeader("Authorization", "Bearer "+t) }

type gqlError struct {
	Message    string `json:"message"`
	Extensions struct {
		Code  string `json:"code"`
		Field string `json:"field"`
	} `json:"extensions"`
}

// errorsOf runs a query that must fail and returns its errors.
func errorsOf(t *testing.T, c *client.Client, query string, opts ...client.Option) []gqlError {
	t.Helper()
	resp, err := c.RawPost(query, opts...)
	if err != nil {
		// Requests that fail validation come back as HTTP 422 with a body.
		msg := err.Error()
		i := strings.Index(msg, "{")
		resp = &client.Response{}
		if i < 0 || json.Unmarshal([]byte(msg[i:]), resp) != nil {
			t.Fatal(err)
		}
	}
	var errs []gqlError
	if len(resp.Errors) == 0 || json.Unmarshal(resp.Errors, &errs) != nil || len(errs) == 0 {
		t.Fatalf("query succeeded, want an error: %s", resp.Data)
	}
	return errs
}

func TestBackers_TrustedPartnerDesignation(t *testing.T) {
	c, _ := MustSeededClient(t)
	var resp struct {
		Backers []struct {
			Actor struct {
				ID, Name string
				Typename string `json:"__typename"`
			}
			Proposed  bool
			Positions []struct {
				Stance, Quote, StatedAt string
				Source                  struct{ ID, Title, Kind string }
			}
		}
	}
	c.MustPost(`{ backers(of: "trusted-partner-designation") {
		actor { id name __typename } proposed
		positions { stance quote statedAt source { id title kind } } } }`, &resp)
	var ids []string
	for _, b := range resp.Backers {
		ids = append(ids, b.Actor.ID)
		if len(b.Positions) == 0 {
			t.Errorf("%s backs without evidence", b.Actor.ID)
		}
		for _, p := range b.Positions {
			if p.Stance != "SUPPORTS" || p.Quote == "" || p.Source.ID == "" || p.StatedAt == "" {
				t.Errorf("%s: incomplete evidence %+v", b.Actor.ID, p)
			}
		}
	}
	sort.Strings(ids)
	if diff := cmp.Diff(ids, []string{"amazon-web-services", "anthropic"}); diff != "" {
		t.Fatalf("backers (-got +want):\n%s", diff)
	}
	for _, b := range resp.Backers {
		if b.Actor.ID == "anthropic" && !b.Proposed {
			t.Error("anthropic pushed the trusted-partner designation: proposed should be true")
		}
		if b.Actor.ID == "amazon-web-services" && b.Proposed {
			t.Error("AWS agreed with it but did not propose it")
		}
	}
}

func TestBackers_Errors(t *testing.T) {
	c, _ := MustSeededClient(t)
	for name, tc := range map[string]struct{ query, code string }{
		"UnknownTarget": {`{ backers(of: "no-such-proposal") { proposed } }`, stancegraph.ENOTFOUND},
		"NotStanceable": {`{ backers(of: "openai") { proposed } }`, stancegraph.EINVALID},
		"BadID":         {`{ backers(of: "Not A Slug") { proposed } }`, stancegraph.EINVALID},
		"BadEnum":       {`{ backers(of: "openai", stance: MAYBE) { proposed } }`, "GRAPHQL_VALIDATION_FAILED"},
	} {
		t.Run(name, func(t *testing.T) {
			errs := errorsOf(t, c, tc.query)
			if errs[0].Extensions.Code != tc.code {
				t.Fatalf("code = %q, want %q (%s)", errs[0].Extensions.Code, tc.code, errs[0].Message)
			}
		})
	}
}

func TestMutations_RequireWriteToken(t *testing.T) {
	c, _ := MustSeededClient(t)
	const m = `mutation { upsertActor(input: {id: "acme", kind: COMPANY, name: "Acme"}) { change } }`
	if errs := errorsOf(t, c, m); errs[0].Extensions.Code != "UNAUTHENTICATED" {
		t.Errorf("no token: code = %q, want UNAUTHENTICATED", errs[0].Extensions.Code)
	}
	if errs := errorsOf(t, c, m, auth("wrong")); errs[0].Extensions.Code != "FORBIDDEN" {
		t.Errorf("wrong token: code = %q, want FORBIDDEN", errs[0].Extensions.Code)
	}
	var got struct{ Actor *struct{ ID string } }
	c.MustPost(`{ actor(id: "acme") { id } }`, &got)
	if got.Actor != nil {
		t.Fatal("a refused mutation wrote anyway")
	}
	var resp struct{ UpsertActor struct{ Change string } }
	c.MustPost(m, &resp, auth(token))
	if resp.UpsertActor.Change != "CREATED" {
		t.Errorf("change = %q, want CREATED", resp.UpsertActor.Change)
	}
	c.MustPost(m, &resp, auth(token))
	if resp.UpsertActor.Change != "UNCHANGED" {
		t.Errorf("second upsert: change = %q, want UNCHANGED", resp.UpsertActor.Change)
	}
}

func TestRecordPosition_IdempotentAndRetract(t *testing.T) {
	c, _ := MustSeededClient(t)
	const m = `mutation($q: String!) { recordPosition(input: {actor: "business-software-alliance", target: "trusted-partner-designation",
		stance: OPPOSES, quote: $q, source: "bsa-ai-exports-program-comment", statedAt: "2025-12-13"}) { change position { id } } }`
	var r1, r2, r3 struct {
		RecordPosition struct {
			Change   string
			Position struct{ ID string }
		}
	}
	c.MustPost(m, &r1, auth(token), client.Var("q", "test quote"))
	c.MustPost(m, &r2, auth(token), client.Var("q", "test quote"))
	c.MustPost(m, &r3, auth(token), client.Var("q", "another quote"))
	if got := []string{r1.RecordPosition.Change, r2.RecordPosition.Change, r3.RecordPosition.Change}; !cmp.Equal(got, []string{"CREATED", "UNCHANGED", "UPDATED"}) {
		t.Errorf("changes = %v", got)
	}
	id := r1.RecordPosition.Position.ID
	if id != r3.RecordPosition.Position.ID {
		t.Fatalf("same identity, two ids: %s %s", id, r3.RecordPosition.Position.ID)
	}
	var opp struct {
		Backers []struct{ Actor struct{ ID string } }
	}
	c.MustPost(`{ backers(of: "trusted-partner-designation", stance: OPPOSES) { actor { id } } }`, &opp)
	if len(opp.Backers) != 1 || opp.Backers[0].Actor.ID != "business-software-alliance" {
		t.Fatalf("opposers = %+v", opp.Backers)
	}
	var ret struct{ RetractPosition string }
	c.MustPost(`mutation($id: ID!) { retractPosition(id: $id) }`, &ret, auth(token), client.Var("id", id))
	if errs := errorsOf(t, c, `mutation($id: ID!) { retractPosition(id: $id) }`, auth(token), client.Var("id", id)); errs[0].Extensions.Code != stancegraph.ENOTFOUND {
		t.Errorf("second retract: code %q, want NOT_FOUND", errs[0].Extensions.Code)
	}
}

func TestRecordPosition_Invalid(t *testing.T) {
	c, _ := MustSeededClient(t)
	for name, tc := range map[string]struct{ input, code, field string }{
		"UnknownActor":  {`actor: "nobody", target: "trusted-partner-designation", stance: SUPPORTS, quote: "q", source: "bsa-ai-exports-program-comment", statedAt: "2025-12-13"`, stancegraph.ENOTFOUND, "actor"},
		"TargetIsActor": {`actor: "openai", target: "anthropic", stance: SUPPORTS, quote: "q", source: "bsa-ai-exports-program-comment", statedAt: "2025-12-13"`, stancegraph.EINVALID, "target"},
		"EmptyQuote":    {`actor: "openai", target: "trusted-partner-designation", stance: SUPPORTS, quote: "", source: "bsa-ai-exports-program-comment", statedAt: "2025-12-13"`, stancegraph.EINVALID, "quote"},
		"Strength3":     {`actor: "openai", target: "trusted-partner-designation", stance: SUPPORTS, strength: 3, quote: "q", source: "bsa-ai-exports-program-comment", statedAt: "2025-12-13"`, stancegraph.EINVALID, "strength"},
	} {
		t.Run(name, func(t *testing.T) {
			errs := errorsOf(t, c, `mutation { recordPosition(input: {`+tc.input+`}) { change } }`, auth(token))
			if errs[0].Extensions.Code != tc.code || errs[0].Extensions.Field != tc.field {
				t.Fatalf("got %q on %q, want %q on %q (%s)", errs[0].Extensions.Code, errs[0].Extensions.Field, tc.code, tc.field, errs[0].Message)
			}
		})
	}
	errs := errorsOf(t, c, `mutation { recordPosition(input: {actor: "openai", target: "trusted-partner-designation", stance: SUPPORTS, quote: "q", source: "bsa-ai-exports-program-comment", statedAt: "13 Dec 2025"}) { change } }`, auth(token))
	if !strings.Contains(errs[0].Message, "YYYY-MM-DD") {
		t.Errorf("bad date message = %q", errs[0].Message)
	}
}

func TestActors_RelayPagination(t *testing.T) {
	c, _ := MustSeededClient(t)
	type page struct {
		Actors struct {
			TotalCount int
			Edges      []struct {
				Cursor string
				Node   struct{ ID string }
			}
			PageInfo struct {
				HasNextPage bool
				EndCursor   *string
			}
		}
	}
	var all page
	c.MustPost(`{ actors(first: 500) { totalCount edges { node { id } } } }`, &all)
	if all.Actors.TotalCount < 10 || len(all.Actors.Edges) != all.Actors.TotalCount {
		t.Fatalf("actors: %d edges, total %d", len(all.Actors.Edges), all.Actors.TotalCount)
	}
	var seen []string
	var after *string
	for i := 0; ; i++ {
		var p page
		c.MustPost(`query($after: String) { actors(first: 3, after: $after) { totalCount edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }`, &p, client.Var("after", after))
		for _, e := range p.Actors.Edges {
			seen = append(seen, e.Node.ID)
		}
		if !p.Actors.PageInfo.HasNextPage {
			break
		}
		after = p.Actors.PageInfo.EndCursor
		if i > 100 {
			t.Fatal("pagination does not end")
		}
	}
	var want []string
	for _, e := range all.Actors.Edges {
		want = append(want, e.Node.ID)
	}
	if diff := cmp.Diff(seen, want); diff != "" {
		t.Fatalf("paged ids differ from one page (-paged +all):\n%s", diff)
	}
	var companies page
	c.MustPost(`{ actors(where: {kinds: [COMPANY]}, orderBy: ID_ASC) { totalCount edges { node { id } } } }`, &companies)
	var ids []string
	for _, e := range companies.Actors.Edges {
		ids = append(ids, e.Node.ID)
	}
	if diff := cmp.Diff(ids, []string{"amazon-web-services", "anthropic", "openai"}); diff != "" {
		t.Errorf("companies (-got +want):\n%s", diff)
	}
	for name, q := range map[string]string{
		"FirstTooLarge": `{ actors(first: 501) { totalCount } }`,
		"BadCursor":     `{ actors(after: "bm9wZQ==") { totalCount } }`,
		"NotActorKind":  `{ actors(where: {kinds: [SOURCE]}) { totalCount } }`,
	} {
		t.Run(name, func(t *testing.T) {
			if errs := errorsOf(t, c, q); errs[0].Extensions.Code != stancegraph.EINVALID {
				t.Errorf("code = %q, want INVALID", errs[0].Extensions.Code)
			}
		})
	}
}

func TestNestedQuery_BatchesStoreCalls(t *testing.T) {
	c, cs := MustSeededClient(t)
	cs.calls.Store(0)
	var resp struct {
		Actors struct {
			Edges []struct {
				Node struct {
					ID        string
					Positions struct {
						Edges []struct {
							Node struct {
								Target struct{ ID string }
								Source struct{ ID string }
							}
						}
					}
				}
			}
		}
	}
	c.MustPost(`{ actors(first: 500) { edges { node { id positions { edges { node {
		target { ... on PolicyProposal { id } ... on Program { id } } source { id } } } } } } } }`, &resp)
	n := 0
	for _, e := range resp.Actors.Edges {
		n += len(e.Node.Positions.Edges)
	}
	if n < 10 {
		t.Fatalf("only %d positions in the nested query", n)
	}
	// The whole operation is one read plan: one store call.
	if got := cs.calls.Load(); got != 1 {
		t.Errorf("%d store calls for %d positions; want 1 (one read plan)", got, n)
	}
}

// Several roots, fragments, aliases and nested connections are still one
// store call; an argument error deep down lands on its own field, and the
// rest answers.
func TestQuery_OnePlanPerRequest(t *testing.T) {
	c, cs := MustSeededClient(t)
	cs.calls.Store(0)
	var resp struct {
		A struct{ TotalCount int }
		P struct {
			ID   string
			Sup  struct{ Net int }
			Page struct {
				Edges []struct {
					Node struct{ Actor struct{ ID string } }
				}
			}
		}
		N []struct{ ID string }
	}
	c.MustPost(`fragment T on PolicyProposal { id sup: stanceSummary { net } page: positions(first: 2) { edges { node { actor { id } } } } }
		{ a: actors { totalCount } p: proposal(id: "trusted-partner-designation") { ...T } n: nodes(ids: ["openai", "nope"]) { id } }`, &resp)
	if got := cs.calls.Load(); got != 1 {
		t.Errorf("%d store calls, want 1", got)
	}
	if resp.A.TotalCount == 0 || resp.P.ID == "" || len(resp.P.Page.Edges) != 2 || len(resp.N) != 2 {
		t.Errorf("incomplete answer: %+v", resp)
	}

	var raw struct {
		Actors *struct {
			Edges []struct{ Node struct{ ID string } }
		}
	}
	err := c.Post(`{ actors(first: 2) { edges { node { id positions(first: 501) { totalCount } } } } }`, &raw)
	if err == nil || !strings.Contains(err.Error(), "first") {
		t.Fatalf("err = %v, want one naming first", err)
	}
}

func TestNode_EntityAndPosition(t *testing.T) {
	c, _ := MustSeededClient(t)
	var b struct {
		Backers []struct{ Positions []struct{ ID string } }
	}
	c.MustPost(`{ backers(of: "trusted-partner-designation") { positions { id } } }`, &b)
	id := b.Backers[0].Positions[0].ID
	var resp struct {
		Position struct {
			Typename string `json:"__typename"`
			ID       string
		}
		Agency struct {
			Typename string `json:"__typename"`
			Parent   struct{ ID string }
		}
		Missing *struct{ ID string }
	}
	c.MustPost(`query($id: ID!) { position: node(id: $id) { __typename id }
		agency: node(id: "ita-advocacy-center") { __typename ... on Agency { parent { id } } }
		missing: node(id: "nothing-here") { id } }`, &resp, client.Var("id", id))
	if resp.Position.Typename != "Position" || resp.Position.ID != id {
		t.Errorf("position node = %+v", resp.Position)
	}
	if resp.Agency.Typename != "Agency" || resp.Agency.Parent.ID != "international-trade-administration" {
		t.Errorf("agency node = %+v", resp.Agency)
	}
	if resp.Missing != nil {
		t.Errorf("unknown id resolved to %+v", resp.Missing)
	}
}

func TestSearch(t *testing.T) {
	c, _ := MustSeededClient(t)
	var resp struct {
		Search []struct {
			Score float64
			Node  struct{ ID string }
		}
	}
	c.MustPost(`{ search(query: "AWS") { score node { id } } }`, &resp)
	if len(resp.Search) == 0 || resp.Search[0].Node.ID != "amazon-web-services" {
		t.Fatalf("search AWS = %+v", resp.Search)
	}
	c.MustPost(`{ search(query: "trusted partner", kinds: [POLICY_PROPOSAL]) { score node { id } } }`, &resp)
	if len(resp.Search) == 0 || resp.Search[0].Node.ID != "trusted-partner-designation" {
		t.Fatalf("search trusted partner = %+v", resp.Search)
	}
	var quotes struct {
		Search []struct {
			Node struct {
				Typename string `json:"__typename"`
				ID       string
				Quote    string
			}
		}
	}
	c.MustPost(`{ search(query: "trusted partner") { node { __typename id ... on Position { quote } } } }`, &quotes)
	positions := 0
	for _, h := range quotes.Search {
		if h.Node.Typename == "Position" {
			positions++
			if !strings.HasPrefix(h.Node.ID, "pos-") || !strings.Contains(strings.ToLower(h.Node.Quote), "partner") {
				t.Errorf("position hit = %+v", h.Node)
			}
		}
	}
	if positions == 0 {
		t.Errorf("search trusted partner finds no quotes: %+v", quotes.Search)
	}
	c.MustPost(`{ search(query: "trusted partner", positions: false) { node { __typename id } } }`, &quotes)
	for _, h := range quotes.Search {
		if h.Node.Typename == "Position" {
			t.Errorf("positions: false still finds %+v", h.Node)
		}
	}
}

// Kind tests narrow the lists an actor listing reads; contradictory ones
// leave nothing.
func TestActors_KindsNarrow(t *testing.T) {
	c, _ := MustSeededClient(t)
	var resp struct {
		Companies, None struct{ TotalCount int }
	}
	c.MustPost(`{ companies: actors(where: { kind: { in: [COMPANY, PERSON] }, NOT: { kind: { eq: PERSON } } }) { totalCount }
		none: actors(where: { AND: [{ kind: { eq: COMPANY } }, { kind: { eq: AGENCY } }] }) { totalCount } }`, &resp)
	if resp.Companies.TotalCount != 3 || resp.None.TotalCount != 0 {
		t.Errorf("companies %d, none %d; want 3 and 0", resp.Companies.TotalCount, resp.None.TotalCount)
	}
}

func TestQuery_IDNotASlug(t *testing.T) {
	c, _ := MustSeededClient(t)
	for _, q := range []string{
		`{ actor(id: "OpenAI") { id } }`,
		`{ node(id: "OpenAI") { id } }`,
		`{ proposal(id: "OpenAI") { id } }`,
	} {
		errs := errorsOf(t, c, q)
		if errs[0].Extensions.Code != stancegraph.EINVALID || !strings.Contains(errs[0].Message, `ids are lower-case slugs: did you mean "openai"?`) {
			t.Errorf("%s: %+v, want INVALID suggesting \"openai\"", q, errs[0])
		}
	}
	var resp struct{ Actor struct{ ID string } }
	c.MustPost(`{ actor(id: "openai") { id } }`, &resp)
	if resp.Actor.ID != "openai" {
		t.Errorf("actor(id: \"openai\") = %+v", resp.Actor)
	}
}

// backers is one store call, whatever it asks of the backers' actors, their
// evidence and their via relations, alongside other roots.
func TestBackers_OneStoreCall(t *testing.T) {
	c, cs := MustSeededClient(t)
	cs.calls.Store(0)
	var resp struct {
		B []struct {
			Actor struct {
				ID       string
				MemberOf []struct{ ID string }
			}
			Positions []struct {
				ID     string
				Actor  struct{ ID string }
				Source struct{ Title string }
			}
			Via []struct {
				From, To struct{ ID string }
			}
		}
		X []struct {
			Actor struct{ ID string }
			Via   []struct {
				From, To struct{ ID string }
			}
		}
		P struct{ ID string }
	}
	c.MustPost(`{ b: backers(of: "trusted-partner-designation", include: { proposers: true, members: true }) {
		actor { id ... on Company { memberOf { id } } }
		positions { id actor { id } source { title } }
		via { from { id } to { id } source { id } } }
		x: backers(of: "us-anchored-ai-consortia", include: { proposers: true }, asOf: "2025-06") { actor { id } via { from { id } to { id } } }
		p: proposal(id: "trusted-partner-designation") { id } }`, &resp)
	if got := cs.calls.Load(); got != 1 {
		t.Errorf("%d store calls, want 1", got)
	}
	n := 0
	for _, b := range resp.B {
		if b.Actor.ID == "" {
			t.Errorf("a backer without its actor: %+v", b)
		}
		for _, p := range b.Positions {
			n++
			if p.Actor.ID == "" || p.Source.Title == "" {
				t.Errorf("position %s without its ends: %+v", p.ID, p)
			}
		}
	}
	// The proposer without a position of its own backs through its
	// PROPOSED relation, whose ends the plan read too.
	if len(resp.X) != 1 || resp.X[0].Actor.ID != "openai" || len(resp.X[0].Via) != 1 ||
		resp.X[0].Via[0].From.ID != "openai" || resp.X[0].Via[0].To.ID != "us-anchored-ai-consortia" {
		t.Errorf("proposer backers = %+v, want openai via PROPOSED", resp.X)
	}
	if len(resp.B) < 2 || n < 2 || resp.P.ID == "" {
		t.Fatalf("incomplete answer: %d backers, %d positions, proposal %q", len(resp.B), n, resp.P.ID)
	}
}

// A target with more positions of the stance than a backers read returns
// is INVALID, naming of, rather than a silent cut.
func TestBackers_TooManyPositions(t *testing.T) {
	s := memstore.OpenMemory()
	defer s.Close()
	g := &stancegraph.Graph{Entities: []*stancegraph.Entity{
		{ID: "acme", Kind: stancegraph.KindCompany, Name: "Acme"},
		{ID: "big-proposal", Kind: stancegraph.KindPolicyProposal, Name: "Big"},
	}}
	for i := 0; i <= stancegraph.MaxBackersPositions; i++ {
		id := "src-" + strconv.Itoa(i)
		g.Entities = append(g.Entities, &stancegraph.Entity{ID: id, Kind: stancegraph.KindSource, SourceKind: stancegraph.NewsArticle, Name: id})
		g.Positions = append(g.Positions, &stancegraph.Position{ActorID: "acme", TargetID: "big-proposal", Stance: stancegraph.Supports,
			SourceID: id, StatedAt: "2025-01-01", Quote: "yes"})
	}
	if _, err := s.Import(t.Context(), g); err != nil {
		t.Fatal(err)
	}
	c := client.New(server.NewGraphQL(s, server.Options{}))
	errs := errorsOf(t, c, `{ backers(of: "big-proposal") { actor { id } } }`)
	if errs[0].Extensions.Code != stancegraph.EINVALID || errs[0].Extensions.Field != "of" {
		t.Errorf("error = %+v, want INVALID on of", errs[0])
	}
	// A window with fewer of them answers.
	var resp struct {
		Backers []struct{ Positions []struct{ ID string } }
	}
	c.MustPost(`{ backers(of: "big-proposal", from: "2026") { positions { id } } }`, &resp)
	if len(resp.Backers) != 0 {
		t.Errorf("backers from 2026 = %+v, want none", resp.Backers)
	}
}
