package graph

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestPlainArgs: arguments filled without the JSON round trip are what the
// round trip gives, and anything not plain is left to the round trip with
// the struct untouched.
func TestPlainArgs(t *testing.T) {
	cases := []struct {
		args  map[string]any
		plain bool
	}{
		{map[string]any{"id": "openai"}, false}, // plain, but not a connection's
		{map[string]any{"id": nil}, false},
		{map[string]any{"id": int64(5)}, false},
		{map[string]any{"id": "bad \xff"}, false},
		{map[string]any{"first": int64(20)}, true},
		{map[string]any{"first": json.Number("20"), "after": "abc"}, true},
		{map[string]any{"first": json.Number("2e1")}, false},
		{map[string]any{"first": 1.5}, false},
		{map[string]any{"first": nil, "last": 3, "before": "c", "after": nil}, true},
		{map[string]any{"stance": "SUPPORTS", "from": "2025-01-01", "to": "2025", "asOf": "x", "last": int64(3)}, true},
		{map[string]any{"stance": "NOT_A_STANCE"}, true}, // checked after, as before
		{map[string]any{"stance": int64(1)}, false},
		{map[string]any{"where": map[string]any{"stance": map[string]any{"eq": "SUPPORTS"}}, "first": int64(5)}, false},
		{map[string]any{"orderBy": []any{map[string]any{"statedAt": "DESC"}}}, false},
		{map[string]any{"from": "2025-06-01"}, true},
		{map[string]any{"unknown": "x"}, false},
	}
	targets := []func() any{
		func() any { return &idArgs{} },
		func() any { return &summaryArgs{} },
		func() any { return &connArgs{} },
	}
	for _, c := range cases {
		for _, newTarget := range targets {
			got, want := newTarget(), newTarget()
			ok := plainArgs(c.args, got)
			if !ok {
				if diff := cmp.Diff(newTarget(), got, cmp.AllowUnexported(connArgs{})); diff != "" {
					t.Errorf("plainArgs(%v, %T) refused but changed it:\n%s", c.args, got, diff)
				}
				continue
			}
			raw, err := json.Marshal(c.args)
			if err == nil {
				err = json.Unmarshal(raw, want)
			}
			if err != nil {
				t.Errorf("plainArgs(%v, %T) filled it; the round trip fails: %v", c.args, got, err)
				continue
			}
			if diff := cmp.Diff(want, got, cmp.AllowUnexported(connArgs{})); diff != "" {
				t.Errorf("plainArgs(%v, %T) differs from the round trip (-want +got):\n%s", c.args, got, diff)
			}
		}
		// A connection's plain arguments are taken without the round trip.
		if c.plain != plainArgs(c.args, &connArgs{}) {
			t.Errorf("plainArgs(%v, *connArgs) = %v, want %v", c.args, !c.plain, c.plain)
		}
	}
}
