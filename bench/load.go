package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/stancegraph/stancegraph/bench/internal/loadgen"
)

// call runs one request of a cell: worker w's k-th. It returns the size of
// the answer.
type call func(ctx context.Context, w, k int) (int, error)

// cell is one measurement: one target (an op, or the mix) at one
// concurrency for a fixed time.
type cell struct {
	Size, Backend, Op string
	Concurrency       int
	Requests          int
	Errors            int
	FirstError        string
	Seconds           float64
	Throughput        float64 // successful requests per second
	P50, P99          time.Duration
	MeanBytes         int
	// RoundTrips is the mean number of Cypher statements the Neo4j store
	// sent per request, warm-up included.
	RoundTrips float64 `json:",omitempty"`
	// ServerCPU is the CPU time (user and system) the embedded server's
	// own process spent per request in the measured part: what a request
	// costs it, whatever else the machine runs.
	ServerCPU time.Duration `json:",omitempty"`
	// ByOp holds the latencies of each op of the mix.
	ByOp map[string]*opStats `json:",omitempty"`
}

type opStats struct {
	Requests int
	P50, P99 time.Duration
}

// runner runs cells with a fixed warm-up and duration.
type runner struct {
	warmup, duration time.Duration
	profileDir       string
	mem              *memSampler
	// roundTrips, if set, counts the statements the store under test has
	// sent so far.
	roundTrips func() int64
}

// run measures fn at concurrency c: every worker calls it back to back for
// the warm-up, which is not counted, then for the duration. opOf, if set,
// names the op of each call, for the per-op latencies of the mix.
func (r *runner) run(ctx context.Context, c *cell, fn call, opOf func(w, k int) string) {
	var trips0 int64
	if r.roundTrips != nil {
		trips0 = r.roundTrips()
	}
	server := 0
	if r.mem != nil {
		server = r.mem.server()
	}
	var cpu0, cpu1 uint64
	res := loadgen.Run(ctx, c.Concurrency, r.warmup, r.duration, loadgen.Call(fn), func() func() {
		stop := r.startProfile(c)
		if server != 0 {
			cpu0 = procCPU(strconv.Itoa(server))
		}
		return func() {
			if server != 0 {
				cpu1 = procCPU(strconv.Itoa(server))
			}
			stop()
		}
	})

	c.fill(res, opOf)
	if server != 0 && c.Requests > 0 && cpu1 > cpu0 {
		c.ServerCPU = time.Duration(cpu1-cpu0) * (time.Second / clockTicks) / time.Duration(c.Requests)
	}
	if r.roundTrips != nil && res.Calls > 0 {
		c.RoundTrips = float64(r.roundTrips()-trips0) / float64(res.Calls)
	}
}

// fill sets c's counts and latencies from res; opOf, if set, names the op
// of each call, for the per-op latencies of the mix.
func (c *cell) fill(res loadgen.Result, opOf func(w, k int) string) {
	var all []time.Duration
	byOp := map[string][]time.Duration{}
	var total int64
	for w, ss := range res.Samples {
		for _, s := range ss {
			all = append(all, s.D)
			if opOf != nil {
				op := opOf(w, s.K)
				byOp[op] = append(byOp[op], s.D)
			}
			total += int64(s.Bytes)
		}
	}
	c.Errors = res.Errors
	c.FirstError = res.FirstError
	c.Requests = len(all) + c.Errors
	c.Seconds = res.Elapsed.Seconds()
	c.Throughput = float64(len(all)) / res.Elapsed.Seconds()
	c.P50, c.P99 = percentiles(all)
	if len(all) > 0 {
		c.MeanBytes = int(total / int64(len(all)))
	}
	if opOf != nil {
		c.ByOp = map[string]*opStats{}
		for name, ds := range byOp {
			p50, p99 := percentiles(ds)
			c.ByOp[name] = &opStats{Requests: len(ds), P50: p50, P99: p99}
		}
	}
}

// runAlternating measures the cells at their (equal) concurrency in turn,
// each for a slice of the duration, slices times over, and merges each
// cell's slices: a pair measured so shares whatever the machine and the
// database do meanwhile (other work, a cache warming, the JIT), where cells
// measured one after the other minutes apart do not. The first slice of
// each cell has the whole warm-up, the others a short one, for the closed
// loop to fill again.
func (r *runner) runAlternating(ctx context.Context, cells []*cell, fns []call, slices int) {
	merged := make([]loadgen.Result, len(cells))
	trips := make([]int64, len(cells))
	for s := range slices {
		warmup := r.warmup
		if s > 0 {
			warmup = min(r.warmup, 250*time.Millisecond)
		}
		for i, c := range cells {
			var t0 int64
			if r.roundTrips != nil {
				t0 = r.roundTrips()
			}
			var profile func() (end func())
			if s == 0 {
				// --profile: the cell's first slice.
				profile = func() func() { return r.startProfile(c) }
			}
			res := loadgen.Run(ctx, c.Concurrency, warmup, r.duration/time.Duration(slices), loadgen.Call(fns[i]), profile)
			if r.roundTrips != nil {
				trips[i] += r.roundTrips() - t0
			}
			m := &merged[i]
			if m.Samples == nil {
				m.Samples = make([][]loadgen.Sample, len(res.Samples))
			}
			for w, ss := range res.Samples {
				m.Samples[w] = append(m.Samples[w], ss...)
			}
			m.Errors += res.Errors
			if m.FirstError == "" {
				m.FirstError = res.FirstError
			}
			m.Calls += res.Calls
			m.Elapsed += res.Elapsed
		}
		if ctx.Err() != nil {
			break
		}
	}
	for i, c := range cells {
		c.fill(merged[i], nil)
		if r.roundTrips != nil && merged[i].Calls > 0 && trips[i] > 0 {
			c.RoundTrips = float64(trips[i]) / float64(merged[i].Calls)
		}
	}
}

