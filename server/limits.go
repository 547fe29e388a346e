package server

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/graph"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// Default limits; Options override each of them.
const (
	DefaultMaxBodyBytes   = 1 << 20
	DefaultMaxDepth       = 12
	DefaultMaxComplexity  = 200000
	DefaultMaxTokens      = 10000
	DefaultRequestTimeout = 10 * time.Second

	// MaxIntrospectionFields bounds the __schema and __type fields of one
	// operation: their answers are large and free of the cost model, so
	// aliases of them would amplify a small query into a huge answer.
	// GraphiQL's schema query has one.
	MaxIntrospectionFields = 3
)

// The extensions.code of the refusals of the limits. Parse and validation
// errors keep GraphQL's own codes; a page larger than the maximum is
// INVALID with extensions.field "first".
const (
	CodeBodyTooLarge    = "REQUEST_TOO_LARGE"
	CodeTokenLimit      = "TOKEN_LIMIT_EXCEEDED"
	CodeDepthLimit      = "DEPTH_LIMIT_EXCEEDED"
	CodeComplexityLimit = "COMPLEXITY_LIMIT_EXCEEDED"
	// CodePersistedQuery is the code of a malformed automatic persisted
	// query: bad extension data, an unknown version, a hash that does not
	// match the query. (An unknown hash keeps PERSISTED_QUERY_NOT_FOUND,
	// which clients act on.)
	CodePersistedQuery     = "PERSISTED_QUERY_INVALID"
	gqlparserTokenLimitMsg = "exceeded token limit of "
)

// shapeLimit refuses operations whose selections nest deeper than MaxDepth
// levels, or that select more than MaxFields fields once fragments are
// expanded. The second is a cheap lower bound of the complexity, checked
// first because fragments that spread each other twice per level expand
// exponentially: the walk stops at the budget, where a full complexity
// walk would take minutes. What introspection fields select is not
// counted (gqlparser bounds its depth itself, and GraphiQL's schema query
// is deeper than any data query needs to be), but an operation may hold
// at most MaxIntrospection __schema and __type fields, fragments expanded.
type shapeLimit struct{ MaxDepth, MaxFields, MaxIntrospection int }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = shapeLimit{}

func (shapeLimit) ExtensionName() string                   { return "ShapeLimit" }
func (shapeLimit) Validate(graphql.ExecutableSchema) error { return nil }

func (l shapeLimit) MutateOperationContext(ctx context.Context, op *graphql.OperationContext) *gqlerror.Error {
	if op.Operation == nil {
		return nil
	}
	w := shapeWalk{maxDepth: l.MaxDepth, budget: l.MaxFields, introspection: l.MaxIntrospection}
	w.walk(op.Operation.SelectionSet, 0)
	switch {
	case w.introspection < 0:
		err := gqlerror.Errorf("the query selects more than %d __schema or __type fields", l.MaxIntrospection)
		errcode.Set(err, CodeComplexityLimit)
		return err
	case w.budget < 0:
		err := gqlerror.Errorf("the query selects more than %d fields once its fragments are expanded", l.MaxFields)
		errcode.Set(err, CodeComplexityLimit)
		return err
	case w.tooDeep:
		err := gqlerror.Errorf("the query is nested more than %d levels deep", l.MaxDepth)
		errcode.Set(err, CodeDepthLimit)
		return err
	}
	return nil
}

// shapeWalk walks selections until it has seen enough to refuse them.
type shapeWalk struct {
	maxDepth int
	budget   int // fields still allowed; negative once exceeded
	tooDeep  bool
	// introspection is the __schema and __type fields still allowed.
	introspection int
}

func (w *shapeWalk) done() bool { return w.budget < 0 || w.tooDeep || w.introspection < 0 }

func (w *shapeWalk) walk(set ast.SelectionSet, depth int) {
	for _, sel := range set {
		if w.done() {
			return
		}
		switch sel := sel.(type) {
		case *ast.Field:
			if sel.Name == "__schema" || sel.Name == "__type" {
				w.introspection--
				continue
			}
			w.budget--
			if depth+1 > w.maxDepth {
				w.tooDeep = true
				return
			}
			w.walk(sel.SelectionSet, depth+1)
		case *ast.InlineFragment:
			w.walk(sel.SelectionSet, depth)
		case *ast.FragmentSpread:
			if sel.Definition != nil {
				w.walk(sel.Definition.SelectionSet, depth)
			}
		}
	}
}

