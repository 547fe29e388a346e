package graph

import (
	"context"
	"encoding/json"
	"slices"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/analysis"
)

// The read path: the first root field of a query to resolve collects the
// selection of the whole operation (fragments expanded, arguments resolved,
// @skip and @include applied) into one stancegraph.Plan, the store executes
// it in one go, and every resolver below reads its part of the result. A
// field the plan does not hold (under a mutation, a research query, or a
// root whose arguments did not check) reads its own part alone, still as
// one plan.

// entityTypes are the GraphQL types an entity selection may name in its
// fragments.
var entityTypes = []string{"Node", "Actor", "Stanceable", "Company", "Agency", "TradeAssociation",
	"Person", "Government", "Program", "PolicyProposal", "Source"}

// relationField says how a GraphQL field lists related entities: the
// relation type, its direction, the kinds at the other end and their role.
type relationField struct {
	typ   stancegraph.RelType
	out   bool
	kinds []stancegraph.Kind
	side  stancegraph.Role
}

var relationFields = map[string]relationField{
	"proposed":       {stancegraph.Proposed, true, []stancegraph.Kind{stancegraph.KindPolicyProposal}, stancegraph.RoleTarget},
	"published":      {stancegraph.Published, true, []stancegraph.Kind{stancegraph.KindSource}, stancegraph.RoleSource},
	"memberOf":       {stancegraph.MemberOf, true, []stancegraph.Kind{stancegraph.KindTradeAssociation}, stancegraph.RoleActor},
	"parent":         {stancegraph.PartOf, true, stancegraph.ActorKinds, stancegraph.RoleActor},
	"children":       {stancegraph.PartOf, false, []stancegraph.Kind{stancegraph.KindAgency}, stancegraph.RoleActor},
	"administers":    {stancegraph.Administers, true, []stancegraph.Kind{stancegraph.KindProgram}, stancegraph.RoleTarget},
	"members":        {stancegraph.MemberOf, false, []stancegraph.Kind{stancegraph.KindCompany}, stancegraph.RoleActor},
	"agencies":       {stancegraph.PartOf, false, []stancegraph.Kind{stancegraph.KindAgency}, stancegraph.RoleActor},
	"administeredBy": {stancegraph.Administers, false, []stancegraph.Kind{stancegraph.KindAgency}, stancegraph.RoleActor},
	"establishedBy":  {stancegraph.EstablishedBy, true, []stancegraph.Kind{stancegraph.KindSource}, stancegraph.RoleSource},
	"proposals":      {stancegraph.Concerns, false, []stancegraph.Kind{stancegraph.KindPolicyProposal}, stancegraph.RoleTarget},
	"proposedBy":     {stancegraph.Proposed, false, stancegraph.ActorKinds, stancegraph.RoleActor},
	"concerns":       {stancegraph.Concerns, true, []stancegraph.Kind{stancegraph.KindProgram}, stancegraph.RoleTarget},
	"publishedBy":    {stancegraph.Published, false, stancegraph.ActorKinds, stancegraph.RoleActor},
}

// planned is the executed plan of one request, and an index from each
// entity and position it returned to the rest of its result.
type planned struct {
	once  sync.Once
	roots map[string]*rootAnswer // by response name

	mu        sync.RWMutex
	entities  map[*stancegraph.Entity]*stancegraph.EntityResult
	positions map[*stancegraph.Position]*stancegraph.PositionResult
	relations map[*stancegraph.Relation]*stancegraph.RelationResult
	// backers holds the actor of each backer a planned backers field
	// answered.
	backers map[*analysis.Backer]*stancegraph.EntityResult
}

type rootAnswer struct {
	q   *stancegraph.RootQuery
	res *stancegraph.RootResult
	err error
}

