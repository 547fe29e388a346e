package graph

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/analysis"
)

// listFanOut is the size a list without a `first` argument is assumed to
// have when a query's cost is computed.
const listFanOut = 10

// costedSchema gives every field a cost, so that the complexity limit
// measures roughly how many values a query can make the server produce: a
// field costs one plus what it selects, and a list multiplies what it
// selects by its length: `first` where the field takes it, the number of
// ids for `nodes`, and listFanOut for other lists. Introspection is free
// (the HTTP layer bounds how many introspection fields an operation has).
//
// The analysis fields are priced by the work they do before they return,
// which the size of their answer does not show (see analysisCost), so
// that aliases of them add up and are refused before they run.
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
	work := 0
	if typeName == "Query" {
		work = analysisCost(field, args)
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
	return saturatingAdd(saturatingAdd(1, work), saturatingMul(n, child)), true
}

// Work prices of the analysis fields, in the unit of the cost model (about
// one value produced).
const (
	// alignmentWork: two actors' positions, compared once.
	alignmentWork = 100
	// pathHopWork: one breadth-first level of a path search, which may
	// touch much of the graph.
	pathHopWork = 1000
)

// analysisCost is the work of an analysis field of Query before it
// returns: actorNetwork and coalitions compare every pair of their limit
// actors (limit², Louvain included); neighborhood expands up to limit
// nodes per level for depth levels, reading their edges (listFanOut
// each); path runs maxHops breadth-first
// levels. Arguments out of range cost 1 (the resolver refuses them with
// INVALID).
func analysisCost(field string, args map[string]any) int {
	switch field {
	case "actorNetwork", "coalitions":
		l := argInRange(args["limit"], analysis.DefaultActors, 1, analysis.MaxNetworkActors)
		return saturatingMul(l, l)
	case "actorNetworkSeries":
		// One network per window: the windows the arguments ask for, each
		// like an actorNetwork.
		l := argInRange(args["limit"], analysis.DefaultActors, 1, analysis.MaxNetworkActors)
		return saturatingMul(seriesWindows(args), saturatingMul(l, l))
	case "neighborhood":
		return saturatingMul(listFanOut, saturatingMul(argInRange(args["limit"], analysis.DefaultNeighbors, 1, analysis.MaxNeighborhood),
			argInRange(args["depth"], analysis.DefaultDepth, 1, analysis.MaxDepth)))
	case "path":
		return saturatingMul(pathHopWork, argInRange(args["maxHops"], analysis.DefaultHops, 1, analysis.MaxHops))
	case "alignment":
		return alignmentWork
	}
	return 0
}

// argInRange reads an Int argument: def when it is null, 1 when it is
// outside [lo, hi].
func argInRange(v any, def, lo, hi int) int {
	n, ok := intArg(v)
	if !ok {
		return def
	}
	if n < int64(lo) || n > int64(hi) {
		return 1
	}
	return int(n)
}

func intArg(v any) (int64, bool) {
	switch v := v.(type) {
	case int:
		return int64(v), true
	case int64:
		return v, true
	case int32:
		return int64(v), true
	case float64:
		return int64(v), true
	case json.Number:
		n, err := v.Int64()
		return n, err == nil
	}
	return 0, false
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

// seriesWindows counts the windows an actorNetworkSeries asks for, at most
// analysis.MaxSeriesWindows; 1 when the arguments are not valid (the
// resolver refuses them).
func seriesWindows(args map[string]any) int {
	window, _ := intArg(args["window"])
	step, _ := intArg(args["step"])
	starts, err := analysis.SeriesWindows(analysis.SeriesQuery{Window: int(window), Step: int(step), From: dateArg(args["from"]), To: dateArg(args["to"])})
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
