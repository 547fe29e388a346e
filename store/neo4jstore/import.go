package neo4jstore

import (
	"context"
	"fmt"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/ingest"
)

// defaultImportBatch is how many rows one UNWIND statement of an import
// carries.
const defaultImportBatch = 2000

// Import writes g in one transaction: all of it or, when any part is
// invalid or anything fails, nothing. ingest.Prepare checks it in the
// transaction that writes it, reading what it needs there. Entries are
// counted as if applied in order, so an entry given twice counts once as
// written and once as unchanged.
func (s *Store) Import(ctx context.Context, g *stancegraph.Graph) (stancegraph.ImportResult, error) {
	var res stancegraph.ImportResult
	err := s.write(ctx, "import", func(tx neo4j.ManagedTransaction) error {
		// The driver may run this again: start from nothing each time.
		plan, err := ingest.Prepare(ctx, g, stored{s: s, tx: tx})
		if err != nil {
			return err
		}
		im := importer{s: s, ctx: ctx, tx: tx}
		if err := im.run(plan); err != nil {
			return err
		}
		res = im.res
		return nil
	})
	if err != nil {
		return stancegraph.ImportResult{}, err
	}
	if res.Positions.Created+res.Positions.Updated > 0 {
		s.feedNotifier.notify()
	}
	return res, nil
}

// stored is what ingest.Prepare reads of the store, in tx.
type stored struct {
	s  *Store
	tx neo4j.ManagedTransaction
}

func (v stored) Entities(ctx context.Context, ids []string) ([]*stancegraph.Entity, error) {
	byID, err := v.s.entitiesByID(v.s.within(ctx, v.tx), ids)
	if err != nil {
		return nil, err
	}
	out := make([]*stancegraph.Entity, len(ids))
	for i, id := range ids {
		out[i] = byID[id]
	}
	return out, nil
}

func (v stored) External(ctx context.Context, xs []stancegraph.ExternalID) ([]*stancegraph.Entity, error) {
	return v.s.externalIn(v.tx)(ctx, xs)
}

func (v stored) Parents(ctx context.Context, ids []string) ([]string, error) {
	return v.s.parentsIn(v.tx)(ctx, ids)
}

type importer struct {
	s       *Store
	ctx     context.Context
	tx      neo4j.ManagedTransaction
	res     stancegraph.ImportResult
	batches int
	events  []any // rows of eventRow
}

func (im *importer) run(g *ingest.Plan) error {
	if err := im.entities(g.Entities); err != nil {
		return err
	}
	if err := im.relations(g.Relations); err != nil {
		return err
	}
	return im.positions(g.Positions)
}

// each calls fn with consecutive batches of xs.
func each[T any](xs []T, size int, fn func([]T) error) error {
	for start := 0; start < len(xs); start += size {
		if err := fn(xs[start:min(start+size, len(xs))]); err != nil {
			return err
		}
	}
	return nil
}

// write runs one batch statement and checks that it wrote every row: a row
// that matched nothing means an end was deleted since the graph was checked.
func (im *importer) write(what, cypher string, rows []any) error {
	recs, err := im.s.collect(im.ctx, im.tx, cypher, map[string]any{"rows": rows})
	if err != nil {
		return err
	}
	if n := integer(recs[0].Values[0]); n != len(rows) {
		return stancegraph.Errorf(stancegraph.ECONFLICT, "import: %d of %d %s could not be written because their ends changed meanwhile; nothing was written", len(rows)-n, len(rows), what)
	}
	im.batches++
	if hook := im.s.afterImportBatch; hook != nil {
		return hook(im.batches)
	}
	return nil
}

