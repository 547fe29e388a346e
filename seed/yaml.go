package seed

import (
	"bytes"
	"errors"
	"io"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/stancegraph/stancegraph"
)

// parseYAML decodes one YAML document strictly. When decoding fails, the
// document's node tree tells which entry each failure belongs to. The
// graph holds the entries that decode, and nil in place of those that
// fail; it is nil when the document does not parse at all.
func parseYAML(data []byte) (*stancegraph.Graph, []decodeFailure) {
	var root yaml.Node
	docs := yaml.NewDecoder(bytes.NewReader(data))
	if err := docs.Decode(&root); err == io.EOF {
		return nil, []decodeFailure{{msg: "no YAML document (a data file holds entities, relations and positions)"}}
	} else if err != nil {
		return nil, []decodeFailure{syntaxFailure(data, err)}
	}
	var next yaml.Node
	if err := docs.Decode(&next); err == nil {
		return nil, []decodeFailure{{line: next.Line, msg: "more than one YAML document"}}
	} else if err != io.EOF {
		return nil, []decodeFailure{yamlFailure(err.Error())}
	}

	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var g stancegraph.Graph
	err := dec.Decode(&g)
	if err == nil {
		return &g, nil
	}
	items := yamlItems(&root)
	var failures []decodeFailure
	var te *yaml.TypeError
	if errors.As(err, &te) {
		// Unknown fields and values of the wrong type: the decoder names
		// every one with its line, and decodes the rest.
		for _, m := range te.Errors {
			f := yamlFailure(m)
			if it := itemAt(items, f.line); it != nil {
				f.entry, f.field = it.entry, it.fieldAt(f.line)
				f.section, f.index = it.section, it.index
				dropEntry(&g, it.section, it.index)
			}
			failures = append(failures, f)
		}
		return &g, failures
	} else {
		// A value an enum rejects stops the decoder without a line: find
		// the entries, and their fields, that fail on their own.
		for _, it := range items {
			failures = append(failures, it.failures()...)
		}
		if len(failures) == 0 {
			failures = append(failures, yamlFailure(message(err)))
		}
	}
	return nil, failures
}

// dropEntry puts nil in place of a relation or position whose failures are
// reported. An entity stays, as far as it decoded, to answer references.
func dropEntry(g *stancegraph.Graph, section string, i int) {
	switch {
	case section == "relations" && i < len(g.Relations):
		g.Relations[i] = nil
	case section == "positions" && i < len(g.Positions):
		g.Positions[i] = nil
	}
}

// syntaxFailure is the failure of a document that does not parse. The
// parser reports the line where the enclosing block starts (an indentation
// error on line 4 of a list that starts on line 1 says "line 1"): the line
// of the problem is the last of the shortest prefix of the document that
// fails the same way.
func syntaxFailure(data []byte, err error) decodeFailure {
	f := yamlFailure(err.Error())
	lines := bytes.SplitAfter(data, []byte("\n"))
	fails := func(n int) bool {
		var node yaml.Node
		perr := yaml.Unmarshal(bytes.Join(lines[:n], nil), &node)
		return perr != nil && yamlFailure(perr.Error()).msg == f.msg
	}
	if f.line == 0 || !fails(len(lines)) {
		return f
	}
	lo, hi := f.line, len(lines) // the problem is on a line in [lo, hi]
	if lo < 1 || lo > hi {
		lo = 1
	}
	for lo < hi {
		mid := (lo + hi) / 2
		if fails(mid) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	f.line = lo
	return f
}

// yamlFailure splits a decoder message such as "yaml: line 3: did not
// find expected key" into its line and the rest.
func yamlFailure(msg string) decodeFailure {
	msg = strings.TrimPrefix(msg, "yaml: ")
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if n, after, ok := strings.Cut(rest, ": "); ok {
			if line, err := strconv.Atoi(n); err == nil {
				return decodeFailure{line: line, msg: yamlMessage(after)}
			}
		}
	}
	return decodeFailure{msg: yamlMessage(msg)}
}

// yamlItem is one entry of a section, with the lines it spans.
type yamlItem struct {
	section     string
	index       int
	entry       string
	node        *yaml.Node
	first, last int
}

func yamlItems(root *yaml.Node) []*yamlItem {
	doc := root
	if doc.Kind == yaml.DocumentNode && len(doc.Content) == 1 {
		doc = doc.Content[0]
	}
	if doc.Kind != yaml.MappingNode {
		return nil
	}
	var items []*yamlItem
	for i := 0; i+1 < len(doc.Content); i += 2 {
		key, val := doc.Content[i], doc.Content[i+1]
		if !slices.Contains(sections, key.Value) || val.Kind != yaml.SequenceNode {
			continue
		}
		for j, n := range val.Content {
			items = append(items, &yamlItem{
				section: key.Value,
				index:   j,
				entry:   entryName(key.Value, j, func(k string) string { return scalar(n, k) }),
				node:    n,
				first:   n.Line,
				last:    lastLine(n),
			})
		}
	}
	return items
}

// itemAt returns the entry that spans line, or nil.
func itemAt(items []*yamlItem, line int) *yamlItem {
	for _, it := range items {
		if it.first <= line && line <= it.last {
			return it
		}
	}
	return nil
}

// scalar returns the scalar value of key in the mapping n, or "".
func scalar(n *yaml.Node, key string) string {
	if n.Kind != yaml.MappingNode {
		return ""
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key && n.Content[i+1].Kind == yaml.ScalarNode {
			return n.Content[i+1].Value
		}
	}
	return ""
}

func lastLine(n *yaml.Node) int {
	last := n.Line
	for _, c := range n.Content {
		last = max(last, lastLine(c))
	}
	return last
}

// fieldAt returns the key of the entry that starts on line, or "".
func (it *yamlItem) fieldAt(line int) string {
	if it.node.Kind != yaml.MappingNode {
		return ""
	}
	for i := 0; i+1 < len(it.node.Content); i += 2 {
		if it.node.Content[i].Line == line {
			return it.node.Content[i].Value
		}
	}
	return ""
}

// failures decodes the entry, and then each of its fields on its own, to
// say which fields fail.
func (it *yamlItem) failures() []decodeFailure {
	err := it.node.Decode(newItem(it.section))
	if err == nil {
		return nil
	}
	var out []decodeFailure
	if it.node.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(it.node.Content); i += 2 {
			k, v := it.node.Content[i], it.node.Content[i+1]
			pair := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Content: []*yaml.Node{k, v}}
			if err := pair.Decode(newItem(it.section)); err != nil {
				out = append(out, it.failure(k.Line, k.Value, err)...)
			}
		}
	}
	if len(out) == 0 {
		out = it.failure(it.first, "", err)
	}
	return out
}

func (it *yamlItem) failure(line int, field string, err error) []decodeFailure {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return []decodeFailure{{line: line, entry: it.entry, field: field, msg: message(err)}}
	}
	var out []decodeFailure
	for _, m := range te.Errors {
		f := yamlFailure(m)
		f.entry, f.field = it.entry, it.fieldAt(f.line)
		out = append(out, f)
	}
	return out
}
