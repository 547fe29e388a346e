package graph

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/coder/websocket"
	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/graph/generated"
	"github.com/stancegraph/stancegraph/live"
	"github.com/vektah/gqlparser/v2/ast"
)

// Options configure the GraphQL endpoint. Zero values take the defaults.
type Options struct {
	// WriteTokens are the bearer tokens that may run mutations (and read).
	WriteTokens []string
	// ReadTokens, when set, make the deployment private: every request
	// needs one of them or a write token.
	ReadTokens []string

	// MaxBodyBytes bounds a request body (DefaultMaxBodyBytes).
	MaxBodyBytes int64
	// MaxDepth bounds how deep selections nest (DefaultMaxDepth).
	MaxDepth int
	// MaxComplexity bounds the cost of a query (DefaultMaxComplexity); see
	// costedSchema for the costs.
	MaxComplexity int
	// MaxTokens bounds the tokens the parser reads (DefaultMaxTokens).
	MaxTokens int
	// Timeout bounds the execution of one operation, store calls included
	// (DefaultRequestTimeout).
	Timeout time.Duration

	// DisableIntrospection turns schema introspection off.
	DisableIntrospection bool
	// AllowedOrigins are the origins (scheme://host[:port]) whose pages may
	// open WebSocket connections; "*" allows any. Same-origin pages always
	// may. (CORS for HTTP requests is the server's concern.)
	AllowedOrigins []string

	// Observe, if set, is told about every operation when it ends.
	Observe func(ctx context.Context, o Observation)

	// Live is the hub subscriptions read the store's change feed from;
	// nil makes one with live's defaults. Its owner closes it.
	Live *live.Hub
	// MaxSubscriptionsPerConnection bounds the subscriptions one WebSocket
	// connection may hold (DefaultMaxSubscriptionsPerConnection).
	MaxSubscriptionsPerConnection int
}

// Observation describes one finished GraphQL operation, for metrics.
type Observation struct {
	// Type is "query", "mutation" or "subscription", or "" when the
	// request failed before an operation was chosen.
	Type string
	// Name is the operation's name, "" when anonymous.
	Name string
	// Duration runs from the start of the request to the response.
	Duration time.Duration
	// Codes are the extensions.code of the response's errors.
	Codes []string
}

func (o *Options) setDefaults() {
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if o.MaxDepth <= 0 {
		o.MaxDepth = DefaultMaxDepth
	}
	if o.MaxComplexity <= 0 {
		o.MaxComplexity = DefaultMaxComplexity
	}
	if o.MaxTokens <= 0 {
		o.MaxTokens = DefaultMaxTokens
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultRequestTimeout
	}
	if o.MaxSubscriptionsPerConnection <= 0 {
		o.MaxSubscriptionsPerConnection = DefaultMaxSubscriptionsPerConnection
	}
}

// NewHandler returns the GraphQL endpoint over s: GET and POST as GraphQL
// over HTTP specifies, SSE and WebSocket, a parsed query cache, automatic
// persisted queries, the limits of Options, bearer tokens, per-request
// dataloaders, and the one error presenter.
func NewHandler(s stancegraph.Store, o Options) http.Handler {
	o.setDefaults()
	auth := newAuthenticator(o.WriteTokens, o.ReadTokens)
	if o.Live == nil {
		o.Live = live.New(s, live.Options{})
	}
	resolver := &Resolver{Store: s, Live: o.Live, MaxSubscriptionsPerConnection: o.MaxSubscriptionsPerConnection}
	schema := costedSchema{generated.NewExecutableSchema(generated.Config{Resolvers: resolver})}
	srv := handler.New(schema)
	// The first transport that supports a request serves it.
	srv.AddTransport(transport.Options{AllowedMethods: []string{http.MethodGet, http.MethodPost, http.MethodOptions}})
	srv.AddTransport(transport.SSE{})
	srv.AddTransport(transport.Websocket{
		KeepAlivePingInterval: 10 * time.Second,
		InitFunc:              auth.websocketInit,
		PayloadReadLimit:      &o.MaxBodyBytes,
		Implementation: transport.CoderWebsocketImplementation{
			AcceptOptions: websocket.AcceptOptions{OriginPatterns: originHosts(o.AllowedOrigins)},
		},
	})
	srv.AddTransport(httpTransport{})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	srv.SetParserTokenLimit(o.MaxTokens)
	if !o.DisableIntrospection {
		srv.Use(extension.Introspection{})
	}
	srv.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](1000)})
	srv.Use(shapeLimit{MaxDepth: o.MaxDepth, MaxFields: o.MaxComplexity})
	srv.Use(extension.FixedComplexityLimit(o.MaxComplexity))
	// Response middleware runs in the order added, outermost first.
	if o.Observe != nil {
		srv.AroundResponses(observe(o.Observe))
	}
	srv.AroundResponses(requireWrite)
	srv.AroundResponses(withTimeout(o.Timeout))
	srv.AroundResponses(freshLoaders(s))
	srv.SetErrorPresenter(presentError)
	srv.SetRecoverFunc(recoverPanic)

	var h http.Handler = srv
	h = WithLoaders(s, h)
	h = withConnection(h)
	h = auth.middleware(h)
	return limitBody(o.MaxBodyBytes, h)
}

// observe reports every response to fn.
func observe(fn func(context.Context, Observation)) graphql.ResponseMiddleware {
	return func(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
		resp := next(ctx)
		var o Observation
		start := graphql.GetStartTime(ctx)
		if graphql.HasOperationContext(ctx) {
			op := graphql.GetOperationContext(ctx)
			if op.Operation != nil {
				o.Type, o.Name = string(op.Operation.Operation), op.Operation.Name
			}
			start = op.Stats.OperationStart
		}
		if !start.IsZero() {
			o.Duration = time.Since(start)
		}
		if resp != nil {
			for _, e := range resp.Errors {
				code, _ := e.Extensions["code"].(string)
				if code == "" {
					code = "UNKNOWN"
				}
				o.Codes = append(o.Codes, code)
			}
		}
		fn(ctx, o)
		return resp
	}
}

// originHosts turns allowed origins into the host patterns the WebSocket
// library matches the Origin header against.
func originHosts(origins []string) []string {
	var hosts []string
	for _, o := range origins {
		if o == "*" {
			hosts = append(hosts, "*")
			continue
		}
		if u, err := url.Parse(o); err == nil && u.Host != "" {
			hosts = append(hosts, u.Host)
		}
	}
	return hosts
}

// limitBody refuses bodies larger than max bytes: at once when the
// request says its length, else when reading passes the limit.
func limitBody(max int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > max {
			media, ok := negotiate(r.Header.Get("Accept"))
			if !ok {
				media = mediaJSON
			}
			writeResponse(w, media, http.StatusRequestEntityTooLarge, requestFailure(CodeBodyTooLarge,
				fmt.Sprintf("the request body is larger than %d bytes", max)))
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, max)
		next.ServeHTTP(w, r)
	})
}
