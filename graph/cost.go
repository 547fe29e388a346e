package graph

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/stancegraph/stancegraph"
)

// listFanOut is the size a list without a `first` argument is assumed to
// have when a query's cost is computed.
const listFanOut = 10

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
