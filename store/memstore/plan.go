package memstore

import (
	"bytes"
	"cmp"
	"context"
	"slices"
	"sort"
	"strings"

	"github.com/stancegraph/stancegraph"
)

// Read executes a plan by walking the indexes: every page is cut as the
// walk goes, from the sorted list of its parent (or of the whole graph),
// so that a page costs what it holds and what the condition skips, not
// what the parent holds. Only a total, an aggregate or an order other than
// by statedAt visits every position of the parent.
func (s *Store) Read(ctx context.Context, p *stancegraph.Plan) (*stancegraph.Result, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.ready(ctx); err != nil {
		return nil, err
	}
	r := &reader{ctx: ctx, x: s.idx}
	res := &stancegraph.Result{Roots: make([]*stancegraph.RootResult, len(p.Roots))}
	for i, q := range p.Roots {
		rr, err := r.root(q)
		if err != nil {
			return nil, err
		}
		res.Roots[i] = rr
	}
	return res, nil
}

type reader struct {
	ctx context.Context
	x   *index
	n   int // work done, to check ctx now and then
	// Slabs the answer's entities and positions are cut from: a plan
	// returns hundreds of them, allocated a few dozen at a time.
	entities []stancegraph.Entity
	results  []stancegraph.EntityResult
	posRes   []stancegraph.PositionResult
	slabs    [3]int // the size of each's last slab
}

// fromSlab returns the next object of a slab, refilling it when it is empty
// with twice as many as last time, from 2 up to 64: a small plan wastes
// little, a large one allocates a few dozen times.
func fromSlab[T any](slab *[]T, last *int) *T {
	if len(*slab) == 0 {
		*last = min(max(2, 2**last), 64)
		*slab = make([]T, *last)
	}
	v := &(*slab)[0]
	*slab = (*slab)[1:]
	return v
}

// reserve makes room in the slabs for n positions and the ends sel asks
// of them, which a page knows before it answers its rows.
func (r *reader) reserve(n int, sel *stancegraph.PositionSelect) {
	if len(r.posRes) < n {
		r.posRes = make([]stancegraph.PositionResult, n)
	}
	ends := 0
	if sel != nil {
		for _, es := range []*stancegraph.EntitySelect{sel.Actor, sel.Target, sel.Source} {
			if es != nil {
				ends += n
			}
		}
	}
	if len(r.entities) < ends {
		r.entities = make([]stancegraph.Entity, ends)
	}
	if len(r.results) < ends {
		r.results = make([]stancegraph.EntityResult, ends)
	}
}

// newEntity returns a copy of e cut from the reader's slab.
func (r *reader) newEntity(e *stancegraph.Entity) *stancegraph.Entity {
	c := fromSlab(&r.entities, &r.slabs[0])
	e.CloneInto(c)
	return c
}

func (r *reader) newEntityResult() *stancegraph.EntityResult {
	return fromSlab(&r.results, &r.slabs[1])
}

func (r *reader) newPositionResult() *stancegraph.PositionResult {
	return fromSlab(&r.posRes, &r.slabs[2])
}

func (r *reader) tick() error {
	r.n++
	if r.n%1024 == 0 {
		if err := r.ctx.Err(); err != nil {
			return stancegraph.ContextError(err, "the read")
		}
	}
	return nil
}

func (r *reader) root(q *stancegraph.RootQuery) (*stancegraph.RootResult, error) {
	rr := &stancegraph.RootResult{}
	switch {
	case q.Entities != nil:
		page, err := r.entityPage(q.Entities, q.Select)
		if err != nil {
			return nil, err
		}
		rr.Entities = page
	case q.Positions != nil:
		page, err := r.positionPage(r.rootCandidates(&q.Positions.Where), q.Positions, q.PosSelect)
		if err != nil {
			return nil, err
		}
		rr.Positions = page
	case q.Backers != nil:
		b, err := r.backers(q.Backers)
		if err != nil {
			return nil, err
		}
		rr.Backers = b
	default:
		rr.Nodes = make([]any, len(q.IDs))
		for i, id := range q.IDs {
			if seq, ok := r.x.lookup(id); ok {
				pr, err := r.position(r.x.materialize(seq), q.PosSelect)
				if err != nil {
					return nil, err
				}
				rr.Nodes[i] = pr
			} else if e := r.x.entity(id); e != nil {
				er, err := r.entity(e, q.Select)
				if err != nil {
					return nil, err
				}
				rr.Nodes[i] = er
			}
		}
	}
	return rr, nil
}

