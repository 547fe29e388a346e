package neo4jstore

import (
	"context"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/ingest"
	"github.com/stancegraph/stancegraph/search"
)

// positionColumns reads a position from a match of (a)-[r]->(t).
const positionColumns = `r.id, a.id, t.id, type(r), r.strength, r.quote, r.sourceId, r.statedAt, r.statedAtQualifier, r.condition`

// positionOrder is the order of stancegraph.ComparePositions: the stored
// sort key of the date (see positionRow), then the id.
const positionOrder = `r.sk, r.id`

func positionOf(v []any) *stancegraph.Position {
	return &stancegraph.Position{
		ID: str(v[0]), ActorID: str(v[1]), TargetID: str(v[2]), Stance: stancegraph.Stance(str(v[3])),
		Strength: integer(v[4]), Quote: str(v[5]), SourceID: str(v[6]), StatedAt: dateOf(v[7]),
		StatedAtQualifier: stancegraph.DateQualifier(str(v[8])), Condition: str(v[9]),
	}
}

// statedProps adds to props the date d of a relationship: its value and
// qualifier, and the ends of its interval for the filters.
func statedProps(props map[string]any, d stancegraph.PartialDate) map[string]any {
	if d.Value == "" {
		return props
	}
	lo, hi := d.Interval()
	props["statedAt"], props["statedStart"], props["statedEnd"] = string(d.Value), lo, hi
	if q := d.Qualifier.Or(); q != stancegraph.Exact {
		props["statedAtQualifier"] = string(q)
	}
	return props
}

// positionRow is the parameter row that writes p: its ends and the
// properties of its relationship. Besides what a position holds, the
// relationship keeps three keys for the indexes that cut pages (see
// positionIndexes): the ids of its ends, which never change, and sk, the
// sort key of its date (stancegraph.PartialDate.SortKey, ASCII, so Cypher's
// string order is Go's).
func positionRow(p *stancegraph.Position) map[string]any {
	return map[string]any{
		"actor": p.ActorID, "target": p.TargetID, "id": p.ID,
		"props": statedProps(map[string]any{
			"id": p.ID, "strength": p.Strength, "quote": p.Quote, "sourceId": p.SourceID, "condition": nullIfEmpty(p.Condition),
			"searchText": strings.Join(search.PositionWords(p), " "),
			"actorId":    p.ActorID, "targetId": p.TargetID, "sk": p.Stated().SortKey(),
		}, p.Stated()),
	}
}

// writePositions is the statement that writes rows of positionRow of one
// stance; it returns how many it wrote.
func writePositions(typ string) string {
	return `UNWIND $rows AS row
		MATCH (a:Entity {id: row.actor})
		MATCH (t:Entity {id: row.target})
		MERGE (a)-[r:` + typ + ` {id: row.id}]->(t)
		SET r = row.props
		RETURN count(*)`
}

// stanceType returns the relationship type of a validated stance.
func stanceType(s stancegraph.Stance) string {
	if s == stancegraph.Opposes {
		return "OPPOSES"
	}
	return "SUPPORTS"
}

// positionTypes are the relationship types of positions, one per stance.
var positionTypes = func() []string {
	out := make([]string, len(stancegraph.Stances))
	for i, st := range stancegraph.Stances {
		out[i] = stanceType(st)
	}
	return out
}()

