package dataset

import (
	"cmp"
	"context"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"regexp"
	"slices"
	"strconv"

	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/ingest"
)

// Target is what an import writes to: a stancegraph.Store, or a client of a
// running server's API.
type Target interface {
	// Entities returns the stored entities with the given ids, nil where
	// missing (at most stancegraph.MaxBatchIDs ids).
	Entities(ctx context.Context, ids []string) ([]*stancegraph.Entity, error)
	// Import writes a graph: all of it or nothing.
	Import(ctx context.Context, g *stancegraph.Graph) (stancegraph.ImportResult, error)
}

var _ Target = stancegraph.Store(nil)

// Progress hears how a long import goes. Phases follow one another; each
// counts records.
type Progress interface {
	Phase(name string, total int)
	Add(n int)
}

type noProgress struct{}

func (noProgress) Phase(string, int) {}
func (noProgress) Add(int)           {}

// Options tune an import.
type Options struct {
	// DryRun validates the input and writes nothing.
	DryRun bool
	// Batch, when positive, applies the validated input in Target.Import
	// calls of at most this many entries (entities first), each all or
	// nothing. Negative applies it in one call, all or nothing, reading a
	// streamed input into memory to do so. Zero is the default: one call
	// for an input in memory, DefaultStreamBatch for a streamed one, which
	// is then never held in memory whole.
	Batch int
	// Progress, if set, hears how the import goes.
	Progress Progress
}

// DefaultStreamBatch is the batch of a streamed input when none is given.
const DefaultStreamBatch = 20000

// checkBatch is how many entries one ingest.Check call validates.
const checkBatch = 10000

// Report is what an import read and did.
type Report struct {
	Entities, Relations, Positions int // records read, duplicates included
	Result                         stancegraph.ImportResult
	// Batches is the number of Target.Import calls that committed.
	Batches int
}

// BatchError is a failure while a validated input was applied in batches:
// the batches before it were written, the failing one was not.
type BatchError struct {
	Applied int // batches committed
	Entries int // entries in them
	Err     error
}

func (e *BatchError) Error() string {
	if code := stancegraph.ErrorCode(e.Err); code == stancegraph.EUNAUTHORIZED || code == stancegraph.EFORBIDDEN {
		// Running it again changes nothing: the credentials must change.
		done := "nothing was written"
		if e.Applied > 0 {
			done = fmt.Sprintf("%d batches (%d entries) were written before it", e.Applied, e.Entries)
		}
		return fmt.Sprintf("the import was refused (%s): %s; %s", code, stancegraph.ErrorMessage(e.Err), done)
	}
	return fmt.Sprintf("batch %d failed after %d batches (%d entries) were written; nothing of the failed batch was written, and importing the same input again completes the import: %s",
		e.Applied+1, e.Applied, e.Entries, stancegraph.ErrorMessage(e.Err))
}

func (e *BatchError) Unwrap() error { return e.Err }

// Import validates src as a whole against itself and t, reporting every
// problem (a *ProblemsError, and nothing is written), then unless
// opts.DryRun applies it to t.
func Import(ctx context.Context, src Source, t Target, opts Options) (Report, error) {
	if opts.Progress == nil {
		opts.Progress = noProgress{}
	}
	if opts.Batch == 0 && Streamed(src) {
		opts.Batch = DefaultStreamBatch
	}
	total, err := src.Len(ctx)
	if err != nil {
		return Report{}, err
	}
	v := &validator{src: src, t: t, total: total, progress: opts.Progress}
	rep, err := v.run(ctx)
	if err != nil || opts.DryRun {
		return rep, err
	}
	if opts.Batch <= 0 {
		opts.Progress.Phase("writing in one transaction", 0)
		g := &stancegraph.Graph{}
		err := src.Records(ctx, func(r *Record) error {
			switch {
			case r.Entity != nil:
				g.Entities = append(g.Entities, r.Entity)
			case r.Relation != nil:
				g.Relations = append(g.Relations, r.Relation)
			case r.Position != nil:
				g.Positions = append(g.Positions, r.Position)
			}
			return nil
		})
		if err != nil {
			return rep, err
		}
		res, err := t.Import(ctx, g)
		if err != nil {
			return rep, err
		}
		rep.Result, rep.Batches = res, 1
		opts.Progress.Add(total)
		return rep, nil
	}
	return rep, apply(ctx, src, t, opts, total, &rep)
}

