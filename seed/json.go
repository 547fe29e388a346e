package seed

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/stancegraph/stancegraph"
)

// parseJSON decodes one JSON object entry by entry, each strictly, so that
// every failure is reported with its entry and line. The graph holds the
// entries that decode, and nil in place of those that fail; it is nil when
// the document does not parse at all.
func parseJSON(data []byte) (*stancegraph.Graph, []decodeFailure) {
	fail := func(f decodeFailure) (*stancegraph.Graph, []decodeFailure) {
		return nil, []decodeFailure{f}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	var top json.RawMessage
	if err := dec.Decode(&top); err == io.EOF {
		return fail(decodeFailure{msg: "no JSON value (a data file holds entities, relations and positions)"})
	} else if err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return fail(decodeFailure{line: lineAt(data, se.Offset), msg: jsonMessage(err)})
		}
		return fail(decodeFailure{line: lineAt(data, int64(len(data))), msg: jsonMessage(err)})
	}
	base := dec.InputOffset() - int64(len(top))
	if _, err := dec.Token(); err != io.EOF {
		return fail(decodeFailure{line: lineAt(data, dec.InputOffset()), msg: "data after the JSON object"})
	}
	if top[0] != '{' {
		return fail(decodeFailure{line: lineAt(data, base), msg: "a data file holds one JSON object with entities, relations and positions"})
	}

	var g stancegraph.Graph
	var failures []decodeFailure
	seen := map[string]bool{}
	obj := json.NewDecoder(bytes.NewReader(top))
	if _, err := obj.Token(); err != nil { // {
		return fail(decodeFailure{msg: jsonMessage(err)})
	}
	for obj.More() {
		tok, err := obj.Token()
		if err != nil {
			return fail(decodeFailure{msg: jsonMessage(err)})
		}
		key, _ := tok.(string)
		keyLine := lineAt(data, base+obj.InputOffset())
		var val json.RawMessage
		if err := obj.Decode(&val); err != nil {
			return fail(decodeFailure{line: keyLine, msg: jsonMessage(err)})
		}
		valStart := base + obj.InputOffset() - int64(len(val))
		switch {
		case !slices.Contains(sections, key):
			failures = append(failures, decodeFailure{line: keyLine, msg: fmt.Sprintf("unknown field %q (a data file holds %s)", key, strings.Join(sections, ", "))})
			continue
		case seen[key]:
			failures = append(failures, decodeFailure{line: keyLine, field: key, msg: "given twice"})
			continue
		}
		seen[key] = true
		switch {
		case string(val) == "null":
			continue
		case val[0] != '[':
			failures = append(failures, decodeFailure{line: lineAt(data, valStart), field: key, msg: "is not a list"})
			continue
		}
		list := json.NewDecoder(bytes.NewReader(val))
		if _, err := list.Token(); err != nil { // [
			return fail(decodeFailure{line: lineAt(data, valStart), msg: jsonMessage(err)})
		}
		for i := 0; list.More(); i++ {
			var item json.RawMessage
			if err := list.Decode(&item); err != nil {
				return fail(decodeFailure{line: lineAt(data, valStart), msg: jsonMessage(err)})
			}
			start := valStart + list.InputOffset() - int64(len(item))
			v := newItem(key)
			if err := strictJSON(item, v); err != nil {
				failures = append(failures, jsonFailures(data, start, item, key, i, err)...)
				v = nil // a placeholder: the entry's failures are reported
				if key == "entities" {
					// What decodes of it still answers references to it.
					e := new(stancegraph.Entity)
					_ = json.Unmarshal(item, e)
					v = e
				}
			}
			switch key {
			case "entities":
				e, _ := v.(*stancegraph.Entity)
				g.Entities = append(g.Entities, e)
			case "relations":
				r, _ := v.(*stancegraph.Relation)
				g.Relations = append(g.Relations, r)
			case "positions":
				p, _ := v.(*stancegraph.Position)
				g.Positions = append(g.Positions, p)
			}
		}
	}
	return &g, failures
}

func strictJSON(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// jsonFailures decodes each field of a failing entry on its own, to say
// which fields fail and on which lines. The entry starts at offset start
// of data.
func jsonFailures(data []byte, start int64, item json.RawMessage, section string, i int, err error) []decodeFailure {
	var loose map[string]any
	_ = json.Unmarshal(item, &loose)
	entry := entryName(section, i, func(k string) string { s, _ := loose[k].(string); return s })
	var out []decodeFailure
	fields := json.NewDecoder(bytes.NewReader(item))
	if tok, _ := fields.Token(); tok == json.Delim('{') {
		for fields.More() {
			tok, err := fields.Token()
			if err != nil {
				break
			}
			key, _ := tok.(string)
			line := lineAt(data, start+fields.InputOffset())
			var val json.RawMessage
			if err := fields.Decode(&val); err != nil {
				break
			}
			k, _ := json.Marshal(key)
			pair := append(append(append(append([]byte("{"), k...), ':'), val...), '}')
			if err := strictJSON(pair, newItem(section)); err != nil {
				out = append(out, decodeFailure{line: line, entry: entry, section: section, index: i, field: key, msg: JSONFieldMessage(err, val)})
			}
		}
	}
	if len(out) == 0 {
		out = append(out, decodeFailure{line: lineAt(data, start), entry: entry, section: section, index: i, msg: jsonMessage(err)})
	}
	return out
}

func jsonMessage(err error) string { return strings.TrimPrefix(message(err), "json: ") }

// lineAt returns the line, counted from 1, of the byte at offset.
func lineAt(data []byte, offset int64) int {
	offset = min(max(offset, 0), int64(len(data)))
	return 1 + bytes.Count(data[:offset], []byte("\n"))
}