// RecordPosition creates or updates the position with p's identity.
func (s *Store) RecordPosition(ctx context.Context, p *stancegraph.Position) (stancegraph.Change, error) {
	// Work on a copy: p gets its id and default strength only on success.
	orig := p
	p, err := stancegraph.Prepare(p)
	if err != nil {
		return 0, err
	}
	typ := stanceType(p.Stance)
	var change stancegraph.Change
	err = s.write(ctx, "record position", func(tx neo4j.ManagedTransaction) error {
		recs, err := s.collect(ctx, tx, `
			OPTIONAL MATCH (a:Entity {id: $actor})
			OPTIONAL MATCH (t:Entity {id: $target})
			OPTIONAL MATCH (src:Entity {id: $source})
			OPTIONAL MATCH (a)-[r:`+typ+` {id: $id}]->(t)
			RETURN properties(a), properties(t), properties(src), `+positionColumns,
			map[string]any{"actor": p.ActorID, "target": p.TargetID, "source": p.SourceID, "id": p.ID})
		if err != nil {
			return err
		}
		v := recs[0].Values
		ends := make([]*stancegraph.Entity, 3)
		for i := range ends {
			if v[i] != nil {
				if ends[i], err = entityOf(v[i]); err != nil {
					return err
				}
			}
		}
		if err := p.CheckEnds(ends[0], ends[1], ends[2]); err != nil {
			return err
		}
		switch {
		case v[3] == nil:
			change = stancegraph.Created
		case positionOf(v[3:]).Equal(p):
			change = stancegraph.Unchanged
			return nil
		default:
			change = stancegraph.Updated
		}
		if _, err = s.collect(ctx, tx, writePositions(typ), map[string]any{"rows": []any{positionRow(p)}}); err != nil {
			return err
		}
		ev, _ := stancegraph.PositionEventOf(change, p)
		return s.logEvents(ctx, tx, []any{eventRow(ev.Change, p)})
	})
	if err != nil {
		return 0, err
	}
	if change != stancegraph.Unchanged {
		s.feedNotifier.notify()
	}
	orig.ID, orig.Strength = p.ID, p.Strength
	return change, nil
}

// RetractPosition deletes a position.
func (s *Store) RetractPosition(ctx context.Context, id string) error {
	if err := stancegraph.ValidateID("id", id); err != nil {
		return err
	}
	err := s.write(ctx, "retract position", func(tx neo4j.ManagedTransaction) error {
		recs, err := s.collect(ctx, tx, `
			CALL () {
				MATCH (a:Entity)-[r:SUPPORTS {id: $id}]->(t:Entity) USING INDEX SEEK r:SUPPORTS(id) RETURN a, r, t
				UNION
				MATCH (a:Entity)-[r:OPPOSES {id: $id}]->(t:Entity) USING INDEX SEEK r:OPPOSES(id) RETURN a, r, t
			}
			WITH a, r, t, [`+positionColumns+`] AS cols
			DELETE r
			RETURN cols`, map[string]any{"id": id})
		if err != nil {
			return err
		}
		if len(recs) == 0 {
			return ingest.PositionNotFound(id)
		}
		rows := make([]any, len(recs))
		for i, r := range recs {
			rows[i] = eventRow(stancegraph.PositionRetracted, positionOf(r.Values[0].([]any)))
		}
		return s.logEvents(ctx, tx, rows)
	})
	if err == nil {
		s.feedNotifier.notify()
	}
	return err
}

