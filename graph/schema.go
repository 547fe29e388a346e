package graph

import (
	"github.com/99designs/gqlgen/graphql"
	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/graph/generated"
)

// NewSchema returns the executable schema over s, with the cost model of
// costedSchema. The HTTP layer (package server) serves it.
func NewSchema(s stancegraph.Store) graphql.ExecutableSchema {
	return costedSchema{generated.NewExecutableSchema(generated.Config{Resolvers: &Resolver{Store: s}})}
}