// entity answers an entity with what sel asks of it; each occurrence gets
// its own copy.
func (r *reader) entity(e *stancegraph.Entity, sel *stancegraph.EntitySelect) (*stancegraph.EntityResult, error) {
	if err := r.tick(); err != nil {
		return nil, err
	}
	er := r.newEntityResult()
	er.Entity = r.newEntity(e)
	if sel == nil {
		return er, nil
	}
	for _, pe := range sel.Positions {
		var list []uint32
		switch sideOf(pe.Side, e.Kind) {
		case stancegraph.RoleActor:
			list = r.x.byActor.m[e.ID]
		case stancegraph.RoleTarget:
			list = r.x.byTarget.m[e.ID]
		default:
			list = r.x.bySource.m[e.ID]
		}
		page, err := r.positionPage(list, &pe.List, pe.Select)
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
		er.Summaries[sa.Key] = r.summary(r.x.byTarget.m[e.ID], sa.Window)
	}
	for _, ra := range sel.Related {
		ri := r.x.in[ra.Type]
		if ra.Out {
			ri = r.x.out[ra.Type]
		}
		rels := ri.at(e.ID)
		ids := make([]string, 0, len(rels))
		for _, rel := range rels {
			id := ri.far(rel)
			if o := r.x.entity(id); o != nil && (len(ra.Kinds) == 0 || slices.Contains(ra.Kinds, o.Kind)) {
				ids = append(ids, id)
			}
		}
		sort.Strings(ids)
		out := make([]*stancegraph.EntityResult, len(ids))
		for i, id := range ids {
			o, err := r.entity(r.x.entity(id), ra.Select)
			if err != nil {
				return nil, err
			}
			out[i] = o
		}
		if er.Related == nil {
			er.Related = map[string][]*stancegraph.EntityResult{}
		}
		er.Related[ra.Key] = out
		if ra.Edges {
			edges := make([]*stancegraph.Relation, len(ids))
			for i, id := range ids {
				c := *ri.get(e.ID, id)
				edges[i] = &c
			}
			if er.Relations == nil {
				er.Relations = map[string][]*stancegraph.Relation{}
			}
			er.Relations[ra.Key] = edges
		}
	}
	return er, nil
}

// sideOf resolves RoleSelf (a Node-typed selection) to the role an entity
// of kind k plays.
func sideOf(side stancegraph.Role, k stancegraph.Kind) stancegraph.Role {
	if side != stancegraph.RoleSelf {
		return side
	}
	switch {
	case k.IsActor():
		return stancegraph.RoleActor
	case k.IsStanceable():
		return stancegraph.RoleTarget
	}
	return stancegraph.RoleSource
}

// position answers a position, a copy the answer owns, with what sel asks
// of its ends.
func (r *reader) position(p *stancegraph.Position, sel *stancegraph.PositionSelect) (*stancegraph.PositionResult, error) {
	pr := r.newPositionResult()
	pr.Position = p
	if sel == nil {
		return pr, nil
	}
	if err := r.ends([]end{{sel.Actor, p.ActorID, &pr.Actor}, {sel.Target, p.TargetID, &pr.Target}, {sel.Source, p.SourceID, &pr.Source}}); err != nil {
		return nil, err
	}
	return pr, nil
}

// end is an end of a position or a relation: what is asked of it (nil:
// nothing), its id (empty: none) and where its answer goes.
type end struct {
	sel *stancegraph.EntitySelect
	id  string
	out **stancegraph.EntityResult
}

