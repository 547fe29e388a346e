package graph

import (
	"context"
	"net/http"
	"time"

	"github.com/stancegraph/stancegraph"
	"github.com/vikstrous/dataloadgen"
)

// loaderWait is how long a loader gathers keys before it fetches. Short,
// because the embedded store answers in microseconds.
const loaderWait = 2 * time.Millisecond

// Loaders batch the store reads of one request, so that a query costs one
// store call per nesting level rather than one per object.
type Loaders struct {
	Entity            *dataloadgen.Loader[string, *stancegraph.Entity]
	PositionsByActor  *dataloadgen.Loader[string, []*stancegraph.Position]
	PositionsByTarget *dataloadgen.Loader[string, []*stancegraph.Position]
	PositionsBySource *dataloadgen.Loader[string, []*stancegraph.Position]
	RelationsFrom     *dataloadgen.Loader[string, []*stancegraph.Relation]
	RelationsTo       *dataloadgen.Loader[string, []*stancegraph.Relation]
}

// NewLoaders returns fresh loaders over s; they cache for their lifetime,
// which is one request.
func NewLoaders(s stancegraph.Store) *Loaders {
	opts := []dataloadgen.Option{dataloadgen.WithWait(loaderWait), dataloadgen.WithBatchCapacity(stancegraph.MaxBatchIDs)}
	positionsBy := func(set func(*stancegraph.PositionFilter, []string), key func(*stancegraph.Position) string) *dataloadgen.Loader[string, []*stancegraph.Position] {
		return dataloadgen.NewMappedLoader(func(ctx context.Context, ids []string) (map[string][]*stancegraph.Position, error) {
			var f stancegraph.PositionFilter
			set(&f, ids)
			ps, err := s.Positions(ctx, f)
			return groupBy(ids, ps, key), err
		}, opts...)
	}
	relationsBy := func(set func(*stancegraph.RelationFilter, []string), key func(*stancegraph.Relation) string) *dataloadgen.Loader[string, []*stancegraph.Relation] {
		return dataloadgen.NewMappedLoader(func(ctx context.Context, ids []string) (map[string][]*stancegraph.Relation, error) {
			var f stancegraph.RelationFilter
			set(&f, ids)
			rs, err := s.Relations(ctx, f)
			return groupBy(ids, rs, key), err
		}, opts...)
	}
	return &Loaders{
		Entity: dataloadgen.NewLoader(func(ctx context.Context, ids []string) ([]*stancegraph.Entity, []error) {
			es, err := s.Entities(ctx, ids)
			if err != nil {
				return nil, []error{err}
			}
			return es, nil
		}, opts...),
		PositionsByActor:  positionsBy(func(f *stancegraph.PositionFilter, ids []string) { f.ActorIDs = ids }, func(p *stancegraph.Position) string { return p.ActorID }),
		PositionsByTarget: positionsBy(func(f *stancegraph.PositionFilter, ids []string) { f.TargetIDs = ids }, func(p *stancegraph.Position) string { return p.TargetID }),
		PositionsBySource: positionsBy(func(f *stancegraph.PositionFilter, ids []string) { f.SourceIDs = ids }, func(p *stancegraph.Position) string { return p.SourceID }),
		RelationsFrom:     relationsBy(func(f *stancegraph.RelationFilter, ids []string) { f.FromIDs = ids }, func(r *stancegraph.Relation) string { return r.From }),
		RelationsTo:       relationsBy(func(f *stancegraph.RelationFilter, ids []string) { f.ToIDs = ids }, func(r *stancegraph.Relation) string { return r.To }),
	}
}

// groupBy maps every id to its items, with an empty list for ids without
// any, so that the loader caches "none" too.
func groupBy[T any](ids []string, items []T, key func(T) string) map[string][]T {
	m := make(map[string][]T, len(ids))
	for _, id := range ids {
		m[id] = []T{}
	}
	for _, it := range items {
		k := key(it)
		m[k] = append(m[k], it)
	}
	return m
}

type loadersKey struct{}

// WithLoaders is middleware that gives each request its own loaders.
func WithLoaders(s stancegraph.Store, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := context.WithValue(r.Context(), loadersKey{}, NewLoaders(s))
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// loaders returns the request's loaders.
func loaders(ctx context.Context) *Loaders {
	return ctx.Value(loadersKey{}).(*Loaders)
}
