package graph

import (
	"net/http"
	"time"

	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/graph/generated"
	"github.com/vektah/gqlparser/v2/ast"
)

// Options configure the GraphQL endpoint. Zero values take the defaults.
type Options struct {
	// WriteTokens are the bearer tokens that may run mutations.
	WriteTokens []string
	// MaxBodyBytes bounds a request body (default 1 MiB).
	MaxBodyBytes int64
	// MaxComplexity bounds the cost of a query (default 5000).
	MaxComplexity int
	// DisableIntrospection turns schema introspection off.
	DisableIntrospection bool
}

// NewHandler returns the GraphQL endpoint over s: GET and POST, a parsed
// query cache, automatic persisted queries, a complexity limit, write
// tokens for mutations, per-request dataloaders, and the one error presenter.
func NewHandler(s stancegraph.Store, o Options) http.Handler {
	if o.MaxBodyBytes == 0 {
		o.MaxBodyBytes = 1 << 20
	}
	if o.MaxComplexity == 0 {
		o.MaxComplexity = 5000
	}
	srv := handler.New(generated.NewExecutableSchema(generated.Config{Resolvers: &Resolver{Store: s}}))
	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})
	srv.AddTransport(transport.SSE{})
	srv.AddTransport(transport.Websocket{KeepAlivePingInterval: 10 * time.Second})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	if !o.DisableIntrospection {
		srv.Use(extension.Introspection{})
	}
	srv.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](1000)})
	srv.Use(extension.FixedComplexityLimit(o.MaxComplexity))
	srv.AroundOperations(requireWrite)
	srv.SetErrorPresenter(presentError)
	srv.SetRecoverFunc(recoverPanic)

	var h http.Handler = srv
	h = WithLoaders(s, h)
	h = WithAuth(o.WriteTokens, h)
	return limitBody(o.MaxBodyBytes, h)
}

// limitBody refuses bodies larger than max bytes.
func limitBody(max int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > max {
			http.Error(w, `{"errors":[{"message":"request body too large","extensions":{"code":"INVALID"}}]}`, http.StatusRequestEntityTooLarge)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, max)
		next.ServeHTTP(w, r)
	})
}