func newPlanned() *planned {
	return &planned{roots: map[string]*rootAnswer{},
		entities:  map[*stancegraph.Entity]*stancegraph.EntityResult{},
		positions: map[*stancegraph.Position]*stancegraph.PositionResult{},
		relations: map[*stancegraph.Relation]*stancegraph.RelationResult{},
		backers:   map[*analysis.Backer]*stancegraph.EntityResult{}}
}

// execute plans and reads every root field of a query operation.
func (pl *planned) execute(ctx context.Context, s stancegraph.Store) {
	if !graphql.HasOperationContext(ctx) {
		return
	}
	oc := graphql.GetOperationContext(ctx)
	if oc.Operation == nil || oc.Operation.Operation != ast.Query {
		return
	}
	b := &builder{oc: oc}
	var (
		plan stancegraph.Plan
		keys []string
	)
	for _, f := range graphql.CollectFields(oc, oc.Operation.SelectionSet, []string{"Query"}) {
		q, err := b.rootQuery(f, true)
		if err != nil || q == nil {
			// Not planned: the resolver reads (or reports) it alone.
			continue
		}
		plan.Roots = append(plan.Roots, q)
		keys = append(keys, f.Alias)
	}
	if len(plan.Roots) == 0 {
		return
	}
	res, err := s.Read(ctx, &plan)
	for i, k := range keys {
		a := &rootAnswer{q: plan.Roots[i], err: err}
		if err == nil {
			a.res = res.Roots[i]
		}
		pl.roots[k] = a
	}
	if err == nil {
		pl.register(res)
	}
}

// register indexes every entity and position of a result.
func (pl *planned) register(res *stancegraph.Result) {
	pl.mu.Lock()
	defer pl.mu.Unlock()
	var entity func(*stancegraph.EntityResult)
	var position func(*stancegraph.PositionResult)
	entity = func(er *stancegraph.EntityResult) {
		if er == nil {
			return
		}
		pl.entities[er.Entity] = er
		for _, p := range er.Positions {
			for _, pr := range p.Rows {
				position(pr)
			}
		}
		for _, rs := range er.Related {
			for _, r := range rs {
				entity(r)
			}
		}
	}
	position = func(pr *stancegraph.PositionResult) {
		pl.positions[pr.Position] = pr
		entity(pr.Actor)
		entity(pr.Target)
		entity(pr.Source)
	}
	for _, rr := range res.Roots {
		for _, n := range rr.Nodes {
			switch n := n.(type) {
			case *stancegraph.EntityResult:
				entity(n)
			case *stancegraph.PositionResult:
				position(n)
			}
		}
		if rr.Entities != nil {
			for _, er := range rr.Entities.Rows {
				entity(er)
			}
		}
		if rr.Positions != nil {
			for _, pr := range rr.Positions.Rows {
				position(pr)
			}
		}
		if br := rr.Backers; br != nil {
			for _, pr := range br.Positions {
				position(pr)
			}
			for _, rel := range append(slices.Clip(br.Proposed), br.Members...) {
				pl.relations[rel.Relation] = rel
				entity(rel.From)
				entity(rel.To)
				entity(rel.Source)
			}
			for _, er := range br.Actors {
				entity(er)
			}
		}
	}
}

// relation returns the planned ends of a relation, nil when the plan does
// not hold it.
func (pl *planned) relation(r *stancegraph.Relation) *stancegraph.RelationResult {
	pl.mu.RLock()
	defer pl.mu.RUnlock()
	return pl.relations[r]
}

// backer returns the planned actor of a backer, nil when the plan does not
// hold it.
func (pl *planned) backer(b *analysis.Backer) *stancegraph.EntityResult {
	pl.mu.RLock()
	defer pl.mu.RUnlock()
	return pl.backers[b]
}

// addBackers files the actor of each backer.
func (pl *planned) addBackers(bs []*analysis.Backer, actors []*stancegraph.EntityResult) {
	byID := make(map[string]*stancegraph.EntityResult, len(actors))
	for _, er := range actors {
		byID[er.Entity.ID] = er
	}
	pl.mu.Lock()
	defer pl.mu.Unlock()
	for _, b := range bs {
		if er := byID[b.ActorID]; er != nil {
			pl.backers[b] = er
		}
	}
}

