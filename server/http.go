package server

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/dataset"
)

// DefaultMaxExports is the default bound on exports running at once.
const DefaultMaxExports = 2

// Margins of the connection timeouts over the request timeout: the body
// must arrive, and the response be written, within the time the operation
// may run plus these.
const (
	timeoutMargin      = 5 * time.Second
	defaultIdleTimeout = 60 * time.Second
	readHeaderTimeout  = 10 * time.Second
)

// NewHTTPServer returns an http.Server serving New(s, cfg) with timeouts
// on every connection: the headers must arrive within 10 s, the whole
// request (body included) and the whole response within the request
// timeout plus a margin, and an idle keep-alive connection is closed
// after a minute. Long-lived streams (SSE, WebSocket) lift the read and
// write deadlines of their own connection once the request is in (see
// exemptStreams). The store s is not closed by the server.
func NewHTTPServer(s stancegraph.Store, cfg Config) *http.Server {
	timeout := cfg.GraphQL.Timeout
	if timeout <= 0 {
		timeout = DefaultRequestTimeout
	}
	or := func(d, def time.Duration) time.Duration {
		if d > 0 {
			return d
		}
		return def
	}
	read := or(cfg.ReadTimeout, timeout+timeoutMargin)
	return &http.Server{
		Handler:           New(s, cfg),
		ReadHeaderTimeout: min(readHeaderTimeout, read),
		ReadTimeout:       read,
		WriteTimeout:      or(cfg.WriteTimeout, timeout+timeoutMargin),
		IdleTimeout:       or(cfg.IdleTimeout, defaultIdleTimeout),
	}
}

// exemptStreams lifts the connection deadlines that http.Server sets
// (ReadTimeout, WriteTimeout) for the requests that open long-lived
// streams: a WebSocket upgrade at once (it has no body; the WebSocket
// transport pings and times out its peers itself); for an SSE request, the
// read deadline once its body has been read, so that a slow body is still
// cut off, and the write deadline is renewed before every write, so that
// the stream lives as long as it sends, but a client that stops reading
// is cut off after writeWindow. Every operation on them is bounded by the
// request timeout.
func exemptStreams(writeWindow time.Duration, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rc := http.NewResponseController(w)
		switch {
		case isWebSocketUpgrade(r):
			_ = rc.SetReadDeadline(time.Time{})
			_ = rc.SetWriteDeadline(time.Time{})
		case r.Method == http.MethodPost && strings.Contains(r.Header.Get("Accept"), "text/event-stream"):
			r.Body = &afterBody{ReadCloser: r.Body, fn: func() { _ = rc.SetReadDeadline(time.Time{}) }}
			w = &renewingWriter{ResponseWriter: w, rc: rc, window: writeWindow}
		}
		next.ServeHTTP(w, r)
	})
}

// renewingWriter moves the connection's write deadline window ahead of
// every write.
type renewingWriter struct {
	http.ResponseWriter
	rc     *http.ResponseController
	window time.Duration
}

func (w *renewingWriter) Write(p []byte) (int, error) {
	_ = w.rc.SetWriteDeadline(time.Now().Add(w.window))
	return w.ResponseWriter.Write(p)
}

func (w *renewingWriter) WriteHeader(code int) {
	_ = w.rc.SetWriteDeadline(time.Now().Add(w.window))
	w.ResponseWriter.WriteHeader(code)
}

// Flush lets SSE events out at once.
func (w *renewingWriter) Flush() {
	_ = w.rc.SetWriteDeadline(time.Now().Add(w.window))
	_ = w.rc.Flush()
}

func (w *renewingWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// afterBody calls fn once the body has been read to its end.
type afterBody struct {
	io.ReadCloser
	fn   func()
	once sync.Once
}

func (b *afterBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err == io.EOF {
		b.once.Do(b.fn)
	}
	return n, err
}

// exports serves /export/{format}: at most cfg.MaxExports at once (429
// with Retry-After past that), each bounded by the request timeout, its
// output streamed to the client and stopped when the deadline passes or
// the client leaves.
func (a *app) exports() http.Handler {
	sem := make(chan struct{}, a.cfg.MaxExports)
	h := dataset.Handler(a.store)
	retry := strconv.Itoa(max(1, int(a.cfg.GraphQL.Timeout/time.Second)))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case sem <- struct{}{}:
			defer func() { <-sem }()
		default:
			w.Header().Set("Retry-After", retry)
			writeJSON(w, http.StatusTooManyRequests, map[string]string{
				"error": "too many exports are running; retry later", "code": CodeBusy})
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), a.cfg.GraphQL.Timeout)
		defer cancel()
		cw := &ctxWriter{ResponseWriter: w, ctx: ctx}
		h.ServeHTTP(cw, r.WithContext(ctx))
		if cw.cut {
			// The status is sent: abort the connection, so that the client
			// sees an incomplete download rather than a short file.
			panic(http.ErrAbortHandler)
		}
	})
}

// CodeBusy is the code of a request refused because too many like it are
// running (HTTP 429).
const CodeBusy = "BUSY"

// ctxWriter fails writes once its context is done, so that an encoder
// writing a large export stops at the deadline or when the client leaves;
// cut records that it did.
type ctxWriter struct {
	http.ResponseWriter
	ctx     context.Context
	started bool // a body byte was written
	cut     bool
}

func (w *ctxWriter) Write(p []byte) (int, error) {
	// Before the first byte, a write is the error answer of an export
	// that failed (its context ended, say): let it out whole.
	if err := w.ctx.Err(); err != nil && w.started {
		w.cut = true
		return 0, err
	}
	w.started = true
	return w.ResponseWriter.Write(p)
}

func (w *ctxWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
