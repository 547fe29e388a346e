// Command bench is the benchmark harness of stancegraph (`make bench`):
// it generates deterministic graphs, loads each backend, serves it with the
// real HTTP server on loopback, runs a fixed workload through HTTP at fixed
// concurrency levels for a fixed time, measures the floors in the same run
// (the same answers by hand-written Cypher through the driver, and a
// trivial GraphQL query; each Neo4j cell alternates with its floor's in
// slices of the duration), and writes the figures and their ratios to
// BENCHMARKS.md.
//
//	go run ./bench [--sizes 10k,100k,1M] [--backends embedded,neo4j] [--duration 5s]
//	               [--concurrency 1,8] [--ops backers,...] [--out BENCHMARKS.md] [--profile DIR]
//
// The Neo4j it measures is its own: a fresh instance of tools/neo4j per
// size, on --neo4j-port with a temporary home, stopped at the end. It
// starts after the embedded server has been measured and stopped, so that
// its background work (flushing, sampling the statistics of a fresh
// import) does not share the cores with the embedded measurement.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// options are the flags of a run.
type options struct {
	sizes           []size
	backends        []string
	ops             []string
	concurrency     []int
	warmup          time.Duration
	duration        time.Duration
	mix             bool
	floors          bool
	floorAutocommit bool
	neo4jChild      bool
	embeddedInProc  bool
	out             string
	jsonOut         string
	profileDir      string
	neo4j           neo4jConfig
	neo4jImport     int
	args            []string
	compareLimit    int
	render          string
	serverBin       string
	serverEnv       []string
}