// ends answers each end asked for that is stored.
func (r *reader) ends(ends []end) error {
	for _, x := range ends {
		if x.sel == nil || x.id == "" {
			continue
		}
		if e := r.x.entity(x.id); e != nil {
			er, err := r.entity(e, x.sel)
			if err != nil {
				return err
			}
			*x.out = er
		}
	}
	return nil
}

// rootCandidates returns the sorted list a root listing walks: that of an
// actor, target or source its condition requires, or the whole graph's.
func (r *reader) rootCandidates(c *stancegraph.Cond) []uint32 {
	conj := []stancegraph.Cond{*c}
	if c.And != nil {
		conj = c.And
	}
	for _, t := range conj {
		if t.Op != stancegraph.OpEq {
			continue
		}
		switch {
		case t.Role == stancegraph.RoleActor && t.Field == stancegraph.FieldID:
			return r.x.byActor.m[t.Strs[0]]
		case t.Role == stancegraph.RoleTarget && t.Field == stancegraph.FieldID:
			return r.x.byTarget.m[t.Strs[0]]
		case t.Field == stancegraph.FieldSourceID:
			return r.x.bySource.m[t.Strs[0]]
		}
	}
	return r.x.all.m[""]
}

// indexOrder tells whether keys is the order of the position lists
// (statedAt, then id) or its reverse.
func indexOrder(keys []stancegraph.SortKey) (same, reverse bool) {
	if len(keys) != 2 || keys[0].Field != stancegraph.FieldStatedAt || keys[1].Field != stancegraph.FieldID {
		return false, false
	}
	return !keys[0].Desc && !keys[1].Desc, keys[0].Desc && keys[1].Desc
}

// positionPage cuts a page of list, which is in position order.
func (r *reader) positionPage(list []uint32, pl *stancegraph.PositionList, sel *stancegraph.PositionSelect) (*stancegraph.PositionPage, error) {
	keys := pl.Order
	same, reverse := indexOrder(keys)
	seq := func(i int) uint32 { return list[i] }
	switch {
	case same:
	case reverse:
		seq = func(i int) uint32 { return list[len(list)-1-i] }
	default:
		// Another order must see every match to sort them.
		var all []uint32
		for _, p := range list {
			if err := r.tick(); err != nil {
				return nil, err
			}
			if r.matchPosition(&pl.Where, p) {
				all = append(all, p)
			}
		}
		slices.SortFunc(all, func(a, b uint32) int { return r.comparePositions(keys, a, b) })
		list = all
		seq = func(i int) uint32 { return list[i] }
	}
	match := func(p uint32) bool { return r.matchPosition(&pl.Where, p) }
	rows, info, err := cut(r, seq, len(list), func(p uint32, c *stancegraph.Cursor) int {
		return r.compareToCursor(keys, p, c)
	}, match, pl.Page)
	if err != nil {
		return nil, err
	}
	page := &stancegraph.PositionPage{PageFlags: info, Rows: make([]*stancegraph.PositionResult, len(rows))}
	r.reserve(len(rows), sel)
	for i, p := range r.x.materializeAll(rows) {
		if page.Rows[i], err = r.position(p, sel); err != nil {
			return nil, err
		}
	}
	switch {
	case pl.Aggregate != nil:
		agg := r.aggregate(list, &pl.Where)
		page.Total = agg.Count
		if !pl.Aggregate.ByStance {
			agg.ByStance = nil
		}
		page.Aggregate = agg
	case pl.Count:
		if page.Total, err = r.count(list, &pl.Where); err != nil {
			return nil, err
		}
	}
	return page, nil
}

// compareKey compares stancegraph.SortValue of the record of seq with a
// cursor's key v, as stancegraph.CompareToCursor does, the id without
// making it.
func (r *reader) compareKey(f stancegraph.Prop, seq uint32, v any) int {
	rec := &r.x.recs[seq]
	switch f {
	case stancegraph.FieldStatedAt:
		s, _ := v.(string)
		return strings.Compare(r.x.dates.list[rec.date].key, s)
	case stancegraph.FieldStrength:
		n, _ := v.(int)
		return cmp.Compare(int(rec.strength), n)
	}
	s, _ := v.(string)
	return rec.id.compareID(s)
}

