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
	g, err := seed.Parse(name, data)
	if err != nil {
		for _, p := range seedProblems(name, err) {
			d.add(&Record{Origin: p.Origin, Problem: &p})
		}
		return d
	}
	var lines map[string][]int
	if ext := strings.ToLower(filepath.Ext(name)); ext == ".json" {
		lines = jsonEntryLines(data)
	} else {
		lines = yamlEntryLines(data)
	}
	at := func(section string, i int) Origin {
		o := Origin{File: name}
		if ls := lines[section]; i < len(ls) {
			o.Line = ls[i]
		}
		return o
	}
	for i, e := range g.Entities {
		d.add(nonNil(&Record{Origin: at("entities", i), Entity: e}, e == nil))
	}
	for i, r := range g.Relations {
		d.add(nonNil(&Record{Origin: at("relations", i), Relation: r}, r == nil))
	}
	for i, p := range g.Positions {
		d.add(nonNil(&Record{Origin: at("positions", i), Position: p}, p == nil))
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

// yamlEntryLines returns the line of each entry of each section.
func yamlEntryLines(data []byte) map[string][]int {
	var root yaml.Node
	if yaml.Unmarshal(data, &root) != nil || len(root.Content) == 0 {
		return nil
	}
	doc := root.Content[0]
	if doc.Kind != yaml.MappingNode {
		return nil
	}
	out := map[string][]int{}
	for i := 0; i+1 < len(doc.Content); i += 2 {
		key, val := doc.Content[i], doc.Content[i+1]
		if val.Kind != yaml.SequenceNode {
			continue
		}
		for _, item := range val.Content {
			out[key.Value] = append(out[key.Value], item.Line)
		}
	}
	return out
}

// jsonEntryLines returns the line of each entry of each section of a JSON
// object that seed.Parse has accepted.
func jsonEntryLines(data []byte) map[string][]int {
	out := map[string][]int{}
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
			out[key] = append(out[key], lineAt(data, skipSpace(data, dec.InputOffset())))
			var skip json.RawMessage
			if dec.Decode(&skip) != nil {
				return out
			}
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
