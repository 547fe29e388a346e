package neo4jstore

import (
	"fmt"
	"strings"

	"github.com/stancegraph/stancegraph"
)

// backers compiles a backers read into a map: the target (t), its
// positions of the stance in the window in store order (ps; it and the
// relations are read to one more than the bound, to tell it was reached), the PROPOSED relations to it (pr),
// when asked the MEMBER_OF relations to the actors of those positions
// (mb), and, when Actor is set, the actors involved (ac). Each part seeks the target by id
// again: a seek costs less than carrying it through one pipeline.
func (c *compiler) backers(q *stancegraph.BackersRead) string {
	of := c.param(q.Target)
	typ := stanceType(q.Stance)
	// window returns the WHERE of positions r within the window.
	window := func(r string) string {
		var conds []string
		endFrom, startTo, endAsOf := q.Window.Limits()
		for _, l := range []struct{ col, op, day string }{{"statedEnd", ">=", endFrom}, {"statedStart", "<=", startTo}, {"statedEnd", "<=", endAsOf}} {
			if l.day != "" {
				conds = append(conds, fmt.Sprintf("%s.%s %s %s", r, l.col, l.op, c.param(l.day)))
			}
		}
		return and(conds...)
	}
	limit := c.param(stancegraph.MaxBackersPositions + 1)
	t := c.fresh("t")
	parts := []string{fmt.Sprintf("t: head(COLLECT { MATCH (%s:Entity {id: %s}) RETURN %s {%s} })", t, of, t, entityFields)}

	a, r, t := c.fresh("a"), c.fresh("r"), c.fresh("t")
	// Only entities hold positions: the actor end needs no label, whose
	// check would cost a read per position.
	parts = append(parts, fmt.Sprintf("ps: COLLECT { MATCH (%s)-[%s:%s]->(%s:Entity {id: %s})%s WITH * ORDER BY %s.sk, %s.id LIMIT %s RETURN %s }",
		a, r, typ, t, of, window(r), r, r, limit, c.positionProj(a, r, t, q.PosSelect)))

	f, rel, t := c.fresh("f"), c.fresh("rel"), c.fresh("t")
	parts = append(parts, fmt.Sprintf("pr: COLLECT { MATCH (%s:Entity)-[%s:PROPOSED]->(%s:Entity {id: %s}) WITH * ORDER BY %s.id LIMIT %s RETURN %s }",
		f, rel, t, of, f, limit, c.relationProj(f, rel, t, q.Via)))

	// The actors of the positions, each once: the arms of ac's UNION.
	backersOf := func() (string, string) {
		a, r, t := c.fresh("a"), c.fresh("r"), c.fresh("t")
		return a, fmt.Sprintf("MATCH (%s)-[%s:%s]->(%s:Entity {id: %s})%s", a, r, typ, t, of, window(r))
	}
	if q.Members {
		b, match := backersOf()
		f, rel := c.fresh("f"), c.fresh("rel")
		parts = append(parts, fmt.Sprintf("mb: COLLECT { %s WITH DISTINCT %s MATCH (%s:Entity)-[%s:MEMBER_OF]->(%s) WITH * ORDER BY %s.id, %s.id LIMIT %s RETURN %s }",
			match, b, f, rel, b, f, b, limit, c.relationProj(f, rel, b, q.Via)))
	}
	if q.Actor != nil {
		x := c.fresh("x")
		b, match := backersOf()
		arms := []string{fmt.Sprintf("%s RETURN %s AS %s", match, b, x)}
		if q.Members {
			b, match := backersOf()
			m := c.fresh("m")
			arms = append(arms, fmt.Sprintf("%s MATCH (%s:Entity)-[:MEMBER_OF]->(%s) RETURN %s AS %s", match, m, b, m, x))
		}
		if q.Proposers && q.Stance == stancegraph.Supports {
			f, t := c.fresh("f"), c.fresh("t")
			arms = append(arms, fmt.Sprintf("MATCH (%s:Entity)-[:PROPOSED]->(%s:Entity {id: %s}) RETURN %s AS %s", f, t, of, f, x))
		}
		parts = append(parts, fmt.Sprintf("ac: COLLECT { CALL () { %s } WITH DISTINCT %s ORDER BY %s.id RETURN %s }",
			strings.Join(arms, " UNION "), x, x, c.entityProj(x, q.Actor)))
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// relationProj projects a relation row: its columns (relationColumns),
// then its ends as sel asks.
func (c *compiler) relationProj(a, r, b string, sel *stancegraph.RelationSelect) string {
	out := fmt.Sprintf("[type(%[2]s), %[1]s.id, %[3]s.id, %[2]s.role, %[2]s.title, %[2]s.sourceId, %[2]s.quote, %[2]s.statedAt, %[2]s.statedAtQualifier", a, r, b)
	if sel == nil {
		return c.withEnds(out, r, end{v: a}, end{v: b}, nil, nil, nil)
	}
	return c.withEnds(out, r, end{v: a}, end{v: b}, sel.From, sel.To, sel.Source)
}

// relationCols is how many columns of a relation row hold the relation
// itself (relationOf); its ends follow.
const relationCols = 9

func decodeBackers(m map[string]any, q *stancegraph.BackersRead) (*stancegraph.BackersResult, error) {
	res := &stancegraph.BackersResult{}
	if m["t"] == nil {
		return res, nil
	}
	var err error
	if res.Target, err = entityOf(m["t"]); err != nil {
		return nil, err
	}
	for _, row := range list(m["ps"]) {
		if len(res.Positions) == stancegraph.MaxBackersPositions {
			res.Truncated = true
			break
		}
		pr, err := decodePosition(row, q.PosSelect)
		if err != nil {
			return nil, err
		}
		res.Positions = append(res.Positions, pr)
	}
	for _, l := range []struct {
		key string
		out *[]*stancegraph.RelationResult
	}{{"pr", &res.Proposed}, {"mb", &res.Members}} {
		if *l.out, err = decodeRelations(m[l.key], q.Via); err != nil {
			return nil, err
		}
		if len(*l.out) > stancegraph.MaxBackersPositions {
			*l.out, res.Truncated = (*l.out)[:stancegraph.MaxBackersPositions], true
		}
	}
	for _, row := range list(m["ac"]) {
		er, err := decodeEntity(row, q.Actor)
		if err != nil {
			return nil, err
		}
		res.Actors = append(res.Actors, er)
	}
	return res, nil
}

func decodeRelations(v any, sel *stancegraph.RelationSelect) ([]*stancegraph.RelationResult, error) {
	var out []*stancegraph.RelationResult
	for _, x := range list(v) {
		row := list(x)
		if len(row) != relationCols+3 {
			return nil, fmt.Errorf("neo4jstore: a relation row has %d columns", len(row))
		}
		rr := &stancegraph.RelationResult{Relation: relationOf(row[:relationCols])}
		if sel != nil {
			for i, end := range []struct {
				sel *stancegraph.EntitySelect
				out **stancegraph.EntityResult
			}{{sel.From, &rr.From}, {sel.To, &rr.To}, {sel.Source, &rr.Source}} {
				if end.sel != nil && row[relationCols+i] != nil {
					var err error
					if *end.out, err = decodeEntity(row[relationCols+i], end.sel); err != nil {
						return nil, err
					}
				}
			}
		}
		out = append(out, rr)
	}
	return out, nil
}