func (pl *planned) entity(e *stancegraph.Entity) *stancegraph.EntityResult {
	pl.mu.RLock()
	defer pl.mu.RUnlock()
	return pl.entities[e]
}

func (pl *planned) position(p *stancegraph.Position) *stancegraph.PositionResult {
	pl.mu.RLock()
	defer pl.mu.RUnlock()
	return pl.positions[p]
}

// plannedOf returns the request's plan, executing it on first use.
func plannedOf(ctx context.Context, s stancegraph.Store) *planned {
	pl := loaders(ctx).plan
	pl.once.Do(func() { pl.execute(ctx, s) })
	return pl
}

// rootRead returns the answer of the root field being resolved: from the
// operation's plan, or read alone.
func rootRead(ctx context.Context, s stancegraph.Store) (*stancegraph.RootQuery, *stancegraph.RootResult, error) {
	pl := plannedOf(ctx, s)
	fc := graphql.GetFieldContext(ctx)
	if a := pl.roots[fc.Field.Alias]; a != nil && a.q != nil {
		return a.q, a.res, a.err
	}
	b := &builder{oc: graphql.GetOperationContext(ctx)}
	q, err := b.rootQuery(fc.Field, false)
	if err != nil {
		return nil, nil, err
	}
	res, err := s.Read(ctx, &stancegraph.Plan{Roots: []*stancegraph.RootQuery{q}})
	if err != nil {
		return nil, nil, err
	}
	pl.register(res)
	return q, res.Roots[0], nil
}

// readEntityField reads one field of an entity alone, with its selection:
// what a resolver does when the plan does not hold its part.
func readEntityField(ctx context.Context, s stancegraph.Store, id string, sel *stancegraph.EntitySelect) (*stancegraph.EntityResult, error) {
	res, err := s.Read(ctx, &stancegraph.Plan{Roots: []*stancegraph.RootQuery{{IDs: []string{id}, Select: sel}}})
	if err != nil {
		return nil, err
	}
	loaders(ctx).plan.register(res)
	er, _ := res.Roots[0].Nodes[0].(*stancegraph.EntityResult)
	return er, nil
}

// builder turns collected fields into plan nodes, bounding their number.
type builder struct {
	oc    *graphql.OperationContext
	nodes int
}

func (b *builder) count() error {
	b.nodes++
	if b.nodes > stancegraph.MaxPlanNodes {
		return stancegraph.Errorf(stancegraph.EINVALID, "the query asks for more than %d nested listings", stancegraph.MaxPlanNodes)
	}
	return nil
}

// args decodes a field's arguments, variables resolved and defaults
// applied, into the struct into.
func (b *builder) args(f graphql.CollectedField, into any) error {
	raw, err := json.Marshal(f.ArgumentMap(b.oc.Variables))
	if err == nil {
		err = json.Unmarshal(raw, into)
	}
	if err != nil {
		return stancegraph.Errorf(stancegraph.EINVALID, "bad arguments to %s: %v", f.Name, err)
	}
	return nil
}

// connArgs are the arguments of a positions connection.
type connArgs struct {
	Where   *stancegraph.PositionWhere  `json:"where"`
	OrderBy []*stancegraph.PositionSort `json:"orderBy"`
	Stance  *stancegraph.Stance         `json:"stance"`
	From    stancegraph.Date            `json:"from"`
	To      stancegraph.Date            `json:"to"`
	AsOf    stancegraph.Date            `json:"asOf"`
	relayArgs
}

type relayArgs struct {
	First  *int    `json:"first"`
	Last   *int    `json:"last"`
	After  *string `json:"after"`
	Before *string `json:"before"`
}

