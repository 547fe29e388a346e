// Package storetest is the conformance suite every stancegraph.Store backend
// must pass, so that a query means the same thing on every backend. A
// backend's test calls RunConformanceTests with a constructor of empty
// stores.
//
// Beyond the comments of the Store interface, the suite pins down:
//
//   - Errors: invalid input is EINVALID, a missing referenced entity is
//     ENOTFOUND, a kind clash or a deletion that would orphan evidence is
//     ECONFLICT; an import that fails carries the code of its first problem.
//   - FindEntities: NameContains is a case-insensitive substring of the name
//     or of an alias; Country, Topic and SourceKind match exactly; names sort
//     by code point, ties by id ascending in every order; Limit above
//     MaxPageSize and negative Limit or Offset are EINVALID.
//   - Search: the query is split into lower-case words (runs of letters and
//     digits, search.Words). The documents are entities, whose
//     searchable text is their name, aliases and summary, and positions,
//     whose searchable text is their quote. A document matches when every
//     query word is a prefix of some word of its searchable text (the words
//     may come from different fields). Kinds, when given, filter the entity
//     hits only; EntitiesOnly leaves the positions out. A query without
//     words has no hits. At most Limit hits (0 means DefaultPageSize, above
//     MaxPageSize is EINVALID), best first, ties by id. Scores lie in
//     (0, 1]: an entity whose name or an alias equals the query, ignoring
//     case and surrounding space, scores 1 and ranks first; entities that
//     match within their names and aliases alone rank above every match
//     that needs a summary or a quote. Deleted entities and retracted
//     positions are never found. The suite asserts matched sets and the
//     top (or last) hit, not exact scores; search.Query is the
//     one scorer every backend uses.
//   - Lists of ids (Entities, PositionsByID) take at most MaxBatchIDs.
//   - Writes are idempotent: writing the same data again is Unchanged.
//   - A cancelled context makes every call fail.
package storetest

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stancegraph/stancegraph"
)

// RunConformanceTests runs the suite. newStore returns a new, empty store
// each time it is called and arranges its cleanup (t.Cleanup).
func RunConformanceTests(t *testing.T, newStore func(t *testing.T) stancegraph.Store) {
	h := &harness{newStore: newStore}
	for _, tc := range []struct {
		name string
		fn   func(*testing.T, *harness)
	}{
		{"UpsertEntity", testUpsertEntity},
		{"Entities", testEntities},
		{"FindEntities", testFindEntities},
		{"DeleteEntity", testDeleteEntity},
		{"RecordPosition", testRecordPosition},
		{"RetractPosition", testRetractPosition},
		{"PositionsByID", testPositionsByID},
		{"Positions", testPositions},
		{"Relate", testRelate},
		{"Unrelate", testUnrelate},
		{"Relations", testRelations},
		{"SourcedRelations", testSourcedRelations},
		{"PartialDates", testPartialDates},
		{"Hierarchy", testHierarchy},
		{"ExternalIDs", testExternalIDs},
		{"Import", testImport},
		{"Search", testSearch},
		{"Plan", testPlan},
		{"PlanBackers", testPlanBackers},
		{"NilWrites", testNilWrites},
		{"ImportProblems", testImportProblems},
		{"Refusals", testRefusals},
		{"Ping", testPing},
		{"ChangeFeed", testChangeFeed},
		{"CancelledContext", testCancelledContext},
		{"Concurrency", testConcurrency},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, h) })
	}
}

type harness struct {
	newStore func(t *testing.T) stancegraph.Store
}

// empty returns a new, empty store.
func (h *harness) empty(t *testing.T) stancegraph.Store {
	t.Helper()
	return h.newStore(t)
}

// fixture returns a new store holding Fixture().
func (h *harness) fixture(t *testing.T) stancegraph.Store {
	t.Helper()
	s := h.newStore(t)
	if _, err := s.Import(t.Context(), Fixture()); err != nil {
		t.Fatalf("Import(Fixture()): %v", err)
	}
	return s
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := stancegraph.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}

func mustOK(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
}

func fixtureEntity(id string) *stancegraph.Entity {
	for _, e := range Fixture().Entities {
		if e.ID == id {
			return e
		}
	}
	panic("storetest: no fixture entity " + id)
}

// fixturePositions returns the fixture's positions normalised (ids set).
func fixturePositions() []*stancegraph.Position {
	ps := Fixture().Positions
	for _, p := range ps {
		p.Normalize()
	}
	return ps
}

func fixturePosition(actor, target string, stance stancegraph.Stance, source string) *stancegraph.Position {
	id := stancegraph.PositionID(actor, target, stance, source)
	for _, p := range fixturePositions() {
		if p.ID == id {
			return p
		}
	}
	panic("storetest: no fixture position " + id)
}

func sortPositions(ps []*stancegraph.Position) {
	slices.SortFunc(ps, stancegraph.CompareStated)
}

func sortRelations(rs []*stancegraph.Relation) {
	sort.Slice(rs, func(i, j int) bool {
		a, b := rs[i], rs[j]
		if a.Type != b.Type {
			return a.Type < b.Type
		}
		if a.From != b.From {
			return a.From < b.From
		}
		return a.To < b.To
	})
}

func entityIDs(es []*stancegraph.Entity) []string {
	ids := make([]string, len(es))
	for i, e := range es {
		if e != nil {
			ids[i] = e.ID
		}
	}
	return ids
}

func positionIDs(ps []*stancegraph.Position) []string {
	ids := make([]string, len(ps))
	for i, p := range ps {
		if p != nil {
			ids[i] = p.ID
		}
	}
	return ids
}

// snapshot is everything a store holds.
type snapshot struct {
	Entities  []*stancegraph.Entity
	Relations []*stancegraph.Relation
	Positions []*stancegraph.Position
}

func dump(t *testing.T, s stancegraph.Store) snapshot {
	t.Helper()
	ctx := t.Context()
	var snap snapshot
	for offset := 0; ; offset += stancegraph.MaxPageSize {
		page, total, err := s.FindEntities(ctx, stancegraph.EntityFilter{OrderBy: stancegraph.OrderIDAsc, Offset: offset, Limit: stancegraph.MaxPageSize})
		mustOK(t, err)
		snap.Entities = append(snap.Entities, page...)
		if offset+stancegraph.MaxPageSize >= total {
			break
		}
	}
	var err error
	snap.Relations, err = s.Relations(ctx, stancegraph.RelationFilter{Types: stancegraph.RelTypes})
	mustOK(t, err)
	snap.Positions, err = s.Positions(ctx, stancegraph.PositionFilter{})
	mustOK(t, err)
	return snap
}

func testUpsertEntity(t *testing.T, h *harness) {
	acme := func() *stancegraph.Entity {
		return &stancegraph.Entity{ID: "acme", Kind: stancegraph.KindCompany, Name: "Acme", Aliases: []string{"Acme Corp"}, Country: "US"}
	}
	t.Run("OK", func(t *testing.T) {
		s := h.empty(t)
		ch, err := s.UpsertEntity(t.Context(), acme())
		mustOK(t, err)
		if ch != stancegraph.Created {
			t.Fatalf("change = %v, want created", ch)
		}
		got, err := s.Entities(t.Context(), []string{"acme"})
		mustOK(t, err)
		if diff := cmp.Diff(got, []*stancegraph.Entity{acme()}, cmpOpts); diff != "" {
			t.Fatalf("stored entity (-got +want):\n%s", diff)
		}
	})
	t.Run("Updated", func(t *testing.T) {
		s := h.empty(t)
		_, err := s.UpsertEntity(t.Context(), acme())
		mustOK(t, err)
		e := acme()
		e.Description = "Makes everything."
		e.Aliases = nil
		ch, err := s.UpsertEntity(t.Context(), e)
		mustOK(t, err)
		if ch != stancegraph.Updated {
			t.Fatalf("change = %v, want updated", ch)
		}
		got, err := s.Entities(t.Context(), []string{"acme"})
		mustOK(t, err)
		if diff := cmp.Diff(got[0], e, cmpOpts); diff != "" {
			t.Fatalf("stored entity (-got +want):\n%s", diff)
		}
	})
	t.Run("Unchanged", func(t *testing.T) {
		s := h.empty(t)
		_, err := s.UpsertEntity(t.Context(), acme())
		mustOK(t, err)
		ch, err := s.UpsertEntity(t.Context(), acme())
		mustOK(t, err)
		if ch != stancegraph.Unchanged {
			t.Fatalf("change = %v, want unchanged", ch)
		}
	})
	t.Run("StoresACopy", func(t *testing.T) {
		s := h.empty(t)
		e := acme()
		_, err := s.UpsertEntity(t.Context(), e)
		mustOK(t, err)
		e.Name, e.Aliases[0] = "Changed", "Changed"
		got, err := s.Entities(t.Context(), []string{"acme"})
		mustOK(t, err)
		got[0].Name = "Changed by reader"
		again, err := s.Entities(t.Context(), []string{"acme"})
		mustOK(t, err)
		if diff := cmp.Diff(again[0], acme(), cmpOpts); diff != "" {
			t.Fatalf("stored entity (-got +want):\n%s", diff)
		}
	})
	t.Run("ErrKindConflict", func(t *testing.T) {
		s := h.empty(t)
		_, err := s.UpsertEntity(t.Context(), acme())
		mustOK(t, err)
		e := acme()
		e.Kind = stancegraph.KindAgency
		_, err = s.UpsertEntity(t.Context(), e)
		wantCode(t, err, stancegraph.ECONFLICT)
		got, err := s.Entities(t.Context(), []string{"acme"})
		mustOK(t, err)
		if diff := cmp.Diff(got[0], acme(), cmpOpts); diff != "" {
			t.Fatalf("stored entity changed (-got +want):\n%s", diff)
		}
	})
	for _, tc := range []struct {
		name   string
		modify func(*stancegraph.Entity)
	}{
		{"ErrInvalidID", func(e *stancegraph.Entity) { e.ID = "Not A Slug" }},
		{"ErrIDRequired", func(e *stancegraph.Entity) { e.ID = "" }},
		{"ErrNameRequired", func(e *stancegraph.Entity) { e.Name = " " }},
		{"ErrInvalidKind", func(e *stancegraph.Entity) { e.Kind = "ROBOT" }},
		{"ErrInvalidCountry", func(e *stancegraph.Entity) { e.Country = "usa" }},
		{"ErrSourceFieldsOnCompany", func(e *stancegraph.Entity) { e.SourceKind = stancegraph.NewsArticle }},
		{"ErrSourceWithoutKind", func(e *stancegraph.Entity) { e.Kind, e.Country = stancegraph.KindSource, "" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := h.empty(t)
			e := acme()
			tc.modify(e)
			_, err := s.UpsertEntity(t.Context(), e)
			wantCode(t, err, stancegraph.EINVALID)
			snap := dump(t, s)
			if len(snap.Entities) != 0 {
				t.Fatalf("invalid entity was stored: %v", entityIDs(snap.Entities))
			}
		})
	}
}

