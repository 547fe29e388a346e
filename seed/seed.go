// Package seed holds the curated data set, the AI Exports Program comments
// article with every position sourced, and the loader that checks a data
// file and applies it to a store.
package seed

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/ingest"
)

//go:embed ai-exports-program.yaml
var bundled []byte

const bundledName = "ai-exports-program.yaml"

// Bundled returns the curated data set. Each call parses it afresh, because
// Load normalises the graph it is given.
func Bundled() (*stancegraph.Graph, error) { return Parse(bundledName, bundled) }

// Parse decodes a graph from data in the format the extension of name
// says: .yaml, .yml or .json. Decoding is strict: an unknown field, a value
// of the wrong type or an enum value that does not exist is an EINVALID
// error naming the file, and the line and entry wherever they are known.
// Parse checks the shape of the data only; Load checks its meaning.
func Parse(name string, data []byte) (*stancegraph.Graph, error) {
	g, _, err := ParseLenient(name, data)
	if err != nil {
		return nil, err
	}
	return g, nil
}

// ParseLenient is Parse that keeps going past entries that do not decode:
// it returns the error of those entries and of the file, and the graph of
// the rest, with nil in place of each failed relation or position, and
// each failed entity as far as it decoded (so that references to it are
// not reported as missing); failed reports them all. Entries keep their
// positions in the file. The graph is nil when the file does not parse at
// all.
func ParseLenient(name string, data []byte) (g *stancegraph.Graph, failed func(section string, i int) bool, err error) {
	var failures []decodeFailure
	switch ext := strings.ToLower(filepath.Ext(name)); ext {
	case ".yaml", ".yml":
		g, failures = parseYAML(data)
	case ".json":
		g, failures = parseJSON(data)
	default:
		return nil, nil, stancegraph.Errorf(stancegraph.EINVALID, "%s: unknown data file format %q (use .yaml, .yml or .json)", name, ext)
	}
	bad := map[string]map[int]bool{}
	for _, f := range failures {
		if f.section != "" {
			if bad[f.section] == nil {
				bad[f.section] = map[int]bool{}
			}
			bad[f.section][f.index] = true
		}
	}
	failed = func(section string, i int) bool { return bad[section][i] }
	if len(failures) > 0 {
		err = parseError(name, failures)
	}
	return g, failed, err
}

// Load checks g, against itself and the entities already in s, and unless
// dryRun imports it into s. A graph with problems is an error that lists
// them (ingest.ProblemsError) and nothing is written. A dry run writes
// nothing and returns a zero result. Load normalises g's positions.
func Load(ctx context.Context, s stancegraph.Store, g *stancegraph.Graph, dryRun bool) (stancegraph.ImportResult, error) {
	if g == nil {
		return stancegraph.ImportResult{}, stancegraph.Errorf(stancegraph.EINVALID, "no graph to load")
	}
	ps, err := ingest.Check(ctx, g, s.Entities)
	if err != nil {
		return stancegraph.ImportResult{}, err
	}
	if err := ingest.ProblemsError(ps); err != nil {
		return stancegraph.ImportResult{}, err
	}
	if dryRun {
		return stancegraph.ImportResult{}, nil
	}
	return s.Import(ctx, g)
}

// LoadFile reads and parses the data file at path, then loads it as Load
// does.
func LoadFile(ctx context.Context, s stancegraph.Store, path string, dryRun bool) (stancegraph.ImportResult, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return stancegraph.ImportResult{}, stancegraph.Errorf(stancegraph.ENOTFOUND, "data file %s not found", path)
	} else if err != nil {
		return stancegraph.ImportResult{}, stancegraph.Errorf(stancegraph.EINVALID, "cannot read data file: %v", err)
	}
	g, err := Parse(path, data)
	if err != nil {
		return stancegraph.ImportResult{}, err
	}
	return Load(ctx, s, g, dryRun)
}

// sections are the top-level keys of a data file.
var sections = []string{"entities", "relations", "positions"}

// newItem returns a pointer to a zero entry of the section.
func newItem(section string) any {
	switch section {
	case "entities":
		return new(stancegraph.Entity)
	case "relations":
		return new(stancegraph.Relation)
	default:
		return new(stancegraph.Position)
	}
}

// entryName names an entry the way ingest.Check does, e.g.
// `positions[3] openai SUPPORTS us-anchored-ai-consortia`, from the values
// get finds for its keys.
func entryName(section string, i int, get func(key string) string) string {
	switch section {
	case "entities":
		return fmt.Sprintf("entities[%d] %q", i, get("id"))
	case "relations":
		return fmt.Sprintf("relations[%d] %s %s->%s", i, get("type"), get("from"), get("to"))
	default:
		return fmt.Sprintf("positions[%d] %s %s %s", i, get("actor"), get("stance"), get("target"))
	}
}

// decodeFailure is one thing wrong with a data file.
type decodeFailure struct {
	line  int // 0 when unknown
	entry string
	field string
	msg   string
	// section and index say which entry failed; section is "" for a
	// failure of the file.
	section string
	index   int
}

const maxFailures = 20

// parseError folds the failures into one EINVALID error, each one in the
// form file:line: entry: field: message.
func parseError(name string, failures []decodeFailure) error {
	var b strings.Builder
	for i, f := range failures {
		if i == maxFailures {
			fmt.Fprintf(&b, "; and %d more", len(failures)-i)
			break
		}
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(name)
		if f.line > 0 {
			fmt.Fprintf(&b, ":%d", f.line)
		}
		b.WriteString(": ")
		if f.entry != "" {
			b.WriteString(f.entry + ": ")
		}
		if f.field != "" && !regexp.MustCompile(`\b`+regexp.QuoteMeta(f.field)+`\b`).MatchString(f.msg) {
			b.WriteString(f.field + ": ")
		}
		b.WriteString(f.msg)
	}
	return stancegraph.Errorf(stancegraph.EINVALID, "%s", b.String())
}

// message is the text of a decoding error: the message of a domain error
// (an enum value that does not exist), or the decoder's own words.
func message(err error) string {
	if stancegraph.ErrorCode(err) != stancegraph.EINTERNAL {
		return stancegraph.ErrorMessage(err)
	}
	return err.Error()
}
