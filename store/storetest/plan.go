package storetest

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stancegraph/stancegraph"
)

// Plans: every shape a GraphQL operation compiles to, on the fixture. The
// expected answers are written out by hand from the fixture's table, so
// both backends must give exactly these.

func ptr[T any](v T) *T { return &v }

// positionsPlan builds a root positions listing through the same checks
// the GraphQL layer uses.
func positionsPlan(t *testing.T, where *stancegraph.PositionWhere, order []*stancegraph.PositionSort, args stancegraph.PageArgs, sel *stancegraph.PositionSelect) *stancegraph.PositionList {
	t.Helper()
	c, err := where.Cond("where")
	mustOK(t, err)
	keys, err := stancegraph.PositionOrder(order, "orderBy")
	mustOK(t, err)
	pg, err := stancegraph.CheckPage(args, stancegraph.OrderName(keys), len(keys))
	mustOK(t, err)
	return &stancegraph.PositionList{Where: c, Order: keys, Page: pg, Count: true}
}

func readOne(t *testing.T, s stancegraph.Store, q *stancegraph.RootQuery) *stancegraph.RootResult {
	t.Helper()
	res, err := s.Read(t.Context(), &stancegraph.Plan{Roots: []*stancegraph.RootQuery{q}})
	mustOK(t, err)
	if len(res.Roots) != 1 {
		t.Fatalf("%d roots answered, want 1", len(res.Roots))
	}
	return res.Roots[0]
}

func pageIDs(p *stancegraph.PositionPage) []string {
	ids := make([]string, len(p.Rows))
	for i, r := range p.Rows {
		ids[i] = r.Position.ID
	}
	return ids
}

func pid(actor, target string, stance stancegraph.Stance, source string) string {
	return stancegraph.PositionID(actor, target, stance, source)
}