// compareToCursor is stancegraph.CompareToCursor on the record of seq.
func (r *reader) compareToCursor(keys []stancegraph.SortKey, seq uint32, c *stancegraph.Cursor) int {
	for i, k := range keys {
		v := r.compareKey(k.Field, seq, c.Keys[i])
		if k.Desc {
			v = -v
		}
		if v != 0 {
			return v
		}
	}
	return 0
}

// comparePositions is stancegraph.ComparePositions on records.
func (r *reader) comparePositions(keys []stancegraph.SortKey, a, b uint32) int {
	ra, rb := &r.x.recs[a], &r.x.recs[b]
	for _, k := range keys {
		var c int
		switch k.Field {
		case stancegraph.FieldStatedAt:
			c = strings.Compare(r.x.dates.list[ra.date].key, r.x.dates.list[rb.date].key)
		case stancegraph.FieldStrength:
			c = cmp.Compare(ra.strength, rb.strength)
		default:
			c = bytes.Compare(ra.id[:], rb.id[:])
		}
		if k.Desc {
			c = -c
		}
		if c != 0 {
			return c
		}
	}
	return 0
}

// cut returns a page of the sequence seq(0..n-1), which is sorted in the
// page's order: the rows that match after and before its cursors, the
// first or last Limit of them, and what lies around them.
func cut[T any](r *reader, seq func(int) T, n int, cmp func(T, *stancegraph.Cursor) int, match func(T) bool, pg stancegraph.Page) ([]T, stancegraph.PageFlags, error) {
	var info stancegraph.PageFlags
	start, end := 0, n
	if pg.After != nil {
		start = sort.Search(n, func(i int) bool { return cmp(seq(i), pg.After) > 0 })
	}
	if pg.Before != nil {
		end = sort.Search(n, func(i int) bool { return cmp(seq(i), pg.Before) >= 0 })
	}
	if end < start {
		end = start
	}
	// any reports whether a row of [from, to) matches, walking from the
	// end nearest the page.
	anyIn := func(from, to int, down bool) (bool, error) {
		for k := 0; k < to-from; k++ {
			if err := r.tick(); err != nil {
				return false, err
			}
			i := from + k
			if down {
				i = to - 1 - k
			}
			if match(seq(i)) {
				return true, nil
			}
		}
		return false, nil
	}
	var rows []T
	more := false
	if !pg.Backward {
		for i := start; i < end; i++ {
			if err := r.tick(); err != nil {
				return nil, info, err
			}
			if !match(seq(i)) {
				continue
			}
			if len(rows) == pg.Limit {
				more = true
				break
			}
			rows = append(rows, seq(i))
		}
		info.HasNextPage = more
		var err error
		if !more && pg.Before != nil {
			if info.HasNextPage, err = anyIn(end, n, false); err != nil {
				return nil, info, err
			}
		}
		if pg.After != nil {
			if info.HasPreviousPage, err = anyIn(0, start, true); err != nil {
				return nil, info, err
			}
		}
		return rows, info, nil
	}
	for i := end - 1; i >= start; i-- {
		if err := r.tick(); err != nil {
			return nil, info, err
		}
		if !match(seq(i)) {
			continue
		}
		if len(rows) == pg.Limit {
			more = true
			break
		}
		rows = append(rows, seq(i))
	}
	slices.Reverse(rows)
	info.HasPreviousPage = more
	var err error
	if !more && pg.After != nil {
		if info.HasPreviousPage, err = anyIn(0, start, true); err != nil {
			return nil, info, err
		}
	}
	if pg.Before != nil {
		if info.HasNextPage, err = anyIn(end, n, false); err != nil {
			return nil, info, err
		}
	}
	return rows, info, nil
}

