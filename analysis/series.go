package analysis

import (
	"context"
	"time"

	"github.com/stancegraph/stancegraph"
)

// Limits of a network series.
const (
	// MaxSeriesWindows bounds the windows of one series.
	MaxSeriesWindows = 100
	// MaxSeriesDays bounds a window and a step, in days (about 50 years).
	MaxSeriesDays = 18262
)

// SeriesQuery asks for one actor network per time window: windows of
// Window days, starting at From and every Step days after it, for as long
// as a window starts on or before To.
type SeriesQuery struct {
	Filter        NetworkFilter
	Mode          NetworkMode
	Normalization Normalization
	// From and To are days (YYYY-MM-DD, or a reduced date standing for its
	// first and last day).
	From, To stancegraph.Date
	// Window and Step are in days, 1 to MaxSeriesDays.
	Window, Step int
	// Limit keeps the most active actors of each window, as in
	// NetworkQuery.
	Limit int
}

// NetworkWindow is the network of one window of a series, with its
// summary statistics.
type NetworkWindow struct {
	// From and To are the first and last days of the window.
	From, To stancegraph.Date
	Network  *ActorNetwork
	// Size is the number of actors (nodes), Edges the number of edges.
	Size, Edges int
	// Density is Edges over Size·(Size−1)/2; 0 below two actors.
	Density float64
	// Modularity is Q of the Louvain partition (resolution 1) of the
	// window's congruence network, as coalitions computes it; 0 without
	// edges.
	Modularity float64
}

// SeriesWindows returns the first days of the windows of q, or EINVALID
// for a bad query or a series of more than MaxSeriesWindows windows.
func SeriesWindows(q SeriesQuery) ([]time.Time, error) {
	for _, c := range []struct {
		field string
		n     int
	}{{"window", q.Window}, {"step", q.Step}} {
		if c.n < 1 || c.n > MaxSeriesDays {
			return nil, stancegraph.FieldErrorf(c.field, "%s must be between 1 and %d days", c.field, MaxSeriesDays)
		}
	}
	if q.From == "" || q.To == "" {
		return nil, stancegraph.FieldErrorf("from", "a series needs from and to")
	}
	if err := (stancegraph.DateWindow{From: q.From, To: q.To}).Validate(); err != nil {
		return nil, err
	}
	from, _ := time.Parse(time.DateOnly, q.From.First())
	to, _ := time.Parse(time.DateOnly, q.To.Last())
	var starts []time.Time
	for at := from; !at.After(to); at = at.AddDate(0, 0, q.Step) {
		if len(starts) == MaxSeriesWindows {
			return nil, stancegraph.FieldErrorf("step", "the series has more than %d windows: widen step or narrow from and to", MaxSeriesWindows)
		}
		starts = append(starts, at)
	}
	return starts, nil
}

// NetworkSeries computes one actor network per window of q: the positions
// that may have been stated in the window (stancegraph.DateWindow with the
// window's first and last day as from and to) make the window's network.
// It reads the positions once and honours ctx between windows.
func NetworkSeries(ctx context.Context, s stancegraph.Store, q SeriesQuery) ([]*NetworkWindow, error) {
	starts, err := SeriesWindows(q)
	if err != nil {
		return nil, err
	}
	sc, err := scopeOf(ctx, s, &q.Mode, q.Normalization, q.Filter, q.Limit)
	if err != nil {
		return nil, err
	}
	norm, actors, targets := sc.norm, sc.actors, sc.targets
	last := starts[len(starts)-1].AddDate(0, 0, q.Window-1)
	all, err := positionsIn(ctx, s, actors, targets, Window{From: q.From, To: stancegraph.Date(last.Format(time.DateOnly))})
	if err != nil {
		return nil, err
	}
	out := make([]*NetworkWindow, 0, len(starts))
	for _, start := range starts {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		w := Window{From: stancegraph.Date(start.Format(time.DateOnly)), To: stancegraph.Date(start.AddDate(0, 0, q.Window-1).Format(time.DateOnly))}
		var ps []*stancegraph.Position
		for _, p := range all {
			if w.Keeps(p.Stated()) {
				ps = append(ps, p)
			}
		}
		ps, actorCount := mostActive(ps, q.Limit)
		net, err := buildNetwork(ctx, ps, q.Mode, norm)
		if err != nil {
			return nil, err
		}
		net.Actors, net.Truncated = actorCount, actorCount > len(net.Nodes)
		nw := &NetworkWindow{From: w.From, To: w.To, Network: net, Size: len(net.Nodes), Edges: len(net.Edges)}
		if nw.Size > 1 {
			nw.Density = float64(nw.Edges) / (float64(nw.Size) * float64(nw.Size-1) / 2)
		}
		cong := net
		if q.Mode != ModeCongruence {
			if cong, err = buildNetwork(ctx, ps, ModeCongruence, norm); err != nil {
				return nil, err
			}
		}
		part, err := partition(ctx, cong, DefaultResolution)
		if err != nil {
			return nil, err
		}
		if nw.Modularity = part.Modularity; nw.Modularity == 0 {
			nw.Modularity = 0 // not -0
		}
		out = append(out, nw)
	}
	return out, nil
}