func main() {
	log.SetFlags(log.Ltime)
	log.SetPrefix("bench: ")
	o, err := parseFlags(os.Args[1:])
	if err != nil {
		log.Fatal(err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, o); err != nil {
		log.Fatal(err)
	}
}

func parseFlags(args []string) (*options, error) {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	o := &options{args: args}
	sizeList := fs.String("sizes", "10k,100k,1M", "graphs to run, of 10k, 100k and 1M positions")
	backends := fs.String("backends", "embedded,neo4j", "backends to measure")
	ops := fs.String("ops", "", "only these operations (default: all)")
	conc := fs.String("concurrency", "1,8", "concurrency levels: the first gives the latencies, the last the throughputs")
	fs.DurationVar(&o.warmup, "warmup", time.Second, "unmeasured warm-up before each cell")
	fs.DurationVar(&o.duration, "duration", 5*time.Second, "measured time of each cell")
	fs.BoolVar(&o.mix, "mix", true, "also run the weighted mix of all operations")
	fs.BoolVar(&o.floors, "floors", true, "measure the driver floor (hand-written Cypher) on Neo4j")
	fs.BoolVar(&o.neo4jChild, "neo4j-child", false, "serve Neo4j from a `stancegraph serve --neo4j-uri` process of its own, as the embedded store is served, instead of in the harness's process")
	fs.BoolVar(&o.embeddedInProc, "embedded-inprocess", false, "serve the embedded store from the harness's process (`server.New` over the open store), as Neo4j's server is by default, instead of a `stancegraph serve` process of its own; its memory is then not measured")
	fs.BoolVar(&o.floorAutocommit, "floor-autocommit", false, "the floor's reads as auto-commit statements (one round trip, as the store's plan reads) instead of managed transactions")
	fs.StringVar(&o.out, "out", "BENCHMARKS.md", `file whose "Harness (make bench)" section gets the figures; "-" for stdout`)
	fs.StringVar(&o.jsonOut, "json", "", "also write every figure as JSON to this file")
	fs.StringVar(&o.profileDir, "profile", "", "write a CPU profile of every cell into this directory")
	fs.StringVar(&o.neo4j.tool, "neo4j-tool", "tools/neo4j", "directory of the Neo4j launcher")
	fs.IntVar(&o.neo4j.port, "neo4j-port", 7700, "Bolt port of the harness's own Neo4j")
	fs.StringVar(&o.neo4j.heap, "neo4j-heap", "2g", "Neo4j JVM heap")
	fs.IntVar(&o.neo4j.pageCacheMB, "neo4j-pagecache", 2048, "Neo4j page cache, MiB")
	fs.IntVar(&o.neo4jImport, "neo4j-import-batch", 100_000, "positions per import transaction into Neo4j")
	fs.IntVar(&o.compareLimit, "compare", variants, "inputs per operation whose answers are compared across backends")
	fs.StringVar(&o.render, "render", "", "measure nothing: write the figures of this --json file again")
	fs.StringVar(&o.serverBin, "server-bin", "", "stancegraph binary that serves the embedded store (default: go build ./cmd/stancegraph)")
	serverEnv := fs.String("server-env", "", "comma-separated NAME=VALUE settings for the embedded server process, e.g. GOMEMLIMIT=600MiB")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	for _, name := range split(*sizeList) {
		s, ok := sizes[name]
		if !ok {
			return nil, fmt.Errorf("unknown size %q (sizes: 10k, 100k, 1M)", name)
		}
		o.sizes = append(o.sizes, s)
	}
	o.backends = split(*backends)
	for _, b := range o.backends {
		if b != "embedded" && b != "neo4j" {
			return nil, fmt.Errorf("unknown backend %q (backends: embedded, neo4j)", b)
		}
	}
	o.ops = split(*ops)
	o.serverEnv = split(*serverEnv)
	for _, c := range split(*conc) {
		n, err := strconv.Atoi(c)
		if err != nil || n < 1 {
			return nil, fmt.Errorf("bad concurrency %q", c)
		}
		o.concurrency = append(o.concurrency, n)
	}
	if len(o.concurrency) == 0 || len(o.sizes) == 0 || len(o.backends) == 0 {
		return nil, fmt.Errorf("give at least one size, backend and concurrency")
	}
	if o.profileDir != "" {
		if err := os.MkdirAll(o.profileDir, 0o755); err != nil {
			return nil, err
		}
	}
	return o, nil
}

// figureArgs drops from args the flags that only say where output goes,
// leaving those that shape the figures.
func figureArgs(args []string) []string {
	var out []string
	for i := 0; i < len(args); i++ {
		name, _, hasValue := strings.Cut(strings.TrimLeft(args[i], "-"), "=")
		if name == "out" || name == "json" || name == "profile" || name == "server-bin" {
			if !hasValue {
				i++
			}
			continue
		}
		out = append(out, args[i])
	}
	return out
}

func split(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

func (o *options) has(backend string) bool { return slices.Contains(o.backends, backend) }

// wants reports whether the run measures op.
func (o *options) wants(op *op) bool {
	return len(o.ops) == 0 || op.Name == "typename" || slices.Contains(o.ops, op.Name)
}

func run(ctx context.Context, o *options) error {
	if o.render != "" {
		b, err := os.ReadFile(o.render)
		if err != nil {
			return err
		}
		var res report
		if err := json.Unmarshal(b, &res); err != nil {
			return fmt.Errorf("%s: %w", o.render, err)
		}
		return o.write(&res)
	}
	res := &report{
		Started:     time.Now().UTC(),
		Command:     strings.TrimSpace("go run ./bench " + strings.Join(figureArgs(o.args), " ")),
		Machine:     machine(),
		Warmup:      o.warmup,
		Duration:    o.duration,
		Concurrency: o.concurrency,
		Neo4jHeap:   o.neo4j.heap,
		Neo4jCache:  o.neo4j.pageCacheMB,
		Neo4jChild:  o.neo4jChild,
		EmbeddedIn:  o.embeddedInProc,
	}
	if (o.has("embedded") && !o.embeddedInProc || o.has("neo4j") && o.neo4jChild) && o.serverBin == "" {
		dir, err := os.MkdirTemp("", "stancegraph-bench-bin-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		if o.serverBin, err = buildServer(ctx, dir); err != nil {
			return err
		}
	}
	mem := &memSampler{}
	mem.start(ctx)
	r := &runner{warmup: o.warmup, duration: o.duration, profileDir: o.profileDir, mem: mem}
	for _, sz := range o.sizes {
		sr, err := runSize(ctx, o, r, sz)
		if sr != nil {
			res.Sizes = append(res.Sizes, sr)
		}
		if err != nil {
			return err
		}
	}
	res.Finished = time.Now().UTC()
	if o.jsonOut != "" {
		b, err := json.MarshalIndent(res, "", "  ")
		if err != nil {
			return err
		}
		if err := os.WriteFile(o.jsonOut, b, 0o644); err != nil {
			return err
		}
	}
	return o.write(res)
}

// write puts the figures where --out says.
func (o *options) write(res *report) error {
	md := res.markdown()
	if o.out == "-" {
		_, err := io.WriteString(os.Stdout, md)
		return err
	}
	if err := writeSection(o.out, md); err != nil {
		return err
	}
	log.Printf("wrote the figures to %s", o.out)
	return nil
}
