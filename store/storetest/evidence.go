package storetest

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stancegraph/stancegraph"
)

// relationOf reads back the one relation of a type between two entities.
func relationOf(t *testing.T, s stancegraph.Store, typ stancegraph.RelType, from, to string) *stancegraph.Relation {
	t.Helper()
	rs, err := s.Relations(t.Context(), stancegraph.RelationFilter{Types: []stancegraph.RelType{typ}, FromIDs: []string{from}, ToIDs: []string{to}})
	mustOK(t, err)
	if len(rs) != 1 {
		t.Fatalf("%d %s relations %s->%s, want 1", len(rs), typ, from, to)
	}
	return rs[0]
}

func testSourcedRelations(t *testing.T, h *harness) {
	involves := func() *stancegraph.Relation {
		return &stancegraph.Relation{Type: stancegraph.Involves, From: "us-anchored-ai-consortia", To: "ita-advocacy-center",
			Role: "overseer", SourceID: "news-article", Quote: "the ITA Advocacy Center would oversee",
			StatedAt: "2025-12", StatedAtQualifier: stancegraph.OnOrBefore}
	}
	t.Run("OK", func(t *testing.T) {
		s := h.fixture(t)
		ch, err := s.Relate(t.Context(), involves())
		mustOK(t, err)
		if ch != stancegraph.Created {
			t.Fatalf("change = %v, want created", ch)
		}
		if diff := cmp.Diff(relationOf(t, s, stancegraph.Involves, "us-anchored-ai-consortia", "ita-advocacy-center"), involves()); diff != "" {
			t.Fatalf("(-got +want):\n%s", diff)
		}
		ch, err = s.Relate(t.Context(), involves())
		mustOK(t, err)
		if ch != stancegraph.Unchanged {
			t.Fatalf("again: change = %v, want unchanged", ch)
		}
		r := involves()
		r.Quote, r.StatedAtQualifier = "oversee", ""
		ch, err = s.Relate(t.Context(), r)
		mustOK(t, err)
		if ch != stancegraph.Updated {
			t.Fatalf("new evidence: change = %v, want updated", ch)
		}
		if diff := cmp.Diff(relationOf(t, s, stancegraph.Involves, "us-anchored-ai-consortia", "ita-advocacy-center"), r); diff != "" {
			t.Fatalf("after update (-got +want):\n%s", diff)
		}
	})
	t.Run("ExactIsTheDefault", func(t *testing.T) {
		s := h.fixture(t)
		r := involves()
		r.StatedAtQualifier = stancegraph.Exact
		_, err := s.Relate(t.Context(), r)
		mustOK(t, err)
		r.StatedAtQualifier = ""
		ch, err := s.Relate(t.Context(), r)
		mustOK(t, err)
		if ch != stancegraph.Unchanged {
			t.Fatalf("EXACT then empty: change = %v, want unchanged", ch)
		}
	})
	t.Run("MentionsCitesItsFrom", func(t *testing.T) {
		s := h.fixture(t)
		r := &stancegraph.Relation{Type: stancegraph.Mentions, From: "ita-rfi", To: "united-states-government", Quote: "the US"}
		_, err := s.Relate(t.Context(), r)
		mustOK(t, err)
		got := relationOf(t, s, stancegraph.Mentions, "ita-rfi", "united-states-government")
		if got.SourceID != "ita-rfi" || got.Quote != "the US" {
			t.Fatalf("got %+v, want the quote cited to ita-rfi", got)
		}
		// Deleting the document deletes what it mentions; nothing else cites it.
		mustOK(t, s.DeleteEntity(t.Context(), "ita-rfi"))
	})
	t.Run("ErrDeleteCitedSource", func(t *testing.T) {
		s := h.fixture(t)
		_, err := s.Relate(t.Context(), involves())
		mustOK(t, err)
		wantCode(t, s.DeleteEntity(t.Context(), "news-article"), stancegraph.ECONFLICT)
		r := involves()
		r.SourceID, r.Quote = "eo-14320", ""
		_, err = s.Relate(t.Context(), r)
		mustOK(t, err)
		wantCode(t, s.DeleteEntity(t.Context(), "eo-14320"), stancegraph.ECONFLICT)
		mustOK(t, s.Unrelate(t.Context(), stancegraph.Involves, "us-anchored-ai-consortia", "ita-advocacy-center"))
		mustOK(t, s.DeleteEntity(t.Context(), "eo-14320"))
	})
	for _, tc := range []struct {
		name   string
		mutate func(r *stancegraph.Relation)
		code   string
	}{
		{"ErrQuoteWithoutSource", func(r *stancegraph.Relation) { r.SourceID = "" }, stancegraph.EINVALID},
		{"ErrSourceNotASource", func(r *stancegraph.Relation) { r.SourceID = "openai" }, stancegraph.EINVALID},
		{"ErrSourceMissing", func(r *stancegraph.Relation) { r.SourceID = "no-such-source" }, stancegraph.ENOTFOUND},
		{"ErrBadDate", func(r *stancegraph.Relation) { r.StatedAt = "2025-12-32" }, stancegraph.EINVALID},
		{"ErrRoleOnPartOf", func(r *stancegraph.Relation) {
			r.Type, r.From, r.To = stancegraph.PartOf, "ita-advocacy-center", "department-of-commerce"
		}, stancegraph.EINVALID},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := h.fixture(t)
			r := involves()
			tc.mutate(r)
			_, err := s.Relate(t.Context(), r)
			wantCode(t, err, tc.code)
			_, err = s.Import(t.Context(), &stancegraph.Graph{Relations: []*stancegraph.Relation{r}})
			wantCode(t, err, tc.code)
		})
	}
	t.Run("Import", func(t *testing.T) {
		s := h.fixture(t)
		g := &stancegraph.Graph{Relations: []*stancegraph.Relation{involves(),
			{Type: stancegraph.RespondsTo, From: "openai-comment", To: "ita-rfi", SourceID: "news-article"},
			{Type: stancegraph.IssuedUnder, From: "ita-rfi", To: "eo-14320", SourceID: "news-article", Quote: "Per a July executive order", StatedAt: "XXXX-07"},
		}}
		res, err := s.Import(t.Context(), g)
		mustOK(t, err)
		if res.Relations.Created != 3 {
			t.Fatalf("result %+v, want 3 relations created", res)
		}
		for _, want := range g.Relations {
			if diff := cmp.Diff(relationOf(t, s, want.Type, want.From, want.To), want); diff != "" {
				t.Errorf("%s (-got +want):\n%s", want.Type, diff)
			}
		}
		res, err = s.Import(t.Context(), g)
		mustOK(t, err)
		if res.Relations.Unchanged != 3 {
			t.Fatalf("again: result %+v, want 3 relations unchanged", res)
		}
	})
}