func testEntities(t *testing.T, h *harness) {
	s := h.fixture(t)
	t.Run("OK", func(t *testing.T) {
		ids := []string{"openai", "no-such-entity", "eo-14320", "openai", "american-ai-exports-program"}
		got, err := s.Entities(t.Context(), ids)
		mustOK(t, err)
		want := []*stancegraph.Entity{fixtureEntity("openai"), nil, fixtureEntity("eo-14320"), fixtureEntity("openai"), fixtureEntity("american-ai-exports-program")}
		if diff := cmp.Diff(got, want, cmpOpts); diff != "" {
			t.Fatalf("Entities (-got +want):\n%s", diff)
		}
	})
	t.Run("Empty", func(t *testing.T) {
		got, err := s.Entities(t.Context(), nil)
		mustOK(t, err)
		if len(got) != 0 {
			t.Fatalf("Entities(nil) = %v, want none", entityIDs(got))
		}
	})
	t.Run("ErrTooManyIDs", func(t *testing.T) {
		ids := make([]string, stancegraph.MaxBatchIDs+1)
		for i := range ids {
			ids[i] = fmt.Sprintf("e-%d", i)
		}
		_, err := s.Entities(t.Context(), ids)
		wantCode(t, err, stancegraph.EINVALID)
	})
}

func testFindEntities(t *testing.T, h *harness) {
	s := h.fixture(t)
	// Two entities with one name show the tie-break by id.
	for _, id := range []string{"acme-b", "acme-a"} {
		_, err := s.UpsertEntity(t.Context(), &stancegraph.Entity{ID: id, Kind: stancegraph.KindCompany, Name: "Acme", Country: "DE"})
		mustOK(t, err)
	}
	all := append(Fixture().Entities,
		&stancegraph.Entity{ID: "acme-a", Kind: stancegraph.KindCompany, Name: "Acme", Country: "DE"},
		&stancegraph.Entity{ID: "acme-b", Kind: stancegraph.KindCompany, Name: "Acme", Country: "DE"})
	byName := slices.Clone(all)
	sort.Slice(byName, func(i, j int) bool {
		if byName[i].Name != byName[j].Name {
			return byName[i].Name < byName[j].Name
		}
		return byName[i].ID < byName[j].ID
	})
	byNameDesc := slices.Clone(all)
	sort.Slice(byNameDesc, func(i, j int) bool {
		if byNameDesc[i].Name != byNameDesc[j].Name {
			return byNameDesc[i].Name > byNameDesc[j].Name
		}
		return byNameDesc[i].ID < byNameDesc[j].ID
	})
	byID := slices.Clone(all)
	sort.Slice(byID, func(i, j int) bool { return byID[i].ID < byID[j].ID })

	for _, tc := range []struct {
		name      string
		f         stancegraph.EntityFilter
		want      []string
		wantTotal int // 0 means len(want)
	}{
		{name: "All", want: entityIDs(byName)},
		{name: "OrderNameDesc", f: stancegraph.EntityFilter{OrderBy: stancegraph.OrderNameDesc}, want: entityIDs(byNameDesc)},
		{name: "OrderIDAsc", f: stancegraph.EntityFilter{OrderBy: stancegraph.OrderIDAsc}, want: entityIDs(byID)},
		{name: "Kinds", f: stancegraph.EntityFilter{Kinds: []stancegraph.Kind{stancegraph.KindCompany}},
			want: []string{"acme-a", "acme-b", "amazon-web-services", "anthropic", "mistral-ai", "openai"}},
		{name: "KindsSeveral", f: stancegraph.EntityFilter{Kinds: []stancegraph.Kind{stancegraph.KindProgram, stancegraph.KindGovernment}},
			want: []string{"american-ai-exports-program", "united-states-government"}},
		{name: "NameContainsAlias", f: stancegraph.EntityFilter{NameContains: "aws"},
			want: []string{"aws-comment", "amazon-web-services"}}, // by code point: "AWS" < "Amazon"
		{name: "NameContainsCaseInsensitive", f: stancegraph.EntityFilter{NameContains: "SOFTWARE"},
			want: []string{"business-software-alliance"}},
		{name: "NameContainsSubstring", f: stancegraph.EntityFilter{NameContains: "ommerc"},
			want: []string{"department-of-commerce"}},
		{name: "NameContainsWithKinds", f: stancegraph.EntityFilter{NameContains: "ai", Kinds: []stancegraph.Kind{stancegraph.KindCompany}},
			want: []string{"mistral-ai", "openai"}},
		{name: "Country", f: stancegraph.EntityFilter{Country: "FR"}, want: []string{"mistral-ai"}},
		{name: "Topic", f: stancegraph.EntityFilter{Topic: "export-controls"},
			want: []string{"full-stack-export-packages", "trusted-partner-designation"}},
		{name: "SourceKind", f: stancegraph.EntityFilter{SourceKind: stancegraph.PublicComment},
			want: []string{"aws-comment", "bsa-comment", "openai-comment"}},
		{name: "NoMatch", f: stancegraph.EntityFilter{NameContains: "zzz"}, want: []string{}},
		{name: "Page", f: stancegraph.EntityFilter{OrderBy: stancegraph.OrderIDAsc, Offset: 2, Limit: 3},
			want: entityIDs(byID[2:5]), wantTotal: len(all)},
		{name: "PageFiltered", f: stancegraph.EntityFilter{Kinds: []stancegraph.Kind{stancegraph.KindCompany}, Offset: 1, Limit: 2},
			want: []string{"acme-b", "amazon-web-services"}, wantTotal: 6},
		{name: "OffsetPastEnd", f: stancegraph.EntityFilter{Offset: 100}, want: []string{}, wantTotal: len(all)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, total, err := s.FindEntities(t.Context(), tc.f)
			mustOK(t, err)
			if diff := cmp.Diff(entityIDs(got), tc.want, cmpOpts); diff != "" {
				t.Errorf("ids (-got +want):\n%s", diff)
			}
			wantTotal := tc.wantTotal
			if wantTotal == 0 {
				wantTotal = len(tc.want)
			}
			if total != wantTotal {
				t.Errorf("total = %d, want %d", total, wantTotal)
			}
		})
	}
	t.Run("FullEntities", func(t *testing.T) {
		got, _, err := s.FindEntities(t.Context(), stancegraph.EntityFilter{NameContains: "trusted"})
		mustOK(t, err)
		if diff := cmp.Diff(got, []*stancegraph.Entity{fixtureEntity("trusted-partner-designation")}, cmpOpts); diff != "" {
			t.Fatalf("(-got +want):\n%s", diff)
		}
	})
	t.Run("DefaultLimit", func(t *testing.T) {
		s := h.empty(t)
		g := &stancegraph.Graph{}
		for i := range stancegraph.DefaultPageSize + 5 {
			g.Entities = append(g.Entities, &stancegraph.Entity{ID: fmt.Sprintf("company-%03d", i), Kind: stancegraph.KindCompany, Name: fmt.Sprintf("Company %03d", i)})
		}
		_, err := s.Import(t.Context(), g)
		mustOK(t, err)
		got, total, err := s.FindEntities(t.Context(), stancegraph.EntityFilter{})
		mustOK(t, err)
		if len(got) != stancegraph.DefaultPageSize || total != stancegraph.DefaultPageSize+5 {
			t.Fatalf("got %d entities of %d, want %d of %d", len(got), total, stancegraph.DefaultPageSize, stancegraph.DefaultPageSize+5)
		}
		got, _, err = s.FindEntities(t.Context(), stancegraph.EntityFilter{Limit: stancegraph.MaxPageSize})
		mustOK(t, err)
		if len(got) != stancegraph.DefaultPageSize+5 {
			t.Fatalf("got %d entities with the largest limit, want %d", len(got), stancegraph.DefaultPageSize+5)
		}
	})
	for _, tc := range []struct {
		name string
		f    stancegraph.EntityFilter
	}{
		{"ErrLimitTooLarge", stancegraph.EntityFilter{Limit: stancegraph.MaxPageSize + 1}},
		{"ErrNegativeLimit", stancegraph.EntityFilter{Limit: -1}},
		{"ErrNegativeOffset", stancegraph.EntityFilter{Offset: -1}},
		{"ErrInvalidKind", stancegraph.EntityFilter{Kinds: []stancegraph.Kind{"ROBOT"}}},
		{"ErrInvalidOrder", stancegraph.EntityFilter{OrderBy: "RANDOM"}},
		{"ErrInvalidSourceKind", stancegraph.EntityFilter{SourceKind: "BLOG"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := s.FindEntities(t.Context(), tc.f)
			wantCode(t, err, stancegraph.EINVALID)
		})
	}
}

