package stancegraph

import (
	"context"
	"fmt"
	"strings"
)

// MaxImportItems bounds the entries of one import.
const MaxImportItems = 5_000_000

// Problem is one thing wrong with an entry of a graph to import.
type Problem struct {
	// Entry names the entry, e.g. `positions[3]` or `entities[0] "openai"`.
	Entry string `json:"entry" yaml:"entry"`
	Field string `json:"field,omitempty" yaml:"field,omitempty"`
	Code  string `json:"code" yaml:"code"`
	Msg   string `json:"message" yaml:"message"`
}

func (p Problem) String() string {
	if p.Field != "" {
		return fmt.Sprintf("%s: %s: %s", p.Entry, p.Field, p.Msg)
	}
	return fmt.Sprintf("%s: %s", p.Entry, p.Msg)
}

// ProblemsError folds problems into one error with the code of the first.
func ProblemsError(ps []Problem) error {
	if len(ps) == 0 {
		return nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d problem(s) in the import; nothing was written", len(ps))
	for i, p := range ps {
		if i == 20 {
			fmt.Fprintf(&b, "; and %d more", len(ps)-i)
			break
		}
		b.WriteString("; ")
		b.WriteString(p.String())
	}
	return &Error{Code: ps[0].Code, Message: b.String()}
}

func problemOf(entry string, err error) Problem {
	return Problem{Entry: entry, Field: ErrorField(err), Code: ErrorCode(err), Msg: ErrorMessage(err)}
}

// Check validates every entry of g, normalises its positions (id,
// strength) and resolves references against g itself and then against
// lookup, which returns stored entities by id (nil where missing). It
// returns every problem found, or nil.
func (g *Graph) Check(ctx context.Context, lookup func(context.Context, []string) ([]*Entity, error)) ([]Problem, error) {
	if n := len(g.Entities) + len(g.Relations) + len(g.Positions); n > MaxImportItems {
		return []Problem{{Entry: "graph", Code: EINVALID, Msg: fmt.Sprintf("%d entries is more than the %d one import takes", n, MaxImportItems)}}, nil
	}
	var ps []Problem
	known := make(map[string]*Entity, len(g.Entities))
	for i, e := range g.Entities {
		entry := fmt.Sprintf("entities[%d] %q", i, e.ID)
		if err := e.Validate(); err != nil {
			ps = append(ps, problemOf(entry, err))
			continue
		}
		e.Normalize()
		if prev, dup := known[e.ID]; dup && !prev.Equal(e) {
			ps = append(ps, Problem{Entry: entry, Field: "id", Code: ECONFLICT, Msg: fmt.Sprintf("id %q is given twice with different data", e.ID)})
			continue
		}
		known[e.ID] = e
	}
	// Look up, in the store, the entities the graph writes (an id stored
	// with another kind is a conflict) and the references it does not hold.
	ids := make([]string, 0, len(known))
	for id := range known {
		ids = append(ids, id)
	}
	need := func(id string) {
		if _, ok := known[id]; !ok && id != "" {
			known[id] = nil
			ids = append(ids, id)
		}
	}
	for _, r := range g.Relations {
		need(r.From)
		need(r.To)
		need(r.SourceID)
	}
	for _, p := range g.Positions {
		need(p.ActorID)
		need(p.TargetID)
		need(p.SourceID)
	}
	for start := 0; start < len(ids); start += MaxBatchIDs {
		batch := ids[start:min(start+MaxBatchIDs, len(ids))]
		found, err := lookup(ctx, batch)
		if err != nil {
			return nil, err
		}
		for i, stored := range found {
			if stored == nil {
				continue
			}
			if e := known[batch[i]]; e == nil {
				known[batch[i]] = stored
			} else if e.Kind != stored.Kind {
				ps = append(ps, Problem{Entry: fmt.Sprintf("entity %q", e.ID), Field: "kind", Code: ECONFLICT,
					Msg: fmt.Sprintf("id %q is stored as a %s, not a %s", e.ID, stored.Kind, e.Kind)})
			}
		}
	}
	for i, r := range g.Relations {
		entry := fmt.Sprintf("relations[%d] %s %s->%s", i, r.Type, r.From, r.To)
		if err := r.Validate(); err != nil {
			ps = append(ps, problemOf(entry, err))
		} else if err := r.CheckEnds(known[r.From], known[r.To], known[r.SourceID]); err != nil {
			ps = append(ps, problemOf(entry, err))
		} else {
			r.Normalize()
		}
	}
	seen := make(map[string]*Position, len(g.Positions))
	for i, p := range g.Positions {
		entry := fmt.Sprintf("positions[%d] %s %s %s", i, p.ActorID, p.Stance, p.TargetID)
		if p.Strength == 0 {
			p.Strength = 1
		}
		if err := p.Validate(); err != nil {
			ps = append(ps, problemOf(entry, err))
			continue
		}
		p.Normalize()
		if err := p.CheckEnds(known[p.ActorID], known[p.TargetID], known[p.SourceID]); err != nil {
			ps = append(ps, problemOf(entry, err))
			continue
		}
		if prev, dup := seen[p.ID]; dup && !prev.Equal(p) {
			ps = append(ps, Problem{Entry: entry, Code: ECONFLICT, Msg: "the same actor, target, stance and source are given twice with different data"})
			continue
		}
		seen[p.ID] = p
	}
	return ps, nil
}
