package stancegraph

import (
	"crypto/sha256"
	"encoding/hex"
)

// Position is an actor's stance on a policy proposal or program, with its
// evidence. There is one position per (actor, target, stance, source): two
// documents stating the same stance are two pieces of evidence.
type Position struct {
	// ID is derived from the identity: see PositionID.
	ID       string `json:"id" yaml:"id"`
	ActorID  string `json:"actor" yaml:"actor"`
	TargetID string `json:"target" yaml:"target"`
	Stance   Stance `json:"stance" yaml:"stance"`
	// Strength is 1 (stated) or 2 (strongly stated).
	Strength int    `json:"strength" yaml:"strength"`
	Quote    string `json:"quote" yaml:"quote"`
	SourceID string `json:"source" yaml:"source"`
	// StatedAt is when the actor stated the position, at the precision
	// the source gives; StatedAtQualifier qualifies it (empty is EXACT).
	StatedAt          Date          `json:"statedAt" yaml:"statedAt"`
	StatedAtQualifier DateQualifier `json:"statedAtQualifier,omitempty" yaml:"statedAtQualifier,omitempty"`
	// Condition is what the stance depends on, verbatim where the source
	// quotes it: the actor holds the stance if the condition holds.
	Condition string `json:"condition,omitempty" yaml:"condition,omitempty"`
}

// Stated returns the date of the statement with its qualifier.
func (p *Position) Stated() PartialDate {
	return PartialDate{Value: p.StatedAt, Qualifier: p.StatedAtQualifier}
}

// PositionID returns the id of the position with the given identity, so
// that recording the same position twice is one position.
func PositionID(actorID, targetID string, stance Stance, sourceID string) string {
	h := sha256.Sum256([]byte(actorID + "\x00" + targetID + "\x00" + string(stance) + "\x00" + sourceID))
	return "pos-" + hex.EncodeToString(h[:8])
}

// Normalize fills in the defaults: the id and a strength of 1, and stores
// an EXACT qualifier as empty.
func (p *Position) Normalize() {
	p.StatedAtQualifier = p.StatedAtQualifier.canonical()
	if p.Strength == 0 {
		p.Strength = 1
	}
	p.ID = PositionID(p.ActorID, p.TargetID, p.Stance, p.SourceID)
}

// Validate checks the position on its own, without looking at its ends.
func (p *Position) Validate() error {
	if err := ValidateID("actor", p.ActorID); err != nil {
		return err
	}
	if err := ValidateID("target", p.TargetID); err != nil {
		return err
	}
	if err := ValidateID("source", p.SourceID); err != nil {
		return err
	}
	if !p.Stance.Valid() {
		return Stances.Invalid("stance", "stance", p.Stance)
	}
	if p.Strength != 1 && p.Strength != 2 {
		return FieldErrorf("strength", "strength must be 1 or 2, not %d", p.Strength)
	}
	if p.Quote == "" {
		return FieldErrorf("quote", "quote is required: every position carries its evidence")
	}
	if err := checkText("quote", p.Quote, MaxQuote); err != nil {
		return err
	}
	if p.StatedAt == "" {
		return FieldErrorf("statedAt", "statedAt is required: a position is dated at the precision its source gives")
	}
	if err := p.Stated().Validate("statedAt"); err != nil {
		return err
	}
	if err := checkText("condition", p.Condition, MaxQuote); err != nil {
		return err
	}
	if p.ID != "" && p.ID != PositionID(p.ActorID, p.TargetID, p.Stance, p.SourceID) {
		return FieldErrorf("id", "position id %q does not match its actor, target, stance and source", p.ID)
	}
	return nil
}

// CheckEnds checks the kinds of the entities a position connects. A nil
// entity does not exist.
func (p *Position) CheckEnds(actor, target, source *Entity) error {
	for _, c := range []struct {
		e    *Entity
		role string
		id   string
	}{{actor, "actor", p.ActorID}, {target, "target", p.TargetID}, {source, "source", p.SourceID}} {
		if c.e == nil {
			return &Error{Code: ENOTFOUND, Field: c.role, Message: "position " + c.role + " \"" + c.id + "\" not found"}
		}
	}
	if !actor.Kind.IsActor() {
		return FieldErrorf("actor", "%s %q cannot take positions (actors: %v)", actor.Kind, actor.ID, ActorKinds)
	}
	if !target.Kind.IsStanceable() {
		return FieldErrorf("target", "positions cannot be taken on %s %q (targets: %v)", target.Kind, target.ID, StanceableKinds)
	}
	if source.Kind != KindSource {
		return FieldErrorf("source", "%s %q is not a source document", source.Kind, source.ID)
	}
	return nil
}

// Equal reports whether two positions hold the same data.
func (p *Position) Equal(o *Position) bool {
	if p == nil || o == nil {
		return p == o
	}
	a, b := *p, *o
	a.StatedAtQualifier, b.StatedAtQualifier = a.StatedAtQualifier.canonical(), b.StatedAtQualifier.canonical()
	return a == b
}