func (a relayArgs) relay() stancegraph.PageArgs {
	return stancegraph.PageArgs{First: a.First, Last: a.Last, After: a.After, Before: a.Before}
}

// positionList checks a positions connection's arguments: the where, with
// the stance and window shorthands added to it, the order and the page.
func positionList(a connArgs) (stancegraph.PositionList, error) {
	var pl stancegraph.PositionList
	c, err := a.Where.Cond("where")
	if err != nil {
		return pl, err
	}
	var extra []stancegraph.Cond
	if a.Stance != nil {
		sc, err := (&stancegraph.PositionWhere{Stance: &stancegraph.StanceFilter{Eq: a.Stance}}).Cond("stance")
		if err != nil {
			return pl, err
		}
		extra = append(extra, sc)
	}
	w := stancegraph.DateWindow{From: a.From, To: a.To, AsOf: a.AsOf}
	if err := w.Validate(); err != nil {
		return pl, err
	}
	extra = append(extra, w.Conds()...)
	if len(extra) > 0 {
		if !c.True() {
			extra = append([]stancegraph.Cond{c}, extra...)
		}
		c = stancegraph.Cond{And: extra}
	}
	pl.Where = c
	if pl.Order, err = stancegraph.PositionOrder(a.OrderBy, "orderBy"); err != nil {
		return pl, err
	}
	pl.Page, err = stancegraph.CheckPage(a.relay(), stancegraph.OrderName(pl.Order), len(pl.Order))
	return pl, err
}

// positionsAsk plans a positions connection field of an entity in role
// side (RoleSelf: decided by the entity's kind).
func (b *builder) positionsAsk(f graphql.CollectedField, side stancegraph.Role) (*stancegraph.PositionsAsk, error) {
	if err := b.count(); err != nil {
		return nil, err
	}
	var a connArgs
	if err := b.args(f, &a); err != nil {
		return nil, err
	}
	list, err := positionList(a)
	if err != nil {
		return nil, err
	}
	ask := &stancegraph.PositionsAsk{Key: f.Alias, Side: side, List: list}
	sel, err := b.connection(f, &ask.List, true)
	ask.Select = sel
	return ask, err
}

// connection reads a positions connection's selection: whether it asks for
// the total and the aggregate, and, when deep, what of each position.
func (b *builder) connection(f graphql.CollectedField, list *stancegraph.PositionList, deep bool) (*stancegraph.PositionSelect, error) {
	var ps *stancegraph.PositionSelect
	cursors := false
	for _, cf := range graphql.CollectFields(b.oc, f.Selections, []string{"PositionConnection"}) {
		switch cf.Name {
		case "pageInfo":
			for _, pf := range graphql.CollectFields(b.oc, cf.Selections, []string{"PageInfo"}) {
				cursors = cursors || pf.Name == "startCursor" || pf.Name == "endCursor"
			}
		case "totalCount":
			list.Count = true
		case "aggregate":
			if list.Aggregate == nil {
				list.Aggregate = &stancegraph.AggregateAsk{}
			}
			for _, af := range graphql.CollectFields(b.oc, cf.Selections, []string{"PositionAggregate"}) {
				if af.Name == "byStance" {
					list.Aggregate.ByStance = true
				}
			}
		case "edges":
			if !deep {
				continue
			}
			for _, ef := range graphql.CollectFields(b.oc, cf.Selections, []string{"PositionEdge"}) {
				if ef.Name == "cursor" {
					cursors = true
				}
				if ef.Name != "node" {
					continue
				}
				if ps == nil {
					ps = &stancegraph.PositionSelect{}
				}
				if err := b.positionSel(ef.Selections, ps); err != nil {
					return nil, err
				}
			}
		}
	}
	if ps != nil && cursors {
		// A cursor holds the keys of the page's order.
		for _, k := range list.Order {
			ps.Props |= orderProps[k.Field]
		}
	}
	return ps, nil
}

