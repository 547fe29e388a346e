package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/dataset"
	"github.com/stancegraph/stancegraph/seed"
)

// importCmd runs `import FILE...`, and `seed`, its alias for one file or
// the bundled data set.
func (m *Main) importCmd(ctx context.Context, name string, args []string) error {
	fs := newFlagSet(name)
	var file *string
	if name == "seed" {
		file = fs.String("file", "", "data file to load (.yaml, .yml, .json, .csv, .ndjson or a directory); default: the bundled seed")
	}
	dryRun := fs.Bool("dry-run", false, "validate only; write nothing")
	batch := fs.Int("batch", -1, fmt.Sprintf("write in batches of this many entries, each all or nothing; 0: one transaction (default: %d for NDJSON into Neo4j, %d through --endpoint, else one transaction)", dataset.DefaultStreamBatch, remoteBatch))
	endpoint := fs.String("endpoint", "", "load through the API of the server at this URL (e.g. http://localhost:8080) instead of opening a store")
	token := fs.String("token", m.Getenv("STANCEGRAPH_WRITE_TOKEN"), "write token for --endpoint [$STANCEGRAPH_WRITE_TOKEN]")
	var sf storeFlags
	sf.register(fs, m.Getenv)
	paths, err := m.parse(fs, args)
	if err != nil {
		return err
	}

	var src dataset.Source
	if file != nil && *file != "" {
		paths = append([]string{*file}, paths...)
	}
	switch {
	case len(paths) > 0:
		var srcs []dataset.Source
		for _, p := range paths {
			s, err := dataset.Open(p)
			if err != nil {
				return errors.New(stancegraph.ErrorMessage(err))
			}
			srcs = append(srcs, s)
		}
		src = dataset.Concat(srcs...)
	case name == "seed":
		g, err := seed.Bundled()
		if err != nil {
			return err
		}
		src = dataset.NewDataset("bundled seed", g)
	default:
		return errors.New(`import: no file given (see "stancegraph import -h")`)
	}

	var t dataset.Target
	if *endpoint != "" {
		r, err := newRemote(*endpoint, *token)
		if err != nil {
			return err
		}
		t = r
		if *batch < 0 {
			*batch = remoteBatch
		}
		if *batch == 0 || *batch > remoteBatch {
			return fmt.Errorf("--batch must be between 1 and %d with --endpoint", remoteBatch)
		}
	} else {
		s, _, err := sf.open(ctx)
		if err != nil {
			return err
		}
		defer s.Close()
		t = s
		switch {
		case *batch == 0:
			*batch = -1 // one transaction
		case *batch < 0 && sf.backend() == "embedded":
			// The embedded store holds the whole graph in memory anyway:
			// one transaction costs no more and is all or nothing.
			*batch = -1
		case *batch < 0:
			*batch = 0 // the default of the input
		}
	}

	prog := newProgress(m.Stderr, progressInterval)
	start := time.Now()
	rep, err := dataset.Import(ctx, src, t, dataset.Options{DryRun: *dryRun, Batch: *batch, Progress: prog})
	prog.Done()
	if err != nil {
		var pe *dataset.ProblemsError
		var be *dataset.BatchError
		switch {
		case errors.As(err, &be) && *endpoint != "" && isAuthError(be.Err):
			return fmt.Errorf("%w\n%s", err, tokenHint(*endpoint))
		case errors.As(err, &pe), errors.As(err, &be):
			return err
		case *endpoint != "" && isAuthError(err):
			return fmt.Errorf("%s\n%s", stancegraph.ErrorMessage(err), tokenHint(*endpoint))
		}
		return errors.New(stancegraph.ErrorMessage(err))
	}
	if *dryRun {
		fmt.Fprintf(m.Stdout, "valid: %d entities, %d relations, %d positions (dry run: nothing written)\n", rep.Entities, rep.Relations, rep.Positions)
		return nil
	}
	for _, c := range []struct {
		name string
		c    stancegraph.Counts
	}{{"entities", rep.Result.Entities}, {"relations", rep.Result.Relations}, {"positions", rep.Result.Positions}} {
		fmt.Fprintf(m.Stdout, "loaded %s: %d created, %d updated, %d unchanged\n", c.name, c.c.Created, c.c.Updated, c.c.Unchanged)
	}
	if took := time.Since(start); took >= progressInterval {
		n := rep.Entities + rep.Relations + rep.Positions
		fmt.Fprintf(m.Stderr, "%d entries in %d transaction(s) in %s (%.0f entries/s)\n", n, rep.Batches, took.Round(time.Millisecond), float64(n)/took.Seconds())
	}
	return nil
}

// progressInterval is how often an import logs its progress when stderr is
// not a terminal; shorter imports log nothing.
const progressInterval = 2 * time.Second

// remoteBatch is the default, and the largest, batch of a load through the
// API (graph.MaxImportBatch bounds one importGraph call).
const remoteBatch = 1000

func isAuthError(err error) bool {
	code := stancegraph.ErrorCode(err)
	return code == stancegraph.EUNAUTHORIZED || code == stancegraph.EFORBIDDEN
}

// tokenHint says what fixes a refused load through --endpoint.
func tokenHint(endpoint string) string {
	return fmt.Sprintf("--token (or STANCEGRAPH_WRITE_TOKEN) must be a write token of the server at %s", endpoint)
}