// apply writes a validated input in batches: every entity first, so that
// each batch of relations and positions finds its ends stored.
func apply(ctx context.Context, src Source, t Target, opts Options, total int, rep *Report) error {
	opts.Progress.Phase("writing", total)
	entries := 0
	g := &stancegraph.Graph{}
	n := 0
	flush := func() error {
		if n == 0 {
			return nil
		}
		res, err := t.Import(ctx, g)
		if err != nil {
			return &BatchError{Applied: rep.Batches, Entries: entries, Err: err}
		}
		addResult(&rep.Result, res)
		rep.Batches++
		entries += n
		opts.Progress.Add(n)
		g, n = &stancegraph.Graph{}, 0
		return nil
	}
	for _, entities := range []bool{true, false} {
		err := src.Records(ctx, func(r *Record) error {
			switch {
			case r.Entity != nil && entities:
				g.Entities = append(g.Entities, r.Entity)
			case r.Relation != nil && !entities:
				g.Relations = append(g.Relations, r.Relation)
			case r.Position != nil && !entities:
				g.Positions = append(g.Positions, r.Position)
			default:
				return nil
			}
			if n++; n >= opts.Batch {
				return flush()
			}
			return nil
		})
		if err != nil {
			return err
		}
		if err := flush(); err != nil {
			return err
		}
	}
	return nil
}

func addResult(sum *stancegraph.ImportResult, r stancegraph.ImportResult) {
	for _, p := range []struct{ s, r *stancegraph.Counts }{{&sum.Entities, &r.Entities}, {&sum.Relations, &r.Relations}, {&sum.Positions, &r.Positions}} {
		p.s.Created += p.r.Created
		p.s.Updated += p.r.Updated
		p.s.Unchanged += p.r.Unchanged
	}
}

// validator checks an input in two passes of bounded batches, so that its
// memory grows with the number of entities but only by 16 bytes per
// position: pass one checks the entities and remembers their kinds, pass
// two checks relations and positions against them and the target.
type validator struct {
	src      Source
	t        Target
	total    int
	progress Progress

	problems  []Problem
	omitted   int
	files     map[string]int // the order in which files come
	fileNames []string
	// entities holds each valid entity of the input: its kind and a hash
	// of its data, to find an id given twice with different data.
	entities map[string]entityInfo
	// keys holds, for each relation and position, its identity, a hash of
	// its data and its ordinal; sorted, it shows identities given twice
	// with different data.
	keys     []identity
	conflict map[uint32]uint32 // ordinal -> ordinal of the first copy
	origins  map[uint32]Origin // of first copies in conflict
	// partOf holds the valid PART_OF relations, whose hierarchy is checked
	// as a whole once every relation has been read.
	partOf []*Record
}

type entityInfo struct {
	kind    stancegraph.Kind
	hash    uint64
	file    uint32 // index in files
	line    uint32
	invalid bool
}

type identity struct {
	key     uint64
	data    uint32
	ordinal uint32
}

// MaxProblems bounds the problems an import reports; it counts the rest.
const MaxProblems = 10000

func (v *validator) problem(r *Record, field, code, msg string) {
	o := r.Origin
	if line := r.fieldLines[field]; line > 0 {
		o.Line = line
	}
	v.add(Problem{Origin: o, Entry: r.name(), Field: field, Code: code, Msg: msg})
}

func (v *validator) add(p Problem) {
	if len(v.problems) == MaxProblems {
		v.omitted++
		return
	}
	v.problems = append(v.problems, p)
}

