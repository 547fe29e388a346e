package graph

import (
	"context"
	"encoding/base64"
	"strconv"
	"strings"

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
	return loaders(ctx).Entity.Load(ctx, id)
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
	es, err := loaders(ctx).Entity.LoadAll(ctx, ids)
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
	l := loaders(ctx).RelationsTo
	if out {
		l = loaders(ctx).RelationsFrom
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

// pageArgs checks Relay arguments and returns the offset and size of the
// page they ask for.
func pageArgs(first *int, after *string) (offset, limit int, err error) {
	limit = stancegraph.DefaultPageSize
	if first != nil {
		limit = *first
	}
	if limit < 0 || limit > stancegraph.MaxPageSize {
		return 0, 0, &stancegraph.Error{Code: stancegraph.EINVALID, Field: "first", Message: "first must be between 0 and " + strconv.Itoa(stancegraph.MaxPageSize)}
	}
	if after != nil && *after != "" {
		n, ok := decodeCursor(*after)
		if !ok {
			return 0, 0, &stancegraph.Error{Code: stancegraph.EINVALID, Field: "after", Message: "after is not a cursor this API returned"}
		}
		offset = n + 1
	}
	return offset, limit, nil
}

const cursorPrefix = "offset:"

func encodeCursor(offset int) string {
	return base64.StdEncoding.EncodeToString([]byte(cursorPrefix + strconv.Itoa(offset)))
}

func decodeCursor(c string) (int, bool) {
	b, err := base64.StdEncoding.DecodeString(c)
	if err != nil || !strings.HasPrefix(string(b), cursorPrefix) {
		return 0, false
	}
	n, err := strconv.Atoi(strings.TrimPrefix(string(b), cursorPrefix))
	return n, err == nil && n >= 0
}

// pageInfo describes a page of n items that starts at offset, out of total.
func pageInfo(offset, n, total int) *model.PageInfo {
	pi := &model.PageInfo{HasPreviousPage: offset > 0, HasNextPage: offset+n < total}
	if n > 0 {
		start, end := encodeCursor(offset), encodeCursor(offset+n-1)
		pi.StartCursor, pi.EndCursor = &start, &end
	}
	return pi
}

// listPage pages a list that is already in memory.
func listPage[T any](items []T, first *int, after *string) (page []T, offset int, err error) {
	offset, limit, err := pageArgs(first, after)
	if err != nil {
		return nil, 0, err
	}
	if offset > len(items) {
		offset = len(items)
	}
	return items[offset:min(offset+limit, len(items))], offset, nil
}

// window is the time window of a field's from, to and asOf arguments.
func window(from, to, asOf *stancegraph.Date) analysis.Window {
	return analysis.Window{From: deref0(from), To: deref0(to), AsOf: deref0(asOf)}
}

// positionConnection filters a list of positions by stance and time window
// and pages it.
func positionConnection(ps []*stancegraph.Position, err error, stance *stancegraph.Stance, w analysis.Window, first *int, after *string) (*model.PositionConnection, error) {
	if err != nil {
		return nil, err
	}
	if err := w.Validate(); err != nil {
		return nil, err
	}
	if stance != nil || !w.IsZero() {
		kept := make([]*stancegraph.Position, 0, len(ps))
		for _, p := range ps {
			if (stance == nil || p.Stance == *stance) && w.Keeps(p.Stated()) {
				kept = append(kept, p)
			}
		}
		ps = kept
	}
	page, offset, err := listPage(ps, first, after)
	if err != nil {
		return nil, err
	}
	c := &model.PositionConnection{Edges: make([]*model.PositionEdge, len(page)), PageInfo: pageInfo(offset, len(page), len(ps)), TotalCount: len(ps)}
	for i, p := range page {
		c.Edges[i] = &model.PositionEdge{Node: p, Cursor: encodeCursor(offset + i)}
	}
	return c, nil
}

// positionsOf returns the connection of positions an actor takes.
func positionsOf(ctx context.Context, actorID string, stance *stancegraph.Stance, w analysis.Window, first *int, after *string) (*model.PositionConnection, error) {
	ps, err := loaders(ctx).PositionsByActor.Load(ctx, actorID)
	return positionConnection(ps, err, stance, w, first, after)
}

// positionsOn returns the connection of positions taken on a target.
func positionsOn(ctx context.Context, targetID string, stance *stancegraph.Stance, w analysis.Window, first *int, after *string) (*model.PositionConnection, error) {
	ps, err := loaders(ctx).PositionsByTarget.Load(ctx, targetID)
	return positionConnection(ps, err, stance, w, first, after)
}

// findPage runs an entity listing and wraps each entity with edge, which
// builds the connection's edge type.
func findPage[E any](ctx context.Context, s stancegraph.Store, f stancegraph.EntityFilter, orderBy *stancegraph.EntityOrder, first *int, after *string, edge func(*stancegraph.Entity, string) E) ([]E, *model.PageInfo, int, error) {
	offset, limit, err := pageArgs(first, after)
	if err != nil {
		return nil, nil, 0, err
	}
	if orderBy != nil {
		f.OrderBy = *orderBy
	}
	f.Offset, f.Limit = offset, limit
	var es []*stancegraph.Entity
	total := 0
	if limit > 0 {
		es, total, err = s.FindEntities(ctx, f)
	} else {
		// first: 0 asks only for the count.
		f.Limit = 1
		_, total, err = s.FindEntities(ctx, f)
	}
	if err != nil {
		return nil, nil, 0, err
	}
	edges := make([]E, len(es))
	for i, e := range es {
		loaders(ctx).Entity.Prime(e.ID, e)
		edges[i] = edge(e, encodeCursor(offset+i))
	}
	return edges, pageInfo(offset, len(es), total), total, nil
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

// node returns any node by id: a position ("pos-...") or an entity.
func node(ctx context.Context, s stancegraph.Store, id string) (model.Node, error) {
	if strings.HasPrefix(id, "pos-") {
		ps, err := s.PositionsByID(ctx, []string{id})
		if err != nil || len(ps) == 0 || ps[0] == nil {
			return nil, err
		}
		return ps[0], nil
	}
	return nodeOrNil(entity(ctx, id))
}

// nodeOrNil wraps an entity load as a Node, nil when it is unknown.
func nodeOrNil(e *stancegraph.Entity, err error) (model.Node, error) {
	if err != nil || e == nil {
		return nil, err
	}
	return model.Wrap(e), nil
}

// backers answers the backers field: SUPPORTS unless stance says otherwise,
// with the indirect backers include asks for.
func backers(ctx context.Context, s stancegraph.Store, of string, stance *stancegraph.Stance, include *model.BackersInclude, w analysis.Window) ([]*stancegraph.Backer, error) {
	q := stancegraph.BackersQuery{Target: of, Stance: stancegraph.Supports}
	if stance != nil {
		q.Stance = *stance
	}
	if include != nil {
		q.Proposers = include.Proposers != nil && *include.Proposers
		q.Members = include.Members != nil && *include.Members
	}
	q.Window = w
	return stancegraph.FindBackers(ctx, s, q)
}

// entitiesAs loads entities and returns those of the GraphQL type T, in
// order.
func entitiesAs[T any](ctx context.Context, ids []string) ([]T, error) {
	es, err := loaders(ctx).Entity.LoadAll(ctx, ids)
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