func (im *importer) entities(es []*stancegraph.Entity) error {
	ids := make([]string, 0, len(es))
	seen := make(map[string]bool, len(es))
	for _, e := range es {
		if !seen[e.ID] {
			seen[e.ID] = true
			ids = append(ids, e.ID)
		}
	}
	state := make(map[string]*stancegraph.Entity, len(ids))
	err := each(ids, stancegraph.MaxBatchIDs, func(batch []string) error {
		found, err := im.s.entitiesByID(im.s.within(im.ctx, im.tx), batch)
		for id, e := range found {
			state[id] = e
		}
		return err
	})
	if err != nil {
		return err
	}
	dirty := map[string]*stancegraph.Entity{}
	var order []string
	for _, e := range es {
		old := state[e.ID]
		switch {
		case old == nil:
			im.res.Entities.Add(stancegraph.Created)
		case old.Kind != e.Kind:
			return ingest.KindConflict(e, old.Kind)
		case old.Equal(e):
			im.res.Entities.Add(stancegraph.Unchanged)
			continue
		default:
			im.res.Entities.Add(stancegraph.Updated)
		}
		state[e.ID] = e
		if dirty[e.ID] == nil {
			order = append(order, e.ID)
		}
		dirty[e.ID] = e
	}
	byKind := map[stancegraph.Kind][]any{}
	for _, id := range order {
		e := dirty[id]
		byKind[e.Kind] = append(byKind[e.Kind], entityProps(e))
	}
	for _, k := range stancegraph.Kinds {
		err := each(byKind[k], im.s.importBatch, func(rows []any) error {
			return im.write("entities", `UNWIND $rows AS row
				MERGE (n:Entity {id: row.id})
				ON CREATE SET n:`+k.Label()+`
				SET n = row
				RETURN count(*)`, rows)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

func (im *importer) relations(rs []*stancegraph.Relation) error {
	byType := map[stancegraph.RelType][]*stancegraph.Relation{}
	for _, r := range rs {
		byType[r.Type] = append(byType[r.Type], r)
	}
	for _, typ := range stancegraph.RelTypes {
		group := byType[typ]
		if len(group) == 0 {
			continue
		}
		// What is stored now, keyed from|to.
		state := map[string]*stancegraph.Relation{}
		err := each(group, stancegraph.MaxBatchIDs, func(batch []*stancegraph.Relation) error {
			rows := make([]any, len(batch))
			for i, r := range batch {
				rows[i] = map[string]any{"from": r.From, "to": r.To}
			}
			// The hints pin the plan to two seeks and an Expand(Into), which
			// walks the end with fewer relationships. Left to itself, with
			// statistics from an emptier graph, the planner may expand from
			// a hub (an association with thousands of members) on every row.
			recs, err := im.s.collect(im.ctx, im.tx, `UNWIND $rows AS row
				MATCH (a:Entity {id: row.from}) USING INDEX SEEK a:Entity(id)
				MATCH (b:Entity {id: row.to}) USING INDEX SEEK b:Entity(id)
				MATCH (a)-[r:`+string(typ)+`]->(b)
				RETURN `+relationColumns, map[string]any{"rows": rows})
			for _, rec := range recs {
				r := relationOf(rec.Values)
				state[r.From+"|"+r.To] = r
			}
			return err
		})
		if err != nil {
			return err
		}
		dirty := map[string]*stancegraph.Relation{}
		var order []string
		for _, r := range group {
			key := r.From + "|" + r.To
			old := state[key]
			switch {
			case old == nil:
				im.res.Relations.Add(stancegraph.Created)
			case old.Equal(r):
				im.res.Relations.Add(stancegraph.Unchanged)
				continue
			default:
				im.res.Relations.Add(stancegraph.Updated)
			}
			state[key] = r
			if dirty[key] == nil {
				order = append(order, key)
			}
			dirty[key] = r
		}
		rows := make([]any, len(order))
		for i, key := range order {
			rows[i] = relationRow(dirty[key])
		}
		if err := each(rows, im.s.importBatch, func(batch []any) error {
			return im.write(fmt.Sprintf("%s relations", typ), writeRelations(typ), batch)
		}); err != nil {
			return err
		}
	}
	return nil
}

func (im *importer) positions(ps []*stancegraph.Position) error {
	// ingest.Prepare has normalised every position: ids and strengths are set.
	ids := make([]string, 0, len(ps))
	seen := make(map[string]bool, len(ps))
	for _, p := range ps {
		if !seen[p.ID] {
			seen[p.ID] = true
			ids = append(ids, p.ID)
		}
	}
	state := make(map[string]*stancegraph.Position, len(ids))
	err := each(ids, stancegraph.MaxBatchIDs, func(batch []string) error {
		found, err := im.s.positionsByID(im.s.within(im.ctx, im.tx), batch)
		for id, p := range found {
			state[id] = p
		}
		return err
	})
	if err != nil {
		return err
	}
	byStance := map[stancegraph.Stance][]any{}
	written := map[string]bool{}
	for _, p := range ps {
		old := state[p.ID]
		change := stancegraph.Updated
		switch {
		case old == nil:
			change = stancegraph.Created
		case old.Equal(p):
			im.res.Positions.Add(stancegraph.Unchanged)
			continue
		}
		im.res.Positions.Add(change)
		if ev, ok := stancegraph.PositionEventOf(change, p); ok {
			im.events = append(im.events, eventRow(ev.Change, p))
		}
		state[p.ID] = p
		// ingest.Prepare rejects a position given twice with different data, so
		// the first of equal copies is the one to write.
		if !written[p.ID] {
			written[p.ID] = true
			byStance[p.Stance] = append(byStance[p.Stance], positionRow(p))
		}
	}
	for _, st := range stancegraph.Stances {
		typ := stanceType(st)
		if err := each(byStance[st], im.s.importBatch, func(rows []any) error {
			return im.write(fmt.Sprintf("%s positions", typ), writePositions(typ), rows)
		}); err != nil {
			return err
		}
	}
	return im.s.logEvents(im.ctx, im.tx, im.events)
}
