package server

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/graph"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// credential is what a request presented in its Authorization header.
type credential int

const (
	noToken credential = iota
	badToken
	readToken
	writeToken
)

type credentialKey struct{}

// tokenSet holds the digests of the configured tokens. Comparing digests of
// equal length, all of them every time, keeps the time a check takes
// independent of the token presented, its length included.
type tokenSet [][sha256.Size]byte

func newTokenSet(tokens []string) tokenSet {
	var s tokenSet
	for _, t := range tokens {
		if t != "" {
			s = append(s, sha256.Sum256([]byte(t)))
		}
	}
	return s
}

func (s tokenSet) has(token string) bool {
	d := sha256.Sum256([]byte(token))
	found := 0
	for i := range s {
		found |= subtle.ConstantTimeCompare(d[:], s[i][:])
	}
	return found == 1
}

// authenticator checks bearer tokens against the write and read tokens.
type authenticator struct {
	write, read tokenSet
}

func newAuthenticator(writeTokens, readTokens []string) *authenticator {
	return &authenticator{write: newTokenSet(writeTokens), read: newTokenSet(readTokens)}
}

// private reports whether reads need a token too.
func (a *authenticator) private() bool { return len(a.read) > 0 }

// check classifies an Authorization header value.
func (a *authenticator) check(header string) credential {
	if header == "" {
		return noToken
	}
	token, ok := cutBearer(header)
	if !ok {
		return badToken
	}
	// Check both sets every time: the time taken says nothing about which
	// kind of token was sent.
	isWrite, isRead := a.write.has(token), a.read.has(token)
	switch {
	case isWrite:
		return writeToken
	case isRead:
		return readToken
	}
	return badToken
}

// refusal is the error for a request that may not read, or nil.
func (a *authenticator) refusal(c credential) *stancegraph.Error {
	switch {
	case !a.private() || c >= readToken:
		return nil
	case c == noToken:
		return stancegraph.Errorf(stancegraph.EUNAUTHORIZED, "this server needs a read token: send Authorization: Bearer <token>")
	default:
		return stancegraph.Errorf(stancegraph.EFORBIDDEN, "the bearer token is not valid here")
	}
}

// routePolicy says how the token check treats a request's route: public
// routes (health, readiness, metrics) need no token; on a WebSocket route
// an upgrade without a token may proceed so that connection_init can
// carry it (browsers cannot set headers on upgrades).
type routePolicy func(r *http.Request) (public, websocket bool)

// allRoutesPrivate is the policy of NewGraphQL: nothing is public, and
// WebSocket upgrades may carry their token in connection_init.
func allRoutesPrivate(*http.Request) (public, websocket bool) { return false, true }

// middleware checks the request's bearer token against the write and read
// tokens and records the outcome in the context. When read tokens are
// configured (a private deployment), a request without a valid read or
// write token is refused here, before any handler runs: 401
// UNAUTHENTICATED without a token, 403 FORBIDDEN with a wrong one. The
// decision never depends on Accept, Upgrade or the transport: the only
// exceptions are the routes policy calls public, and a WebSocket upgrade
// without any token on a WebSocket route, whose operations the
// requireRead interceptor refuses until connection_init brings a token.
// Tokens are never stored or logged.
func (a *authenticator) middleware(policy routePolicy, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := a.check(r.Header.Get("Authorization"))
		if err := a.refusal(c); err != nil {
			public, ws := policy(r)
			if !public && !(ws && c == noToken && isWebSocketUpgrade(r)) {
				refuse(w, r, err)
				return
			}
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), credentialKey{}, c)))
	})
}

// refuse answers a request that may not read.
func refuse(w http.ResponseWriter, r *http.Request, err *stancegraph.Error) {
	media, ok := negotiate(r.Header.Get("Accept"))
	if !ok {
		media = mediaJSON
	}
	status := http.StatusForbidden
	if err.Code == stancegraph.EUNAUTHORIZED {
		status = http.StatusUnauthorized
		w.Header().Set("WWW-Authenticate", `Bearer realm="stancegraph"`)
	}
	writeResponse(w, media, status, requestFailure(err.Code, err.Message))
}

// isWebSocketUpgrade reports whether r is a WebSocket opening handshake
// (RFC 6455 section 4.1), not merely a request with an Upgrade header.
func isWebSocketUpgrade(r *http.Request) bool {
	return r.Method == http.MethodGet &&
		strings.EqualFold(r.Header.Get("Upgrade"), "websocket") &&
		headerHasToken(r.Header, "Connection", "upgrade") &&
		r.Header.Get("Sec-WebSocket-Key") != ""
}

// headerHasToken reports whether a comma-separated header holds token.
func headerHasToken(h http.Header, name, token string) bool {
	for _, v := range h.Values(name) {
		for t := range strings.SplitSeq(v, ",") {
			if strings.EqualFold(strings.TrimSpace(t), token) {
				return true
			}
		}
	}
	return false
}

// websocketInit takes the token of a WebSocket connection from the
// connection_init payload ("Authorization": "Bearer <token>") when the
// upgrade request had none, and refuses the connection when it may not read.
func (a *authenticator) websocketInit(ctx context.Context, p transport.InitPayload) (context.Context, *transport.InitPayload, error) {
	c, _ := ctx.Value(credentialKey{}).(credential)
	if h := p.Authorization(); h != "" && c == noToken {
		c = a.check(h)
		ctx = context.WithValue(ctx, credentialKey{}, c)
	}
	if err := a.refusal(c); err != nil {
		return ctx, nil, err
	}
	return ctx, nil, nil
}

// cutBearer returns the token of an "Authorization: Bearer <token>" header;
// the scheme is case-insensitive (RFC 9110).
func cutBearer(h string) (string, bool) {
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}

// requireRead refuses every operation of a private deployment that came
// without a read or write token, whatever the transport: the HTTP check
// lets WebSocket upgrades through without a token so that connection_init
// can bring one, and this is where an operation sent before that is
// refused.
func (a *authenticator) requireRead(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	c, _ := ctx.Value(credentialKey{}).(credential)
	if err := a.refusal(c); err != nil {
		return graphql.OneShot(&graphql.Response{Errors: gqlerror.List{graph.PresentError(ctx, err)}})
	}
	return next(ctx)
}

// requireWrite refuses mutations from requests without a valid write token,
// before any resolver runs. The refusal is one response (graphql.OneShot),
// so that a streaming transport sends it once and completes.
func requireWrite(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	op := graphql.GetOperationContext(ctx)
	if op.Operation == nil || op.Operation.Operation != ast.Mutation {
		return next(ctx)
	}
	c, _ := ctx.Value(credentialKey{}).(credential)
	var err *stancegraph.Error
	switch c {
	case writeToken:
		return next(ctx)
	case readToken:
		err = stancegraph.Errorf(stancegraph.EFORBIDDEN, "a read token cannot run mutations: send a write token")
	case badToken:
		err = stancegraph.Errorf(stancegraph.EFORBIDDEN, "the bearer token is not a write token")
	default:
		err = stancegraph.Errorf(stancegraph.EUNAUTHORIZED, "mutations need a write token: send Authorization: Bearer <token>")
	}
	return graphql.OneShot(&graphql.Response{Errors: gqlerror.List{graph.PresentError(ctx, err)}})
}
