package stancegraph_test

import (
	"encoding/base64"
	"encoding/json"
	"testing"

	"github.com/stancegraph/stancegraph"
)

// TestCursor_Encode checks that Encode writes what base64 of json.Marshal
// writes, which its fast path must not change: cursors given out before
// stay valid, and both backends and both answer paths agree.
func TestCursor_Encode(t *testing.T) {
	cursors := []*stancegraph.Cursor{
		{Order: "statedAt,id", Keys: []any{"2025-01-02", "pos-1"}},
		{Order: "strength DESC,id DESC", Keys: []any{-3, "pos-9"}},
		{Order: "name,id", Keys: []any{"Acme & Sons <Ltd>", "company-1"}},
		{Order: "name,id", Keys: []any{"Zoë \"Q\" \\ Müller\n\t\x01", "person-1"}},
		{Order: "name,id", Keys: []any{"line\u2028sep", "x"}},
		{Order: "name,id", Keys: []any{"bad \xff utf8", "x"}},
		{Order: "id", Keys: []any{}},
		{Order: "id", Keys: nil},
		{Order: "o<r>d", Keys: []any{1}},
		{Order: "id", Keys: []any{1.5, true, nil}},
		{Order: "", Keys: []any{""}},
	}
	for _, c := range cursors {
		want, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		if got := c.Encode(); got != base64.RawURLEncoding.EncodeToString(want) {
			raw, _ := base64.RawURLEncoding.DecodeString(got)
			t.Errorf("Encode(%#v) = %s, want %s", c, raw, want)
		}
	}
}

func FuzzCursor_Encode(f *testing.F) {
	f.Add("statedAt,id", "2025-01-02", 7)
	f.Add("name,id", "<&>\"\\\x00é\u2029", -1)
	f.Fuzz(func(t *testing.T, order, key string, n int) {
		c := &stancegraph.Cursor{Order: order, Keys: []any{key, n}}
		want, _ := json.Marshal(c)
		if got := c.Encode(); got != base64.RawURLEncoding.EncodeToString(want) {
			t.Errorf("Encode(%#v) differs from json.Marshal's %s", c, want)
		}
	})
}

// TestAppendPositionCursor: the appended cursor is PositionCursor's, for
// every order and for values json.Marshal escapes.
func TestAppendPositionCursor(t *testing.T) {
	orders := [][]stancegraph.SortKey{
		{{Field: stancegraph.FieldStatedAt}, {Field: stancegraph.FieldID}},
		{{Field: stancegraph.FieldStatedAt, Desc: true}, {Field: stancegraph.FieldID, Desc: true}},
		{{Field: stancegraph.FieldStrength, Desc: true}, {Field: stancegraph.FieldStatedAt}, {Field: stancegraph.FieldID}},
	}
	positions := []*stancegraph.Position{
		{ID: "pos-1", Strength: 2, StatedAt: "2025-01-02"},
		{ID: "pos-2", Strength: -1, StatedAt: "XXXX-12-13", StatedAtQualifier: stancegraph.OnOrBefore},
		{ID: "pos-3", StatedAt: "2024", StatedAtQualifier: stancegraph.Circa},
		{ID: "pos-4", StatedAt: "2024-02", StatedAtQualifier: stancegraph.OnOrAfter},
		{ID: "pos<&>\"5\"", StatedAt: "2025-01-02"},
		{ID: "pos-é", StatedAt: "bad\xffdate"},
	}
	for _, keys := range orders {
		name := stancegraph.OrderName(keys)
		for _, p := range positions {
			want := stancegraph.PositionCursor(keys, p).Encode()
			if got := string(stancegraph.AppendPositionCursor([]byte("x"), name, keys, p)); got != "x"+want {
				t.Errorf("AppendPositionCursor(%s, %+v) = %s, want x%s", name, p, got, want)
			}
		}
	}
}
