package dataset_test

import (
	"encoding/json"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stancegraph/stancegraph"
)

// The JSON Schema of the seed format names the fields and enum values the
// domain has, no more and no fewer.
func TestSchema_MatchesDomain(t *testing.T) {
	data, err := os.ReadFile("../seed/stancegraph.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	var schema struct {
		Properties map[string]any `json:"properties"`
		Defs       map[string]struct {
			Enum       []string       `json:"enum"`
			Properties map[string]any `json:"properties"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(data, &schema); err != nil {
		t.Fatal(err)
	}
	strs := func(vs any) []string {
		var out []string
		for _, v := range reflect.ValueOf(vs).Seq2() {
			out = append(out, v.String())
		}
		return out
	}
	for def, want := range map[string][]string{
		"kind": strs(stancegraph.Kinds), "sourceKind": strs(stancegraph.SourceKinds),
		"stance": strs(stancegraph.Stances), "relationType": strs(stancegraph.RelTypes),
		"dateQualifier": strs(stancegraph.DateQualifiers),
	} {
		if diff := cmp.Diff(want, schema.Defs[def].Enum); diff != "" {
			t.Errorf("enum %s (-domain +schema):\n%s", def, diff)
		}
	}
	for def, v := range map[string]any{"entity": stancegraph.Entity{}, "relation": stancegraph.Relation{}, "position": stancegraph.Position{}} {
		var want []string
		typ := reflect.TypeOf(v)
		for i := range typ.NumField() {
			want = append(want, strings.Split(typ.Field(i).Tag.Get("json"), ",")[0])
		}
		var got []string
		for k := range schema.Defs[def].Properties {
			got = append(got, k)
		}
		slices.Sort(want)
		slices.Sort(got)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("properties of %s (-domain +schema):\n%s", def, diff)
		}
	}
	if len(schema.Properties) != 3 {
		t.Errorf("top-level properties %v", schema.Properties)
	}
}