// orderProps are the fields of a position that each order key reads.
var orderProps = map[stancegraph.Prop]stancegraph.Props{
	stancegraph.FieldStatedAt: stancegraph.PropStated,
	stancegraph.FieldStrength: stancegraph.PropStrength,
}

// entityProps are the stored fields beyond id and kind that each field
// of an entity type reads.
var entityProps = map[string]stancegraph.Props{
	"name": stancegraph.PropName, "title": stancegraph.PropName,
	"aliases": stancegraph.PropAliases, "description": stancegraph.PropDescription, "url": stancegraph.PropURL,
	"country": stancegraph.PropCountry, "summary": stancegraph.PropSummary, "topics": stancegraph.PropTopics,
	"kind": stancegraph.PropSourceKind, "publisher": stancegraph.PropPublisher, "publishedAt": stancegraph.PropPublished,
	"publishedAtDetail": stancegraph.PropPublished, "author": stancegraph.PropAuthor, "externalIds": stancegraph.PropExternalIDs,
}

// positionSel adds what a selection of Position asks to ps.
func (b *builder) positionSel(set ast.SelectionSet, ps *stancegraph.PositionSelect) error {
	ps.Props |= stancegraph.PropsChosen
	for _, f := range graphql.CollectFields(b.oc, set, []string{"Position", "Node"}) {
		var end **stancegraph.EntitySelect
		var side stancegraph.Role
		switch f.Name {
		case "quote":
			ps.Props |= stancegraph.PropQuote
			continue
		case "condition":
			ps.Props |= stancegraph.PropCondition
			continue
		case "strength":
			ps.Props |= stancegraph.PropStrength
			continue
		case "statedAt", "statedAtDetail":
			ps.Props |= stancegraph.PropStated
			continue
		case "actor":
			end, side = &ps.Actor, stancegraph.RoleActor
		case "target":
			end, side = &ps.Target, stancegraph.RoleTarget
		case "source":
			// The id too: the end is answered from it if not from the plan.
			ps.Props |= stancegraph.PropSourceID
			end, side = &ps.Source, stancegraph.RoleSource
		default:
			continue
		}
		if err := b.endSel(f, end, side); err != nil {
			return err
		}
	}
	return nil
}

// endSel adds what field f asks of an end (a position's or a relation's)
// in role side to *end, made when first asked.
func (b *builder) endSel(f graphql.CollectedField, end **stancegraph.EntitySelect, side stancegraph.Role) error {
	if *end == nil {
		*end = &stancegraph.EntitySelect{}
	}
	return b.entitySel(f.Selections, *end, side)
}

// summaryArgs are the arguments of stanceSummary.
type summaryArgs struct {
	From stancegraph.Date `json:"from"`
	To   stancegraph.Date `json:"to"`
	AsOf stancegraph.Date `json:"asOf"`
}

func (b *builder) summaryAsk(f graphql.CollectedField) (*stancegraph.SummaryAsk, error) {
	var a summaryArgs
	if err := b.args(f, &a); err != nil {
		return nil, err
	}
	w := stancegraph.DateWindow{From: a.From, To: a.To, AsOf: a.AsOf}
	if err := w.Validate(); err != nil {
		return nil, err
	}
	return &stancegraph.SummaryAsk{Key: f.Alias, Window: w}, nil
}