// count counts the positions of list that c keeps: a total without the
// rest of an aggregate.
func (r *reader) count(list []uint32, c *stancegraph.Cond) (int, error) {
	if c.True() {
		return len(list), nil
	}
	n := 0
	for _, seq := range list {
		if err := r.tick(); err != nil {
			return 0, err
		}
		if r.matchPosition(c, seq) {
			n++
		}
	}
	return n, nil
}

// aggregate summarises the positions of list that meet c.
func (r *reader) aggregate(list []uint32, c *stancegraph.Cond) *stancegraph.PositionAggregate {
	agg := &stancegraph.PositionAggregate{}
	actors, targets, sources := map[uint32]struct{}{}, map[uint32]struct{}{}, map[uint32]struct{}{}
	byStance := make([]map[uint32]int, len(stancegraph.Stances))
	for _, seq := range list {
		if !c.True() && !r.matchPosition(c, seq) {
			continue
		}
		p := &r.x.recs[seq]
		agg.Count++
		actors[p.actor], targets[p.target], sources[p.source] = struct{}{}, struct{}{}, struct{}{}
		if byStance[p.stance] == nil {
			byStance[p.stance] = map[uint32]int{}
		}
		byStance[p.stance][p.actor]++
		stated := r.x.dates.list[p.date].pd.Value
		switch {
		case agg.StatedAt == nil:
			agg.StatedAt = &stancegraph.DateRange{Min: stated, Max: stated}
		case stated < agg.StatedAt.Min:
			agg.StatedAt.Min = stated
		case stated > agg.StatedAt.Max:
			agg.StatedAt.Max = stated
		}
	}
	agg.Actors, agg.Targets, agg.Sources = len(actors), len(targets), len(sources)
	for i, st := range stancegraph.Stances {
		if m := byStance[i]; m != nil {
			n := 0
			for _, c := range m {
				n += c
			}
			agg.ByStance = append(agg.ByStance, stancegraph.StanceCount{Stance: st, Count: n, Actors: len(m)})
		}
	}
	return agg
}

// summary counts the distinct actors for and against among the positions
// of list (a target's) that the window keeps.
func (r *reader) summary(list []uint32, w stancegraph.DateWindow) stancegraph.StanceSummary {
	var s stancegraph.StanceSummary
	var for_, against []uint32
	supports := uint8(slices.Index(stancegraph.Stances, stancegraph.Supports))
	for _, seq := range list {
		p := &r.x.recs[seq]
		if !w.Keeps(r.x.dates.list[p.date].pd) {
			continue
		}
		s.Positions++
		if p.stance == supports {
			for_ = append(for_, p.actor)
		} else {
			against = append(against, p.actor)
		}
	}
	s.Supporters, s.Opposers = distinct(for_), distinct(against)
	return s
}

// distinct counts the distinct numbers of nums, which it may reorder: by
// sorting them when they are few (the positions of most targets), which
// costs less than a set; in a set when they are many.
func distinct(nums []uint32) int {
	if len(nums) <= 4096 {
		slices.Sort(nums)
		return len(slices.Compact(nums))
	}
	set := make(map[uint32]struct{}, 1024)
	for _, n := range nums {
		set[n] = struct{}{}
	}
	return len(set)
}

