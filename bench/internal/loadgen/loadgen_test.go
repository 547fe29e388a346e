package loadgen_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/stancegraph/stancegraph/bench/internal/loadgen"
)

func TestRun(t *testing.T) {
	starts, ends := 0, 0
	measured := func() func() {
		starts++
		return func() { ends++ }
	}
	fn := func(ctx context.Context, w, k int) (int, error) {
		time.Sleep(time.Millisecond)
		if k%2 == 1 {
			return 0, errors.New("odd k")
		}
		return k, nil
	}
	const workers = 3
	r := loadgen.Run(context.Background(), workers, 10*time.Millisecond, 50*time.Millisecond, fn, measured)
	if starts != 1 || ends != 1 {
		t.Errorf("measured started %d and ended %d times, want once each", starts, ends)
	}
	if len(r.Samples) != workers {
		t.Fatalf("%d workers' samples, want %d", len(r.Samples), workers)
	}
	n := 0
	for w, ss := range r.Samples {
		for i, s := range ss {
			if s.K%2 == 1 || s.Bytes != s.K || s.D <= 0 || s.K < w*7919 || i > 0 && s.K <= ss[i-1].K {
				t.Errorf("worker %d sample %d = %+v: want an even k, in order, from %d, with its size and latency", w, i, s, w*7919)
			}
		}
		n += len(ss)
	}
	if n == 0 || r.Errors == 0 || r.FirstError != "odd k" {
		t.Errorf("%d samples, %d errors (%q): want both, the error's message kept", n, r.Errors, r.FirstError)
	}
	if r.Calls < int64(n+r.Errors) {
		t.Errorf("%d calls, fewer than the %d measured", r.Calls, n+r.Errors)
	}
	if len(r.Latencies()) != n {
		t.Errorf("%d latencies, want %d", len(r.Latencies()), n)
	}
	if r.Elapsed <= 0 {
		t.Errorf("elapsed %v", r.Elapsed)
	}
}

// A cancelled context ends the run without waiting out its duration.
func TestRun_Cancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	done := make(chan loadgen.Result, 1)
	go func() {
		done <- loadgen.Run(ctx, 2, time.Hour, time.Hour, func(context.Context, int, int) (int, error) { return 0, nil }, nil)
	}()
	select {
	case r := <-done:
		if r.Calls != 0 {
			t.Errorf("%d calls after the context was done", r.Calls)
		}
	case <-time.After(time.Minute):
		t.Fatal("Run did not stop when its context was done")
	}
}

func TestPercentiles(t *testing.T) {
	ds := []time.Duration{9, 1, 5, 3, 7, 2, 8, 4, 6, 10}
	if got, want := loadgen.Percentiles(ds, 0, 0.5, 0.95, 1), []time.Duration{1, 6, 10, 10}; !slices.Equal(got, want) {
		t.Errorf("Percentiles = %v, want %v", got, want)
	}
	if got := loadgen.Percentiles(nil, 0.5); !slices.Equal(got, []time.Duration{0}) {
		t.Errorf("Percentiles(nil) = %v, want [0]", got)
	}
}