// entitySel adds what a selection of entities in role side asks to es.
func (b *builder) entitySel(set ast.SelectionSet, es *stancegraph.EntitySelect, side stancegraph.Role) error {
	has := func(key string) bool {
		for _, p := range es.Positions {
			if p.Key == key {
				return true
			}
		}
		for _, s := range es.Summaries {
			if s.Key == key {
				return true
			}
		}
		for _, r := range es.Related {
			if r.Key == key {
				return true
			}
		}
		return false
	}
	es.Props |= stancegraph.PropsChosen
	for _, f := range graphql.CollectFields(b.oc, set, entityTypes) {
		es.Props |= entityProps[f.Name]
		if has(f.Alias) {
			continue
		}
		switch f.Name {
		case "positions":
			ask, err := b.positionsAsk(f, side)
			if err != nil {
				return err
			}
			es.Positions = append(es.Positions, ask)
		case "stanceSummary":
			sa, err := b.summaryAsk(f)
			if err != nil {
				return err
			}
			es.Summaries = append(es.Summaries, sa)
		case "affiliations":
			// A person's affiliations: the organisations, with the role
			// and title of the relation.
			if err := b.count(); err != nil {
				return err
			}
			child := &stancegraph.EntitySelect{}
			for _, af := range graphql.CollectFields(b.oc, f.Selections, []string{"Affiliation"}) {
				if af.Name == "organization" {
					if err := b.entitySel(af.Selections, child, stancegraph.RoleActor); err != nil {
						return err
					}
				}
			}
			es.Related = append(es.Related, &stancegraph.RelatedAsk{Key: f.Alias, Type: stancegraph.AffiliatedWith, Out: true,
				Kinds: stancegraph.OrganisationKinds, Select: child, Edges: true})
		default:
			rf, ok := relationFields[f.Name]
			if !ok {
				continue
			}
			if err := b.count(); err != nil {
				return err
			}
			child := &stancegraph.EntitySelect{}
			if err := b.entitySel(f.Selections, child, rf.side); err != nil {
				return err
			}
			es.Related = append(es.Related, &stancegraph.RelatedAsk{Key: f.Alias, Type: rf.typ, Out: rf.out, Kinds: rf.kinds, Select: child})
		}
	}
	return nil
}

// listArgs are the arguments of an entity listing.
type listArgs struct {
	Where   json.RawMessage         `json:"where"`
	OrderBy stancegraph.EntityOrder `json:"orderBy"`
	relayArgs
}

// rootQuery plans a root field of Query, with its whole selection when
// deep; nil for the fields plans do not serve (research and search).
func (b *builder) rootQuery(f graphql.CollectedField, deep bool) (*stancegraph.RootQuery, error) {
	q := &stancegraph.RootQuery{}
	var side stancegraph.Role
	switch f.Name {
	case "actor", "proposal", "program", "source", "node":
		var a struct {
			ID string `json:"id"`
		}
		if err := b.args(f, &a); err != nil {
			return nil, err
		}
		// Not a slug: INVALID with the slug it probably meant.
		if err := stancegraph.ValidateID("id", a.ID); err != nil {
			return nil, err
		}
		q.IDs = []string{a.ID}
		side = map[string]stancegraph.Role{"actor": stancegraph.RoleActor, "proposal": stancegraph.RoleTarget,
			"program": stancegraph.RoleTarget, "source": stancegraph.RoleSource}[f.Name]
		if deep {
			q.Select = &stancegraph.EntitySelect{}
			if err := b.entitySel(f.Selections, q.Select, side); err != nil {
				return nil, err
			}
			if f.Name == "node" {
				q.PosSelect = &stancegraph.PositionSelect{}
				if err := b.positionSel(f.Selections, q.PosSelect); err != nil {
					return nil, err
				}
			}
		}
		return q, nil
	case "nodes":
		var a struct {
			IDs []string `json:"ids"`
		}
		if err := b.args(f, &a); err != nil {
			return nil, err
		}
		if len(a.IDs) > stancegraph.MaxPageSize {
			return nil, stancegraph.FieldErrorf("ids", "at most %d ids", stancegraph.MaxPageSize)
		}
		for _, id := range a.IDs {
			if err := stancegraph.ValidateID("id", id); err != nil {
				return nil, err
			}
		}
		q.IDs = a.IDs
		if q.IDs == nil {
			q.IDs = []string{}
		}
		if deep {
			q.Select, q.PosSelect = &stancegraph.EntitySelect{}, &stancegraph.PositionSelect{}
			if err := b.entitySel(f.Selections, q.Select, stancegraph.RoleSelf); err != nil {
				return nil, err
			}
			if err := b.positionSel(f.Selections, q.PosSelect); err != nil {
				return nil, err
			}
		}
		return q, nil
	case "positions":
		var a connArgs
		if err := b.args(f, &a); err != nil {
			return nil, err
		}
		list, err := positionList(a)
		if err != nil {
			return nil, err
		}
		q.Positions = &list
		sel, err := b.connection(f, q.Positions, deep)
		if err != nil {
			return nil, err
		}
		q.PosSelect = sel
		return q, nil
	case "actors", "proposals", "programs", "sources":
		return b.entityList(f, deep)
	case "backers":
		return b.backers(f, deep)
	}
	return nil, nil
}

