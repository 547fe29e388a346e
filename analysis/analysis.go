// Package analysis answers the research questions of stancegraph over any
// stancegraph.Store: how two actors align, the one-mode actor network of
// congruence and conflict, the coalitions in it, the shortest connections
// between two nodes and the neighbourhood of one. It is the one place for
// the math; the stores only return positions and relations, in batches.
//
// The scores follow discourse network analysis (Leifeld's Discourse
// Network Analyzer): an actor's statements are the set of (target, stance)
// pairs it holds in a time window; two actors are congruent on the pairs
// they share and in conflict on the targets where they hold opposite
// stances.
package analysis

import (
	"context"
	"fmt"
	"io"
	"strconv"

	"github.com/stancegraph/stancegraph"
)

// Limits on the arguments of the analyses.
const (
	MaxHops           = 6
	DefaultHops       = 4
	MaxPaths          = 100
	DefaultPaths      = 10
	MaxDepth          = 3
	DefaultDepth      = 1
	MaxNeighborhood   = 1000
	DefaultNeighbors  = 100
	MaxFilterIDs      = 500
	MaxFilterTopics   = 50
	MaxNetworkActors  = 1000
	DefaultActors     = 200
	MaxResolution     = 100.0
	DefaultResolution = 1.0
)

// Window bounds the statedAt of the positions an analysis counts, with
// interval semantics: see stancegraph.DateWindow. Zero fields do not bound.
type Window = stancegraph.DateWindow

// Normalization scales congruence and conflict by the sizes of the two
// actors' sets of (target, stance) pairs, A and B.
type Normalization string

const (
	// NormNone gives raw counts.
	NormNone Normalization = "NONE"
	// NormAverage divides by (|A|+|B|)/2.
	NormAverage Normalization = "AVERAGE"
	// NormJaccard divides by |A ∪ B|.
	NormJaccard Normalization = "JACCARD"
	// NormCosine divides by sqrt(|A|·|B|).
	NormCosine Normalization = "COSINE"
)

// Normalizations lists every normalization.
var Normalizations = []Normalization{NormNone, NormAverage, NormJaccard, NormCosine}

// NetworkMode says what the edges of an actor network weigh.
type NetworkMode string

const (
	ModeCongruence NetworkMode = "CONGRUENCE"
	ModeConflict   NetworkMode = "CONFLICT"
	// ModeSubtract weighs congruence minus conflict, each normalised.
	ModeSubtract NetworkMode = "SUBTRACT"
)

// NetworkModes lists every mode.
var NetworkModes = []NetworkMode{ModeCongruence, ModeConflict, ModeSubtract}

// EdgeType is the type of an edge of the graph: a stance (SUPPORTS,
// OPPOSES) or a relation type.
type EdgeType string

// EdgeTypes lists every edge type: the stances, then the relation types.
var EdgeTypes = func() []EdgeType {
	out := []EdgeType{EdgeType(stancegraph.Supports), EdgeType(stancegraph.Opposes)}
	for _, t := range stancegraph.RelTypes {
		out = append(out, EdgeType(t))
	}
	return out
}()

// IsStance reports whether t is SUPPORTS or OPPOSES.
func (t EdgeType) IsStance() bool { return stancegraph.Stance(t).Valid() }

// Direction says whether an edge of a path points along the walk.
type Direction string

const (
	// Forward: the edge points from the step's start to its end.
	Forward Direction = "FORWARD"
	// Backward: the edge points from the step's end to its start.
	Backward Direction = "BACKWARD"
)

// Directions lists both directions.
var Directions = []Direction{Forward, Backward}

func (n Normalization) MarshalGQL(w io.Writer) { quote(w, string(n)) }
func (n *Normalization) UnmarshalGQL(v any) (err error) {
	*n, err = parseEnum("Normalization", Normalizations, v)
	return err
}
func (m NetworkMode) MarshalGQL(w io.Writer) { quote(w, string(m)) }
func (m *NetworkMode) UnmarshalGQL(v any) (err error) {
	*m, err = parseEnum("NetworkMode", NetworkModes, v)
	return err
}
func (t EdgeType) MarshalGQL(w io.Writer) { quote(w, string(t)) }
func (t *EdgeType) UnmarshalGQL(v any) (err error) {
	*t, err = parseEnum("EdgeType", EdgeTypes, v)
	return err
}
func (d Direction) MarshalGQL(w io.Writer) { quote(w, string(d)) }
func (d *Direction) UnmarshalGQL(v any) (err error) {
	*d, err = parseEnum("EdgeDirection", Directions, v)
	return err
}

func quote(w io.Writer, s string) { _, _ = io.WriteString(w, strconv.Quote(s)) }

func parseEnum[T ~string](name string, valid []T, v any) (T, error) {
	s, ok := v.(string)
	if ok {
		for _, x := range valid {
			if string(x) == s {
				return x, nil
			}
		}
	}
	return "", stancegraph.Errorf(stancegraph.EINVALID, "%v is not a valid %s (valid: %v)", v, name, valid)
}

func validNorm(n Normalization) (Normalization, error) {
	if n == "" {
		return NormNone, nil
	}
	if _, err := parseEnum("Normalization", Normalizations, string(n)); err != nil {
		return "", stancegraph.FieldErrorf("normalization", "%q is not a valid normalization", n)
	}
	return n, nil
}

// checkIDs checks a filter list of entity ids.
func checkIDs(field string, ids []string, max int) error {
	if len(ids) > max {
		return stancegraph.FieldErrorf(field, "%s has %d entries, more than the %d allowed", field, len(ids), max)
	}
	for _, id := range ids {
		if err := stancegraph.ValidateID(field, id); err != nil {
			return err
		}
	}
	return nil
}

// ctxErr is the error of a finished context: UNAVAILABLE, as the store
// reports a request cancelled or timed out, wrapping the cause so that
// errors.Is(err, context.DeadlineExceeded) holds. It is nil while ctx runs.
func ctxErr(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%w: %w", stancegraph.Errorf(stancegraph.EUNAVAILABLE, "request cancelled or timed out"), err)
	}
	return nil
}

// ctxCheckEvery is how many iterations of a tight loop run between two
// looks at the context.
const ctxCheckEvery = 64