// timeoutGrace is how long past its deadline an operation may take to
// return what it has before withTimeout answers without it.
const timeoutGrace = 100 * time.Millisecond

// withTimeout bounds every operation by d and by its client: resolvers,
// store calls and analyses get the deadline in their context, and the
// context of a request ends when its client goes away. gqlgen itself does
// not stop at the deadline: it still walks every element of a list that a
// resolver returned in time, making an error for each field it can no
// longer resolve (stopAfterDeadline keeps that cheap). So the operation
// runs aside, and once its context has ended (plus timeoutGrace) the
// client gets one TIMEOUT error (UNAVAILABLE if it went away) at once, while the rest of the walk
// ends without it.
//
// A subscription's response handler waits for its next event, as long as
// its client stays: it is not bounded here; the store reads that resolve
// each event are (graph.FreshLoaders).
func withTimeout(d time.Duration) graphql.ResponseMiddleware {
	aside := workers{jobs: make(chan func())}
	return func(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
		if graph.IsSubscription(ctx) {
			return next(ctx)
		}
		ctx, cancel := context.WithTimeout(ctx, d)
		defer cancel()
		done := make(chan *graphql.Response, 1)
		aside.run(func() { done <- next(ctx) })
		select {
		case resp := <-done:
			return resp
		case <-ctx.Done():
		}
		select {
		case resp := <-done:
			return resp
		case <-time.After(timeoutGrace):
		}
		code, msg := stancegraph.ETIMEOUT, fmt.Sprintf("the operation did not finish within the timeout (%v)", d)
		if context.Cause(ctx) == context.Canceled {
			code, msg = stancegraph.EUNAVAILABLE, "the operation was cancelled: the client went away"
		}
		err := graph.PresentError(ctx, stancegraph.Errorf(code, "%s", msg))
		return &graphql.Response{Errors: gqlerror.List{err}, Data: []byte("null")}
	}
}

// workers run functions aside, each on a goroutine of its own: an idle
// one that ran another before, else a new one. A goroutine that answered
// a query has grown its stack to the depth an operation needs; a fresh one
// grows it anew, copying it a few times, for every request. A worker idle
// for workerIdle ends, so that a quiet server keeps no more goroutines
// than it has connections.
type workers struct{ jobs chan func() }

const workerIdle = time.Second

func (p *workers) run(f func()) {
	select {
	case p.jobs <- f: // an idle worker takes it
	default:
		go p.work(f)
	}
}

func (p *workers) work(f func()) {
	idle := time.NewTimer(workerIdle)
	defer idle.Stop()
	for {
		f()
		idle.Reset(workerIdle)
		select {
		case f = <-p.jobs:
		case <-idle.C:
			return
		}
	}
}

// stopAfterDeadline skips the resolvers of an operation whose context has
// ended: the field gets the context's error at once. A query's root fields
// still run: they read the answers of the read plan, executed before (a
// store that failed answers UNAVAILABLE, not TIMEOUT, even when its driver
// tried until the deadline), and what they read anew stops at once on the
// ended context.
func stopAfterDeadline(ctx context.Context, next graphql.Resolver) (any, error) {
	if err := ctx.Err(); err != nil {
		if fc := graphql.GetFieldContext(ctx); fc != nil && fc.Object == "Query" {
			return next(ctx)
		}
		return nil, stancegraph.ContextError(err, "the operation")
	}
	return next(ctx)
}

// recodeLimitErrors gives the parser's token limit its own code; gqlparser
// reports it as an ordinary syntax error.
func recodeLimitErrors(errs gqlerror.List) {
	for _, e := range errs {
		if strings.HasPrefix(e.Message, gqlparserTokenLimitMsg) {
			errcode.Set(e, CodeTokenLimit)
			e.Message = fmt.Sprintf("the query has too many tokens (limit %s)", strings.TrimPrefix(e.Message, gqlparserTokenLimitMsg))
		}
	}
}

// persistedQueries is gqlgen's automatic persisted queries with a code on
// every refusal.
type persistedQueries struct {
	extension.AutomaticPersistedQuery
}

var _ graphql.OperationParameterMutator = persistedQueries{}

func (p persistedQueries) MutateOperationParameters(ctx context.Context, raw *graphql.RawParams) *gqlerror.Error {
	err := p.AutomaticPersistedQuery.MutateOperationParameters(ctx, raw)
	if err != nil {
		if _, ok := err.Extensions["code"]; !ok {
			errcode.Set(err, CodePersistedQuery)
		}
	}
	return err
}
