package ingest

import (
	"context"
	"fmt"
	"slices"

	"github.com/stancegraph/stancegraph"
)

// MergeExternalIDs merges, before the graph is checked, the entities of g
// that name an entity already known by an external id:
//
//   - an entity whose external id names a stored entity with another id,
//     or an earlier entity of g with another id, is merged into it: it
//     takes that id, and every reference of g to its own id (relations,
//     positions) is rewritten;
//   - merging keeps the data of both: a field the incoming entity leaves
//     empty keeps the known value, a field it gives replaces it; aliases,
//     topics and external ids are the union of both; the incoming id is
//     not kept;
//   - an entity whose external ids name two different entities, or one of
//     another kind, is a CONFLICT problem and nothing is merged.
//
// It returns the problems and the number of entities merged. find looks
// external ids up in the store.
func MergeExternalIDs(ctx context.Context, g *stancegraph.Graph, find stancegraph.ExternalFunc) ([]Problem, int, error) {
	var xs []stancegraph.ExternalID
	for _, e := range g.Entities {
		if e != nil {
			xs = append(xs, e.ExternalIDs...)
		}
	}
	if len(xs) == 0 {
		return nil, 0, nil
	}
	stored := map[string]*stancegraph.Entity{}
	for start := 0; start < len(xs); start += stancegraph.MaxBatchIDs {
		batch := xs[start:min(start+stancegraph.MaxBatchIDs, len(xs))]
		found, err := find(ctx, batch)
		if err != nil {
			return nil, 0, err
		}
		for i, e := range found {
			if e != nil {
				stored[batch[i].Key()] = e
			}
		}
	}
	var ps []Problem
	rename := map[string]string{}
	owner := map[string]*stancegraph.Entity{} // key -> the entity of g (or stored) it names
	byID := map[string]*stancegraph.Entity{}
	merged := 0
	out := g.Entities[:0:0]
	for i, e := range g.Entities {
		if e == nil || len(e.ExternalIDs) == 0 {
			out = append(out, e)
			if e != nil && byID[e.ID] == nil {
				byID[e.ID] = e
			}
			continue
		}
		var into *stancegraph.Entity
		conflict := ""
		for _, x := range e.ExternalIDs {
			k := x.Key()
			cand := owner[k]
			if cand == nil {
				cand = stored[k]
			}
			if cand == nil || cand.ID == e.ID {
				continue
			}
			if into != nil && into.ID != cand.ID {
				conflict = fmt.Sprintf("its external ids name two entities, %q and %q", into.ID, cand.ID)
				break
			}
			into = cand
		}
		if conflict == "" && into != nil && into.Kind != e.Kind {
			conflict = fmt.Sprintf("%s names %q, a %s, not a %s", e.ExternalIDs[0], into.ID, into.Kind, e.Kind)
		}
		entry := fmt.Sprintf("entities[%d] %q", i, e.ID)
		if conflict != "" {
			ps = append(ps, Problem{Entry: entry, Field: "externalIds", Code: stancegraph.ECONFLICT, Msg: conflict})
			out = append(out, e)
			continue
		}
		if into == nil {
			for _, x := range e.ExternalIDs {
				owner[x.Key()] = e
			}
			out = append(out, e)
			if byID[e.ID] == nil {
				byID[e.ID] = e
			}
			continue
		}
		// Merge e into the entity of g with that id, or a copy of the
		// stored one that joins g.
		base := byID[into.ID]
		if base == nil {
			base = into.Clone()
			byID[base.ID] = base
			out = append(out, base)
		}
		rename[e.ID] = base.ID
		merge(base, e)
		for _, x := range base.ExternalIDs {
			owner[x.Key()] = base
		}
		merged++
	}
	if len(ps) > 0 {
		return ps, 0, nil
	}
	if merged == 0 {
		return nil, 0, nil
	}
	g.Entities = out
	ref := func(id *string) bool {
		if to, ok := rename[*id]; ok {
			*id = to
			return true
		}
		return false
	}
	for _, r := range g.Relations {
		if r != nil {
			ref(&r.From)
			ref(&r.To)
			ref(&r.SourceID)
		}
	}
	for _, p := range g.Positions {
		if p == nil {
			continue
		}
		a, t, src := ref(&p.ActorID), ref(&p.TargetID), ref(&p.SourceID)
		if a || t || src {
			p.ID = "" // derived again from the renamed ends
		}
	}
	return nil, merged, nil
}

// merge merges o into e: o's non-empty fields replace e's; lists are the
// union of both.
func merge(e, o *stancegraph.Entity) {
	set := func(dst *string, src string) {
		if src != "" {
			*dst = src
		}
	}
	set(&e.Name, o.Name)
	set(&e.Description, o.Description)
	set(&e.URL, o.URL)
	set(&e.Country, o.Country)
	set(&e.Summary, o.Summary)
	set(&e.Publisher, o.Publisher)
	set(&e.Author, o.Author)
	if o.SourceKind != "" {
		e.SourceKind = o.SourceKind
	}
	if o.PublishedAt != "" {
		e.PublishedAt, e.PublishedAtQualifier = o.PublishedAt, o.PublishedAtQualifier
	}
	union := func(a, b []string) []string {
		for _, x := range b {
			if !slices.Contains(a, x) {
				a = append(a, x)
			}
		}
		return a
	}
	e.Aliases = union(e.Aliases, o.Aliases)
	e.Topics = union(e.Topics, o.Topics)
	for _, x := range o.ExternalIDs {
		if !slices.Contains(e.ExternalIDs, x) {
			e.ExternalIDs = append(e.ExternalIDs, x)
		}
	}
}
