package seed_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/ingest"
	"github.com/stancegraph/stancegraph/seed"
	"github.com/stancegraph/stancegraph/store/memstore"
)

// noneStored is an ingest.Check lookup for an empty store.
func noneStored(_ context.Context, ids []string) ([]*stancegraph.Entity, error) {
	return make([]*stancegraph.Entity, len(ids)), nil
}

// mustBundled returns the bundled graph, checked, with its entities by id.
func mustBundled(tb testing.TB) (*stancegraph.Graph, map[string]*stancegraph.Entity) {
	tb.Helper()
	g, err := seed.Bundled()
	if err != nil {
		tb.Fatalf("Bundled: %v", err)
	}
	ps, err := ingest.Check(context.Background(), g, noneStored)
	if err != nil {
		tb.Fatalf("Check: %v", err)
	}
	for _, p := range ps {
		tb.Errorf("problem: %s", p)
	}
	byID := make(map[string]*stancegraph.Entity, len(g.Entities))
	for _, e := range g.Entities {
		byID[e.ID] = e
	}
	return g, byID
}

// mustArticle returns the text of the article the data set encodes.
func mustArticle(tb testing.TB) string {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "ai-exports-program-comments.txt"))
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

// quotations returns the passages of text between typographic quotation
// marks: what the article quotes directly.
func quotations(text string) []string {
	var qs []string
	for {
		_, rest, ok := strings.Cut(text, "“")
		if !ok {
			return qs
		}
		q, after, ok := strings.Cut(rest, "”")
		if !ok {
			return qs
		}
		qs = append(qs, q)
		text = after
	}
}

func TestBundled(t *testing.T) {
	g, _ := mustBundled(t)
	if len(g.Entities) == 0 || len(g.Relations) == 0 || len(g.Positions) == 0 {
		t.Fatalf("got %d entities, %d relations, %d positions; want some of each", len(g.Entities), len(g.Relations), len(g.Positions))
	}
	for _, p := range g.Positions {
		if p.ID != stancegraph.PositionID(p.ActorID, p.TargetID, p.Stance, p.SourceID) {
			t.Errorf("position %s %s %s: id %q not normalised", p.ActorID, p.Stance, p.TargetID, p.ID)
		}
	}
}

func TestBundled_PositionSources(t *testing.T) {
	g, byID := mustBundled(t)
	published := map[[2]string]bool{}
	for _, r := range g.Relations {
		if r.Type == stancegraph.Published {
			published[[2]string{r.From, r.To}] = true
		}
	}
	for _, p := range g.Positions {
		src := byID[p.SourceID]
		if src == nil || src.Kind != stancegraph.KindSource {
			t.Errorf("position %s %s %s: source %q is not a SOURCE entity", p.ActorID, p.Stance, p.TargetID, p.SourceID)
			continue
		}
		switch src.SourceKind {
		case stancegraph.NewsArticle:
		case stancegraph.PublicComment:
			// A submission is evidence of its own author's stance only.
			if !published[[2]string{p.ActorID, p.SourceID}] {
				t.Errorf("position %s %s %s cites %s, which %s did not publish", p.ActorID, p.Stance, p.TargetID, p.SourceID, p.ActorID)
			}
		default:
			t.Errorf("position %s %s %s cites a %s; want the article or a public comment", p.ActorID, p.Stance, p.TargetID, src.SourceKind)
		}
	}
}

func TestBundled_QuotesVerbatim(t *testing.T) {
	g, byID := mustBundled(t)
	article := mustArticle(t)
	direct := quotations(article)
	isDirect := func(q string) bool {
		return slices.ContainsFunc(direct, func(d string) bool { return strings.Contains(d, q) })
	}
	// check checks one piece of evidence: verbatim, and cited to the
	// submission exactly when the article quotes it directly.
	check := func(name, quote, sourceID string) {
		t.Helper()
		if !strings.Contains(article, quote) {
			t.Errorf("%s: quote %q is not in the article", name, quote)
			return
		}
		switch kind := byID[sourceID].SourceKind; {
		case kind == stancegraph.PublicComment && !isDirect(quote):
			t.Errorf("%s: cites a comment, but the article does not quote %q directly", name, quote)
		case kind == stancegraph.NewsArticle && isDirect(quote):
			t.Errorf("%s: %q is a direct quotation; cite the submission", name, quote)
		}
	}
	for _, p := range g.Positions {
		name := p.ActorID + " " + string(p.Stance) + " " + p.TargetID
		check(name, p.Quote, p.SourceID)
		if p.Condition != "" && !strings.Contains(article, p.Condition) {
			t.Errorf("%s: condition %q is not in the article", name, p.Condition)
		}
	}
	quoted := 0
	for _, r := range g.Relations {
		if r.Quote == "" {
			continue
		}
		quoted++
		check(string(r.Type)+" "+r.From+"->"+r.To, r.Quote, r.SourceID)
	}
	if quoted < len(g.Relations)/2 {
		t.Errorf("%d of %d relations cite a quote; the article supports most of them", quoted, len(g.Relations))
	}
}

