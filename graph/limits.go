package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/analysis"
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

	// listFanOut is the size a list without a `first` argument is assumed
	// to have when a query's cost is computed.
	listFanOut = 10
)

// The extensions.code of the refusals of the limits. Parse and validation
// errors keep GraphQL's own codes; a page larger than the maximum is
// INVALID with extensions.field "first".
const (
	CodeBodyTooLarge       = "REQUEST_TOO_LARGE"
	CodeTokenLimit         = "TOKEN_LIMIT_EXCEEDED"
	CodeDepthLimit         = "DEPTH_LIMIT_EXCEEDED"
	CodeComplexityLimit    = "COMPLEXITY_LIMIT_EXCEEDED"
	gqlparserTokenLimitMsg = "exceeded token limit of "
)

// costedSchema gives every field a cost, so that the complexity limit
// measures roughly how many values a query can make the server produce: a
// field costs one plus what it selects, and a list multiplies what it
// selects by its length: `first` where the field takes it, the number of
// ids for `nodes`, and listFanOut for other lists. Introspection is free.
type costedSchema struct {
	graphql.ExecutableSchema
}

func (s costedSchema) Complexity(ctx context.Context, typeName, field string, child int, args map[string]any) (int, bool) {
	def := s.Schema().Types[typeName]
	if def == nil {
		return 0, false
	}
	f := def.Fields.ForName(field)
	if f == nil {
		return 0, false
	}
	n := 1
	switch {
	case f.Arguments.ForName("first") != nil:
		n = clampCount(args["first"])
	case typeName == "Query" && field == "actorNetworkSeries":
		// One network per window: price the windows the arguments ask
		// for (a refused series costs what the resolver refuses).
		n = seriesWindows(args)
	case typeName == "Query" && field == "nodes":
		if v := reflect.ValueOf(args["ids"]); v.Kind() == reflect.Slice {
			n = v.Len()
		}
	case f.Type.Elem != nil && !strings.HasSuffix(typeName, "Connection"):
		// A connection's edges are already counted by the field that
		// returned the connection, with its `first`.
		n = listFanOut
	}
	return saturatingAdd(1, saturatingMul(n, child)), true
}

// clampCount reads a `first` argument; values beyond the page size limit
// count as the limit (the resolver refuses them anyway).
func clampCount(v any) int {
	var n int64
	switch v := v.(type) {
	case int:
		n = int64(v)
	case int64:
		n = v
	case float64:
		n = int64(v)
	case json.Number:
		n, _ = v.Int64()
	default:
		// null: the resolver's default page
		return stancegraph.DefaultPageSize
	}
	return int(max(0, min(n, stancegraph.MaxPageSize)))
}

const maxInt = int(^uint(0) >> 1)

func saturatingAdd(a, b int) int {
	if a > maxInt-b {
		return maxInt
	}
	return a + b
}

func saturatingMul(a, b int) int {
	if a != 0 && b > maxInt/a {
		return maxInt
	}
	return a * b
}

// shapeLimit refuses operations whose selections nest deeper than MaxDepth
// levels, or that select more than MaxFields fields once fragments are
// expanded. The second is a cheap lower bound of the complexity, checked
// first because fragments that spread each other twice per level expand
// exponentially: the walk stops at the budget, where a full complexity
// walk would take minutes. Introspection fields are not counted: gqlparser
// bounds their depth itself, and GraphiQL's schema query is deeper than
// any data query needs to be.
type shapeLimit struct{ MaxDepth, MaxFields int }

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
	w := shapeWalk{maxDepth: l.MaxDepth, budget: l.MaxFields}
	w.walk(op.Operation.SelectionSet, 0)
	switch {
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
}

func (w *shapeWalk) done() bool { return w.budget < 0 || w.tooDeep }

func (w *shapeWalk) walk(set ast.SelectionSet, depth int) {
	for _, sel := range set {
		if w.done() {
			return
		}
		switch sel := sel.(type) {
		case *ast.Field:
			if sel.Name == "__schema" || sel.Name == "__type" {
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

// withTimeout bounds the execution of every operation, store calls
// included: the store gets the deadline in its context.
func withTimeout(d time.Duration) graphql.ResponseMiddleware {
	return func(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
		ctx, cancel := context.WithTimeout(ctx, d)
		defer cancel()
		return next(ctx)
	}
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

// seriesWindows counts the windows an actorNetworkSeries asks for, at most
// analysis.MaxSeriesWindows; 1 when the arguments are not valid.
func seriesWindows(args map[string]any) int {
	q := analysis.SeriesQuery{Window: intArg(args["window"]), Step: intArg(args["step"]), From: dateArg(args["from"]), To: dateArg(args["to"])}
	starts, err := analysis.SeriesWindows(q)
	if err != nil {
		return 1
	}
	return len(starts)
}

func dateArg(v any) stancegraph.Date {
	switch v := v.(type) {
	case stancegraph.Date:
		return v
	case *stancegraph.Date:
		if v != nil {
			return *v
		}
	case string:
		return stancegraph.Date(v)
	}
	return ""
}

func intArg(v any) int {
	switch v := v.(type) {
	case int:
		return v
	case int64:
		return int(v)
	}
	return 0
}