func (v *validator) run(ctx context.Context) (Report, error) {
	var rep Report
	v.entities = map[string]entityInfo{}
	v.keys = make([]identity, 0, v.total)

	// Pass one: decoding failures and entities; identities of the rest.
	v.progress.Phase("checking entities", v.total)
	var batch []*Record
	ordinal := uint32(0)
	v.files = map[string]int{}
	err := v.src.Records(ctx, func(r *Record) error {
		ordinal++
		v.progress.Add(1)
		if _, ok := v.files[r.Origin.File]; !ok {
			v.files[r.Origin.File] = len(v.files)
			v.fileNames = append(v.fileNames, r.Origin.File)
		}
		switch {
		case r.Problem != nil:
			v.add(*r.Problem)
		case r.Entity != nil:
			rep.Entities++
			e := r.Entity
			h := hashJSON(e)
			if prev, dup := v.entities[e.ID]; dup {
				if prev.hash != h {
					first := Origin{File: v.fileNames[prev.file], Line: int(prev.line)}
					v.problem(r, "id", stancegraph.ECONFLICT, fmt.Sprintf("id %q is given twice with different data (first at %s)", e.ID, first))
				}
				return nil
			}
			v.entities[e.ID] = entityInfo{kind: e.Kind, hash: h, file: uint32(v.files[r.Origin.File]), line: uint32(r.Origin.Line)}
			if batch = append(batch, r); len(batch) == checkBatch {
				return v.checkEntities(ctx, &batch)
			}
		case r.Relation != nil:
			rep.Relations++
			rel := r.Relation
			v.keys = append(v.keys, identity{key: hashStrings("r", string(rel.Type), rel.From, rel.To),
				data: uint32(hashStrings(rel.Role, rel.Title, rel.SourceID, rel.Quote, string(rel.StatedAt), string(rel.StatedAtQualifier.Or()))), ordinal: ordinal})
		case r.Position != nil:
			rep.Positions++
			p := r.Position
			strength := p.Strength
			if strength == 0 {
				strength = 1
			}
			v.keys = append(v.keys, identity{key: positionKey(p),
				data: uint32(hashStrings(strconv.Itoa(strength), p.Quote, string(p.StatedAt), string(p.StatedAtQualifier.Or()), p.Condition)), ordinal: ordinal})
		}
		return nil
	})
	if err == nil {
		err = v.checkEntities(ctx, &batch)
	}
	if err != nil {
		return rep, err
	}
	v.findConflicts()

	// Pass two: relations and positions.
	v.progress.Phase("checking relations and positions", v.total)
	ordinal = 0
	err = v.src.Records(ctx, func(r *Record) error {
		ordinal++
		v.progress.Add(1)
		if r.Relation == nil && r.Position == nil {
			return nil
		}
		if first, ok := v.conflict[ordinal]; ok {
			if r.Relation != nil {
				v.problem(r, "", stancegraph.ECONFLICT, fmt.Sprintf("the same relation is given twice with different role, title or evidence (first at %s)", v.origins[first]))
			} else {
				v.problem(r, "", stancegraph.ECONFLICT, fmt.Sprintf("the same actor, target, stance and source are given twice with different data (first at %s)", v.origins[first]))
			}
			return nil
		}
		if batch = append(batch, r); len(batch) == checkBatch {
			return v.checkRest(ctx, &batch)
		}
		return nil
	})
	if err == nil {
		err = v.checkRest(ctx, &batch)
	}
	if err == nil {
		err = v.checkHierarchy(ctx)
	}
	if err != nil {
		return rep, err
	}
	if len(v.problems) > 0 {
		slices.SortStableFunc(v.problems, func(a, b Problem) int {
			return cmp.Or(cmp.Compare(v.files[a.File], v.files[b.File]), cmp.Compare(a.Line, b.Line))
		})
		return rep, &ProblemsError{Problems: v.problems, Omitted: v.omitted}
	}
	return rep, nil
}

// findConflicts sorts the identities of relations and positions and keeps
// the ordinals of the copies that differ from the first one.
func (v *validator) findConflicts() {
	slices.SortFunc(v.keys, func(a, b identity) int {
		return cmp.Or(cmp.Compare(a.key, b.key), cmp.Compare(a.ordinal, b.ordinal))
	})
	v.conflict = map[uint32]uint32{}
	v.origins = map[uint32]Origin{}
	first := 0
	for i := 1; i < len(v.keys); i++ {
		switch k := v.keys[i]; {
		case k.key != v.keys[first].key:
			first = i
		case k.data != v.keys[first].data:
			v.conflict[k.ordinal] = v.keys[first].ordinal
			v.origins[v.keys[first].ordinal] = Origin{}
		}
	}
	v.keys = nil
	if len(v.origins) == 0 {
		return
	}
	// One more read finds where the first copies are.
	ordinal := uint32(0)
	_ = v.src.Records(context.Background(), func(r *Record) error {
		ordinal++
		if _, ok := v.origins[ordinal]; ok {
			v.origins[ordinal] = r.Origin
		}
		return nil
	})
}

// checkEntities validates a batch of entities with ingest.Check, which
// also finds ids stored with another kind.
func (v *validator) checkEntities(ctx context.Context, batch *[]*Record) error {
	rs := *batch
	*batch = rs[:0]
	if len(rs) == 0 {
		return nil
	}
	g := &stancegraph.Graph{Entities: make([]*stancegraph.Entity, len(rs))}
	for i, r := range rs {
		g.Entities[i] = r.Entity
	}
	ps, err := ingest.Check(ctx, g, v.t.Entities)
	if err != nil {
		return err
	}
	for _, p := range ps {
		i := entryIndex(p.Entry, "entities")
		if i < 0 { // "entity "id"": a kind that differs from the stored one
			i = slices.IndexFunc(rs, func(r *Record) bool { return p.Entry == fmt.Sprintf("entity %q", r.Entity.ID) })
		}
		if i < 0 {
			return stancegraph.Errorf(stancegraph.EINTERNAL, "cannot place problem %v", p)
		}
		v.problem(rs[i], p.Field, p.Code, p.Msg)
		info := v.entities[rs[i].Entity.ID]
		info.invalid = true
		v.entities[rs[i].Entity.ID] = info
	}
	return nil
}

