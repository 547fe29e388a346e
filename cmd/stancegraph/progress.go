package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// newProgress reports the phases of an import on w: a progress bar with
// rate and ETA when w is a terminal, else a plain line every interval and
// at the end of each phase.
func newProgress(w io.Writer, interval time.Duration) progress {
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		return &barProgress{w: w}
	}
	return &logProgress{w: w, interval: interval, now: time.Now}
}

type progress interface {
	Phase(name string, total int)
	Add(n int)
	Done()
}

type barProgress struct {
	w   io.Writer
	bar *progressbar.ProgressBar
}

func (p *barProgress) Phase(name string, total int) {
	p.Done()
	opts := []progressbar.Option{
		progressbar.OptionSetWriter(p.w),
		progressbar.OptionSetDescription(fmt.Sprintf("%-34s", name)),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(100 * time.Millisecond),
		progressbar.OptionOnCompletion(func() { fmt.Fprintln(p.w) }),
	}
	max := int64(-1) // a spinner with the time elapsed: one transaction has no steps to count
	if total > 0 {
		max = int64(total)
		opts = append(opts, progressbar.OptionShowCount(), progressbar.OptionShowIts(),
			progressbar.OptionSetItsString("entries"), progressbar.OptionSetPredictTime(true))
	}
	p.bar = progressbar.NewOptions64(max, opts...)
}

func (p *barProgress) Add(n int) {
	if p.bar != nil {
		_ = p.bar.Add(n)
	}
}

func (p *barProgress) Done() {
	if p.bar != nil {
		_ = p.bar.Finish()
		p.bar = nil
	}
}

type logProgress struct {
	w        io.Writer
	interval time.Duration
	now      func() time.Time

	name        string
	total, done int
	start, last time.Time
}

func (p *logProgress) Phase(name string, total int) {
	p.Done()
	p.name, p.total, p.done = name, total, 0
	p.start = p.now()
	p.last = p.start
}

func (p *logProgress) Add(n int) {
	p.done += n
	if now := p.now(); now.Sub(p.last) >= p.interval {
		p.last = now
		p.line(now)
	}
}

// Done ends the phase with a last line, unless it was too short to need
// any.
func (p *logProgress) Done() {
	if now := p.now(); p.name != "" && now.Sub(p.start) >= p.interval {
		p.line(now)
	}
	p.name = ""
}

func (p *logProgress) line(now time.Time) {
	elapsed := now.Sub(p.start)
	rate := 0.0
	if elapsed > 0 {
		rate = float64(p.done) / elapsed.Seconds()
	}
	if p.total <= 0 {
		fmt.Fprintf(p.w, "%s: %d entries, %.0f/s, %s\n", p.name, p.done, rate, elapsed.Round(time.Millisecond))
		return
	}
	eta := "-"
	if rate > 0 && p.done < p.total {
		eta = time.Duration(float64(p.total-p.done) / rate * float64(time.Second)).Round(time.Second).String()
	}
	fmt.Fprintf(p.w, "%s: %d/%d entries (%d%%), %.0f/s, ETA %s, %s elapsed\n",
		p.name, p.done, p.total, p.done*100/p.total, rate, eta, elapsed.Round(time.Millisecond))
}
