package explore

import (
	"testing"

	"github.com/stancegraph/stancegraph"
)

// TestColours_Drift: every kind and every stance has a colour, so no node
// or edge is drawn without one.
func TestColours_Drift(t *testing.T) {
	for _, k := range stancegraph.Kinds {
		if kindColours[k] == "" {
			t.Errorf("kind %s has no colour", k)
		}
	}
	if len(kindColours) != len(stancegraph.Kinds) {
		t.Errorf("%d kind colours for %d kinds", len(kindColours), len(stancegraph.Kinds))
	}
	for _, s := range []stancegraph.Stance{stancegraph.Supports, stancegraph.Opposes} {
		if stanceColours[s] == "" {
			t.Errorf("stance %s has no colour", s)
		}
	}
}

func TestQuote(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`plain`, `"plain"`},
		{`say "hi"`, `"say \"hi\""`},
		{`back\slash \N`, `"back\\slash \\N"`},
		{"two\nlines\r", `"two\nlines"`},
	} {
		if got := quote(c.in); got != c.want {
			t.Errorf("quote(%q) = %s, want %s", c.in, got, c.want)
		}
	}
}

func TestRetitle(t *testing.T) {
	svg := []byte("<g id=\"e1\" class=\"edge\">\n<title>a&#45;&gt;b</title>\n<g id=\"e2\" class=\"edge\">\n<title>c&#45;&gt;d</title>")
	got := string(retitle(svg, map[string]string{"e1": `a supports b: “<quote>” & more`}))
	want := "<g id=\"e1\" class=\"edge\">\n<title>a supports b: “&lt;quote&gt;” &amp; more</title>\n<g id=\"e2\" class=\"edge\">\n<title>c&#45;&gt;d</title>"
	if got != want {
		t.Errorf("retitle =\n%s\nwant\n%s", got, want)
	}
}

func TestSVGCache_Evicts(t *testing.T) {
	c := newSVGCache(2)
	k := func(b byte) [32]byte { return [32]byte{b} }
	c.put(k(1), []byte("one"))
	c.put(k(2), []byte("two"))
	if _, ok := c.get(k(1)); !ok { // 1 is now the most recent
		t.Fatal("1 missing")
	}
	c.put(k(3), []byte("three"))
	if _, ok := c.get(k(2)); ok {
		t.Error("the least recently used entry was kept")
	}
	for _, b := range []byte{1, 3} {
		if _, ok := c.get(k(b)); !ok {
			t.Errorf("%d evicted", b)
		}
	}
	if c.order.Len() != 2 || len(c.svgs) != 2 || len(c.items) != 2 {
		t.Errorf("cache holds %d/%d/%d entries, want 2", c.order.Len(), len(c.svgs), len(c.items))
	}
}
