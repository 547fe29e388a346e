package stancegraph

import (
	"context"
	"fmt"
)

// MaxHierarchyDepth bounds the PART_OF chains a hierarchy check walks. A
// chain that long is refused as if it were a cycle.
const MaxHierarchyDepth = 256

// ParentsFunc returns the stored PART_OF parent of each id, in order, with
// "" for an id without one.
type ParentsFunc func(ctx context.Context, ids []string) ([]string, error)

// CheckPartOf checks that the PART_OF relation r keeps the hierarchy a
// forest: its child has no other parent, and its parent is not the child
// or one of its descendants. parents reads the stored hierarchy. Returns
// ECONFLICT naming the other parent or the cycle.
func CheckPartOf(ctx context.Context, r *Relation, parents ParentsFunc) error {
	if r.Type != PartOf {
		return nil
	}
	return NewHierarchy(parents).Add(ctx, r)
}

// Hierarchy is the PART_OF forest as a check sees it: the stored parents,
// read as needed, with the relations added so far. It is not safe for
// concurrent use.
type Hierarchy struct {
	parents ParentsFunc
	parent  map[string]string // "" for none; missing when not read yet
}

// NewHierarchy returns a Hierarchy that reads the stored parents with
// parents.
func NewHierarchy(parents ParentsFunc) *Hierarchy {
	return &Hierarchy{parents: parents, parent: map[string]string{}}
}

// Load reads, in one call of its ParentsFunc, the stored parents of the ids
// it has not read yet. Callers pass at most MaxBatchIDs ids.
func (h *Hierarchy) Load(ctx context.Context, ids []string) error {
	var need []string
	for _, id := range ids {
		if _, ok := h.parent[id]; !ok {
			need = append(need, id)
		}
	}
	if len(need) == 0 {
		return nil
	}
	got, err := h.parents(ctx, need)
	if err != nil {
		return err
	}
	for i, id := range need {
		h.parent[id] = got[i]
	}
	return nil
}

func (h *Hierarchy) parentOf(ctx context.Context, id string) (string, error) {
	if err := h.Load(ctx, []string{id}); err != nil {
		return "", err
	}
	return h.parent[id], nil
}

// Add adds r, a PART_OF relation, refusing with ECONFLICT a second parent
// for its child or a cycle (a chain deeper than MaxHierarchyDepth counts as
// one). Adding a relation already there changes nothing.
func (h *Hierarchy) Add(ctx context.Context, r *Relation) error {
	p, err := h.parentOf(ctx, r.From)
	if err != nil {
		return err
	}
	if p == r.To {
		return nil // already there
	}
	if p != "" {
		return &Error{Code: ECONFLICT, Field: "to", Message: fmt.Sprintf("%q is already PART_OF %q: an entity has at most one parent (unrelate it first)", r.From, p)}
	}
	at := r.To
	for depth := 0; at != ""; depth++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		if at == r.From {
			return &Error{Code: ECONFLICT, Field: "to", Message: fmt.Sprintf("PART_OF %q -> %q would close a cycle: %q is already part of %q", r.From, r.To, r.To, r.From)}
		}
		if depth > MaxHierarchyDepth {
			return &Error{Code: ECONFLICT, Field: "to", Message: fmt.Sprintf("PART_OF %q -> %q: the hierarchy above %q is deeper than %d", r.From, r.To, r.To, MaxHierarchyDepth)}
		}
		if at, err = h.parentOf(ctx, at); err != nil {
			return err
		}
	}
	h.parent[r.From] = r.To
	return nil
}