// datedPositions are positions on the fixture at every precision and
// qualifier, with conditions.
func datedPositions() []*stancegraph.Position {
	at := func(actor, source string, d stancegraph.Date, q stancegraph.DateQualifier, condition string) *stancegraph.Position {
		return &stancegraph.Position{ActorID: actor, TargetID: "us-anchored-ai-consortia", Stance: stancegraph.Supports, Strength: 1,
			Quote: "a quote", SourceID: source, StatedAt: d, StatedAtQualifier: q, Condition: condition}
	}
	ps := []*stancegraph.Position{
		at("openai", "openai-comment", "XXXX-12-13", stancegraph.OnOrBefore, "if guardrails ensure U.S. national security"),
		at("openai", "news-article", "2025-12-13", stancegraph.OnOrBefore, ""),
		at("anthropic", "news-article", "2025-12", "", ""),
		at("anthropic", "aws-comment", "2025", stancegraph.Circa, ""),
		at("mistral-ai", "news-article", "2025-10", stancegraph.OnOrAfter, ""),
		at("mistral-ai", "bsa-comment", "2026-01-02", "", "on a condition"),
	}
	for _, p := range ps {
		p.Normalize()
	}
	return ps
}

func testPartialDates(t *testing.T, h *harness) {
	s := h.fixture(t)
	ctx := t.Context()
	dated := datedPositions()
	for _, p := range dated {
		c := *p
		_, err := s.RecordPosition(ctx, &c)
		mustOK(t, err)
	}
	all := append(fixturePositions(), dated...)
	t.Run("ReadBack", func(t *testing.T) {
		ids := positionIDs(dated)
		got, err := s.PositionsByID(ctx, ids)
		mustOK(t, err)
		if diff := cmp.Diff(got, dated); diff != "" {
			t.Fatalf("(-got +want):\n%s", diff)
		}
	})
	t.Run("Unchanged", func(t *testing.T) {
		c := *dated[0]
		ch, err := s.RecordPosition(ctx, &c)
		mustOK(t, err)
		if ch != stancegraph.Unchanged {
			t.Fatalf("change = %v, want unchanged", ch)
		}
	})
	for _, tc := range []struct {
		name string
		f    stancegraph.PositionFilter
	}{
		{"All", stancegraph.PositionFilter{}},
		{"From", stancegraph.PositionFilter{From: "2025-12-06"}},
		{"FromYear", stancegraph.PositionFilter{From: "2026"}},
		{"To", stancegraph.PositionFilter{To: "2025-11-30"}},
		{"ToMonth", stancegraph.PositionFilter{To: "2025-09"}},
		{"AsOf", stancegraph.PositionFilter{AsOf: "2025-12-13"}},
		{"AsOfYear", stancegraph.PositionFilter{AsOf: "2025"}},
		{"FromToAsOf", stancegraph.PositionFilter{From: "2025-12", To: "2025-12", AsOf: "2026"}},
		{"TargetWindow", stancegraph.PositionFilter{TargetIDs: []string{"us-anchored-ai-consortia"}, To: "2025-12-01"}},
		{"ActorWindow", stancegraph.PositionFilter{ActorIDs: []string{"mistral-ai", "anthropic"}, From: "2025-12-14", AsOf: "2026-06"}},
	} {
		t.Run("Filter/"+tc.name, func(t *testing.T) {
			got, err := s.Positions(ctx, tc.f)
			mustOK(t, err)
			want := []*stancegraph.Position{}
			for _, p := range all {
				if matchPosition(p, tc.f) {
					want = append(want, p)
				}
			}
			sortPositions(want)
			if got == nil {
				got = []*stancegraph.Position{}
			}
			if diff := cmp.Diff(positionIDs(got), positionIDs(want)); diff != "" {
				t.Fatalf("(-got +want):\n%s", diff)
			}
		})
	}
	t.Run("UndatedYearKeptByFromAndTo", func(t *testing.T) {
		got, err := s.Positions(ctx, stancegraph.PositionFilter{ActorIDs: []string{"openai"}, From: "2030", To: "2031"})
		mustOK(t, err)
		if ids := positionIDs(got); !slices.Equal(ids, []string{dated[0].ID}) {
			t.Fatalf("got %v, want only the position whose year is unknown", ids)
		}
		got, err = s.Positions(ctx, stancegraph.PositionFilter{ActorIDs: []string{"openai"}, AsOf: "2030"})
		mustOK(t, err)
		if slices.Contains(positionIDs(got), dated[0].ID) {
			t.Fatal("asOf keeps a position whose year is unknown")
		}
	})
	t.Run("PublishedAt", func(t *testing.T) {
		e := &stancegraph.Entity{ID: "rfi-2", Kind: stancegraph.KindSource, Name: "RFI", SourceKind: stancegraph.RequestForInformation,
			PublishedAt: "XXXX-10", PublishedAtQualifier: stancegraph.OnOrBefore}
		_, err := s.UpsertEntity(ctx, e)
		mustOK(t, err)
		got, err := s.Entities(ctx, []string{"rfi-2"})
		mustOK(t, err)
		if diff := cmp.Diff(got[0], e, cmpOpts); diff != "" {
			t.Fatalf("(-got +want):\n%s", diff)
		}
	})
}

