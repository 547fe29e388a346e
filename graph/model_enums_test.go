package graph_test

import (
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/analysis"
	"github.com/stancegraph/stancegraph/graph/generated"
)

// The enums of the data model (dates, relation and edge types) have one
// source in Go each: the schema lists the same values in the same order.
func TestModelEnums_MatchSchema(t *testing.T) {
	schema := generated.NewExecutableSchema(generated.Config{}).Schema()
	strs := func(vs any) []string {
		var out []string
		for _, v := range reflect.ValueOf(vs).Seq2() {
			out = append(out, v.String())
		}
		return out
	}
	for name, want := range map[string][]string{
		"RelationType":  strs(stancegraph.RelTypes),
		"DatePrecision": strs(stancegraph.DatePrecisions),
		"DateQualifier": strs(stancegraph.DateQualifiers),
		"EdgeType":      strs(analysis.EdgeTypes),
	} {
		def := schema.Types[name]
		if def == nil {
			t.Errorf("no enum %s in the schema", name)
			continue
		}
		var got []string
		for _, v := range def.EnumValues {
			got = append(got, v.Name)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("enum %s (-go +schema):\n%s", name, diff)
		}
	}
}
