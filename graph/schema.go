package graph

import (
	"github.com/99designs/gqlgen/graphql"
	"github.com/stancegraph/stancegraph/graph/generated"
)

// NewSchema returns the executable schema of the resolvers r, with the cost
// model of costedSchema. The HTTP layer (package server) serves it.
func NewSchema(r *Resolver) graphql.ExecutableSchema {
	return costedSchema{generated.NewExecutableSchema(generated.Config{Resolvers: r})}
}
