package graph

import (
	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/graph/model"
)

// MaxImportBatch bounds the entries of one importGraph call; larger loads
// go in several calls (stancegraph import --endpoint does).
const MaxImportBatch = 5000

// graphOf turns the input of importGraph into a graph, refusing one larger
// than MaxImportBatch.
func graphOf(in model.GraphInput) (*stancegraph.Graph, error) {
	if n := len(in.Entities) + len(in.Relations) + len(in.Positions); n > MaxImportBatch {
		return nil, stancegraph.FieldErrorf("input", "%d entries is more than the %d one importGraph takes: send them in batches", n, MaxImportBatch)
	}
	g := &stancegraph.Graph{
		Entities:  make([]*stancegraph.Entity, len(in.Entities)),
		Relations: make([]*stancegraph.Relation, len(in.Relations)),
		Positions: make([]*stancegraph.Position, len(in.Positions)),
	}
	for i, e := range in.Entities {
		if e == nil {
			return nil, stancegraph.FieldErrorf("entities", "entities[%d] is null", i)
		}
		g.Entities[i] = &stancegraph.Entity{ID: e.ID, Kind: e.Kind, Name: e.Name, Aliases: e.Aliases, ExternalIDs: externalIDs(e.ExternalIds),
			Description: orZero(e.Description), URL: orZero(e.URL), Country: orZero(e.Country), Summary: orZero(e.Summary),
			Topics: e.Topics, SourceKind: orZero(e.SourceKind), Publisher: orZero(e.Publisher),
			PublishedAt: orZero(e.PublishedAt), PublishedAtQualifier: orZero(e.PublishedAtQualifier), Author: orZero(e.Author)}
	}
	for i, r := range in.Relations {
		if r == nil {
			return nil, stancegraph.FieldErrorf("relations", "relations[%d] is null", i)
		}
		g.Relations[i] = &stancegraph.Relation{Type: r.Type, From: r.From, To: r.To, Role: orZero(r.Role), Title: orZero(r.Title),
			SourceID: orZero(r.Source), Quote: orZero(r.Quote), StatedAt: orZero(r.StatedAt), StatedAtQualifier: orZero(r.StatedAtQualifier)}
	}
	for i, p := range in.Positions {
		if p == nil {
			return nil, stancegraph.FieldErrorf("positions", "positions[%d] is null", i)
		}
		strength, err := strengthOf(p.Strength)
		if err != nil {
			return nil, stancegraph.FieldErrorf("positions", "positions[%d]: %s", i, stancegraph.ErrorMessage(err))
		}
		g.Positions[i] = &stancegraph.Position{ActorID: p.Actor, TargetID: p.Target, Stance: p.Stance,
			Strength: strength, Quote: p.Quote, SourceID: p.Source, StatedAt: p.StatedAt,
			StatedAtQualifier: orZero(p.StatedAtQualifier), Condition: orZero(p.Condition)}
	}
	return g, nil
}

// orZero returns *p, or the zero value for nil.
func orZero[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// strengthOf reads an optional strength argument. The domain represents
// "not given" as 0, which the stores and ingest.Check turn into the
// default 1; so a strength given as 0 is refused here, where "not given"
// (null) and 0 still differ.
func strengthOf(p *int) (int, error) {
	if p == nil {
		return 0, nil
	}
	if *p == 0 {
		return 0, stancegraph.FieldErrorf("strength", "strength must be 1 or 2, not 0 (leave it out for 1)")
	}
	return *p, nil
}
