package graph

import "github.com/stancegraph/stancegraph"

// Resolver is the root of the resolvers: the store every request reads and
// writes. Per-request state (dataloaders, auth) travels in the context.
type Resolver struct {
	Store stancegraph.Store
}
