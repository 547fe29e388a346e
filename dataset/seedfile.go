package dataset

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/seed"
)

// openSeedFile reads a file in the seed format (YAML or JSON).
func openSeedFile(path string) (*Dataset, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, stancegraph.Errorf(stancegraph.EINVALID, "%s: %v", path, err)
	}
	return ParseSeed(path, data), nil
}

// ParseSeed decodes data in the seed format, YAML or JSON as the extension
// of name says, with the line of each entry. What does not decode becomes
// problem records: seed.Parse reports the shape of a file, and the entries'
// meaning is checked when the input is validated.
func ParseSeed(name string, data []byte) *Dataset {
	d := &Dataset{name: name}
	g, failed, err := seed.ParseLenient(name, data)
	if err != nil {
		for _, p := range seedProblems(name, err) {
			d.add(&Record{Origin: p.Origin, Problem: &p})
		}
	}
	if g == nil {
		return d
	}
	var lines map[string][]entryLines
	if ext := strings.ToLower(filepath.Ext(name)); ext == ".json" {
		lines = jsonEntryLines(data)
	} else {
		lines = yamlEntryLines(data)
	}
	at := func(r *Record, section string, i int) *Record {
		r.Origin = Origin{File: name}
		if ls := lines[section]; i < len(ls) {
			r.Origin.Line, r.fieldLines = ls[i].line, ls[i].fields
		}
		return r
	}
	// Entries that did not decode are problems already; the others are
	// checked with the rest of the input, so that one bad value does not
	// hide the problems of the other entries.
	for i, e := range g.Entities {
		// An entity that failed still answers references to its id; the
		// input is refused anyway.
		if !failed("entities", i) || e != nil && e.ID != "" && e.Kind.Valid() {
			d.add(nonNil(at(&Record{Entity: e}, "entities", i), e == nil))
		}
	}
	for i, r := range g.Relations {
		if !failed("relations", i) {
			d.add(nonNil(at(&Record{Relation: r}, "relations", i), r == nil))
		}
	}
	for i, p := range g.Positions {
		if !failed("positions", i) {
			d.add(nonNil(at(&Record{Position: p}, "positions", i), p == nil))
		}
	}
	return d
}

// nonNil turns a record whose entry is null into a problem.
func nonNil(r *Record, null bool) *Record {
	if null {
		return &Record{Origin: r.Origin, Problem: &Problem{Origin: r.Origin, Code: stancegraph.EINVALID, Msg: "empty entry"}}
	}
	return r
}

// seedProblems splits the error of seed.Parse, failures in the form
// "file:line: message" joined by "; ", into problems.
func seedProblems(name string, err error) []Problem {
	msg := stancegraph.ErrorMessage(err)
	code := stancegraph.ErrorCode(err)
	var out []Problem
	for i, part := range strings.Split(msg, "; "+name) {
		if i > 0 {
			part = name + part
		}
		p := Problem{Origin: Origin{File: name}, Code: code, Msg: part}
		if rest, ok := strings.CutPrefix(part, name); ok {
			p.Msg = strings.TrimPrefix(rest, ": ")
			if after, ok := strings.CutPrefix(rest, ":"); ok {
				if n, text, ok := strings.Cut(after, ": "); ok {
					if line, err := strconv.Atoi(n); err == nil {
						p.Line, p.Msg = line, text
					}
				}
			}
		}
		out = append(out, p)
	}
	return out
}

// entryLines is where an entry starts, and the line of each of its fields.
type entryLines struct {
	line   int
	fields map[string]int
}

// yamlEntryLines returns the lines of each entry of each section.
func yamlEntryLines(data []byte) map[string][]entryLines {
	var root yaml.Node
	if yaml.Unmarshal(data, &root) != nil || len(root.Content) == 0 {
		return nil
	}
	doc := root.Content[0]
	if doc.Kind != yaml.MappingNode {
		return nil
	}
	out := map[string][]entryLines{}
	for i := 0; i+1 < len(doc.Content); i += 2 {
		key, val := doc.Content[i], doc.Content[i+1]
		if val.Kind != yaml.SequenceNode {
			continue
		}
		for _, item := range val.Content {
			el := entryLines{line: item.Line}
			if item.Kind == yaml.MappingNode {
				el.fields = make(map[string]int, len(item.Content)/2)
				for j := 0; j+1 < len(item.Content); j += 2 {
					el.fields[item.Content[j].Value] = item.Content[j].Line
				}
			}
			out[key.Value] = append(out[key.Value], el)
		}
	}
	return out
}

// jsonEntryLines returns the lines of each entry of each section of a JSON
// object that seed.Parse has accepted.
func jsonEntryLines(data []byte) map[string][]entryLines {
	out := map[string][]entryLines{}
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return out
		}
		key, _ := tok.(string)
		if tok, err := dec.Token(); err != nil {
			return out
		} else if tok != json.Delim('[') {
			continue // null
		}
		for dec.More() {
			el := entryLines{line: lineAt(data, skipSpace(data, dec.InputOffset()))}
			if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
				return out // seed.Parse accepted objects only
			}
			el.fields = map[string]int{}
			for dec.More() {
				tok, err := dec.Token()
				if err != nil {
					return out
				}
				field, _ := tok.(string)
				// The key ends on its own line: the value may follow on the next.
				el.fields[field] = lineAt(data, dec.InputOffset())
				var skip json.RawMessage
				if dec.Decode(&skip) != nil {
					return out
				}
			}
			if _, err := dec.Token(); err != nil { // }
				return out
			}
			out[key] = append(out[key], el)
		}
		if _, err := dec.Token(); err != nil { // ]
			return out
		}
	}
	return out
}

// skipSpace returns the offset of the first byte at or after off that is
// neither white space nor a comma.
func skipSpace(data []byte, off int64) int64 {
	for off < int64(len(data)) {
		switch data[off] {
		case ' ', '\t', '\r', '\n', ',':
			off++
		default:
			return off
		}
	}
	return off
}

// lineAt returns the line, counted from 1, of the byte at offset.
func lineAt(data []byte, offset int64) int {
	offset = min(max(offset, 0), int64(len(data)))
	return 1 + bytes.Count(data[:offset], []byte("\n"))
}
