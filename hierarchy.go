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
	h := newHierarchy(parents)
	return h.add(ctx, r)
}

// CheckHierarchy checks the PART_OF relations of g against each other and
// the stored hierarchy: one problem per relation that gives a child a
// second parent or closes a cycle.
func (g *Graph) CheckHierarchy(ctx context.Context, parents ParentsFunc) ([]Problem, error) {
	h := newHierarchy(parents)
	var ids []string
	for _, r := range g.Relations {
		if r.Type == PartOf {
			ids = append(ids, r.From, r.To)
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	for start := 0; start < len(ids); start += MaxBatchIDs {
		if err := h.load(ctx, ids[start:min(start+MaxBatchIDs, len(ids))]); err != nil {
			return nil, err
		}
	}
	var ps []Problem
	for i, r := range g.Relations {
		if r.Type != PartOf {
			continue
		}
		if err := h.add(ctx, r); err != nil {
			if ErrorCode(err) != ECONFLICT {
				return nil, err
			}
			ps = append(ps, problemOf(fmt.Sprintf("relations[%d] %s %s->%s", i, r.Type, r.From, r.To), err))
		}
	}
	return ps, nil
}

// hierarchy is the stored PART_OF parents, read as needed, with the
// relations added so far.
type hierarchy struct {
	parents ParentsFunc
	parent  map[string]string // "" for none; missing when not read yet
}

func newHierarchy(parents ParentsFunc) *hierarchy {
	return &hierarchy{parents: parents, parent: map[string]string{}}
}

func (h *hierarchy) load(ctx context.Context, ids []string) error {
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

func (h *hierarchy) parentOf(ctx context.Context, id string) (string, error) {
	if err := h.load(ctx, []string{id}); err != nil {
		return "", err
	}
	return h.parent[id], nil
}

func (h *hierarchy) add(ctx context.Context, r *Relation) error {
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
