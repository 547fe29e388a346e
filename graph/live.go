package graph

import (
	"context"
	"net/http"
	"sync/atomic"

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

// withConnection gives each request a subscription counter.
func withConnection(next http.Handler) http.Handler {
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

// isSubscription reports whether the operation of ctx is a subscription.
func isSubscription(ctx context.Context) bool {
	if !graphql.HasOperationContext(ctx) {
		return false
	}
	op := graphql.GetOperationContext(ctx).Operation
	return op != nil && op.Operation == ast.Subscription
}

// freshLoaders gives every event of a subscription new loaders: a
// subscription lives long, and its request's loaders would cache (and
// grow) for as long.
func freshLoaders(s stancegraph.Store) graphql.ResponseMiddleware {
	cost := newFetchCost()
	return func(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
		if !isSubscription(ctx) {
			return next(ctx)
		}
		return next(context.WithValue(ctx, loadersKey{}, newLoaders(s, cost)))
	}
}
