package ingest

import (
	"context"
	"fmt"

	"github.com/stancegraph/stancegraph"
)

// The checks of single writes: what a store's UpsertEntity, Relate,
// Unrelate, DeleteEntity and RetractPosition refuse, and with which error,
// decided here for every backend. A store reads what a check needs (the
// stored entity, a relation's ends) at the point its consistency needs it
// and passes it in. RecordPosition's check is stancegraph.Prepare and
// Position.CheckEnds.

// Entity checks an entity to upsert and returns the copy a store writes:
// validated, then normalised.
func Entity(e *stancegraph.Entity) (*stancegraph.Entity, error) {
	if err := e.Validate(); err != nil {
		return nil, err
	}
	c := e.Clone()
	c.Normalize()
	return c, nil
}

// EntityChange judges writing e, from Entity, over old, the stored entity
// with its id (nil when there is none): CONFLICT when old is of another
// kind or when an external id of e names another stored entity (find looks
// them up); otherwise the change the write makes.
func EntityChange(ctx context.Context, e, old *stancegraph.Entity, find stancegraph.ExternalFunc) (stancegraph.Change, error) {
	switch {
	case old != nil && old.Kind != e.Kind:
		return stancegraph.Unchanged, KindConflict(e, old.Kind)
	case old != nil && old.Equal(e):
		return stancegraph.Unchanged, nil
	}
	if err := stancegraph.CheckExternalIDs(ctx, e, find); err != nil {
		return stancegraph.Unchanged, err
	}
	return written(old != nil), nil
}

// written is the change a write makes over a stored record that differs,
// or over none.
func written(stored bool) stancegraph.Change {
	if stored {
		return stancegraph.Updated
	}
	return stancegraph.Created
}

// KindConflict is the error for an entity written with another kind than
// the stored entity with its id.
func KindConflict(e *stancegraph.Entity, stored stancegraph.Kind) error {
	return &stancegraph.Error{Code: stancegraph.ECONFLICT, Field: "kind",
		Message: fmt.Sprintf("id %q is stored as a %s, not a %s", e.ID, stored, e.Kind)}
}

// Relation checks a relation to write and returns the copy a store writes:
// validated, then normalised.
func Relation(r *stancegraph.Relation) (*stancegraph.Relation, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	c := *r
	c.Normalize()
	return &c, nil
}

// RelationChange judges writing r, from Relation, given the stored
// entities it names (nil where missing) and old, the stored relation of its
// type between its ends (nil when there is none): NOTFOUND or INVALID for
// its ends (Relation.CheckEnds), CONFLICT for a PART_OF that would give its
// child a second parent or close a cycle (parents reads the stored
// hierarchy); otherwise the change the write makes.
func RelationChange(ctx context.Context, r *stancegraph.Relation, from, to, source *stancegraph.Entity, old *stancegraph.Relation, parents stancegraph.ParentsFunc) (stancegraph.Change, error) {
	if err := r.CheckEnds(from, to, source); err != nil {
		return stancegraph.Unchanged, err
	}
	if old != nil && old.Equal(r) {
		return stancegraph.Unchanged, nil
	}
	if err := stancegraph.CheckPartOf(ctx, r, parents); err != nil {
		return stancegraph.Unchanged, err
	}
	return written(old != nil), nil
}

// Unrelate checks the arguments of an unrelate: INVALID for an unknown
// type or an id that is not a slug.
func Unrelate(typ stancegraph.RelType, from, to string) error {
	if !typ.Valid() {
		return stancegraph.RelTypes.Invalid("type", "relation type", typ)
	}
	if err := stancegraph.ValidateID("from", from); err != nil {
		return err
	}
	return stancegraph.ValidateID("to", to)
}

// RelationNotFound is the error of an unrelate that finds no relation.
func RelationNotFound(typ stancegraph.RelType, from, to string) error {
	return stancegraph.Errorf(stancegraph.ENOTFOUND, "no %s relation from %q to %q", typ, from, to)
}

// EntityNotFound is the error of a deletion that finds no entity.
func EntityNotFound(id string) error {
	return &stancegraph.Error{Code: stancegraph.ENOTFOUND, Field: "id", Message: fmt.Sprintf("no entity with id %q", id)}
}

// PositionNotFound is the error of a retraction that finds no position.
func PositionNotFound(id string) error {
	return &stancegraph.Error{Code: stancegraph.ENOTFOUND, Field: "id", Message: fmt.Sprintf("no position with id %q", id)}
}

// Deletable judges deleting the entity id, which positions and relations
// it does not start from cite as their evidence (0 and 0 for an entity
// that is not a source): CONFLICT while anything cites it, since deleting
// it would leave that evidence without its source.
func Deletable(id string, positions, relations int) error {
	if positions > 0 {
		return stancegraph.Errorf(stancegraph.ECONFLICT, "source %q is the evidence of %d position(s); retract them first", id, positions)
	}
	if relations > 0 {
		return stancegraph.Errorf(stancegraph.ECONFLICT, "source %q is the evidence of %d relation(s) it does not start from; unrelate them first", id, relations)
	}
	return nil
}