// The article gives no year and no statement date: every position is
// stated on or before Dec. 13, the close of comments, in an unknown year,
// and no date anywhere states a year.
func TestBundled_Dates(t *testing.T) {
	g, _ := mustBundled(t)
	closeOfComments := stancegraph.PartialDate{Value: "XXXX-12-13", Qualifier: stancegraph.OnOrBefore}
	for _, p := range g.Positions {
		if p.Stated() != closeOfComments {
			t.Errorf("position %s %s %s: statedAt %s, want %s", p.ActorID, p.Stance, p.TargetID, p.Stated(), closeOfComments)
		}
	}
	for _, r := range g.Relations {
		if r.StatedAt != "" && r.Stated() != closeOfComments {
			t.Errorf("relation %s %s->%s: statedAt %s, want none or %s", r.Type, r.From, r.To, r.Stated(), closeOfComments)
		}
	}
	want := map[string]stancegraph.PartialDate{
		"july-executive-order-ai-exports":        {Value: "XXXX-07"},
		"ita-ai-exports-program-rfi":             {Value: "XXXX-10"},
		"industry-calls-for-us-leadership-in-ai": {Value: "XXXX-12-13", Qualifier: stancegraph.OnOrAfter},
		"openai-ai-exports-program-comment":      closeOfComments,
		"anthropic-ai-exports-program-comment":   closeOfComments,
		"aws-ai-exports-program-comment":         closeOfComments,
		"bsa-ai-exports-program-comment":         closeOfComments,
	}
	for _, e := range g.Entities {
		if e.Kind != stancegraph.KindSource {
			continue
		}
		if got := e.Published(); got != want[e.ID] {
			t.Errorf("source %s: publishedAt %s, want %s", e.ID, got, want[e.ID])
		}
		if e.PublishedAt.YearKnown() {
			t.Errorf("source %s: publishedAt %s states a year the article does not give", e.ID, e.PublishedAt)
		}
	}
}

// The links the article makes are relations with evidence, not prose.
func TestBundled_Links(t *testing.T) {
	g, _ := mustBundled(t)
	has := func(typ stancegraph.RelType, from, to, role string) bool {
		return slices.ContainsFunc(g.Relations, func(r *stancegraph.Relation) bool {
			return r.Type == typ && r.From == from && r.To == to && r.Role == role && r.Quote != ""
		})
	}
	for _, c := range []struct {
		typ            stancegraph.RelType
		from, to, role string
	}{
		{stancegraph.IssuedUnder, "ita-ai-exports-program-rfi", "july-executive-order-ai-exports", ""},
		{stancegraph.RespondsTo, "openai-ai-exports-program-comment", "ita-ai-exports-program-rfi", ""},
		{stancegraph.RespondsTo, "anthropic-ai-exports-program-comment", "ita-ai-exports-program-rfi", ""},
		{stancegraph.RespondsTo, "aws-ai-exports-program-comment", "ita-ai-exports-program-rfi", ""},
		{stancegraph.RespondsTo, "bsa-ai-exports-program-comment", "ita-ai-exports-program-rfi", ""},
		{stancegraph.Involves, "us-anchored-ai-consortia", "ita-advocacy-center", "overseer"},
		{stancegraph.Involves, "innovation-friendly-ai-regulation-abroad", "economic-diplomacy-action-group", "channel"},
		{stancegraph.Involves, "innovation-friendly-ai-regulation-abroad", "foreign-commercial-service", "channel"},
		{stancegraph.Mentions, "openai-ai-exports-program-comment", "peoples-republic-of-china", ""},
	} {
		if !has(c.typ, c.from, c.to, c.role) {
			t.Errorf("no sourced %s %s->%s (role %q)", c.typ, c.from, c.to, c.role)
		}
	}
	for _, r := range g.Relations {
		if r.Type == stancegraph.EstablishedBy {
			t.Errorf("ESTABLISHED_BY %s->%s: the article does not say what established the program", r.From, r.To)
		}
	}
}

