package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"log/slog"
	"maps"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/bench/internal/loadgen"
	"github.com/stancegraph/stancegraph/gen"
	"github.com/stancegraph/stancegraph/server"
	"github.com/stancegraph/stancegraph/store/memstore"
	"github.com/stancegraph/stancegraph/store/neo4jstore"
)

// writeToken is the bearer token the harness's servers accept for writes.
const writeToken = "bench-write-token"

// sizeResult holds the figures of one graph.
type sizeResult struct {
	Name                           string
	Entities, Relations, Positions int
	Ops                            []opInfo
	// Load is the time each backend took to import the graph.
	Load map[string]time.Duration
	// StoreHeap is the heap the embedded store holds once loaded.
	StoreHeap uint64
	Mem       map[string]*memFigures
	Cells     []*cell
	// Compared counts the answers compared across backends; Mismatches
	// names those that differ.
	Compared   int
	Mismatches []string
	// OtherCPU is the CPU, in cores, that other processes of the machine
	// used on average while this size ran.
	OtherCPU float64
	LoadAvg  [2]string // at the start and the end
}

type opInfo struct {
	Name   string
	OneHop bool
	Weight int
	Note   string
}

type memFigures struct {
	PeakHeap, PeakAnon, HWM, PeakJVM uint64
}

