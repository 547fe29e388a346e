package analysis

import (
	"context"
	"math"
	"math/bits"
	"slices"

	"github.com/stancegraph/stancegraph"
)

// A stance mask holds the stances an actor takes on one target: an actor
// may hold both, stated in different documents.
const (
	supportsBit uint8 = 1 << iota
	opposesBit
)

func stanceBit(s stancegraph.Stance) uint8 {
	if s == stancegraph.Opposes {
		return opposesBit
	}
	return supportsBit
}

// agree counts the (target, stance) pairs two masks on one target share.
func agree(a, b uint8) int { return bits.OnesCount8(a & b) }

// clash reports whether two masks on one target hold opposite stances.
func clash(a, b uint8) bool {
	return a&supportsBit != 0 && b&opposesBit != 0 || a&opposesBit != 0 && b&supportsBit != 0
}

// normalize scales a raw count x of two actors whose statement sets have
// sizes na and nb and share congruent pairs:
//
//	NONE     x
//	AVERAGE  x / ((|A|+|B|)/2)
//	JACCARD  x / |A ∪ B|, with |A ∪ B| = |A| + |B| − |A ∩ B|
//	COSINE   x / sqrt(|A|·|B|)
//
// A zero denominator gives 0.
func normalize(n Normalization, x, na, nb, congruent int) float64 {
	var d float64
	switch n {
	case NormAverage:
		d = float64(na+nb) / 2
	case NormJaccard:
		d = float64(na + nb - congruent)
	case NormCosine:
		d = math.Sqrt(float64(na) * float64(nb))
	default:
		return float64(x)
	}
	if d == 0 {
		return 0
	}
	return float64(x) / d
}

// targetSet resolves the targets and topics of a filter to the set of
// target ids they allow: nil when neither is given (every target), else
// the targets (if given) that have one of the topics (if given).
// Errors name the arguments with prefix, e.g. "filter.".
func targetSet(ctx context.Context, s stancegraph.Store, prefix string, targets, topics []string) ([]string, error) {
	if err := checkIDs(prefix+"targets", targets, MaxFilterIDs); err != nil {
		return nil, err
	}
	if len(topics) > MaxFilterTopics {
		return nil, stancegraph.FieldErrorf(prefix+"topics", "%stopics has %d entries, more than the %d allowed", prefix, len(topics), MaxFilterTopics)
	}
	if len(targets) == 0 && len(topics) == 0 {
		return nil, nil
	}
	out := slices.Clone(targets)
	if len(topics) > 0 {
		onTopic := map[string]bool{}
		for _, topic := range topics {
			for offset := 0; ; offset += stancegraph.MaxPageSize {
				es, total, err := s.FindEntities(ctx, stancegraph.EntityFilter{Kinds: []stancegraph.Kind{stancegraph.KindPolicyProposal},
					Topic: topic, OrderBy: stancegraph.OrderIDAsc, Offset: offset, Limit: stancegraph.MaxPageSize})
				if err != nil {
					return nil, err
				}
				for _, e := range es {
					onTopic[e.ID] = true
				}
				if offset+len(es) >= total || len(es) == 0 {
					break
				}
			}
		}
		if len(targets) == 0 {
			out = make([]string, 0, len(onTopic))
			for id := range onTopic {
				out = append(out, id)
			}
		} else {
			out = slices.DeleteFunc(out, func(id string) bool { return !onTopic[id] })
		}
	}
	slices.Sort(out)
	out = slices.Compact(out)
	if out == nil {
		out = []string{}
	}
	return out, nil
}

// positionsIn returns the positions of the actors (all when nil) on the
// targets (all when nil) stated in [from, to], in batches the store takes.
func positionsIn(ctx context.Context, s stancegraph.Store, actors, targets []string, w Window) ([]*stancegraph.Position, error) {
	if targets != nil && len(targets) == 0 {
		return nil, nil
	}
	f := stancegraph.PositionFilter{ActorIDs: actors, From: w.From, To: w.To, AsOf: w.AsOf}
	if targets == nil {
		return s.Positions(ctx, f)
	}
	var out []*stancegraph.Position
	for start := 0; start < len(targets); start += stancegraph.MaxBatchIDs {
		f.TargetIDs = targets[start:min(start+stancegraph.MaxBatchIDs, len(targets))]
		ps, err := s.Positions(ctx, f)
		if err != nil {
			return nil, err
		}
		out = append(out, ps...)
	}
	return out, nil
}
