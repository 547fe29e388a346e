package neo4jstore

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/gen"
	"github.com/stancegraph/stancegraph/internal/neo4jtest"
)

// A page projects entityFields, not every property: an entity with every
// field set reads back the same from that projection as from the node,
// so a field added to entityProps and entityOf but not to the projection
// fails here.
func TestEntityFields_ProjectWhatEntityOfReads(t *testing.T) {
	e := &stancegraph.Entity{
		ID: "src", Kind: stancegraph.KindSource, Name: "A source", Aliases: []string{"S"}, Description: "d", URL: "https://example.org",
		Country: "US", Summary: "s", Topics: []string{"t"}, SourceKind: stancegraph.SourceKind("NEWS_ARTICLE"), Publisher: "p",
		PublishedAt: "2025-12", PublishedAtQualifier: stancegraph.Circa, Author: "a",
		ExternalIDs: []stancegraph.ExternalID{{Scheme: "wikidata", Value: "Q1"}},
	}
	// As Neo4j returns them: lists as []any.
	props := entityProps(e)
	for k, v := range props {
		if xs, ok := v.([]string); ok {
			l := make([]any, len(xs))
			for i, x := range xs {
				l[i] = x
			}
			props[k] = l
		}
	}
	projected := map[string]any{}
	for _, f := range strings.Split(entityFields, ",") {
		k := strings.TrimPrefix(strings.TrimSpace(f), ".")
		if v, ok := props[k]; ok {
			projected[k] = v
		}
	}
	full, err := entityOf(props)
	if err != nil {
		t.Fatal(err)
	}
	got, err := entityOf(projected)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(full, got); diff != "" {
		t.Errorf("entityOf of the projection (-node +projection):\n%s", diff)
	}
	if diff := cmp.Diff(e, got); diff != "" {
		t.Errorf("the entity does not round-trip (-want +got):\n%s", diff)
	}
	for _, internal := range []string{"nameKey", "searchText", "searchNames", "publishedStart"} {
		if _, ok := projected[internal]; ok {
			t.Errorf("the projection carries %s", internal)
		}
	}
}

// Every property of the full projection belongs to one of the Props, so
// that a query naming its fields can ask for each of them.
func TestEntityFields_EveryPropertyHasItsProp(t *testing.T) {
	fields := func(proj string) map[string]bool {
		m := map[string]bool{}
		for _, f := range strings.Split(proj, ",") {
			m[strings.TrimSpace(f)] = true
		}
		return m
	}
	covered := fields(entityFieldsOf(stancegraph.PropsChosen))
	if len(covered) != 2 {
		t.Errorf("a query asking for no field reads %v, want only id and kind", covered)
	}
	for _, pf := range propFields {
		for f := range fields(entityFieldsOf(stancegraph.PropsChosen | pf.prop)) {
			covered[f] = true
		}
	}
	for f := range fields(entityFields) {
		if !covered[f] {
			t.Errorf("%s is read only when every field is", f)
		}
	}
}

// A plan that names its fields reads only those: the statement of a page
// of ids carries no descriptions and no quotes.
func TestPlan_ReadsOnlyTheFieldsAsked(t *testing.T) {
	order, page := firstPage(t)
	compile := func(entity, position stancegraph.Props) string {
		c := &compiler{params: map[string]any{}}
		return c.root(&stancegraph.RootQuery{IDs: []string{"openai"}, Select: &stancegraph.EntitySelect{Props: entity,
			Positions: []*stancegraph.PositionsAsk{{Key: "p", Side: stancegraph.RoleActor, List: stancegraph.PositionList{Order: order, Page: page},
				Select: &stancegraph.PositionSelect{Props: position, Target: &stancegraph.EntitySelect{Props: entity}}}}}})
	}
	lean := compile(stancegraph.PropsChosen, stancegraph.PropsChosen)
	for _, unasked := range []string{".description", ".externalIds", ".quote", ".condition", ".strength", ".statedAt", ".sourceId"} {
		if strings.Contains(lean, unasked) {
			t.Errorf("a plan asking for ids reads %s:\n%s", unasked, lean)
		}
	}
	full := compile(0, 0)
	asked := compile(stancegraph.PropsChosen|stancegraph.PropDescription, stancegraph.PropsChosen|stancegraph.PropQuote|stancegraph.PropStrength|stancegraph.PropStated|stancegraph.PropSourceID)
	for _, want := range []string{".description", ".quote", ".strength", ".statedAt", ".statedAtQualifier", ".sourceId"} {
		if !strings.Contains(full, want) || !strings.Contains(asked, want) {
			t.Errorf("a plan asking for %s does not read it", want)
		}
	}
}

