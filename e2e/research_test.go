package e2e_test

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/analysis"
	"github.com/stancegraph/stancegraph/server"
)

// researchFixture is a graph small enough to work its scores out by hand.
// Statements (target, stance) of each company, all stated 2025-01-10
// unless dated:
//
//	alpha    prop-1 +, prop-2 +, prop-3 −   (prop-1 + twice: src-1 and, 2025-02-01, src-2)
//	bravo    prop-1 +, prop-2 +, prop-3 −
//	charlie  prop-1 +, prop-2 −, prop-3 −, prop-4 + (2025-06-01)
//	delta    prop-1 −, prop-3 +, prop-4 +
//	echo     prop-1 −, prop-3 +, prop-4 +
//	guild (TRADE_ASSOCIATION) prop-5 +; alpha and delta are its members
//
// alpha PROPOSED prop-1 and echo PROPOSED prop-5.
func researchFixture() *stancegraph.Graph {
	g := &stancegraph.Graph{}
	for _, id := range []string{"alpha", "bravo", "charlie", "delta", "echo"} {
		g.Entities = append(g.Entities, &stancegraph.Entity{ID: id, Kind: stancegraph.KindCompany, Name: "Company " + id})
	}
	g.Entities = append(g.Entities, &stancegraph.Entity{ID: "guild", Kind: stancegraph.KindTradeAssociation, Name: "The Guild"})
	for _, id := range []string{"prop-1", "prop-2", "prop-3", "prop-4", "prop-5"} {
		g.Entities = append(g.Entities, &stancegraph.Entity{ID: id, Kind: stancegraph.KindPolicyProposal, Name: "Proposal " + id, Topics: []string{"topic-" + id}})
	}
	for _, id := range []string{"src-1", "src-2"} {
		g.Entities = append(g.Entities, &stancegraph.Entity{ID: id, Kind: stancegraph.KindSource, Name: "Source " + id, SourceKind: stancegraph.OtherSource})
	}
	rel := func(typ stancegraph.RelType, from, to string) {
		g.Relations = append(g.Relations, &stancegraph.Relation{Type: typ, From: from, To: to})
	}
	rel(stancegraph.MemberOf, "alpha", "guild")
	rel(stancegraph.MemberOf, "delta", "guild")
	rel(stancegraph.Proposed, "alpha", "prop-1")
	rel(stancegraph.Proposed, "echo", "prop-5")
	pos := func(actor, target string, stance stancegraph.Stance, src string, at stancegraph.Date) {
		g.Positions = append(g.Positions, &stancegraph.Position{ActorID: actor, TargetID: target, Stance: stance, SourceID: src,
			StatedAt: at, Strength: 1, Quote: actor + " " + string(stance) + " " + target})
	}
	sup, opp := stancegraph.Supports, stancegraph.Opposes
	for _, a := range []string{"alpha", "bravo"} {
		pos(a, "prop-1", sup, "src-1", "2025-01-10")
		pos(a, "prop-2", sup, "src-1", "2025-01-10")
		pos(a, "prop-3", opp, "src-1", "2025-01-10")
	}
	pos("alpha", "prop-1", sup, "src-2", "2025-02-01")
	pos("charlie", "prop-1", sup, "src-1", "2025-01-10")
	pos("charlie", "prop-2", opp, "src-1", "2025-01-10")
	pos("charlie", "prop-3", opp, "src-1", "2025-01-10")
	pos("charlie", "prop-4", sup, "src-1", "2025-06-01")
	for _, a := range []string{"delta", "echo"} {
		pos(a, "prop-1", opp, "src-1", "2025-01-10")
		pos(a, "prop-3", sup, "src-1", "2025-01-10")
		pos(a, "prop-4", sup, "src-1", "2025-01-10")
	}
	pos("guild", "prop-5", sup, "src-1", "2025-01-10")
	return g
}

// floats compare to 1e-9.
var floats = cmpopts.EquateApprox(0, 1e-9)

type edgeRow struct {
	A, B     string
	W        float64
	Cong, Cf int
	Targets  []string
}