// backersArgs are the arguments of backers.
type backersArgs struct {
	Of      string              `json:"of"`
	Stance  *stancegraph.Stance `json:"stance"`
	Include *struct {
		Proposers *bool `json:"proposers"`
		Members   *bool `json:"members"`
	} `json:"include"`
	summaryArgs
}

// backers plans the reads of a backers field, checked as
// analysis.FindBackers checks them, and with its whole selection when
// deep: what of each backer's actor, of the ends of its positions and of
// the ends of its via relations.
func (b *builder) backers(f graphql.CollectedField, deep bool) (*stancegraph.RootQuery, error) {
	var a backersArgs
	if err := b.args(f, &a); err != nil {
		return nil, err
	}
	br := &stancegraph.BackersRead{Target: a.Of, Stance: stancegraph.Supports, Window: stancegraph.DateWindow{From: a.From, To: a.To, AsOf: a.AsOf}}
	if a.Stance != nil {
		br.Stance = *a.Stance
	}
	if !br.Stance.Valid() {
		return nil, stancegraph.Stances.Invalid("stance", "stance", br.Stance)
	}
	if a.Include != nil {
		br.Proposers = a.Include.Proposers != nil && *a.Include.Proposers
		br.Members = a.Include.Members != nil && *a.Include.Members
	}
	if err := br.Window.Validate(); err != nil {
		return nil, err
	}
	if err := stancegraph.ValidateID("of", br.Target); err != nil {
		return nil, err
	}
	if err := b.count(); err != nil {
		return nil, err
	}
	q := &stancegraph.RootQuery{Backers: br}
	if !deep {
		return q, nil
	}
	for _, bf := range graphql.CollectFields(b.oc, f.Selections, []string{"Backer"}) {
		switch bf.Name {
		case "actor":
			if br.Actor == nil {
				br.Actor = &stancegraph.EntitySelect{}
			}
			if err := b.entitySel(bf.Selections, br.Actor, stancegraph.RoleActor); err != nil {
				return nil, err
			}
		case "positions":
			if br.PosSelect == nil {
				// Grouping orders each backer's positions by date.
				br.PosSelect = &stancegraph.PositionSelect{Props: stancegraph.PropStated}
			}
			if err := b.positionSel(bf.Selections, br.PosSelect); err != nil {
				return nil, err
			}
		case "via":
			if br.Via == nil {
				br.Via = &stancegraph.RelationSelect{}
			}
			if err := b.relationSel(bf.Selections, br.Via); err != nil {
				return nil, err
			}
		}
	}
	return q, nil
}

// relationSel adds what a selection of Relation asks to rs.
func (b *builder) relationSel(set ast.SelectionSet, rs *stancegraph.RelationSelect) error {
	for _, f := range graphql.CollectFields(b.oc, set, []string{"Relation"}) {
		var end **stancegraph.EntitySelect
		side := stancegraph.RoleSelf
		switch f.Name {
		case "from":
			end = &rs.From
		case "to":
			end = &rs.To
		case "source":
			end, side = &rs.Source, stancegraph.RoleSource
		default:
			continue
		}
		if err := b.endSel(f, end, side); err != nil {
			return err
		}
	}
	return nil
}