// An unfiltered total of a node's positions is the node's degree, which
// Neo4j answers without reading the relationships; a filtered one counts
// the matching rows.
func TestPlan_UnfilteredTotalIsADegree(t *testing.T) {
	order, page := firstPage(t)
	compile := func(side stancegraph.Role, where stancegraph.Cond) string {
		c := &compiler{params: map[string]any{}}
		return c.root(&stancegraph.RootQuery{IDs: []string{"openai"}, Select: &stancegraph.EntitySelect{
			Positions: []*stancegraph.PositionsAsk{{Key: "p", Side: side, List: stancegraph.PositionList{Where: where, Order: order, Page: page, Count: true}}}}})
	}
	for side, want := range map[stancegraph.Role]string{
		stancegraph.RoleActor:  "total: COUNT { (n1)-[:SUPPORTS|OPPOSES]->() }",
		stancegraph.RoleTarget: "total: COUNT { ()-[:SUPPORTS|OPPOSES]->(n1) }",
	} {
		if got := compile(side, stancegraph.Cond{}); !strings.Contains(got, want) {
			t.Errorf("the unfiltered total as %s is not the degree %q:\n%s", side, want, got)
		}
		filtered := compile(side, stancegraph.Cond{Field: stancegraph.FieldStrength, Op: stancegraph.OpEq, Ints: []int{2}})
		if strings.Contains(filtered, want) {
			t.Errorf("a filtered total as %s is the degree:\n%s", side, filtered)
		}
	}
}

// A page after a cursor seeks to it: the rows' test is a range on the
// first key of the order (which an index in that order can seek) and a
// test of the rest the planner cannot split into a union of seeks, each of
// which would read every row past the cursor.
func TestPlan_PageAfterACursorSeeks(t *testing.T) {
	cur := stancegraph.EntityCursor(stancegraph.OrderNameAsc, &stancegraph.Entity{ID: "openai", Name: "OpenAI"}).Encode()
	pg, err := stancegraph.CheckPage(stancegraph.PageArgs{First: ptr(3), After: &cur}, string(stancegraph.OrderNameAsc), stancegraph.EntityCursorKeys(stancegraph.OrderNameAsc))
	if err != nil {
		t.Fatal(err)
	}
	c := &compiler{params: map[string]any{}}
	got := c.root(&stancegraph.RootQuery{Entities: &stancegraph.EntityList{Kinds: stancegraph.ActorKinds, Order: stancegraph.OrderNameAsc, Page: pg}})
	rows, _, _ := strings.Cut(got, ", before: ")
	for _, want := range []string{"USING INDEX n1:Entity(nameKey)", "(n1.nameKey >= $p1 AND NOT (n1.nameKey = $p1 AND NOT ((n1.id > $p2))))"} {
		if !strings.Contains(rows, want) {
			t.Errorf("the rows of a page after a cursor lack %q:\n%s", want, rows)
		}
	}
	if strings.Contains(rows, " OR ") {
		t.Errorf("the rows of a page after a cursor are tested with a disjunction:\n%s", rows)
	}
	if c.params["p1"] != nameKey("OpenAI") || c.params["p2"] != "openai" {
		t.Errorf("the cursor's keys are %v and %v", c.params["p1"], c.params["p2"])
	}
}

