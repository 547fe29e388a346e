package analysis

import (
	"context"
	"slices"
	"sort"

	"github.com/stancegraph/stancegraph"
)

// Backer is an actor holding a stance on a target, with its evidence.
type Backer struct {
	ActorID   string
	Positions []*stancegraph.Position
	// Proposed says whether the actor also put the target forward.
	Proposed bool
	// Direct says the actor states the stance itself. An indirect backer
	// is attributed the stance through Via: the MEMBER_OF relations to the
	// trade associations that state it (whose positions are then the
	// evidence), or the PROPOSED relation of a proposer without a
	// position of its own.
	Direct bool
	Via    []*stancegraph.Relation
}

// BackersQuery asks who holds a stance on a target.
type BackersQuery struct {
	Target string
	Stance stancegraph.Stance
	// Proposers adds, for SUPPORTS, the actors that proposed the target
	// without stating a position, with no evidence.
	Proposers bool
	// Members adds the member companies of the trade associations that
	// hold the stance, with the associations' positions as evidence.
	Members bool
	// Window bounds the positions' statedAt: see stancegraph.DateWindow.
	Window Window
}

// Backers returns the actors stating stance on the target, each with every
// position that states it; actors with more evidence come first, then by
// id. Returns ENOTFOUND for an unknown target and EINVALID for an entity
// positions cannot be taken on.
func Backers(ctx context.Context, s stancegraph.Store, targetID string, stance stancegraph.Stance) ([]*Backer, error) {
	return FindBackers(ctx, s, BackersQuery{Target: targetID, Stance: stance})
}

// FindBackers answers q: the direct backers first, then the indirect ones
// q asks for; within each, more evidence first, then by id. An actor that
// states the stance itself is listed once, as direct.
func FindBackers(ctx context.Context, s stancegraph.Store, q BackersQuery) ([]*Backer, error) {
	if !q.Stance.Valid() {
		return nil, stancegraph.Stances.Invalid("stance", "stance", q.Stance)
	}
	if err := q.Window.Validate(); err != nil {
		return nil, err
	}
	if err := stancegraph.ValidateID("of", q.Target); err != nil {
		return nil, err
	}
	es, err := s.Entities(ctx, []string{q.Target})
	if err != nil {
		return nil, err
	}
	var target *stancegraph.Entity
	if len(es) > 0 {
		target = es[0]
	}
	if err := CheckBackersTarget(q.Target, target); err != nil {
		return nil, err
	}
	ps, err := s.Positions(ctx, stancegraph.PositionFilter{TargetIDs: []string{q.Target}, Stance: q.Stance, From: q.Window.From, To: q.Window.To, AsOf: q.Window.AsOf})
	if err != nil {
		return nil, err
	}
	proposers, err := s.Relations(ctx, stancegraph.RelationFilter{Types: []stancegraph.RelType{stancegraph.Proposed}, ToIDs: []string{q.Target}})
	if err != nil {
		return nil, err
	}
	var members []*stancegraph.Relation
	if q.Members && len(ps) > 0 {
		var ids []string
		seen := map[string]bool{}
		for _, p := range ps {
			if !seen[p.ActorID] {
				seen[p.ActorID] = true
				ids = append(ids, p.ActorID)
			}
		}
		// Only trade associations have members, so the relations name
		// exactly the associations among the backers.
		if members, err = s.Relations(ctx, stancegraph.RelationFilter{Types: []stancegraph.RelType{stancegraph.MemberOf}, ToIDs: ids}); err != nil {
			return nil, err
		}
	}
	return GroupBackers(q, ps, proposers, members), nil
}

// GroupBackers groups what FindBackers reads into backers, as it answers
// q: ps are the target's positions of the stance in the window, in store
// order; proposers the PROPOSED relations to the target; members, used
// when q.Members, the MEMBER_OF relations to the actors of ps. Read
// through a plan, the same reads give the same answer.
func GroupBackers(q BackersQuery, ps []*stancegraph.Position, proposers, members []*stancegraph.Relation) []*Backer {
	proposed := make(map[string]*stancegraph.Relation, len(proposers))
	for _, r := range proposers {
		proposed[r.From] = r
	}
	byActor := map[string]*Backer{}
	var direct []*Backer
	for _, p := range ps {
		b := byActor[p.ActorID]
		if b == nil {
			b = &Backer{ActorID: p.ActorID, Proposed: proposed[p.ActorID] != nil, Direct: true, Via: []*stancegraph.Relation{}}
			byActor[p.ActorID] = b
			direct = append(direct, b)
		}
		b.Positions = append(b.Positions, p)
	}
	var indirect []*Backer
	if q.Members && len(direct) > 0 {
		for _, r := range members {
			if byActor[r.To] == nil || !byActor[r.To].Direct {
				continue
			}
			b := byActor[r.From]
			if b == nil {
				b = &Backer{ActorID: r.From, Proposed: proposed[r.From] != nil, Positions: []*stancegraph.Position{}}
				byActor[r.From] = b
				indirect = append(indirect, b)
			}
			if b.Direct {
				continue
			}
			b.Via = append(b.Via, r)
			b.Positions = append(b.Positions, byActor[r.To].Positions...)
		}
		for _, b := range indirect {
			sortByStatedAt(b.Positions)
		}
	}
	if q.Proposers && q.Stance == stancegraph.Supports {
		for _, r := range proposers {
			if byActor[r.From] == nil {
				b := &Backer{ActorID: r.From, Proposed: true, Positions: []*stancegraph.Position{}, Via: []*stancegraph.Relation{r}}
				byActor[r.From] = b
				indirect = append(indirect, b)
			}
		}
	}
	byEvidence := func(bs []*Backer) {
		sort.SliceStable(bs, func(i, j int) bool {
			if len(bs[i].Positions) != len(bs[j].Positions) {
				return len(bs[i].Positions) > len(bs[j].Positions)
			}
			return bs[i].ActorID < bs[j].ActorID
		})
	}
	byEvidence(direct)
	byEvidence(indirect)
	return append(direct, indirect...)
}

// GroupRead groups a plan's backers read (stancegraph.BackersRead) as
// GroupBackers groups what FindBackers reads.
func GroupRead(q BackersQuery, r *stancegraph.BackersResult) []*Backer {
	ps := make([]*stancegraph.Position, len(r.Positions))
	for i, pr := range r.Positions {
		ps[i] = pr.Position
	}
	rels := func(rs []*stancegraph.RelationResult) []*stancegraph.Relation {
		out := make([]*stancegraph.Relation, len(rs))
		for i, rr := range rs {
			out[i] = rr.Relation
		}
		return out
	}
	return GroupBackers(q, ps, rels(r.Proposed), rels(r.Members))
}

// sortPositions puts positions in store order: by statedAt, then id.
func sortByStatedAt(ps []*stancegraph.Position) {
	slices.SortFunc(ps, stancegraph.CompareStated)
}

// CheckBackersTarget checks the entity read for the target id of a
// backers query (nil when none has it): ENOTFOUND for an unknown target,
// EINVALID for an entity positions cannot be taken on; both name the field
// "of".
func CheckBackersTarget(id string, target *stancegraph.Entity) error {
	if target == nil {
		return &stancegraph.Error{Code: stancegraph.ENOTFOUND, Field: "of", Message: "no entity with id \"" + id + "\""}
	}
	if !target.Kind.IsStanceable() {
		return stancegraph.FieldErrorf("of", "%s %q is not a policy proposal or program", target.Kind, id)
	}
	return nil
}
