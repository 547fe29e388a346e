package neo4jstore

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/stancegraph/stancegraph"
)

// Read compiles a plan into one parameterised Cypher statement and runs
// it. Every nested level is a COLLECT { } subquery with its own WHERE,
// ORDER BY and LIMIT, so each page is cut in the database and only the rows
// of the pages travel. Labels and relationship types come from the closed
// enums of the domain; every value is a parameter.
func (s *Store) Read(ctx context.Context, p *stancegraph.Plan) (*stancegraph.Result, error) {
	c := &compiler{params: map[string]any{}}
	cols := make([]string, len(p.Roots))
	for i, q := range p.Roots {
		cols[i] = c.root(q) + fmt.Sprintf(" AS r%d", i)
	}
	if len(cols) == 0 {
		return &stancegraph.Result{}, nil
	}
	cypher := "RETURN " + strings.Join(cols, ",\n")
	recs, err := s.query(ctx, "read", cypher, c.params)
	if err != nil {
		return nil, err
	}
	res := &stancegraph.Result{Roots: make([]*stancegraph.RootResult, len(p.Roots))}
	for i, q := range p.Roots {
		if res.Roots[i], err = decodeRoot(q, recs[0].Values[i]); err != nil {
			return nil, s.translate(ctx, "read", err)
		}
	}
	return res, nil
}

// compiler builds one statement: its parameters, and fresh variable names
// so that no subquery shadows another.
type compiler struct {
	params map[string]any
	n      int
}

func (c *compiler) param(v any) string {
	name := fmt.Sprintf("p%d", len(c.params))
	c.params[name] = v
	return "$" + name
}

func (c *compiler) fresh(prefix string) string {
	c.n++
	return fmt.Sprintf("%s%d", prefix, c.n)
}

func (c *compiler) root(q *stancegraph.RootQuery) string {
	switch {
	case q.Entities != nil:
		return c.entityList(q.Entities, q.Select)
	case q.Positions != nil:
		a, r, t := c.fresh("a"), c.fresh("r"), c.fresh("t")
		types, actor := narrow(&q.Positions.Where)
		// Unlabelled ends unless narrowed: only entities hold positions,
		// and a bare pattern lets the count store answer an unfiltered
		// total.
		label := ""
		if actor != "Entity" {
			label = ":" + actor
		}
		match := fmt.Sprintf("MATCH (%s%s)-[%s:%s]->(%s)", a, label, r, types, t)
		return c.positionPage(match, a, r, t, q.Positions, q.PosSelect, &seek{types: types, label: label})
	case q.Backers != nil:
		return c.backers(q.Backers)
	}
	var ents, pos []string
	for _, id := range q.IDs {
		if strings.HasPrefix(id, "pos-") {
			pos = append(pos, id)
		} else {
			ents = append(ents, id)
		}
	}
	// Only the parts that have ids: a seek for an empty list is not
	// always planned as one.
	var parts []string
	if len(ents) > 0 {
		n := c.fresh("n")
		parts = append(parts, fmt.Sprintf("e: COLLECT { MATCH (%s:Entity) WHERE %s.id IN %s RETURN %s }",
			n, n, c.param(ents), c.entityProj(n, q.Select)))
	}
	if len(pos) > 0 {
		ids := c.param(pos)
		for _, typ := range positionTypes {
			a, r, t := c.fresh("a"), c.fresh("r"), c.fresh("t")
			parts = append(parts, fmt.Sprintf("%s: COLLECT { MATCH (%s:Entity)-[%s:%s]->(%s:Entity) USING INDEX SEEK %s:%s(id) WHERE %s.id IN %s RETURN %s }",
				strings.ToLower(typ[:1]), a, r, typ, t, r, typ, r, ids, c.positionProj(a, r, t, q.PosSelect)))
		}
	}
	out := "{" + strings.Join(parts, ", ")
	return out + "}"
}

// entityProj projects entity variable v with what sel asks of it, as a
// list (a list decodes with less work than a map): the properties of
// propNames(sel.Props), then each position page, each stance summary and
// each related list of sel, in sel's order (decodeEntity).
func (c *compiler) entityProj(v string, sel *stancegraph.EntitySelect) string {
	return c.entityProjID(v, v+".id", sel)
}

