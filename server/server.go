// Package server is the HTTP face of stancegraph: the GraphQL endpoint, the
// GraphiQL playground, health checks, Prometheus metrics, CORS and request
// logging.
package server

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/explore"
	"github.com/stancegraph/stancegraph/live"
	"github.com/stancegraph/stancegraph/playground"
)

// Config configures the server.
type Config struct {
	GraphQL Options
	Logger  *slog.Logger
	// CORSOrigins are the origins (scheme://host[:port]) whose pages may
	// call the API from a browser; "*" allows any. They may also open
	// WebSocket connections.
	CORSOrigins []string
	// ReadyTimeout bounds the store check of /readyz (default 2 s).
	ReadyTimeout time.Duration
	// MaxExports bounds the exports running at once (DefaultMaxExports);
	// past it /export answers 429 with Retry-After.
	MaxExports int
	// ReadTimeout and WriteTimeout bound reading a whole request and
	// writing its response (default: GraphQL.Timeout plus 5 s each);
	// IdleTimeout bounds an idle keep-alive connection (default 1 min).
	// NewHTTPServer applies them.
	ReadTimeout, WriteTimeout, IdleTimeout time.Duration
}

// Access says who may use a route.
type Access int

const (
	// Private routes need a read (or write) token when the deployment has
	// read tokens. Every route is private unless it says otherwise.
	Private Access = iota
	// Public routes never need a token. Only routes that reveal no data
	// may be public: health, readiness, metrics.
	Public
)

// Route is one entry of the route table, the only place routes are
// registered: New builds the mux from it, and the token check that wraps
// the whole mux reads Access from it.
type Route struct {
	// Pattern is a net/http ServeMux pattern ("GET /healthz").
	Pattern string
	// Access is Private unless the route reveals no data.
	Access Access
	// Stream marks routes whose responses may outlive the write timeout
	// (SSE, WebSocket, subscriptions): their handler must clear the
	// connection's deadlines itself, as exemptStreams does.
	Stream  bool
	Handler http.Handler
}

// app holds what the routes share.
type app struct {
	store      stancegraph.Store
	cfg        Config
	metrics    *metrics
	auth       *authenticator
	playground http.Handler
}

// timed bounds a handler's work by the request timeout (--timeout).
func (a *app) timed(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), a.cfg.GraphQL.Timeout)
		defer cancel()
		h.ServeHTTP(w, r.WithContext(ctx))
	})
}

// routes is the route table. Add new routes here, and nowhere else: they
// are private (read token) by default, and TestRoutes_Auth walks them all.
func (a *app) routes() []Route {
	return []Route{
		{Pattern: "GET /{$}", Handler: a.playground},
		{Pattern: "GET " + playground.AssetPrefix, Handler: a.playground},
		{Pattern: "/query", Stream: true, Handler: exemptStreams(a.cfg.GraphQL.Timeout+timeoutMargin, graphqlHandler(a.store, a.cfg.GraphQL, a.auth))},
		{Pattern: "GET /explore/{id}", Handler: a.timed(explore.PageHandler(a.store))},
		{Pattern: "GET /export/svg", Handler: a.timed(explore.ExportHandler(a.store, "svg"))},
		{Pattern: "GET /export/dot", Handler: a.timed(explore.ExportHandler(a.store, "dot"))},
		{Pattern: "GET /export/{format}", Handler: a.exports()},
		{Pattern: "GET /healthz", Access: Public, Handler: http.HandlerFunc(a.healthz)},
		{Pattern: "GET /readyz", Access: Public, Handler: http.HandlerFunc(a.readyz)},
		{Pattern: "GET /metrics", Access: Public, Handler: a.metrics.handler()},
	}
}

