package neo4jstore

import (
	"context"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/ingest"
	"github.com/stancegraph/stancegraph/search"
)

// entityProps returns the node properties of e. Empty fields are left out,
// so that `SET n = $props` removes what an update clears.
func entityProps(e *stancegraph.Entity) map[string]any {
	p := map[string]any{
		"id":          e.ID,
		"kind":        string(e.Kind),
		"name":        e.Name,
		"nameKey":     nameKey(e.Name),
		"searchText":  strings.Join(search.EntityWords(e), " "),
		"searchNames": searchNames(e),
	}
	for k, v := range map[string]string{
		"description": e.Description, "url": e.URL, "country": e.Country, "summary": e.Summary,
		"sourceKind": string(e.SourceKind), "publisher": e.Publisher, "author": e.Author,
	} {
		if v != "" {
			p[k] = v
		}
	}
	if len(e.Aliases) > 0 {
		p["aliases"] = e.Aliases
	}
	if len(e.Topics) > 0 {
		p["topics"] = e.Topics
	}
	if len(e.ExternalIDs) > 0 {
		p["externalIds"] = e.ExternalKeys() // "scheme|value", indexed
	}
	if e.PublishedAt != "" {
		p["publishedAt"] = string(e.PublishedAt)
		// The interval's ends, which the where filters compare.
		p["publishedStart"], p["publishedEnd"] = e.Published().Interval()
		if q := e.PublishedAtQualifier.Or(); q != stancegraph.Exact {
			p["publishedAtQualifier"] = string(q)
		}
	}
	return p
}

// nameKey is the hex of the UTF-8 of name. Cypher orders strings by UTF-16
// code units, Go and the other stores by code point; the two differ past
// U+FFFF. The key is ASCII and sorts by code point under both.
func nameKey(name string) string { return hex.EncodeToString([]byte(name)) }

// entityFields projects the properties entityOf reads, and not the keys
// kept for indexes (nameKey, searchText, the published interval), which
// would travel with every row of a page for nothing.
var entityFields = entityFieldsOf(0)

// propFields are the properties each stancegraph.Props stands for; id and
// kind are always read.
var propFields = []struct {
	prop  stancegraph.Props
	names []string
}{
	{stancegraph.PropName, []string{"name"}}, {stancegraph.PropAliases, []string{"aliases"}}, {stancegraph.PropDescription, []string{"description"}}, {stancegraph.PropURL, []string{"url"}},
	{stancegraph.PropCountry, []string{"country"}}, {stancegraph.PropSummary, []string{"summary"}}, {stancegraph.PropTopics, []string{"topics"}},
	{stancegraph.PropSourceKind, []string{"sourceKind"}}, {stancegraph.PropPublisher, []string{"publisher"}},
	{stancegraph.PropPublished, []string{"publishedAt", "publishedAtQualifier"}}, {stancegraph.PropAuthor, []string{"author"}},
	{stancegraph.PropExternalIDs, []string{"externalIds"}},
}

// propNames lists the properties of an entity that props reads, in the
// order of propFields, after id and kind.
func propNames(props stancegraph.Props) []string {
	out := []string{"id", "kind"}
	for _, pf := range propFields {
		if props.Has(pf.prop) {
			out = append(out, pf.names...)
		}
	}
	return out
}

// entityFieldsOf projects what props asks of an entity as a map: only
// that, when a query named its fields, so that a page of 500 rows asking
// for ids does not carry 500 descriptions.
func entityFieldsOf(props stancegraph.Props) string {
	names := propNames(props)
	for i, n := range names {
		names[i] = "." + n
	}
	return strings.Join(names, ", ")
}

// entityOf decodes node properties, or a map of them.
func entityOf(v any) (*stancegraph.Entity, error) {
	var p map[string]any
	switch v := v.(type) {
	case neo4j.Node:
		p = v.Props
	case map[string]any:
		p = v
	default:
		return nil, fmt.Errorf("neo4jstore: an entity is a %T, not a node", v)
	}
	e := &stancegraph.Entity{}
	for _, name := range allEntityProps {
		setEntityProp(e, name, p[name])
	}
	return e, checkKind(e)
}

var allEntityProps = propNames(0)