func testHierarchy(t *testing.T, h *harness) {
	partOf := func(from, to string) *stancegraph.Relation {
		return &stancegraph.Relation{Type: stancegraph.PartOf, From: from, To: to}
	}
	t.Run("ErrSecondParent", func(t *testing.T) {
		s := h.fixture(t)
		_, err := s.Relate(t.Context(), partOf("ita-advocacy-center", "department-of-commerce"))
		wantCode(t, err, stancegraph.ECONFLICT)
	})
	t.Run("ErrCycle", func(t *testing.T) {
		s := h.fixture(t)
		mustOK(t, s.Unrelate(t.Context(), stancegraph.PartOf, "department-of-commerce", "united-states-government"))
		_, err := s.Relate(t.Context(), partOf("department-of-commerce", "ita-advocacy-center"))
		wantCode(t, err, stancegraph.ECONFLICT)
	})
	t.Run("SameParentAgain", func(t *testing.T) {
		s := h.fixture(t)
		ch, err := s.Relate(t.Context(), partOf("ita-advocacy-center", "international-trade-administration"))
		mustOK(t, err)
		if ch != stancegraph.Unchanged {
			t.Fatalf("change = %v, want unchanged", ch)
		}
	})
	t.Run("ImportErrCycle", func(t *testing.T) {
		s := h.empty(t)
		agency := func(id string) *stancegraph.Entity {
			return &stancegraph.Entity{ID: id, Kind: stancegraph.KindAgency, Name: id}
		}
		g := &stancegraph.Graph{Entities: []*stancegraph.Entity{agency("a"), agency("b"), agency("c")},
			Relations: []*stancegraph.Relation{partOf("a", "b"), partOf("b", "c"), partOf("c", "a")}}
		_, err := s.Import(t.Context(), g)
		wantCode(t, err, stancegraph.ECONFLICT)
		if msg := stancegraph.ErrorMessage(err); !containsAll(msg, "relations[2]", "cycle") {
			t.Fatalf("message %q does not name relations[2] and the cycle", msg)
		}
		if snap := dump(t, s); len(snap.Entities) != 0 {
			t.Fatalf("%d entities written by a refused import", len(snap.Entities))
		}
	})
	t.Run("ImportErrSecondStoredParent", func(t *testing.T) {
		s := h.fixture(t)
		before := dump(t, s)
		g := &stancegraph.Graph{Relations: []*stancegraph.Relation{partOf("ita-advocacy-center", "department-of-commerce")}}
		_, err := s.Import(t.Context(), g)
		wantCode(t, err, stancegraph.ECONFLICT)
		if diff := cmp.Diff(dump(t, s), before, cmpOpts); diff != "" {
			t.Fatalf("a refused import changed the store (-got +want):\n%s", diff)
		}
	})
}

