package graph

import (
	"bytes"
	"testing"

	"github.com/99designs/gqlgen/graphql"

	"github.com/stancegraph/stancegraph"
)

// quotingCases are strings with every kind of byte the quoting treats
// apart: control characters, the quote, the backslash, HTML characters,
// non-ASCII, invalid UTF-8 and the JavaScript line separators.
var quotingCases = []string{"", "plain", "2025-01-02", "SUPPORTS", "a\"b\\c", "tab\there\nnew\rret",
	"\x00\x01\x1f\x7f", "<a href=\"x\">&amp;</a>", "Zoë Müller 東京", "bad \xff\xfe utf8", "line\u2028sep\u2029", "\xe2\x80"}

// TestWriter_Quoting holds the writer's own quoting to the marshalers
// gqlgen uses, byte for byte: graphql.MarshalString for strings, and each
// enum's and Date's MarshalGQL for quoted.
func TestWriter_Quoting(t *testing.T) {
	check := func(t *testing.T, name, s string, write func(*writer), m graphql.Marshaler) {
		t.Helper()
		var want bytes.Buffer
		m.MarshalGQL(&want)
		w := &writer{buf: new(bytes.Buffer)}
		write(w)
		if got := w.buf.String(); got != want.String() {
			t.Errorf("%s(%q) = %s, want %s", name, s, got, want.String())
		}
	}
	for _, s := range quotingCases {
		check(t, "str", s, func(w *writer) { w.str(s) }, graphql.MarshalString(s))
		check(t, "quoted Date", s, func(w *writer) { quoted(w, stancegraph.Date(s)) }, stancegraph.Date(s))
		check(t, "quoted Stance", s, func(w *writer) { quoted(w, stancegraph.Stance(s)) }, stancegraph.Stance(s))
		check(t, "quoted Kind", s, func(w *writer) { quoted(w, stancegraph.Kind(s)) }, stancegraph.Kind(s))
		check(t, "quoted SourceKind", s, func(w *writer) { quoted(w, stancegraph.SourceKind(s)) }, stancegraph.SourceKind(s))
		check(t, "quoted RelType", s, func(w *writer) { quoted(w, stancegraph.RelType(s)) }, stancegraph.RelType(s))
		check(t, "quoted DatePrecision", s, func(w *writer) { quoted(w, stancegraph.DatePrecision(s)) }, stancegraph.DatePrecision(s))
	}
}

func FuzzWriter_Str(f *testing.F) {
	for _, s := range quotingCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var want bytes.Buffer
		graphql.MarshalString(s).MarshalGQL(&want)
		w := &writer{buf: new(bytes.Buffer)}
		w.str(s)
		if w.buf.String() != want.String() {
			t.Errorf("str(%q) = %s, want %s", s, w.buf.String(), want.String())
		}
		w.buf.Reset()
		quoted(w, stancegraph.Date(s))
		want.Reset()
		stancegraph.Date(s).MarshalGQL(&want)
		if w.buf.String() != want.String() {
			t.Errorf("quoted(%q) = %s, want %s", s, w.buf.String(), want.String())
		}
	})
}
