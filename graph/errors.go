package graph

import (
	"context"
	"errors"
	"log/slog"

	"github.com/99designs/gqlgen/graphql"
	"github.com/stancegraph/stancegraph"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// PresentError is the one place where errors become GraphQL errors: domain
// errors keep their message and carry their code in extensions.code; any
// other error is logged and shown as "internal error".
func PresentError(ctx context.Context, err error) *gqlerror.Error {
	var gqlErr *gqlerror.Error
	if errors.As(err, &gqlErr) && gqlErr.Err == nil {
		// Parse and validation errors from gqlgen keep their own codes.
		return gqlErr
	}
	if isIntrospectionDisabled(err) {
		err = stancegraph.Errorf(stancegraph.EFORBIDDEN, "introspection is turned off on this server")
	}
	code := stancegraph.ErrorCode(err)
	if code == stancegraph.EINTERNAL {
		slog.ErrorContext(ctx, "internal error", "err", err, "path", graphql.GetPath(ctx).String())
	}
	e := graphql.DefaultErrorPresenter(ctx, err)
	e.Message = stancegraph.ErrorMessage(err)
	if e.Extensions == nil {
		e.Extensions = map[string]any{}
	}
	e.Extensions["code"] = code
	if f := stancegraph.ErrorField(err); f != "" {
		e.Extensions["field"] = f
	}
	return e
}

// isIntrospectionDisabled reports whether err is gqlgen's refusal of
// __schema or __type when introspection is off; it has no type of its own.
func isIntrospectionDisabled(err error) bool {
	for ; err != nil; err = errors.Unwrap(err) {
		if err.Error() == "introspection disabled" {
			return true
		}
	}
	return false
}

// RecoverPanic turns a panic in a resolver into an internal error.
func RecoverPanic(ctx context.Context, p any) error {
	slog.ErrorContext(ctx, "panic in resolver", "panic", p, "path", graphql.GetPath(ctx).String())
	return stancegraph.Errorf(stancegraph.EINTERNAL, "panic: %v", p)
}
