package graph

import (
	"context"
	"crypto/subtle"
	"net/http"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/stancegraph/stancegraph"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// credential is what a request presented in its Authorization header.
type credential int

const (
	noToken credential = iota
	badToken
	writeToken
)

type credentialKey struct{}

// WithAuth is middleware that checks the request's bearer token against the
// write tokens, in constant time, and records the outcome in the context.
// The token itself is never stored or logged.
func WithAuth(writeTokens []string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := noToken
		if h := r.Header.Get("Authorization"); h != "" {
			c = badToken
			token, ok := strings.CutPrefix(h, "Bearer ")
			for _, t := range writeTokens {
				if ok && t != "" && subtle.ConstantTimeCompare([]byte(token), []byte(t)) == 1 {
					c = writeToken
				}
			}
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), credentialKey{}, c)))
	})
}

// requireWrite refuses mutations from requests without a valid write token,
// before any resolver runs.
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
	case badToken:
		err = stancegraph.Errorf(stancegraph.EFORBIDDEN, "the bearer token is not a write token")
	default:
		err = stancegraph.Errorf(stancegraph.EUNAUTHORIZED, "mutations need a write token: send Authorization: Bearer <token>")
	}
	return graphql.OneShot(&graphql.Response{Errors: gqlerror.List{presentError(ctx, err)}})
}
