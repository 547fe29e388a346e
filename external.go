package stancegraph

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// ExternalID names an entity in another register: a Wikidata QID, an LEI, a
// docket number. Scheme is a lower-case slug ("wikidata", "lei",
// "regulations-gov"), Value the identifier as that register writes it.
// One (scheme, value) names at most one entity of the graph.
type ExternalID struct {
	Scheme string `json:"scheme" yaml:"scheme"`
	Value  string `json:"value" yaml:"value"`
}

// Key is the (scheme, value) pair as one string, "scheme|value".
func (x ExternalID) Key() string { return x.Scheme + "|" + x.Value }

func (x ExternalID) String() string { return x.Scheme + ":" + x.Value }

var schemePattern = regexp.MustCompile(`^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$`)

func checkExternalIDs(xs []ExternalID) error {
	if len(xs) > maxListLength {
		return FieldErrorf("externalIds", "externalIds has more than %d entries", maxListLength)
	}
	seen := make(map[string]bool, len(xs))
	for _, x := range xs {
		if len(x.Scheme) > 64 || !schemePattern.MatchString(x.Scheme) {
			return FieldErrorf("externalIds", "scheme %q is not a lower-case slug such as \"wikidata\"", x.Scheme)
		}
		if strings.TrimSpace(x.Value) == "" || strings.ContainsAny(x.Value, "|\n\r\t") {
			return FieldErrorf("externalIds", "%s value %q is empty or holds |, a tab or a line break", x.Scheme, x.Value)
		}
		if err := checkText("externalIds", x.Value, maxShortText); err != nil {
			return err
		}
		if seen[x.Key()] {
			return FieldErrorf("externalIds", "%s is given twice", x)
		}
		seen[x.Key()] = true
	}
	return nil
}

// ExternalKeys returns the keys of the entity's external ids.
func (e *Entity) ExternalKeys() []string {
	keys := make([]string, len(e.ExternalIDs))
	for i, x := range e.ExternalIDs {
		keys[i] = x.Key()
	}
	return keys
}

// ExternalFunc returns, for each external id, the stored entity it names,
// or nil.
type ExternalFunc func(ctx context.Context, xs []ExternalID) ([]*Entity, error)

// CheckExternalIDs returns ECONFLICT when an external id of e names another
// stored entity.
func CheckExternalIDs(ctx context.Context, e *Entity, find ExternalFunc) error {
	if len(e.ExternalIDs) == 0 {
		return nil
	}
	found, err := find(ctx, e.ExternalIDs)
	if err != nil {
		return err
	}
	for i, other := range found {
		if other != nil && other.ID != e.ID {
			return &Error{Code: ECONFLICT, Field: "externalIds", Message: fmt.Sprintf("%s already names %q", e.ExternalIDs[i], other.ID)}
		}
	}
	return nil
}

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
func (g *Graph) MergeExternalIDs(ctx context.Context, find ExternalFunc) ([]Problem, int, error) {
	var xs []ExternalID
	for _, e := range g.Entities {
		if e != nil {
			xs = append(xs, e.ExternalIDs...)
		}
	}
	if len(xs) == 0 {
		return nil, 0, nil
	}
	stored := map[string]*Entity{}
	for start := 0; start < len(xs); start += MaxBatchIDs {
		batch := xs[start:min(start+MaxBatchIDs, len(xs))]
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
	owner := map[string]*Entity{} // key -> the entity of g (or stored) it names
	byID := map[string]*Entity{}
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
		var into *Entity
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
			ps = append(ps, Problem{Entry: entry, Field: "externalIds", Code: ECONFLICT, Msg: conflict})
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
		base.mergeFrom(e)
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

// mergeFrom merges o into e: o's non-empty fields replace e's; lists are
// the union of both.
func (e *Entity) mergeFrom(o *Entity) {
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
