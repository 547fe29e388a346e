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
	"github.com/stancegraph/stancegraph/dataset"
	"github.com/stancegraph/stancegraph/explore"
	"github.com/stancegraph/stancegraph/graph"
	"github.com/stancegraph/stancegraph/playground"
)

// Config configures the server.
type Config struct {
	GraphQL graph.Options
	Logger  *slog.Logger
	// CORSOrigins are the origins (scheme://host[:port]) whose pages may
	// call the API from a browser; "*" allows any. They may also open
	// WebSocket connections.
	CORSOrigins []string
	// ReadyTimeout bounds the store check of /readyz (default 2 s).
	ReadyTimeout time.Duration
}

// New returns the server's handler over s:
//
//	GET  /              GraphiQL playground (assets under /playground/, embedded)
//	     /query         GraphQL (GET, POST, SSE, WebSocket)
//	GET  /explore/{id}  a node's stance map and neighbourhood drawing
//	GET  /export/svg    a drawing as SVG (?center=ID&depth=N), /export/dot as DOT
//	GET  /export/{format} the graph in a data format (dataset.Formats)
//	GET  /healthz       the process is up
//	GET  /readyz        the store answers (503 while it does not)
//	GET  /metrics       Prometheus metrics
func New(s stancegraph.Store, cfg Config) http.Handler {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.ReadyTimeout <= 0 {
		cfg.ReadyTimeout = 2 * time.Second
	}
	m := newMetrics()
	s = instrumentedStore{Store: s, m: m}
	cfg.GraphQL.Observe = m.observe
	if len(cfg.GraphQL.AllowedOrigins) == 0 {
		cfg.GraphQL.AllowedOrigins = cfg.CORSOrigins
	}
	mux := http.NewServeMux()
	pg := playground.Handler("/query")
	mux.Handle("GET /{$}", pg)
	mux.Handle("GET "+playground.AssetPrefix, pg)
	mux.Handle("GET /explore/{id}", explore.PageHandler(s))
	mux.Handle("GET /export/svg", explore.ExportHandler(s, "svg"))
	mux.Handle("GET /export/dot", explore.ExportHandler(s, "dot"))
	mux.Handle("/query", graph.NewHandler(s, cfg.GraphQL))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), cfg.ReadyTimeout)
		defer cancel()
		if err := s.Ping(ctx); err != nil {
			m.storeUp.Set(0)
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "error": stancegraph.ErrorMessage(err)})
			return
		}
		m.storeUp.Set(1)
		writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
	})
	mux.Handle("GET /metrics", m.handler())
	mux.Handle("GET /export/{format}", dataset.Handler(s))
	return logRequests(cfg.Logger, m.instrument(cors(cfg.CORSOrigins, mux)))
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
