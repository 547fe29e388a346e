package ingest_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/ingest"
)

// storeOf is a Lookup over the given entities, which records the size of
// every batch it is asked for.
func storeOf(batches *[]int, es ...*stancegraph.Entity) ingest.Lookup {
	byID := map[string]*stancegraph.Entity{}
	for _, e := range es {
		byID[e.ID] = e
	}
	return func(_ context.Context, ids []string) ([]*stancegraph.Entity, error) {
		if batches != nil {
			*batches = append(*batches, len(ids))
		}
		out := make([]*stancegraph.Entity, len(ids))
		for i, id := range ids {
			out[i] = byID[id]
		}
		return out, nil
	}
}

func company(id string) *stancegraph.Entity {
	return &stancegraph.Entity{ID: id, Kind: stancegraph.KindCompany, Name: id}
}

func proposal(id string) *stancegraph.Entity {
	return &stancegraph.Entity{ID: id, Kind: stancegraph.KindPolicyProposal, Name: id}
}

func source(id string) *stancegraph.Entity {
	return &stancegraph.Entity{ID: id, Kind: stancegraph.KindSource, Name: id, SourceKind: stancegraph.NewsArticle}
}

func supports(actor, target, src string) *stancegraph.Position {
	return &stancegraph.Position{ActorID: actor, TargetID: target, Stance: stancegraph.Supports, Quote: "we support it", SourceID: src, StatedAt: "2025-12-13"}
}

func TestCheckEntries(t *testing.T) {
	err := ingest.CheckEntries(nil)
	if stancegraph.ErrorCode(err) != stancegraph.EINVALID || stancegraph.ErrorField(err) != "graph" {
		t.Errorf("CheckEntries(nil) = %v, want INVALID on graph", err)
	}
	g := &stancegraph.Graph{Entities: []*stancegraph.Entity{company("a"), nil}, Positions: []*stancegraph.Position{nil}}
	err = ingest.CheckEntries(g)
	if stancegraph.ErrorCode(err) != stancegraph.EINVALID {
		t.Fatalf("CheckEntries = %v, want INVALID", err)
	}
	for _, want := range []string{"2 problem(s)", "entities[1]: empty entry", "positions[0]: empty entry"} {
		if !strings.Contains(stancegraph.ErrorMessage(err), want) {
			t.Errorf("CheckEntries = %q, want it to say %q", stancegraph.ErrorMessage(err), want)
		}
	}
	if err := ingest.CheckEntries(&stancegraph.Graph{Entities: []*stancegraph.Entity{company("a")}}); err != nil {
		t.Errorf("CheckEntries of a sound graph = %v", err)
	}
}