// checkRest validates a batch of relations and positions with ingest.Check,
// looking up their ends in the input and then in the target.
func (v *validator) checkRest(ctx context.Context, batch *[]*Record) error {
	rs := *batch
	*batch = rs[:0]
	if len(rs) == 0 {
		return nil
	}
	g := &stancegraph.Graph{}
	var rels, poss []*Record
	for _, r := range rs {
		if r.Relation != nil {
			g.Relations = append(g.Relations, r.Relation)
			rels = append(rels, r)
		} else {
			g.Positions = append(g.Positions, r.Position)
			poss = append(poss, r)
		}
	}
	ps, err := ingest.Check(ctx, g, v.lookup)
	if err != nil {
		return err
	}
	bad := map[int]bool{}
	for _, p := range ps {
		if i := entryIndex(p.Entry, "relations"); i >= 0 {
			bad[i] = true
			v.problem(rels[i], p.Field, p.Code, p.Msg)
		} else if i := entryIndex(p.Entry, "positions"); i >= 0 {
			v.problem(poss[i], p.Field, p.Code, p.Msg)
		} else {
			return stancegraph.Errorf(stancegraph.EINTERNAL, "cannot place problem %v", p)
		}
	}
	for i, r := range rels {
		if r.Relation.Type == stancegraph.PartOf && !bad[i] {
			v.partOf = append(v.partOf, r)
		}
	}
	return nil
}

// relationReader is a Target that reads relations, as the stores do: the
// hierarchy of an input is then checked against the stored one too.
type relationReader interface {
	Relations(ctx context.Context, f stancegraph.RelationFilter) ([]*stancegraph.Relation, error)
}

// checkHierarchy checks that the PART_OF relations of the input keep the
// hierarchy, with what the target stores, free of cycles and second
// parents: ingest.CheckHierarchy over every PART_OF relation of the input.
func (v *validator) checkHierarchy(ctx context.Context) error {
	if len(v.partOf) == 0 {
		return nil
	}
	g := &stancegraph.Graph{Relations: make([]*stancegraph.Relation, len(v.partOf))}
	for i, r := range v.partOf {
		g.Relations[i] = r.Relation
	}
	parents := func(ctx context.Context, ids []string) ([]string, error) {
		out := make([]string, len(ids))
		rr, ok := v.t.(relationReader)
		if !ok {
			return out, nil // the target checks its own hierarchy on import
		}
		rels, err := rr.Relations(ctx, stancegraph.RelationFilter{Types: []stancegraph.RelType{stancegraph.PartOf}, FromIDs: ids})
		if err != nil {
			return nil, err
		}
		parent := make(map[string]string, len(rels))
		for _, r := range rels {
			parent[r.From] = r.To
		}
		for i, id := range ids {
			out[i] = parent[id]
		}
		return out, nil
	}
	ps, err := ingest.CheckHierarchy(ctx, g, parents)
	if err != nil {
		return err
	}
	for _, p := range ps {
		i := entryIndex(p.Entry, "relations")
		if i < 0 {
			return stancegraph.Errorf(stancegraph.EINTERNAL, "cannot place problem %v", p)
		}
		v.problem(v.partOf[i], p.Field, p.Code, p.Msg)
	}
	return nil
}

// lookup finds entities in the input, then in the target.
func (v *validator) lookup(ctx context.Context, ids []string) ([]*stancegraph.Entity, error) {
	out := make([]*stancegraph.Entity, len(ids))
	var missing []string
	var at []int
	for i, id := range ids {
		if info, ok := v.entities[id]; ok {
			if !info.invalid {
				out[i] = &stancegraph.Entity{ID: id, Kind: info.kind}
			}
			continue
		}
		missing = append(missing, id)
		at = append(at, i)
	}
	if len(missing) > 0 {
		found, err := v.t.Entities(ctx, missing)
		if err != nil {
			return nil, err
		}
		for j, e := range found {
			out[at[j]] = e
		}
	}
	return out, nil
}

var entryPattern = regexp.MustCompile(`^(entities|relations|positions)\[(\d+)\]`)

// entryIndex returns the index in section of a problem's entry, as
// ingest.Check names it (`positions[3] …`), or -1.
func entryIndex(entry, section string) int {
	m := entryPattern.FindStringSubmatch(entry)
	if m == nil || m[1] != section {
		return -1
	}
	i, _ := strconv.Atoi(m[2])
	return i
}

// positionKey is the identity of a position: the 8 bytes of its id.
func positionKey(p *stancegraph.Position) uint64 {
	id := stancegraph.PositionID(p.ActorID, p.TargetID, p.Stance, p.SourceID)
	b, _ := hex.DecodeString(id[len("pos-"):])
	return binary.BigEndian.Uint64(b)
}

func hashStrings(ss ...string) uint64 {
	h := fnv.New64a()
	for _, s := range ss {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return h.Sum64()
}

func hashJSON(v any) uint64 {
	b, _ := json.Marshal(v)
	h := fnv.New64a()
	h.Write(b)
	return h.Sum64()
}
