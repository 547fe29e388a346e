package neo4jstore

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stancegraph/stancegraph"
)

// A page projects entityFields, not every property: an entity with every
// field set reads back the same from that projection as from the node,
// so a field added to entityProps and entityOf but not to the projection
// fails here.
func TestEntityFields_ProjectWhatEntityOfReads(t *testing.T) {
	e := &stancegraph.Entity{
		ID: "src", Kind: stancegraph.KindSource, Name: "A source", Aliases: []string{"S"}, Description: "d", URL: "https://example.org",
		Country: "US", Summary: "s", Topics: []string{"t"}, SourceKind: stancegraph.SourceKind("NEWS_ARTICLE"), Publisher: "p",
		PublishedAt: "2025-12", PublishedAtQualifier: stancegraph.Circa, Author: "a",
		ExternalIDs: []stancegraph.ExternalID{{Scheme: "wikidata", Value: "Q1"}},
	}
	// As Neo4j returns them: lists as []any.
	props := entityProps(e)
	for k, v := range props {
		if xs, ok := v.([]string); ok {
			l := make([]any, len(xs))
			for i, x := range xs {
				l[i] = x
			}
			props[k] = l
		}
	}
	projected := map[string]any{}
	for _, f := range strings.Split(entityFields, ",") {
		k := strings.TrimPrefix(strings.TrimSpace(f), ".")
		if v, ok := props[k]; ok {
			projected[k] = v
		}
	}
	full, err := entityOf(props)
	if err != nil {
		t.Fatal(err)
	}
	got, err := entityOf(projected)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(full, got); diff != "" {
		t.Errorf("entityOf of the projection (-node +projection):\n%s", diff)
	}
	if diff := cmp.Diff(e, got); diff != "" {
		t.Errorf("the entity does not round-trip (-want +got):\n%s", diff)
	}
	for _, internal := range []string{"nameKey", "searchText", "searchNames", "publishedStart"} {
		if _, ok := projected[internal]; ok {
			t.Errorf("the projection carries %s", internal)
		}
	}
}