// entityPage cuts a page of an entity listing from the kinds' sorted
// lists, merged lazily in the listing's order: a page costs what it holds
// and what the condition skips, not the number of entities.
func (r *reader) entityPage(el *stancegraph.EntityList, sel *stancegraph.EntitySelect) (*stancegraph.EntityPage, error) {
	order := orderIndex(el.Order)
	var lists [][]*entityRec
	for _, k := range uniq(el.Kinds) {
		if kl := r.x.byKind[k]; kl != nil && len(kl.sorted[order]) > 0 {
			lists = append(lists, kl.sorted[order])
		}
	}
	match := func(rec *entityRec) bool { return r.matchEntity(&el.Where, rec) }
	cmpCur := func(rec *entityRec, c *stancegraph.Cursor) int {
		return stancegraph.CompareEntityToCursor(el.Order, rec.e, c)
	}
	var (
		rows []*entityRec
		info stancegraph.PageFlags
		err  error
	)
	if len(lists) <= 1 {
		var list []*entityRec
		if len(lists) == 1 {
			list = lists[0]
		}
		rows, info, err = cut(r, func(i int) *entityRec { return list[i] }, len(list), cmpCur, match, el.Page)
	} else {
		rows, info, err = r.cutMerged(lists, order, cmpCur, match, el.Page)
	}
	if err != nil {
		return nil, err
	}
	page := &stancegraph.EntityPage{PageFlags: info, Rows: make([]*stancegraph.EntityResult, len(rows))}
	for i, rec := range rows {
		if page.Rows[i], err = r.entity(rec.e, sel); err != nil {
			return nil, err
		}
	}
	if el.Count {
		for _, list := range lists {
			if el.Where.True() {
				page.Total += len(list)
				continue
			}
			for _, rec := range list {
				if err := r.tick(); err != nil {
					return nil, err
				}
				if match(rec) {
					page.Total++
				}
			}
		}
	}
	return page, nil
}

// cutMerged is cut over several sorted lists merged in order: each list's
// window is found by binary search, then the heads are merged until the
// page is full.
func (r *reader) cutMerged(lists [][]*entityRec, order int, cmp func(*entityRec, *stancegraph.Cursor) int, match func(*entityRec) bool, pg stancegraph.Page) ([]*entityRec, stancegraph.PageFlags, error) {
	var info stancegraph.PageFlags
	starts, ends := make([]int, len(lists)), make([]int, len(lists))
	for i, l := range lists {
		ends[i] = len(l)
		if pg.After != nil {
			starts[i] = sort.Search(len(l), func(j int) bool { return cmp(l[j], pg.After) > 0 })
		}
		if pg.Before != nil {
			ends[i] = sort.Search(len(l), func(j int) bool { return cmp(l[j], pg.Before) >= 0 })
		}
		ends[i] = max(ends[i], starts[i])
	}
	// anyOutside reports whether a row before the windows (or after them)
	// matches.
	anyOutside := func(after bool) (bool, error) {
		for i, l := range lists {
			from, to := 0, starts[i]
			if after {
				from, to = ends[i], len(l)
			}
			for _, rec := range l[from:to] {
				if err := r.tick(); err != nil {
					return false, err
				}
				if match(rec) {
					return true, nil
				}
			}
		}
		return false, nil
	}
	heads := make([]int, len(lists))
	if pg.Backward {
		for i := range heads {
			heads[i] = ends[i] - 1
		}
	} else {
		copy(heads, starts)
	}
	var rows []*entityRec
	more := false
	for {
		best := -1
		for i, l := range lists {
			if heads[i] < starts[i] || heads[i] >= ends[i] {
				continue
			}
			if best < 0 {
				best = i
				continue
			}
			c := compareIn(order, l[heads[i]], lists[best][heads[best]])
			if pg.Backward == (c > 0) {
				best = i
			}
		}
		if best < 0 {
			break
		}
		if err := r.tick(); err != nil {
			return nil, info, err
		}
		rec := lists[best][heads[best]]
		if pg.Backward {
			heads[best]--
		} else {
			heads[best]++
		}
		if !match(rec) {
			continue
		}
		if len(rows) == pg.Limit {
			more = true
			break
		}
		rows = append(rows, rec)
	}
	var err error
	if pg.Backward {
		slices.Reverse(rows)
		info.HasPreviousPage = more
		if !more && pg.After != nil {
			if info.HasPreviousPage, err = anyOutside(false); err != nil {
				return nil, info, err
			}
		}
		if pg.Before != nil {
			info.HasNextPage, err = anyOutside(true)
		}
		return rows, info, err
	}
	info.HasNextPage = more
	if !more && pg.Before != nil {
		if info.HasNextPage, err = anyOutside(true); err != nil {
			return nil, info, err
		}
	}
	if pg.After != nil {
		info.HasPreviousPage, err = anyOutside(false)
	}
	return rows, info, err
}