// What the first seed lost: OpenAI's framing, Anthropic's copyright worry
// and its condition on the consortium.
func TestBundled_Content(t *testing.T) {
	g, _ := mustBundled(t)
	find := func(actor string, stance stancegraph.Stance, target string) *stancegraph.Position {
		for _, p := range g.Positions {
			if p.ActorID == actor && p.Stance == stance && p.TargetID == target && p.SourceID != "industry-calls-for-us-leadership-in-ai" {
				return p
			}
		}
		for _, p := range g.Positions {
			if p.ActorID == actor && p.Stance == stance && p.TargetID == target {
				return p
			}
		}
		return nil
	}
	for _, c := range []struct {
		actor, target string
		stance        stancegraph.Stance
		quoteHas      []string
		condition     string
	}{
		{"openai", "democratic-ai-incentives-and-supply-chains", stancegraph.Supports, []string{"autocratic AI"}, ""},
		{"openai", "full-american-ai-stack-adoption", stancegraph.Supports, []string{"two AI stacks", "People’s Republic of China (PRC)"}, ""},
		{"anthropic", "extraterritorial-copyright-reform", stancegraph.Opposes, []string{"copyright law applying to U.S. companies even for activity in the U.S."}, ""},
		{"anthropic", "us-anchored-ai-consortia", stancegraph.Supports, []string{"guardrails"}, "“trusted” partner status"},
	} {
		p := find(c.actor, c.stance, c.target)
		if p == nil {
			t.Errorf("no position %s %s %s", c.actor, c.stance, c.target)
			continue
		}
		for _, w := range c.quoteHas {
			if !strings.Contains(p.Quote, w) {
				t.Errorf("%s %s %s: quote %q lacks %q", c.actor, c.stance, c.target, p.Quote, w)
			}
		}
		if c.condition != "" && !strings.Contains(p.Condition, c.condition) {
			t.Errorf("%s %s %s: condition %q lacks %q", c.actor, c.stance, c.target, p.Condition, c.condition)
		}
	}
}

func TestBundled_TrustedPartnerDesignation(t *testing.T) {
	g, _ := mustBundled(t)
	var supporters, opponents []string
	for _, p := range g.Positions {
		if p.TargetID != "trusted-partner-designation" {
			continue
		}
		if p.Stance == stancegraph.Supports {
			supporters = append(supporters, p.ActorID)
		} else {
			opponents = append(opponents, p.ActorID)
		}
	}
	slices.Sort(supporters)
	supporters = slices.Compact(supporters)
	if diff := cmp.Diff([]string{"amazon-web-services", "anthropic"}, supporters); diff != "" {
		t.Errorf("supporters (-want +got):\n%s", diff)
	}
	if len(opponents) > 0 {
		t.Errorf("opponents %v, want none", opponents)
	}
}