func testPlan(t *testing.T, h *harness) {
	s := h.fixture(t)
	S, O := stancegraph.Supports, stancegraph.Opposes
	tpd := "trusted-partner-designation"

	t.Run("WhereThroughRelations", func(t *testing.T) {
		w := &stancegraph.PositionWhere{
			Actor:    &stancegraph.ActorWhere{Kind: &stancegraph.KindFilter{In: []stancegraph.Kind{stancegraph.KindCompany}}, Country: &stancegraph.StringFilter{Eq: ptr("US")}},
			Target:   &stancegraph.TargetWhere{Topics: &stancegraph.ListFilter{Includes: ptr("export-controls")}},
			Source:   &stancegraph.SourceWhere{Kind: &stancegraph.SourceKindFilter{Eq: ptr(stancegraph.PublicComment)}},
			StatedAt: &stancegraph.DateFilter{Gte: ptr(stancegraph.Date("2025-11-01"))},
		}
		got := readOne(t, s, &stancegraph.RootQuery{Positions: positionsPlan(t, w, nil, stancegraph.PageArgs{}, nil)}).Positions
		want := []string{pid("openai", tpd, S, "openai-comment"), pid("amazon-web-services", tpd, S, "aws-comment")}
		if diff := cmp.Diff(pageIDs(got), want); diff != "" {
			t.Errorf("ids (-got +want):\n%s", diff)
		}
		if got.Total != 2 || got.HasNextPage || got.HasPreviousPage {
			t.Errorf("total %d next %v prev %v, want 2 false false", got.Total, got.HasNextPage, got.HasPreviousPage)
		}
	})

	t.Run("AndOrNot", func(t *testing.T) {
		w := &stancegraph.PositionWhere{
			OR:  []*stancegraph.PositionWhere{{Stance: &stancegraph.StanceFilter{Eq: ptr(O)}}, {Strength: &stancegraph.IntFilter{Gte: ptr(2)}}},
			NOT: &stancegraph.PositionWhere{Actor: &stancegraph.ActorWhere{ID: &stancegraph.StringFilter{In: []string{"mistral-ai"}}}},
			AND: []*stancegraph.PositionWhere{{Quote: &stancegraph.StringFilter{Contains: ptr(" ")}}},
		}
		got := readOne(t, s, &stancegraph.RootQuery{Positions: positionsPlan(t, w, nil, stancegraph.PageArgs{}, nil)}).Positions
		want := []string{
			pid("openai", tpd, S, "openai-comment"),                                  // 2025-11-20, strength 2
			pid("amazon-web-services", "us-anchored-ai-consortia", O, "aws-comment"), // 2025-11-28
			pid("anthropic", "full-stack-export-packages", O, "news-article"),        // 2025-12-05
		}
		if diff := cmp.Diff(pageIDs(got), want); diff != "" {
			t.Errorf("ids (-got +want):\n%s", diff)
		}
	})

	t.Run("MissingFieldNot", func(t *testing.T) {
		// Programs have no topics: a test on them is false, its NOT true.
		tw := &stancegraph.TargetWhere{NOT: &stancegraph.TargetWhere{Topics: &stancegraph.ListFilter{Includes: ptr("consortia")}}}
		tc, err := tw.Cond("where")
		mustOK(t, err)
		tpg, err := stancegraph.CheckPage(stancegraph.PageArgs{}, string(stancegraph.OrderIDAsc), 1)
		mustOK(t, err)
		targets := readOne(t, s, &stancegraph.RootQuery{Entities: &stancegraph.EntityList{Kinds: stancegraph.StanceableKinds, Where: tc, Order: stancegraph.OrderIDAsc, Page: tpg}}).Entities
		var tids []string
		for _, r := range targets.Rows {
			tids = append(tids, r.Entity.ID)
		}
		if diff := cmp.Diff(tids, []string{"american-ai-exports-program", "full-stack-export-packages", tpd}); diff != "" {
			t.Errorf("targets (-got +want):\n%s", diff)
		}
		w := &stancegraph.SourceWhere{NOT: &stancegraph.SourceWhere{PublishedAt: &stancegraph.DateFilter{Lt: ptr(stancegraph.Date("2025-11-21"))}}}
		c, err := w.Cond("where")
		mustOK(t, err)
		pg, err := stancegraph.CheckPage(stancegraph.PageArgs{}, string(stancegraph.OrderIDAsc), 1)
		mustOK(t, err)
		got := readOne(t, s, &stancegraph.RootQuery{Entities: &stancegraph.EntityList{Kinds: []stancegraph.Kind{stancegraph.KindSource}, Where: c, Order: stancegraph.OrderIDAsc, Page: pg, Count: true}}).Entities
		var ids []string
		for _, r := range got.Rows {
			ids = append(ids, r.Entity.ID)
		}
		if diff := cmp.Diff(ids, []string{"aws-comment", "bsa-comment", "news-article"}); diff != "" {
			t.Errorf("ids (-got +want):\n%s", diff)
		}
		if got.Total != 3 {
			t.Errorf("total %d, want 3", got.Total)
		}
	})

	// Walking a custom order forward and back with keyset cursors gives
	// the whole order, each page with the right flags.
	t.Run("KeysetWalk", func(t *testing.T) {
		order := []*stancegraph.PositionSort{{Strength: ptr(stancegraph.Desc)}, {StatedAt: ptr(stancegraph.Asc)}}
		keys, err := stancegraph.PositionOrder(order, "orderBy")
		mustOK(t, err)
		all := fixturePositions()
		slices.SortFunc(all, func(a, b *stancegraph.Position) int { return stancegraph.ComparePositions(keys, a, b) })
		var want []string
		for _, p := range all {
			want = append(want, p.ID)
		}
		var got []string
		var after *string
		for i := 0; ; i++ {
			page := readOne(t, s, &stancegraph.RootQuery{Positions: positionsPlan(t, nil, order, stancegraph.PageArgs{First: ptr(2), After: after}, nil)}).Positions
			got = append(got, pageIDs(page)...)
			if page.HasPreviousPage != (i > 0) {
				t.Errorf("page %d: hasPreviousPage %v", i, page.HasPreviousPage)
			}
			if !page.HasNextPage {
				break
			}
			after = ptr(stancegraph.PositionCursor(keys, page.Rows[len(page.Rows)-1].Position).Encode())
		}
		if diff := cmp.Diff(got, want); diff != "" {
			t.Errorf("forward walk (-got +want):\n%s", diff)
		}
		got = nil
		var before *string
		for i := 0; ; i++ {
			page := readOne(t, s, &stancegraph.RootQuery{Positions: positionsPlan(t, nil, order, stancegraph.PageArgs{Last: ptr(4), Before: before}, nil)}).Positions
			got = append(pageIDs(page), got...)
			if page.HasNextPage != (i > 0) {
				t.Errorf("backward page %d: hasNextPage %v", i, page.HasNextPage)
			}
			if !page.HasPreviousPage {
				break
			}
			before = ptr(stancegraph.PositionCursor(keys, page.Rows[0].Position).Encode())
		}
		if diff := cmp.Diff(got, want); diff != "" {
			t.Errorf("backward walk (-got +want):\n%s", diff)
		}
	})

	t.Run("Aggregate", func(t *testing.T) {
		list := positionsPlan(t, &stancegraph.PositionWhere{Target: &stancegraph.TargetWhere{Kind: &stancegraph.KindFilter{Eq: ptr(stancegraph.KindPolicyProposal)}}}, nil, stancegraph.PageArgs{First: ptr(0)}, nil)
		list.Aggregate = &stancegraph.AggregateAsk{ByStance: true}
		got := readOne(t, s, &stancegraph.RootQuery{Positions: list}).Positions
		want := &stancegraph.PositionAggregate{
			Count: 7, Actors: 5, Targets: 3, Sources: 4,
			ByStance: []stancegraph.StanceCount{{Stance: S, Count: 4, Actors: 3}, {Stance: O, Count: 3, Actors: 3}},
			StatedAt: &stancegraph.DateRange{Min: "2025-11-20", Max: "2025-12-05"},
		}
		if diff := cmp.Diff(got.Aggregate, want); diff != "" {
			t.Errorf("aggregate (-got +want):\n%s", diff)
		}
		if len(got.Rows) != 0 || !got.HasNextPage || got.Total != 7 {
			t.Errorf("rows %d next %v total %d, want 0 true 7", len(got.Rows), got.HasNextPage, got.Total)
		}
	})

	t.Run("StanceSummary", func(t *testing.T) {
		q := &stancegraph.RootQuery{IDs: []string{tpd, "american-ai-exports-program"}, Select: &stancegraph.EntitySelect{Summaries: []*stancegraph.SummaryAsk{
			{Key: "all"}, {Key: "december", Window: stancegraph.DateWindow{From: "2025-12-01"}}, {Key: "before", Window: stancegraph.DateWindow{To: "2025-11-27"}},
		}}}
		nodes := readOne(t, s, q).Nodes
		got := map[string]map[string]stancegraph.StanceSummary{}
		for _, n := range nodes {
			er := n.(*stancegraph.EntityResult)
			got[er.Entity.ID] = er.Summaries
		}
		want := map[string]map[string]stancegraph.StanceSummary{
			tpd:                           {"all": {Supporters: 2, Opposers: 1, Positions: 4}, "december": {Supporters: 1, Opposers: 1, Positions: 2}, "before": {Supporters: 1, Positions: 1}},
			"american-ai-exports-program": {"all": {Supporters: 2, Positions: 2}, "december": {Supporters: 1, Positions: 1}, "before": {Supporters: 1, Positions: 1}},
		}
		if diff := cmp.Diff(got, want); diff != "" {
			t.Errorf("summaries (-got +want):\n%s", diff)
		}
	})

	// Three levels: companies by name, each with its first position, that
	// position's target with its proposers, and the source.
	t.Run("Nested", func(t *testing.T) {
		c, err := (&stancegraph.ActorWhere{Kinds: []stancegraph.Kind{stancegraph.KindCompany}}).Cond("where")
		mustOK(t, err)
		pg, err := stancegraph.CheckPage(stancegraph.PageArgs{First: ptr(3)}, string(stancegraph.OrderNameAsc), 2)
		mustOK(t, err)
		inner := positionsPlan(t, nil, []*stancegraph.PositionSort{{StatedAt: ptr(stancegraph.Desc)}}, stancegraph.PageArgs{First: ptr(1)}, nil)
		proposers := &stancegraph.RelatedAsk{Key: "proposedBy", Type: stancegraph.Proposed, Kinds: stancegraph.ActorKinds}
		q := &stancegraph.RootQuery{
			Entities: &stancegraph.EntityList{Kinds: stancegraph.ActorKinds, Where: c, Order: stancegraph.OrderNameAsc, Page: pg, Count: true},
			Select: &stancegraph.EntitySelect{Positions: []*stancegraph.PositionsAsk{{Key: "latest", Side: stancegraph.RoleActor, List: *inner,
				Select: &stancegraph.PositionSelect{Target: &stancegraph.EntitySelect{Related: []*stancegraph.RelatedAsk{proposers}}, Source: &stancegraph.EntitySelect{}}}}},
		}
		got := readOne(t, s, q).Entities
		type row struct{ Actor, Position, Target, Source, Proposers string }
		var rows []row
		for _, er := range got.Rows {
			p := er.Positions["latest"]
			r := row{Actor: er.Entity.ID}
			if len(p.Rows) == 1 {
				pr := p.Rows[0]
				r.Position, r.Target, r.Source = pr.Position.ID, pr.Target.Entity.ID, pr.Source.Entity.ID
				for _, x := range pr.Target.Related["proposedBy"] {
					r.Proposers += x.Entity.ID + " "
				}
			}
			rows = append(rows, r)
		}
		want := []row{
			{"amazon-web-services", pid("amazon-web-services", tpd, S, "aws-comment"), tpd, "aws-comment", "openai "},
			{"anthropic", pid("anthropic", "full-stack-export-packages", O, "news-article"), "full-stack-export-packages", "news-article", ""},
			{"mistral-ai", pid("mistral-ai", tpd, O, "news-article"), tpd, "news-article", "openai "},
		}
		// amazon-web-services: both positions on 2025-11-28; DESC breaks the tie by id, descending.
		awsA, awsB := pid("amazon-web-services", tpd, S, "aws-comment"), pid("amazon-web-services", "us-anchored-ai-consortia", O, "aws-comment")
		if awsB > awsA {
			want[0] = row{"amazon-web-services", awsB, "us-anchored-ai-consortia", "aws-comment", "business-software-alliance "}
		}
		if diff := cmp.Diff(rows, want); diff != "" {
			t.Errorf("rows (-got +want):\n%s", diff)
		}
		if got.Total != 4 || !got.HasNextPage || got.HasPreviousPage {
			t.Errorf("total %d next %v prev %v, want 4 true false", got.Total, got.HasNextPage, got.HasPreviousPage)
		}
	})

	t.Run("RelatedEdges", func(t *testing.T) {
		q := &stancegraph.RootQuery{IDs: []string{"benjamin-schwartz", "business-software-alliance"}, Select: &stancegraph.EntitySelect{Related: []*stancegraph.RelatedAsk{
			{Key: "aff", Type: stancegraph.AffiliatedWith, Out: true, Kinds: stancegraph.OrganisationKinds, Select: &stancegraph.EntitySelect{}, Edges: true},
			{Key: "staff", Type: stancegraph.AffiliatedWith, Out: false, Kinds: stancegraph.ActorKinds, Edges: true},
		}}}
		nodes := readOne(t, s, q).Nodes
		person, bsa := nodes[0].(*stancegraph.EntityResult), nodes[1].(*stancegraph.EntityResult)
		want := []*stancegraph.Relation{{Type: stancegraph.AffiliatedWith, From: "benjamin-schwartz", To: "business-software-alliance", Role: "staff", Title: "Director of Policy"}}
		if len(person.Related["aff"]) != 1 || person.Related["aff"][0].Entity.ID != "business-software-alliance" {
			t.Errorf("affiliations %+v", person.Related["aff"])
		}
		if diff := cmp.Diff(person.Relations["aff"], want); diff != "" {
			t.Errorf("relations out (-got +want):\n%s", diff)
		}
		if diff := cmp.Diff(bsa.Relations["staff"], want); diff != "" {
			t.Errorf("relations in (-got +want):\n%s", diff)
		}
		if len(person.Relations["staff"]) != 0 || len(bsa.Relations["aff"]) != 0 {
			t.Errorf("relations where there are none: %v %v", person.Relations["staff"], bsa.Relations["aff"])
		}
	})

	t.Run("ByID", func(t *testing.T) {
		id := pid("openai", tpd, S, "openai-comment")
		nodes := readOne(t, s, &stancegraph.RootQuery{IDs: []string{"openai", id, "nope", "openai"}, PosSelect: &stancegraph.PositionSelect{Actor: &stancegraph.EntitySelect{}}}).Nodes
		if len(nodes) != 4 || nodes[2] != nil {
			t.Fatalf("nodes = %v", nodes)
		}
		if e := nodes[0].(*stancegraph.EntityResult); e.Entity.ID != "openai" || nodes[3].(*stancegraph.EntityResult) == e {
			t.Errorf("entity nodes %v %v", nodes[0], nodes[3])
		}
		if p := nodes[1].(*stancegraph.PositionResult); p.Position.ID != id || p.Actor.Entity.ID != "openai" {
			t.Errorf("position node %+v", p)
		}
	})

	t.Run("EntityListing", func(t *testing.T) {
		var ids []string
		var after *string
		for {
			c, err := (&stancegraph.ActorWhere{OR: []*stancegraph.ActorWhere{{NameContains: ptr("a")}, {Country: &stancegraph.StringFilter{Eq: ptr("FR")}}}}).Cond("where")
			mustOK(t, err)
			pg, err := stancegraph.CheckPage(stancegraph.PageArgs{First: ptr(3), After: after}, string(stancegraph.OrderNameDesc), 2)
			mustOK(t, err)
			page := readOne(t, s, &stancegraph.RootQuery{Entities: &stancegraph.EntityList{Kinds: stancegraph.ActorKinds, Where: c, Order: stancegraph.OrderNameDesc, Page: pg}}).Entities
			for _, r := range page.Rows {
				ids = append(ids, r.Entity.ID)
			}
			if !page.HasNextPage {
				break
			}
			after = ptr(stancegraph.EntityCursor(stancegraph.OrderNameDesc, page.Rows[len(page.Rows)-1].Entity).Encode())
		}
		want := []string{"united-states-government", "openai", "mistral-ai", "international-trade-administration", "ita-advocacy-center",
			"department-of-commerce", "business-software-alliance", "benjamin-schwartz", "anthropic", "amazon-web-services"}
		if diff := cmp.Diff(ids, want); diff != "" {
			t.Errorf("ids (-got +want):\n%s", diff)
		}
		// Backward, by last and before, over the same merged kinds.
		var back []string
		var before *string
		for i := 0; ; i++ {
			c, err := (&stancegraph.ActorWhere{OR: []*stancegraph.ActorWhere{{NameContains: ptr("a")}, {Country: &stancegraph.StringFilter{Eq: ptr("FR")}}}}).Cond("where")
			mustOK(t, err)
			pg, err := stancegraph.CheckPage(stancegraph.PageArgs{Last: ptr(4), Before: before}, string(stancegraph.OrderNameDesc), 2)
			mustOK(t, err)
			page := readOne(t, s, &stancegraph.RootQuery{Entities: &stancegraph.EntityList{Kinds: stancegraph.ActorKinds, Where: c, Order: stancegraph.OrderNameDesc, Page: pg, Count: true}}).Entities
			var got []string
			for _, r := range page.Rows {
				got = append(got, r.Entity.ID)
			}
			back = append(got, back...)
			if page.Total != 10 || page.HasNextPage != (i > 0) {
				t.Errorf("backward page %d: total %d, hasNextPage %v", i, page.Total, page.HasNextPage)
			}
			if !page.HasPreviousPage {
				break
			}
			before = ptr(stancegraph.EntityCursor(stancegraph.OrderNameDesc, page.Rows[0].Entity).Encode())
		}
		if diff := cmp.Diff(back, want); diff != "" {
			t.Errorf("backward ids (-got +want):\n%s", diff)
		}
	})

	// Last: on a shared database a new fixture resets the store above.
	t.Run("CursorSurvivesInsert", func(t *testing.T) {
		s := h.fixture(t)
		sel := func(after *string) *stancegraph.RootQuery {
			list := positionsPlan(t, nil, nil, stancegraph.PageArgs{First: ptr(2), After: after}, nil)
			return &stancegraph.RootQuery{IDs: []string{tpd}, Select: &stancegraph.EntitySelect{Positions: []*stancegraph.PositionsAsk{{Key: "p", Side: stancegraph.RoleTarget, List: *list}}}}
		}
		first := readOne(t, s, sel(nil)).Nodes[0].(*stancegraph.EntityResult).Positions["p"]
		if diff := cmp.Diff(pageIDs(first), []string{pid("openai", tpd, S, "openai-comment"), pid("amazon-web-services", tpd, S, "aws-comment")}); diff != "" {
			t.Fatalf("first page (-got +want):\n%s", diff)
		}
		// A position stated earlier than the whole page arrives.
		_, err := s.RecordPosition(t.Context(), &stancegraph.Position{ActorID: "anthropic", TargetID: tpd, Stance: S, SourceID: "eo-14320", StatedAt: "2025-01-01", Quote: "Early."})
		mustOK(t, err)
		keys, _ := stancegraph.PositionOrder(nil, "")
		after := stancegraph.PositionCursor(keys, first.Rows[1].Position).Encode()
		second := readOne(t, s, sel(&after)).Nodes[0].(*stancegraph.EntityResult).Positions["p"]
		want := []string{pid("mistral-ai", tpd, O, "news-article"), pid("openai", tpd, S, "news-article")}
		slices.Sort(want) // same statedAt: by id
		if diff := cmp.Diff(pageIDs(second), want); diff != "" {
			t.Errorf("second page (-got +want):\n%s", diff)
		}
		if !second.HasPreviousPage || second.HasNextPage || second.Total != 5 {
			t.Errorf("prev %v next %v total %d, want true false 5", second.HasPreviousPage, second.HasNextPage, second.Total)
		}
	})

	t.Run("ErrWhereBounds", func(t *testing.T) {
		deep := &stancegraph.PositionWhere{}
		for w, i := deep, 0; i < stancegraph.MaxWhereDepth+1; i++ {
			w.NOT = &stancegraph.PositionWhere{}
			w = w.NOT
		}
		_, err := deep.Cond("where")
		wantCode(t, err, stancegraph.EINVALID)
		_, err = (&stancegraph.PositionWhere{Actor: &stancegraph.ActorWhere{Kind: &stancegraph.KindFilter{In: []stancegraph.Kind{stancegraph.KindProgram}}}}).Cond("where")
		if e, ok := err.(*stancegraph.Error); !ok || e.Field != "where.actor.kind.in" {
			t.Errorf("err = %v, want INVALID naming where.actor.kind.in", err)
		}
		keys, _ := stancegraph.PositionOrder(nil, "")
		for _, c := range []string{
			"bm90IGEgY3Vyc29y", // not a cursor
			(&stancegraph.Cursor{Order: "strength DESC,id DESC", Keys: []any{2, "pos-1"}}).Encode(),                // another order
			(&stancegraph.Cursor{Order: stancegraph.OrderName(keys), Keys: []any{7, "pos-1"}}).Encode(),            // a number for a date
			(&stancegraph.Cursor{Order: stancegraph.OrderName(keys), Keys: []any{"2025-13-45", "pos-1"}}).Encode(), // not a date
			(&stancegraph.Cursor{Order: stancegraph.OrderName(keys), Keys: []any{"2025-01-01"}}).Encode(),          // a key short
		} {
			_, err = stancegraph.CheckPage(stancegraph.PageArgs{After: ptr(c)}, stancegraph.OrderName(keys), len(keys))
			wantCode(t, err, stancegraph.EINVALID)
		}
	})
}