func runSize(ctx context.Context, o *options, r *runner, sz size) (*sizeResult, error) {
	cpu0 := readCPU()
	sr := &sizeResult{Name: sz.Name, Load: map[string]time.Duration{}, Mem: map[string]*memFigures{}, LoadAvg: [2]string{loadgen.LoadAvg(), ""}}
	base := liveHeap()
	log.Printf("%s: generating the graph", sz.Name)
	g := gen.Generate(sz.Cfg)
	sr.Entities, sr.Relations, sr.Positions = len(g.Entities), len(g.Relations), len(g.Positions)
	in := pickInputs(g)
	var ops []*op
	for _, op := range in.ops() {
		if o.wants(op) {
			ops = append(ops, op)
			sr.Ops = append(sr.Ops, opInfo{Name: op.Name, OneHop: op.OneHop, Weight: op.Weight, Note: op.Note})
		}
	}
	log.Printf("%s: %d entities, %d relations, %d positions", sz.Name, sr.Entities, sr.Relations, sr.Positions)

	var (
		n4j    *neo4jServer
		nstore *neo4jstore.Store
		mstore *memstore.Store
		dir    string
		err    error
	)
	defer func() {
		if nstore != nil {
			nstore.Close()
		}
		if err := n4j.stop(); err != nil {
			log.Print(err)
		}
		if mstore != nil {
			mstore.Close()
		}
		if dir != "" {
			os.RemoveAll(dir)
		}
	}()
	answers := map[string]map[string][]byte{}
	// The embedded server first, before Neo4j starts: a JVM that has just
	// imported a graph goes on flushing and sampling it in the background,
	// and would take the cores from the embedded measurement.
	if o.has("embedded") {
		// The embedded store as it is deployed: durable in a bbolt file.
		if dir, err = os.MkdirTemp("", "stancegraph-bench-"); err != nil {
			return nil, err
		}
		if mstore, err = memstore.Open(filepath.Join(dir, "stancegraph.db")); err != nil {
			return nil, err
		}
		start := time.Now()
		if _, err := mstore.Import(ctx, g); err != nil {
			return nil, fmt.Errorf("import into the embedded store: %w", err)
		}
		sr.Load["embedded"] = time.Since(start)
		log.Printf("%s: embedded import took %s", sz.Name, sr.Load["embedded"].Round(time.Millisecond))
		// Only the store holds the graph while its heap is measured;
		// Neo4j's import generates it again (the generator is
		// deterministic).
		g = nil
		live := liveHeap()
		sr.StoreHeap = live - min(base, live)
		if o.profileDir != "" {
			writeHeapProfile(filepath.Join(o.profileDir, sz.Name+"-embedded-heap.pprof"))
		}
		r.mem.watchJVM(0)
		if o.embeddedInProc {
			// Served as Neo4j's store is by default: from this process.
			url, shutdown, err := serve(mstore)
			if err != nil {
				return sr, err
			}
			err = measureBackend(ctx, o, r, sr, "embedded", url, nil, 0, ops, nil, answers)
			shutdown()
			// What this process holds is not the server's alone.
			delete(sr.Mem, "embedded")
			if err != nil {
				return sr, err
			}
		} else {
			// The embedded server runs as its own process over the file,
			// so that its memory is measured apart from the load
			// generator's.
			mstore.Close()
			mstore = nil
			debug.FreeOSMemory()
			c, err := startChild(ctx, o.serverBin, []string{"--data", dir}, o.serverEnv)
			if err != nil {
				return sr, err
			}
			log.Printf("%s: embedded server (pid %d) ready", sz.Name, c.pid())
			err = measureBackend(ctx, o, r, sr, "embedded", c.url, nil, c.pid(), ops, nil, answers)
			c.stop()
			if err != nil {
				return sr, err
			}
		}
	}
	if o.has("neo4j") {
		if g == nil {
			g = gen.Generate(sz.Cfg)
		}
		log.Printf("%s: starting Neo4j on port %d", sz.Name, o.neo4j.port)
		if n4j, err = startNeo4j(ctx, o.neo4j); err != nil {
			return nil, err
		}
		if nstore, err = neo4jstore.Open(ctx, neo4jstore.Config{URI: n4j.URI}); err != nil {
			return nil, err
		}
		start := time.Now()
		if err := importChunked(ctx, nstore, g, o.neo4jImport); err != nil {
			return nil, fmt.Errorf("import into Neo4j: %w", err)
		}
		sr.Load["neo4j"] = time.Since(start)
		log.Printf("%s: Neo4j import took %s", sz.Name, sr.Load["neo4j"].Round(time.Millisecond))
		g = nil
		debug.FreeOSMemory()
		var (
			url        string
			shutdown   func()
			statements = nstore.RoundTrips
			serverPid  int
		)
		if o.neo4jChild {
			// Served as the embedded store is: its own process.
			c, err := startChild(ctx, o.serverBin, []string{"--neo4j-uri", n4j.URI}, o.serverEnv)
			if err != nil {
				return sr, err
			}
			log.Printf("%s: Neo4j's server (pid %d) ready", sz.Name, c.pid())
			url, shutdown, statements, serverPid = c.url, c.stop, c.statements, c.pid()
		} else if url, shutdown, err = serve(nstore); err != nil {
			return sr, err
		}
		var floors map[string]call
		if o.floors {
			calls, closeFloors, err := floorCalls(ctx, o, n4j, ops)
			if err != nil {
				shutdown()
				return sr, err
			}
			defer closeFloors()
			floors = calls
		}
		r.mem.watchJVM(n4j.Pid())
		err = measureBackend(ctx, o, r, sr, "neo4j", url, statements, serverPid, ops, floors, answers)
		shutdown()
		if err != nil {
			return sr, err
		}
	}
	if a, b := answers["embedded"], answers["neo4j"]; a != nil && b != nil {
		for _, k := range slices.Sorted(maps.Keys(a)) {
			sr.Compared++
			if !bytes.Equal(a[k], b[k]) {
				sr.Mismatches = append(sr.Mismatches, fmt.Sprintf("%s: %s", k, firstDiff(a[k], b[k])))
			}
		}
	}
	sr.OtherCPU = otherCPU(cpu0, readCPU(), n4j)
	sr.LoadAvg[1] = loadgen.LoadAvg()
	return sr, nil
}

// importChunked imports g into s in transactions of at most batch
// positions: entities and relations first, then the positions, which
// refer to them.
func importChunked(ctx context.Context, s stancegraph.Store, g *stancegraph.Graph, batch int) error {
	if _, err := s.Import(ctx, &stancegraph.Graph{Entities: g.Entities, Relations: g.Relations}); err != nil {
		return err
	}
	for start := 0; start < len(g.Positions); start += batch {
		chunk := g.Positions[start:min(start+batch, len(g.Positions))]
		if _, err := s.Import(ctx, &stancegraph.Graph{Positions: chunk}); err != nil {
			return err
		}
	}
	return nil
}

