package ingest_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/ingest"
)

// fakeStored is an ingest.Stored over maps that records which lookups
// Prepare made.
type fakeStored struct {
	entities map[string]*stancegraph.Entity
	external map[string]string // key -> entity id
	parents  map[string]string
	calls    []string
}

func newFakeStored(es ...*stancegraph.Entity) *fakeStored {
	f := &fakeStored{entities: map[string]*stancegraph.Entity{}, external: map[string]string{}, parents: map[string]string{}}
	for _, e := range es {
		f.entities[e.ID] = e
		for _, k := range e.ExternalKeys() {
			f.external[k] = e.ID
		}
	}
	return f
}

func (f *fakeStored) Entities(_ context.Context, ids []string) ([]*stancegraph.Entity, error) {
	f.calls = append(f.calls, "entities")
	out := make([]*stancegraph.Entity, len(ids))
	for i, id := range ids {
		out[i] = f.entities[id]
	}
	return out, nil
}

func (f *fakeStored) External(_ context.Context, xs []stancegraph.ExternalID) ([]*stancegraph.Entity, error) {
	f.calls = append(f.calls, "external")
	out := make([]*stancegraph.Entity, len(xs))
	for i, x := range xs {
		out[i] = f.entities[f.external[x.Key()]]
	}
	return out, nil
}

func (f *fakeStored) Parents(_ context.Context, ids []string) ([]string, error) {
	f.calls = append(f.calls, "parents")
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = f.parents[id]
	}
	return out, nil
}

func agency(id string) *stancegraph.Entity {
	return &stancegraph.Entity{ID: id, Kind: stancegraph.KindAgency, Name: id}
}

func partOf(from, to string) *stancegraph.Relation {
	return &stancegraph.Relation{Type: stancegraph.PartOf, From: from, To: to}
}

// Prepare merges by external id, normalises and resolves, and returns the
// entries to write; run again on its own output it returns the same plan.
func TestPrepare_OK(t *testing.T) {
	stored := company("openai")
	stored.ExternalIDs = []stancegraph.ExternalID{{Scheme: "wikidata", Value: "Q1"}}
	st := newFakeStored(stored, proposal("consortia"), source("article"), agency("commerce"))
	g := &stancegraph.Graph{
		Entities: []*stancegraph.Entity{
			{ID: "open-ai", Kind: stancegraph.KindCompany, Name: "OpenAI", ExternalIDs: stored.ExternalIDs},
			agency("ita"),
		},
		Relations: []*stancegraph.Relation{partOf("ita", "commerce")},
		Positions: []*stancegraph.Position{supports("open-ai", "consortia", "article")},
	}
	plan, err := ingest.Prepare(context.Background(), g, st)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(st.calls, ","); got != "external,entities,parents" {
		t.Errorf("lookups = %s, want external,entities,parents", got)
	}
	want := &ingest.Plan{
		Entities: []*stancegraph.Entity{
			{ID: "openai", Kind: stancegraph.KindCompany, Name: "OpenAI", ExternalIDs: stored.ExternalIDs},
			agency("ita"),
		},
		Relations: []*stancegraph.Relation{partOf("ita", "commerce")},
		Positions: []*stancegraph.Position{{ID: stancegraph.PositionID("openai", "consortia", stancegraph.Supports, "article"),
			ActorID: "openai", TargetID: "consortia", Stance: stancegraph.Supports, Strength: 1, Quote: "we support it", SourceID: "article", StatedAt: "2025-12-13"}},
	}
	if diff := cmp.Diff(plan, want); diff != "" {
		t.Fatalf("plan (-got +want):\n%s", diff)
	}
	again, err := ingest.Prepare(context.Background(), g, st)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(again, want); diff != "" {
		t.Errorf("plan of a second run (-got +want):\n%s", diff)
	}
}