// testNilWrites gives every write nil or empty input: each is INVALID,
// names the same field with the same message on every backend, and
// changes nothing.
func testNilWrites(t *testing.T, h *harness) {
	s := h.fixture(t)
	before := dump(t, s)
	ctx := t.Context()
	invalid := func(field, msg string) refusal { return refusal{stancegraph.EINVALID, field, msg} }
	for _, tc := range []struct {
		name  string
		write func() error
		want  refusal
	}{
		{"UpsertEntity", func() error { _, err := s.UpsertEntity(ctx, nil); return err }, invalid("entity", "an entity is required")},
		{"UpsertEntityEmpty", func() error { _, err := s.UpsertEntity(ctx, &stancegraph.Entity{}); return err }, invalid("id", "id is required")},
		{"RecordPosition", func() error { _, err := s.RecordPosition(ctx, nil); return err }, invalid("position", "a position is required")},
		{"RecordPositionEmpty", func() error { _, err := s.RecordPosition(ctx, &stancegraph.Position{}); return err }, invalid("actor", "actor is required")},
		{"Relate", func() error { _, err := s.Relate(ctx, nil); return err }, invalid("relation", "a relation is required")},
		{"RelateEmpty", func() error { _, err := s.Relate(ctx, &stancegraph.Relation{}); return err },
			invalid("type", `"" is not a valid relation type (valid: `+stancegraph.RelTypes.String()+`)`)},
		{"Unrelate", func() error { return s.Unrelate(ctx, "", "", "") },
			invalid("type", `"" is not a valid relation type (valid: `+stancegraph.RelTypes.String()+`)`)},
		{"UnrelateEmptyFrom", func() error { return s.Unrelate(ctx, stancegraph.MemberOf, "", "business-software-alliance") }, invalid("from", "from is required")},
		{"UnrelateEmptyTo", func() error { return s.Unrelate(ctx, stancegraph.MemberOf, "openai", "") }, invalid("to", "to is required")},
		{"DeleteEntity", func() error { return s.DeleteEntity(ctx, "") }, invalid("id", "id is required")},
		{"RetractPosition", func() error { return s.RetractPosition(ctx, "") }, invalid("id", "id is required")},
		{"Import", func() error { _, err := s.Import(ctx, nil); return err }, invalid("graph", "no graph to import")},
		{"ImportNilEntity", func() error {
			_, err := s.Import(ctx, &stancegraph.Graph{Entities: []*stancegraph.Entity{nil}})
			return err
		}, problems(stancegraph.EINVALID, "entities[0]: empty entry")},
		{"ImportNilPosition", func() error {
			_, err := s.Import(ctx, &stancegraph.Graph{Positions: []*stancegraph.Position{fixturePositions()[0], nil}})
			return err
		}, problems(stancegraph.EINVALID, "positions[1]: empty entry")},
		{"ImportNilRelation", func() error {
			_, err := s.Import(ctx, &stancegraph.Graph{Relations: []*stancegraph.Relation{nil}})
			return err
		}, problems(stancegraph.EINVALID, "relations[0]: empty entry")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(refusalOf(tc.write()), tc.want); diff != "" {
				t.Errorf("refusal (-got +want):\n%s", diff)
			}
		})
	}
	if diff := cmp.Diff(dump(t, s), before); diff != "" {
		t.Errorf("nil writes changed the store (-got +want):\n%s", diff)
	}
}
