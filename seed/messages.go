package seed

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"
)

// The problems a decoder finds are worded once, here, so that the same
// problem reads the same in YAML and in JSON.

// unknownField is the message for a field the format does not have.
func unknownField(name string) string { return fmt.Sprintf("unknown field %q", name) }

// WrongType is the message for a value of the wrong type in every input
// format; literal is the value as the file has it.
func WrongType(literal string, want reflect.Kind) string {
	var what string
	switch want {
	case reflect.Int, reflect.Int64, reflect.Int32:
		what = "a whole number"
	case reflect.String:
		what = "text"
	case reflect.Slice:
		what = "a list"
	case reflect.Struct, reflect.Map:
		what = "an object"
	case reflect.Bool:
		what = "true or false"
	default:
		what = "a " + want.String()
	}
	if len(literal) > 40 {
		literal = literal[:40] + "…"
	}
	return fmt.Sprintf("%s is not %s", literal, what)
}

var (
	yamlUnknown   = regexp.MustCompile(`^field (\S+) not found in type \S+$`)
	yamlWrongType = regexp.MustCompile("^cannot unmarshal !!\\w+ `(.*)` into (\\S+)$") // backquotes inside
)

// yamlMessage rewords a message of the YAML decoder.
func yamlMessage(msg string) string {
	if m := yamlUnknown.FindStringSubmatch(msg); m != nil {
		return unknownField(m[1])
	}
	if m := yamlWrongType.FindStringSubmatch(msg); m != nil {
		return WrongType(strconv.Quote(m[1]), goKind(m[2]))
	}
	return msg
}

// goKind is the kind of a Go type as the YAML decoder names it.
func goKind(t string) reflect.Kind {
	switch {
	case strings.HasPrefix(t, "[]"):
		return reflect.Slice
	case strings.HasPrefix(t, "map["):
		return reflect.Map
	case t == "int" || t == "int64" || t == "int32":
		return reflect.Int
	case t == "bool":
		return reflect.Bool
	case t == "string" || strings.HasPrefix(t, "stancegraph."):
		return reflect.String
	}
	return reflect.Struct
}

// JSONFieldMessage rewords the error of decoding one JSON field whose raw
// value is val (nil when unknown), as the YAML decoder's are.
func JSONFieldMessage(err error, val json.RawMessage) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && val != nil {
		return WrongType(strings.TrimSpace(string(val)), te.Type.Kind())
	}
	msg := jsonMessage(err)
	if name, ok := strings.CutPrefix(msg, "unknown field "); ok {
		if n, err := strconv.Unquote(name); err == nil {
			return unknownField(n)
		}
	}
	return msg
}