// The JSON form of the bundled graph parses back to the same graph.
func TestParse_JSONRoundTrip(t *testing.T) {
	want, err := seed.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.MarshalIndent(want, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got, err := seed.Parse("ai-exports-program.json", b)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}

func TestParse_Errors(t *testing.T) {
	for _, tt := range []struct {
		name string
		file string // under testdata/, or "" for data
		data string
		want []string // substrings of the error
	}{
		{name: "UnknownField", file: "unknown-field.yaml",
			want: []string{`unknown-field.yaml:9: entities[1] "anthropic": unknown field "colour"`}},
		{name: "UnknownFieldJSON", file: "unknown-field.json",
			want: []string{`unknown-field.json:8: entities[1] "anthropic": unknown field "colour"`}},
		{name: "Indentation", file: "x.yaml", data: "entities:\n  - id: acme\n    kind: COMPANY\n  name: Acme\n",
			want: []string{"x.yaml:4: did not find expected '-' indicator"}},
		{name: "IndentationLater", file: "x.yaml", data: "entities:\n  - id: acme\n    kind: COMPANY\n    name: Acme\n   - id: b\n",
			want: []string{"x.yaml:5: did not find expected '-' indicator"}},
		{name: "Tab", file: "x.yaml", data: "entities:\n  - id: acme\n    kind: COMPANY\n\tname: Acme\n",
			want: []string{"x.yaml:4: found a tab character"}},
		{name: "WrongType", file: "x.yaml", data: "positions:\n  - actor: openai\n    strength: high\n",
			want: []string{`x.yaml:3: positions[0] openai  : strength: "high" is not a whole number`}},
		{name: "UnknownSection", file: "x.yaml", data: "entities: []\nedges: []\n",
			want: []string{`x.yaml:2: unknown field "edges"`}},
		{name: "UnknownSectionJSON", file: "x.json", data: "{\"entities\": [],\n\"edges\": []}",
			want: []string{`x.json:2: unknown field "edges"`}},
		{name: "SyntaxYAML", file: "x.yaml", data: "entities:\n  - id: [\n",
			want: []string{"x.yaml:"}},
		{name: "SyntaxJSON", file: "x.json", data: "{\n\"entities\": [,]}",
			want: []string{"x.json:2: invalid character"}},
		{name: "TwoDocuments", file: "x.yaml", data: "entities: []\n---\nentities: []\n",
			want: []string{"x.yaml:2: more than one YAML document"}},
		{name: "Empty", file: "x.yml", data: "",
			want: []string{"x.yml: no YAML document"}},
		{name: "UnknownFormat", file: "x.toml", data: "a = 1",
			want: []string{`x.toml: unknown data file format ".toml"`}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			name, data := tt.file, []byte(tt.data)
			if tt.data == "" && tt.name != "Empty" {
				name = filepath.Join("testdata", tt.file)
				var err error
				if data, err = os.ReadFile(name); err != nil {
					t.Fatal(err)
				}
			}
			g, err := seed.Parse(name, data)
			if err == nil {
				t.Fatalf("Parse = %+v, want an error", g)
			}
			if code := stancegraph.ErrorCode(err); code != stancegraph.EINVALID {
				t.Errorf("code %s, want %s", code, stancegraph.EINVALID)
			}
			msg := stancegraph.ErrorMessage(err)
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error\n  %s\ndoes not contain\n  %s", msg, w)
				}
			}
		})
	}
}

// mustOpenStore returns an empty in-memory store, closed at the end of the
// test.
func mustOpenStore(tb testing.TB) *memstore.Store {
	tb.Helper()
	s := memstore.OpenMemory()
	tb.Cleanup(func() {
		if err := s.Close(); err != nil {
			tb.Errorf("Close: %v", err)
		}
	})
	return s
}

