package graph

import (
	"context"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/stancegraph/stancegraph"
	"github.com/vikstrous/dataloadgen"
)

// loaderWait is how long a loader gathers keys before it fetches, so that
// a query costs one store call per nesting level: worth it when a call
// costs a network round trip (Neo4j), not when it costs microseconds (the
// embedded store). A shorter wait does not help: below a millisecond the
// runtime's timers overshoot to about one.
const loaderWait = 2 * time.Millisecond

// cheapFetch is the average fetch below which loaders do not wait: a call
// per object then costs less than the wait that would batch them.
const cheapFetch = 100 * time.Microsecond

// fetchCost is the moving average of how long the loaders' store reads
// take, which decides whether the next request's loaders wait. It starts
// expensive, so that a new handler batches until the store proves cheap.
type fetchCost struct{ avg atomic.Int64 } // nanoseconds

func newFetchCost() *fetchCost {
	c := &fetchCost{}
	c.avg.Store(int64(loaderWait))
	return c
}

// observe folds one fetch into the average with weight 1/8. Concurrent
// updates may drop one another's; the average stays close enough.
func (c *fetchCost) observe(d time.Duration) {
	old := c.avg.Load()
	c.avg.Store(old + (int64(d)-old)/8)
}

func (c *fetchCost) wait() time.Duration {
	if time.Duration(c.avg.Load()) < cheapFetch {
		return 0
	}
	return loaderWait
}

// Loaders hold the per-request read state: the request's read plan, and the
// loaders that batch what plans do not reach (the entities and relations of
// research results, mutation payloads, affiliations), one store call per
// nesting level rather than one per object (see loaderWait). The loaders
// are made when first used: most queries are answered by their plan alone.
type Loaders struct {
	s    stancegraph.Store
	cost *fetchCost

	once          sync.Once
	entity        *dataloadgen.Loader[string, *stancegraph.Entity]
	relationsFrom *dataloadgen.Loader[string, []*stancegraph.Relation]
	relationsTo   *dataloadgen.Loader[string, []*stancegraph.Relation]

	// plan is the request's read plan and its result (plan.go).
	plan *planned
}

// NewLoaders returns fresh loaders over s that batch each level; they
// cache for their lifetime, which is one request.
func NewLoaders(s stancegraph.Store) *Loaders {
	return newLoaders(s, newFetchCost())
}

func newLoaders(s stancegraph.Store, cost *fetchCost) *Loaders {
	return &Loaders{s: s, cost: cost, plan: newPlanned()}
}

// Entity loads entities by id.
func (l *Loaders) Entity() *dataloadgen.Loader[string, *stancegraph.Entity] {
	l.once.Do(l.make)
	return l.entity
}

// RelationsFrom loads the relations that leave an entity, by its id.
func (l *Loaders) RelationsFrom() *dataloadgen.Loader[string, []*stancegraph.Relation] {
	l.once.Do(l.make)
	return l.relationsFrom
}

// RelationsTo loads the relations that arrive at an entity, by its id.
func (l *Loaders) RelationsTo() *dataloadgen.Loader[string, []*stancegraph.Relation] {
	l.once.Do(l.make)
	return l.relationsTo
}

func (l *Loaders) make() {
	opts := []dataloadgen.Option{dataloadgen.WithWait(l.cost.wait()), dataloadgen.WithBatchCapacity(stancegraph.MaxBatchIDs)}
	s := timedStore{Store: l.s, cost: l.cost}
	relationsBy := func(set func(*stancegraph.RelationFilter, []string), key func(*stancegraph.Relation) string) *dataloadgen.Loader[string, []*stancegraph.Relation] {
		return dataloadgen.NewMappedLoader(func(ctx context.Context, ids []string) (map[string][]*stancegraph.Relation, error) {
			var f stancegraph.RelationFilter
			set(&f, ids)
			rs, err := s.Relations(ctx, f)
			return groupBy(ids, rs, key), err
		}, opts...)
	}
	l.entity = dataloadgen.NewLoader(func(ctx context.Context, ids []string) ([]*stancegraph.Entity, []error) {
		es, err := s.Entities(ctx, ids)
		if err != nil {
			return nil, []error{err}
		}
		return es, nil
	}, opts...)
	l.relationsFrom = relationsBy(func(f *stancegraph.RelationFilter, ids []string) { f.FromIDs = ids }, func(r *stancegraph.Relation) string { return r.From })
	l.relationsTo = relationsBy(func(f *stancegraph.RelationFilter, ids []string) { f.ToIDs = ids }, func(r *stancegraph.Relation) string { return r.To })
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

// timedStore times the loaders' reads.
type timedStore struct {
	stancegraph.Store
	cost *fetchCost
}

func (t timedStore) Entities(ctx context.Context, ids []string) ([]*stancegraph.Entity, error) {
	defer t.time(time.Now())
	return t.Store.Entities(ctx, ids)
}

func (t timedStore) Relations(ctx context.Context, f stancegraph.RelationFilter) ([]*stancegraph.Relation, error) {
	defer t.time(time.Now())
	return t.Store.Relations(ctx, f)
}

func (t timedStore) time(start time.Time) { t.cost.observe(time.Since(start)) }

// WithLoaders is middleware that gives each request its own loaders,
// waiting to batch or not as the store's fetches so far suggest.
func WithLoaders(s stancegraph.Store, next http.Handler) http.Handler {
	cost := newFetchCost()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := context.WithValue(r.Context(), loadersKey{}, newLoaders(s, cost))
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// loaders returns the request's loaders.
func loaders(ctx context.Context) *Loaders {
	return ctx.Value(loadersKey{}).(*Loaders)
}
