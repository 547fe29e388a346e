package dataset

import (
	"context"
	"slices"
	"strings"

	"github.com/stancegraph/stancegraph"
)

// Filter selects the part of a graph to export. Zero fields do not filter;
// the zero Filter exports everything.
type Filter struct {
	// Targets keeps the positions on these proposals or programs.
	Targets []string
	// Topics keeps the positions on proposals with any of these topics.
	Topics []string
	// From and To keep the positions that may have been stated in this
	// window: interval semantics, see stancegraph.DateWindow.
	From, To stancegraph.Date
}

// IsZero reports whether f selects everything.
func (f Filter) IsZero() bool {
	return len(f.Targets) == 0 && len(f.Topics) == 0 && f.From == "" && f.To == ""
}

// Validate checks the filter.
func (f Filter) Validate() error {
	for _, id := range f.Targets {
		if err := stancegraph.ValidateID("targets", id); err != nil {
			return err
		}
	}
	for _, t := range f.Topics {
		if t == "" || len(t) > 64 {
			return stancegraph.FieldErrorf("topics", "topic %q is empty or too long", t)
		}
	}
	return stancegraph.DateWindow{From: f.From, To: f.To}.Validate()
}

// Export reads the graph f selects out of s. Unfiltered, it is the whole
// graph; filtered, it is the positions that match, with the targets named,
// the entities the positions connect and the relations among all of them.
// Entities come ordered by id, relations by type, from and to, positions
// by statedAt and id, so that exporting the same graph twice gives the
// same bytes.
func Export(ctx context.Context, s stancegraph.Store, f Filter) (*stancegraph.Graph, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	g := &stancegraph.Graph{}
	if f.IsZero() {
		for offset := 0; ; offset += stancegraph.MaxPageSize {
			page, total, err := s.FindEntities(ctx, stancegraph.EntityFilter{OrderBy: stancegraph.OrderIDAsc, Offset: offset, Limit: stancegraph.MaxPageSize})
			if err != nil {
				return nil, err
			}
			g.Entities = append(g.Entities, page...)
			if len(page) == 0 || offset+len(page) >= total {
				break
			}
		}
		rels, err := s.Relations(ctx, stancegraph.RelationFilter{Types: stancegraph.RelTypes})
		if err != nil {
			return nil, err
		}
		ps, err := s.Positions(ctx, stancegraph.PositionFilter{})
		if err != nil {
			return nil, err
		}
		g.Relations, g.Positions = rels, ps
		return g, nil
	}

	targets := slices.Clone(f.Targets)
	for _, topic := range f.Topics {
		for offset := 0; ; offset += stancegraph.MaxPageSize {
			page, total, err := s.FindEntities(ctx, stancegraph.EntityFilter{Kinds: []stancegraph.Kind{stancegraph.KindPolicyProposal},
				Topic: topic, OrderBy: stancegraph.OrderIDAsc, Offset: offset, Limit: stancegraph.MaxPageSize})
			if err != nil {
				return nil, err
			}
			for _, e := range page {
				targets = append(targets, e.ID)
			}
			if len(page) == 0 || offset+len(page) >= total {
				break
			}
		}
	}
	slices.Sort(targets)
	targets = slices.Compact(targets)
	if (len(f.Targets) > 0 || len(f.Topics) > 0) && len(targets) == 0 {
		return g, nil // topics no proposal has
	}
	ps, err := s.Positions(ctx, stancegraph.PositionFilter{TargetIDs: targets, From: f.From, To: f.To})
	if err != nil {
		return nil, err
	}
	g.Positions = ps
	keep := map[string]bool{}
	ids := slices.Clone(targets)
	for _, p := range ps {
		ids = append(ids, p.ActorID, p.TargetID, p.SourceID)
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	for start := 0; start < len(ids); start += stancegraph.MaxBatchIDs {
		batch := ids[start:min(start+stancegraph.MaxBatchIDs, len(ids))]
		es, err := s.Entities(ctx, batch)
		if err != nil {
			return nil, err
		}
		for _, e := range es {
			if e != nil {
				g.Entities = append(g.Entities, e)
				keep[e.ID] = true
			}
		}
	}
	kept := make([]string, 0, len(keep))
	for _, e := range g.Entities {
		kept = append(kept, e.ID)
	}
	for start := 0; start < len(kept); start += stancegraph.MaxBatchIDs {
		rels, err := s.Relations(ctx, stancegraph.RelationFilter{FromIDs: kept[start:min(start+stancegraph.MaxBatchIDs, len(kept))]})
		if err != nil {
			return nil, err
		}
		for _, r := range rels {
			if keep[r.To] {
				g.Relations = append(g.Relations, r)
			}
		}
	}
	slices.SortFunc(g.Relations, func(a, b *stancegraph.Relation) int {
		switch {
		case a.Type != b.Type:
			return strings.Compare(string(a.Type), string(b.Type))
		case a.From != b.From:
			return strings.Compare(a.From, b.From)
		}
		return strings.Compare(a.To, b.To)
	})
	return g, nil
}