func TestLoad(t *testing.T) {
	ctx := context.Background()

	t.Run("OK", func(t *testing.T) {
		s := mustOpenStore(t)
		g, err := seed.Bundled()
		if err != nil {
			t.Fatal(err)
		}
		got, err := seed.Load(ctx, s, g, false)
		if err != nil {
			t.Fatalf("Load: %v", err)
		}
		want := stancegraph.ImportResult{
			Entities:  stancegraph.Counts{Created: len(g.Entities)},
			Relations: stancegraph.Counts{Created: len(g.Relations)},
			Positions: stancegraph.Counts{Created: len(g.Positions)},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("first load (-want +got):\n%s", diff)
		}

		// Loading again changes nothing.
		if g, err = seed.Bundled(); err != nil {
			t.Fatal(err)
		}
		got, err = seed.Load(ctx, s, g, false)
		if err != nil {
			t.Fatalf("second Load: %v", err)
		}
		want = stancegraph.ImportResult{
			Entities:  stancegraph.Counts{Unchanged: len(g.Entities)},
			Relations: stancegraph.Counts{Unchanged: len(g.Relations)},
			Positions: stancegraph.Counts{Unchanged: len(g.Positions)},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("second load (-want +got):\n%s", diff)
		}

		ps, err := s.Positions(ctx, stancegraph.PositionFilter{TargetIDs: []string{"trusted-partner-designation"}})
		if err != nil {
			t.Fatal(err)
		}
		var actors []string
		for _, p := range ps {
			actors = append(actors, p.ActorID)
		}
		slices.Sort(actors)
		if diff := cmp.Diff([]string{"amazon-web-services", "anthropic"}, actors); diff != "" {
			t.Errorf("stored positions on trusted-partner-designation (-want +got):\n%s", diff)
		}
	})

	t.Run("DryRun", func(t *testing.T) {
		s := mustOpenStore(t)
		g, err := seed.Bundled()
		if err != nil {
			t.Fatal(err)
		}
		got, err := seed.Load(ctx, s, g, true)
		if err != nil {
			t.Fatalf("Load: %v", err)
		}
		if diff := cmp.Diff(stancegraph.ImportResult{}, got); diff != "" {
			t.Errorf("dry run result (-want +got):\n%s", diff)
		}
		es, err := s.Entities(ctx, []string{"openai"})
		if err != nil {
			t.Fatal(err)
		}
		if es[0] != nil {
			t.Errorf("a dry run wrote %+v", es[0])
		}
	})

	t.Run("ErrUnknownReference", func(t *testing.T) {
		s := mustOpenStore(t)
		_, err := seed.LoadFile(ctx, s, filepath.Join("testdata", "unknown-reference.yaml"), false)
		if code := stancegraph.ErrorCode(err); code != stancegraph.ENOTFOUND {
			t.Fatalf("code %s (%v), want %s", code, err, stancegraph.ENOTFOUND)
		}
		msg := stancegraph.ErrorMessage(err)
		for _, w := range []string{
			"2 problem(s)",
			`relations[0] PUBLISHED no-such-actor->a-source: PUBLISHED relation: entity "no-such-actor" not found`,
			`positions[0] openai SUPPORTS no-such-proposal: target: position target "no-such-proposal" not found`,
		} {
			if !strings.Contains(msg, w) {
				t.Errorf("error\n  %s\ndoes not contain\n  %s", msg, w)
			}
		}
		es, err := s.Entities(ctx, []string{"openai"})
		if err != nil {
			t.Fatal(err)
		}
		if es[0] != nil {
			t.Errorf("a failed load wrote %+v", es[0])
		}
	})

	// References may point at entities already stored.
	t.Run("OnTopOfStored", func(t *testing.T) {
		s := mustOpenStore(t)
		g, err := seed.Bundled()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := seed.Load(ctx, s, g, false); err != nil {
			t.Fatal(err)
		}
		more, err := seed.Parse("more.yaml", []byte(`entities:
  - {id: example-corp, kind: COMPANY, name: Example Corp}
  - {id: example-comment, kind: SOURCE, sourceKind: PUBLIC_COMMENT, name: Example comment}
relations:
  - {type: PUBLISHED, from: example-corp, to: example-comment}
positions:
  - actor: example-corp
    stance: OPPOSES
    target: trusted-partner-designation
    strength: 1
    quote: "an example"
    source: example-comment
    statedAt: 2025-12-14
`))
		if err != nil {
			t.Fatal(err)
		}
		got, err := seed.Load(ctx, s, more, true)
		if err != nil {
			t.Fatalf("Load: %v", err)
		}
		if diff := cmp.Diff(stancegraph.ImportResult{}, got); diff != "" {
			t.Errorf("dry run result (-want +got):\n%s", diff)
		}
	})
}

func TestLoadFile(t *testing.T) {
	ctx := context.Background()

	t.Run("OK", func(t *testing.T) {
		s := mustOpenStore(t)
		got, err := seed.LoadFile(ctx, s, "ai-exports-program.yaml", false)
		if err != nil {
			t.Fatalf("LoadFile: %v", err)
		}
		if got.Positions.Created == 0 {
			t.Errorf("LoadFile = %+v, want positions created", got)
		}
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := seed.LoadFile(ctx, mustOpenStore(t), filepath.Join("testdata", "no-such-file.yaml"), false)
		if code := stancegraph.ErrorCode(err); code != stancegraph.ENOTFOUND {
			t.Errorf("code %s (%v), want %s", code, err, stancegraph.ENOTFOUND)
		}
	})

	t.Run("ErrInvalid", func(t *testing.T) {
		_, err := seed.LoadFile(ctx, mustOpenStore(t), filepath.Join("testdata", "bad-enum.yaml"), false)
		if code := stancegraph.ErrorCode(err); code != stancegraph.EINVALID {
			t.Errorf("code %s (%v), want %s", code, err, stancegraph.EINVALID)
		}
	})
}

// Searching the seeded graph for OpenAI's framing finds its quote.
func TestBundled_SearchAutocratic(t *testing.T) {
	s := mustOpenStore(t)
	g, err := seed.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := seed.Load(context.Background(), s, g, false); err != nil {
		t.Fatal(err)
	}
	hits, err := s.Search(context.Background(), "autocratic", stancegraph.SearchFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) == 0 || hits[0].Position == nil || hits[0].Position.ActorID != "openai" {
		t.Fatalf("search autocratic = %+v, want OpenAI's position", hits)
	}
}
