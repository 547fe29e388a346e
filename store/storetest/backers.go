package storetest

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/analysis"
)

// backersRow is a backers read flattened to ids, for comparing.
type backersRow struct {
	Target            string
	Positions         []string // id actor source
	Proposed, Members []string // from>to [from-end to-end source-end]
	Actors            []string // id, then its memberOf
	Truncated         bool
}

func flattenBackers(r *stancegraph.BackersResult) backersRow {
	var row backersRow
	if r.Target != nil {
		row.Target = r.Target.ID
	}
	endID := func(er *stancegraph.EntityResult) string {
		if er == nil {
			return "-"
		}
		return er.Entity.ID
	}
	for _, pr := range r.Positions {
		row.Positions = append(row.Positions, pr.Position.ID+" "+endID(pr.Actor)+" "+endID(pr.Source))
	}
	rels := func(rs []*stancegraph.RelationResult) []string {
		var out []string
		for _, rr := range rs {
			out = append(out, rr.Relation.From+">"+rr.Relation.To+" "+endID(rr.From)+" "+endID(rr.To)+" "+endID(rr.Source))
		}
		return out
	}
	row.Proposed, row.Members = rels(r.Proposed), rels(r.Members)
	for _, er := range r.Actors {
		a := er.Entity.ID
		for _, m := range er.Related["memberOf"] {
			a += " " + m.Entity.ID
		}
		row.Actors = append(row.Actors, a)
	}
	row.Truncated = r.Truncated
	return row
}

// A backers read returns, in one go, what analysis.FindBackers reads in
// four calls, with the ends asked for; grouped, it gives the same backers.
func testPlanBackers(t *testing.T, h *harness) {
	s := h.fixture(t)
	S := stancegraph.Supports
	uac, tpd := "us-anchored-ai-consortia", "trusted-partner-designation"
	bsa := "business-software-alliance"
	memberOf := &stancegraph.EntitySelect{Related: []*stancegraph.RelatedAsk{{Key: "memberOf", Type: stancegraph.MemberOf, Out: true,
		Kinds: []stancegraph.Kind{stancegraph.KindTradeAssociation}, Select: &stancegraph.EntitySelect{}}}}
	ends := &stancegraph.PositionSelect{Actor: &stancegraph.EntitySelect{}, Source: &stancegraph.EntitySelect{}}
	via := &stancegraph.RelationSelect{From: &stancegraph.EntitySelect{}, To: &stancegraph.EntitySelect{}, Source: &stancegraph.EntitySelect{}}
	for _, tc := range []struct {
		name string
		read stancegraph.BackersRead
		want backersRow
	}{
		{"MembersAndProposers", stancegraph.BackersRead{Target: uac, Stance: S, Members: true, Proposers: true, Actor: memberOf, PosSelect: ends, Via: via},
			backersRow{
				Target:    uac,
				Positions: []string{pid(bsa, uac, S, "bsa-comment") + " " + bsa + " bsa-comment"},
				Proposed:  []string{bsa + ">" + uac + " " + bsa + " " + uac + " -"},
				Members: []string{"amazon-web-services>" + bsa + " amazon-web-services " + bsa + " -", "anthropic>" + bsa + " anthropic " + bsa + " -",
					"openai>" + bsa + " openai " + bsa + " -"},
				Actors: []string{"amazon-web-services " + bsa, "anthropic " + bsa, bsa, "openai " + bsa},
			}},
		{"NoSelects", stancegraph.BackersRead{Target: uac, Stance: S, Members: true, Proposers: true},
			backersRow{
				Target:    uac,
				Positions: []string{pid(bsa, uac, S, "bsa-comment") + " - -"},
				Proposed:  []string{bsa + ">" + uac + " - - -"},
				Members:   []string{"amazon-web-services>" + bsa + " - - -", "anthropic>" + bsa + " - - -", "openai>" + bsa + " - - -"},
			}},
		{"Window", stancegraph.BackersRead{Target: tpd, Stance: S, Window: stancegraph.DateWindow{From: "2025-12"}, Members: true, Proposers: true, PosSelect: ends,
			Actor: &stancegraph.EntitySelect{}},
			backersRow{
				Target:    tpd,
				Positions: []string{pid("openai", tpd, S, "news-article") + " openai news-article"},
				Proposed:  []string{"openai>" + tpd + " - - -"},
				Actors:    []string{"openai"},
			}},
		{"AllInOrder", stancegraph.BackersRead{Target: tpd, Stance: S, Actor: &stancegraph.EntitySelect{}},
			backersRow{
				Target: tpd,
				Positions: []string{pid("openai", tpd, S, "openai-comment") + " - -", pid("amazon-web-services", tpd, S, "aws-comment") + " - -",
					pid("openai", tpd, S, "news-article") + " - -"},
				Proposed: []string{"openai>" + tpd + " - - -"},
				Actors:   []string{"amazon-web-services", "openai"},
			}},
		{"ProposersOnlyForSupports", stancegraph.BackersRead{Target: uac, Stance: stancegraph.Opposes, Proposers: true, Actor: &stancegraph.EntitySelect{}},
			backersRow{
				Target:    uac,
				Positions: []string{pid("amazon-web-services", uac, stancegraph.Opposes, "aws-comment") + " - -"},
				Proposed:  []string{bsa + ">" + uac + " - - -"},
				Actors:    []string{"amazon-web-services"},
			}},
		{"UnknownTarget", stancegraph.BackersRead{Target: "no-such-proposal", Stance: S, Members: true, Proposers: true, Actor: memberOf, PosSelect: ends, Via: via}, backersRow{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			read := tc.read
			r := readOne(t, s, &stancegraph.RootQuery{Backers: &read}).Backers
			if diff := cmp.Diff(flattenBackers(r), tc.want); diff != "" {
				t.Errorf("read (-got +want):\n%s", diff)
			}
			if r.Target == nil {
				return
			}
			// Grouped, the read answers as FindBackers does.
			q := analysis.BackersQuery{Target: read.Target, Stance: read.Stance, Window: read.Window, Members: read.Members, Proposers: read.Proposers}
			want, err := analysis.FindBackers(t.Context(), s, q)
			mustOK(t, err)
			got := analysis.GroupRead(q, r)
			if diff := cmp.Diff(got, want); diff != "" {
				t.Errorf("grouped (-got +want):\n%s", diff)
			}
		})
	}
}
