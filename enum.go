package stancegraph

import (
	"io"
	"strconv"
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
		return "", Errorf(EINVALID, "%q is not a valid %s (valid: %v)", s, name, []T(vs))
	}
	return T(s), nil
}

func writeQuoted(w io.Writer, s string) {
	_, _ = io.WriteString(w, strconv.Quote(s))
}
