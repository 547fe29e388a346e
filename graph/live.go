package graph

import (
	"context"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/live"
	"github.com/vektah/gqlparser/v2/ast"
)

// DefaultMaxSubscriptionsPerConnection bounds the subscriptions one
// WebSocket connection may hold open (an SSE request holds one).
const DefaultMaxSubscriptionsPerConnection = 16

type connectionKey struct{}

// connection counts the open subscriptions of one HTTP request: an SSE
// request or a whole WebSocket connection, whose subscriptions all run in
// the context of its upgrade request.
type connection struct{ subs atomic.Int32 }

// WithConnection gives each request a subscription counter, which bounds
// the subscriptions of a WebSocket connection (see Resolver).
func WithConnection(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), connectionKey{}, &connection{})))
	})
}

// subscribe opens a subscription of the hub for the request of ctx, within
// the per-connection bound; the counter drops when ctx ends.
func (r *Resolver) subscribe(ctx context.Context, target, actor *string) (<-chan *stancegraph.PositionEvent, error) {
	var f live.Filter
	if target != nil {
		if err := stancegraph.ValidateID("target", *target); err != nil {
			return nil, err
		}
		f.TargetID = *target
	}
	if actor != nil {
		if err := stancegraph.ValidateID("actor", *actor); err != nil {
			return nil, err
		}
		f.ActorID = *actor
	}
	if c, ok := ctx.Value(connectionKey{}).(*connection); ok {
		if n := c.subs.Add(1); int(n) > r.MaxSubscriptionsPerConnection {
			c.subs.Add(-1)
			return nil, stancegraph.Errorf(stancegraph.EUNAVAILABLE, "a connection may hold at most %d subscriptions", r.MaxSubscriptionsPerConnection)
		}
		context.AfterFunc(ctx, func() { c.subs.Add(-1) })
	}
	return r.Live.Subscribe(ctx, f)
}

// IsSubscription reports whether the operation of ctx is a subscription.
func IsSubscription(ctx context.Context) bool {
	if !graphql.HasOperationContext(ctx) {
		return false
	}
	op := graphql.GetOperationContext(ctx).Operation
	return op != nil && op.Operation == ast.Subscription
}

// FreshLoaders gives every operation, and every event of a subscription,
// new loaders and a new read plan. An HTTP request carries one operation,
// but a WebSocket connection carries many, one after the other: with the
// connection's loaders, a query would be answered from the plan and the
// cache of the one before it. A subscription lives long, and its loaders
// would cache (and grow) for as long; their store reads are bounded by
// timeout each, since the response handler of a subscription waits for
// its next event and no deadline can bound the whole of it.
func FreshLoaders(s stancegraph.Store, timeout time.Duration) graphql.ResponseMiddleware {
	cost := newFetchCost()
	bounded := boundedStore{Store: s, timeout: timeout}
	return func(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
		if !IsSubscription(ctx) {
			return next(context.WithValue(ctx, loadersKey{}, newLoaders(s, cost)))
		}
		return next(context.WithValue(ctx, loadersKey{}, newLoaders(bounded, cost)))
	}
}

// boundedStore bounds each read the loaders make.
type boundedStore struct {
	stancegraph.Store
	timeout time.Duration
}

func (b boundedStore) Entities(ctx context.Context, ids []string) ([]*stancegraph.Entity, error) {
	ctx, cancel := context.WithTimeout(ctx, b.timeout)
	defer cancel()
	return b.Store.Entities(ctx, ids)
}

func (b boundedStore) Positions(ctx context.Context, f stancegraph.PositionFilter) ([]*stancegraph.Position, error) {
	ctx, cancel := context.WithTimeout(ctx, b.timeout)
	defer cancel()
	return b.Store.Positions(ctx, f)
}

func (b boundedStore) Relations(ctx context.Context, f stancegraph.RelationFilter) ([]*stancegraph.Relation, error) {
	ctx, cancel := context.WithTimeout(ctx, b.timeout)
	defer cancel()
	return b.Store.Relations(ctx, f)
}
