package graph

import (
	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/live"
)

// Resolver is the root of the resolvers: the store every request reads and
// writes, and the hub of its change feed. Per-request state (dataloaders,
// auth) travels in the context.
type Resolver struct {
	Store stancegraph.Store
	Live  *live.Hub
	// MaxSubscriptionsPerConnection bounds the subscriptions of one
	// WebSocket connection.
	MaxSubscriptionsPerConnection int
}