// serve starts the real server over s on a loopback port.
func serve(s stancegraph.Store) (url string, shutdown func(), err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	// Request logs are formatted as in production, then dropped.
	logger := slog.New(slog.NewJSONHandler(io.Discard, nil))
	srv := &http.Server{
		Handler:           server.New(s, server.Config{GraphQL: server.Options{WriteTokens: []string{writeToken}}, Logger: logger}),
		ReadHeaderTimeout: 10 * time.Second,
	}
	go func() { _ = srv.Serve(ln) }()
	return "http://" + ln.Addr().String() + "/query", func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	}, nil
}

// body is the JSON of a GraphQL request.
func body(query string, vars map[string]any) []byte {
	b, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		panic(err) // the variables are plain values
	}
	return b
}

// measureBackend runs every op, then the mix, through the server over s.
// The server at url is a child process of pid serverPid (its memory is
// sampled): always for the embedded store, with --neo4j-child for Neo4j;
// else it is the harness's own (0). roundTrips, if set, counts the
// statements the store has sent. floors, if set, holds each op's floor,
// measured alternating with the op (runAlternating).
func measureBackend(ctx context.Context, o *options, r *runner, sr *sizeResult, backend, url string, roundTrips func() int64, serverPid int, ops []*op, floors map[string]call, answers map[string]map[string][]byte) error {
	client := newHTTPClient(url, writeToken, 2*slices.Max(o.concurrency))

	// Request bodies of the reads, built once.
	bodies := make([][][]byte, len(ops))
	for i, op := range ops {
		if op.Write {
			continue
		}
		bodies[i] = make([][]byte, variants)
		for v := range variants {
			bodies[i][v] = body(op.Query, op.Vars(v, 0))
		}
	}
	// The answers of the untouched graph, before any write runs.
	answers[backend] = map[string][]byte{}
	for i, op := range ops {
		if op.Write || op.Name == "typename" {
			continue
		}
		for v := range min(variants, o.compareLimit) {
			var got []byte
			if _, err := client.post(ctx, bodies[i][v], &got); err != nil {
				return fmt.Errorf("%s %s: %s #%d: %w", sr.Name, backend, op.Name, v, err)
			}
			answers[backend][fmt.Sprintf("%s #%02d", op.Name, v)] = got
		}
	}
	var rev atomic.Int64
	callOf := func(i int) call {
		op := ops[i]
		if op.Write {
			return func(ctx context.Context, w, k int) (int, error) {
				return client.post(ctx, body(op.Query, op.Vars(k, rev.Add(1))), nil)
			}
		}
		return func(ctx context.Context, w, k int) (int, error) {
			return client.post(ctx, bodies[i][k%variants], nil)
		}
	}
	r.mem.reset(serverPid)
	if roundTrips != nil {
		r.roundTrips = roundTrips
		defer func() { r.roundTrips = nil }()
	}
	for i, op := range ops {
		for _, c := range o.concurrency {
			cl := &cell{Size: sr.Name, Backend: backend, Op: op.Name, Concurrency: c}
			if floor := floors[op.Name]; floor != nil {
				// The op and its floor in alternating slices: their
				// ratio is the target.
				fl := &cell{Size: sr.Name, Backend: "floor", Op: op.Name, Concurrency: c}
				r.runAlternating(ctx, []*cell{cl, fl}, []call{callOf(i), floor}, floorSlices)
				logCell(cl)
				logCell(fl)
				sr.Cells = append(sr.Cells, cl, fl)
			} else {
				r.run(ctx, cl, callOf(i), nil)
				logCell(cl)
				sr.Cells = append(sr.Cells, cl)
			}
			if err := ctx.Err(); err != nil {
				return err
			}
		}
	}
	if o.mix {
		// The mix: each op as often as its weight, in a fixed shuffled
		// order; worker w's k-th request is the k-th of the schedule.
		var schedule []int
		for i, op := range ops {
			for range op.Weight {
				schedule = append(schedule, i)
			}
		}
		if len(schedule) > 0 {
			rand.New(rand.NewPCG(1, 2)).Shuffle(len(schedule), func(a, b int) { schedule[a], schedule[b] = schedule[b], schedule[a] })
			calls := make([]call, len(ops))
			for i := range ops {
				calls[i] = callOf(i)
			}
			mixCall := func(ctx context.Context, w, k int) (int, error) { return calls[schedule[k%len(schedule)]](ctx, w, k) }
			opOf := func(w, k int) string { return ops[schedule[k%len(schedule)]].Name }
			for _, c := range o.concurrency {
				cl := &cell{Size: sr.Name, Backend: backend, Op: "mix", Concurrency: c}
				r.run(ctx, cl, mixCall, opOf)
				logCell(cl)
				sr.Cells = append(sr.Cells, cl)
				if err := ctx.Err(); err != nil {
					return err
				}
			}
		}
	}
	heap, anon, jvm, hwm := r.mem.peaks()
	sr.Mem[backend] = &memFigures{PeakHeap: heap, PeakAnon: anon, HWM: hwm, PeakJVM: jvm}
	return nil
}

