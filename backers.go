package stancegraph

import (
	"context"
	"sort"
	"strings"
)

// Backer is an actor holding a stance on a target, with its evidence.
type Backer struct {
	ActorID   string
	Positions []*Position
	// Proposed says whether the actor also put the target forward.
	Proposed bool
	// Direct says the actor states the stance itself. An indirect backer
	// is attributed the stance through Via: the MEMBER_OF relations to the
	// trade associations that state it (whose positions are then the
	// evidence), or the PROPOSED relation of a proposer without a
	// position of its own.
	Direct bool
	Via    []*Relation
}

// BackersQuery asks who holds a stance on a target.
type BackersQuery struct {
	Target string
	Stance Stance
	// Proposers adds, for SUPPORTS, the actors that proposed the target
	// without stating a position, with no evidence.
	Proposers bool
	// Members adds the member companies of the trade associations that
	// hold the stance, with the associations' positions as evidence.
	Members bool
	// Window bounds the positions' statedAt: see DateWindow.
	Window DateWindow
}

// Backers returns the actors stating stance on the target, each with every
// position that states it; actors with more evidence come first, then by
// id. Returns ENOTFOUND for an unknown target and EINVALID for an entity
// positions cannot be taken on.
func Backers(ctx context.Context, s Store, targetID string, stance Stance) ([]*Backer, error) {
	return FindBackers(ctx, s, BackersQuery{Target: targetID, Stance: stance})
}

// FindBackers answers q: the direct backers first, then the indirect ones
// q asks for; within each, more evidence first, then by id. An actor that
// states the stance itself is listed once, as direct.
func FindBackers(ctx context.Context, s Store, q BackersQuery) ([]*Backer, error) {
	if !q.Stance.Valid() {
		return nil, Stances.Invalid("stance", "stance", q.Stance)
	}
	if err := q.Window.Validate(); err != nil {
		return nil, err
	}
	target, err := lookupEntity(ctx, s, "of", q.Target)
	if err != nil {
		return nil, err
	}
	if !target.Kind.IsStanceable() {
		return nil, FieldErrorf("of", "%s %q is not a policy proposal or program", target.Kind, q.Target)
	}
	ps, err := s.Positions(ctx, PositionFilter{TargetIDs: []string{q.Target}, Stance: q.Stance, From: q.Window.From, To: q.Window.To, AsOf: q.Window.AsOf})
	if err != nil {
		return nil, err
	}
	proposers, err := s.Relations(ctx, RelationFilter{Types: []RelType{Proposed}, ToIDs: []string{q.Target}})
	if err != nil {
		return nil, err
	}
	proposed := make(map[string]*Relation, len(proposers))
	for _, r := range proposers {
		proposed[r.From] = r
	}
	byActor := map[string]*Backer{}
	var direct []*Backer
	for _, p := range ps {
		b := byActor[p.ActorID]
		if b == nil {
			b = &Backer{ActorID: p.ActorID, Proposed: proposed[p.ActorID] != nil, Direct: true, Via: []*Relation{}}
			byActor[p.ActorID] = b
			direct = append(direct, b)
		}
		b.Positions = append(b.Positions, p)
	}
	var indirect []*Backer
	if q.Members && len(direct) > 0 {
		ids := make([]string, len(direct))
		for i, b := range direct {
			ids[i] = b.ActorID
		}
		// Only trade associations have members, so the relations name
		// exactly the associations among the backers.
		members, err := s.Relations(ctx, RelationFilter{Types: []RelType{MemberOf}, ToIDs: ids})
		if err != nil {
			return nil, err
		}
		for _, r := range members {
			b := byActor[r.From]
			if b == nil {
				b = &Backer{ActorID: r.From, Proposed: proposed[r.From] != nil, Positions: []*Position{}}
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
			sortPositions(b.Positions)
		}
	}
	if q.Proposers && q.Stance == Supports {
		for _, r := range proposers {
			if byActor[r.From] == nil {
				b := &Backer{ActorID: r.From, Proposed: true, Positions: []*Position{}, Via: []*Relation{r}}
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
	return append(direct, indirect...), nil
}

// sortPositions puts positions in store order: by statedAt, then id.
func sortPositions(ps []*Position) {
	sort.Slice(ps, func(i, j int) bool { return ComparePositions(ps[i], ps[j]) < 0 })
}

// ComparePositions is the order of position listings: by statedAt
// (ComparePartialDates), then id.
func ComparePositions(a, b *Position) int {
	if c := ComparePartialDates(a.Stated(), b.Stated()); c != 0 {
		return c
	}
	return strings.Compare(a.ID, b.ID)
}

// lookupEntity returns one entity, or ENOTFOUND naming the field it came from.
func lookupEntity(ctx context.Context, s Store, field, id string) (*Entity, error) {
	if err := ValidateID(field, id); err != nil {
		return nil, err
	}
	es, err := s.Entities(ctx, []string{id})
	if err != nil {
		return nil, err
	}
	if len(es) == 0 || es[0] == nil {
		return nil, &Error{Code: ENOTFOUND, Field: field, Message: "no entity with id \"" + id + "\""}
	}
	return es[0], nil
}
