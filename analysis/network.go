package analysis

import (
	"context"
	"slices"
	"sort"
	"strings"

	"github.com/stancegraph/stancegraph"
)

// NetworkFilter restricts the positions an actor network counts. Entries
// of one list are alternatives; lists combine with AND.
type NetworkFilter struct {
	Targets []string
	Topics  []string
	Actors  []string
}

// NetworkQuery asks for a one-mode actor network.
type NetworkQuery struct {
	Filter        NetworkFilter
	Mode          NetworkMode
	Normalization Normalization
	Window        Window
	// Limit keeps the Limit most active actors (most statements, then by
	// id): 1 to MaxNetworkActors. It bounds the network, whose edges grow
	// with the square of its nodes.
	Limit int
}

// ActorNetwork is the one-mode network of the actors that hold positions
// in a window: an edge joins two actors whose weight, in the network's
// mode, is not zero.
type ActorNetwork struct {
	Mode          NetworkMode
	Normalization Normalization
	Nodes         []*NetworkNode
	Edges         []*NetworkEdge
	// Actors counts the actors with positions in the window, before
	// Limit; Truncated says Limit left some out.
	Actors    int
	Truncated bool

	// targets[i] holds the stance mask of node i on each target it takes
	// a stance on, sorted by target, so an edge finds its targets lazily.
	targets [][]targetMask
	names   []string
}

// NetworkNode is an actor of a network.
type NetworkNode struct {
	ActorID string
	// Statements is |A|: how many (target, stance) pairs the actor holds.
	Statements int
	// Positions counts the positions, the pieces of evidence, behind them.
	Positions int
}

// NetworkEdge joins two actors, AID < BID. Congruence and Conflict are
// the raw counts; Weight is the edge's value in the network's mode.
type NetworkEdge struct {
	AID, BID   string
	Weight     float64
	Congruence int
	Conflict   int

	net  *ActorNetwork
	a, b int32
}

// targetMask is a stance mask on a target or, in byTarget lists, of an
// actor: target then holds the actor's index.
type targetMask struct {
	target int32
	mask   uint8
}

// TargetIDs returns the targets behind an edge: those where the two
// actors agree (CONGRUENCE), clash (CONFLICT) or either (SUBTRACT).
func (e *NetworkEdge) TargetIDs() []string {
	ta, tb := e.net.targets[e.a], e.net.targets[e.b]
	out := []string{}
	for i, j := 0, 0; i < len(ta) && j < len(tb); {
		switch {
		case ta[i].target < tb[j].target:
			i++
		case ta[i].target > tb[j].target:
			j++
		default:
			ma, mb := ta[i].mask, tb[j].mask
			ag, cl := agree(ma, mb) > 0, clash(ma, mb)
			if e.net.Mode == ModeCongruence && ag || e.net.Mode == ModeConflict && cl || e.net.Mode == ModeSubtract && (ag || cl) {
				out = append(out, e.net.names[ta[i].target])
			}
			i++
			j++
		}
	}
	return out
}

// scope is what a network and a series of networks check and read alike.
type scope struct {
	norm    Normalization
	actors  []string // nil: every actor
	targets []string
}

// scopeOf checks the mode (defaulting it to congruence), normalisation,
// actor filter and limit of a network query, and resolves its targets.
func scopeOf(ctx context.Context, s stancegraph.Store, mode *NetworkMode, normalization Normalization, f NetworkFilter, limit int) (scope, error) {
	var sc scope
	if *mode == "" {
		*mode = ModeCongruence
	}
	if _, err := parseEnum("NetworkMode", NetworkModes, string(*mode)); err != nil {
		return sc, stancegraph.FieldErrorf("mode", "%q is not a valid mode", *mode)
	}
	var err error
	if sc.norm, err = validNorm(normalization); err != nil {
		return sc, err
	}
	if err := checkIDs("filter.actors", f.Actors, MaxFilterIDs); err != nil {
		return sc, err
	}
	if limit < 1 || limit > MaxNetworkActors {
		return sc, stancegraph.FieldErrorf("limit", "limit must be between 1 and %d", MaxNetworkActors)
	}
	if sc.targets, err = targetSet(ctx, s, "filter.", f.Targets, f.Topics); err != nil {
		return sc, err
	}
	if len(f.Actors) > 0 {
		sc.actors = uniqueIDs(f.Actors...)
	}
	return sc, nil
}

// Network computes the actor network of q.
func Network(ctx context.Context, s stancegraph.Store, q NetworkQuery) (*ActorNetwork, error) {
	if err := q.Window.Validate(); err != nil {
		return nil, err
	}
	sc, err := scopeOf(ctx, s, &q.Mode, q.Normalization, q.Filter, q.Limit)
	if err != nil {
		return nil, err
	}
	norm, actors, targets := sc.norm, sc.actors, sc.targets
	ps, err := positionsIn(ctx, s, actors, targets, q.Window)
	if err != nil {
		return nil, err
	}
	if err := ctxErr(ctx); err != nil {
		return nil, err
	}
	ps, actorCount := mostActive(ps, q.Limit)
	net, err := buildNetwork(ctx, ps, q.Mode, norm)
	if err != nil {
		return nil, err
	}
	net.Actors, net.Truncated = actorCount, actorCount > len(net.Nodes)
	return net, nil
}

