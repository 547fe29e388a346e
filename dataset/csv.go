package dataset

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/seed"
)

// The CSV tables. Column names are matched ignoring case, spaces and
// underscores; lists (aliases, topics) are separated by "|".
var (
	// NodeColumns are the columns of nodes.csv, one row per entity.
	NodeColumns = []string{"id", "kind", "name", "aliases", "description", "url", "country", "summary", "topics", "sourceKind", "publisher", "publishedAt", "author", "publishedAtQualifier", "externalIds"}
	// RelationColumns are the columns of relations.csv.
	RelationColumns = []string{"type", "from", "to", "role", "title", "source", "quote", "statedAt", "statedAtQualifier"}
	// PositionColumns are the columns of positions.csv, one row per
	// position; strength may be left empty (1).
	PositionColumns = []string{"actor", "target", "stance", "strength", "quote", "source", "statedAt", "statedAtQualifier", "condition"}
	// StatementColumns are the columns of the statement CSV export: a
	// positions table with the names of its ends, for spreadsheets. It
	// imports as a positions table; the name columns are ignored.
	StatementColumns = []string{"actor", "actorName", "target", "targetName", "stance", "strength", "quote", "source", "sourceTitle", "statedAt", "id", "statedAtQualifier", "condition"}
)

var (
	nodeRequired     = []string{"id", "kind", "name"}
	relationRequired = []string{"type", "from", "to"}
	positionRequired = []string{"actor", "target", "stance", "quote", "source", "statedAt"}
	// ignoredColumns are read and dropped: the names a statement CSV adds.
	ignoredColumns = []string{"actorName", "actorKind", "targetName", "targetKind", "sourceTitle"}
)

// The file names of a directory of tables, in the order they are read.
const (
	NodesFile     = "nodes.csv"
	RelationsFile = "relations.csv"
	PositionsFile = "positions.csv"
)

func openTables(dir string) (*Dataset, error) {
	d := &Dataset{name: dir}
	found := false
	for _, f := range []string{NodesFile, RelationsFile, PositionsFile} {
		path := filepath.Join(dir, f)
		data, err := os.ReadFile(path)
		if errors.Is(err, os.ErrNotExist) {
			continue
		} else if err != nil {
			return nil, stancegraph.Errorf(stancegraph.EINVALID, "%s: %v", path, err)
		}
		found = true
		d.records = append(d.records, ParseCSV(path, data).records...)
	}
	if !found {
		return nil, stancegraph.Errorf(stancegraph.ENOTFOUND, "%s: no %s, %s or %s in the directory", dir, NodesFile, RelationsFile, PositionsFile)
	}
	return d, nil
}

func openCSV(path string) (*Dataset, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, stancegraph.Errorf(stancegraph.EINVALID, "%s: %v", path, err)
	}
	return ParseCSV(path, data), nil
}

// columnKey is how column names are matched.
func columnKey(s string) string {
	return strings.NewReplacer("_", "", " ", "", "-", "").Replace(strings.ToLower(strings.TrimSpace(s)))
}