// New returns the server's handler over s, built from the route table
// (see app.routes):
//
//	GET  /               GraphiQL playground (its assets under /playground/, embedded)
//	     /query          GraphQL (GET, POST, SSE, WebSocket)
//	GET  /explore/{id}   a node's stance map and neighbourhood drawing (HTML, SVG)
//	GET  /export/svg     a drawing as SVG (?center=ID&depth=N), /export/dot as DOT
//	GET  /export/{fmt}   the graph as a download
//	GET  /healthz        the process is up (public)
//	GET  /readyz         the store answers, 503 while it does not (public)
//	GET  /metrics        Prometheus metrics (public)
//
// One bearer-token check wraps the whole mux: with read tokens configured,
// every route but the public ones needs a token.
func New(s stancegraph.Store, cfg Config) http.Handler {
	h, _ := newHandler(s, cfg)
	return h
}

// newHandler is New, also returning the route table it was built from.
func newHandler(s stancegraph.Store, cfg Config) (http.Handler, []Route) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.ReadyTimeout <= 0 {
		cfg.ReadyTimeout = 2 * time.Second
	}
	if cfg.MaxExports <= 0 {
		cfg.MaxExports = DefaultMaxExports
	}
	cfg.GraphQL.setDefaults()
	m := newMetrics()
	m.countStatements(s)
	if cfg.GraphQL.Live == nil {
		// The feed's reader polls: keep it out of the store metrics.
		cfg.GraphQL.Live = live.New(s, live.Options{Logger: cfg.Logger})
	}
	cfg.GraphQL.Observe = m.observe
	if len(cfg.GraphQL.AllowedOrigins) == 0 {
		cfg.GraphQL.AllowedOrigins = cfg.CORSOrigins
	}
	a := &app{store: instrumentedStore{Store: s, m: m}, cfg: cfg, metrics: m,
		auth:       newAuthenticator(cfg.GraphQL.WriteTokens, cfg.GraphQL.ReadTokens),
		playground: playground.Handler("/query")}
	routes := a.routes()
	mux := http.NewServeMux()
	access := map[string]Route{}
	for _, rt := range routes {
		mux.Handle(rt.Pattern, rt.Handler)
		access[rt.Pattern] = rt
	}
	// policy looks the request's route up the way the mux will route it.
	policy := func(r *http.Request) (public, websocket bool) {
		_, pattern := mux.Handler(r)
		rt, ok := access[pattern]
		return ok && rt.Access == Public, ok && rt.Stream
	}
	route := func(r *http.Request) string {
		_, pattern := mux.Handler(r)
		return pattern
	}
	h := a.auth.middleware(policy, mux)
	return logRequests(cfg.Logger, m.instrument(route, cors(cfg.CORSOrigins, h))), routes
}

func (a *app) healthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func (a *app) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), a.cfg.ReadyTimeout)
	defer cancel()
	if err := a.store.Ping(ctx); err != nil {
		a.metrics.storeUp.Set(0)
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "error": stancegraph.ErrorMessage(err)})
		return
	}
	a.metrics.storeUp.Set(1)
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the underlying writer (SSE
// flushing, WebSocket hijacking).
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// Flush lets SSE responses stream.
func (r *statusRecorder) Flush() { _ = http.NewResponseController(r.ResponseWriter).Flush() }

// Hijack lets the WebSocket transport take over the connection.
func (r *statusRecorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return http.NewResponseController(r.ResponseWriter).Hijack()
}

// logRequests gives every request an id (X-Request-Id, kept if the client
// sent a sane one) and logs it when it ends.
func logRequests(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-Id")
		if id == "" || len(id) > 64 {
			var b [8]byte
			_, _ = rand.Read(b[:])
			id = hex.EncodeToString(b[:])
		}
		w.Header().Set("X-Request-Id", id)
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		start := time.Now()
		next.ServeHTTP(rec, r)
		log.LogAttrs(r.Context(), slog.LevelInfo, "request",
			slog.String("id", id), slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.Int("status", rec.status), slog.Duration("duration", time.Since(start)))
	})
}