// mostActive keeps the positions of the limit actors with the most
// statements, ties by id, and returns them with the number of actors in ps.
func mostActive(ps []*stancegraph.Position, limit int) ([]*stancegraph.Position, int) {
	type key struct{ actor, target string }
	masks := make(map[key]uint8, len(ps))
	for _, p := range ps {
		masks[key{p.ActorID, p.TargetID}] |= stanceBit(p.Stance)
	}
	statements := map[string]int{}
	for k, m := range masks {
		statements[k.actor] += agree(m, m)
	}
	if len(statements) <= limit {
		return ps, len(statements)
	}
	ids := make([]string, 0, len(statements))
	for id := range statements {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b string) int {
		if statements[a] != statements[b] {
			return statements[b] - statements[a]
		}
		return strings.Compare(a, b)
	})
	keep := make(map[string]bool, limit)
	for _, id := range ids[:limit] {
		keep[id] = true
	}
	kept := make([]*stancegraph.Position, 0, len(ps))
	for _, p := range ps {
		if keep[p.ActorID] {
			kept = append(kept, p)
		}
	}
	return kept, len(statements)
}

// buildNetwork computes the network of the positions ps. Its cost is the
// number of positions plus, for each target, the square of the number of
// actors on it: each actor's row is accumulated into a dense array, the
// classic sparse product, with no map in the inner loop.
func buildNetwork(ctx context.Context, ps []*stancegraph.Position, mode NetworkMode, norm Normalization) (*ActorNetwork, error) {
	actorIdx, actorIDs := indexIDs(ps, func(p *stancegraph.Position) string { return p.ActorID })
	targetIdx, targetIDs := indexIDs(ps, func(p *stancegraph.Position) string { return p.TargetID })
	n := len(actorIDs)
	net := &ActorNetwork{Mode: mode, Normalization: norm, Nodes: make([]*NetworkNode, n), Edges: []*NetworkEdge{},
		targets: make([][]targetMask, n), names: targetIDs}
	for i, id := range actorIDs {
		net.Nodes[i] = &NetworkNode{ActorID: id}
	}
	// Stance masks per actor and target; positions are evidence, the
	// masks are the statements.
	masks := make(map[[2]int32]uint8, len(ps))
	for _, p := range ps {
		k := [2]int32{actorIdx[p.ActorID], targetIdx[p.TargetID]}
		masks[k] |= stanceBit(p.Stance)
		net.Nodes[k[0]].Positions++
	}
	byTarget := make([][]targetMask, len(targetIDs)) // the actors on each target, with their masks
	for k, m := range masks {
		net.targets[k[0]] = append(net.targets[k[0]], targetMask{k[1], m})
		net.Nodes[k[0]].Statements += agree(m, m)
		byTarget[k[1]] = append(byTarget[k[1]], targetMask{k[0], m})
	}
	byIndex := func(a, b targetMask) int { return int(a.target - b.target) }
	for i := range net.targets {
		slices.SortFunc(net.targets[i], byIndex)
	}
	for t := range byTarget {
		slices.SortFunc(byTarget[t], byIndex)
	}
	cong := make([]int32, n)
	conf := make([]int32, n)
	var touched []int32
	for a := range int32(n) {
		if a%ctxCheckEvery == 0 {
			if err := ctxErr(ctx); err != nil {
				return nil, err
			}
		}
		touched = touched[:0]
		for _, tm := range net.targets[a] {
			others := byTarget[tm.target]
			start := sort.Search(len(others), func(i int) bool { return others[i].target > a })
			for _, o := range others[start:] {
				b, mb := o.target, o.mask
				c, x := int32(agree(tm.mask, mb)), int32(0)
				if clash(tm.mask, mb) {
					x = 1
				}
				if c == 0 && x == 0 {
					continue
				}
				if cong[b] == 0 && conf[b] == 0 {
					touched = append(touched, b)
				}
				cong[b] += c
				conf[b] += x
			}
		}
		slices.Sort(touched)
		na := net.Nodes[a].Statements
		for _, b := range touched {
			nb := net.Nodes[b].Statements
			c, x := int(cong[b]), int(conf[b])
			cong[b], conf[b] = 0, 0
			var w float64
			switch mode {
			case ModeCongruence:
				w = normalize(norm, c, na, nb, c)
			case ModeConflict:
				w = normalize(norm, x, na, nb, c)
			default:
				w = normalize(norm, c, na, nb, c) - normalize(norm, x, na, nb, c)
			}
			if w == 0 {
				continue
			}
			net.Edges = append(net.Edges, &NetworkEdge{AID: actorIDs[a], BID: actorIDs[b], Weight: w, Congruence: c, Conflict: x, net: net, a: a, b: b})
		}
	}
	return net, nil
}

// indexIDs numbers the distinct keys of ps in sorted order.
func indexIDs(ps []*stancegraph.Position, key func(*stancegraph.Position) string) (map[string]int32, []string) {
	idx := map[string]int32{}
	for _, p := range ps {
		idx[key(p)] = 0
	}
	ids := make([]string, 0, len(idx))
	for id := range idx {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for i, id := range ids {
		idx[id] = int32(i)
	}
	return idx, ids
}