// matchPosition evaluates c on the position of seq.
func (r *reader) matchPosition(c *stancegraph.Cond, seq uint32) bool {
	p := &r.x.recs[seq]
	return eval(c, func(t *stancegraph.Cond) bool {
		switch t.Role {
		case stancegraph.RoleActor:
			return r.testEntity(t, r.x.ents[p.actor])
		case stancegraph.RoleTarget:
			return r.testEntity(t, r.x.ents[p.target])
		case stancegraph.RoleSource:
			return r.testEntity(t, r.x.ents[p.source])
		}
		switch t.Field {
		case stancegraph.FieldID:
			return testStr(t, p.id.String())
		case stancegraph.FieldSourceID:
			return testStr(t, r.x.ents[p.source].e.ID)
		case stancegraph.FieldStance:
			return testStr(t, string(stancegraph.Stances[p.stance]))
		case stancegraph.FieldStrength:
			return testInt(t, int(p.strength))
		case stancegraph.FieldStatedAt:
			return stancegraph.KeepsDate(t, r.x.dates.list[p.date].pd)
		case stancegraph.FieldQuote:
			return testStr(t, r.x.texts.quote(p))
		}
		return false
	})
}

func (r *reader) matchEntity(c *stancegraph.Cond, rec *entityRec) bool {
	return eval(c, func(t *stancegraph.Cond) bool { return r.testEntity(t, rec) })
}

func (r *reader) testEntity(t *stancegraph.Cond, rec *entityRec) bool {
	if rec == nil {
		return false
	}
	e := rec.e
	switch t.Field {
	case stancegraph.FieldID:
		return testStr(t, e.ID)
	case stancegraph.FieldName:
		return testStr(t, e.Name)
	case stancegraph.FieldKind:
		return testStr(t, string(e.Kind))
	case stancegraph.FieldCountry:
		return testStr(t, e.Country)
	case stancegraph.FieldSourceKind:
		return testStr(t, string(e.SourceKind))
	case stancegraph.FieldPublishedAt:
		return stancegraph.KeepsDate(t, e.Published())
	case stancegraph.FieldTopics:
		return slices.Contains(e.Topics, t.Strs[0])
	case stancegraph.FieldNameContains:
		return slices.ContainsFunc(rec.lower, func(s string) bool { return strings.Contains(s, t.Strs[0]) })
	}
	return false
}

// eval evaluates a condition with leaf deciding its tests.
func eval(c *stancegraph.Cond, leaf func(*stancegraph.Cond) bool) bool {
	switch {
	case c == nil:
		return true
	case c.And != nil:
		for i := range c.And {
			if !eval(&c.And[i], leaf) {
				return false
			}
		}
		return true
	case c.Or != nil:
		for i := range c.Or {
			if eval(&c.Or[i], leaf) {
				return true
			}
		}
		return false
	case c.Not != nil:
		return !eval(c.Not, leaf)
	case c.Field == "":
		return true
	}
	return leaf(c)
}

// testStr applies a test to a text, date or enum value; a missing value
// (empty) meets no test.
func testStr(t *stancegraph.Cond, v string) bool {
	if v == "" {
		return false
	}
	switch t.Op {
	case stancegraph.OpEq:
		return v == t.Strs[0]
	case stancegraph.OpIn:
		return slices.Contains(t.Strs, v)
	case stancegraph.OpContains:
		return strings.Contains(v, t.Strs[0])
	case stancegraph.OpStartsWith:
		return strings.HasPrefix(v, t.Strs[0])
	case stancegraph.OpLt:
		return v < t.Strs[0]
	case stancegraph.OpLte:
		return v <= t.Strs[0]
	case stancegraph.OpGt:
		return v > t.Strs[0]
	case stancegraph.OpGte:
		return v >= t.Strs[0]
	}
	return false
}