// entityList plans an entity listing.
func (b *builder) entityList(f graphql.CollectedField, deep bool) (*stancegraph.RootQuery, error) {
	var a listArgs
	if err := b.args(f, &a); err != nil {
		return nil, err
	}
	el := &stancegraph.EntityList{Order: a.OrderBy}
	if el.Order == "" {
		el.Order = stancegraph.OrderNameAsc
	}
	if !el.Order.Valid() {
		return nil, stancegraph.FieldErrorf("orderBy", "%q is not a valid order", a.OrderBy)
	}
	var side stancegraph.Role
	var err error
	decode := func(w any) error {
		if len(a.Where) == 0 || string(a.Where) == "null" {
			return nil
		}
		if err := json.Unmarshal(a.Where, w); err != nil {
			return stancegraph.FieldErrorf("where", "bad where: %v", err)
		}
		return nil
	}
	switch f.Name {
	case "actors":
		var w *stancegraph.ActorWhere
		if err := decode(&w); err != nil {
			return nil, err
		}
		el.Kinds, side = stancegraph.ActorKinds, stancegraph.RoleActor
		el.Where, err = w.Cond("where")
		// A kind test on the whole listing narrows the lists read.
		el.Kinds = requiredKinds(&el.Where, el.Kinds)
	case "sources":
		var w *stancegraph.SourceWhere
		if err := decode(&w); err != nil {
			return nil, err
		}
		el.Kinds, side = []stancegraph.Kind{stancegraph.KindSource}, stancegraph.RoleSource
		el.Where, err = w.Cond("where")
	default:
		var w *stancegraph.TargetWhere
		if err := decode(&w); err != nil {
			return nil, err
		}
		el.Kinds, side = []stancegraph.Kind{stancegraph.KindPolicyProposal}, stancegraph.RoleTarget
		if f.Name == "programs" {
			el.Kinds = []stancegraph.Kind{stancegraph.KindProgram}
		}
		el.Where, err = w.Cond("where")
	}
	if err != nil {
		return nil, err
	}
	if el.Page, err = stancegraph.CheckPage(a.relay(), string(el.Order), stancegraph.EntityCursorKeys(el.Order)); err != nil {
		return nil, err
	}
	q := &stancegraph.RootQuery{Entities: el}
	for _, cf := range graphql.CollectFields(b.oc, f.Selections, []string{f.Definition.Type.Name()}) {
		switch cf.Name {
		case "totalCount":
			el.Count = true
		case "edges":
			if !deep {
				continue
			}
			for _, ef := range graphql.CollectFields(b.oc, cf.Selections, []string{cf.Definition.Type.Elem.Name()}) {
				if ef.Name != "node" {
					continue
				}
				if q.Select == nil {
					// The name orders the listing, and its cursors hold it.
					q.Select = &stancegraph.EntitySelect{Props: stancegraph.PropName}
				}
				if err := b.entitySel(ef.Selections, q.Select, side); err != nil {
					return nil, err
				}
			}
		}
	}
	return q, nil
}

// requiredKinds returns the kinds of all that the conjuncts of c allow,
// in the order of all.
func requiredKinds(c *stancegraph.Cond, all []stancegraph.Kind) []stancegraph.Kind {
	allowed := all
	var walk func(c *stancegraph.Cond)
	walk = func(c *stancegraph.Cond) {
		if c.And != nil {
			for i := range c.And {
				walk(&c.And[i])
			}
			return
		}
		if c.Role != stancegraph.RoleSelf || c.Field != stancegraph.FieldKind || (c.Op != stancegraph.OpEq && c.Op != stancegraph.OpIn) {
			return
		}
		var kept []stancegraph.Kind
		for _, k := range allowed {
			if slices.Contains(c.Strs, string(k)) {
				kept = append(kept, k)
			}
		}
		allowed = kept
	}
	walk(c)
	return allowed
}
