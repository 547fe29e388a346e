package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/dataset"
)

// export runs `export`: the graph, or the part the filters select, in one
// format, to a file or stdout.
func (m *Main) export(ctx context.Context, args []string) error {
	fs := newFlagSet("export")
	format := fs.String("format", "json", "graphml, gexf, csv (statements; the three tables when --out is a directory), json, yaml, ndjson or cypher; svg or dot for a drawing (--center)")
	targets := fs.String("targets", "", "only positions on these proposals or programs (comma-separated ids)")
	topics := fs.String("topics", "", "only positions on proposals with any of these topics (comma-separated)")
	from := fs.String("from", "", "only positions that may have been stated on or after this date (YYYY, YYYY-MM or YYYY-MM-DD)")
	to := fs.String("to", "", "only positions that may have been stated on or before this date (YYYY, YYYY-MM or YYYY-MM-DD)")
	out := fs.String("out", "", "file to write (a directory for the CSV tables); default: stdout")
	twoMode := fs.Bool("two-mode", false, "with --format graphml: the two-mode actor × target network of the positions, with stance and strength on the edges")
	var dr drawingFlags
	dr.register(fs)
	var sf storeFlags
	sf.register(fs, m.Getenv)
	rest, err := m.parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return fmt.Errorf("export: unexpected arguments %q", rest)
	}
	if *format == "svg" || *format == "dot" {
		return m.exportDrawing(ctx, &sf, dr, *format, *out)
	}
	f, err := dataset.ParseFormat(*format)
	if err != nil {
		return errors.New(stancegraph.ErrorMessage(err))
	}
	if *twoMode && f != dataset.GraphML {
		return errors.New("export: --two-mode needs --format graphml")
	}
	filter := dataset.Filter{Targets: splitList(*targets), Topics: splitList(*topics), From: stancegraph.Date(*from), To: stancegraph.Date(*to)}
	if err := filter.Validate(); err != nil {
		return errors.New(stancegraph.ErrorMessage(err))
	}
	s, _, err := sf.open(ctx)
	if err != nil {
		if sf.backend() == "embedded" && strings.Contains(err.Error(), "store in use") {
			return fmt.Errorf("%v\n%s", err, serverExportHint(sf.data, f, url.Values{
				"targets": {*targets}, "topics": {*topics}, "from": {*from}, "to": {*to}}))
		}
		return err
	}
	defer s.Close()
	g, err := dataset.Export(ctx, s, filter)
	if err != nil {
		return errors.New(stancegraph.ErrorMessage(err))
	}
	write := func(w io.Writer) error { return dataset.Write(w, f, g) }
	if *twoMode {
		write = func(w io.Writer) error { return dataset.WriteTwoModeGraphML(w, g) }
	}
	if *out == "" {
		w := bufio.NewWriterSize(m.Stdout, 256<<10)
		if err := write(w); err != nil {
			return err
		}
		return w.Flush()
	}
	if *twoMode {
		if err := dataset.WriteFileWith(*out, write); err != nil {
			return err
		}
	} else if err := dataset.WriteFile(*out, f, g); err != nil {
		return err
	}
	fmt.Fprintf(m.Stderr, "exported %d entities, %d relations, %d positions to %s\n", len(g.Entities), len(g.Relations), len(g.Positions), *out)
	return nil
}

func splitList(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// serverExportHint points at the /export/{format} endpoint of the server
// that holds the store in dataDir: the way to export while it runs.
func serverExportHint(dataDir string, f dataset.Format, filters url.Values) string {
	base := "http://HOST:PORT"
	if b, err := os.ReadFile(filepath.Join(dataDir, serverFile)); err == nil && strings.HasPrefix(string(b), "http") {
		base = strings.TrimSpace(string(b))
	}
	q := url.Values{}
	for k, v := range filters {
		if v[0] != "" {
			q[k] = v
		}
	}
	u := base + "/export/" + string(f)
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	return fmt.Sprintf("a running server holds it; export through its /export/{format} endpoint instead:\n  curl -o graph.%s '%s'\n(with -H \"Authorization: Bearer $STANCEGRAPH_READ_TOKEN\" if the server has read tokens)", f, u)
}
