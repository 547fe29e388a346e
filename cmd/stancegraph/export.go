package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/dataset"
)

// export runs `export`: the graph, or the part the filters select, in one
// format, to a file or stdout.
func (m *Main) export(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	format := fs.String("format", "json", "graphml, gexf, csv (statements; the three tables when --out is a directory), json, yaml, ndjson or cypher")
	targets := fs.String("targets", "", "only positions on these proposals or programs (comma-separated ids)")
	topics := fs.String("topics", "", "only positions on proposals with any of these topics (comma-separated)")
	from := fs.String("from", "", "only positions that may have been stated on or after this date (YYYY, YYYY-MM or YYYY-MM-DD)")
	to := fs.String("to", "", "only positions that may have been stated on or before this date (YYYY, YYYY-MM or YYYY-MM-DD)")
	out := fs.String("out", "", "file to write (a directory for the CSV tables); default: stdout")
	twoMode := fs.Bool("two-mode", false, "with --format graphml: the two-mode actor × target network of the positions, with stance and strength on the edges")
	var sf storeFlags
	sf.register(fs, m.Getenv)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("export: unexpected arguments %q", fs.Args())
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
