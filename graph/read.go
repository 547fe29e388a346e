package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"

	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/analysis"
	"github.com/stancegraph/stancegraph/graph/model"
)

// The resolvers of planned fields: each reads its part of the request's
// executed plan (plan.go), and reads it alone only when the plan does not
// hold it.

// positionsField answers a positions connection of entity e in role side.
func positionsField(ctx context.Context, s stancegraph.Store, e *stancegraph.Entity, side stancegraph.Role) (*model.PositionConnection, error) {
	pl := plannedOf(ctx, s)
	fc := graphql.GetFieldContext(ctx)
	b := &builder{oc: graphql.GetOperationContext(ctx)}
	if er := pl.entity(e); er != nil {
		if page := er.Positions[fc.Field.Alias]; page != nil {
			var a connArgs
			if err := b.args(fc.Field, &a); err != nil {
				return nil, err
			}
			list, err := positionList(a)
			if err != nil {
				return nil, err
			}
			return positionConnection(page, list.Order), nil
		}
	}
	ask, err := b.positionsAsk(fc.Field, side)
	if err != nil {
		return nil, err
	}
	er, err := readEntityField(ctx, s, e.ID, &stancegraph.EntitySelect{Positions: []*stancegraph.PositionsAsk{ask}})
	if err != nil {
		return nil, err
	}
	page := &stancegraph.PositionPage{}
	if er != nil {
		page = er.Positions[ask.Key]
	}
	return positionConnection(page, ask.List.Order), nil
}

// summaryField answers stanceSummary of target e.
func summaryField(ctx context.Context, s stancegraph.Store, e *stancegraph.Entity) (*stancegraph.StanceSummary, error) {
	pl := plannedOf(ctx, s)
	fc := graphql.GetFieldContext(ctx)
	if er := pl.entity(e); er != nil {
		if sum, ok := er.Summaries[fc.Field.Alias]; ok {
			return &sum, nil
		}
	}
	b := &builder{oc: graphql.GetOperationContext(ctx)}
	ask, err := b.summaryAsk(fc.Field)
	if err != nil {
		return nil, err
	}
	er, err := readEntityField(ctx, s, e.ID, &stancegraph.EntitySelect{Summaries: []*stancegraph.SummaryAsk{ask}})
	if err != nil || er == nil {
		return &stancegraph.StanceSummary{}, err
	}
	sum := er.Summaries[ask.Key]
	return &sum, nil
}

// relatedField answers a field listing related entities of e as the
// GraphQL type T; typ and out say which relations, as for related.
func relatedField[T any](ctx context.Context, s stancegraph.Store, e *stancegraph.Entity, typ stancegraph.RelType, out bool) ([]T, error) {
	pl := plannedOf(ctx, s)
	fc := graphql.GetFieldContext(ctx)
	if er := pl.entity(e); er != nil {
		if rs, ok := er.Related[fc.Field.Alias]; ok {
			res := make([]T, 0, len(rs))
			for _, r := range rs {
				if t, ok := model.Wrap(r.Entity).(T); ok {
					res = append(res, t)
				}
			}
			return res, nil
		}
	}
	return related[T](ctx, e.ID, typ, out)
}

// plannedAffiliations answers a person's affiliations from the plan, when
// it holds them.
func plannedAffiliations(ctx context.Context, s stancegraph.Store, e *stancegraph.Entity) ([]*model.Affiliation, bool) {
	er := plannedOf(ctx, s).entity(e)
	if er == nil {
		return nil, false
	}
	key := graphql.GetFieldContext(ctx).Field.Alias
	orgs, ok := er.Related[key]
	rels := er.Relations[key]
	if !ok || len(rels) != len(orgs) {
		return nil, false
	}
	out := make([]*model.Affiliation, 0, len(orgs))
	for i, o := range orgs {
		if a := model.AsActor(o.Entity); a != nil {
			out = append(out, &model.Affiliation{Organization: a, Role: nullString(rels[i].Role), Title: nullString(rels[i].Title)})
		}
	}
	return out, true
}

// endField answers the actor, target or source of a position.
func endField[T any](ctx context.Context, s stancegraph.Store, p *stancegraph.Position, role stancegraph.Role) (T, error) {
	var zero T
	if pr := plannedOf(ctx, s).position(p); pr != nil {
		er := map[stancegraph.Role]*stancegraph.EntityResult{stancegraph.RoleActor: pr.Actor, stancegraph.RoleTarget: pr.Target, stancegraph.RoleSource: pr.Source}[role]
		if er != nil {
			t, _ := model.Wrap(er.Entity).(T)
			return t, nil
		}
	}
	id := map[stancegraph.Role]string{stancegraph.RoleActor: p.ActorID, stancegraph.RoleTarget: p.TargetID, stancegraph.RoleSource: p.SourceID}[role]
	t, err := entityAs[T](ctx, id)
	if err != nil {
		return zero, err
	}
	return t, nil
}