func testDeleteEntity(t *testing.T, h *harness) {
	t.Run("OK", func(t *testing.T) {
		s := h.fixture(t)
		mustOK(t, s.DeleteEntity(t.Context(), "mistral-ai"))
		got, err := s.Entities(t.Context(), []string{"mistral-ai"})
		mustOK(t, err)
		if got[0] != nil {
			t.Fatalf("deleted entity still there: %+v", got[0])
		}
	})
	t.Run("CascadeActor", func(t *testing.T) {
		s := h.fixture(t)
		before := dump(t, s)
		mustOK(t, s.DeleteEntity(t.Context(), "openai"))
		after := dump(t, s)
		want := snapshot{}
		for _, e := range before.Entities {
			if e.ID != "openai" {
				want.Entities = append(want.Entities, e)
			}
		}
		for _, r := range before.Relations {
			if r.From != "openai" && r.To != "openai" {
				want.Relations = append(want.Relations, r)
			}
		}
		for _, p := range before.Positions {
			if p.ActorID != "openai" {
				want.Positions = append(want.Positions, p)
			}
		}
		if diff := cmp.Diff(after, want, cmpOpts); diff != "" {
			t.Fatalf("after deleting openai (-got +want):\n%s", diff)
		}
	})
	t.Run("CascadeTarget", func(t *testing.T) {
		s := h.fixture(t)
		before := dump(t, s)
		const id = "trusted-partner-designation"
		mustOK(t, s.DeleteEntity(t.Context(), id))
		after := dump(t, s)
		want := snapshot{}
		for _, e := range before.Entities {
			if e.ID != id {
				want.Entities = append(want.Entities, e)
			}
		}
		for _, r := range before.Relations {
			if r.From != id && r.To != id {
				want.Relations = append(want.Relations, r)
			}
		}
		for _, p := range before.Positions {
			if p.TargetID != id {
				want.Positions = append(want.Positions, p)
			}
		}
		if diff := cmp.Diff(after, want, cmpOpts); diff != "" {
			t.Fatalf("after deleting %s (-got +want):\n%s", id, diff)
		}
		if len(after.Positions) != len(before.Positions)-4 || len(after.Relations) != len(before.Relations)-2 {
			t.Fatalf("expected 4 positions and 2 relations to go, got %d and %d",
				len(before.Positions)-len(after.Positions), len(before.Relations)-len(after.Relations))
		}
	})
	t.Run("ErrSourceCited", func(t *testing.T) {
		s := h.fixture(t)
		before := dump(t, s)
		wantCode(t, s.DeleteEntity(t.Context(), "openai-comment"), stancegraph.ECONFLICT)
		if diff := cmp.Diff(dump(t, s), before, cmpOpts); diff != "" {
			t.Fatalf("a refused delete changed the store (-got +want):\n%s", diff)
		}
	})
	t.Run("UncitedSource", func(t *testing.T) {
		s := h.fixture(t)
		for _, p := range fixturePositions() {
			if p.SourceID == "openai-comment" {
				mustOK(t, s.RetractPosition(t.Context(), p.ID))
			}
		}
		mustOK(t, s.DeleteEntity(t.Context(), "openai-comment"))
		rs, err := s.Relations(t.Context(), stancegraph.RelationFilter{ToIDs: []string{"openai-comment"}})
		mustOK(t, err)
		if len(rs) != 0 {
			t.Fatalf("relations to a deleted source remain: %v", rs)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		s := h.fixture(t)
		wantCode(t, s.DeleteEntity(t.Context(), "no-such-entity"), stancegraph.ENOTFOUND)
	})
	t.Run("ErrInvalidID", func(t *testing.T) {
		s := h.fixture(t)
		for _, id := range []string{"../x", "", "OpenAI", `x") DETACH DELETE n //`, "a\xffb"} {
			wantCode(t, s.DeleteEntity(t.Context(), id), stancegraph.EINVALID)
		}
	})
}

func newPosition() *stancegraph.Position {
	return &stancegraph.Position{ActorID: "anthropic", TargetID: "trusted-partner-designation", Stance: stancegraph.Supports,
		SourceID: "news-article", StatedAt: "2025-12-05", Quote: "Anthropic supports the designation."}
}

func testRecordPosition(t *testing.T, h *harness) {
	t.Run("OK", func(t *testing.T) {
		s := h.fixture(t)
		p := newPosition()
		ch, err := s.RecordPosition(t.Context(), p)
		mustOK(t, err)
		if ch != stancegraph.Created {
			t.Fatalf("change = %v, want created", ch)
		}
		want := newPosition()
		want.ID = stancegraph.PositionID("anthropic", "trusted-partner-designation", stancegraph.Supports, "news-article")
		want.Strength = 1
		if p.ID != want.ID {
			t.Fatalf("p.ID = %q, want %q", p.ID, want.ID)
		}
		got, err := s.PositionsByID(t.Context(), []string{want.ID})
		mustOK(t, err)
		if diff := cmp.Diff(got, []*stancegraph.Position{want}, cmpOpts); diff != "" {
			t.Fatalf("stored position (-got +want):\n%s", diff)
		}
	})
	t.Run("Unchanged", func(t *testing.T) {
		s := h.fixture(t)
		for _, p := range fixturePositions() {
			p.ID = ""
			ch, err := s.RecordPosition(t.Context(), p)
			mustOK(t, err)
			if ch != stancegraph.Unchanged {
				t.Fatalf("recording fixture position %s again: change = %v, want unchanged", p.ID, ch)
			}
		}
		if got := dump(t, s).Positions; len(got) != len(Fixture().Positions) {
			t.Fatalf("%d positions, want %d", len(got), len(Fixture().Positions))
		}
	})
	t.Run("Updated", func(t *testing.T) {
		s := h.fixture(t)
		p := fixturePosition("openai", "trusted-partner-designation", stancegraph.Supports, "openai-comment")
		p.Quote = "A corrected quote."
		p.Strength = 1
		ch, err := s.RecordPosition(t.Context(), p)
		mustOK(t, err)
		if ch != stancegraph.Updated {
			t.Fatalf("change = %v, want updated", ch)
		}
		got, err := s.PositionsByID(t.Context(), []string{p.ID})
		mustOK(t, err)
		if diff := cmp.Diff(got, []*stancegraph.Position{p}, cmpOpts); diff != "" {
			t.Fatalf("stored position (-got +want):\n%s", diff)
		}
	})
	for _, tc := range []struct {
		name   string
		modify func(*stancegraph.Position)
		code   string
	}{
		{"ErrActorKind", func(p *stancegraph.Position) { p.ActorID = "american-ai-exports-program" }, stancegraph.EINVALID},
		{"ErrTargetKind", func(p *stancegraph.Position) { p.TargetID = "openai" }, stancegraph.EINVALID},
		{"ErrSourceKind", func(p *stancegraph.Position) { p.SourceID = "openai" }, stancegraph.EINVALID},
		{"ErrActorNotFound", func(p *stancegraph.Position) { p.ActorID = "no-such-actor" }, stancegraph.ENOTFOUND},
		{"ErrTargetNotFound", func(p *stancegraph.Position) { p.TargetID = "no-such-target" }, stancegraph.ENOTFOUND},
		{"ErrSourceNotFound", func(p *stancegraph.Position) { p.SourceID = "no-such-source" }, stancegraph.ENOTFOUND},
		{"ErrQuoteRequired", func(p *stancegraph.Position) { p.Quote = "" }, stancegraph.EINVALID},
		{"ErrInvalidStance", func(p *stancegraph.Position) { p.Stance = "MAYBE" }, stancegraph.EINVALID},
		{"ErrInvalidStrength", func(p *stancegraph.Position) { p.Strength = 3 }, stancegraph.EINVALID},
		{"ErrInvalidDate", func(p *stancegraph.Position) { p.StatedAt = "2025-13-01" }, stancegraph.EINVALID},
		{"ErrInvalidActorID", func(p *stancegraph.Position) { p.ActorID = "Not A Slug" }, stancegraph.EINVALID},
		{"ErrIDMismatch", func(p *stancegraph.Position) { p.ID = "pos-0000000000000000" }, stancegraph.EINVALID},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := h.fixture(t)
			before := dump(t, s)
			p := newPosition()
			tc.modify(p)
			_, err := s.RecordPosition(t.Context(), p)
			wantCode(t, err, tc.code)
			if diff := cmp.Diff(dump(t, s), before, cmpOpts); diff != "" {
				t.Fatalf("a refused write changed the store (-got +want):\n%s", diff)
			}
		})
	}
}

