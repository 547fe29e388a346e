package neo4jstore

import (
	"context"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/search"
)

// searchCandidates bounds how many full-text hits of each index Search
// ranks. The indexes find the candidates; matching and ranking are done by
// search.Query so that they match the embedded store exactly.
const searchCandidates = 10000

// searchNames returns the lower-cased name and aliases of e.
func searchNames(e *stancegraph.Entity) []string {
	out := []string{strings.ToLower(e.Name)}
	for _, a := range e.Aliases {
		out = append(out, strings.ToLower(a))
	}
	return out
}

// Search finds the entities and positions whose searchText holds, for
// every word of query, a word it begins.
func (s *Store) Search(ctx context.Context, query string, f stancegraph.SearchFilter) ([]stancegraph.SearchHit, error) {
	limit, err := f.Validate()
	if err != nil {
		return nil, err
	}
	params := map[string]any{"index": searchIndex, "posIndex": positionSearchIndex, "max": searchCandidates}
	filter := ""
	if len(f.Kinds) > 0 {
		ks := make([]string, len(f.Kinds))
		for i, k := range f.Kinds {
			ks[i] = string(k)
		}
		filter = ` WHERE node.kind IN $kinds`
		params["kinds"] = ks
	}
	q := search.Parse(query)
	if len(q.Words()) == 0 {
		if err := ctx.Err(); err != nil {
			return nil, s.translate(ctx, "search", err)
		}
		return nil, nil
	}
	// Every word is required, as a prefix. Words hold only letters and
	// digits, none of which Lucene's query syntax treats specially.
	terms := make([]string, len(q.Words()))
	for i, w := range q.Words() {
		terms[i] = "+" + w + "*"
	}
	params["query"] = strings.Join(terms, " ")

	// One statement, one round trip: the entities' candidates and, unless
	// only entities are asked for, the positions'.
	positions := "[]"
	if !f.EntitiesOnly {
		positions = `COLLECT { CALL db.index.fulltext.queryRelationships($posIndex, $query, {limit: $max})
			YIELD relationship AS r
			WITH r, startNode(r) AS a, endNode(r) AS t
			RETURN [` + positionColumns + `] }`
	}
	recs, err := s.query(ctx, "search", `RETURN COLLECT { CALL db.index.fulltext.queryNodes($index, $query, {limit: $max}) YIELD node`+
		filter+` RETURN properties(node) }, `+positions, params)
	if err != nil {
		return nil, err
	}
	var hits []stancegraph.SearchHit
	for _, v := range list(recs[0].Values[0]) {
		e, err := entityOf(v)
		if err != nil {
			return nil, s.translate(ctx, "search", err)
		}
		if sc, ok := q.ScoreEntity(e); ok {
			hits = append(hits, stancegraph.SearchHit{Entity: e, Score: sc})
		}
	}
	for _, v := range list(recs[0].Values[1]) {
		p := positionOf(list(v))
		if sc, ok := q.ScorePosition(p); ok {
			hits = append(hits, stancegraph.SearchHit{Position: p, Score: sc})
		}
	}
	search.SortHits(hits)
	if len(hits) > limit {
		hits = hits[:limit]
	}
	return hits, nil
}

// searchVersion numbers what the searchText properties hold; a store whose
// meta node records an older version gets them rewritten once, on Open.
// Version 2 added summaries and quotes.
const searchVersion = 2

// backfillSearch rewrites the searchText of the proposals and positions of
// a store written before searchVersion. It is idempotent, and a row
// changed meanwhile keeps what its own write set.
func (s *Store) backfillSearch(ctx context.Context) error {
	version, err := s.metaVersion(ctx, "search")
	if err != nil || version >= searchVersion {
		return err
	}
	var rows []any
	err = s.read(ctx, "read search text", func(tx neo4j.ManagedTransaction) error {
		rows = rows[:0]
		recs, err := s.collect(ctx, tx, `MATCH (n:Entity) WHERE n.summary IS NOT NULL RETURN properties(n)`, nil)
		if err != nil {
			return err
		}
		for _, r := range recs {
			e, err := entityOf(r.Values[0])
			if err != nil {
				return err
			}
			rows = append(rows, map[string]any{"id": e.ID, "summary": e.Summary,
				"text": strings.Join(search.EntityWords(e), " ")})
		}
		return nil
	})
	if err != nil {
		return err
	}
	err = each(rows, defaultImportBatch, func(rows []any) error {
		return s.write(ctx, "backfill search text", func(tx neo4j.ManagedTransaction) error {
			_, err := s.collect(ctx, tx, `UNWIND $rows AS row
				MATCH (n:Entity {id: row.id}) WHERE n.summary = row.summary
				SET n.searchText = row.text`, map[string]any{"rows": rows})
			return err
		})
	})
	if err != nil {
		return err
	}
	for _, typ := range positionTypes {
		err = s.read(ctx, "read search text", func(tx neo4j.ManagedTransaction) error {
			rows = rows[:0]
			recs, err := s.collect(ctx, tx, `MATCH ()-[r:`+typ+`]->() WHERE r.searchText IS NULL RETURN r.id, r.quote`, nil)
			if err != nil {
				return err
			}
			for _, r := range recs {
				p := &stancegraph.Position{Quote: str(r.Values[1])}
				rows = append(rows, map[string]any{"id": str(r.Values[0]), "quote": p.Quote,
					"text": strings.Join(search.PositionWords(p), " ")})
			}
			return nil
		})
		if err != nil {
			return err
		}
		err = each(rows, defaultImportBatch, func(rows []any) error {
			return s.write(ctx, "backfill search text", func(tx neo4j.ManagedTransaction) error {
				_, err := s.collect(ctx, tx, `UNWIND $rows AS row
					MATCH ()-[r:`+typ+` {id: row.id}]->() WHERE r.quote = row.quote
					SET r.searchText = row.text`, map[string]any{"rows": rows})
				return err
			})
		})
		if err != nil {
			return err
		}
	}
	return s.setMetaVersion(ctx, "search", searchVersion)
}

// metaVersion returns the version of what the store keeps for key (search
// words, position keys...), as recorded on its StancegraphMeta node: 0 for
// a store written before key had one.
func (s *Store) metaVersion(ctx context.Context, key string) (int64, error) {
	var version int64
	err := s.read(ctx, "check the "+key+" version", func(tx neo4j.ManagedTransaction) error {
		recs, err := s.collect(ctx, tx, `OPTIONAL MATCH (m:StancegraphMeta {key: $key}) RETURN coalesce(m.version, 0)`, map[string]any{"key": key})
		if err == nil && len(recs) == 1 {
			version, _ = recs[0].Values[0].(int64)
		}
		return err
	})
	return version, err
}

// setMetaVersion records that the store keeps version v of key.
func (s *Store) setMetaVersion(ctx context.Context, key string, v int64) error {
	return s.write(ctx, "record the "+key+" version", func(tx neo4j.ManagedTransaction) error {
		_, err := s.collect(ctx, tx, `MERGE (m:StancegraphMeta {key: $key}) SET m.version = $v`, map[string]any{"key": key, "v": v})
		return err
	})
}