// ParseCSV decodes one CSV table named name: nodes, relations or positions,
// as its header says. The delimiter is a comma, or the semicolon or tab of
// the header line when it has no comma; a leading byte-order mark is
// dropped. Rows that do not decode become problem records.
func ParseCSV(name string, data []byte) *Dataset {
	d := &Dataset{name: name}
	problem := func(line int, field, format string, args ...any) {
		p := &Problem{Origin: Origin{File: name, Line: line}, Field: field, Code: stancegraph.EINVALID, Msg: fmt.Sprintf(format, args...)}
		d.add(&Record{Origin: p.Origin, Problem: p})
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	first, _, _ := bytes.Cut(data, []byte("\n"))
	if !bytes.ContainsRune(first, ',') {
		if bytes.ContainsRune(first, ';') {
			r.Comma = ';'
		} else if bytes.ContainsRune(first, '\t') {
			r.Comma = '\t'
		}
	}

	header, err := r.Read()
	if err == io.EOF {
		problem(1, "", "empty file: a table starts with a header row (nodes: %s; relations: %s; positions: %s)",
			strings.Join(NodeColumns, ","), strings.Join(RelationColumns, ","), strings.Join(PositionColumns, ","))
		return d
	} else if err != nil {
		problem(csvLine(err), "", "%s", csvMessage(err))
		return d
	}
	cols := map[string]int{}
	for i, h := range header {
		cols[columnKey(h)] = i
	}
	var known, required []string
	var table string
	switch _, stance := cols["stance"]; {
	case stance:
		table, known, required = "positions", append(append(slices.Clone(PositionColumns), "id", "date"), ignoredColumns...), positionRequired
	case has(cols, "type", "from", "to"):
		table, known, required = "relations", RelationColumns, relationRequired
	case has(cols, "id", "kind"):
		table, known, required = "nodes", NodeColumns, nodeRequired
	default:
		problem(1, "", "the header names no known table: nodes need %s, relations %s, positions %s",
			strings.Join(nodeRequired, ","), strings.Join(relationRequired, ","), strings.Join(positionRequired, ","))
		return d
	}
	bad := false
	for _, h := range header {
		if !slices.ContainsFunc(known, func(k string) bool { return columnKey(k) == columnKey(h) }) {
			problem(1, h, "unknown column %q in a %s table (columns: %s)", h, table, strings.Join(known, ", "))
			bad = true
		}
	}
	if table == "positions" {
		if _, ok := cols["date"]; ok {
			if _, ok := cols["statedat"]; !ok {
				cols["statedat"] = cols["date"]
			}
		}
	}
	for _, c := range required {
		if _, ok := cols[columnKey(c)]; !ok {
			problem(1, c, "missing column %q (a %s table needs %s)", c, table, strings.Join(required, ", "))
			bad = true
		}
	}
	if bad {
		return d
	}

	lastErrLine := -1
	for {
		row, err := r.Read()
		if err == io.EOF {
			return d
		}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) || pe.Line == lastErrLine {
				problem(csvLine(err), "", "%s", csvMessage(err))
				return d
			}
			lastErrLine = pe.Line
			problem(pe.Line, "", "%s", csvMessage(err))
			continue
		}
		line, _ := r.FieldPos(0)
		o := Origin{File: name, Line: line}
		if len(row) > len(header) && strings.Join(row[len(header):], "") != "" {
			problem(line, "", "%d cells, but the header has %d columns", len(row), len(header))
			continue
		}
		cell := func(col string) string {
			if i, ok := cols[columnKey(col)]; ok && i < len(row) {
				return row[i]
			}
			return ""
		}
		text := func(col string) string { return unescapeCell(cell(col)) }
		word := func(col string) string { return strings.TrimSpace(cell(col)) }
		switch table {
		case "nodes":
			d.add(&Record{Origin: o, Entity: &stancegraph.Entity{
				ID: word("id"), Kind: stancegraph.Kind(enumCell(cell("kind"))), Name: text("name"),
				Aliases: listCell(text("aliases")), Description: text("description"), URL: word("url"),
				Country: word("country"), Summary: text("summary"), Topics: listCell(text("topics")),
				SourceKind: stancegraph.SourceKind(enumCell(cell("sourceKind"))), Publisher: text("publisher"),
				PublishedAt: stancegraph.Date(word("publishedAt")), Author: text("author"),
				PublishedAtQualifier: stancegraph.DateQualifier(enumCell(cell("publishedAtQualifier"))),
				ExternalIDs:          externalCell(text("externalIds")),
			}})
		case "relations":
			d.add(&Record{Origin: o, Relation: &stancegraph.Relation{
				Type: stancegraph.RelType(enumCell(cell("type"))), From: word("from"), To: word("to"),
				Role: text("role"), Title: text("title"), SourceID: word("source"), Quote: text("quote"),
				StatedAt: stancegraph.Date(word("statedAt")), StatedAtQualifier: stancegraph.DateQualifier(enumCell(cell("statedAtQualifier"))),
			}})
		case "positions":
			strength := 0
			if s := word("strength"); s != "" {
				n, err := strconv.Atoi(s)
				if err != nil {
					problem(line, "strength", "%s", seed.WrongType(strconv.Quote(s), reflect.Int))
					continue
				}
				strength = n
			}
			d.add(&Record{Origin: o, Position: &stancegraph.Position{
				ID: word("id"), ActorID: word("actor"), TargetID: word("target"),
				Stance: stancegraph.Stance(enumCell(cell("stance"))), Strength: strength, Quote: text("quote"),
				SourceID: word("source"), StatedAt: stancegraph.Date(word("statedAt")),
				StatedAtQualifier: stancegraph.DateQualifier(enumCell(cell("statedAtQualifier"))), Condition: text("condition"),
			}})
		}
	}
}

func has(cols map[string]int, names ...string) bool {
	for _, n := range names {
		if _, ok := cols[n]; !ok {
			return false
		}
	}
	return true
}

func csvLine(err error) int {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.Line
	}
	return 0
}

func csvMessage(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return "CSV: " + pe.Err.Error()
	}
	return err.Error()
}

// enumCell reads an enum value the way people type it in a spreadsheet:
// "trade association" is TRADE_ASSOCIATION.
func enumCell(s string) string {
	return strings.NewReplacer(" ", "_", "-", "_").Replace(strings.ToUpper(strings.TrimSpace(s)))
}

// ExternalIDsCell writes external ids as one cell: scheme:value entries
// separated by "|" (a value holds no "|").
func ExternalIDsCell(xs []stancegraph.ExternalID) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = x.Scheme + ":" + x.Value
	}
	return strings.Join(parts, "|")
}

