package graph

import (
	"context"

	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/analysis"
	"github.com/stancegraph/stancegraph/graph/model"
)

// entity loads one entity through the request's loader; nil if unknown,
// EINVALID if id is not a slug.
func entity(ctx context.Context, id string) (*stancegraph.Entity, error) {
	// Not a slug: INVALID with the slug it probably meant, not a silent
	// null ("OpenAI" -> did you mean "openai"?).
	if err := stancegraph.ValidateID("id", id); err != nil {
		return nil, err
	}
	return loaders(ctx).Entity().Load(ctx, id)
}

// entityAs loads an entity and returns it as the GraphQL type T, or the zero
// T when it is unknown or of another type.
func entityAs[T any](ctx context.Context, id string) (T, error) {
	var zero T
	e, err := entity(ctx, id)
	if err != nil || e == nil {
		return zero, err
	}
	t, _ := model.Wrap(e).(T)
	return t, nil
}

// related returns the entities at the other end of the relations of type
// typ that leave id (out) or arrive at it, as the GraphQL type T.
func related[T any](ctx context.Context, id string, typ stancegraph.RelType, out bool) ([]T, error) {
	rels, err := relations(ctx, id, typ, out)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(rels))
	for i, r := range rels {
		ids[i] = r.From
		if out {
			ids[i] = r.To
		}
	}
	es, err := loaders(ctx).Entity().LoadAll(ctx, ids)
	if err != nil {
		return nil, err
	}
	res := make([]T, 0, len(es))
	for _, e := range es {
		if t, ok := model.Wrap(e).(T); ok {
			res = append(res, t)
		}
	}
	return res, nil
}

// relations returns the relations of type typ that leave id (out) or
// arrive at it.
func relations(ctx context.Context, id string, typ stancegraph.RelType, out bool) ([]*stancegraph.Relation, error) {
	l := loaders(ctx).RelationsTo()
	if out {
		l = loaders(ctx).RelationsFrom()
	}
	all, err := l.Load(ctx, id)
	if err != nil {
		return nil, err
	}
	var rels []*stancegraph.Relation
	for _, r := range all {
		if r.Type == typ {
			rels = append(rels, r)
		}
	}
	return rels, nil
}

// window is the time window of a field's from, to and asOf arguments.
func window(from, to, asOf *stancegraph.Date) analysis.Window {
	return analysis.Window{From: deref0(from), To: deref0(to), AsOf: deref0(asOf)}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// upsert validates and writes an entity, then returns it as the GraphQL
// type T with what the write did.
func upsert[T any](ctx context.Context, s stancegraph.Store, e *stancegraph.Entity) (T, stancegraph.Change, error) {
	var zero T
	if err := e.Validate(); err != nil {
		return zero, 0, err
	}
	ch, err := s.UpsertEntity(ctx, e)
	if err != nil {
		return zero, 0, err
	}
	t, _ := model.Wrap(e).(T)
	return t, ch, nil
}

// dayOrNull returns a day string as a Date, null for "" (unbounded).
func dayOrNull(s string) *stancegraph.Date {
	if s == "" {
		return nil
	}
	d := stancegraph.Date(s)
	return &d
}

func nullString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// nodeOrNil wraps an entity load as a Node, nil when it is unknown.
func nodeOrNil(e *stancegraph.Entity, err error) (model.Node, error) {
	if err != nil || e == nil {
		return nil, err
	}
	return model.Wrap(e), nil
}

// entitiesAs loads entities and returns those of the GraphQL type T, in
// order.
func entitiesAs[T any](ctx context.Context, ids []string) ([]T, error) {
	es, err := loaders(ctx).Entity().LoadAll(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]T, 0, len(es))
	for _, e := range es {
		if t, ok := model.Wrap(e).(T); ok {
			out = append(out, t)
		}
	}
	return out, nil
}

// deref0 returns *p, or the zero value for nil.
func deref0[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// orDefault returns *p, or def when the argument is null.
func orDefault[T any](p *T, def T) T {
	if p == nil {
		return def
	}
	return *p
}

// externalIDs copies the external ids of an input; nil stays nil.
func externalIDs(xs []*stancegraph.ExternalID) []stancegraph.ExternalID {
	var out []stancegraph.ExternalID
	for _, x := range xs {
		if x != nil {
			out = append(out, *x)
		}
	}
	return out
}
