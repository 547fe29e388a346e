// Package loadgen is the closed-loop load generator the benchmark commands
// share (bench, bench/peer): a fixed number of workers each send requests
// back to back, first for an unmeasured warm-up, then for a measured
// duration, and the latency of every measured success is kept.
package loadgen

import (
	"context"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Call sends one request, worker w's k-th, and returns the size of the
// answer. Worker w starts at k = w*7919, so that workers spread over the
// inputs of a cell.
type Call func(ctx context.Context, w, k int) (int, error)

// Sample is one measured success.
type Sample struct {
	K     int
	D     time.Duration
	Bytes int
}

// Result is what a run measured.
type Result struct {
	// Samples[w] holds worker w's measured successes, in order.
	Samples [][]Sample
	// Errors counts the measured failures; FirstError is the first one's.
	Errors     int
	FirstError string
	// Calls counts every call, warm-up and failures included.
	Calls int64
	// Elapsed is the measured time.
	Elapsed time.Duration
}

// Latencies returns the latencies of every measured success.
func (r *Result) Latencies() []time.Duration {
	var out []time.Duration
	for _, ss := range r.Samples {
		for _, s := range ss {
			out = append(out, s.D)
		}
	}
	return out
}

// Run runs workers that call fn back to back until ctx is done or the
// measurement ends: warmup, not counted, then duration. measured, if set,
// is called as the measurement starts, and the function it returns as it
// ends (a CPU profile of the measured part, say).
func Run(ctx context.Context, workers int, warmup, duration time.Duration, fn Call, measured func() (end func())) Result {
	var (
		measuring atomic.Bool
		stop      atomic.Bool
		calls     atomic.Int64
		firstErr  atomic.Value
		wg        sync.WaitGroup
	)
	samples := make([][]Sample, workers)
	errs := make([]int, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := w * 7919; !stop.Load() && ctx.Err() == nil; k++ {
				start := time.Now()
				n, err := fn(ctx, w, k)
				d := time.Since(start)
				calls.Add(1)
				if !measuring.Load() {
					continue
				}
				if err != nil {
					errs[w]++
					firstErr.CompareAndSwap(nil, err.Error())
					continue
				}
				samples[w] = append(samples[w], Sample{K: k, D: d, Bytes: n})
			}
		}()
	}
	Sleep(ctx, warmup)
	end := func() {}
	if measured != nil {
		end = measured()
	}
	measuring.Store(true)
	begin := time.Now()
	Sleep(ctx, duration)
	measuring.Store(false)
	elapsed := time.Since(begin)
	end()
	stop.Store(true)
	wg.Wait()

	r := Result{Samples: samples, Calls: calls.Load(), Elapsed: elapsed}
	for _, n := range errs {
		r.Errors += n
	}
	if e, ok := firstErr.Load().(string); ok {
		r.FirstError = e
	}
	return r
}

// Percentiles sorts ds and returns its q-quantile for each of qs (0 for
// none when ds is empty).
func Percentiles(ds []time.Duration, qs ...float64) []time.Duration {
	out := make([]time.Duration, len(qs))
	if len(ds) == 0 {
		return out
	}
	slices.Sort(ds)
	for i, q := range qs {
		out[i] = ds[min(len(ds)-1, int(q*float64(len(ds))))]
	}
	return out
}

// Sleep waits for d or until ctx is done.
func Sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

// LoadAvg returns the machine's 1, 5 and 15 minute load averages, or "?".
func LoadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}
