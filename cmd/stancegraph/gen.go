package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/dataset"
	"github.com/stancegraph/stancegraph/gen"
	"github.com/stancegraph/stancegraph/ingest"
)

// genCmd runs `gen`: a deterministic synthetic graph in any format.
func (m *Main) genCmd(_ context.Context, args []string) error {
	fs := newFlagSet("gen")
	var cfg gen.Config
	fs.IntVar(&cfg.Actors, "actors", 1000, "number of actors")
	fs.IntVar(&cfg.Proposals, "proposals", 100, "number of policy proposals")
	fs.IntVar(&cfg.Positions, "positions", 10000, "number of positions")
	fs.Int64Var(&cfg.Seed, "seed", 1, "random seed: the same flags give the same graph")
	fs.IntVar(&cfg.HotTarget, "hot", 0, "add the proposal "+gen.HotTargetID+" with this many positions")
	format := fs.String("format", "ndjson", "ndjson, json, yaml, csv (the three tables; --out is a directory), graphml, gexf or cypher")
	out := fs.String("out", "", "file to write, or directory for csv; default: stdout")
	rest, err := m.parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return fmt.Errorf("gen: unexpected arguments %q", rest)
	}
	if cfg.Actors < 0 || cfg.Proposals < 0 || cfg.Positions < 0 || cfg.HotTarget < 0 {
		return errors.New("gen: sizes cannot be negative")
	}
	if n := cfg.Actors + cfg.Proposals + max(cfg.Positions, cfg.HotTarget); n > ingest.MaxItems {
		return fmt.Errorf("gen: at most %d entries", ingest.MaxItems)
	}
	f, err := dataset.ParseFormat(*format)
	if err != nil {
		return errors.New(stancegraph.ErrorMessage(err))
	}
	start := time.Now()
	g := gen.Generate(cfg)
	switch {
	case f == dataset.CSV:
		if *out == "" {
			return errors.New("gen: --format csv writes three tables: give --out a directory")
		}
		err = dataset.WriteTables(*out, g)
	case *out == "":
		w := bufio.NewWriterSize(m.Stdout, 256<<10)
		if err = dataset.Write(w, f, g); err == nil {
			err = w.Flush()
		}
	default:
		err = dataset.WriteFile(*out, f, g)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stderr, "generated %d entities, %d relations, %d positions in %s\n",
		len(g.Entities), len(g.Relations), len(g.Positions), time.Since(start).Round(time.Millisecond))
	return nil
}