// entityOfList decodes the first columns of a row that entityProps(props)
// projected as a list; the rest of the row follows them.
func entityOfList(row []any, props stancegraph.Props) (e *stancegraph.Entity, rest []any, err error) {
	e = &stancegraph.Entity{}
	i := 0
	set := func(name string) {
		if i < len(row) {
			setEntityProp(e, name, row[i])
		}
		i++
	}
	set("id")
	set("kind")
	for _, pf := range propFields {
		if props.Has(pf.prop) {
			for _, n := range pf.names {
				set(n)
			}
		}
	}
	if i > len(row) {
		return nil, nil, fmt.Errorf("neo4jstore: an entity row has %d columns, not %d", len(row), i)
	}
	return e, row[i:], checkKind(e)
}

func checkKind(e *stancegraph.Entity) error {
	if !e.Kind.Valid() {
		return fmt.Errorf("neo4jstore: entity %q has kind %q", e.ID, e.Kind)
	}
	return nil
}

// setEntityProp sets the field of e that property name holds.
func setEntityProp(e *stancegraph.Entity, name string, v any) {
	switch name {
	case "id":
		e.ID = str(v)
	case "kind":
		e.Kind = stancegraph.Kind(str(v))
	case "name":
		e.Name = str(v)
	case "aliases":
		e.Aliases = strs(v)
	case "description":
		e.Description = str(v)
	case "url":
		e.URL = str(v)
	case "country":
		e.Country = str(v)
	case "summary":
		e.Summary = str(v)
	case "topics":
		e.Topics = strs(v)
	case "sourceKind":
		e.SourceKind = stancegraph.SourceKind(str(v))
	case "publisher":
		e.Publisher = str(v)
	case "publishedAt":
		e.PublishedAt = dateOf(v)
	case "publishedAtQualifier":
		e.PublishedAtQualifier = stancegraph.DateQualifier(str(v))
	case "author":
		e.Author = str(v)
	case "externalIds":
		for _, k := range strs(v) {
			scheme, value, _ := strings.Cut(k, "|")
			e.ExternalIDs = append(e.ExternalIDs, stancegraph.ExternalID{Scheme: scheme, Value: value})
		}
	}
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func strs(v any) []string {
	xs, _ := v.([]any)
	if len(xs) == 0 {
		return nil
	}
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = str(x)
	}
	return out
}

func integer(v any) int {
	n, _ := v.(int64)
	return int(n)
}

// Dates are stored as the strings of stancegraph.Date: a Neo4j date cannot
// hold a reduced precision. A dated relationship also stores the first and
// last days of its interval (statedStart, statedEnd: day strings, indexed),
// which the date filters compare; see stancegraph.DateWindow. A Neo4j date
// written by an older version still reads back.
func dateOf(v any) stancegraph.Date {
	switch v := v.(type) {
	case neo4j.Date:
		return stancegraph.Date(v.Time().Format(time.DateOnly))
	case string:
		return stancegraph.Date(v)
	}
	return ""
}

// UpsertEntity creates e or replaces the data of the entity with its id.
func (s *Store) UpsertEntity(ctx context.Context, e *stancegraph.Entity) (stancegraph.Change, error) {
	e, err := ingest.Entity(e)
	if err != nil {
		return 0, err
	}
	props := entityProps(e)
	var change stancegraph.Change
	err = s.write(ctx, "upsert entity", func(tx neo4j.ManagedTransaction) error {
		old, err := s.entityIn(ctx, tx, `MATCH (n:Entity {id: $id}) RETURN properties(n)`, map[string]any{"id": e.ID})
		if err != nil {
			return err
		}
		if change, err = ingest.EntityChange(ctx, e, old, s.externalIn(tx)); err != nil || change == stancegraph.Unchanged {
			return err
		}
		if change == stancegraph.Created {
			// MERGE, not CREATE: it locks the id, so a racing create becomes an
			// update of what the other one wrote.
			if old, err = s.entityIn(ctx, tx, `MERGE (n:Entity {id: $id})
				ON CREATE SET n = $props, n:`+e.Kind.Label()+`
				RETURN properties(n)`, map[string]any{"id": e.ID, "props": props}); err != nil {
				return err
			}
			if old.Equal(e) {
				return nil
			}
			// Another write created it first: judge this one as its update.
			if change, err = ingest.EntityChange(ctx, e, old, s.externalIn(tx)); err != nil || change == stancegraph.Unchanged {
				return err
			}
		}
		_, err = s.collect(ctx, tx, `MATCH (n:Entity {id: $id}) SET n = $props`, map[string]any{"id": e.ID, "props": props})
		return err
	})
	if err != nil {
		return 0, err
	}
	return change, nil
}

