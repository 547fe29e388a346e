package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"
	"unicode/utf8"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/coder/websocket"
	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/graph"
	"github.com/stancegraph/stancegraph/live"
	"github.com/vektah/gqlparser/v2/ast"
)

// Options configure the GraphQL endpoint and the limits of every route.
// Zero values take the defaults.
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
		o.MaxSubscriptionsPerConnection = graph.DefaultMaxSubscriptionsPerConnection
	}
}

// NewGraphQL returns the GraphQL endpoint over s on its own, at any path,
// behind the same bearer-token check as New: GET and POST as GraphQL over
// HTTP specifies, SSE and WebSocket, a parsed query cache, automatic
// persisted queries, the limits of Options, per-request dataloaders, and
// the one error presenter. Deployments use New, which mounts it at /query.
func NewGraphQL(s stancegraph.Store, o Options) http.Handler {
	o.setDefaults()
	auth := newAuthenticator(o.WriteTokens, o.ReadTokens)
	return auth.middleware(allRoutesPrivate, graphqlHandler(s, o, auth))
}

// graphqlHandler is the GraphQL endpoint without the HTTP-level token
// check, which wraps the whole mux. Operations are still checked, on every
// transport, by the operation interceptors.
func graphqlHandler(s stancegraph.Store, o Options, auth *authenticator) http.Handler {
	if o.Live == nil {
		o.Live = live.New(s, live.Options{})
	}
	srv := handler.New(graph.NewSchema(&graph.Resolver{Store: s, Live: o.Live,
		MaxSubscriptionsPerConnection: o.MaxSubscriptionsPerConnection}))
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
	srv.AddTransport(methodNotAllowed{})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	srv.SetParserTokenLimit(o.MaxTokens)
	if !o.DisableIntrospection {
		srv.Use(extension.Introspection{})
	}
	srv.Use(persistedQueries{extension.AutomaticPersistedQuery{Cache: lru.New[string](1000)}})
	srv.Use(shapeLimit{MaxDepth: o.MaxDepth, MaxFields: o.MaxComplexity, MaxIntrospection: MaxIntrospectionFields})
	srv.Use(extension.FixedComplexityLimit(o.MaxComplexity))
	// Operation interceptors run in the order added, outermost first. A
	// refusal is a graphql.OneShot: streaming transports (SSE, WebSocket)
	// call the response handler until it returns nil, so a handler that
	// answered with the same error every time would stream it forever.
	if o.Observe != nil {
		srv.AroundOperations(observeOperations(o.Observe))
	}
	srv.AroundOperations(auth.requireRead)
	srv.AroundOperations(requireWrite)
	// Response middleware runs in the order added, outermost first.
	if o.Observe != nil {
		srv.AroundResponses(observeRequestErrors(o.Observe))
	}
	srv.AroundResponses(withTimeout(o.Timeout))
	srv.AroundResponses(graph.FreshLoaders(s, o.Timeout))
	// Inside FreshLoaders: a query the read plan serves whole is written
	// straight from its result, without the resolvers (graph/write.go).
	srv.Use(graph.DirectAnswers{Store: s})
	srv.AroundFields(stopAfterDeadline)
	srv.SetErrorPresenter(graph.PresentError)
	srv.SetRecoverFunc(graph.RecoverPanic)

	var h http.Handler = srv
	h = graph.WithLoaders(s, h)
	h = graph.WithConnection(h)
	return limitBody(o.MaxBodyBytes, h)
}

type observedKey struct{}

// observeOperations reports every response of every operation to fn,
// refusals by the interceptors inside it included; the nil that ends a
// stream is not a response.
func observeOperations(fn func(context.Context, Observation)) graphql.OperationMiddleware {
	return func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		responses := next(context.WithValue(ctx, observedKey{}, true))
		return func(ctx context.Context) *graphql.Response {
			resp := responses(ctx)
			if resp != nil {
				report(ctx, fn, resp)
			}
			return resp
		}
	}
}

// observeRequestErrors reports the responses to requests that failed
// before an operation ran (parse, validation, limits), which bypass the
// operation middleware.
func observeRequestErrors(fn func(context.Context, Observation)) graphql.ResponseMiddleware {
	return func(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
		resp := next(ctx)
		if resp != nil && ctx.Value(observedKey{}) == nil {
			report(ctx, fn, resp)
		}
		return resp
	}
}

func report(ctx context.Context, fn func(context.Context, Observation), resp *graphql.Response) {
	{
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
		for _, e := range resp.Errors {
			code, _ := e.Extensions["code"].(string)
			if code == "" {
				code = "UNKNOWN"
			}
			o.Codes = append(o.Codes, code)
		}
		fn(ctx, o)
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

// limitBody refuses bodies larger than max bytes (413), at once when the
// request says its length, else when reading passes the limit, and bodies
// that are not UTF-8 (400 INVALID): JSON decoding would otherwise turn
// invalid bytes into U+FFFD silently. It reads the body whole, which every
// transport does anyway.
func limitBody(max int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		media, ok := negotiate(r.Header.Get("Accept"))
		if !ok {
			media = mediaJSON
		}
		tooLarge := func() {
			writeResponse(w, media, http.StatusRequestEntityTooLarge, requestFailure(CodeBodyTooLarge,
				fmt.Sprintf("the request body is larger than %d bytes", max)))
		}
		if r.ContentLength > max {
			tooLarge()
			return
		}
		if r.Method == http.MethodPost {
			body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, max))
			var mbe *http.MaxBytesError
			switch {
			case errors.As(err, &mbe):
				tooLarge()
				return
			case err != nil:
				writeResponse(w, media, http.StatusBadRequest, requestFailure(CodeBadRequest, "the request body could not be read"))
				return
			case !utf8.Valid(body):
				writeResponse(w, media, http.StatusBadRequest, requestFailure(stancegraph.EINVALID, "the request body is not valid UTF-8"))
				return
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		next.ServeHTTP(w, r)
	})
}
