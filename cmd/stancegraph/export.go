package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/dataset"
)

// export runs `export`: the graph, or the part the filters select, in one
// format, to a file or stdout.
func (m *Main) export(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	format := fs.String("format", "json", "graphml, gexf, csv (statements; the three tables when --out is a directory), json, yaml, ndjson or cypher; svg or dot for a drawing (--center)")
	targets := fs.String("targets", "", "only positions on these proposals or programs (comma-separated ids)")
	topics := fs.String("topics", "", "only positions on proposals with any of these topics (comma-separated)")
	from := fs.String("from", "", "only positions stated on or after this date (YYYY-MM-DD)")
	to := fs.String("to", "", "only positions stated on or before this date (YYYY-MM-DD)")
	out := fs.String("out", "", "file to write (a directory for the CSV tables); default: stdout")
	var dr drawingFlags
	dr.register(fs)
	var sf storeFlags
	sf.register(fs, m.Getenv)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("export: unexpected arguments %q", fs.Args())
	}
	if *format == "svg" || *format == "dot" {
		return m.exportDrawing(ctx, &sf, dr, *format, *out)
	}
	f, err := dataset.ParseFormat(*format)
	if err != nil {
		return errors.New(stancegraph.ErrorMessage(err))
	}
	filter := dataset.Filter{Targets: splitList(*targets), Topics: splitList(*topics), From: stancegraph.Date(*from), To: stancegraph.Date(*to)}
	if err := filter.Validate(); err != nil {
		return errors.New(stancegraph.ErrorMessage(err))
	}
	s, _, err := sf.open(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	g, err := dataset.Export(ctx, s, filter)
	if err != nil {
		return errors.New(stancegraph.ErrorMessage(err))
	}
	if *out == "" {
		w := bufio.NewWriterSize(m.Stdout, 256<<10)
		if err := dataset.Write(w, f, g); err != nil {
			return err
		}
		return w.Flush()
	}
	if err := dataset.WriteFile(*out, f, g); err != nil {
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
