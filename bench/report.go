package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"
)

// report is everything a run measured.
type report struct {
	Started, Finished time.Time
	Command           string
	Machine           machineInfo
	Warmup, Duration  time.Duration
	Concurrency       []int
	Neo4jHeap         string
	Neo4jCache        int
	Neo4jChild        bool `json:",omitempty"` // Neo4j's server ran as its own process
	EmbeddedIn        bool `json:",omitempty"` // the embedded server ran in the harness's process
	Sizes             []*sizeResult
}

type machineInfo struct {
	CPU, Kernel, Go, Driver, Java string
	Cores                         int
	MemTotal                      uint64
}

func machine() machineInfo {
	m := machineInfo{Cores: runtime.NumCPU(), Go: runtime.Version()}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for line := range strings.Lines(string(b)) {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPU = strings.TrimSpace(v)
				break
			}
		}
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = "Linux " + strings.TrimSpace(string(b))
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		for line := range strings.Lines(string(b)) {
			if rest, ok := strings.CutPrefix(line, "MemTotal:"); ok {
				f := strings.Fields(rest)
				if len(f) > 0 {
					n, _ := strconv.ParseUint(f[0], 10, 64)
					m.MemTotal = n << 10
				}
			}
		}
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if strings.HasPrefix(d.Path, "github.com/neo4j/neo4j-go-driver") {
				m.Driver = d.Path + " " + d.Version
			}
		}
	}
	if out, err := exec.Command("java", "-version").CombinedOutput(); err == nil {
		m.Java, _, _ = strings.Cut(string(out), "\n")
	}
	return m
}

// cpuTimes are the machine's busy time and the harness's and Neo4j's CPU
// time, in clock ticks, at an instant.
type cpuTimes struct {
	at         time.Time
	busy, self uint64
}

// clockTicks is USER_HZ, the unit of /proc CPU times; 100 on Linux.
const clockTicks = 100

func readCPU() cpuTimes {
	t := cpuTimes{at: time.Now(), self: procCPU("self")}
	if b, err := os.ReadFile("/proc/stat"); err == nil {
		line, _, _ := strings.Cut(string(b), "\n")
		f := strings.Fields(line)
		// cpu user nice system idle iowait irq softirq steal ...
		for i, v := range f[1:] {
			if i == 3 || i == 4 || i > 7 {
				continue
			}
			n, _ := strconv.ParseUint(v, 10, 64)
			t.busy += n
		}
	}
	return t
}

// procCPU returns the user and system time of a process, in ticks.
func procCPU(pid string) uint64 {
	b, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		return 0
	}
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(string(b[i+1:]))
	// After the command: state is field 3, utime 14 and stime 15.
	if len(f) < 13 {
		return 0
	}
	u, _ := strconv.ParseUint(f[11], 10, 64)
	s, _ := strconv.ParseUint(f[12], 10, 64)
	return u + s
}

// otherCPU returns the cores other processes kept busy between a and b on
// average: the machine's busy time less the harness's and its Neo4j's
// (which started after a).
func otherCPU(a, b cpuTimes, n4j *neo4jServer) float64 {
	busy := float64(b.busy - a.busy)
	busy -= float64(b.self - a.self)
	if n4j != nil {
		busy -= float64(procCPU(strconv.Itoa(n4j.Pid())))
	}
	secs := b.at.Sub(a.at).Seconds()
	if secs <= 0 {
		return 0
	}
	return max(0, busy/clockTicks/secs)
}

// Markers delimit the part of BENCHMARKS.md the harness rewrites; the rest
// of the section (the notes on each optimisation) is kept.
const (
	sectionHeading = "## Harness (make bench)"
	beginMarker    = "<!-- bench:begin (written by `make bench`; edit outside the markers) -->"
	endMarker      = "<!-- bench:end -->"
)

// writeSection puts md between the markers of path, adding the section at
// the end when the file has none.
func writeSection(path, md string) error {
	b, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	s := string(b)
	block := beginMarker + "\n" + md + endMarker
	i, j := strings.Index(s, beginMarker), strings.Index(s, endMarker)
	if i >= 0 && j > i {
		s = s[:i] + block + s[j+len(endMarker):]
	} else {
		s = strings.TrimRight(s, "\n") + "\n\n" + sectionHeading + "\n\n" + block + "\n"
	}
	return os.WriteFile(path, []byte(s), 0o644)
}

