package stancegraph

import (
	"context"
	"sort"
)

// Backer is an actor holding a stance on a target, with its evidence.
type Backer struct {
	ActorID   string
	Positions []*Position
	// Proposed says whether the actor also put the target forward.
	Proposed bool
}

// Backers returns the actors holding stance on the target, each with every
// position that states it; actors with more evidence come first, then by
// id. Returns ENOTFOUND for an unknown target and EINVALID for an entity
// positions cannot be taken on.
func Backers(ctx context.Context, s Store, targetID string, stance Stance) ([]*Backer, error) {
	if !stance.Valid() {
		return nil, FieldErrorf("stance", "%q is not a valid stance", stance)
	}
	target, err := lookupEntity(ctx, s, "of", targetID)
	if err != nil {
		return nil, err
	}
	if !target.Kind.IsStanceable() {
		return nil, FieldErrorf("of", "%s %q is not a policy proposal or program", target.Kind, targetID)
	}
	ps, err := s.Positions(ctx, PositionFilter{TargetIDs: []string{targetID}, Stance: stance})
	if err != nil {
		return nil, err
	}
	proposers, err := s.Relations(ctx, RelationFilter{Types: []RelType{Proposed}, ToIDs: []string{targetID}})
	if err != nil {
		return nil, err
	}
	proposed := make(map[string]bool, len(proposers))
	for _, r := range proposers {
		proposed[r.From] = true
	}
	byActor := map[string]*Backer{}
	var out []*Backer
	for _, p := range ps {
		b := byActor[p.ActorID]
		if b == nil {
			b = &Backer{ActorID: p.ActorID, Proposed: proposed[p.ActorID]}
			byActor[p.ActorID] = b
			out = append(out, b)
		}
		b.Positions = append(b.Positions, p)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if len(out[i].Positions) != len(out[j].Positions) {
			return len(out[i].Positions) > len(out[j].Positions)
		}
		return out[i].ActorID < out[j].ActorID
	})
	return out, nil
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
