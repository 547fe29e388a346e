package graph_test

import (
	"bytes"
	"slices"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/analysis"
	"github.com/stancegraph/stancegraph/graph/generated"
	"github.com/stancegraph/stancegraph/graph/model"
)

func names[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

// Every enum has one source in Go; its twin in schema/ must list the same
// values, so that neither side can grow a value the other refuses.
func TestEnums_MatchSchema(t *testing.T) {
	schema := generated.NewExecutableSchema(generated.Config{}).Schema()
	var changes []string
	for _, c := range []stancegraph.Change{stancegraph.Unchanged, stancegraph.Created, stancegraph.Updated} {
		var b bytes.Buffer
		c.MarshalGQL(&b)
		v, _ := strconv.Unquote(b.String())
		changes = append(changes, v)
	}
	for _, tc := range []struct {
		enum string
		go_  []string
	}{
		{"Kind", names(stancegraph.Kinds)},
		{"Stance", names(stancegraph.Stances)},
		{"SourceKind", names(stancegraph.SourceKinds)},
		{"EntityOrder", names(stancegraph.EntityOrders)},
		{"RelationType", names(stancegraph.RelTypes)},
		{"SortDirection", names(stancegraph.SortDirections)},
		{"Change", changes},
		{"Normalization", names(analysis.Normalizations)},
		{"NetworkMode", names(analysis.NetworkModes)},
		{"EdgeType", names(analysis.EdgeTypes)},
		{"EdgeDirection", names(analysis.Directions)},
	} {
		t.Run(tc.enum, func(t *testing.T) {
			def := schema.Types[tc.enum]
			if def == nil {
				t.Fatalf("schema has no enum %s", tc.enum)
			}
			var sdl []string
			for _, v := range def.EnumValues {
				sdl = append(sdl, v.Name)
			}
			slices.Sort(sdl)
			got := slices.Sorted(slices.Values(tc.go_))
			if diff := cmp.Diff(got, sdl); diff != "" {
				t.Errorf("Go values (-) and schema values (+) of %s differ:\n%s", tc.enum, diff)
			}
		})
	}
}

// The kind registry drives the GraphQL types: every kind wraps as the type
// named by its label, and an unknown kind wraps as nothing, never as a
// Source.
func TestKinds_WrapExhaustive(t *testing.T) {
	schema := generated.NewExecutableSchema(generated.Config{}).Schema()
	for _, k := range stancegraph.Kinds {
		n := model.Wrap(&stancegraph.Entity{ID: "x", Kind: k})
		if n == nil {
			t.Fatalf("kind %s does not wrap", k)
		}
		typ := schema.Types[k.Label()]
		if typ == nil {
			t.Fatalf("kind %s: the schema has no type %s", k, k.Label())
		}
		if got := model.TypeName(n); got != k.Label() {
			t.Errorf("kind %s wraps as %s, want %s", k, got, k.Label())
		}
	}
	if n := model.Wrap(&stancegraph.Entity{ID: "x", Kind: "SPACESHIP"}); n != nil {
		t.Errorf("an unknown kind wraps as %T", n)
	}
}
