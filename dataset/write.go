package dataset

import (
	"bufio"
	"encoding/json"
	"io"
	"os"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/stancegraph/stancegraph"
)

// Format is a file format a graph is written in.
type Format string

const (
	JSON    Format = "json"    // the seed format; imports back as the same graph
	YAML    Format = "yaml"    // the seed format
	NDJSON  Format = "ndjson"  // one record per line; streams back in
	CSV     Format = "csv"     // statement CSV to a file; the three tables to a directory
	GraphML Format = "graphml" // Gephi, yEd, networkx, igraph
	GEXF    Format = "gexf"    // Gephi, with colours by kind and stance
	Cypher  Format = "cypher"  // statements for cypher-shell
)

// Formats lists every format.
var Formats = []Format{JSON, YAML, NDJSON, CSV, GraphML, GEXF, Cypher}

// ParseFormat returns the format named s.
func ParseFormat(s string) (Format, error) {
	for _, f := range Formats {
		if string(f) == strings.ToLower(s) {
			return f, nil
		}
	}
	names := make([]string, len(Formats))
	for i, f := range Formats {
		names[i] = string(f)
	}
	return "", stancegraph.FieldErrorf("format", "unknown format %q (formats: %s)", s, strings.Join(names, ", "))
}

// ContentType is the media type of the format.
func (f Format) ContentType() string {
	switch f {
	case JSON:
		return "application/json"
	case YAML:
		return "application/yaml"
	case NDJSON:
		return "application/x-ndjson"
	case CSV:
		return "text/csv; charset=utf-8"
	case GraphML:
		return "application/graphml+xml"
	case GEXF:
		return "application/gexf+xml"
	}
	return "text/plain; charset=utf-8"
}

// Ext is the file name extension of the format, with its dot.
func (f Format) Ext() string {
	if f == Cypher {
		return ".cypher"
	}
	return "." + string(f)
}

// Write writes g to w in format f; CSV is the statement CSV.
func Write(w io.Writer, f Format, g *stancegraph.Graph) error {
	switch f {
	case JSON:
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(nonNilLists(g))
	case YAML:
		enc := yaml.NewEncoder(w)
		enc.SetIndent(2)
		if err := enc.Encode(nonNilLists(g)); err != nil {
			return err
		}
		return enc.Close()
	case NDJSON:
		return WriteNDJSON(w, g)
	case CSV:
		return WriteStatements(w, g)
	case GraphML:
		return WriteGraphML(w, g)
	case GEXF:
		return WriteGEXF(w, g)
	case Cypher:
		return WriteCypher(w, g)
	}
	_, err := ParseFormat(string(f))
	return err
}

// WriteFile writes g to path in format f. CSV to a path that is a
// directory, or ends with a slash, writes the three tables there.
func WriteFile(path string, f Format, g *stancegraph.Graph) error {
	if f == CSV {
		if fi, err := os.Stat(path); err == nil && fi.IsDir() || strings.HasSuffix(path, "/") {
			return WriteTables(path, g)
		}
	}
	return writeFile(path, func(w io.Writer) error { return Write(w, f, g) })
}

// WriteFileWith writes the file at path through write, buffered.
func WriteFileWith(path string, write func(io.Writer) error) error { return writeFile(path, write) }

func writeFile(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 256<<10)
	if err := write(bw); err != nil {
		f.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// nonNilLists returns g with empty lists rather than null ones.
func nonNilLists(g *stancegraph.Graph) *stancegraph.Graph {
	c := *g
	if c.Entities == nil {
		c.Entities = []*stancegraph.Entity{}
	}
	if c.Relations == nil {
		c.Relations = []*stancegraph.Relation{}
	}
	if c.Positions == nil {
		c.Positions = []*stancegraph.Position{}
	}
	return &c
}
