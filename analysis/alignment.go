package analysis

import (
	"context"
	"slices"
	"strings"

	"github.com/stancegraph/stancegraph"
)

// AlignmentQuery asks how two actors align.
type AlignmentQuery struct {
	A, B          string
	Normalization Normalization
	// Targets and Topics, when given, restrict the targets counted.
	Targets, Topics []string
	Window          Window
}

// Alignment is how two actors align: the targets where they agree and
// where they clash, each with both sides' evidence, and the scores.
type Alignment struct {
	AID, BID      string
	Normalization Normalization
	// SizeA and SizeB are |A| and |B|: how many (target, stance) pairs
	// each actor holds.
	SizeA, SizeB int
	Congruence   float64
	Conflict     float64
	Agreements   []*AlignedTarget
	Conflicts    []*AlignedTarget
	// OnlyA and OnlyB are A \ B and B \ A: the (target, stance) pairs one
	// actor holds and the other does not, by target then stance, so that
	// |A| = |A ∩ B| + |OnlyA|. A pair the other actor opposes is in both
	// Conflicts and OnlyA.
	OnlyA, OnlyB []*HeldTarget
}

// HeldTarget is a (target, stance) pair one actor holds, with its evidence.
type HeldTarget struct {
	TargetID  string
	Stance    stancegraph.Stance
	Positions []*stancegraph.Position
}

// AlignedTarget is a target both actors hold a stance on: the same stance
// for an agreement, opposite ones for a conflict. A and B are the
// positions stating StanceA and StanceB.
type AlignedTarget struct {
	TargetID         string
	StanceA, StanceB stancegraph.Stance
	A, B             []*stancegraph.Position
}

// Align computes the alignment of two actors. Returns ENOTFOUND for an
// unknown actor and EINVALID for an entity that is not an actor or a bad
// argument.
func Align(ctx context.Context, s stancegraph.Store, q AlignmentQuery) (*Alignment, error) {
	norm, err := validNorm(q.Normalization)
	if err != nil {
		return nil, err
	}
	if err := q.Window.Validate(); err != nil {
		return nil, err
	}
	for _, c := range []struct{ field, id string }{{"a", q.A}, {"b", q.B}} {
		if err := stancegraph.ValidateID(c.field, c.id); err != nil {
			return nil, err
		}
	}
	es, err := s.Entities(ctx, []string{q.A, q.B})
	if err != nil {
		return nil, err
	}
	for i, field := range []string{"a", "b"} {
		if es[i] == nil {
			return nil, &stancegraph.Error{Code: stancegraph.ENOTFOUND, Field: field, Message: "no entity with id \"" + []string{q.A, q.B}[i] + "\""}
		}
		if !es[i].Kind.IsActor() {
			return nil, stancegraph.FieldErrorf(field, "%s %q is not an actor", es[i].Kind, es[i].ID)
		}
	}
	targets, err := targetSet(ctx, s, "", q.Targets, q.Topics)
	if err != nil {
		return nil, err
	}
	ps, err := positionsIn(ctx, s, uniqueIDs(q.A, q.B), targets, q.Window)
	if err != nil {
		return nil, err
	}
	// Evidence of each side by target, then stance.
	type side map[string]map[stancegraph.Stance][]*stancegraph.Position
	sides := [2]side{{}, {}}
	for _, p := range ps {
		for i, id := range []string{q.A, q.B} {
			if p.ActorID != id {
				continue
			}
			byStance := sides[i][p.TargetID]
			if byStance == nil {
				byStance = map[stancegraph.Stance][]*stancegraph.Position{}
				sides[i][p.TargetID] = byStance
			}
			byStance[p.Stance] = append(byStance[p.Stance], p)
		}
	}
	al := &Alignment{AID: q.A, BID: q.B, Normalization: norm, Agreements: []*AlignedTarget{}, Conflicts: []*AlignedTarget{}}
	for _, bs := range sides[0] {
		al.SizeA += len(bs)
	}
	for _, bs := range sides[1] {
		al.SizeB += len(bs)
	}
	shared := make([]string, 0, len(sides[0]))
	for t := range sides[0] {
		if sides[1][t] != nil {
			shared = append(shared, t)
		}
	}
	slices.Sort(shared)
	for _, t := range shared {
		a, b := sides[0][t], sides[1][t]
		for _, st := range stancegraph.Stances {
			if a[st] != nil && b[st] != nil {
				al.Agreements = append(al.Agreements, &AlignedTarget{TargetID: t, StanceA: st, StanceB: st, A: a[st], B: b[st]})
			}
		}
		// One conflict per target; SUPPORTS against OPPOSES first.
		for _, st := range stancegraph.Stances {
			if a[st] != nil && b[st.Opposite()] != nil {
				al.Conflicts = append(al.Conflicts, &AlignedTarget{TargetID: t, StanceA: st, StanceB: st.Opposite(), A: a[st], B: b[st.Opposite()]})
				break
			}
		}
	}
	for i, only := range []*[]*HeldTarget{&al.OnlyA, &al.OnlyB} {
		mine, theirs := sides[i], sides[1-i]
		*only = []*HeldTarget{}
		targets := make([]string, 0, len(mine))
		for t := range mine {
			targets = append(targets, t)
		}
		slices.Sort(targets)
		for _, t := range targets {
			for _, st := range stancegraph.Stances {
				if ps := mine[t][st]; ps != nil && theirs[t][st] == nil {
					*only = append(*only, &HeldTarget{TargetID: t, Stance: st, Positions: ps})
				}
			}
		}
	}
	cong := len(al.Agreements)
	al.Congruence = normalize(norm, cong, al.SizeA, al.SizeB, cong)
	al.Conflict = normalize(norm, len(al.Conflicts), al.SizeA, al.SizeB, cong)
	return al, nil
}

func uniqueIDs(ids ...string) []string {
	out := slices.Clone(ids)
	slices.SortFunc(out, strings.Compare)
	return slices.Compact(out)
}