func logCell(c *cell) {
	msg := fmt.Sprintf("%s %-8s %-14s c=%-3d %8.0f req/s  p50 %-10s p99 %-10s %6d B", c.Size, c.Backend, c.Op, c.Concurrency,
		c.Throughput, c.P50.Round(time.Microsecond), c.P99.Round(time.Microsecond), c.MeanBytes)
	if c.RoundTrips > 0 {
		msg += fmt.Sprintf("  %.1f statements/req", c.RoundTrips)
	}
	if c.ServerCPU > 0 {
		msg += fmt.Sprintf("  server CPU %s/req", c.ServerCPU.Round(time.Microsecond))
	}
	if c.Errors > 0 {
		msg += fmt.Sprintf("  %d errors, first: %s", c.Errors, truncate(c.FirstError, 200))
	}
	log.Print(msg)
}

// floorSlices is how many slices of the duration an op and its floor
// alternate in (runAlternating).
const floorSlices = 3

// floorCalls returns each op's floor: its hand-written Cypher straight
// through the driver, one managed transaction per request as the driver's
// manual writes it (ExecuteRead, ExecuteWrite). With --floor-autocommit a
// read is one auto-commit statement instead, the one round trip the
// store's plan reads cost, so that the ratio compares the statements and
// the GraphQL layer alone. Each statement is run once here, so that a typo
// fails loudly. closeFloors closes the floors' driver.
func floorCalls(ctx context.Context, o *options, n4j *neo4jServer, ops []*op) (calls map[string]call, closeFloors func(), err error) {
	driver, err := neo4j.NewDriverWithContext(n4j.URI, neo4j.NoAuth())
	if err != nil {
		return nil, nil, err
	}
	closeFloors = func() { _ = driver.Close(context.Background()) }
	var rev atomic.Int64
	calls = map[string]call{}
	for _, op := range ops {
		mode := neo4j.AccessModeRead
		if op.Write {
			mode = neo4j.AccessModeWrite
		}
		fn := func(ctx context.Context, w, k int) (int, error) {
			params := op.Params(k, rev.Add(1))
			cypher := op.Cypher
			if st, ok := params["stance"].(string); ok {
				cypher = strings.Replace(cypher, "STANCE", st, 1)
				delete(params, "stance")
			}
			sess := driver.NewSession(ctx, neo4j.SessionConfig{AccessMode: mode})
			defer sess.Close(context.Background())
			work := func(tx neo4j.ManagedTransaction) (any, error) {
				res, err := tx.Run(ctx, cypher, params)
				if err != nil {
					return 0, err
				}
				recs, err := res.Collect(ctx)
				return len(recs), err
			}
			var n any
			var err error
			switch {
			case op.Write:
				n, err = sess.ExecuteWrite(ctx, work)
			case o.floorAutocommit:
				res, err := sess.Run(ctx, cypher, params)
				if err != nil {
					return 0, err
				}
				recs, err := res.Collect(ctx)
				return len(recs), err
			default:
				n, err = sess.ExecuteRead(ctx, work)
			}
			if err != nil {
				return 0, err
			}
			return n.(int), nil
		}
		if _, err := fn(ctx, 0, 0); err != nil {
			closeFloors()
			return nil, nil, fmt.Errorf("floor of %s: %w", op.Name, err)
		}
		calls[op.Name] = fn
	}
	return calls, closeFloors, nil
}

// firstDiff shows where two answers part.
func firstDiff(a, b []byte) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	from := max(0, i-60)
	return fmt.Sprintf("at byte %d: embedded …%s… neo4j …%s…", i, a[from:min(len(a), i+60)], b[from:min(len(b), i+60)])
}