func testRetractPosition(t *testing.T, h *harness) {
	t.Run("OK", func(t *testing.T) {
		s := h.fixture(t)
		p := fixturePosition("openai", "trusted-partner-designation", stancegraph.Supports, "openai-comment")
		mustOK(t, s.RetractPosition(t.Context(), p.ID))
		got, err := s.Positions(t.Context(), stancegraph.PositionFilter{ActorIDs: []string{"openai"}, TargetIDs: []string{"trusted-partner-designation"}})
		mustOK(t, err)
		// The other evidence of the same stance remains.
		want := []*stancegraph.Position{fixturePosition("openai", "trusted-partner-designation", stancegraph.Supports, "news-article")}
		if diff := cmp.Diff(got, want, cmpOpts); diff != "" {
			t.Fatalf("positions after retracting one (-got +want):\n%s", diff)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		s := h.fixture(t)
		wantCode(t, s.RetractPosition(t.Context(), "pos-0000000000000000"), stancegraph.ENOTFOUND)
	})
	t.Run("ErrInvalidID", func(t *testing.T) {
		s := h.fixture(t)
		for _, id := range []string{"../x", "", "pos-' OR 1=1"} {
			wantCode(t, s.RetractPosition(t.Context(), id), stancegraph.EINVALID)
		}
	})
	t.Run("ErrNotFoundTwice", func(t *testing.T) {
		s := h.fixture(t)
		id := fixturePositions()[0].ID
		mustOK(t, s.RetractPosition(t.Context(), id))
		wantCode(t, s.RetractPosition(t.Context(), id), stancegraph.ENOTFOUND)
	})
}

func testPositionsByID(t *testing.T, h *harness) {
	s := h.fixture(t)
	ps := fixturePositions()
	t.Run("OK", func(t *testing.T) {
		got, err := s.PositionsByID(t.Context(), []string{ps[3].ID, "pos-0000000000000000", ps[0].ID})
		mustOK(t, err)
		if diff := cmp.Diff(got, []*stancegraph.Position{ps[3], nil, ps[0]}, cmpOpts); diff != "" {
			t.Fatalf("(-got +want):\n%s", diff)
		}
	})
	t.Run("ErrTooManyIDs", func(t *testing.T) {
		_, err := s.PositionsByID(t.Context(), make([]string, stancegraph.MaxBatchIDs+1))
		wantCode(t, err, stancegraph.EINVALID)
	})
}

// matchPosition is the reference semantics of PositionFilter.
func matchPosition(p *stancegraph.Position, f stancegraph.PositionFilter) bool {
	in := func(id string, ids []string) bool { return len(ids) == 0 || slices.Contains(ids, id) }
	return in(p.ActorID, f.ActorIDs) && in(p.TargetID, f.TargetIDs) && in(p.SourceID, f.SourceIDs) &&
		(f.Stance == "" || p.Stance == f.Stance) &&
		f.Window().Keeps(p.Stated())
}

func testPositions(t *testing.T, h *harness) {
	s := h.fixture(t)
	for _, tc := range []struct {
		name string
		f    stancegraph.PositionFilter
		want int
	}{
		{"All", stancegraph.PositionFilter{}, 9},
		{"Actor", stancegraph.PositionFilter{ActorIDs: []string{"openai"}}, 3},
		{"Actors", stancegraph.PositionFilter{ActorIDs: []string{"openai", "amazon-web-services", "no-such-actor"}}, 5},
		{"Target", stancegraph.PositionFilter{TargetIDs: []string{"trusted-partner-designation"}}, 4},
		{"Targets", stancegraph.PositionFilter{TargetIDs: []string{"us-anchored-ai-consortia", "american-ai-exports-program"}}, 4},
		{"Source", stancegraph.PositionFilter{SourceIDs: []string{"news-article"}}, 4},
		{"Sources", stancegraph.PositionFilter{SourceIDs: []string{"aws-comment", "bsa-comment"}}, 3},
		{"Stance", stancegraph.PositionFilter{Stance: stancegraph.Opposes}, 3},
		{"TargetAndStance", stancegraph.PositionFilter{TargetIDs: []string{"trusted-partner-designation"}, Stance: stancegraph.Supports}, 3},
		{"ActorAndTarget", stancegraph.PositionFilter{ActorIDs: []string{"openai"}, TargetIDs: []string{"trusted-partner-designation"}}, 2},
		{"ActorTargetSource", stancegraph.PositionFilter{ActorIDs: []string{"openai"}, TargetIDs: []string{"trusted-partner-designation"}, SourceIDs: []string{"news-article"}}, 1},
		{"From", stancegraph.PositionFilter{From: "2025-11-28"}, 6},
		{"To", stancegraph.PositionFilter{To: "2025-11-25"}, 3},
		{"FromTo", stancegraph.PositionFilter{From: "2025-11-21", To: "2025-11-28"}, 3},
		{"FromToSameDay", stancegraph.PositionFilter{From: "2025-11-20", To: "2025-11-20"}, 2},
		{"AsOf", stancegraph.PositionFilter{AsOf: "2025-11-27"}, 3},
		{"FromMonth", stancegraph.PositionFilter{From: "2025-12"}, 4},
		{"ToYear", stancegraph.PositionFilter{To: "2025"}, 9},
		{"TargetAndWindow", stancegraph.PositionFilter{TargetIDs: []string{"trusted-partner-designation"}, From: "2025-11-21", To: "2025-11-30"}, 1},
		{"NoMatch", stancegraph.PositionFilter{ActorIDs: []string{"no-such-actor"}}, 0},
		{"Disjoint", stancegraph.PositionFilter{ActorIDs: []string{"anthropic"}, TargetIDs: []string{"trusted-partner-designation"}}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.Positions(t.Context(), tc.f)
			mustOK(t, err)
			want := []*stancegraph.Position{}
			for _, p := range fixturePositions() {
				if matchPosition(p, tc.f) {
					want = append(want, p)
				}
			}
			sortPositions(want)
			if len(want) != tc.want {
				t.Fatalf("the reference filter finds %d positions, the case expects %d", len(want), tc.want)
			}
			if got == nil {
				got = []*stancegraph.Position{}
			}
			if diff := cmp.Diff(got, want, cmpOpts); diff != "" {
				t.Fatalf("(-got +want):\n%s", diff)
			}
		})
	}
	for _, tc := range []struct {
		name string
		f    stancegraph.PositionFilter
	}{
		{"ErrInvalidStance", stancegraph.PositionFilter{Stance: "MAYBE"}},
		{"ErrInvalidFrom", stancegraph.PositionFilter{From: "yesterday"}},
		{"ErrInvalidTo", stancegraph.PositionFilter{To: "2025-02-30"}},
		{"ErrNoYear", stancegraph.PositionFilter{AsOf: "XXXX-12-13"}},
		{"ErrEmptyWindow", stancegraph.PositionFilter{From: "2025-12-01", To: "2025-11-01"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.Positions(t.Context(), tc.f)
			wantCode(t, err, stancegraph.EINVALID)
		})
	}
}