func percentiles(ds []time.Duration) (p50, p99 time.Duration) {
	p := loadgen.Percentiles(ds, 0.50, 0.99)
	return p[0], p[1]
}

// startProfile writes a CPU profile of the measured part of the cell when
// profiles are asked for.
func (r *runner) startProfile(c *cell) (stop func()) {
	if r.profileDir == "" {
		return func() {}
	}
	name := fmt.Sprintf("%s-%s-%s-c%d.pprof", c.Size, c.Backend, c.Op, c.Concurrency)
	f, err := os.Create(filepath.Join(r.profileDir, name))
	if err != nil {
		return func() {}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}

// writeHeapProfile writes the live heap, as of the last GC, to path.
func writeHeapProfile(path string) {
	f, err := os.Create(path)
	if err != nil {
		return
	}
	defer f.Close()
	_ = pprof.Lookup("heap").WriteTo(f, 0)
}

// httpClient posts GraphQL requests to the server under test.
type httpClient struct {
	url, token string
	hc         *http.Client
	bufs       sync.Pool
}

func newHTTPClient(url, token string, conns int) *httpClient {
	return &httpClient{url: url, token: token, hc: &http.Client{
		Transport: &http.Transport{MaxIdleConns: conns, MaxIdleConnsPerHost: conns, DisableCompression: true},
		Timeout:   60 * time.Second,
	}, bufs: sync.Pool{New: func() any { return new(bytes.Buffer) }}}
}

var dataPrefix = []byte(`{"data":`)

// post sends one request and returns the size of its answer; a response
// that is not 200 with data and no errors is an error. keep, if set, gets
// a copy of the body.
func (c *httpClient) post(ctx context.Context, body []byte, keep *[]byte) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	buf := c.bufs.Get().(*bytes.Buffer)
	defer c.bufs.Put(buf)
	buf.Reset()
	if _, err := io.Copy(buf, resp.Body); err != nil {
		return 0, err
	}
	b := buf.Bytes()
	if keep != nil {
		*keep = bytes.Clone(b)
	}
	if resp.StatusCode != http.StatusOK || !bytes.HasPrefix(b, dataPrefix) {
		return 0, fmt.Errorf("status %d: %s", resp.StatusCode, truncate(string(b), 300))
	}
	return len(b), nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}

// memSampler samples the heap and resident memory of the server under
// test, and a JVM's, keeping the peaks since the last reset. The server is
// a child process (the embedded store), whose heap it cannot see, or this
// process (Neo4j's), which also runs the load generator.
type memSampler struct {
	mu        sync.Mutex
	peakHeap  uint64 // bytes of live and not yet collected heap objects of this process
	peakAnon  uint64 // resident anonymous memory of the server's process
	peakJVM   uint64 // resident memory of the Neo4j process, if any
	serverPid int    // 0: this process
	jvmPid    int
}

func (m *memSampler) start(ctx context.Context) {
	go func() {
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				m.sample()
			}
		}
	}()
}

func (m *memSampler) sample() {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.serverPid == 0 {
		m.peakHeap = max(m.peakHeap, heapObjects())
	}
	m.peakAnon = max(m.peakAnon, procStatus(m.proc(), "RssAnon"))
	if m.jvmPid > 0 {
		m.peakJVM = max(m.peakJVM, procStatus(strconv.Itoa(m.jvmPid), "VmRSS"))
	}
}

// server returns the pid of the server's process, 0 for this one.
func (m *memSampler) server() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.serverPid
}

// proc names the server's process in /proc.
func (m *memSampler) proc() string {
	if m.serverPid == 0 {
		return "self"
	}
	return strconv.Itoa(m.serverPid)
}

// watchJVM makes the samples include the JVM of pid (0 for none).
func (m *memSampler) watchJVM(pid int) {
	m.mu.Lock()
	m.jvmPid = pid
	m.mu.Unlock()
}

// reset starts new peaks of the server of process serverPid (0 for this
// one).
func (m *memSampler) reset(serverPid int) {
	m.mu.Lock()
	m.peakHeap, m.peakAnon, m.peakJVM, m.serverPid = 0, 0, 0, serverPid
	m.mu.Unlock()
	if serverPid == 0 {
		// Writing 5 to clear_refs resets VmHWM, the kernel's peak RSS. A
		// child's is left alone: its peak includes loading the store.
		_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
	}
	m.sample()
}

// peaks returns the peaks since the last reset, and the kernel's peak RSS
// of the server's process.
func (m *memSampler) peaks() (heap, anon, jvm, hwm uint64) {
	m.sample()
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.peakHeap, m.peakAnon, m.peakJVM, procStatus(m.proc(), "VmHWM")
}

func heapObjects() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// liveHeap collects garbage and returns the bytes the heap still holds.
func liveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// procStatus returns a memory line of /proc/<pid>/status in bytes, 0 if
// it cannot be read.
func procStatus(pid, field string) uint64 {
	b, err := os.ReadFile("/proc/" + pid + "/status")
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(b)) {
		rest, ok := strings.CutPrefix(line, field+":")
		if !ok {
			continue
		}
		f := strings.Fields(rest)
		if len(f) == 0 {
			return 0
		}
		n, _ := strconv.ParseUint(f[0], 10, 64)
		return n << 10 // kB
	}
	return 0
}