// entityProjID is entityProj with the entity's id read from id, an
// expression that holds it without reading the node (a position's
// actorId or targetId).
func (c *compiler) entityProjID(v, id string, sel *stancegraph.EntitySelect) string {
	var props stancegraph.Props
	if sel != nil {
		props = sel.Props
	}
	var parts []string
	for _, n := range propNames(props) {
		if n == "id" {
			parts = append(parts, id)
			continue
		}
		parts = append(parts, v+"."+n)
	}
	if sel.Empty() {
		return "[" + strings.Join(parts, ", ") + "]"
	}
	for _, pe := range sel.Positions {
		if pe.Side != stancegraph.RoleSelf {
			parts = append(parts, c.sidePage(v, pe.Side, pe))
			continue
		}
		// A Node-typed selection: the entity's kind decides its role.
		parts = append(parts, fmt.Sprintf("CASE WHEN %s:Source THEN %s WHEN %s:Program OR %s:PolicyProposal THEN %s ELSE %s END",
			v, c.sidePage(v, stancegraph.RoleSource, pe), v, v, c.sidePage(v, stancegraph.RoleTarget, pe), c.sidePage(v, stancegraph.RoleActor, pe)))
	}
	for _, sa := range sel.Summaries {
		a, r := c.fresh("a"), c.fresh("r")
		var conds []string
		endFrom, startTo, endAsOf := sa.Window.Limits()
		for _, l := range []struct{ col, op, day string }{{"statedEnd", ">=", endFrom}, {"statedStart", "<=", startTo}, {"statedEnd", "<=", endAsOf}} {
			if l.day != "" {
				conds = append(conds, fmt.Sprintf("%s.%s %s %s", r, l.col, l.op, c.param(l.day)))
			}
		}
		// Counted with COUNT subqueries: an aggregating function inside a
		// projection of v would make v a grouping key.
		w := and(conds...)
		parts = append(parts, fmt.Sprintf(`[COUNT { MATCH (%s:Entity)-[%s:SUPPORTS]->(%s)%s RETURN DISTINCT %s }, COUNT { MATCH (%s:Entity)-[%s:OPPOSES]->(%s)%s RETURN DISTINCT %s }, COUNT { MATCH (%s:Entity)-[%s:SUPPORTS|OPPOSES]->(%s)%s }]`,
			a, r, v, w, a, a, r, v, w, a, a, r, v, w))
	}
	for _, ra := range sel.Related {
		m, rel := c.fresh("m"), c.fresh("rel")
		pattern := fmt.Sprintf("(%s)<-[%s:%s]-(%s:Entity)", v, rel, ra.Type, m)
		if ra.Out {
			pattern = fmt.Sprintf("(%s)-[%s:%s]->(%s:Entity)", v, rel, ra.Type, m)
		}
		where := ""
		if len(ra.Kinds) > 0 {
			kinds := make([]string, len(ra.Kinds))
			for j, k := range ra.Kinds {
				kinds[j] = string(k)
			}
			where = fmt.Sprintf(" WHERE %s.kind IN %s", m, c.param(kinds))
		}
		row := c.entityProj(m, ra.Select)
		if ra.Edges {
			row = fmt.Sprintf("[%s, %s.role, %s.title]", row, rel, rel)
		}
		parts = append(parts, fmt.Sprintf("COLLECT { MATCH %s%s WITH %s, %s ORDER BY %s.id RETURN %s }",
			pattern, where, m, rel, m, row))
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// sidePage compiles a page of the positions of entity v in role side.
func (c *compiler) sidePage(v string, side stancegraph.Role, pe *stancegraph.PositionsAsk) string {
	a, r, t := c.fresh("a"), c.fresh("r"), c.fresh("t")
	types, actor := narrow(&pe.List.Where)
	// Only entities hold positions: the far ends need a label only to
	// narrow, and checking one costs a read per position.
	label := ""
	if actor != "Entity" {
		label = ":" + actor
	}
	var match string
	var sk *seek
	switch side {
	case stancegraph.RoleActor:
		match = fmt.Sprintf("MATCH (%s)-[%s:%s]->(%s) WITH %s AS %s, %s, %s", v, r, types, t, v, a, r, t)
		sk = &seek{types: types, label: label, scope: v, end: "actorId"}
	case stancegraph.RoleTarget:
		match = fmt.Sprintf("MATCH (%s%s)-[%s:%s]->(%s) WITH %s, %s, %s AS %s", a, label, r, types, v, a, r, v, t)
		sk = &seek{types: types, label: label, scope: v, end: "targetId"}
	default:
		// The relationship indexes on sourceId are per type.
		var arms []string
		for _, typ := range strings.Split(types, "|") {
			arms = append(arms, fmt.Sprintf("MATCH (%s%s)-[%s:%s]->(%s) WHERE %s.sourceId = %s.id RETURN %s, %s, %s", a, label, r, typ, t, r, v, a, r, t))
		}
		match = fmt.Sprintf("CALL (%s) { %s } WITH *", v, strings.Join(arms, " UNION ALL "))
	}
	return c.positionPage(match, a, r, t, &pe.List, pe.Select, sk)
}

// narrow returns the relationship types and the actor labels that the
// conjuncts of c require, so that a pattern reads only those: a stance
// test picks the type, an actor kind test the labels. Labels and types
// come from the closed enums; the tests stay in the WHERE too.
func narrow(c *stancegraph.Cond) (types, actorLabels string) {
	types, actorLabels = "SUPPORTS|OPPOSES", "Entity"
	var walk func(c *stancegraph.Cond)
	walk = func(c *stancegraph.Cond) {
		if c.And != nil {
			for i := range c.And {
				walk(&c.And[i])
			}
			return
		}
		if c.Op != stancegraph.OpEq && c.Op != stancegraph.OpIn {
			return
		}
		switch {
		case c.Role == stancegraph.RoleSelf && c.Field == stancegraph.FieldStance:
			var ts []string
			for _, st := range c.Strs {
				if t := stanceType(stancegraph.Stance(st)); !slices.Contains(ts, t) {
					ts = append(ts, t)
				}
			}
			types = strings.Join(ts, "|")
		case c.Role == stancegraph.RoleActor && c.Field == stancegraph.FieldKind:
			var ls []string
			for _, k := range c.Strs {
				ls = append(ls, stancegraph.Kind(k).Label())
			}
			actorLabels = strings.Join(ls, "|")
		}
	}
	walk(c)
	return types, actorLabels
}

// positionProj projects a position row: its columns (positionOf), then its
// ends as sel asks. A column sel does not read is null, so that Neo4j
// neither reads the property nor sends it. The ids of the ends come from
// the relationship's own keys, which an order index seek has in hand.
func (c *compiler) positionProj(a, r, t string, sel *stancegraph.PositionSelect) string {
	col := func(p stancegraph.Props, expr string) string {
		if !sel.Reads(p) {
			return "null"
		}
		return expr
	}
	out := fmt.Sprintf("[%[1]s.id, %[1]s.actorId, %[1]s.targetId, type(%[1]s), %s, %s, %s, %s, %s, %s", r,
		col(stancegraph.PropStrength, r+".strength"), col(stancegraph.PropQuote, r+".quote"), col(stancegraph.PropSourceID, r+".sourceId"),
		col(stancegraph.PropStated, r+".statedAt"), col(stancegraph.PropStated, r+".statedAtQualifier"), col(stancegraph.PropCondition, r+".condition"))
	// The ends' ids are the position's own keys: a row reads an end's node
	// only for what else is asked of it (its kind, at least).
	actor, target := end{a, r + ".actorId"}, end{t, r + ".targetId"}
	if sel == nil {
		return c.withEnds(out, r, actor, target, nil, nil, nil)
	}
	return c.withEnds(out, r, actor, target, sel.Actor, sel.Target, sel.Source)
}

// end is an end of a relationship in a row: its variable, and an
// expression of its id (the variable's id property when empty).
type end struct{ v, id string }

// withEnds ends the row of relationship r with its ends a and b and its
// source, each projected as its select asks, null when not asked.
func (c *compiler) withEnds(row, r string, a, b end, aSel, bSel, srcSel *stancegraph.EntitySelect) string {
	for _, e := range []struct {
		sel *stancegraph.EntitySelect
		end
	}{{aSel, a}, {bSel, b}} {
		switch {
		case e.sel == nil:
			row += ", null"
		case e.id == "":
			row += ", " + c.entityProj(e.v, e.sel)
		default:
			row += ", " + c.entityProjID(e.v, e.id, e.sel)
		}
	}
	if srcSel == nil {
		return row + ", null]"
	}
	if srcSel.Empty() && srcSel.Props == stancegraph.PropsChosen {
		// Only the source's id: the relationship has it (a relation may
		// have none), and a source is of one kind, so the node need not be
		// looked up.
		return row + fmt.Sprintf(", CASE WHEN %[1]s.sourceId IS NULL THEN null ELSE [%[1]s.sourceId, %[2]s] END]", r, c.param(string(stancegraph.KindSource)))
	}
	src := c.fresh("src")
	return row + fmt.Sprintf(", head(COLLECT { MATCH (%s:Entity {id: %s.sourceId}) RETURN %s })]", src, r, c.entityProj(src, srcSel))
}

// seek says how a page of positions in the default order can read its
// rows from an order index (positionIndexes): by the id of scope, the end
// it lists the positions of (end "actorId" or "targetId"), or, with no
// end, from all positions; types and label narrow as in the match.
type seek struct {
	types, label string
	scope, end   string
}

// positionPage answers a page of the positions match binds to a, r and t.
// In the default order, with sk given, the rows come from order index
// seeks instead, one per relationship type, each stopping at the page's
// limit; the other parts of the page (counts, aggregates, the flags beyond
// the cursors) still use match.
func (c *compiler) positionPage(match, a, r, t string, pl *stancegraph.PositionList, sel *stancegraph.PositionSelect, sk *seek) string {
	cond := c.positionCond(&pl.Where, a, r, t)
	col := func(f stancegraph.Prop) string {
		switch f {
		case stancegraph.FieldStatedAt:
			return r + ".sk"
		case stancegraph.FieldStrength:
			return r + ".strength"
		}
		return r + ".id"
	}
	keys := make([]orderKey, len(pl.Order))
	for i, k := range pl.Order {
		keys[i] = orderKey{col: col(k.Field), desc: k.Desc}
	}
	pr := pageRows{match: match}
	if sk != nil && len(pl.Order) == 2 && pl.Order[0].Field == stancegraph.FieldStatedAt {
		pr.seeks = c.seekRows(sk, a, r, t, cond, keys, pl.Page)
	}
	if sk != nil && sk.label == "" {
		switch sk.end {
		case "actorId":
			pr.degree = fmt.Sprintf("(%s)-[:%s]->()", sk.scope, sk.types)
		case "targetId":
			pr.degree = fmt.Sprintf("()-[:%s]->(%s)", sk.types, sk.scope)
		}
	}
	return c.page(pr, cond, keys, pl.Page, pl.Count, c.positionProj(a, r, t, sel), r, pl.Aggregate, a, t)
}

// seekRows compiles the rows of a page in the default order (statedAt,
// then id, both one way) as one ordered index seek per relationship type,
// each filtered, bounded by the cursors and cut at the limit; the page
// merges them. The hint keeps the planner on the index: without it,
// Neo4j expands every relationship of the node and sorts them.
func (c *compiler) seekRows(sk *seek, a, r, t, cond string, keys []orderKey, pg stancegraph.Page) string {
	ix := positionOrderIndex{end: sk.end}
	dir := ""
	if keys[0].desc != pg.Backward {
		dir = " DESC"
	}
	var order []string
	if sk.end != "" {
		order = append(order, r+"."+sk.end+dir)
	}
	order = append(order, r+".sk"+dir, r+".id"+dir)
	conds := []string{cond}
	if sk.end != "" {
		conds = append(conds, fmt.Sprintf("%s.%s = %s.id", r, sk.end, sk.scope))
	}
	conds = append(conds, r+".sk IS NOT NULL", r+".id IS NOT NULL")
	// The first key bounds the seek's range (seekable).
	bounds := c.cursorBounds(keys, pg)
	conds = append(conds, bounds...)
	where, limit := and(conds...), c.param(pg.Limit+1)
	// A page of one end, or past a cursor, is a seek, and the hint says
	// so: told only to use the index, a planner whose statistics still
	// count the index empty (just after a large import) scans all of it
	// and filters (TestPlan_FreshIndexesAreSought). The first page of all
	// positions is a scan in the index's order.
	hint := "USING INDEX"
	if sk.end != "" || len(bounds) > 0 {
		hint = "USING INDEX SEEK"
	}
	var arms []string
	for _, typ := range strings.Split(sk.types, "|") {
		arms = append(arms, fmt.Sprintf("MATCH (%s%s)-[%s:%s]->(%s) %s %s:%s(%s)%s WITH * ORDER BY %s LIMIT %s RETURN %s, %s, %s",
			a, sk.label, r, typ, t, hint, r, typ, ix.props(""), where, strings.Join(order, ", "), limit, a, r, t))
	}
	return fmt.Sprintf("CALL (%s) { %s }", sk.scope, strings.Join(arms, " UNION ALL "))
}

// pageRows are where a page's rows come from: match, filtered, ordered and
// cut; or, when seeks is set, that subquery, already filtered and cut per
// arm, which the page merges.
type pageRows struct {
	match, seeks string
	// degree, when set, is a bare pattern from a bound node whose count is
	// the unfiltered total; Neo4j answers it from the node's degree.
	degree string
}

type orderKey struct {
	col  string
	desc bool
	val  func(any) any // the column's value of a cursor key; nil: the key itself
}

func (k orderKey) of(v any) any {
	if k.val == nil {
		return v
	}
	return k.val(v)
}

// keyset returns the condition that a row lies after (or, with before,
// before) cursor in the order of keys.
func (c *compiler) keyset(keys []orderKey, cur *stancegraph.Cursor, after bool, inclusive bool) string {
	var ors []string
	for i := range keys {
		var ands []string
		for j := 0; j < i; j++ {
			ands = append(ands, fmt.Sprintf("%s = %s", keys[j].col, c.param(keys[j].of(cur.Keys[j]))))
		}
		op := ">"
		if keys[i].desc != !after {
			op = "<"
		}
		if inclusive && i == len(keys)-1 {
			op += "="
		}
		ands = append(ands, fmt.Sprintf("%s %s %s", keys[i].col, op, c.param(keys[i].of(cur.Keys[i]))))
		ors = append(ors, "("+strings.Join(ands, " AND ")+")")
	}
	return "(" + strings.Join(ors, " OR ") + ")"
}

// cursorBounds returns the tests that keep a page's rows after its after
// cursor and before its before cursor, in the order of keys.
func (c *compiler) cursorBounds(keys []orderKey, pg stancegraph.Page) []string {
	var out []string
	if pg.After != nil {
		out = append(out, c.seekable(keys, pg.After, true))
	}
	if pg.Before != nil {
		out = append(out, c.seekable(keys, pg.Before, false))
	}
	return out
}

// seekable returns the test that a row lies after (or, with !after,
// before) cursor in the order of keys, as keyset does, but written as a
// range on the first key and a test of the rest that the planner cannot
// split: keyset's disjunction becomes a union of index seeks, each reading
// every row beyond the cursor, where the range seeks to the cursor and
// reads on in order until the page is full.
func (c *compiler) seekable(keys []orderKey, cur *stancegraph.Cursor, after bool) string {
	op := ">"
	if keys[0].desc == after {
		op = "<"
	}
	first := c.param(keys[0].of(cur.Keys[0]))
	if len(keys) == 1 {
		return fmt.Sprintf("%s %s %s", keys[0].col, op, first)
	}
	rest := c.keyset(keys[1:], &stancegraph.Cursor{Keys: cur.Keys[1:]}, after, false)
	return fmt.Sprintf("(%s %s= %s AND NOT (%s = %s AND NOT %s))", keys[0].col, op, first, keys[0].col, first, rest)
}

func orderBy(keys []orderKey, reverse bool) string {
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k.col
		if k.desc != reverse {
			parts[i] += " DESC"
		}
	}
	return strings.Join(parts, ", ")
}

func and(conds ...string) string {
	var kept []string
	for _, c := range conds {
		if c != "" && c != "true" {
			kept = append(kept, c)
		}
	}
	if len(kept) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(kept, " AND ")
}

// page compiles a keyset page of the rows match binds, filtered by cond,
// into a map: rows (limit+1 of them, to tell whether more follow), prev and
// next (whether rows lie beyond the cursors), total and agg when asked.
// row is the projection of a row; counted is the variable counted for the
// total; aggregates are over a, r and t.
func (c *compiler) page(pr pageRows, cond string, keys []orderKey, pg stancegraph.Page, count bool, row, counted string, agg *stancegraph.AggregateAsk, a, t string) string {
	match := pr.match
	bounds := c.cursorBounds(keys, pg)
	limit := c.param(pg.Limit + 1)
	rows, w := match, and(append([]string{cond}, bounds...)...)
	if pr.seeks != "" {
		rows, w = pr.seeks, ""
	}
	parts := []string{fmt.Sprintf("rows: COLLECT { %s%s WITH * ORDER BY %s LIMIT %s RETURN %s }",
		rows, w, orderBy(keys, pg.Backward), limit, row)}
	// Beyond the window: rows at or before after, at or after before.
	if pg.After != nil {
		parts = append(parts, fmt.Sprintf("before: EXISTS { %s%s }", match, and(cond, c.keyset(keys, pg.After, false, true))))
	}
	if pg.Before != nil {
		parts = append(parts, fmt.Sprintf("after: EXISTS { %s%s }", match, and(cond, c.keyset(keys, pg.Before, true, true))))
	}
	if count || agg != nil {
		total := fmt.Sprintf("COUNT { %s%s }", match, and(cond))
		if pr.degree != "" && and(cond) == "" {
			total = "COUNT { " + pr.degree + " }"
		}
		parts = append(parts, "total: "+total)
	}
	if agg != nil {
		// COUNT and COLLECT subqueries rather than aggregating functions,
		// which inside a projection would group by the outer variables.
		r, w := counted, and(cond)
		parts = append(parts, fmt.Sprintf("agg: [COUNT { %[1]s%[2]s }, COUNT { %[1]s%[2]s RETURN DISTINCT %[3]s }, COUNT { %[1]s%[2]s RETURN DISTINCT %[4]s }, COUNT { %[1]s%[2]s RETURN DISTINCT %[5]s.sourceId AS s }, "+
			"head(COLLECT { %[1]s%[2]s WITH * ORDER BY %[6]s LIMIT 1 RETURN %[5]s.statedAt }), head(COLLECT { %[1]s%[2]s WITH * ORDER BY %[6]s DESC LIMIT 1 RETURN %[5]s.statedAt })]",
			match, w, a, t, r, r+".sk"))
		if agg.ByStance {
			var by []string
			for _, st := range stancegraph.Stances {
				ws := and(cond, fmt.Sprintf("type(%s) = %s", r, c.param(string(st))))
				by = append(by, fmt.Sprintf("[%s, COUNT { %s%s }, COUNT { %s%s RETURN DISTINCT %s }]", c.param(string(st)), match, ws, match, ws, a))
			}
			parts = append(parts, "by: ["+strings.Join(by, ", ")+"]")
		}
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// entityList compiles a page of an entity listing.
func (c *compiler) entityList(el *stancegraph.EntityList, sel *stancegraph.EntitySelect) string {
	n := c.fresh("n")
	kinds := make([]string, len(el.Kinds))
	for i, k := range el.Kinds {
		kinds[i] = string(k)
	}
	cond := c.entityCond(&el.Where, n)
	var keys []orderKey
	nameKeyOf := func(v any) any { s, _ := v.(string); return nameKey(s) }
	same := func(v any) any { return v }
	switch el.Order {
	case stancegraph.OrderIDAsc:
		keys = []orderKey{{col: n + ".id", val: same}}
	case stancegraph.OrderNameDesc:
		keys = []orderKey{{col: n + ".nameKey", desc: true, val: nameKeyOf}, {col: n + ".id", val: same}}
	default:
		keys = []orderKey{{col: n + ".nameKey", val: nameKeyOf}, {col: n + ".id", val: same}}
	}
	// The IS NOT NULL, always true, and the hint keep the planner on the
	// index in the listing's order, which stops at the page's end; left to
	// itself it may read and sort every entity of the kinds.
	match := fmt.Sprintf("MATCH (%s:Entity) USING INDEX %s:Entity(%s) WHERE %s.kind IN %s AND %s IS NOT NULL WITH %s",
		n, n, strings.TrimPrefix(keys[0].col, n+"."), n, c.param(kinds), keys[0].col, n)
	out := c.page(pageRows{match: match}, cond, keys, el.Page, false, c.entityProj(n, sel), n, nil, "", "")
	if !el.Count {
		return out
	}
	// Counted by label: without a condition the count store answers.
	var counts []string
	for _, k := range el.Kinds {
		m := c.fresh("n")
		// The label is the kind: a test of the kind is known here, and
		// reading the property for it would cost a read per node.
		cond := c.cond(&el.Where, func(x *stancegraph.Cond) string {
			if x.Field == stancegraph.FieldKind && (x.Op == stancegraph.OpEq || x.Op == stancegraph.OpIn) {
				return fmt.Sprint(slices.Contains(x.Strs, string(k)))
			}
			return c.entityTest(x, m)
		})
		counts = append(counts, fmt.Sprintf("COUNT { MATCH (%s:%s)%s }", m, k.Label(), and(cond)))
	}
	if len(counts) == 0 {
		counts = []string{"0"}
	}
	return strings.TrimSuffix(out, "}") + ", total: " + strings.Join(counts, " + ") + "}"
}

// positionCond compiles a condition on positions bound to a, r and t.
func (c *compiler) positionCond(cond *stancegraph.Cond, a, r, t string) string {
	return c.cond(cond, func(x *stancegraph.Cond) string {
		switch x.Role {
		case stancegraph.RoleActor:
			return c.entityTest(x, a)
		case stancegraph.RoleTarget:
			return c.entityTest(x, t)
		case stancegraph.RoleSource:
			s := c.fresh("s")
			return fmt.Sprintf("EXISTS { MATCH (%s:Source {id: %s.sourceId}) WHERE %s }", s, r, c.entityTest(x, s))
		}
		switch x.Field {
		case stancegraph.FieldID:
			return c.op(x, r+".id", false)
		case stancegraph.FieldSourceID:
			return c.op(x, r+".sourceId", false)
		case stancegraph.FieldStance:
			return c.op(x, "type("+r+")", false)
		case stancegraph.FieldStrength:
			return c.op(x, r+".strength", false)
		case stancegraph.FieldStatedAt:
			return c.dateTest(x, r+".statedStart", r+".statedEnd")
		case stancegraph.FieldQuote:
			return c.op(x, r+".quote", false)
		}
		return "false"
	})
}

func (c *compiler) entityCond(cond *stancegraph.Cond, v string) string {
	return c.cond(cond, func(x *stancegraph.Cond) string { return c.entityTest(x, v) })
}

func (c *compiler) entityTest(x *stancegraph.Cond, v string) string {
	switch x.Field {
	case stancegraph.FieldID:
		return c.op(x, v+".id", false)
	case stancegraph.FieldName:
		return c.op(x, v+".name", false)
	case stancegraph.FieldKind:
		return c.op(x, v+".kind", false)
	case stancegraph.FieldCountry:
		return c.op(x, v+".country", true)
	case stancegraph.FieldSourceKind:
		return c.op(x, v+".sourceKind", true)
	case stancegraph.FieldPublishedAt:
		return c.dateTest(x, v+".publishedStart", v+".publishedEnd")
	case stancegraph.FieldTopics:
		return fmt.Sprintf("coalesce(%s IN %s.topics, false)", c.param(x.Strs[0]), v)
	case stancegraph.FieldNameContains:
		w := c.fresh("w")
		return fmt.Sprintf("any(%s IN coalesce(%s.searchNames, []) WHERE %s CONTAINS %s)", w, v, w, c.param(x.Strs[0]))
	}
	return "false"
}

// dateTest compiles a test on a date through the ends of its interval,
// start and end (day strings), as stancegraph.DateTest defines it; a
// missing date passes no test.
func (c *compiler) dateTest(x *stancegraph.Cond, start, end string) string {
	alts, err := stancegraph.DateTest(x.Op, x.Strs)
	if err != nil || len(alts) == 0 {
		return "false"
	}
	ors := make([]string, len(alts))
	for i, bs := range alts {
		ands := make([]string, len(bs))
		for j, b := range bs {
			col := start
			if b.End == stancegraph.IntervalFinish {
				col = end
			}
			ands[j] = fmt.Sprintf("%s %s %s", col, b.Op, c.param(b.Day))
		}
		ors[i] = "(" + strings.Join(ands, " AND ") + ")"
	}
	return "coalesce((" + strings.Join(ors, " OR ") + "), false)"
}

// op compiles one test of expr; a nullable expr is made false when it is
// missing, so that NOT means the same as in Go.
func (c *compiler) op(x *stancegraph.Cond, expr string, nullable bool) string {
	var operand string
	switch {
	case x.Ints != nil && x.Op == stancegraph.OpIn:
		operand = c.param(x.Ints)
	case x.Ints != nil:
		operand = c.param(x.Ints[0])
	case x.Op == stancegraph.OpIn:
		operand = c.param(x.Strs)
	default:
		operand = c.param(x.Strs[0])
	}
	sym := map[stancegraph.Op]string{
		stancegraph.OpEq: "=", stancegraph.OpIn: "IN", stancegraph.OpContains: "CONTAINS", stancegraph.OpStartsWith: "STARTS WITH",
		stancegraph.OpLt: "<", stancegraph.OpLte: "<=", stancegraph.OpGt: ">", stancegraph.OpGte: ">=",
	}[x.Op]
	if sym == "" {
		return "false"
	}
	test := fmt.Sprintf("%s %s %s", expr, sym, operand)
	if nullable {
		return "coalesce(" + test + ", false)"
	}
	return test
}

// cond compiles a condition with leaf compiling its tests.
func (c *compiler) cond(x *stancegraph.Cond, leaf func(*stancegraph.Cond) string) string {
	join := func(xs []stancegraph.Cond, sep, empty string) string {
		if len(xs) == 0 {
			return empty
		}
		parts := make([]string, len(xs))
		for i := range xs {
			parts[i] = c.cond(&xs[i], leaf)
		}
		return "(" + strings.Join(parts, sep) + ")"
	}
	switch {
	case x == nil:
		return "true"
	case x.And != nil:
		return join(x.And, " AND ", "true")
	case x.Or != nil:
		return join(x.Or, " OR ", "false")
	case x.Not != nil:
		return "NOT " + c.cond(x.Not, leaf)
	case x.Field == "":
		return "true"
	}
	return leaf(x)
}

// Decoding mirrors compiling.

func decodeRoot(q *stancegraph.RootQuery, v any) (*stancegraph.RootResult, error) {
	m, _ := v.(map[string]any)
	rr := &stancegraph.RootResult{}
	var err error
	switch {
	case q.Entities != nil:
		var rows []any
		rr.Entities = &stancegraph.EntityPage{}
		rows, rr.Entities.PageFlags, rr.Entities.Total = pageOf(m, q.Entities.Page)
		for _, row := range rows {
			er, err := decodeEntity(row, q.Select)
			if err != nil {
				return nil, err
			}
			rr.Entities.Rows = append(rr.Entities.Rows, er)
		}
	case q.Positions != nil:
		if rr.Positions, err = decodePage(m, q.Positions, q.PosSelect); err != nil {
			return nil, err
		}
	case q.Backers != nil:
		if rr.Backers, err = decodeBackers(m, q.Backers); err != nil {
			return nil, err
		}
	default:
		byID := map[string]any{}
		for _, row := range list(m["e"]) {
			er, err := decodeEntity(row, q.Select)
			if err != nil {
				return nil, err
			}
			byID[er.Entity.ID] = er
		}
		for _, k := range []string{"s", "o"} {
			for _, row := range list(m[k]) {
				pr, err := decodePosition(row, q.PosSelect)
				if err != nil {
					return nil, err
				}
				byID[pr.Position.ID] = pr
			}
		}
		rr.Nodes = make([]any, len(q.IDs))
		// Each occurrence of an id gets its own result.
		seen := map[string]bool{}
		for i, id := range q.IDs {
			if x, ok := byID[id]; ok {
				if seen[id] {
					x = cloneNode(x)
				}
				seen[id] = true
				rr.Nodes[i] = x
			}
		}
	}
	return rr, nil
}

func cloneNode(x any) any {
	switch x := x.(type) {
	case *stancegraph.EntityResult:
		c := *x
		c.Entity = x.Entity.Clone()
		return &c
	case *stancegraph.PositionResult:
		c := *x
		p := *x.Position
		c.Position = &p
		return &c
	}
	return x
}

func list(v any) []any {
	xs, _ := v.([]any)
	return xs
}

// pageOf reads the rows (limit+1 fetched) and page information of a page
// map in the page's order.
func pageOf(m map[string]any, pg stancegraph.Page) ([]any, stancegraph.PageFlags, int) {
	rows := list(m["rows"])
	more := len(rows) > pg.Limit
	if more {
		rows = rows[:pg.Limit]
	}
	var info stancegraph.PageFlags
	before, _ := m["before"].(bool)
	after, _ := m["after"].(bool)
	if pg.Backward {
		slices.Reverse(rows)
		info.HasPreviousPage = more || before
		info.HasNextPage = after
	} else {
		info.HasNextPage = more || after
		info.HasPreviousPage = before
	}
	return rows, info, integer(m["total"])
}

func decodePage(m map[string]any, pl *stancegraph.PositionList, sel *stancegraph.PositionSelect) (*stancegraph.PositionPage, error) {
	page := &stancegraph.PositionPage{}
	var rows []any
	rows, page.PageFlags, page.Total = pageOf(m, pl.Page)
	page.Rows = make([]*stancegraph.PositionResult, len(rows))
	for i, row := range rows {
		pr, err := decodePosition(row, sel)
		if err != nil {
			return nil, err
		}
		page.Rows[i] = pr
	}
	if pl.Aggregate != nil {
		agg := &stancegraph.PositionAggregate{}
		if a := list(m["agg"]); len(a) == 6 {
			agg.Count, agg.Actors, agg.Targets, agg.Sources = integer(a[0]), integer(a[1]), integer(a[2]), integer(a[3])
			if a[4] != nil {
				agg.StatedAt = &stancegraph.DateRange{Min: dateOf(a[4]), Max: dateOf(a[5])}
			}
		}
		if pl.Aggregate.ByStance {
			by := map[stancegraph.Stance]stancegraph.StanceCount{}
			for _, x := range list(m["by"]) {
				v := list(x)
				st := stancegraph.Stance(str(v[0]))
				if integer(v[1]) == 0 {
					continue
				}
				by[st] = stancegraph.StanceCount{Stance: st, Count: integer(v[1]), Actors: integer(v[2])}
			}
			for _, st := range stancegraph.Stances {
				if sc, ok := by[st]; ok {
					agg.ByStance = append(agg.ByStance, sc)
				}
			}
		}
		page.Aggregate = agg
	}
	return page, nil
}

// positionCols is how many columns of a position row hold the position
// itself (positionOf); its ends follow.
const positionCols = 10

func decodePosition(v any, sel *stancegraph.PositionSelect) (*stancegraph.PositionResult, error) {
	row := list(v)
	if len(row) < positionCols+3 {
		return nil, fmt.Errorf("neo4jstore: a position row has %d columns", len(row))
	}
	pr := &stancegraph.PositionResult{Position: positionOf(row[:positionCols])}
	if sel == nil {
		return pr, nil
	}
	var err error
	for i, end := range []struct {
		sel *stancegraph.EntitySelect
		out **stancegraph.EntityResult
	}{{sel.Actor, &pr.Actor}, {sel.Target, &pr.Target}, {sel.Source, &pr.Source}} {
		if end.sel != nil && row[positionCols+i] != nil {
			if *end.out, err = decodeEntity(row[positionCols+i], end.sel); err != nil {
				return nil, err
			}
		}
	}
	return pr, nil
}

func decodeEntity(v any, sel *stancegraph.EntitySelect) (*stancegraph.EntityResult, error) {
	var props stancegraph.Props
	if sel != nil {
		props = sel.Props
	}
	e, rest, err := entityOfList(list(v), props)
	if err != nil {
		return nil, err
	}
	er := &stancegraph.EntityResult{Entity: e}
	if sel.Empty() {
		return er, nil
	}
	if want := len(sel.Positions) + len(sel.Summaries) + len(sel.Related); len(rest) != want {
		return nil, fmt.Errorf("neo4jstore: an entity row has %d columns after its properties, not %d", len(rest), want)
	}
	for _, pe := range sel.Positions {
		pm, _ := rest[0].(map[string]any)
		rest = rest[1:]
		page, err := decodePage(pm, &pe.List, pe.Select)
		if err != nil {
			return nil, err
		}
		if er.Positions == nil {
			er.Positions = map[string]*stancegraph.PositionPage{}
		}
		er.Positions[pe.Key] = page
	}
	for _, sa := range sel.Summaries {
		if er.Summaries == nil {
			er.Summaries = map[string]stancegraph.StanceSummary{}
		}
		var s stancegraph.StanceSummary
		if xs := list(rest[0]); len(xs) == 3 {
			s = stancegraph.StanceSummary{Supporters: integer(xs[0]), Opposers: integer(xs[1]), Positions: integer(xs[2])}
		}
		rest = rest[1:]
		er.Summaries[sa.Key] = s
	}
	for _, ra := range sel.Related {
		if er.Related == nil {
			er.Related = map[string][]*stancegraph.EntityResult{}
		}
		out := []*stancegraph.EntityResult{}
		var edges []*stancegraph.Relation
		xs := list(rest[0])
		rest = rest[1:]
		for _, x := range xs {
			if ra.Edges {
				row := list(x)
				if len(row) != 3 {
					return nil, fmt.Errorf("neo4jstore: a relation row has %d columns", len(row))
				}
				x = row[0]
				edges = append(edges, &stancegraph.Relation{Type: ra.Type, Role: str(row[1]), Title: str(row[2])})
			}
			o, err := decodeEntity(x, ra.Select)
			if err != nil {
				return nil, err
			}
			out = append(out, o)
			if ra.Edges {
				e := edges[len(edges)-1]
				e.From, e.To = er.Entity.ID, o.Entity.ID
				if !ra.Out {
					e.From, e.To = o.Entity.ID, er.Entity.ID
				}
			}
		}
		er.Related[ra.Key] = out
		if ra.Edges {
			if er.Relations == nil {
				er.Relations = map[string][]*stancegraph.Relation{}
			}
			er.Relations[ra.Key] = edges
		}
	}
	return er, nil
}
