package ingest_test

import (
	"context"
	"slices"
	"testing"

	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/ingest"
)

func findIn(es ...*stancegraph.Entity) stancegraph.ExternalFunc {
	return func(_ context.Context, xs []stancegraph.ExternalID) ([]*stancegraph.Entity, error) {
		out := make([]*stancegraph.Entity, len(xs))
		for i, x := range xs {
			for _, e := range es {
				if slices.Contains(e.ExternalIDs, x) {
					out[i] = e
				}
			}
		}
		return out, nil
	}
}

func TestMergeExternalIDs(t *testing.T) {
	qid := stancegraph.ExternalID{Scheme: "wikidata", Value: "Q116758847"}
	lei := stancegraph.ExternalID{Scheme: "lei", Value: "5493001KJTIIGC8Y1R12"}
	stored := company("openai")
	stored.Description = "stored description"
	stored.ExternalIDs = []stancegraph.ExternalID{qid}

	t.Run("IntoStored", func(t *testing.T) {
		in := company("open-ai")
		in.ExternalIDs = []stancegraph.ExternalID{qid, lei}
		in.Aliases = []string{"OpenAI Inc."}
		p := supports("open-ai", "consortia", "article")
		p.ID = "pos-old"
		g := &stancegraph.Graph{Entities: []*stancegraph.Entity{in}, Positions: []*stancegraph.Position{p},
			Relations: []*stancegraph.Relation{{Type: stancegraph.Proposed, From: "open-ai", To: "consortia"}}}
		ps, merged, err := ingest.MergeExternalIDs(context.Background(), g, findIn(stored))
		if err != nil || len(ps) > 0 || merged != 1 {
			t.Fatalf("MergeExternalIDs = %v, %d, %v; want one merge", ps, merged, err)
		}
		if len(g.Entities) != 1 || g.Entities[0].ID != "openai" {
			t.Fatalf("entities %+v, want the stored id", g.Entities)
		}
		e := g.Entities[0]
		if e.Description != "stored description" || e.Name != "open-ai" || !slices.Equal(e.Aliases, []string{"OpenAI Inc."}) || !slices.Equal(e.ExternalIDs, []stancegraph.ExternalID{qid, lei}) {
			t.Errorf("merged %+v: want the stored description, the incoming name and aliases, both ids", e)
		}
		if stored.Name != "openai" || len(stored.ExternalIDs) != 1 {
			t.Errorf("the stored entity changed: %+v", stored)
		}
		if g.Relations[0].From != "openai" || p.ActorID != "openai" || p.ID != "" {
			t.Errorf("references not rewritten: relation from %q, position actor %q id %q", g.Relations[0].From, p.ActorID, p.ID)
		}
	})
	t.Run("ErrNamesTwo", func(t *testing.T) {
		other := company("anthropic")
		other.ExternalIDs = []stancegraph.ExternalID{lei}
		in := company("x")
		in.ExternalIDs = []stancegraph.ExternalID{qid, lei}
		g := &stancegraph.Graph{Entities: []*stancegraph.Entity{in}}
		ps, merged, err := ingest.MergeExternalIDs(context.Background(), g, findIn(stored, other))
		if err != nil || merged != 0 || len(ps) != 1 || ps[0].Entry != `entities[0] "x"` || ps[0].Field != "externalIds" || ps[0].Code != stancegraph.ECONFLICT {
			t.Fatalf("MergeExternalIDs = %+v, %d, %v; want one CONFLICT on externalIds", ps, merged, err)
		}
		if g.Entities[0].ID != "x" {
			t.Errorf("an entity was merged despite the conflict")
		}
	})
}
