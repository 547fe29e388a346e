package graph_test

import (
	"testing"

	"github.com/99designs/gqlgen/client"

	"github.com/google/go-cmp/cmp"

	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/seed"
	"github.com/stancegraph/stancegraph/server"
	"github.com/stancegraph/stancegraph/store/memstore"
)

// Relations, positions and sources show their evidence and dates in detail.
func TestEvidence_RelationsPositionsSources(t *testing.T) {
	c, _ := MustSeededClient(t)
	var r struct {
		Path []struct {
			Steps []struct {
				Type     string
				Relation *struct {
					Role, Quote    *string
					Source         *struct{ ID string }
					StatedAtDetail *struct {
						Value, Precision, Qualifier string
						Start, End                  *string
					}
				}
			}
		}
		Source struct {
			PublishedAt       string
			PublishedAtDetail struct {
				Precision, Qualifier string
				Start, End           *string
			}
			ExternalIds []struct{ Scheme, Value string }
		}
	}
	c.MustPost(`{
		path(from: "us-anchored-ai-consortia", to: "ita-advocacy-center", maxHops: 1) {
			steps { type relation { role quote source { id } statedAtDetail { value precision qualifier start end } } }
		}
		source(id: "ita-ai-exports-program-rfi") { publishedAt publishedAtDetail { precision qualifier start end } externalIds { scheme value } }
	}`, &r)
	if len(r.Path) != 1 || len(r.Path[0].Steps) != 1 || r.Path[0].Steps[0].Relation == nil {
		t.Fatalf("path = %+v", r.Path)
	}
	rel := r.Path[0].Steps[0].Relation
	if r.Path[0].Steps[0].Type != "INVOLVES" || *rel.Role != "overseer" || rel.Source.ID != "industry-calls-for-us-leadership-in-ai" ||
		*rel.Quote != "something OpenAI suggested the ITA Advocacy Center would oversee" {
		t.Errorf("relation = %+v", rel)
	}
	if d := rel.StatedAtDetail; d.Value != "XXXX-12-13" || d.Precision != "DAY" || d.Qualifier != "ON_OR_BEFORE" || d.Start != nil || d.End != nil {
		t.Errorf("statedAtDetail = %+v", d)
	}
	if s := r.Source; s.PublishedAt != "XXXX-10" || s.PublishedAtDetail.Precision != "MONTH" || s.PublishedAtDetail.Qualifier != "EXACT" || s.ExternalIds == nil || len(s.ExternalIds) != 0 {
		t.Errorf("source = %+v", s)
	}
}

