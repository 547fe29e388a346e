package e2e_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/internal/neo4jtest"
	"github.com/stancegraph/stancegraph/store/neo4jstore"
)

// openNeo4j opens the test Neo4j, emptied and held for t (see package
// neo4jtest); it skips t when Neo4j is unreachable outside CI.
func openNeo4j(t *testing.T) stancegraph.Store {
	t.Helper()
	neo4jtest.Require(t)
	neo4jtest.Lock(t)
	neo4jtest.Wipe(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s, err := neo4jstore.Open(ctx, neo4jstore.Config{URI: neo4jtest.URI(),
		Username: os.Getenv("STANCEGRAPH_NEO4J_USER"), Password: os.Getenv("STANCEGRAPH_NEO4J_PASSWORD")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}
