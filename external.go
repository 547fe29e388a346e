package stancegraph

import (
	"context"
	"fmt"
	"regexp"
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
