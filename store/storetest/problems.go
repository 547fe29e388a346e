package storetest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stancegraph/stancegraph"
)

// refusal is an error as a user sees it: its code, the field it names and
// its message. The cases below pin all three, so that every backend refuses
// the same input with the same words.
type refusal struct {
	Code, Field, Message string
}

func refusalOf(err error) refusal {
	return refusal{stancegraph.ErrorCode(err), stancegraph.ErrorField(err), stancegraph.ErrorMessage(err)}
}

// problems is the refusal of an import with the given problems, the first
// of which has the code.
func problems(code string, ps ...string) refusal {
	return refusal{Code: code, Message: fmt.Sprintf("%d problem(s) in the import; nothing was written; %s", len(ps), strings.Join(ps, "; "))}
}

// testImportProblems imports graphs holding each kind of problem an import
// is refused for and checks the whole problems list, word for word, and
// that nothing was written.
func testImportProblems(t *testing.T, h *harness) {
	s := h.fixture(t)
	ctx := t.Context()
	// Two stored entities known by external ids, for the merge step.
	for _, e := range []*stancegraph.Entity{fixtureEntity("openai"), fixtureEntity("anthropic")} {
		e.ExternalIDs = []stancegraph.ExternalID{{Scheme: "wikidata", Value: "Q-" + e.ID}}
		_, err := s.UpsertEntity(ctx, e)
		mustOK(t, err)
	}
	before := dump(t, s)
	company := func(id, name string) *stancegraph.Entity {
		return &stancegraph.Entity{ID: id, Kind: stancegraph.KindCompany, Name: name}
	}
	agency := func(id string) *stancegraph.Entity {
		return &stancegraph.Entity{ID: id, Kind: stancegraph.KindAgency, Name: id}
	}
	position := func(actor, target, src, quote string) *stancegraph.Position {
		return &stancegraph.Position{ActorID: actor, TargetID: target, Stance: stancegraph.Opposes, SourceID: src, StatedAt: "2025-12-05", Quote: quote}
	}
	for _, tc := range []struct {
		name string
		g    *stancegraph.Graph
		want refusal
	}{
		{"Entries", &stancegraph.Graph{
			Entities:  []*stancegraph.Entity{company("new-company", "New Company"), nil},
			Relations: []*stancegraph.Relation{nil},
		}, problems(stancegraph.EINVALID, "entities[1]: empty entry", "relations[0]: empty entry")},
		{"ExternalIDs", &stancegraph.Graph{
			Entities: []*stancegraph.Entity{
				{ID: "both", Kind: stancegraph.KindCompany, Name: "Both", ExternalIDs: []stancegraph.ExternalID{{Scheme: "wikidata", Value: "Q-openai"}, {Scheme: "wikidata", Value: "Q-anthropic"}}},
				{ID: "open-agency", Kind: stancegraph.KindAgency, Name: "Open Agency", ExternalIDs: []stancegraph.ExternalID{{Scheme: "wikidata", Value: "Q-openai"}}},
			},
		}, problems(stancegraph.ECONFLICT,
			`entities[0] "both": externalIds: its external ids name two entities, "openai" and "anthropic"`,
			`entities[1] "open-agency": externalIds: wikidata:Q-openai names "openai", a COMPANY, not a AGENCY`)},
		{"Entries and references", &stancegraph.Graph{
			Entities: []*stancegraph.Entity{
				company("Bad Entity", "Bad"),
				company("new-company", "New Company"),
				company("new-company", "New Company, renamed"),
				{ID: "anthropic", Kind: stancegraph.KindAgency, Name: "Anthropic"},
				{ID: "mistral-ai", Kind: stancegraph.KindAgency, Name: "Mistral AI"},
			},
			Relations: []*stancegraph.Relation{
				{Type: "LIKES", From: "openai", To: "anthropic"},
				{Type: stancegraph.MemberOf, From: "department-of-commerce", To: "business-software-alliance"},
				{Type: stancegraph.MemberOf, From: "no-such-company", To: "business-software-alliance"},
				{Type: stancegraph.AffiliatedWith, From: "benjamin-schwartz", To: "openai", Quote: "Joins OpenAI.", SourceID: "no-such-source"},
			},
			Positions: []*stancegraph.Position{
				position("openai", "trusted-partner-designation", "news-article", ""),
				position("openai", "trusted-partner-designation", "no-such-source", "No."),
				position("openai", "anthropic", "news-article", "No."),
				position("openai", "us-anchored-ai-consortia", "news-article", "No."),
				position("openai", "us-anchored-ai-consortia", "news-article", "No, said twice."),
				{ActorID: "openai", TargetID: "us-anchored-ai-consortia", Stance: stancegraph.Supports, SourceID: "news-article", StatedAt: "2025-12-05", Quote: "Yes.", Strength: 3},
			},
		}, problems(stancegraph.EINVALID,
			`entities[0] "Bad Entity": id: id "Bad Entity" is not a slug: ids are lower-case slugs: did you mean "bad-entity"?`,
			`entities[2] "new-company": id: id "new-company" is given twice with different data`,
			`entity "anthropic": kind: id "anthropic" is stored as a COMPANY, not a AGENCY`,
			`entity "mistral-ai": kind: id "mistral-ai" is stored as a COMPANY, not a AGENCY`,
			`relations[0] LIKES openai->anthropic: type: "LIKES" is not a valid relation type (valid: `+stancegraph.RelTypes.String()+`)`,
			`relations[1] MEMBER_OF department-of-commerce->business-software-alliance: MEMBER_OF relation cannot start at AGENCY "department-of-commerce" (allowed: [COMPANY])`,
			`relations[2] MEMBER_OF no-such-company->business-software-alliance: MEMBER_OF relation: entity "no-such-company" not found`,
			`relations[3] AFFILIATED_WITH benjamin-schwartz->openai: source: relation source "no-such-source" not found`,
			`positions[0] openai OPPOSES trusted-partner-designation: quote: quote is required: every position carries its evidence`,
			`positions[1] openai OPPOSES trusted-partner-designation: source: position source "no-such-source" not found`,
			// The graph's own anthropic, an agency, is what the position names.
			`positions[2] openai OPPOSES anthropic: target: positions cannot be taken on AGENCY "anthropic" (targets: [POLICY_PROPOSAL PROGRAM])`,
			`positions[4] openai OPPOSES us-anchored-ai-consortia: the same actor, target, stance and source are given twice with different data`,
			`positions[5] openai SUPPORTS us-anchored-ai-consortia: strength: strength must be 1 or 2, not 3`)},
		{"Hierarchy", &stancegraph.Graph{
			Entities: []*stancegraph.Entity{agency("agency-one"), agency("agency-two")},
			Relations: []*stancegraph.Relation{
				{Type: stancegraph.PartOf, From: "agency-one", To: "agency-two"},
				{Type: stancegraph.PartOf, From: "agency-two", To: "agency-one"},
				{Type: stancegraph.PartOf, From: "ita-advocacy-center", To: "department-of-commerce"},
			},
		}, problems(stancegraph.ECONFLICT,
			`relations[1] PART_OF agency-two->agency-one: to: PART_OF "agency-two" -> "agency-one" would close a cycle: "agency-one" is already part of "agency-two"`,
			`relations[2] PART_OF ita-advocacy-center->department-of-commerce: to: "ita-advocacy-center" is already PART_OF "international-trade-administration": an entity has at most one parent (unrelate it first)`)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.Import(ctx, tc.g)
			if diff := cmp.Diff(refusalOf(err), tc.want); diff != "" {
				t.Errorf("refusal (-got +want):\n%s", diff)
			}
			if diff := cmp.Diff(dump(t, s), before, cmpOpts); diff != "" {
				t.Fatalf("a refused import changed the store (-got +want):\n%s", diff)
			}
		})
	}
}