// entityIn runs a statement that returns the properties of at most one
// entity, and returns it, or nil.
func (s *Store) entityIn(ctx context.Context, tx neo4j.ManagedTransaction, cypher string, params map[string]any) (*stancegraph.Entity, error) {
	recs, err := s.collect(ctx, tx, cypher, params)
	if err != nil || len(recs) == 0 {
		return nil, err
	}
	return entityOf(recs[0].Values[0])
}

// Entities returns the entities with the given ids, in order, nil where
// missing.
func (s *Store) Entities(ctx context.Context, ids []string) ([]*stancegraph.Entity, error) {
	if err := stancegraph.CheckBatch("ids", ids); err != nil {
		return nil, err
	}
	out := make([]*stancegraph.Entity, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	byID, err := s.entitiesByID(s.alone(ctx, "read entities"), ids)
	if err != nil {
		return nil, s.translate(ctx, "read entities", err)
	}
	for i, id := range ids {
		if e := byID[id]; e != nil {
			out[i] = e.Clone()
		}
	}
	return out, nil
}

// entitiesByID reads the entities of ids that exist, by id, in one
// statement of run.
func (s *Store) entitiesByID(run statements, ids []string) (map[string]*stancegraph.Entity, error) {
	recs, err := run(`UNWIND $ids AS id MATCH (n:Entity {id: id}) RETURN properties(n)`, map[string]any{"ids": ids})
	if err != nil {
		return nil, err
	}
	byID := make(map[string]*stancegraph.Entity, len(recs))
	for _, r := range recs {
		e, err := entityOf(r.Values[0])
		if err != nil {
			return nil, err
		}
		byID[e.ID] = e
	}
	return byID, nil
}

// FindEntities returns a page of the entities matching f and the number
// that match in all.
func (s *Store) FindEntities(ctx context.Context, f stancegraph.EntityFilter) ([]*stancegraph.Entity, int, error) {
	limit, err := f.Validate()
	if err != nil {
		return nil, 0, err
	}
	var where []string
	params := map[string]any{}
	// The count reads the kinds by label (validated, then spliced): a
	// label scan reads only the kinds asked for, and without other filters
	// the count store answers. The page reads the name index in order and
	// stops at the end of the page.
	var labels []string
	if len(f.Kinds) > 0 {
		kinds := make([]string, len(f.Kinds))
		for i, k := range f.Kinds {
			kinds[i] = string(k)
			if !slices.Contains(labels, k.Label()) {
				labels = append(labels, k.Label())
			}
		}
		params["kinds"] = kinds
	} else {
		labels = []string{"Entity"}
	}
	if f.NameContains != "" {
		where = append(where, `any(x IN n.searchNames WHERE x CONTAINS $needle)`)
		params["needle"] = strings.ToLower(f.NameContains)
	}
	if f.Country != "" {
		where = append(where, `n.country = $country`)
		params["country"] = f.Country
	}
	if f.Topic != "" {
		where = append(where, `$topic IN n.topics`)
		params["topic"] = f.Topic
	}
	if f.SourceKind != "" {
		where = append(where, `n.sourceKind = $sourceKind`)
		params["sourceKind"] = string(f.SourceKind)
	}
	// The IS NOT NULL, always true, lets the planner read in index order.
	var order, indexed string
	switch f.OrderBy {
	case "", stancegraph.OrderNameAsc:
		order, indexed = `n.nameKey, n.id`, `n.nameKey IS NOT NULL`
	case stancegraph.OrderNameDesc:
		order, indexed = `n.nameKey DESC, n.id`, `n.nameKey IS NOT NULL`
	case stancegraph.OrderIDAsc:
		order, indexed = `n.id`, `n.id IS NOT NULL`
	default:
		return nil, 0, stancegraph.FieldErrorf("orderBy", "%q is not a valid order", f.OrderBy)
	}
	params["offset"], params["limit"] = f.Offset, limit
	filter := ``
	if len(where) > 0 {
		filter = ` WHERE ` + strings.Join(where, ` AND `)
	}
	var counts []string
	for _, l := range labels {
		counts = append(counts, `MATCH (n:`+l+`)`+filter+` RETURN count(n) AS c`)
	}
	count := `CALL () { ` + strings.Join(counts, ` UNION ALL `) + ` } RETURN sum(c)`
	if len(f.Kinds) > 0 {
		where = append(where, `n.kind IN $kinds`)
	}
	match := `MATCH (n:Entity) WHERE ` + strings.Join(append(where, indexed), ` AND `)
	var (
		page  []*stancegraph.Entity
		total int
	)
	err = s.read(ctx, "find entities", func(tx neo4j.ManagedTransaction) error {
		recs, err := s.collect(ctx, tx, count, params)
		if err != nil {
			return err
		}
		total = integer(recs[0].Values[0])
		page = []*stancegraph.Entity{}
		if total <= f.Offset {
			return nil
		}
		recs, err = s.collect(ctx, tx, match+` RETURN properties(n) ORDER BY `+order+` SKIP $offset LIMIT $limit`, params)
		if err != nil {
			return err
		}
		page = make([]*stancegraph.Entity, 0, len(recs))
		for _, r := range recs {
			e, err := entityOf(r.Values[0])
			if err != nil {
				return err
			}
			page = append(page, e)
		}
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	return page, total, nil
}

// DeleteEntity deletes an entity, its relations and its positions, unless it
// is a source that positions cite.
func (s *Store) DeleteEntity(ctx context.Context, id string) error {
	if err := stancegraph.ValidateID("id", id); err != nil {
		return err
	}
	var retracted bool
	err := s.write(ctx, "delete entity", func(tx neo4j.ManagedTransaction) error {
		retracted = false
		recs, err := s.collect(ctx, tx, `MATCH (n:Entity {id: $id})
			RETURN n.kind,
			       COUNT { ()-[r:SUPPORTS]->() WHERE r.sourceId = $id } + COUNT { ()-[r:OPPOSES]->() WHERE r.sourceId = $id },
			       CASE n.kind WHEN 'SOURCE' THEN `+citingRelations()+` ELSE 0 END`,
			map[string]any{"id": id})
		if err != nil {
			return err
		}
		if len(recs) == 0 {
			return ingest.EntityNotFound(id)
		}
		if err := ingest.Deletable(id, integer(recs[0].Values[1]), integer(recs[0].Values[2])); err != nil {
			return err
		}
		recs, err = s.collect(ctx, tx, `MATCH (a:Entity)-[r:SUPPORTS|OPPOSES]->(t:Entity) WHERE a.id = $id OR t.id = $id
			RETURN `+positionColumns+` ORDER BY r.id`, map[string]any{"id": id})
		if err != nil {
			return err
		}
		rows := make([]any, len(recs))
		for i, r := range recs {
			rows[i] = eventRow(stancegraph.PositionRetracted, positionOf(r.Values))
		}
		retracted = len(rows) > 0
		if _, err = s.collect(ctx, tx, `MATCH (n:Entity {id: $id}) DETACH DELETE n`, map[string]any{"id": id}); err != nil {
			return err
		}
		return s.logEvents(ctx, tx, rows)
	})
	if err == nil && retracted {
		s.feedNotifier.notify()
	}
	return err
}

// externalIn returns a stancegraph.ExternalFunc that reads in tx. The
// range index on externalIds narrows the scan to the entities that have
// any; a list element cannot be seeked directly.
func (s *Store) externalIn(tx neo4j.ManagedTransaction) stancegraph.ExternalFunc {
	return func(ctx context.Context, xs []stancegraph.ExternalID) ([]*stancegraph.Entity, error) {
		keys := make([]string, len(xs))
		for i, x := range xs {
			keys[i] = x.Key()
		}
		recs, err := s.collect(ctx, tx, `MATCH (n:Entity) WHERE n.externalIds IS NOT NULL AND any(k IN n.externalIds WHERE k IN $keys)
			RETURN properties(n)`, map[string]any{"keys": keys})
		if err != nil {
			return nil, err
		}
		byKey := map[string]*stancegraph.Entity{}
		for _, r := range recs {
			e, err := entityOf(r.Values[0])
			if err != nil {
				return nil, err
			}
			for _, k := range e.ExternalKeys() {
				byKey[k] = e
			}
		}
		out := make([]*stancegraph.Entity, len(xs))
		for i, k := range keys {
			out[i] = byKey[k]
		}
		return out, nil
	}
}
