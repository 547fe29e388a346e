package stancegraph

import (
	"fmt"
	"io"
	"strconv"
	"strings"
)

// enumValues lists the valid values of a closed string enum in the order the
// schema declares them.
type enumValues[T ~string] []T

func (vs enumValues[T]) has(v T) bool {
	for _, x := range vs {
		if x == v {
			return true
		}
	}
	return false
}

// parse turns a GraphQL or text value into an enum value, or an EINVALID
// error naming the enum and its valid values.
func (vs enumValues[T]) parse(name string, v any) (T, error) {
	s, ok := v.(string)
	if !ok {
		return "", Errorf(EINVALID, "%s must be a string", name)
	}
	if !vs.has(T(s)) {
		return "", vs.Invalid("", name, s)
	}
	return T(s), nil
}

// Invalid is the error for a value that is none of vs: the one wording of
// this problem, whichever format (YAML, JSON, CSV, NDJSON, GraphQL) the
// value came in. field may be empty.
func (vs enumValues[T]) Invalid(field, name string, v any) error {
	return FieldErrorf(field, "%q is not a valid %s (valid: %s)", fmt.Sprint(v), name, vs)
}

// String lists the values, comma-separated.
func (vs enumValues[T]) String() string {
	names := make([]string, len(vs))
	for i, x := range vs {
		names[i] = string(x)
	}
	return strings.Join(names, ", ")
}

func writeQuoted(w io.Writer, s string) {
	_, _ = io.WriteString(w, strconv.Quote(s))
}