// testRefusals pins the code, field and message of the refusals single
// writes and filters share, on every backend.
func testRefusals(t *testing.T, h *harness) {
	s := h.fixture(t)
	before := dump(t, s)
	ctx := t.Context()
	many := make([]string, stancegraph.MaxBatchIDs+1)
	for i := range many {
		many[i] = fmt.Sprintf("id-%d", i)
	}
	tooMany := func(field string) refusal {
		return refusal{stancegraph.EINVALID, field, fmt.Sprintf("%d ids is more than the %d one call takes", len(many), stancegraph.MaxBatchIDs)}
	}
	for _, tc := range []struct {
		name string
		call func() error
		want refusal
	}{
		{"UpsertEntityKind", func() error {
			_, err := s.UpsertEntity(ctx, &stancegraph.Entity{ID: "openai", Kind: stancegraph.KindAgency, Name: "OpenAI"})
			return err
		}, refusal{stancegraph.ECONFLICT, "kind", `id "openai" is stored as a COMPANY, not a AGENCY`}},
		{"UpsertEntityExternalID", func() error {
			e := fixtureEntity("anthropic")
			e.ExternalIDs = []stancegraph.ExternalID{{Scheme: "wikidata", Value: "Q1"}}
			if _, err := s.UpsertEntity(ctx, e); err != nil {
				return err
			}
			defer func() { _, _ = s.UpsertEntity(ctx, fixtureEntity("anthropic")) }()
			o := fixtureEntity("openai")
			o.ExternalIDs = e.ExternalIDs
			_, err := s.UpsertEntity(ctx, o)
			return err
		}, refusal{stancegraph.ECONFLICT, "externalIds", `wikidata:Q1 already names "anthropic"`}},
		{"DeleteEntityNotFound", func() error { return s.DeleteEntity(ctx, "no-such-entity") },
			refusal{stancegraph.ENOTFOUND, "id", `no entity with id "no-such-entity"`}},
		{"DeleteEntityCited", func() error { return s.DeleteEntity(ctx, "news-article") },
			refusal{stancegraph.ECONFLICT, "", `source "news-article" is the evidence of 4 position(s); retract them first`}},
		{"RetractPositionNotFound", func() error { return s.RetractPosition(ctx, "pos-0000000000000000") },
			refusal{stancegraph.ENOTFOUND, "id", `no position with id "pos-0000000000000000"`}},
		{"UnrelateNotFound", func() error { return s.Unrelate(ctx, stancegraph.MemberOf, "mistral-ai", "business-software-alliance") },
			refusal{stancegraph.ENOTFOUND, "", `no MEMBER_OF relation from "mistral-ai" to "business-software-alliance"`}},
		{"UnrelateType", func() error { return s.Unrelate(ctx, "LIKES", "openai", "anthropic") },
			refusal{stancegraph.EINVALID, "type", `"LIKES" is not a valid relation type (valid: ` + stancegraph.RelTypes.String() + `)`}},
		{"RelatePartOf", func() error {
			_, err := s.Relate(ctx, &stancegraph.Relation{Type: stancegraph.PartOf, From: "department-of-commerce", To: "ita-advocacy-center"})
			return err
		}, refusal{stancegraph.ECONFLICT, "to", `"department-of-commerce" is already PART_OF "united-states-government": an entity has at most one parent (unrelate it first)`}},
		{"RelationsEmptyFilter", func() error { _, err := s.Relations(ctx, stancegraph.RelationFilter{}); return err },
			refusal{stancegraph.EINVALID, "filter", "a relation filter needs types, fromIds or toIds"}},
		{"RelationsType", func() error {
			_, err := s.Relations(ctx, stancegraph.RelationFilter{Types: []stancegraph.RelType{"LIKES"}})
			return err
		}, refusal{stancegraph.EINVALID, "types", `"LIKES" is not a valid relation type (valid: ` + stancegraph.RelTypes.String() + `)`}},
		{"RelationsTooMany", func() error {
			_, err := s.Relations(ctx, stancegraph.RelationFilter{ToIDs: many})
			return err
		}, tooMany("toIds")},
		{"PositionsStance", func() error { _, err := s.Positions(ctx, stancegraph.PositionFilter{Stance: "LIKES"}); return err },
			refusal{stancegraph.EINVALID, "stance", `"LIKES" is not a valid stance (valid: ` + stancegraph.Stances.String() + `)`}},
		{"PositionsTooMany", func() error {
			_, err := s.Positions(ctx, stancegraph.PositionFilter{SourceIDs: many, From: "not a date"})
			return err
		}, tooMany("sourceIds")},
		{"EntitiesTooMany", func() error { _, err := s.Entities(ctx, many); return err }, tooMany("ids")},
		{"PositionsByIDTooMany", func() error { _, err := s.PositionsByID(ctx, many); return err }, tooMany("ids")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(refusalOf(tc.call()), tc.want); diff != "" {
				t.Errorf("refusal (-got +want):\n%s", diff)
			}
		})
	}
	if diff := cmp.Diff(dump(t, s), before, cmpOpts); diff != "" {
		t.Errorf("refused calls changed the store (-got +want):\n%s", diff)
	}
}