func TestEvidence_Mutations(t *testing.T) {
	c, _ := MustSeededClient(t)
	var rec struct {
		RecordPosition struct {
			Position struct {
				Condition      *string
				StatedAtDetail struct {
					Precision, Qualifier string
					Start, End           *string
				}
			}
		}
	}
	c.MustPost(`mutation { recordPosition(input: {actor: "business-software-alliance", target: "trusted-partner-designation", stance: SUPPORTS,
		quote: "q", source: "bsa-ai-exports-program-comment", statedAt: "2025-12", statedAtQualifier: CIRCA, condition: "if members are vetted"}) {
		position { condition statedAtDetail { precision qualifier start end } } } }`, &rec, auth(token))
	p := rec.RecordPosition.Position
	if p.Condition == nil || *p.Condition != "if members are vetted" || p.StatedAtDetail.Precision != "MONTH" || p.StatedAtDetail.Qualifier != "CIRCA" ||
		*p.StatedAtDetail.Start != "2025-11-01" || *p.StatedAtDetail.End != "2026-01-31" {
		t.Errorf("position = %+v", p)
	}
	var rel struct {
		Relate struct {
			Change   string
			Relation struct{ Quote *string }
		}
	}
	c.MustPost(`mutation { relate(input: {type: MENTIONS, from: "bsa-ai-exports-program-comment", to: "international-trade-administration",
		quote: "ITA should ensure"}) { change relation { quote } } }`, &rel, auth(token))
	if rel.Relate.Change != "CREATED" || *rel.Relate.Relation.Quote != "ITA should ensure" {
		t.Errorf("relate = %+v", rel)
	}
	var imp struct {
		ImportGraph struct{ Entities struct{ Created int } }
	}
	c.MustPost(`mutation { importGraph(input: {entities: [{id: "openai-inc", kind: COMPANY, name: "OpenAI", externalIds: [{scheme: "wikidata", value: "Q1"}]}]}) {
		entities { created } } }`, &imp, auth(token))
	var ent struct {
		Actor struct {
			ExternalIds []struct{ Scheme, Value string }
		}
	}
	c.MustPost(`{ actor(id: "openai-inc") { ... on Company { externalIds { scheme value } } } }`, &ent)
	if diff := cmp.Diff([]struct{ Scheme, Value string }{{"wikidata", "Q1"}}, ent.Actor.ExternalIds); diff != "" {
		t.Errorf("externalIds (-want +got):\n%s", diff)
	}
	for name, tc := range map[string]struct{ m, code, field string }{
		"QuoteWithoutSource": {`mutation { relate(input: {type: PART_OF, from: "ita-advocacy-center", to: "international-trade-administration", quote: "q"}) { change } }`, stancegraph.EINVALID, "source"},
		"SecondParent":       {`mutation { relate(input: {type: PART_OF, from: "ita-advocacy-center", to: "department-of-commerce"}) { change } }`, stancegraph.ECONFLICT, "to"},
		"BadQualifier":       {`mutation { recordPosition(input: {actor: "openai", target: "trusted-partner-designation", stance: SUPPORTS, quote: "q", source: "bsa-ai-exports-program-comment", statedAt: "2025", statedAtQualifier: SOMETIME}) { change } }`, "GRAPHQL_VALIDATION_FAILED", ""},
	} {
		t.Run(name, func(t *testing.T) {
			errs := errorsOf(t, c, tc.m, auth(token))
			if errs[0].Extensions.Code != tc.code || errs[0].Extensions.Field != tc.field {
				t.Fatalf("got %q on %q, want %q on %q (%s)", errs[0].Extensions.Code, errs[0].Extensions.Field, tc.code, tc.field, errs[0].Message)
			}
		})
	}
}

// A network series is priced by its windows: the same selection over 100
// windows costs what one window costs a hundred times.
func TestActorNetworkSeries_PricedByWindows(t *testing.T) {
	s := memstore.OpenMemory()
	t.Cleanup(func() { s.Close() })
	g, err := seed.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Import(t.Context(), g); err != nil {
		t.Fatal(err)
	}
	const q = `query($to: Date!) { actorNetworkSeries(window: 7, step: 7, from: "2025-01-01", to: $to, limit: 10) {
		from size density modularity network { nodes { statements } } } }`
	c := client.New(server.NewGraphQL(s, server.Options{MaxComplexity: 2000}))
	var r struct {
		ActorNetworkSeries []struct {
			From       string
			Size       int
			Density    float64
			Modularity float64
			Network    struct{ Nodes []struct{ Statements int } }
		}
	}
	c.MustPost(q, &r, client.Var("to", "2025-01-07"))
	// The seed's statements have no year: every window may hold them.
	if len(r.ActorNetworkSeries) != 1 || r.ActorNetworkSeries[0].Size != 4 || r.ActorNetworkSeries[0].Density <= 0 {
		t.Fatalf("series = %+v", r.ActorNetworkSeries)
	}
	errs := errorsOf(t, c, q, client.Var("to", "2026-11-30"))
	if errs[0].Extensions.Code != "COMPLEXITY_LIMIT_EXCEEDED" {
		t.Fatalf("100 windows: %+v, want COMPLEXITY_LIMIT_EXCEEDED", errs[0])
	}
}