func TestCheck(t *testing.T) {
	stored := []*stancegraph.Entity{company("openai"), proposal("consortia"), source("article")}
	for _, tc := range []struct {
		name string
		g    *stancegraph.Graph
		// want is "entry|field|code" of each problem, in order.
		want []string
	}{
		{"OK", &stancegraph.Graph{
			Entities:  []*stancegraph.Entity{company("anthropic"), company("anthropic")},
			Relations: []*stancegraph.Relation{{Type: stancegraph.Proposed, From: "anthropic", To: "consortia"}},
			Positions: []*stancegraph.Position{supports("anthropic", "consortia", "article"), supports("anthropic", "consortia", "article")},
		}, nil},
		{"ErrInvalidEntity", &stancegraph.Graph{Entities: []*stancegraph.Entity{{ID: "Not A Slug", Kind: stancegraph.KindCompany, Name: "x"}}},
			[]string{`entities[0] "Not A Slug"|id|INVALID`}},
		{"ErrEntityTwiceDiffering", &stancegraph.Graph{Entities: []*stancegraph.Entity{company("a"), {ID: "a", Kind: stancegraph.KindCompany, Name: "other"}}},
			[]string{`entities[1] "a"|id|CONFLICT`}},
		{"ErrStoredWithAnotherKind", &stancegraph.Graph{Entities: []*stancegraph.Entity{proposal("openai")}},
			[]string{`entity "openai"|kind|CONFLICT`}},
		{"ErrRelationEndMissing", &stancegraph.Graph{Relations: []*stancegraph.Relation{{Type: stancegraph.Proposed, From: "openai", To: "nowhere"}}},
			[]string{"relations[0] PROPOSED openai->nowhere||NOT_FOUND"}},
		{"ErrPositionSourceMissing", &stancegraph.Graph{Positions: []*stancegraph.Position{supports("openai", "consortia", "nowhere")}},
			[]string{"positions[0] openai SUPPORTS consortia|source|NOT_FOUND"}},
		{"ErrPositionOnAnActor", &stancegraph.Graph{Positions: []*stancegraph.Position{supports("openai", "openai", "article")}},
			[]string{"positions[0] openai SUPPORTS openai|target|INVALID"}},
		{"ErrPositionTwiceDiffering", &stancegraph.Graph{Positions: []*stancegraph.Position{
			supports("openai", "consortia", "article"), {ActorID: "openai", TargetID: "consortia", Stance: stancegraph.Supports, Quote: "other words", SourceID: "article", StatedAt: "2025-12-13"},
		}}, []string{"positions[1] openai SUPPORTS consortia||CONFLICT"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ps, err := ingest.Check(context.Background(), tc.g, storeOf(nil, stored...))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range ps {
				got = append(got, p.Entry+"|"+p.Field+"|"+p.Code)
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("problems\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

// Check gives positions their default strength and derived id.
func TestCheck_NormalisesPositions(t *testing.T) {
	p := supports("openai", "consortia", "article")
	g := &stancegraph.Graph{Entities: []*stancegraph.Entity{company("openai"), proposal("consortia"), source("article")}, Positions: []*stancegraph.Position{p}}
	ps, err := ingest.Check(context.Background(), g, storeOf(nil))
	if err != nil || len(ps) > 0 {
		t.Fatalf("Check = %v, %v", ps, err)
	}
	if p.Strength != 1 {
		t.Errorf("strength = %d, want the default 1", p.Strength)
	}
	if want := stancegraph.PositionID("openai", "consortia", stancegraph.Supports, "article"); p.ID != want {
		t.Errorf("id = %q, want %q", p.ID, want)
	}
}

// Check asks the store for at most MaxBatchIDs ids at a time, and passes
// its error on.
func TestCheck_LooksUpInBatches(t *testing.T) {
	n := stancegraph.MaxBatchIDs + 5
	g := &stancegraph.Graph{}
	for i := range n {
		g.Entities = append(g.Entities, company(fmt.Sprintf("c%d", i)))
	}
	var batches []int
	if _, err := ingest.Check(context.Background(), g, storeOf(&batches)); err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, b := range batches {
		if b > stancegraph.MaxBatchIDs {
			t.Errorf("a lookup of %d ids, more than %d", b, stancegraph.MaxBatchIDs)
		}
		total += b
	}
	if len(batches) != 2 || total != n {
		t.Errorf("lookups %v, want 2 covering %d ids", batches, n)
	}

	boom := errors.New("store down")
	_, err := ingest.Check(context.Background(), g, func(context.Context, []string) ([]*stancegraph.Entity, error) { return nil, boom })
	if !errors.Is(err, boom) {
		t.Errorf("Check with a failing lookup = %v, want %v", err, boom)
	}
}

// A check stops when its request ends, with the context's code, before
// it looks anything up.
func TestCheck_StopsWithItsContext(t *testing.T) {
	g := &stancegraph.Graph{}
	for i := range 3000 {
		g.Entities = append(g.Entities, company(fmt.Sprintf("c%d", i)))
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var batches []int
	_, err := ingest.Check(ctx, g, storeOf(&batches))
	if stancegraph.ErrorCode(err) != stancegraph.EUNAVAILABLE || !errors.Is(err, context.Canceled) {
		t.Fatalf("Check with a cancelled context = %v, want UNAVAILABLE wrapping context.Canceled", err)
	}
	if len(batches) != 0 {
		t.Errorf("a cancelled check looked up %v", batches)
	}
}

func TestProblemsError(t *testing.T) {
	if err := ingest.ProblemsError(nil); err != nil {
		t.Errorf("ProblemsError(nil) = %v", err)
	}
	var ps []ingest.Problem
	for i := range 25 {
		code := stancegraph.EINVALID
		if i == 0 {
			code = stancegraph.ECONFLICT
		}
		ps = append(ps, ingest.Problem{Entry: fmt.Sprintf("positions[%d]", i), Field: "quote", Code: code, Msg: "quote is required"})
	}
	err := ingest.ProblemsError(ps)
	if stancegraph.ErrorCode(err) != stancegraph.ECONFLICT {
		t.Errorf("code %s, want the first problem's, CONFLICT", stancegraph.ErrorCode(err))
	}
	msg := stancegraph.ErrorMessage(err)
	for _, want := range []string{"25 problem(s) in the import; nothing was written; positions[0]: quote: quote is required", "positions[19]: quote", "; and 5 more"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q lacks %q", msg, want)
		}
	}
	if strings.Contains(msg, "positions[20]") {
		t.Errorf("message %q lists more than 20 problems", msg)
	}
}