// PositionsByID returns the positions with the given ids, in order, nil
// where missing.
func (s *Store) PositionsByID(ctx context.Context, ids []string) ([]*stancegraph.Position, error) {
	if err := stancegraph.CheckBatch("ids", ids); err != nil {
		return nil, err
	}
	out := make([]*stancegraph.Position, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	byID, err := s.positionsByID(s.alone(ctx, "read positions"), ids)
	if err != nil {
		return nil, s.translate(ctx, "read positions", err)
	}
	for i, id := range ids {
		if p := byID[id]; p != nil {
			c := *p
			out[i] = &c
		}
	}
	return out, nil
}

// positionsByID reads the positions of ids that exist, by id, in one
// statement of run.
func (s *Store) positionsByID(run statements, ids []string) (map[string]*stancegraph.Position, error) {
	recs, err := run(`
		UNWIND $ids AS pid
		CALL (pid) {
			MATCH (a:Entity)-[r:SUPPORTS {id: pid}]->(t:Entity) USING INDEX SEEK r:SUPPORTS(id) RETURN a, r, t
			UNION
			MATCH (a:Entity)-[r:OPPOSES {id: pid}]->(t:Entity) USING INDEX SEEK r:OPPOSES(id) RETURN a, r, t
		}
		RETURN `+positionColumns, map[string]any{"ids": ids})
	if err != nil {
		return nil, err
	}
	byID := make(map[string]*stancegraph.Position, len(recs))
	for _, r := range recs {
		p := positionOf(r.Values)
		byID[p.ID] = p
	}
	return byID, nil
}

// Positions returns the positions matching f ordered by statedAt, then id.
func (s *Store) Positions(ctx context.Context, f stancegraph.PositionFilter) ([]*stancegraph.Position, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	typ := "SUPPORTS|OPPOSES"
	if f.Stance != "" {
		typ = stanceType(f.Stance)
	}
	var where []string
	params := map[string]any{}
	for _, c := range []struct {
		ids  []string
		expr string
		name string
	}{
		{f.ActorIDs, `a.id IN $actor`, "actor"},
		{f.TargetIDs, `t.id IN $target`, "target"},
		{f.SourceIDs, `r.sourceId IN $source`, "source"},
	} {
		if len(c.ids) > 0 {
			where = append(where, c.expr)
			params[c.name] = c.ids
		}
	}
	endFrom, startTo, endAsOf := f.Window().Limits()
	for _, c := range []struct {
		day, expr, name string
	}{{endFrom, `r.statedEnd >= $endFrom`, "endFrom"}, {startTo, `r.statedStart <= $startTo`, "startTo"}, {endAsOf, `r.statedEnd <= $endAsOf`, "endAsOf"}} {
		if c.day != "" {
			where = append(where, c.expr)
			params[c.name] = c.day
		}
	}
	cypher := `MATCH (a:Entity)-[r:` + typ + `]->(t:Entity)`
	if len(where) > 0 {
		cypher += ` WHERE ` + strings.Join(where, ` AND `)
	}
	cypher += ` RETURN ` + positionColumns + ` ORDER BY ` + positionOrder
	recs, err := s.query(ctx, "find positions", cypher, params)
	if err != nil {
		return nil, err
	}
	out := make([]*stancegraph.Position, len(recs))
	for i, r := range recs {
		out[i] = positionOf(r.Values)
	}
	return out, nil
}

// positionKeysVersion is the version of the keys positionRow adds for the
// order indexes; a store written before them is backfilled once at start.
const positionKeysVersion = 1

// backfillPositionKeys gives every position written before the order
// indexes its ends' ids and sort key, in batches of importBatch walked in
// id order (the id index's), then records the version so later starts skip
// the work. The
// Cypher sort key is the twin of stancegraph.PartialDate.SortKey
// (TestOpen_BackfillsPositionKeys compares them).
func (s *Store) backfillPositionKeys(ctx context.Context) error {
	version, err := s.metaVersion(ctx, "positionKeys")
	if err != nil || version >= positionKeysVersion {
		return err
	}
	for _, typ := range positionTypes {
		after := ""
		for {
			var n int64
			err := s.write(ctx, "backfill position keys", func(tx neo4j.ManagedTransaction) error {
				recs, err := s.collect(ctx, tx, `MATCH (a)-[r:`+typ+`]->(t) USING INDEX SEEK r:`+typ+`(id) WHERE r.id > $after
					WITH a, r, t ORDER BY r.id LIMIT $batch
					SET r.actorId = a.id, r.targetId = t.id,
					    r.sk = coalesce(r.statedStart + ' ' + r.statedEnd + ' ' + r.statedAt + ' ' + coalesce(r.statedAtQualifier, ''), '')
					RETURN count(*), max(r.id)`, map[string]any{"after": after, "batch": s.importBatch})
				if err == nil && len(recs) == 1 {
					n, _ = recs[0].Values[0].(int64)
					after, _ = recs[0].Values[1].(string)
				}
				return err
			})
			if err != nil {
				return err
			}
			if n < int64(s.importBatch) {
				break
			}
		}
	}
	return s.setMetaVersion(ctx, "positionKeys", positionKeysVersion)
}