func ptr[T any](v T) *T { return &v }

// firstPage is the default order of positions and its first page.
func firstPage(t *testing.T) ([]stancegraph.SortKey, stancegraph.Page) {
	t.Helper()
	order, err := stancegraph.PositionOrder(nil, "orderBy")
	if err != nil {
		t.Fatal(err)
	}
	page, err := stancegraph.CheckPage(stancegraph.PageArgs{}, stancegraph.OrderName(order), len(order))
	if err != nil {
		t.Fatal(err)
	}
	return order, page
}

// Just after a large import the planner's statistics may still count the
// order indexes empty. Told only to use an index, it then read an actor's
// page by scanning the whole of one index and filtering it (every OPPOSES
// position, for each actor on the page): the page's cost followed the
// graph. The SEEK hint keeps the page a seek whatever the statistics say.
func TestPlan_FreshIndexesAreSought(t *testing.T) {
	neo4jtest.Require(t)
	neo4jtest.Lock(t)
	neo4jtest.Wipe(t)
	ctx := t.Context()
	s, err := open(ctx, Config{URI: neo4jtest.URI(), Username: os.Getenv("STANCEGRAPH_NEO4J_USER"),
		Password: os.Getenv("STANCEGRAPH_NEO4J_PASSWORD")}, defaultImportBatch)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// Indexes made on an empty database, then one import: the state a
	// fresh deployment is in after its first load.
	g := gen.Generate(gen.Config{Actors: 100, Proposals: 50, Positions: 6000, Seed: 7})
	if _, err := s.Import(ctx, g); err != nil {
		t.Fatal(err)
	}
	both := map[string]map[stancegraph.Stance]bool{}
	opposes := 0
	for _, p := range g.Positions {
		if both[p.ActorID] == nil {
			both[p.ActorID] = map[stancegraph.Stance]bool{}
		}
		both[p.ActorID][p.Stance] = true
		if p.Stance == stancegraph.Opposes {
			opposes++
		}
	}
	actor := ""
	for id, st := range both {
		if len(st) == 2 && (actor == "" || id < actor) {
			actor = id
		}
	}
	order, page := firstPage(t)
	c := &compiler{params: map[string]any{}}
	cypher := "RETURN " + c.root(&stancegraph.RootQuery{IDs: []string{actor}, Select: &stancegraph.EntitySelect{
		Positions: []*stancegraph.PositionsAsk{{Key: "p", Side: stancegraph.RoleActor, List: stancegraph.PositionList{Order: order, Page: page}}}}}) + " AS r0"
	sess := s.driver.NewSession(ctx, neo4j.SessionConfig{AccessMode: neo4j.AccessModeRead})
	defer sess.Close(ctx)
	res, err := sess.Run(ctx, "PROFILE "+cypher, c.params)
	if err != nil {
		t.Fatal(err)
	}
	sum, err := res.Consume(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var hits func(p neo4j.ProfiledPlan) int64
	var ops []string
	hits = func(p neo4j.ProfiledPlan) int64 {
		n := p.DbHits()
		ops = append(ops, fmt.Sprintf("%s (%d hits)", p.Operator(), p.DbHits()))
		for _, c := range p.Children() {
			n += hits(c)
		}
		return n
	}
	// A page of at most page.Limit+1 rows from each of two seeks, with
	// their properties and ends; a scan reads every OPPOSES position.
	got, most := hits(sum.Profile()), int64(40*(page.Limit+1))
	plan := strings.Join(ops, ", ")
	if got > most || got > int64(opposes)/2 || strings.Contains(plan, "IndexScan") {
		t.Errorf("an actor's first page after a fresh import took %d db hits (at most %d; %d OPPOSES positions): %s",
			got, most, opposes, plan)
	}
}