func testRelate(t *testing.T, h *harness) {
	t.Run("OK", func(t *testing.T) {
		s := h.fixture(t)
		r := &stancegraph.Relation{Type: stancegraph.MemberOf, From: "mistral-ai", To: "business-software-alliance"}
		ch, err := s.Relate(t.Context(), r)
		mustOK(t, err)
		if ch != stancegraph.Created {
			t.Fatalf("change = %v, want created", ch)
		}
		got, err := s.Relations(t.Context(), stancegraph.RelationFilter{FromIDs: []string{"mistral-ai"}})
		mustOK(t, err)
		if diff := cmp.Diff(got, []*stancegraph.Relation{{Type: stancegraph.MemberOf, From: "mistral-ai", To: "business-software-alliance"}}, cmpOpts); diff != "" {
			t.Fatalf("(-got +want):\n%s", diff)
		}
	})
	t.Run("Unchanged", func(t *testing.T) {
		s := h.fixture(t)
		for _, r := range Fixture().Relations {
			ch, err := s.Relate(t.Context(), r)
			mustOK(t, err)
			if ch != stancegraph.Unchanged {
				t.Fatalf("relating %s again: change = %v, want unchanged", r.Key(), ch)
			}
		}
	})
	t.Run("Updated", func(t *testing.T) {
		s := h.fixture(t)
		r := &stancegraph.Relation{Type: stancegraph.AffiliatedWith, From: "benjamin-schwartz", To: "business-software-alliance", Role: "staff", Title: "Senior Director of Policy"}
		ch, err := s.Relate(t.Context(), r)
		mustOK(t, err)
		if ch != stancegraph.Updated {
			t.Fatalf("change = %v, want updated", ch)
		}
		got, err := s.Relations(t.Context(), stancegraph.RelationFilter{Types: []stancegraph.RelType{stancegraph.AffiliatedWith}})
		mustOK(t, err)
		if diff := cmp.Diff(got, []*stancegraph.Relation{r}, cmpOpts); diff != "" {
			t.Fatalf("(-got +want):\n%s", diff)
		}
	})
	for _, tc := range []struct {
		name string
		r    stancegraph.Relation
		code string
	}{
		{"ErrFromKind", stancegraph.Relation{Type: stancegraph.MemberOf, From: "department-of-commerce", To: "business-software-alliance"}, stancegraph.EINVALID},
		{"ErrToKind", stancegraph.Relation{Type: stancegraph.PartOf, From: "ita-advocacy-center", To: "openai"}, stancegraph.EINVALID},
		{"ErrConcernsCompany", stancegraph.Relation{Type: stancegraph.Concerns, From: "trusted-partner-designation", To: "openai"}, stancegraph.EINVALID},
		{"ErrSelf", stancegraph.Relation{Type: stancegraph.PartOf, From: "department-of-commerce", To: "department-of-commerce"}, stancegraph.EINVALID},
		{"ErrInvalidType", stancegraph.Relation{Type: "LIKES", From: "openai", To: "anthropic"}, stancegraph.EINVALID},
		{"ErrRoleOnMembership", stancegraph.Relation{Type: stancegraph.MemberOf, From: "mistral-ai", To: "business-software-alliance", Role: "member"}, stancegraph.EINVALID},
		{"ErrInvalidID", stancegraph.Relation{Type: stancegraph.MemberOf, From: "Mistral", To: "business-software-alliance"}, stancegraph.EINVALID},
		{"ErrFromNotFound", stancegraph.Relation{Type: stancegraph.MemberOf, From: "no-such-company", To: "business-software-alliance"}, stancegraph.ENOTFOUND},
		{"ErrToNotFound", stancegraph.Relation{Type: stancegraph.MemberOf, From: "mistral-ai", To: "no-such-association"}, stancegraph.ENOTFOUND},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := h.fixture(t)
			before := dump(t, s)
			r := tc.r
			_, err := s.Relate(t.Context(), &r)
			wantCode(t, err, tc.code)
			if diff := cmp.Diff(dump(t, s), before, cmpOpts); diff != "" {
				t.Fatalf("a refused write changed the store (-got +want):\n%s", diff)
			}
		})
	}
}

