// Package dataset moves graphs in and out of a store: it reads the import
// formats (the seed format in YAML or JSON, CSV tables, streamed NDJSON),
// validates an input as a whole and reports every problem with its file and
// line, applies it to a stancegraph.Store (or anything with the same two
// methods, such as a remote server), and writes the export formats (GraphML,
// GEXF, statement CSV, JSON, NDJSON, Cypher) of a filtered graph read back
// out of a store.
package dataset

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/stancegraph/stancegraph"
)

// Origin is where an entry was read: a file and a line, 0 when unknown.
type Origin struct {
	File string `json:"file"`
	Line int    `json:"line,omitempty"`
}

func (o Origin) String() string {
	if o.Line > 0 {
		return fmt.Sprintf("%s:%d", o.File, o.Line)
	}
	return o.File
}

// Problem is one thing wrong with an entry of an input, and where it is.
type Problem struct {
	Origin
	// Entry names the entry, e.g. `position openai SUPPORTS x (source y)`.
	Entry string `json:"entry,omitempty"`
	Field string `json:"field,omitempty"`
	Code  string `json:"code"`
	Msg   string `json:"message"`
}

func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.Origin.String())
	b.WriteString(": ")
	if p.Entry != "" {
		b.WriteString(p.Entry + ": ")
	}
	if p.Field != "" {
		b.WriteString(p.Field + ": ")
	}
	b.WriteString(p.Msg)
	return b.String()
}

// ProblemsError is an input that did not validate: nothing was written.
type ProblemsError struct {
	Problems []Problem
	// Omitted counts the problems past MaxProblems.
	Omitted int
}

func (e *ProblemsError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d problem(s); nothing was written", len(e.Problems)+e.Omitted)
	for _, p := range e.Problems {
		b.WriteString("\n  ")
		b.WriteString(p.String())
	}
	if e.Omitted > 0 {
		fmt.Fprintf(&b, "\n  and %d more", e.Omitted)
	}
	return b.String()
}

// Record is one entry of an input: exactly one of Entity, Relation and
// Position, or Problem when the entry could not be decoded.
type Record struct {
	Origin   Origin
	Entity   *stancegraph.Entity
	Relation *stancegraph.Relation
	Position *stancegraph.Position
	Problem  *Problem

	// fieldLines, when known, are the lines of the entry's fields, so
	// that a problem with a field points at its line.
	fieldLines map[string]int
}

// name names the entry of a record for a problem.
func (r *Record) name() string {
	switch {
	case r.Entity != nil:
		return fmt.Sprintf("entity %q", r.Entity.ID)
	case r.Relation != nil:
		return fmt.Sprintf("relation %s %s->%s", r.Relation.Type, r.Relation.From, r.Relation.To)
	case r.Position != nil:
		p := r.Position
		return fmt.Sprintf("position %s %s %s (source %s)", p.ActorID, p.Stance, p.TargetID, p.SourceID)
	}
	return ""
}

// Source is an input: the records of one or more files, in order. Each call
// of Records reads the input afresh, so that an input larger than memory can
// be read once to validate it and again to apply it.
type Source interface {
	// Name names the input in messages.
	Name() string
	// Records calls fn with each record in order and stops at the first
	// error fn returns.
	Records(ctx context.Context, fn func(*Record) error) error
	// Len returns the number of records, counted as cheaply as the format
	// allows.
	Len(ctx context.Context) (int, error)
}

// Dataset is an input held in memory.
type Dataset struct {
	name    string
	records []*Record
}

// NewDataset returns the graph g as an input named name; its entries have
// no lines.
func NewDataset(name string, g *stancegraph.Graph) *Dataset {
	d := &Dataset{name: name}
	o := Origin{File: name}
	for _, e := range g.Entities {
		d.add(&Record{Origin: o, Entity: e})
	}
	for _, r := range g.Relations {
		d.add(&Record{Origin: o, Relation: r})
	}
	for _, p := range g.Positions {
		d.add(&Record{Origin: o, Position: p})
	}
	return d
}

func (d *Dataset) add(r *Record) { d.records = append(d.records, r) }

// Name implements Source.
func (d *Dataset) Name() string { return d.name }

// Len implements Source.
func (d *Dataset) Len(context.Context) (int, error) { return len(d.records), nil }

// Records implements Source.
func (d *Dataset) Records(ctx context.Context, fn func(*Record) error) error {
	for i, r := range d.records {
		if i%4096 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}

// Graph returns the entries of the dataset that decoded.
func (d *Dataset) Graph() *stancegraph.Graph {
	g := &stancegraph.Graph{}
	for _, r := range d.records {
		switch {
		case r.Entity != nil:
			g.Entities = append(g.Entities, r.Entity)
		case r.Relation != nil:
			g.Relations = append(g.Relations, r.Relation)
		case r.Position != nil:
			g.Positions = append(g.Positions, r.Position)
		}
	}
	return g
}

// Concat returns the inputs read one after the other as one.
func Concat(srcs ...Source) Source {
	if len(srcs) == 1 {
		return srcs[0]
	}
	return concat(srcs)
}

type concat []Source

func (c concat) Name() string {
	names := make([]string, len(c))
	for i, s := range c {
		names[i] = s.Name()
	}
	return strings.Join(names, ", ")
}

func (c concat) Len(ctx context.Context) (int, error) {
	n := 0
	for _, s := range c {
		m, err := s.Len(ctx)
		if err != nil {
			return 0, err
		}
		n += m
	}
	return n, nil
}

func (c concat) Records(ctx context.Context, fn func(*Record) error) error {
	for _, s := range c {
		if err := s.Records(ctx, fn); err != nil {
			return err
		}
	}
	return nil
}

// Open returns the input at path, in the format its name says:
//
//	.yaml .yml .json   the seed format, read into memory
//	.csv .tsv          one CSV table (nodes, relations or positions, told by its header)
//	.ndjson .jsonl     NDJSON, streamed from the file on each read
//	a directory        its nodes.csv, relations.csv and positions.csv
func Open(path string) (Source, error) {
	fi, err := os.Stat(path)
	if err != nil {
		if os.IsNotExist(err) {
			return nil, stancegraph.Errorf(stancegraph.ENOTFOUND, "%s: no such file or directory", path)
		}
		return nil, stancegraph.Errorf(stancegraph.EINVALID, "%s: %v", path, err)
	}
	if fi.IsDir() {
		return openTables(path)
	}
	switch ext := strings.ToLower(filepath.Ext(path)); ext {
	case ".yaml", ".yml", ".json":
		return openSeedFile(path)
	case ".csv", ".tsv":
		return openCSV(path)
	case ".ndjson", ".jsonl":
		return &NDJSONFile{Path: path}, nil
	default:
		return nil, stancegraph.Errorf(stancegraph.EINVALID, "%s: unknown format %q (use .yaml, .yml, .json, .csv, .ndjson or a directory of CSV tables)", path, ext)
	}
}

// Streamed reports whether src reads its records from disk on every pass
// rather than holding them in memory.
func Streamed(src Source) bool {
	switch s := src.(type) {
	case *NDJSONFile:
		return true
	case concat:
		for _, x := range s {
			if Streamed(x) {
				return true
			}
		}
	}
	return false
}