// Each step that finds problems ends the checks: later steps neither run
// nor read the store.
func TestPrepare_StopsAtTheFirstStepWithProblems(t *testing.T) {
	stored := company("openai")
	stored.ExternalIDs = []stancegraph.ExternalID{{Scheme: "wikidata", Value: "Q1"}}
	badPosition := &stancegraph.Position{ActorID: "openai", TargetID: "consortia", Stance: stancegraph.Supports, SourceID: "article", StatedAt: "2025-12-13"}
	for _, tc := range []struct {
		name  string
		g     *stancegraph.Graph
		calls string
		want  string // code and message
	}{
		{"Nil", nil, "", "INVALID no graph to import"},
		{"Entries", &stancegraph.Graph{Positions: []*stancegraph.Position{nil}, Relations: []*stancegraph.Relation{partOf("a", "a")}}, "",
			"INVALID 1 problem(s) in the import; nothing was written; positions[0]: empty entry"},
		{"ExternalIDs", &stancegraph.Graph{
			Entities:  []*stancegraph.Entity{{ID: "open-ai", Kind: stancegraph.KindAgency, Name: "OpenAI", ExternalIDs: stored.ExternalIDs}},
			Positions: []*stancegraph.Position{badPosition},
		}, "external", `CONFLICT 1 problem(s) in the import; nothing was written; entities[0] "open-ai": externalIds: wikidata:Q1 names "openai", a COMPANY, not a AGENCY`},
		{"Check", &stancegraph.Graph{
			Entities:  []*stancegraph.Entity{agency("ita"), agency("commerce"), agency("state")},
			Relations: []*stancegraph.Relation{partOf("ita", "commerce"), partOf("ita", "state")},
			Positions: []*stancegraph.Position{badPosition},
		}, "entities", "INVALID 1 problem(s) in the import; nothing was written; positions[0] openai SUPPORTS consortia: quote: quote is required: every position carries its evidence"},
		{"Hierarchy", &stancegraph.Graph{
			Entities:  []*stancegraph.Entity{agency("ita"), agency("commerce"), agency("state")},
			Relations: []*stancegraph.Relation{partOf("ita", "commerce"), partOf("ita", "state")},
		}, "entities,parents", `CONFLICT 1 problem(s) in the import; nothing was written; relations[1] PART_OF ita->state: to: "ita" is already PART_OF "commerce": an entity has at most one parent (unrelate it first)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := newFakeStored(stored, proposal("consortia"), source("article"))
			plan, err := ingest.Prepare(context.Background(), tc.g, st)
			if plan != nil {
				t.Errorf("plan = %+v, want none", plan)
			}
			if got := stancegraph.ErrorCode(err) + " " + stancegraph.ErrorMessage(err); got != tc.want {
				t.Errorf("error = %s\nwant    %s", got, tc.want)
			}
			if got := strings.Join(st.calls, ","); got != tc.calls {
				t.Errorf("lookups = %q, want %q", got, tc.calls)
			}
		})
	}
}

// verdict is the change a check allows, or code|field|message of its
// refusal.
func verdict(ch stancegraph.Change, err error) string {
	if err != nil {
		return stancegraph.ErrorCode(err) + "|" + stancegraph.ErrorField(err) + "|" + stancegraph.ErrorMessage(err)
	}
	return ch.String()
}

func TestEntityChange(t *testing.T) {
	openai := company("openai")
	openai.ExternalIDs = []stancegraph.ExternalID{{Scheme: "wikidata", Value: "Q1"}}
	st := newFakeStored(openai, company("anthropic"))
	updated := company("openai")
	updated.Description = "Makes models."
	taken := company("anthropic")
	taken.ExternalIDs = openai.ExternalIDs
	for _, tc := range []struct {
		name string
		e    *stancegraph.Entity
		old  *stancegraph.Entity
		want string // change or code|field|message
	}{
		{"Created", company("new"), nil, "created"},
		{"Unchanged", openai, openai, "unchanged"},
		{"Updated", updated, openai, "updated"},
		{"ErrKind", agency("openai"), openai, `CONFLICT|kind|id "openai" is stored as a COMPANY, not a AGENCY`},
		{"ErrExternalID", taken, company("anthropic"), `CONFLICT|externalIds|wikidata:Q1 already names "openai"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, err := ingest.Entity(tc.e)
			if err != nil {
				t.Fatal(err)
			}
			if got := verdict(ingest.EntityChange(context.Background(), e, tc.old, st.External)); got != tc.want {
				t.Errorf("EntityChange = %s, want %s", got, tc.want)
			}
		})
	}
}

func TestRelationChange(t *testing.T) {
	st := newFakeStored()
	st.parents["ita"] = "commerce"
	commerce, ita, state := agency("commerce"), agency("ita"), agency("state")
	for _, tc := range []struct {
		name     string
		r        *stancegraph.Relation
		from, to *stancegraph.Entity
		old      *stancegraph.Relation
		want     string
	}{
		{"Created", partOf("state", "commerce"), state, commerce, nil, "created"},
		{"Unchanged", partOf("ita", "commerce"), ita, commerce, partOf("ita", "commerce"), "unchanged"},
		{"Updated", &stancegraph.Relation{Type: stancegraph.PartOf, From: "ita", To: "commerce", StatedAt: "2025"}, ita, commerce, partOf("ita", "commerce"), "updated"},
		{"ErrNotFound", partOf("state", "commerce"), nil, commerce, nil, `NOT_FOUND||PART_OF relation: entity "state" not found`},
		{"ErrSecondParent", partOf("ita", "state"), ita, state, nil, `CONFLICT|to|"ita" is already PART_OF "commerce": an entity has at most one parent (unrelate it first)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := ingest.Relation(tc.r)
			if err != nil {
				t.Fatal(err)
			}
			if got := verdict(ingest.RelationChange(context.Background(), r, tc.from, tc.to, nil, tc.old, st.Parents)); got != tc.want {
				t.Errorf("RelationChange = %s, want %s", got, tc.want)
			}
		})
	}
}

func TestUnrelate(t *testing.T) {
	for _, tc := range []struct {
		typ      stancegraph.RelType
		from, to string
		want     string // "" or code|field
	}{
		{stancegraph.PartOf, "ita", "commerce", ""},
		{"LIKES", "ita", "commerce", "INVALID|type"},
		{stancegraph.PartOf, "", "commerce", "INVALID|from"},
		{stancegraph.PartOf, "ita", "Commerce", "INVALID|to"},
	} {
		err := ingest.Unrelate(tc.typ, tc.from, tc.to)
		got := ""
		if err != nil {
			got = stancegraph.ErrorCode(err) + "|" + stancegraph.ErrorField(err)
		}
		if got != tc.want {
			t.Errorf("Unrelate(%s, %q, %q) = %v, want %s", tc.typ, tc.from, tc.to, err, tc.want)
		}
	}
}