func containsAll(s string, subs ...string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}

func testExternalIDs(t *testing.T, h *harness) {
	wikidata := func(v string) stancegraph.ExternalID { return stancegraph.ExternalID{Scheme: "wikidata", Value: v} }
	t.Run("ReadBack", func(t *testing.T) {
		s := h.fixture(t)
		e := fixtureEntity("openai")
		e.ExternalIDs = []stancegraph.ExternalID{wikidata("Q21708200"), {Scheme: "lei", Value: "5493000IBP32UQZ0KL24"}}
		_, err := s.UpsertEntity(t.Context(), e)
		mustOK(t, err)
		got, err := s.Entities(t.Context(), []string{"openai"})
		mustOK(t, err)
		if diff := cmp.Diff(got[0], e, cmpOpts); diff != "" {
			t.Fatalf("(-got +want):\n%s", diff)
		}
	})
	t.Run("ErrUpsertTakenByAnother", func(t *testing.T) {
		s := h.fixture(t)
		e := fixtureEntity("openai")
		e.ExternalIDs = []stancegraph.ExternalID{wikidata("Q1")}
		_, err := s.UpsertEntity(t.Context(), e)
		mustOK(t, err)
		other := fixtureEntity("anthropic")
		other.ExternalIDs = []stancegraph.ExternalID{wikidata("Q1")}
		_, err = s.UpsertEntity(t.Context(), other)
		wantCode(t, err, stancegraph.ECONFLICT)
	})
	t.Run("ImportMergesIntoStored", func(t *testing.T) {
		s := h.fixture(t)
		e := fixtureEntity("openai")
		e.ExternalIDs = []stancegraph.ExternalID{wikidata("Q1")}
		_, err := s.UpsertEntity(t.Context(), e)
		mustOK(t, err)
		// Another data set calls OpenAI "openai-inc", with a new alias
		// and a position of its own.
		g := &stancegraph.Graph{
			Entities: []*stancegraph.Entity{{ID: "openai-inc", Kind: stancegraph.KindCompany, Name: "OpenAI", Aliases: []string{"OpenAI, Inc."},
				ExternalIDs: []stancegraph.ExternalID{wikidata("Q1"), {Scheme: "lei", Value: "X1"}}}},
			Positions: []*stancegraph.Position{{ActorID: "openai-inc", TargetID: "full-stack-export-packages", Stance: stancegraph.Opposes,
				Quote: "q", SourceID: "news-article", StatedAt: "2025"}},
		}
		_, err = s.Import(t.Context(), g)
		mustOK(t, err)
		got, err := s.Entities(t.Context(), []string{"openai", "openai-inc"})
		mustOK(t, err)
		if got[1] != nil {
			t.Fatalf("the merged record was written under its own id: %+v", got[1])
		}
		want := fixtureEntity("openai")
		want.Aliases = append(want.Aliases, "OpenAI, Inc.")
		want.ExternalIDs = []stancegraph.ExternalID{wikidata("Q1"), {Scheme: "lei", Value: "X1"}}
		if diff := cmp.Diff(got[0], want, cmpOpts); diff != "" {
			t.Fatalf("merged entity (-got +want):\n%s", diff)
		}
		ps, err := s.Positions(t.Context(), stancegraph.PositionFilter{ActorIDs: []string{"openai"}, TargetIDs: []string{"full-stack-export-packages"}})
		mustOK(t, err)
		if len(ps) != 1 || ps[0].ID != stancegraph.PositionID("openai", "full-stack-export-packages", stancegraph.Opposes, "news-article") {
			t.Fatalf("the position of the merged record: %+v", ps)
		}
	})
	t.Run("ImportMergesWithin", func(t *testing.T) {
		s := h.empty(t)
		g := &stancegraph.Graph{Entities: []*stancegraph.Entity{
			{ID: "a", Kind: stancegraph.KindCompany, Name: "A", ExternalIDs: []stancegraph.ExternalID{wikidata("Q9")}},
			{ID: "b", Kind: stancegraph.KindCompany, Name: "A", Country: "US", ExternalIDs: []stancegraph.ExternalID{wikidata("Q9")}},
		}}
		res, err := s.Import(t.Context(), g)
		mustOK(t, err)
		if res.Entities.Created != 1 {
			t.Fatalf("result %+v, want one entity", res)
		}
		got, err := s.Entities(t.Context(), []string{"a"})
		mustOK(t, err)
		if got[0] == nil || got[0].Country != "US" {
			t.Fatalf("merged %+v, want a with b's country", got[0])
		}
	})
	t.Run("ImportErrTwoEntities", func(t *testing.T) {
		s := h.fixture(t)
		for id, q := range map[string]string{"openai": "Q1", "anthropic": "Q2"} {
			e := fixtureEntity(id)
			e.ExternalIDs = []stancegraph.ExternalID{wikidata(q)}
			_, err := s.UpsertEntity(t.Context(), e)
			mustOK(t, err)
		}
		before := dump(t, s)
		g := &stancegraph.Graph{Entities: []*stancegraph.Entity{{ID: "x", Kind: stancegraph.KindCompany, Name: "X",
			ExternalIDs: []stancegraph.ExternalID{wikidata("Q1"), wikidata("Q2")}}}}
		_, err := s.Import(t.Context(), g)
		wantCode(t, err, stancegraph.ECONFLICT)
		if diff := cmp.Diff(dump(t, s), before, cmpOpts); diff != "" {
			t.Fatalf("a refused import changed the store (-got +want):\n%s", diff)
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		s := h.fixture(t)
		e := fixtureEntity("openai")
		e.ExternalIDs = []stancegraph.ExternalID{{Scheme: "Wiki Data", Value: "Q1"}}
		_, err := s.UpsertEntity(t.Context(), e)
		wantCode(t, err, stancegraph.EINVALID)
	})
}
