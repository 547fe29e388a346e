package analysis

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/stancegraph/stancegraph"
	"gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/community"
)

// louvainSeed seeds the random source of community detection, so that the
// same graph always gives the same coalitions.
const louvainSeed = 20251213

// CoalitionQuery asks for the coalitions of a congruence network.
type CoalitionQuery struct {
	Filter        NetworkFilter
	Normalization Normalization
	Window        Window
	// Resolution is γ of the modularity: above 0, at most MaxResolution.
	Resolution float64
	// Limit keeps the most active actors, as in NetworkQuery.
	Limit int
}

// CoalitionResult is a partition of the actors of a congruence network.
type CoalitionResult struct {
	// Modularity is Q of the partition at the query's resolution, to 12
	// decimals; 0 for a network without edges.
	Modularity float64
	Resolution float64
	Coalitions []*Coalition
	// Actors and Truncated are those of the network partitioned.
	Actors    int
	Truncated bool
}

// Coalition is a group of actors found by community detection: largest
// first, then by first member.
type Coalition struct {
	ID        int
	MemberIDs []string
	// Shared lists the (target, stance) pairs at least two members hold,
	// most held first.
	Shared []*SharedStance
}

// SharedStance is a (target, stance) pair held by several members of a
// coalition.
type SharedStance struct {
	TargetID  string
	Stance    stancegraph.Stance
	HolderIDs []string
}

// Coalitions runs Louvain community detection (gonum) on the congruence
// network of q and describes each community.
func Coalitions(ctx context.Context, s stancegraph.Store, q CoalitionQuery) (*CoalitionResult, error) {
	res := q.Resolution
	if !(res > 0 && res <= MaxResolution) {
		return nil, stancegraph.FieldErrorf("resolution", "resolution must be greater than 0 and at most %g", MaxResolution)
	}
	net, err := Network(ctx, s, NetworkQuery{Filter: q.Filter, Mode: ModeCongruence, Normalization: q.Normalization, Window: q.Window, Limit: q.Limit})
	if err != nil {
		return nil, err
	}
	out, err := partition(ctx, net, res)
	if err != nil {
		return nil, err
	}
	out.Actors, out.Truncated = net.Actors, net.Truncated
	return out, nil
}

// partition splits a congruence network into coalitions.
// Louvain (gonum) takes no context: the graph it walks stops it when ctx
// ends.
func partition(ctx context.Context, net *ActorNetwork, resolution float64) (*CoalitionResult, error) {
	n := len(net.Nodes)
	g := newWGraph(n)
	g.checkCtx(ctx)
	for _, e := range net.Edges {
		g.addEdge(int64(e.a), int64(e.b), e.Weight)
	}
	g.sortAdjacency()
	out := &CoalitionResult{Resolution: resolution, Coalitions: []*Coalition{}}
	var groups [][]int
	if len(net.Edges) == 0 {
		for i := range n {
			groups = append(groups, []int{i})
		}
	} else {
		var comms [][]graph.Node
		if err := runStoppable(ctx, func() {
			comms = community.Modularize(g, resolution, rand.NewPCG(louvainSeed, louvainSeed)).Communities()
			// Rounded, so that the noise of float sums does not show as
			// 1e-17 for a partition of modularity 0.
			out.Modularity = math.Round(community.Q(g, comms, resolution)*1e12) / 1e12
		}); err != nil {
			return nil, err
		}
		for _, c := range comms {
			members := make([]int, len(c))
			for i, nd := range c {
				members[i] = int(nd.ID())
			}
			groups = append(groups, members)
		}
	}
	for _, members := range groups {
		slices.Sort(members)
	}
	// Node indexes follow actor id order, so sorting indexes sorts ids.
	slices.SortFunc(groups, func(a, b []int) int {
		if len(a) != len(b) {
			return len(b) - len(a)
		}
		return a[0] - b[0]
	})
	for i, members := range groups {
		if err := ctxErr(ctx); err != nil {
			return nil, err
		}
		c := &Coalition{ID: i + 1, MemberIDs: make([]string, len(members)), Shared: []*SharedStance{}}
		holders := map[[2]int32][]int32{} // (target, stance bit) -> members
		for j, m := range members {
			c.MemberIDs[j] = net.Nodes[m].ActorID
			for _, tm := range net.targets[m] {
				for _, bit := range []uint8{supportsBit, opposesBit} {
					if tm.mask&bit != 0 {
						k := [2]int32{tm.target, int32(bit)}
						holders[k] = append(holders[k], int32(m))
					}
				}
			}
		}
		for k, hs := range holders {
			if len(hs) < 2 {
				continue
			}
			st := stancegraph.Supports
			if uint8(k[1]) == opposesBit {
				st = stancegraph.Opposes
			}
			ids := make([]string, len(hs))
			for j, h := range hs {
				ids[j] = net.Nodes[h].ActorID
			}
			c.Shared = append(c.Shared, &SharedStance{TargetID: net.names[k[0]], Stance: st, HolderIDs: ids})
		}
		slices.SortFunc(c.Shared, func(a, b *SharedStance) int {
			if len(a.HolderIDs) != len(b.HolderIDs) {
				return len(b.HolderIDs) - len(a.HolderIDs)
			}
			if c := strings.Compare(a.TargetID, b.TargetID); c != 0 {
				return c
			}
			return strings.Compare(string(a.Stance), string(b.Stance))
		})
		out.Coalitions = append(out.Coalitions, c)
	}
	return out, nil
}

// Size is the number of members.
func (c *Coalition) Size() int { return len(c.MemberIDs) }