// externalCell reads a cell of ExternalIDsCell; an entry without a colon
// has an empty scheme, which validation refuses.
func externalCell(s string) []stancegraph.ExternalID {
	var out []stancegraph.ExternalID
	for _, x := range listCell(s) {
		scheme, value, _ := strings.Cut(x, ":")
		out = append(out, stancegraph.ExternalID{Scheme: strings.TrimSpace(scheme), Value: strings.TrimSpace(value)})
	}
	return out
}

func listCell(s string) []string {
	var out []string
	for _, x := range strings.Split(s, "|") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// A text cell that starts with one of these is written with a leading
// apostrophe, so that a spreadsheet shows it rather than running it as a
// formula; reading drops the apostrophe again.
const formulaStarts = "=+-@\t\r"

func escapeCell(s string) string {
	if s != "" && strings.ContainsRune(formulaStarts, rune(s[0])) {
		return "'" + s
	}
	return s
}

func unescapeCell(s string) string {
	if len(s) > 1 && s[0] == '\'' && strings.ContainsRune(formulaStarts, rune(s[1])) {
		return s[1:]
	}
	return s
}

// WriteNodes writes the entities as a nodes.csv table.
func WriteNodes(w io.Writer, es []*stancegraph.Entity) error {
	cw := csv.NewWriter(w)
	_ = cw.Write(NodeColumns)
	for _, e := range es {
		_ = cw.Write([]string{e.ID, string(e.Kind), escapeCell(e.Name), escapeCell(strings.Join(e.Aliases, "|")),
			escapeCell(e.Description), e.URL, e.Country, escapeCell(e.Summary), escapeCell(strings.Join(e.Topics, "|")),
			string(e.SourceKind), escapeCell(e.Publisher), string(e.PublishedAt), escapeCell(e.Author), string(e.PublishedAtQualifier),
			escapeCell(ExternalIDsCell(e.ExternalIDs))})
	}
	cw.Flush()
	return cw.Error()
}

// WriteRelations writes the relations as a relations.csv table.
func WriteRelations(w io.Writer, rs []*stancegraph.Relation) error {
	cw := csv.NewWriter(w)
	_ = cw.Write(RelationColumns)
	for _, r := range rs {
		_ = cw.Write([]string{string(r.Type), r.From, r.To, escapeCell(r.Role), escapeCell(r.Title),
			r.SourceID, escapeCell(r.Quote), string(r.StatedAt), string(r.StatedAtQualifier)})
	}
	cw.Flush()
	return cw.Error()
}

// WritePositions writes the positions as a positions.csv table.
func WritePositions(w io.Writer, ps []*stancegraph.Position) error {
	cw := csv.NewWriter(w)
	_ = cw.Write(PositionColumns)
	for _, p := range ps {
		_ = cw.Write([]string{p.ActorID, p.TargetID, string(p.Stance), strconv.Itoa(p.Strength), escapeCell(p.Quote), p.SourceID, string(p.StatedAt),
			string(p.StatedAtQualifier), escapeCell(p.Condition)})
	}
	cw.Flush()
	return cw.Error()
}

// WriteStatements writes the statement CSV: one row per position with the
// names of its actor, target and source.
func WriteStatements(w io.Writer, g *stancegraph.Graph) error {
	names := entityNames(g)
	cw := csv.NewWriter(w)
	_ = cw.Write(StatementColumns)
	for _, p := range g.Positions {
		_ = cw.Write([]string{p.ActorID, escapeCell(names[p.ActorID]), p.TargetID, escapeCell(names[p.TargetID]),
			string(p.Stance), strconv.Itoa(p.Strength), escapeCell(p.Quote), p.SourceID, escapeCell(names[p.SourceID]),
			string(p.StatedAt), p.ID, string(p.StatedAtQualifier), escapeCell(p.Condition)})
	}
	cw.Flush()
	return cw.Error()
}

// WriteTables writes g as nodes.csv, relations.csv and positions.csv in
// dir, which is created if needed.
func WriteTables(dir string, g *stancegraph.Graph) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, t := range []struct {
		file  string
		write func(io.Writer) error
	}{
		{NodesFile, func(w io.Writer) error { return WriteNodes(w, g.Entities) }},
		{RelationsFile, func(w io.Writer) error { return WriteRelations(w, g.Relations) }},
		{PositionsFile, func(w io.Writer) error { return WritePositions(w, g.Positions) }},
	} {
		if err := writeFile(filepath.Join(dir, t.file), t.write); err != nil {
			return err
		}
	}
	return nil
}

func entityNames(g *stancegraph.Graph) map[string]string {
	names := make(map[string]string, len(g.Entities))
	for _, e := range g.Entities {
		names[e.ID] = e.Name
	}
	return names
}