func testUnrelate(t *testing.T, h *harness) {
	t.Run("OK", func(t *testing.T) {
		s := h.fixture(t)
		mustOK(t, s.Unrelate(t.Context(), stancegraph.MemberOf, "openai", "business-software-alliance"))
		got, err := s.Relations(t.Context(), stancegraph.RelationFilter{Types: []stancegraph.RelType{stancegraph.MemberOf}})
		mustOK(t, err)
		if diff := cmp.Diff(got, []*stancegraph.Relation{
			{Type: stancegraph.MemberOf, From: "amazon-web-services", To: "business-software-alliance"},
			{Type: stancegraph.MemberOf, From: "anthropic", To: "business-software-alliance"},
		}, cmpOpts); diff != "" {
			t.Fatalf("(-got +want):\n%s", diff)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		s := h.fixture(t)
		wantCode(t, s.Unrelate(t.Context(), stancegraph.MemberOf, "mistral-ai", "business-software-alliance"), stancegraph.ENOTFOUND)
		// The relation exists, in the other direction of another type.
		wantCode(t, s.Unrelate(t.Context(), stancegraph.PartOf, "openai", "business-software-alliance"), stancegraph.ENOTFOUND)
	})
}

func testRelations(t *testing.T, h *harness) {
	s := h.fixture(t)
	for _, tc := range []struct {
		name string
		f    stancegraph.RelationFilter
		want int
	}{
		{"Type", stancegraph.RelationFilter{Types: []stancegraph.RelType{stancegraph.PartOf}}, 3},
		{"Types", stancegraph.RelationFilter{Types: []stancegraph.RelType{stancegraph.Concerns, stancegraph.Proposed}}, 5},
		{"AllTypes", stancegraph.RelationFilter{Types: stancegraph.RelTypes}, len(Fixture().Relations)},
		{"From", stancegraph.RelationFilter{FromIDs: []string{"openai"}}, 3},
		{"Froms", stancegraph.RelationFilter{FromIDs: []string{"openai", "international-trade-administration"}}, 6},
		{"To", stancegraph.RelationFilter{ToIDs: []string{"business-software-alliance"}}, 4},
		{"FromAndTo", stancegraph.RelationFilter{FromIDs: []string{"openai"}, ToIDs: []string{"business-software-alliance"}}, 1},
		{"TypeAndFrom", stancegraph.RelationFilter{Types: []stancegraph.RelType{stancegraph.Published}, FromIDs: []string{"openai", "amazon-web-services"}}, 2},
		{"TypeAndTo", stancegraph.RelationFilter{Types: []stancegraph.RelType{stancegraph.Concerns}, ToIDs: []string{"american-ai-exports-program"}}, 3},
		{"ToProgram", stancegraph.RelationFilter{ToIDs: []string{"american-ai-exports-program"}}, 4},
		{"NoMatch", stancegraph.RelationFilter{FromIDs: []string{"no-such-entity"}}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.Relations(t.Context(), tc.f)
			mustOK(t, err)
			want := []*stancegraph.Relation{}
			for _, r := range Fixture().Relations {
				if (len(tc.f.Types) == 0 || slices.Contains(tc.f.Types, r.Type)) &&
					(len(tc.f.FromIDs) == 0 || slices.Contains(tc.f.FromIDs, r.From)) &&
					(len(tc.f.ToIDs) == 0 || slices.Contains(tc.f.ToIDs, r.To)) {
					want = append(want, r)
				}
			}
			sortRelations(want)
			if len(want) != tc.want {
				t.Fatalf("the reference filter finds %d relations, the case expects %d", len(want), tc.want)
			}
			if got == nil {
				got = []*stancegraph.Relation{}
			}
			if diff := cmp.Diff(got, want, cmpOpts); diff != "" {
				t.Fatalf("(-got +want):\n%s", diff)
			}
		})
	}
	for _, tc := range []struct {
		name string
		f    stancegraph.RelationFilter
	}{
		{"ErrEmptyFilter", stancegraph.RelationFilter{}},
		{"ErrInvalidType", stancegraph.RelationFilter{Types: []stancegraph.RelType{"LIKES"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.Relations(t.Context(), tc.f)
			wantCode(t, err, stancegraph.EINVALID)
		})
	}
}

func testImport(t *testing.T, h *harness) {
	fx := Fixture()
	t.Run("OK", func(t *testing.T) {
		s := h.empty(t)
		res, err := s.Import(t.Context(), Fixture())
		mustOK(t, err)
		want := stancegraph.ImportResult{
			Entities:  stancegraph.Counts{Created: len(fx.Entities)},
			Relations: stancegraph.Counts{Created: len(fx.Relations)},
			Positions: stancegraph.Counts{Created: len(fx.Positions)},
		}
		if diff := cmp.Diff(res, want, cmpOpts); diff != "" {
			t.Fatalf("result (-got +want):\n%s", diff)
		}
		got := dump(t, s)
		wantEntities := slices.Clone(fx.Entities)
		sort.Slice(wantEntities, func(i, j int) bool { return wantEntities[i].ID < wantEntities[j].ID })
		wantRelations := slices.Clone(fx.Relations)
		sortRelations(wantRelations)
		wantPositions := fixturePositions()
		sortPositions(wantPositions)
		if diff := cmp.Diff(got, snapshot{wantEntities, wantRelations, wantPositions}, cmpOpts); diff != "" {
			t.Fatalf("stored graph (-got +want):\n%s", diff)
		}
	})
	t.Run("Twice", func(t *testing.T) {
		s := h.fixture(t)
		before := dump(t, s)
		res, err := s.Import(t.Context(), Fixture())
		mustOK(t, err)
		want := stancegraph.ImportResult{
			Entities:  stancegraph.Counts{Unchanged: len(fx.Entities)},
			Relations: stancegraph.Counts{Unchanged: len(fx.Relations)},
			Positions: stancegraph.Counts{Unchanged: len(fx.Positions)},
		}
		if diff := cmp.Diff(res, want, cmpOpts); diff != "" {
			t.Fatalf("result (-got +want):\n%s", diff)
		}
		if diff := cmp.Diff(dump(t, s), before, cmpOpts); diff != "" {
			t.Fatalf("a second import changed the store (-got +want):\n%s", diff)
		}
	})
	t.Run("Updated", func(t *testing.T) {
		s := h.fixture(t)
		g := Fixture()
		g.Entities[0].Description = "Maker of ChatGPT."
		g.Relations[len(g.Relations)-5].Title = "Vice President"
		g.Positions[0].Quote = "A corrected quote."
		res, err := s.Import(t.Context(), g)
		mustOK(t, err)
		want := stancegraph.ImportResult{
			Entities:  stancegraph.Counts{Updated: 1, Unchanged: len(fx.Entities) - 1},
			Relations: stancegraph.Counts{Updated: 1, Unchanged: len(fx.Relations) - 1},
			Positions: stancegraph.Counts{Updated: 1, Unchanged: len(fx.Positions) - 1},
		}
		if diff := cmp.Diff(res, want, cmpOpts); diff != "" {
			t.Fatalf("result (-got +want):\n%s", diff)
		}
		got, err := s.PositionsByID(t.Context(), []string{g.Positions[0].ID})
		mustOK(t, err)
		if got[0] == nil || got[0].Quote != "A corrected quote." {
			t.Fatalf("position after import = %+v, want the corrected quote", got[0])
		}
	})
	t.Run("ReferencesStored", func(t *testing.T) {
		s := h.fixture(t)
		g := &stancegraph.Graph{
			Entities: []*stancegraph.Entity{{ID: "anthropic-comment", Kind: stancegraph.KindSource, Name: "Anthropic comment", SourceKind: stancegraph.PublicComment, PublishedAt: "2025-11-26"}},
			Relations: []*stancegraph.Relation{
				{Type: stancegraph.Published, From: "anthropic", To: "anthropic-comment"},
				{Type: stancegraph.MemberOf, From: "mistral-ai", To: "business-software-alliance"},
			},
			Positions: []*stancegraph.Position{
				{ActorID: "anthropic", TargetID: "american-ai-exports-program", Stance: stancegraph.Supports, SourceID: "anthropic-comment", StatedAt: "2025-11-26", Strength: 1, Quote: "We support the program."},
				{ActorID: "mistral-ai", TargetID: "full-stack-export-packages", Stance: stancegraph.Opposes, SourceID: "news-article", StatedAt: "2025-12-05", Strength: 2, Quote: "Packages lock partners in."},
			},
		}
		res, err := s.Import(t.Context(), g)
		mustOK(t, err)
		want := stancegraph.ImportResult{Entities: stancegraph.Counts{Created: 1}, Relations: stancegraph.Counts{Created: 2}, Positions: stancegraph.Counts{Created: 2}}
		if diff := cmp.Diff(res, want, cmpOpts); diff != "" {
			t.Fatalf("result (-got +want):\n%s", diff)
		}
		got, err := s.Positions(t.Context(), stancegraph.PositionFilter{ActorIDs: []string{"anthropic", "mistral-ai"}})
		mustOK(t, err)
		if len(got) != 4 {
			t.Fatalf("%d positions of anthropic and mistral-ai, want 4", len(got))
		}
	})
	t.Run("DuplicateEntries", func(t *testing.T) {
		s := h.empty(t)
		g := Fixture()
		g.Entities = append(g.Entities, Fixture().Entities[0])
		g.Relations = append(g.Relations, Fixture().Relations[0])
		g.Positions = append(g.Positions, Fixture().Positions[0])
		res, err := s.Import(t.Context(), g)
		mustOK(t, err)
		want := stancegraph.ImportResult{
			Entities:  stancegraph.Counts{Created: len(fx.Entities), Unchanged: 1},
			Relations: stancegraph.Counts{Created: len(fx.Relations), Unchanged: 1},
			Positions: stancegraph.Counts{Created: len(fx.Positions), Unchanged: 1},
		}
		if diff := cmp.Diff(res, want, cmpOpts); diff != "" {
			t.Fatalf("result (-got +want):\n%s", diff)
		}
	})
	t.Run("Empty", func(t *testing.T) {
		s := h.fixture(t)
		res, err := s.Import(t.Context(), &stancegraph.Graph{})
		mustOK(t, err)
		if diff := cmp.Diff(res, stancegraph.ImportResult{}, cmpOpts); diff != "" {
			t.Fatalf("result (-got +want):\n%s", diff)
		}
	})

	// Each bad graph writes new and changed data first and one bad entry
	// last; the store must be left exactly as it was.
	goodPart := func() *stancegraph.Graph {
		g := Fixture()
		g.Entities[0].Description = "Changed by a failed import."
		g.Entities = append(g.Entities, &stancegraph.Entity{ID: "new-company", Kind: stancegraph.KindCompany, Name: "New Company"})
		g.Relations = append(g.Relations, &stancegraph.Relation{Type: stancegraph.MemberOf, From: "new-company", To: "business-software-alliance"})
		g.Positions[0].Quote = "Changed by a failed import."
		g.Positions = append(g.Positions, &stancegraph.Position{ActorID: "new-company", TargetID: "trusted-partner-designation",
			Stance: stancegraph.Opposes, SourceID: "news-article", StatedAt: "2025-12-05", Strength: 1, Quote: "No."})
		return g
	}
	for _, tc := range []struct {
		name string
		bad  func(g *stancegraph.Graph)
		code string
	}{
		{"ErrInvalidEntity", func(g *stancegraph.Graph) {
			g.Entities = append(g.Entities, &stancegraph.Entity{ID: "Bad Entity", Kind: stancegraph.KindCompany, Name: "Bad"})
		}, stancegraph.EINVALID},
		{"ErrKindConflict", func(g *stancegraph.Graph) {
			g.Entities = append(g.Entities, &stancegraph.Entity{ID: "anthropic", Kind: stancegraph.KindAgency, Name: "Anthropic"})
		}, stancegraph.ECONFLICT},
		{"ErrRelationKinds", func(g *stancegraph.Graph) {
			g.Relations = append(g.Relations, &stancegraph.Relation{Type: stancegraph.MemberOf, From: "department-of-commerce", To: "business-software-alliance"})
		}, stancegraph.EINVALID},
		{"ErrRelationNotFound", func(g *stancegraph.Graph) {
			g.Relations = append(g.Relations, &stancegraph.Relation{Type: stancegraph.MemberOf, From: "no-such-company", To: "business-software-alliance"})
		}, stancegraph.ENOTFOUND},
		{"ErrPositionSourceNotFound", func(g *stancegraph.Graph) {
			g.Positions = append(g.Positions, &stancegraph.Position{ActorID: "openai", TargetID: "trusted-partner-designation",
				Stance: stancegraph.Opposes, SourceID: "no-such-source", StatedAt: "2025-12-05", Strength: 1, Quote: "No."})
		}, stancegraph.ENOTFOUND},
		{"ErrPositionInvalid", func(g *stancegraph.Graph) {
			g.Positions = append(g.Positions, &stancegraph.Position{ActorID: "openai", TargetID: "trusted-partner-designation",
				Stance: stancegraph.Opposes, SourceID: "news-article", StatedAt: "2025-12-05", Strength: 1})
		}, stancegraph.EINVALID},
		{"ErrPositionTargetKind", func(g *stancegraph.Graph) {
			g.Positions = append(g.Positions, &stancegraph.Position{ActorID: "openai", TargetID: "anthropic",
				Stance: stancegraph.Opposes, SourceID: "news-article", StatedAt: "2025-12-05", Strength: 1, Quote: "No."})
		}, stancegraph.EINVALID},
	} {
		t.Run("AllOrNothing/"+tc.name, func(t *testing.T) {
			s := h.fixture(t)
			before := dump(t, s)
			g := goodPart()
			tc.bad(g)
			_, err := s.Import(t.Context(), g)
			wantCode(t, err, tc.code)
			if diff := cmp.Diff(dump(t, s), before, cmpOpts); diff != "" {
				t.Fatalf("a failed import changed the store (-got +want):\n%s", diff)
			}
		})
	}
	t.Run("AllOrNothing/ErrKindConflictStored", func(t *testing.T) {
		s := h.fixture(t)
		before := dump(t, s)
		g := &stancegraph.Graph{Entities: []*stancegraph.Entity{
			{ID: "new-company", Kind: stancegraph.KindCompany, Name: "New Company"},
			{ID: "anthropic", Kind: stancegraph.KindAgency, Name: "Anthropic"},
		}}
		_, err := s.Import(t.Context(), g)
		wantCode(t, err, stancegraph.ECONFLICT)
		if diff := cmp.Diff(dump(t, s), before, cmpOpts); diff != "" {
			t.Fatalf("a failed import changed the store (-got +want):\n%s", diff)
		}
	})
	t.Run("AllOrNothing/IntoEmpty", func(t *testing.T) {
		s := h.empty(t)
		g := Fixture()
		g.Positions = append(g.Positions, &stancegraph.Position{ActorID: "openai", TargetID: "trusted-partner-designation",
			Stance: stancegraph.Opposes, SourceID: "no-such-source", StatedAt: "2025-12-05", Strength: 1, Quote: "No."})
		_, err := s.Import(t.Context(), g)
		wantCode(t, err, stancegraph.ENOTFOUND)
		if snap := dump(t, s); len(snap.Entities)+len(snap.Relations)+len(snap.Positions) != 0 {
			t.Fatalf("a failed import into an empty store wrote %d entities, %d relations, %d positions",
				len(snap.Entities), len(snap.Relations), len(snap.Positions))
		}
	})
}

func testSearch(t *testing.T, h *harness) {
	s := h.fixture(t)
	pos := func(actor, target string, stance stancegraph.Stance, source string) string {
		return stancegraph.PositionID(actor, target, stance, source)
	}
	var (
		openaiTrusted   = pos("openai", "trusted-partner-designation", stancegraph.Supports, "openai-comment")
		openaiInterview = pos("openai", "trusted-partner-designation", stancegraph.Supports, "news-article")
		openaiProgram   = pos("openai", "american-ai-exports-program", stancegraph.Supports, "openai-comment")
		awsTrusted      = pos("amazon-web-services", "trusted-partner-designation", stancegraph.Supports, "aws-comment")
		mistralEurope   = pos("mistral-ai", "trusted-partner-designation", stancegraph.Opposes, "news-article")
	)
	programs := []stancegraph.Kind{stancegraph.KindProgram}
	for _, tc := range []struct {
		name  string
		query string
		f     stancegraph.SearchFilter
		want  []string // the ids of the matched set, in any order
		top   string   // the best hit, if it is pinned down
		last  string   // the worst hit, if it is pinned down
	}{
		{name: "ExactName", query: "OpenAI", want: []string{"openai", "openai-comment", openaiInterview}, top: "openai"},
		{name: "ExactAlias", query: "aws", want: []string{"amazon-web-services", "aws-comment", awsTrusted}, top: "amazon-web-services"},
		{name: "ExactAliasFirst", query: "ITA", want: []string{"international-trade-administration", "ita-advocacy-center", "ita-rfi"},
			top: "international-trade-administration"},
		{name: "ExactNameFirst", query: "american ai exports program",
			want: []string{"american-ai-exports-program", "ita-rfi", openaiProgram}, top: "american-ai-exports-program", last: openaiProgram},
		{name: "Words", query: "trusted partner", want: []string{"trusted-partner-designation", openaiTrusted, awsTrusted},
			top: "trusted-partner-designation"},
		{name: "WordsAnyOrder", query: "commerce department", want: []string{"department-of-commerce"}},
		{name: "Prefixes", query: "inter trade", want: []string{"international-trade-administration"}},
		{name: "Punctuation", query: "us-anchored", want: []string{"us-anchored-ai-consortia"}},
		{name: "AliasWords", query: "software the", want: []string{"business-software-alliance"}},
		{name: "NameAndAliasWords", query: "bsa business", want: []string{"business-software-alliance"}},
		{name: "CaseInsensitive", query: "MISTRAL", want: []string{"mistral-ai"}},
		{name: "SummaryHit", query: "chips", want: []string{"full-stack-export-packages"}},
		{name: "NameAndSummaryWords", query: "consortia firms", want: []string{"us-anchored-ai-consortia"}},
		{name: "QuoteHit", query: "interviews", want: []string{openaiInterview}},
		{name: "NameAboveQuotes", query: "designation",
			want: []string{"trusted-partner-designation", openaiTrusted, openaiInterview, mistralEurope}, top: "trusted-partner-designation"},
		{name: "NameAboveSummary", query: "exports", f: stancegraph.SearchFilter{EntitiesOnly: true},
			want: []string{"american-ai-exports-program", "ita-rfi", "openai-comment", "bsa-comment", "aws-comment", "news-article",
				"trusted-partner-designation"},
			top: "american-ai-exports-program", last: "trusted-partner-designation"},
		{name: "EntitiesOnly", query: "designation", f: stancegraph.SearchFilter{EntitiesOnly: true},
			want: []string{"trusted-partner-designation"}},
		{name: "KindsLeavePositions", query: "american", f: stancegraph.SearchFilter{Kinds: programs},
			want: []string{"american-ai-exports-program", openaiProgram}, top: "american-ai-exports-program"},
		{name: "Kinds", query: "american", f: stancegraph.SearchFilter{Kinds: programs, EntitiesOnly: true},
			want: []string{"american-ai-exports-program"}},
		{name: "KindsSeveral", query: "american",
			f:    stancegraph.SearchFilter{Kinds: []stancegraph.Kind{stancegraph.KindProgram, stancegraph.KindSource}, EntitiesOnly: true},
			want: []string{"american-ai-exports-program", "eo-14320", "ita-rfi"}},
		{name: "NotAPrefix", query: "rusted", want: []string{}},
		{name: "NotEveryWord", query: "openai zebra", want: []string{}},
		{name: "NotEveryWordOfAQuote", query: "interviews zebra", want: []string{}},
		{name: "NoWords", query: " -- ", want: []string{}},
		{name: "Empty", query: "", want: []string{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			hits, err := s.Search(t.Context(), tc.query, tc.f)
			mustOK(t, err)
			got := searchIDs(t, hits)
			if tc.top != "" && (len(got) == 0 || got[0] != tc.top) {
				t.Errorf("top hit of %v, want %s", got, tc.top)
			}
			if tc.last != "" && (len(got) == 0 || got[len(got)-1] != tc.last) {
				t.Errorf("last hit of %v, want %s", got, tc.last)
			}
			sort.Strings(got)
			want := slices.Clone(tc.want)
			sort.Strings(want)
			if diff := cmp.Diff(got, want, cmpOpts); diff != "" {
				t.Errorf("matched set (-got +want):\n%s", diff)
			}
		})
	}
	t.Run("FullEntity", func(t *testing.T) {
		hits, err := s.Search(t.Context(), "benjamin", stancegraph.SearchFilter{EntitiesOnly: true})
		mustOK(t, err)
		if len(hits) != 1 {
			t.Fatalf("%d hits, want 1", len(hits))
		}
		if diff := cmp.Diff(hits[0].Entity, fixtureEntity("benjamin-schwartz"), cmpOpts); diff != "" {
			t.Fatalf("(-got +want):\n%s", diff)
		}
	})
	t.Run("FullPosition", func(t *testing.T) {
		hits, err := s.Search(t.Context(), "interviews", stancegraph.SearchFilter{})
		mustOK(t, err)
		if len(hits) != 1 || hits[0].Entity != nil {
			t.Fatalf("hits %v, want one position", searchIDs(t, hits))
		}
		want := fixturePosition("openai", "trusted-partner-designation", stancegraph.Supports, "news-article")
		if diff := cmp.Diff(hits[0].Position, want, cmpOpts); diff != "" {
			t.Fatalf("(-got +want):\n%s", diff)
		}
	})
	t.Run("Limit", func(t *testing.T) {
		all, err := s.Search(t.Context(), "a", stancegraph.SearchFilter{})
		mustOK(t, err)
		if len(all) < 3 {
			t.Fatalf("%d hits for \"a\", want several", len(all))
		}
		hits, err := s.Search(t.Context(), "a", stancegraph.SearchFilter{Limit: 2})
		mustOK(t, err)
		if diff := cmp.Diff(searchIDs(t, hits), searchIDs(t, all[:2])); diff != "" {
			t.Fatalf("hits with limit 2 are not the best 2 (-got +want):\n%s", diff)
		}
	})
	t.Run("AfterWrites", func(t *testing.T) {
		s := h.fixture(t)
		count := func(query string) int {
			t.Helper()
			hits, err := s.Search(t.Context(), query, stancegraph.SearchFilter{})
			mustOK(t, err)
			return len(hits)
		}
		e := fixtureEntity("mistral-ai")
		e.Name, e.Aliases = "Mistral", []string{"Mistral AI SAS"}
		_, err := s.UpsertEntity(t.Context(), e)
		mustOK(t, err)
		for query, want := range map[string]int{"sas": 1, "mistral ai": 1, "mist": 1, "european": 1} {
			if got := count(query); got != want {
				t.Errorf("Search(%q) has %d hits, want %d", query, got, want)
			}
		}
		mustOK(t, s.DeleteEntity(t.Context(), "mistral-ai"))
		if got := count("mistral"); got != 0 {
			t.Errorf("a deleted entity is still found")
		}
		if got := count("european"); got != 0 {
			t.Errorf("the quote of a position deleted with its actor is still found")
		}

		p := fixturePosition("openai", "trusted-partner-designation", stancegraph.Supports, "news-article")
		mustOK(t, s.RetractPosition(t.Context(), p.ID))
		if got := count("interviews"); got != 0 {
			t.Errorf("the quote of a retracted position is still found")
		}
		p.Quote = "OpenAI repeated its support on a podcast."
		_, err = s.RecordPosition(t.Context(), p)
		mustOK(t, err)
		if got := count("podcast"); got != 1 {
			t.Errorf("Search(\"podcast\") has %d hits, want the recorded quote", got)
		}
		p.Quote = "OpenAI repeated its support on television."
		_, err = s.RecordPosition(t.Context(), p)
		mustOK(t, err)
		if got, got2 := count("podcast"), count("television"); got != 0 || got2 != 1 {
			t.Errorf("after a quote changed, the old one has %d hits, the new one %d; want 0 and 1", got, got2)
		}

		prop := fixtureEntity("full-stack-export-packages")
		prop.Summary = "Sell turnkey stacks."
		_, err = s.UpsertEntity(t.Context(), prop)
		mustOK(t, err)
		if got, got2 := count("chips"), count("turnkey"); got != 0 || got2 != 1 {
			t.Errorf("after a summary changed, the old one has %d hits, the new one %d; want 0 and 1", got, got2)
		}
	})
	t.Run("AfterImport", func(t *testing.T) {
		s := h.empty(t)
		_, err := s.Import(t.Context(), Fixture())
		mustOK(t, err)
		hits, err := s.Search(t.Context(), "trusted partner", stancegraph.SearchFilter{})
		mustOK(t, err)
		if len(hits) != 3 {
			t.Errorf("Search(\"trusted partner\") after an import has %v, want 3 hits", searchIDs(t, hits))
		}
	})
	t.Run("ErrLimitTooLarge", func(t *testing.T) {
		_, err := s.Search(t.Context(), "openai", stancegraph.SearchFilter{Limit: stancegraph.MaxPageSize + 1})
		wantCode(t, err, stancegraph.EINVALID)
	})
	t.Run("ErrInvalidKind", func(t *testing.T) {
		_, err := s.Search(t.Context(), "openai", stancegraph.SearchFilter{Kinds: []stancegraph.Kind{"ROBOT"}})
		wantCode(t, err, stancegraph.EINVALID)
	})
}

// searchIDs returns the ids of hits in order, checking that each hit is
// one entity or one position, scored in (0, 1] and no better than the one
// before it.
func searchIDs(t *testing.T, hits []stancegraph.SearchHit) []string {
	t.Helper()
	ids := []string{}
	for i, hit := range hits {
		if (hit.Entity == nil) == (hit.Position == nil) {
			t.Fatalf("hit %d has %v and %v, want one entity or one position", i, hit.Entity, hit.Position)
		}
		ids = append(ids, hit.ID())
		if !(hit.Score > 0 && hit.Score <= 1) {
			t.Errorf("hit %s scores %v, want a score in (0, 1]", hit.ID(), hit.Score)
		}
		if i > 0 && hit.Score > hits[i-1].Score {
			t.Errorf("hit %s scores %v, more than the hit before it (%v)", hit.ID(), hit.Score, hits[i-1].Score)
		}
	}
	return ids
}

func testPing(t *testing.T, h *harness) {
	t.Run("OK", func(t *testing.T) {
		mustOK(t, h.empty(t).Ping(t.Context()))
	})
	t.Run("ErrClosed", func(t *testing.T) {
		s := h.empty(t)
		mustOK(t, s.Close())
		if err := s.Ping(t.Context()); err == nil {
			t.Fatal("Ping on a closed store succeeded")
		}
	})
}

func testCancelledContext(t *testing.T, h *harness) {
	s := h.fixture(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	p := newPosition()
	for _, tc := range []struct {
		name string
		call func(ctx context.Context) error
	}{
		{"UpsertEntity", func(ctx context.Context) error {
			_, err := s.UpsertEntity(ctx, &stancegraph.Entity{ID: "acme", Kind: stancegraph.KindCompany, Name: "Acme"})
			return err
		}},
		{"Entities", func(ctx context.Context) error { _, err := s.Entities(ctx, []string{"openai"}); return err }},
		{"FindEntities", func(ctx context.Context) error {
			_, _, err := s.FindEntities(ctx, stancegraph.EntityFilter{})
			return err
		}},
		{"DeleteEntity", func(ctx context.Context) error { return s.DeleteEntity(ctx, "mistral-ai") }},
		{"Search", func(ctx context.Context) error {
			_, err := s.Search(ctx, "openai", stancegraph.SearchFilter{})
			return err
		}},
		{"RecordPosition", func(ctx context.Context) error { _, err := s.RecordPosition(ctx, p); return err }},
		{"RetractPosition", func(ctx context.Context) error { return s.RetractPosition(ctx, fixturePositions()[0].ID) }},
		{"PositionsByID", func(ctx context.Context) error {
			_, err := s.PositionsByID(ctx, []string{fixturePositions()[0].ID})
			return err
		}},
		{"Positions", func(ctx context.Context) error { _, err := s.Positions(ctx, stancegraph.PositionFilter{}); return err }},
		{"Read", func(ctx context.Context) error {
			_, err := s.Read(ctx, &stancegraph.Plan{Roots: []*stancegraph.RootQuery{{IDs: []string{"openai"}}}})
			return err
		}},
		{"PositionEvents", func(ctx context.Context) error { _, _, err := s.PositionEvents(ctx, 0, 1); return err }},
		{"Relate", func(ctx context.Context) error {
			_, err := s.Relate(ctx, &stancegraph.Relation{Type: stancegraph.MemberOf, From: "mistral-ai", To: "business-software-alliance"})
			return err
		}},
		{"Unrelate", func(ctx context.Context) error {
			return s.Unrelate(ctx, stancegraph.MemberOf, "openai", "business-software-alliance")
		}},
		{"Relations", func(ctx context.Context) error {
			_, err := s.Relations(ctx, stancegraph.RelationFilter{Types: stancegraph.RelTypes})
			return err
		}},
		{"Import", func(ctx context.Context) error { _, err := s.Import(ctx, Fixture()); return err }},
		{"Ping", func(ctx context.Context) error { return s.Ping(ctx) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := dump(t, s)
			if err := tc.call(ctx); err == nil {
				t.Fatal("call with a cancelled context succeeded")
			}
			if diff := cmp.Diff(dump(t, s), before, cmpOpts); diff != "" {
				t.Fatalf("a cancelled call changed the store (-got +want):\n%s", diff)
			}
		})
	}
}

func testConcurrency(t *testing.T, h *harness) {
	s := h.fixture(t)
	ctx := t.Context()
	const writers, perWriter, readers = 4, 10, 4
	var wg, readWG sync.WaitGroup
	done := make(chan struct{})
	for r := range readers {
		readWG.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-done:
					return
				default:
				}
				var err error
				switch (r + i) % 5 {
				case 0:
					_, err = s.Positions(ctx, stancegraph.PositionFilter{TargetIDs: []string{"trusted-partner-designation"}})
				case 1:
					_, _, err = s.FindEntities(ctx, stancegraph.EntityFilter{NameContains: "comment"})
				case 2:
					_, err = s.Search(ctx, "concurrent source", stancegraph.SearchFilter{Limit: 10})
				case 3:
					_, err = s.Relations(ctx, stancegraph.RelationFilter{FromIDs: []string{"openai"}})
				default:
					_, err = s.Entities(ctx, []string{"openai", "concurrent-source-0-0"})
				}
				if err != nil {
					t.Errorf("reader %d: %v", r, err)
					return
				}
			}
		})
	}
	var mu sync.Mutex
	var written []string
	for w := range writers {
		wg.Go(func() {
			for i := range perWriter {
				src := &stancegraph.Entity{ID: fmt.Sprintf("concurrent-source-%d-%d", w, i), Kind: stancegraph.KindSource,
					Name: fmt.Sprintf("Concurrent source %d %d", w, i), SourceKind: stancegraph.OtherSource}
				if _, err := s.UpsertEntity(ctx, src); err != nil {
					t.Errorf("writer %d: %v", w, err)
					return
				}
				p := &stancegraph.Position{ActorID: "openai", TargetID: "trusted-partner-designation", Stance: stancegraph.Supports,
					SourceID: src.ID, StatedAt: "2026-01-01", Quote: fmt.Sprintf("Statement %d of writer %d.", i, w)}
				if _, err := s.RecordPosition(ctx, p); err != nil {
					t.Errorf("writer %d: %v", w, err)
					return
				}
				mu.Lock()
				written = append(written, p.ID)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	close(done)
	readWG.Wait()
	got, err := s.PositionsByID(ctx, written)
	mustOK(t, err)
	if diff := cmp.Diff(positionIDs(got), written, cmpOpts); diff != "" {
		t.Fatalf("written positions (-got +want):\n%s", diff)
	}
	if len(written) != writers*perWriter {
		t.Fatalf("%d positions written, want %d", len(written), writers*perWriter)
	}
	hits, err := s.Search(ctx, "concurrent source", stancegraph.SearchFilter{Kinds: []stancegraph.Kind{stancegraph.KindSource}, Limit: stancegraph.MaxPageSize})
	mustOK(t, err)
	if len(hits) != writers*perWriter {
		t.Fatalf("search finds %d of the %d sources written", len(hits), writers*perWriter)
	}
}

// The domain's Equal methods do not take nil and report no detail, so the
// suite compares entities and positions field by field.
type (
	entityFields   stancegraph.Entity
	positionFields stancegraph.Position
)

var cmpOpts = cmp.Options{
	cmp.Transformer("fields", func(e *stancegraph.Entity) *entityFields { return (*entityFields)(e) }),
	cmp.Transformer("fields", func(p *stancegraph.Position) *positionFields { return (*positionFields)(p) }),
}