func edgeRows(net *analysis.ActorNetwork) []edgeRow {
	rows := []edgeRow{}
	for _, e := range net.Edges {
		rows = append(rows, edgeRow{e.AID, e.BID, e.Weight, e.Congruence, e.Conflict, e.TargetIDs()})
	}
	return rows
}

func TestResearch_HandWorked(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			s := b.open(t)
			if _, err := s.Import(t.Context(), researchFixture()); err != nil {
				t.Fatal(err)
			}
			ctx := t.Context()

			t.Run("Alignment", func(t *testing.T) {
				// A = alpha {1+, 2+, 3−}, B = charlie {1+, 2−, 3−, 4+}:
				// |A| = 3, |B| = 4, agreements 1+ and 3− (2), conflict on 2 (1),
				// |A ∪ B| = 3 + 4 − 2 = 5.
				for _, tc := range []struct {
					norm       analysis.Normalization
					cong, conf float64
				}{
					{analysis.NormNone, 2, 1},
					{analysis.NormAverage, 2 / 3.5, 1 / 3.5},
					{analysis.NormJaccard, 2.0 / 5, 1.0 / 5},
					{analysis.NormCosine, 2 / math.Sqrt(12), 1 / math.Sqrt(12)},
				} {
					al, err := analysis.Align(ctx, s, analysis.AlignmentQuery{A: "alpha", B: "charlie", Normalization: tc.norm})
					if err != nil {
						t.Fatal(err)
					}
					got := []float64{float64(al.SizeA), float64(al.SizeB), al.Congruence, al.Conflict}
					if diff := cmp.Diff(got, []float64{3, 4, tc.cong, tc.conf}, floats); diff != "" {
						t.Errorf("%s: sizes and scores (-got +want):\n%s", tc.norm, diff)
					}
				}
				al, err := analysis.Align(ctx, s, analysis.AlignmentQuery{A: "alpha", B: "charlie"})
				if err != nil {
					t.Fatal(err)
				}
				type row struct {
					Target, SA, SB string
					A, B           int
				}
				var rows []row
				for _, x := range append(al.Agreements, al.Conflicts...) {
					rows = append(rows, row{x.TargetID, string(x.StanceA), string(x.StanceB), len(x.A), len(x.B)})
				}
				want := []row{{"prop-1", "SUPPORTS", "SUPPORTS", 2, 1}, {"prop-3", "OPPOSES", "OPPOSES", 1, 1}, {"prop-2", "SUPPORTS", "OPPOSES", 1, 1}}
				if diff := cmp.Diff(rows, want); diff != "" {
					t.Errorf("agreements then conflicts (-got +want):\n%s", diff)
				}
				// A − B = {2+}; B − A = {2−, 4+}, with their evidence.
				type held struct {
					Target, Stance string
					N              int
				}
				onlyRows := func(hs []*analysis.HeldTarget) []held {
					out := []held{}
					for _, h := range hs {
						out = append(out, held{h.TargetID, string(h.Stance), len(h.Positions)})
					}
					return out
				}
				if diff := cmp.Diff(onlyRows(al.OnlyA), []held{{"prop-2", "SUPPORTS", 1}}); diff != "" {
					t.Errorf("onlyA (-got +want):\n%s", diff)
				}
				if diff := cmp.Diff(onlyRows(al.OnlyB), []held{{"prop-2", "OPPOSES", 1}, {"prop-4", "SUPPORTS", 1}}); diff != "" {
					t.Errorf("onlyB (-got +want):\n%s", diff)
				}
				if len(al.Agreements)+len(al.OnlyA) != al.SizeA || len(al.Agreements)+len(al.OnlyB) != al.SizeB {
					t.Errorf("|A| = %d, |B| = %d: not agreements + only", al.SizeA, al.SizeB)
				}
				// As of 2025-05-31, charlie's prop-4 + is not yet stated:
				// |B| = 3, |A ∪ B| = 4.
				al, err = analysis.Align(ctx, s, analysis.AlignmentQuery{A: "alpha", B: "charlie", Normalization: analysis.NormJaccard,
					Window: analysis.Window{AsOf: "2025-05-31"}})
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff([]float64{float64(al.SizeB), al.Congruence, al.Conflict}, []float64{3, 0.5, 0.25}, floats); diff != "" {
					t.Errorf("as of 2025-05-31 (-got +want):\n%s", diff)
				}
				// Only on prop-2: they clash there and agree nowhere.
				al, err = analysis.Align(ctx, s, analysis.AlignmentQuery{A: "alpha", B: "charlie", Topics: []string{"topic-prop-2"}})
				if err != nil {
					t.Fatal(err)
				}
				if al.Congruence != 0 || al.Conflict != 1 || al.SizeA != 1 || al.SizeB != 1 {
					t.Errorf("on topic-prop-2: %+v", al)
				}
			})

			t.Run("Network", func(t *testing.T) {
				net, err := analysis.Network(ctx, s, analysis.NetworkQuery{Limit: 10})
				if err != nil {
					t.Fatal(err)
				}
				type nodeRow struct {
					ID         string
					Statements int
					Positions  int
				}
				var nodes []nodeRow
				for _, n := range net.Nodes {
					nodes = append(nodes, nodeRow{n.ActorID, n.Statements, n.Positions})
				}
				wantNodes := []nodeRow{{"alpha", 3, 4}, {"bravo", 3, 3}, {"charlie", 4, 4}, {"delta", 3, 3}, {"echo", 3, 3}, {"guild", 1, 1}}
				if diff := cmp.Diff(nodes, wantNodes); diff != "" {
					t.Errorf("nodes (-got +want):\n%s", diff)
				}
				want := []edgeRow{
					{"alpha", "bravo", 3, 3, 0, []string{"prop-1", "prop-2", "prop-3"}},
					{"alpha", "charlie", 2, 2, 1, []string{"prop-1", "prop-3"}},
					{"bravo", "charlie", 2, 2, 1, []string{"prop-1", "prop-3"}},
					{"charlie", "delta", 1, 1, 2, []string{"prop-4"}},
					{"charlie", "echo", 1, 1, 2, []string{"prop-4"}},
					{"delta", "echo", 3, 3, 0, []string{"prop-1", "prop-3", "prop-4"}},
				}
				if diff := cmp.Diff(edgeRows(net), want, floats); diff != "" {
					t.Errorf("congruence edges (-got +want):\n%s", diff)
				}

				net, err = analysis.Network(ctx, s, analysis.NetworkQuery{Limit: 10, Mode: analysis.ModeConflict})
				if err != nil {
					t.Fatal(err)
				}
				want = []edgeRow{
					{"alpha", "charlie", 1, 2, 1, []string{"prop-2"}},
					{"alpha", "delta", 2, 0, 2, []string{"prop-1", "prop-3"}},
					{"alpha", "echo", 2, 0, 2, []string{"prop-1", "prop-3"}},
					{"bravo", "charlie", 1, 2, 1, []string{"prop-2"}},
					{"bravo", "delta", 2, 0, 2, []string{"prop-1", "prop-3"}},
					{"bravo", "echo", 2, 0, 2, []string{"prop-1", "prop-3"}},
					{"charlie", "delta", 2, 1, 2, []string{"prop-1", "prop-3"}},
					{"charlie", "echo", 2, 1, 2, []string{"prop-1", "prop-3"}},
				}
				if diff := cmp.Diff(edgeRows(net), want, floats); diff != "" {
					t.Errorf("conflict edges (-got +want):\n%s", diff)
				}

				// SUBTRACT with JACCARD: alpha–charlie (2 − 1) / 5 = 0.2;
				// charlie–delta (1 − 2) / (4 + 3 − 1) = −1/6; alpha–delta
				// (0 − 2) / 6 = −1/3; alpha–bravo 3 / 3 = 1.
				net, err = analysis.Network(ctx, s, analysis.NetworkQuery{Limit: 10, Mode: analysis.ModeSubtract, Normalization: analysis.NormJaccard})
				if err != nil {
					t.Fatal(err)
				}
				weights := map[[2]string]float64{}
				for _, e := range net.Edges {
					weights[[2]string{e.AID, e.BID}] = e.Weight
				}
				wantW := map[[2]string]float64{
					{"alpha", "bravo"}: 1, {"alpha", "charlie"}: 0.2, {"alpha", "delta"}: -1.0 / 3, {"alpha", "echo"}: -1.0 / 3,
					{"bravo", "charlie"}: 0.2, {"bravo", "delta"}: -1.0 / 3, {"bravo", "echo"}: -1.0 / 3,
					{"charlie", "delta"}: -1.0 / 6, {"charlie", "echo"}: -1.0 / 6, {"delta", "echo"}: 1,
				}
				if diff := cmp.Diff(weights, wantW, floats); diff != "" {
					t.Errorf("subtract/jaccard weights (-got +want):\n%s", diff)
				}

				// Only prop-1, before February: one statement each.
				net, err = analysis.Network(ctx, s, analysis.NetworkQuery{Limit: 10, Filter: analysis.NetworkFilter{Targets: []string{"prop-1"}},
					Window: analysis.Window{To: "2025-01-31"}})
				if err != nil {
					t.Fatal(err)
				}
				want = []edgeRow{
					{"alpha", "bravo", 1, 1, 0, []string{"prop-1"}},
					{"alpha", "charlie", 1, 1, 0, []string{"prop-1"}},
					{"bravo", "charlie", 1, 1, 0, []string{"prop-1"}},
					{"delta", "echo", 1, 1, 0, []string{"prop-1"}},
				}
				if diff := cmp.Diff(edgeRows(net), want, floats); diff != "" {
					t.Errorf("prop-1 edges (-got +want):\n%s", diff)
				}
				// The two most active actors: charlie (4 statements), then
				// alpha (3, first by id).
				top, err := analysis.Network(ctx, s, analysis.NetworkQuery{Limit: 2})
				if err != nil {
					t.Fatal(err)
				}
				if len(top.Nodes) != 2 || top.Nodes[0].ActorID != "alpha" || top.Nodes[1].ActorID != "charlie" || !top.Truncated || top.Actors != 6 {
					t.Errorf("limit 2: %d nodes, truncated %v, %d actors", len(top.Nodes), top.Truncated, top.Actors)
				}
				if len(net.Nodes) != 5 || net.Nodes[0].Positions != 1 {
					t.Errorf("prop-1 until 2025-01-31: %d nodes, alpha with %d positions; want 5 and 1", len(net.Nodes), net.Nodes[0].Positions)
				}
			})

			t.Run("Coalitions", func(t *testing.T) {
				// Congruence weights: ab 3, ac 2, bc 2, cd 1, ce 1, de 3; m = 12.
				// Degrees: a 5, b 5, c 6, d 4, e 4. For {a,b,c} {d,e} {guild}:
				// Q = 7/12 − (16/24)² + 3/12 − (8/24)² = 5/18, the best split
				// ({a,b} {c,d,e} gives 0.153).
				res, err := analysis.Coalitions(ctx, s, analysis.CoalitionQuery{Resolution: 1, Limit: 10})
				if err != nil {
					t.Fatal(err)
				}
				if math.Abs(res.Modularity-5.0/18) > 1e-9 {
					t.Errorf("modularity = %v, want 5/18", res.Modularity)
				}
				type shared struct {
					Target, Stance string
					Holders        []string
				}
				type row struct {
					ID      int
					Members []string
					Shared  []shared
				}
				var rows []row
				for _, c := range res.Coalitions {
					r := row{ID: c.ID, Members: c.MemberIDs}
					for _, sh := range c.Shared {
						r.Shared = append(r.Shared, shared{sh.TargetID, string(sh.Stance), sh.HolderIDs})
					}
					rows = append(rows, r)
				}
				want := []row{
					{1, []string{"alpha", "bravo", "charlie"}, []shared{
						{"prop-1", "SUPPORTS", []string{"alpha", "bravo", "charlie"}},
						{"prop-3", "OPPOSES", []string{"alpha", "bravo", "charlie"}},
						{"prop-2", "SUPPORTS", []string{"alpha", "bravo"}},
					}},
					{2, []string{"delta", "echo"}, []shared{
						{"prop-1", "OPPOSES", []string{"delta", "echo"}},
						{"prop-3", "SUPPORTS", []string{"delta", "echo"}},
						{"prop-4", "SUPPORTS", []string{"delta", "echo"}},
					}},
					{3, []string{"guild"}, nil},
				}
				if diff := cmp.Diff(rows, want); diff != "" {
					t.Errorf("coalitions (-got +want):\n%s", diff)
				}
				// The same graph gives the same partition every time.
				for range 5 {
					again, err := analysis.Coalitions(ctx, s, analysis.CoalitionQuery{Resolution: 1, Limit: 10})
					if err != nil {
						t.Fatal(err)
					}
					if diff := cmp.Diff(again, res, cmpopts.IgnoreUnexported(analysis.Coalition{})); diff != "" {
						t.Fatalf("a second run differs:\n%s", diff)
					}
				}
			})

			t.Run("Backers", func(t *testing.T) {
				type row struct {
					Actor            string
					Direct, Proposed bool
					Via              []string
					Evidence         int
				}
				rows := func(q stancegraph.BackersQuery) []row {
					t.Helper()
					bs, err := stancegraph.FindBackers(ctx, s, q)
					if err != nil {
						t.Fatal(err)
					}
					out := []row{}
					for _, b := range bs {
						r := row{Actor: b.ActorID, Direct: b.Direct, Proposed: b.Proposed, Evidence: len(b.Positions)}
						for _, v := range b.Via {
							r.Via = append(r.Via, string(v.Type)+" "+v.From+"->"+v.To)
						}
						out = append(out, r)
					}
					return out
				}
				sup := stancegraph.Supports
				got := rows(stancegraph.BackersQuery{Target: "prop-5", Stance: sup})
				if diff := cmp.Diff(got, []row{{"guild", true, false, nil, 1}}); diff != "" {
					t.Errorf("direct (-got +want):\n%s", diff)
				}
				got = rows(stancegraph.BackersQuery{Target: "prop-5", Stance: sup, Members: true, Proposers: true})
				want := []row{
					{"guild", true, false, nil, 1},
					{"alpha", false, false, []string{"MEMBER_OF alpha->guild"}, 1},
					{"delta", false, false, []string{"MEMBER_OF delta->guild"}, 1},
					{"echo", false, true, []string{"PROPOSED echo->prop-5"}, 0},
				}
				if diff := cmp.Diff(got, want); diff != "" {
					t.Errorf("with members and proposers (-got +want):\n%s", diff)
				}
				// alpha proposed prop-1 and states it: listed once, direct.
				got = rows(stancegraph.BackersQuery{Target: "prop-1", Stance: sup, Proposers: true, Window: stancegraph.DateWindow{To: "2025-01-31"}})
				want = []row{{"alpha", true, true, nil, 1}, {"bravo", true, false, nil, 1}, {"charlie", true, false, nil, 1}}
				if diff := cmp.Diff(got, want); diff != "" {
					t.Errorf("prop-1 until 2025-01-31 (-got +want):\n%s", diff)
				}
			})

			t.Run("NetworkSeries", func(t *testing.T) {
				// Windows of 31 days from 2025-01-01, every 31 days, to
				// 2025-06-30: Jan 1, Feb 1, Mar 4, Apr 4, May 5, Jun 5.
				// January holds the 2025-01-10 positions of six actors,
				// with the edges alpha-bravo, alpha-charlie, bravo-charlie
				// and delta-echo (charlie's prop-4 comes in June): a
				// density of 4/15. February holds alpha's second source,
				// May 5 – Jun 4 charlie's prop-4.
				ws, err := analysis.NetworkSeries(ctx, s, analysis.SeriesQuery{From: "2025-01-01", To: "2025-06-30", Window: 31, Step: 31, Limit: 10})
				if err != nil {
					t.Fatal(err)
				}
				type row struct {
					From, To    string
					Size, Edges int
					Density     float64
				}
				var got []row
				for _, w := range ws {
					got = append(got, row{string(w.From), string(w.To), w.Size, w.Edges, w.Density})
				}
				want := []row{{"2025-01-01", "2025-01-31", 6, 4, 4.0 / 15}, {"2025-02-01", "2025-03-03", 1, 0, 0}, {"2025-03-04", "2025-04-03", 0, 0, 0},
					{"2025-04-04", "2025-05-04", 0, 0, 0}, {"2025-05-05", "2025-06-04", 1, 0, 0}, {"2025-06-05", "2025-07-05", 0, 0, 0}}
				if diff := cmp.Diff(got, want, floats); diff != "" {
					t.Errorf("series (-got +want):\n%s", diff)
				}
				co, err := analysis.Coalitions(ctx, s, analysis.CoalitionQuery{Window: analysis.Window{From: "2025-01-01", To: "2025-01-31"}, Resolution: 1, Limit: 10})
				if err != nil {
					t.Fatal(err)
				}
				if ws[0].Modularity <= 0 || ws[0].Modularity != co.Modularity {
					t.Errorf("January modularity %v, want the coalitions' %v (> 0)", ws[0].Modularity, co.Modularity)
				}
				for name, q := range map[string]analysis.SeriesQuery{
					"TooManyWindows": {From: "2025-01-01", To: "2025-12-31", Window: 1, Step: 1, Limit: 10},
					"NoStep":         {From: "2025-01-01", To: "2025-12-31", Window: 7, Limit: 10},
					"NoYear":         {From: "XXXX-01-01", To: "2025-12-31", Window: 7, Step: 7, Limit: 10},
				} {
					if _, err := analysis.NetworkSeries(ctx, s, q); stancegraph.ErrorCode(err) != stancegraph.EINVALID {
						t.Errorf("%s: err = %v, want INVALID", name, err)
					}
				}
				cctx, cancel := context.WithCancel(ctx)
				cancel()
				if _, err := analysis.NetworkSeries(cctx, s, analysis.SeriesQuery{From: "2025-01-01", To: "2025-06-30", Window: 31, Step: 31, Limit: 10}); err == nil {
					t.Error("a cancelled series returned no error")
				}
			})

			t.Run("Path", func(t *testing.T) {
				ps, err := analysis.FindPaths(ctx, s, analysis.PathQuery{From: "alpha", To: "echo", MaxHops: 4, First: 10})
				if err != nil {
					t.Fatal(err)
				}
				var got [][]string
				for _, p := range ps {
					var walk []string
					for _, st := range p.Steps {
						walk = append(walk, st.FromID+" "+string(st.Type)+" "+string(st.Direction)+" "+st.ToID)
					}
					got = append(got, walk)
				}
				// Both edges alpha–prop-1 make a path; by node ids, then
				// edge types.
				want := [][]string{
					{"alpha PROPOSED FORWARD prop-1", "prop-1 OPPOSES BACKWARD echo"},
					{"alpha SUPPORTS FORWARD prop-1", "prop-1 OPPOSES BACKWARD echo"},
					{"alpha OPPOSES FORWARD prop-3", "prop-3 SUPPORTS BACKWARD echo"},
				}
				if diff := cmp.Diff(got, want); diff != "" {
					t.Errorf("paths (-got +want):\n%s", diff)
				}
				if n := len(ps[1].Steps[0].Positions); n != 2 {
					t.Errorf("alpha SUPPORTS prop-1 has %d pieces of evidence, want 2", n)
				}
				// Over membership only: alpha -> guild <- delta.
				ps, err = analysis.FindPaths(ctx, s, analysis.PathQuery{From: "alpha", To: "delta", MaxHops: 2, First: 10,
					Types: []analysis.EdgeType{"MEMBER_OF"}})
				if err != nil {
					t.Fatal(err)
				}
				if len(ps) != 1 || cmp.Diff(ps[0].NodeIDs, []string{"alpha", "guild", "delta"}) != "" {
					t.Errorf("MEMBER_OF paths: %+v", ps)
				}
				ps, err = analysis.FindPaths(ctx, s, analysis.PathQuery{From: "alpha", To: "prop-5", MaxHops: 1, First: 10})
				if err != nil || len(ps) != 0 {
					t.Errorf("prop-5 is 2 hops from alpha; within 1: %d paths, %v", len(ps), err)
				}
			})

			t.Run("Neighborhood", func(t *testing.T) {
				nb, err := analysis.Neighbors(ctx, s, analysis.NeighborhoodQuery{ID: "prop-1", Depth: 1, Limit: 3})
				if err != nil {
					t.Fatal(err)
				}
				var nodes, edges []string
				for _, n := range nb.Nodes {
					nodes = append(nodes, n.ID)
				}
				for _, e := range nb.Edges {
					edges = append(edges, e.Source+" "+string(e.Type)+" "+e.Target)
				}
				if diff := cmp.Diff(nodes, []string{"prop-1", "alpha", "bravo"}); diff != "" || !nb.Truncated {
					t.Errorf("nodes (-got +want), truncated %v:\n%s", nb.Truncated, diff)
				}
				wantEdges := []string{"alpha PROPOSED prop-1", "alpha SUPPORTS prop-1", "alpha SUPPORTS prop-1", "bravo SUPPORTS prop-1"}
				if diff := cmp.Diff(edges, wantEdges); diff != "" {
					t.Errorf("edges (-got +want):\n%s", diff)
				}
				nb, err = analysis.Neighbors(ctx, s, analysis.NeighborhoodQuery{ID: "guild", Depth: 2, Limit: 100,
					Types: []analysis.EdgeType{"MEMBER_OF", "PROPOSED"}})
				if err != nil {
					t.Fatal(err)
				}
				nodes = nil
				for _, n := range nb.Nodes {
					nodes = append(nodes, n.ID+"@"+string(rune('0'+n.Depth)))
				}
				if diff := cmp.Diff(nodes, []string{"guild@0", "alpha@1", "delta@1", "prop-1@2"}); diff != "" || nb.Truncated {
					t.Errorf("guild over MEMBER_OF and PROPOSED (-got +want), truncated %v:\n%s", nb.Truncated, diff)
				}
			})

			t.Run("Limits", func(t *testing.T) {
				h := server.NewGraphQL(s, server.Options{})
				for _, tc := range []struct{ query, field string }{
					{`{ path(from: "alpha", to: "echo", maxHops: 7) { length } }`, "maxHops"},
					{`{ path(from: "alpha", to: "echo", maxHops: 0) { length } }`, "maxHops"},
					{`{ path(from: "alpha", to: "echo", first: 101) { length } }`, "first"},
					{`{ path(from: "alpha", to: "nobody") { length } }`, "to"},
					{`{ neighborhood(id: "alpha", depth: 4) { truncated } }`, "depth"},
					{`{ neighborhood(id: "alpha", limit: 1001) { truncated } }`, "limit"},
					{`{ alignment(a: "alpha", b: "prop-1") { congruence } }`, "b"},
					{`{ alignment(a: "alpha", b: "bravo", from: "2025-02-01", to: "2025-01-01") { congruence } }`, "from"},
					{`{ coalitions(resolution: 0) { modularity } }`, "resolution"},
					{`{ coalitions(limit: 1001) { modularity } }`, "limit"},
					{`{ actorNetwork(limit: 0) { truncated } }`, "limit"},
					{`{ actorNetwork(filter: {topics: [` + repeat(`"t",`, 51) + `]}) { edges { weight } } }`, "filter.topics"},
					{`{ actorNetwork(filter: {actors: [` + repeat(`"a",`, 501) + `]}) { edges { weight } } }`, "filter.actors"},
					{`{ backers(of: "prop-1", asOf: "2025-13-01") { direct } }`, ""},
				} {
					code, field := runErr(t, h, tc.query)
					if code != "INVALID" && !(tc.field == "to" && code == "NOT_FOUND") {
						t.Errorf("%s: code %q, want INVALID", tc.query, code)
					}
					if field != tc.field {
						t.Errorf("%s: field %q, want %q", tc.query, field, tc.field)
					}
				}
			})
		})
	}
}

func repeat(s string, n int) string { return string(bytes.Repeat([]byte(s), n)) }

// runErr posts query to h and returns the code and field of its first
// error.
func runErr(t *testing.T, h http.Handler, query string) (code, field string) {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"query": query})
	req := httptest.NewRequest(http.MethodPost, "/query", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var resp struct {
		Errors []struct {
			Extensions struct {
				Code  string `json:"code"`
				Field string `json:"field"`
			} `json:"extensions"`
		} `json:"errors"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil || len(resp.Errors) == 0 {
		t.Fatalf("%s: want an error, got %d %s", query, rec.Code, rec.Body)
	}
	return resp.Errors[0].Extensions.Code, resp.Errors[0].Extensions.Field
}