func testInt(t *stancegraph.Cond, v int) bool {
	switch t.Op {
	case stancegraph.OpEq:
		return v == t.Ints[0]
	case stancegraph.OpIn:
		return slices.Contains(t.Ints, v)
	case stancegraph.OpLt:
		return v < t.Ints[0]
	case stancegraph.OpLte:
		return v <= t.Ints[0]
	case stancegraph.OpGt:
		return v > t.Ints[0]
	case stancegraph.OpGte:
		return v >= t.Ints[0]
	}
	return false
}

// backers answers a backers read from the target's sorted positions and
// the relation indexes.
func (r *reader) backers(q *stancegraph.BackersRead) (*stancegraph.BackersResult, error) {
	res := &stancegraph.BackersResult{}
	t := r.x.entity(q.Target)
	if t == nil {
		return res, nil
	}
	res.Target = t.Clone()
	actors := map[string]bool{}
	stance := slices.Index(stancegraph.Stances, q.Stance)
	var seqs []uint32
	for _, seq := range r.x.byTarget.m[q.Target] {
		if err := r.tick(); err != nil {
			return nil, err
		}
		rec := &r.x.recs[seq]
		if int(rec.stance) != stance || !q.Window.Keeps(r.x.dates.list[rec.date].pd) {
			continue
		}
		if len(seqs) == stancegraph.MaxBackersPositions {
			res.Truncated = true
			break
		}
		seqs = append(seqs, seq)
	}
	for _, p := range r.x.materializeAll(seqs) {
		pr, err := r.position(p, q.PosSelect)
		if err != nil {
			return nil, err
		}
		res.Positions = append(res.Positions, pr)
		actors[p.ActorID] = true
	}
	var err error
	if res.Proposed, err = r.relations(r.x.in[stancegraph.Proposed], []string{q.Target}, q.Via); err != nil {
		return nil, err
	}
	if q.Members && len(actors) > 0 {
		ids := make([]string, 0, len(actors))
		for id := range actors {
			ids = append(ids, id)
		}
		if res.Members, err = r.relations(r.x.in[stancegraph.MemberOf], ids, q.Via); err != nil {
			return nil, err
		}
		for _, rr := range res.Members {
			actors[rr.Relation.From] = true
		}
	}
	for _, l := range []*[]*stancegraph.RelationResult{&res.Proposed, &res.Members} {
		if len(*l) > stancegraph.MaxBackersPositions {
			*l, res.Truncated = (*l)[:stancegraph.MaxBackersPositions], true
		}
	}
	if q.Proposers && q.Stance == stancegraph.Supports {
		for _, rr := range res.Proposed {
			actors[rr.Relation.From] = true
		}
	}
	if q.Actor == nil {
		return res, nil
	}
	ids := make([]string, 0, len(actors))
	for id := range actors {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		if e := r.x.entity(id); e != nil {
			er, err := r.entity(e, q.Actor)
			if err != nil {
				return nil, err
			}
			res.Actors = append(res.Actors, er)
		}
	}
	return res, nil
}

// relations returns the relations of in (by to, then from) to the entities
// tos, by from then to, with the ends sel asks for.
func (r *reader) relations(in *relIndex, tos []string, sel *stancegraph.RelationSelect) ([]*stancegraph.RelationResult, error) {
	var out []*stancegraph.RelationResult
	for _, to := range tos {
		for _, rel := range in.at(to) {
			if err := r.tick(); err != nil {
				return nil, err
			}
			c := *rel
			out = append(out, &stancegraph.RelationResult{Relation: &c})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i].Relation, out[j].Relation
		if a.From != b.From {
			return a.From < b.From
		}
		return a.To < b.To
	})
	if sel == nil {
		return out, nil
	}
	for _, rr := range out {
		if err := r.ends([]end{{sel.From, rr.Relation.From, &rr.From}, {sel.To, rr.Relation.To, &rr.To}, {sel.Source, rr.Relation.SourceID, &rr.Source}}); err != nil {
			return nil, err
		}
	}
	return out, nil
}
