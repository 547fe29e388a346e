package e2e_test

import (
	"testing"

	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/store/memstore"
)

// backend opens a fresh, empty store for a test.
type backend struct {
	name string
	open func(t *testing.T) stancegraph.Store
}

func backends(t *testing.T) []backend {
	return []backend{
		{"embedded", func(t *testing.T) stancegraph.Store {
			s, err := memstore.Open(t.TempDir() + "/e2e.db")
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			return s
		}},
		{"neo4j", openNeo4j},
	}
}