// rootNode answers a by-id root field as the GraphQL type T: nil when the
// id is unknown or of another type.
func rootNode[T any](ctx context.Context, s stancegraph.Store) (T, error) {
	var zero T
	_, res, err := rootRead(ctx, s)
	if err != nil || len(res.Nodes) == 0 {
		return zero, err
	}
	t, _ := nodeOf(res.Nodes[0]).(T)
	return t, nil
}

// nodeOf returns a plan's node result as its GraphQL type.
func nodeOf(n any) model.Node {
	switch n := n.(type) {
	case *stancegraph.EntityResult:
		return model.Wrap(n.Entity)
	case *stancegraph.PositionResult:
		return n.Position
	}
	return nil
}

// positionConnection builds a connection from a page in an order.
func positionConnection(page *stancegraph.PositionPage, order []stancegraph.SortKey) *model.PositionConnection {
	c := &model.PositionConnection{Edges: make([]*model.PositionEdge, len(page.Rows)), TotalCount: page.Total, Aggregate: page.Aggregate}
	if c.Aggregate == nil {
		c.Aggregate = &stancegraph.PositionAggregate{}
	}
	cursors := make([]string, len(page.Rows))
	for i, pr := range page.Rows {
		cursors[i] = stancegraph.PositionCursor(order, pr.Position).Encode()
		c.Edges[i] = &model.PositionEdge{Node: pr.Position, Cursor: cursors[i]}
	}
	c.PageInfo = pageInfoOf(page.PageFlags, cursors)
	return c
}

func pageInfoOf(f stancegraph.PageFlags, cursors []string) *model.PageInfo {
	pi := &model.PageInfo{HasNextPage: f.HasNextPage, HasPreviousPage: f.HasPreviousPage}
	if n := len(cursors); n > 0 {
		pi.StartCursor, pi.EndCursor = &cursors[0], &cursors[n-1]
	}
	return pi
}

// entityConnection answers an entity listing root field: edge builds the
// connection's edge type from an entity and its cursor.
func entityConnection[E any](ctx context.Context, s stancegraph.Store, edge func(*stancegraph.Entity, string) E) ([]E, *model.PageInfo, int, error) {
	q, res, err := rootRead(ctx, s)
	if err != nil {
		return nil, nil, 0, err
	}
	page := res.Entities
	edges := make([]E, len(page.Rows))
	cursors := make([]string, len(page.Rows))
	for i, er := range page.Rows {
		cursors[i] = stancegraph.EntityCursor(q.Entities.Order, er.Entity).Encode()
		edges[i] = edge(er.Entity, cursors[i])
	}
	return edges, pageInfoOf(page.PageFlags, cursors), page.Total, nil
}

// backersField answers backers: the plan reads, analysis.GroupBackers
// groups, and each backer's actor, positions and via relations are filed
// for the resolvers below it.
func backersField(ctx context.Context, s stancegraph.Store) ([]*analysis.Backer, error) {
	q, res, err := rootRead(ctx, s)
	if err != nil {
		return nil, err
	}
	br, r := q.Backers, res.Backers
	bs, err := groupBackers(br, r)
	if err != nil {
		return nil, err
	}
	if br.Actor != nil {
		plannedOf(ctx, s).addBackers(bs, r.Actors)
	}
	return bs, nil
}

// groupBackers groups a backers read as analysis.GroupBackers does, or
// says why it cannot: an unknown target, or more than a read returns.
func groupBackers(br *stancegraph.BackersRead, r *stancegraph.BackersResult) ([]*analysis.Backer, error) {
	if err := analysis.CheckBackersTarget(br.Target, r.Target); err != nil {
		return nil, err
	}
	if r.Truncated {
		return nil, stancegraph.FieldErrorf("of", "%q has more than %d positions of stance %s in the window (or relations to read with them); narrow it with from and to",
			br.Target, stancegraph.MaxBackersPositions, br.Stance)
	}
	return analysis.GroupRead(analysis.BackersQuery{Target: br.Target, Stance: br.Stance, Proposers: br.Proposers, Members: br.Members, Window: br.Window}, r), nil
}

// backerActor answers the actor of a backer.
func backerActor(ctx context.Context, s stancegraph.Store, b *analysis.Backer) (model.Actor, error) {
	if er := plannedOf(ctx, s).backer(b); er != nil {
		a, _ := model.Wrap(er.Entity).(model.Actor)
		return a, nil
	}
	return entityAs[model.Actor](ctx, b.ActorID)
}

// relationEnd answers the from, to or source of a relation: from the plan
// when it holds the end, else through the loaders; nil for a missing id.
func relationEnd[T any](ctx context.Context, s stancegraph.Store, r *stancegraph.Relation, end func(*stancegraph.RelationResult) *stancegraph.EntityResult, id string) (T, error) {
	var zero T
	if rr := plannedOf(ctx, s).relation(r); rr != nil {
		if er := end(rr); er != nil {
			t, _ := model.Wrap(er.Entity).(T)
			return t, nil
		}
	}
	if id == "" {
		return zero, nil
	}
	return entityAs[T](ctx, id)
}
