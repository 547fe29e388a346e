package neo4jstore

import (
	"context"
	"slices"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/ingest"
)

// relationRow is the parameter row that writes r: its ends and the
// properties of its relationship.
func relationRow(r *stancegraph.Relation) map[string]any {
	props := map[string]any{}
	for k, v := range map[string]string{"role": r.Role, "title": r.Title, "sourceId": r.SourceID, "quote": r.Quote} {
		if v != "" {
			props[k] = v
		}
	}
	return map[string]any{"from": r.From, "to": r.To, "props": statedProps(props, r.Stated())}
}

// relationColumns reads a relation from a match of (a)-[r]->(b).
const relationColumns = `type(r), a.id, b.id, r.role, r.title, r.sourceId, r.quote, r.statedAt, r.statedAtQualifier`

func relationOf(v []any) *stancegraph.Relation {
	return &stancegraph.Relation{Type: stancegraph.RelType(str(v[0])), From: str(v[1]), To: str(v[2]), Role: str(v[3]), Title: str(v[4]),
		SourceID: str(v[5]), Quote: str(v[6]), StatedAt: dateOf(v[7]), StatedAtQualifier: stancegraph.DateQualifier(str(v[8]))}
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// writeRelations is the statement that writes rows of relationRow of one
// validated type; it returns how many it wrote.
func writeRelations(typ stancegraph.RelType) string {
	return `UNWIND $rows AS row
		MATCH (a:Entity {id: row.from})
		MATCH (b:Entity {id: row.to})
		MERGE (a)-[r:` + string(typ) + `]->(b)
		SET r = row.props
		RETURN count(*)`
}

// Relate creates or updates a relation.
func (s *Store) Relate(ctx context.Context, r *stancegraph.Relation) (stancegraph.Change, error) {
	r, err := ingest.Relation(r)
	if err != nil {
		return 0, err
	}
	var change stancegraph.Change
	err = s.write(ctx, "relate", func(tx neo4j.ManagedTransaction) error {
		recs, err := s.collect(ctx, tx, `
			OPTIONAL MATCH (a:Entity {id: $from})
			OPTIONAL MATCH (b:Entity {id: $to})
			OPTIONAL MATCH (src:Entity {id: $source})
			OPTIONAL MATCH (a)-[r:`+string(r.Type)+`]->(b)
			RETURN properties(a), properties(b), properties(src), r IS NOT NULL, `+relationColumns,
			map[string]any{"from": r.From, "to": r.To, "source": r.SourceID})
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
		var old *stancegraph.Relation
		if v[3] == true {
			old = relationOf(v[4:])
		}
		if change, err = ingest.RelationChange(ctx, r, ends[0], ends[1], ends[2], old, s.parentsIn(tx)); err != nil || change == stancegraph.Unchanged {
			return err
		}
		_, err = s.collect(ctx, tx, writeRelations(r.Type), map[string]any{"rows": []any{relationRow(r)}})
		return err
	})
	if err != nil {
		return 0, err
	}
	return change, nil
}

// Unrelate deletes a relation.
func (s *Store) Unrelate(ctx context.Context, typ stancegraph.RelType, from, to string) error {
	// A checked type is never spliced into Cypher but as a known name.
	if err := ingest.Unrelate(typ, from, to); err != nil {
		return err
	}
	return s.write(ctx, "unrelate", func(tx neo4j.ManagedTransaction) error {
		recs, err := s.collect(ctx, tx, `
			MATCH (a:Entity {id: $from}) USING INDEX SEEK a:Entity(id)
			MATCH (b:Entity {id: $to}) USING INDEX SEEK b:Entity(id)
			MATCH (a)-[r:`+string(typ)+`]->(b)
			DELETE r
			RETURN count(*)`, map[string]any{"from": from, "to": to})
		if err != nil {
			return err
		}
		if integer(recs[0].Values[0]) == 0 {
			return ingest.RelationNotFound(typ, from, to)
		}
		return nil
	})
}

// Relations returns the relations matching f ordered by type, from, then to.
func (s *Store) Relations(ctx context.Context, f stancegraph.RelationFilter) ([]*stancegraph.Relation, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	types := f.Types
	if len(types) == 0 {
		types = stancegraph.RelTypes
	}
	names := make([]string, 0, len(types))
	for _, t := range types {
		if !slices.Contains(names, string(t)) {
			names = append(names, string(t))
		}
	}
	// Start from the ids through the unique index. Given `b.id IN $to`,
	// the planner scanned the whole id index instead (PROFILE), a cost
	// that grew with the graph. The ids are deduplicated so that UNWIND
	// finds each relation once.
	rel := `-[r:` + strings.Join(names, "|") + `]->`
	params := map[string]any{}
	var cypher string
	switch {
	case len(f.FromIDs) > 0:
		params["from"] = dedupe(f.FromIDs)
		cypher = `UNWIND $from AS id MATCH (a:Entity {id: id})` + rel + `(b:Entity)`
		if len(f.ToIDs) > 0 {
			params["to"] = f.ToIDs
			cypher += ` WHERE b.id IN $to`
		}
	case len(f.ToIDs) > 0:
		params["to"] = dedupe(f.ToIDs)
		cypher = `UNWIND $to AS id MATCH (a:Entity)` + rel + `(b:Entity {id: id})`
	default:
		cypher = `MATCH (a:Entity)` + rel + `(b:Entity)`
	}
	cypher += ` RETURN ` + relationColumns + ` ORDER BY type(r), a.id, b.id`
	recs, err := s.query(ctx, "find relations", cypher, params)
	if err != nil {
		return nil, err
	}
	out := make([]*stancegraph.Relation, len(recs))
	for i, r := range recs {
		out[i] = relationOf(r.Values)
	}
	return out, nil
}

// dedupe returns ids without repeats, in first-seen order.
func dedupe(ids []string) []string {
	seen := make(map[string]bool, len(ids))
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// parentsIn returns a stancegraph.ParentsFunc that reads PART_OF parents in
// tx.
func (s *Store) parentsIn(tx neo4j.ManagedTransaction) stancegraph.ParentsFunc {
	return func(ctx context.Context, ids []string) ([]string, error) {
		recs, err := s.collect(ctx, tx, `UNWIND $ids AS id
			MATCH (a:Entity {id: id})-[:PART_OF]->(p:Entity)
			RETURN a.id, p.id`, map[string]any{"ids": ids})
		if err != nil {
			return nil, err
		}
		parent := make(map[string]string, len(recs))
		for _, r := range recs {
			parent[str(r.Values[0])] = str(r.Values[1])
		}
		out := make([]string, len(ids))
		for i, id := range ids {
			out[i] = parent[id]
		}
		return out, nil
	}
}