// find returns the cell of an op, nil when it was not measured.
func (sr *sizeResult) find(backend, op string, c int) *cell {
	for _, cl := range sr.Cells {
		if cl.Backend == backend && cl.Op == op && cl.Concurrency == c {
			return cl
		}
	}
	return nil
}

func (r *report) low() int  { return r.Concurrency[0] }
func (r *report) high() int { return r.Concurrency[len(r.Concurrency)-1] }

func (r *report) markdown() string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	lo, hi := r.low(), r.high()
	p("Run of %s (UTC), %s to %s, with `%s`.\n\n", r.Started.Format("2006-01-02"), r.Started.Format("15:04"), r.Finished.Format("15:04"), r.Command)
	p("- Machine: %s, %d cores, %s RAM, %s.\n", r.Machine.CPU, r.Machine.Cores, mib(r.Machine.MemTotal), r.Machine.Kernel)
	p("- Go %s; %s; Neo4j 5.26 Community embedded (tools/neo4j) on %s, heap %s, page cache %d MiB, its own instance and home per size.\n",
		strings.TrimPrefix(r.Machine.Go, "go"), r.Machine.Driver, r.Machine.Java, r.Neo4jHeap, r.Neo4jCache)
	p("- Each cell: %s warm-up, then %s measured, at concurrency %s (latencies at %d, throughputs at %d); %s; %s; all on loopback. Each Neo4j cell and its floor's run in turn, in %d alternating slices of the duration (the first with the whole warm-up, the others with at most 250 ms), so that both see the same machine and the same state of the database; the embedded server is measured before Neo4j starts.\n",
		r.Warmup, r.Duration, joinInts(r.Concurrency), lo, hi, embeddedServerPlace(r.EmbeddedIn), neo4jServerPlace(r.Neo4jChild), floorSlices)
	p("- Inputs are fixed per size: targets with about %d SUPPORTS positions, actors with about %d positions, pairs of such actors sharing a target, coalitions over four such targets, list pages 1, 2 and 4 of US companies by name; upserts rewrite the quote of existing positions.\n", targetDegree, actorDegree)
	for _, sr := range r.Sizes {
		other := fmt.Sprintf("%.1f of the %d cores", sr.OtherCPU, r.Machine.Cores)
		if sr.OtherCPU < 0.05 {
			other = "no measurable CPU (under 0.05 cores)"
		}
		p("- %s: other processes used %s on average, from /proc/stat less the harness's and its Neo4j's own CPU time (load average, which counts the harness's own threads, %s at the start, %s at the end).\n",
			sr.Name, other, sr.LoadAvg[0], sr.LoadAvg[1])
	}
	p("\n")

	for _, sr := range r.Sizes {
		p("### %s positions (%d entities, %d relations, %d positions)\n\n", sr.Name, sr.Entities, sr.Relations, sr.Positions)
		var loads []string
		for _, be := range []string{"embedded", "neo4j"} {
			if d, ok := sr.Load[be]; ok {
				loads = append(loads, fmt.Sprintf("%s %s", be, d.Round(100*time.Millisecond)))
			}
		}
		p("Import: %s. ", strings.Join(loads, ", "))
		if sr.Compared > 0 {
			if len(sr.Mismatches) == 0 {
				p("The two backends gave byte-identical answers to all %d read requests compared.", sr.Compared)
			} else {
				p("%d of %d answers differ between the backends; first: %s.", len(sr.Mismatches), sr.Compared, sr.Mismatches[0])
			}
		}
		p("\n\n")
		p("| op | answer | embedded p50 / p99 (c=%d) | embedded req/s (c=%d) | Neo4j p50 / p99 (c=%d) | Neo4j req/s (c=%d) | Neo4j statements per request | floor p50 (c=%d) | floor req/s (c=%d) | Neo4j ÷ floor p50 | embedded ÷ Neo4j req/s |\n", lo, hi, lo, hi, lo, hi)
		p("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
		for _, op := range sr.Ops {
			el, eh := sr.find("embedded", op.Name, lo), sr.find("embedded", op.Name, hi)
			nl, nh := sr.find("neo4j", op.Name, lo), sr.find("neo4j", op.Name, hi)
			fl, fh := sr.find("floor", op.Name, lo), sr.find("floor", op.Name, hi)
			name := op.Name
			if op.OneHop {
				name += " (1-hop)"
			}
			answer := "—"
			if c := first(el, nl); c != nil {
				answer = byteSize(c.MeanBytes)
			}
			trips := "—"
			if nl != nil {
				trips = fmt.Sprintf("%.1f", nl.RoundTrips)
			}
			p("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", name, answer,
				lat(el), tput(eh), lat(nl), tput(nh), trips, p50(fl), tput(fh),
				ratio(nl, fl, func(c *cell) float64 { return float64(c.P50) }),
				ratio(eh, nh, func(c *cell) float64 { return c.Throughput }))
		}
		p("\n")
		var mix []string
		for _, be := range []string{"embedded", "neo4j"} {
			for _, c := range r.Concurrency {
				if cl := sr.find(be, "mix", c); cl != nil {
					mix = append(mix, fmt.Sprintf("| %s | %d | %.0f | %s | %s | %d |", be, c, cl.Throughput, dur(cl.P50), dur(cl.P99), cl.Errors))
				}
			}
		}
		if len(mix) > 0 {
			p("The mix (weights: %s):\n\n", weights(sr))
			p("| backend | concurrency | req/s | p50 | p99 | errors |\n| --- | ---: | ---: | ---: | ---: | ---: |\n")
			p("%s\n\n", strings.Join(mix, "\n"))
		}
		if errs := errorCells(sr); errs != "" {
			p("Errors: %s\n\n", errs)
		}
		var notes []string
		for _, op := range sr.Ops {
			if op.Note != "" {
				notes = append(notes, fmt.Sprintf("%s: %s", op.Name, op.Note))
			}
		}
		if len(notes) > 0 {
			p("Floors: %s.\n\n", strings.Join(notes, "; "))
		}
	}

	if len(r.Sizes) > 1 {
		first, last := r.Sizes[0], r.Sizes[len(r.Sizes)-1]
		p("### The curve: p50 latency (c=%d) and answer size by graph size\n\n", lo)
		p("| op | backend |")
		for _, sr := range r.Sizes {
			p(" %s |", sr.Name)
		}
		p(" %s ÷ %s | answer %s |\n| --- | --- |%s ---: | --- |\n", last.Name, first.Name, sizeNames(r.Sizes), strings.Repeat(" ---: |", len(r.Sizes)))
		for _, op := range first.Ops {
			for _, be := range []string{"embedded", "neo4j"} {
				if first.find(be, op.Name, lo) == nil {
					continue
				}
				p("| %s | %s |", op.Name, be)
				var answers []string
				for _, sr := range r.Sizes {
					c := sr.find(be, op.Name, lo)
					p(" %s |", p50(c))
					if c != nil {
						answers = append(answers, byteSize(c.MeanBytes))
					}
				}
				p(" %s | %s |\n", ratio(last.find(be, op.Name, lo), first.find(be, op.Name, lo), func(c *cell) float64 { return float64(c.P50) }),
					strings.Join(answers, " / "))
			}
		}
		p("\n")
	}

	p("### Memory\n\n")
	p("| size | positions | embedded store heap | per position | embedded server peak anonymous RSS | per position | embedded server VmHWM | Neo4j peak heap (Go side) | Neo4j JVM peak RSS |\n")
	p("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
	for _, sr := range r.Sizes {
		e, n := sr.Mem["embedded"], sr.Mem["neo4j"]
		p("| %s | %d | %s | %s | %s | %s | %s | %s | %s |\n", sr.Name, sr.Positions,
			mibOr(sr.StoreHeap, e != nil), perPos(sr.StoreHeap, sr.Positions, e != nil),
			memOf(e, func(m *memFigures) uint64 { return m.PeakAnon }),
			perPos(peakAnon(e), sr.Positions, e != nil), memOf(e, func(m *memFigures) uint64 { return m.HWM }),
			memOf(n, func(m *memFigures) uint64 { return m.PeakHeap }), memOf(n, func(m *memFigures) uint64 { return m.PeakJVM }))
	}
	p("\nThe store heap is what the harness's live heap grew by when it loaded the embedded store (after two GCs, the generated graph dropped). The embedded server is then a process of its own, `stancegraph serve` over the store's file: its anonymous RSS (heap, stacks, runtime; not the mapped file) is sampled every 50 ms while the cells run, and its VmHWM is the kernel's peak RSS over its life, loading the file included (mapped file pages counted). The Neo4j side (Go heap) is the harness's process: server and load generator.\n\n")

	p("### Targets\n\n")
	for _, t := range r.targets() {
		p("- %s\n", t)
	}
	p("\n")
	return b.String()
}

// targets checks the goals of issue 7 against the figures.
func (r *report) targets() []string {
	lo, hi := r.low(), r.high()
	var out []string
	// Neo4j p50 at most 1.3x the driver floor, for each op of the mix.
	for _, sr := range r.Sizes {
		var met, missed []string
		for _, op := range sr.Ops {
			n, f := sr.find("neo4j", op.Name, lo), sr.find("floor", op.Name, lo)
			if n == nil || f == nil || op.Name == "typename" || f.P50 == 0 {
				continue
			}
			x := float64(n.P50) / float64(f.P50)
			s := fmt.Sprintf("%s %.2fx", op.Name, x)
			if x <= 1.3 {
				met = append(met, s)
			} else {
				missed = append(missed, s)
			}
		}
		if len(met)+len(missed) > 0 {
			out = append(out, fmt.Sprintf("Neo4j p50 ≤ 1.3x the driver floor, %s: %s.", sr.Name, verdict(met, missed)))
		}
	}
	// Embedded 1-hop and two-level throughput at least 10x Neo4j's.
	place := "each server in its own process"
	switch {
	case r.EmbeddedIn && !r.Neo4jChild:
		place = "both servers in the harness's process"
	case r.EmbeddedIn:
		place = "the embedded server in the harness's process, Neo4j's in its own"
	case !r.Neo4jChild:
		place = "the embedded server in its own process, Neo4j's in the harness's"
	}
	for _, sr := range r.Sizes {
		var met, missed []string
		for _, op := range sr.Ops {
			e, n := sr.find("embedded", op.Name, hi), sr.find("neo4j", op.Name, hi)
			if !op.OneHop && op.Name != "twoLevel" || e == nil || n == nil || n.Throughput == 0 {
				continue
			}
			x := e.Throughput / n.Throughput
			s := fmt.Sprintf("%s %.1fx", op.Name, x)
			if x >= 10 {
				met = append(met, s)
			} else {
				missed = append(missed, s)
			}
		}
		if len(met)+len(missed) > 0 {
			out = append(out, fmt.Sprintf("Embedded 1-hop and two-level throughput ≥ 10x Neo4j's (c=%d, %s), %s: %s.", hi, place, sr.Name, verdict(met, missed)))
		}
	}
	// Embedded 1-hop latency at the largest size within 1.5x the smallest.
	if len(r.Sizes) > 1 {
		a, z := r.Sizes[0], r.Sizes[len(r.Sizes)-1]
		var met, missed []string
		for _, op := range z.Ops {
			c0, c1 := a.find("embedded", op.Name, lo), z.find("embedded", op.Name, lo)
			if !op.OneHop || c0 == nil || c1 == nil || c0.P50 == 0 {
				continue
			}
			x := float64(c1.P50) / float64(c0.P50)
			s := fmt.Sprintf("%s %.2fx", op.Name, x)
			if x <= 1.5 {
				met = append(met, s)
			} else {
				missed = append(missed, s)
			}
		}
		if len(met)+len(missed) > 0 {
			out = append(out, fmt.Sprintf("Embedded 1-hop p50 at %s within 1.5x of %s: %s.", z.Name, a.Name, verdict(met, missed)))
		}
		// No cost grows with the graph unless the answer does: p50 grows
		// by more than 1.5x the answer's growth.
		for _, be := range []string{"embedded", "neo4j"} {
			var met, missed []string
			for _, op := range z.Ops {
				c0, c1 := a.find(be, op.Name, lo), z.find(be, op.Name, lo)
				if c0 == nil || c1 == nil || c0.P50 == 0 || c0.MeanBytes == 0 {
					continue
				}
				x := float64(c1.P50) / float64(c0.P50)
				grow := max(1, float64(c1.MeanBytes)/float64(c0.MeanBytes))
				s := fmt.Sprintf("%s %.2fx (answer %.2fx)", op.Name, x, grow)
				if x <= 1.5*grow {
					met = append(met, s)
				} else {
					missed = append(missed, s)
				}
			}
			if len(met)+len(missed) > 0 {
				out = append(out, fmt.Sprintf("%s: p50 from %s to %s grows no more than 1.5x the answer: %s.", be, a.Name, z.Name, verdict(met, missed)))
			}
		}
	}
	for _, sr := range r.Sizes {
		e := sr.Mem["embedded"]
		if e == nil || sr.Positions == 0 {
			continue
		}
		anon := float64(e.PeakAnon) / float64(sr.Positions)
		heap := float64(sr.StoreHeap) / float64(sr.Positions)
		v := "met"
		if anon > 1024 {
			v = "missed"
		}
		out = append(out, fmt.Sprintf("Embedded server memory ≤ 1 KiB per position, %s: %s: peak anonymous RSS of the server process %.0f B per position, store heap %.0f B per position.", sr.Name, v, anon, heap))
	}
	return out
}

func verdict(met, missed []string) string {
	switch {
	case len(missed) == 0:
		return "met (" + strings.Join(met, ", ") + ")"
	case len(met) == 0:
		return "missed (" + strings.Join(missed, ", ") + ")"
	}
	return "missed by " + strings.Join(missed, ", ") + "; met by " + strings.Join(met, ", ")
}

func weights(sr *sizeResult) string {
	var ws []string
	for _, op := range sr.Ops {
		if op.Weight > 0 {
			ws = append(ws, fmt.Sprintf("%s %d", op.Name, op.Weight))
		}
	}
	return strings.Join(ws, ", ")
}

func errorCells(sr *sizeResult) string {
	var out []string
	for _, c := range sr.Cells {
		if c.Errors > 0 {
			out = append(out, fmt.Sprintf("%s %s c=%d: %d of %d (%s)", c.Backend, c.Op, c.Concurrency, c.Errors, c.Requests, truncate(c.FirstError, 120)))
		}
	}
	return strings.Join(out, "; ")
}

func first(cs ...*cell) *cell {
	for _, c := range cs {
		if c != nil {
			return c
		}
	}
	return nil
}

func lat(c *cell) string {
	if c == nil {
		return "—"
	}
	return dur(c.P50) + " / " + dur(c.P99)
}

func p50(c *cell) string {
	if c == nil {
		return "—"
	}
	return dur(c.P50)
}

func tput(c *cell) string {
	if c == nil {
		return "—"
	}
	return fmt.Sprintf("%.0f", c.Throughput)
}

func ratio(a, b *cell, f func(*cell) float64) string {
	if a == nil || b == nil || f(b) == 0 {
		return "—"
	}
	return fmt.Sprintf("%.2fx", f(a)/f(b))
}

// dur prints a latency with three significant digits.
func dur(d time.Duration) string {
	us := float64(d) / float64(time.Microsecond)
	switch {
	case us < 1000:
		return fmt.Sprintf("%.0f µs", us)
	case us < 10_000:
		return fmt.Sprintf("%.2f ms", us/1000)
	case us < 100_000:
		return fmt.Sprintf("%.1f ms", us/1000)
	}
	return fmt.Sprintf("%.0f ms", us/1000)
}

func byteSize(n int) string {
	if n < 10_000 {
		return fmt.Sprintf("%d B", n)
	}
	return fmt.Sprintf("%.0f KB", float64(n)/1000)
}

func mib(n uint64) string {
	if n >= 10<<30 {
		return fmt.Sprintf("%.0f GiB", float64(n)/(1<<30))
	}
	return fmt.Sprintf("%.0f MiB", float64(n)/(1<<20))
}

func mibOr(n uint64, ok bool) string {
	if !ok {
		return "—"
	}
	return mib(n)
}

func perPos(n uint64, positions int, ok bool) string {
	if !ok || positions == 0 {
		return "—"
	}
	return fmt.Sprintf("%.0f B", float64(n)/float64(positions))
}

func peakAnon(m *memFigures) uint64 {
	if m == nil {
		return 0
	}
	return m.PeakAnon
}

func memOf(m *memFigures, f func(*memFigures) uint64) string {
	if m == nil || f(m) == 0 {
		return "—"
	}
	return mib(f(m))
}

func joinInts(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, " and ")
}

func sizeNames(ss []*sizeResult) string {
	n := make([]string, len(ss))
	for i, s := range ss {
		n[i] = s.Name
	}
	return strings.Join(n, " / ")
}

// neo4jServerPlace says where the Neo4j side's server ran.
func embeddedServerPlace(inProcess bool) string {
	if inProcess {
		return "the embedded store is served by `server.New` in the harness's process (--embedded-inprocess), over its bbolt file, request logs formatted and dropped; its memory is not measured"
	}
	return "the embedded store is served by its own process, `stancegraph serve` over its bbolt file as deployed (request logs dropped)"
}

func neo4jServerPlace(child bool) string {
	if child {
		return "Neo4j's server is its own process too, `stancegraph serve --neo4j-uri` (--neo4j-child), request logs dropped"
	}
	return "Neo4j's server is `server.New` in the harness's process, request logs formatted and dropped"
}
