package memstore

import (
	"context"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/RoaringBitmap/roaring/v2"

	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/search"
)

// index holds the graph in memory with an index for every query of the
// Store. It does no locking and no validation: the Store does both.
// Entities and relations in it are never modified, only replaced, so
// readers may share them until they hand copies out; positions are records
// (record.go) that readers copy out as stancegraph.Position.
type index struct {
	entities map[string]*entityRec
	byKind   map[stancegraph.Kind]*kindList

	// words maps each search word to the entities and positions having it
	// (search.EntityWords, PositionSearchWords); sorted lists the
	// words in order for prefix look-ups.
	words  map[string]*postings
	sorted []string
	// In a batch (load, import) new words only mark sorted dirty, and
	// endBatch sorts once.
	batch, dirty bool

	// ids finds each position's sequence number by its id: a dense small
	// integer that the postings and the position lists hold; recs holds
	// the positions by it, with free listing the numbers of retracted
	// positions for reuse. A replaced position keeps its number.
	ids                         idTable
	recs                        []posRec
	free                        []uint32
	byActor, byTarget, bySource *posIndex
	// all lists every position, under the key "", for root listings.
	all *posIndex
	// dates and texts hold the statedAt values and the quotes and
	// conditions of the records.
	dates dates
	texts texts
	// ents holds the entities by number, which positions refer to their
	// ends by; entFree lists the numbers of deleted entities for reuse.
	ents    []*entityRec
	entFree []uint32

	// out and in index relations by type, then by one end (relIndex).
	out, in map[stancegraph.RelType]*relIndex
	// cited counts the relations that cite each source as evidence, besides
	// the MENTIONS relations that start from it.
	cited map[string]int
	// external maps the key of each external id to its entity's id.
	external map[string]string
}

// findExternal is a stancegraph.ExternalFunc over the index.
func (x *index) findExternal(_ context.Context, xs []stancegraph.ExternalID) ([]*stancegraph.Entity, error) {
	out := make([]*stancegraph.Entity, len(xs))
	for i, ext := range xs {
		if id, ok := x.external[ext.Key()]; ok {
			out[i] = x.entity(id)
		}
	}
	return out, nil
}

// entityRec is a stored entity with what the searches need of it.
type entityRec struct {
	e *stancegraph.Entity
	// num is the entity's number in index.ents, kept when it is replaced.
	num uint32
	// lower holds the name and aliases in lower case, for NameContains.
	lower []string
	// words holds the distinct search words of the entity, sorted.
	words []string
}

func newIndex() *index {
	return &index{
		entities: map[string]*entityRec{},
		byKind:   map[stancegraph.Kind]*kindList{},
		words:    map[string]*postings{},
		byActor:  newPosIndex(),
		byTarget: newPosIndex(),
		bySource: newPosIndex(),
		all:      newPosIndex(),
		out:      map[stancegraph.RelType]*relIndex{},
		in:       map[stancegraph.RelType]*relIndex{},
		cited:    map[string]int{},
		external: map[string]string{},
	}
}

func (x *index) entity(id string) *stancegraph.Entity {
	if r := x.entities[id]; r != nil {
		return r.e
	}
	return nil
}

// putEntity stores e, which the index now owns, in place of any entity
// with its id.
func (x *index) putEntity(e *stancegraph.Entity) {
	rec := &entityRec{e: e, lower: make([]string, 0, 1+len(e.Aliases))}
	switch old := x.entities[e.ID]; {
	case old != nil:
		x.unindexEntity(old)
		rec.num = old.num
	case len(x.entFree) > 0:
		rec.num = x.entFree[len(x.entFree)-1]
		x.entFree = x.entFree[:len(x.entFree)-1]
	default:
		rec.num = uint32(len(x.ents))
		x.ents = append(x.ents, nil)
	}
	x.ents[rec.num] = rec
	rec.lower = append(rec.lower, strings.ToLower(e.Name))
	for _, a := range e.Aliases {
		rec.lower = append(rec.lower, strings.ToLower(a))
	}
	rec.words = search.EntityWords(e)
	x.entities[e.ID] = rec
	for _, k := range e.ExternalKeys() {
		x.external[k] = e.ID
	}
	kl := x.byKind[e.Kind]
	if kl == nil {
		kl = &kindList{countries: map[string]int{}}
		x.byKind[e.Kind] = kl
	}
	kl.add(rec, x.batch)
	for _, w := range rec.words {
		ps := x.posting(w)
		if ps.entities == nil {
			ps.entities = roaring.New()
		}
		ps.entities.Add(rec.num)
	}
}

// posting returns the postings of a word, adding the word if it is new.
func (x *index) posting(w string) *postings {
	ps := x.words[w]
	if ps == nil {
		ps = &postings{}
		x.words[w] = ps
		if x.batch {
			x.dirty = true
		} else {
			i, _ := slices.BinarySearch(x.sorted, w)
			x.sorted = slices.Insert(x.sorted, i, w)
		}
	}
	return ps
}

// dropIfEmpty forgets a word that nothing has any more.
func (x *index) dropIfEmpty(w string, ps *postings) {
	if ps.entities != nil && !ps.entities.IsEmpty() || ps.hasPositions() {
		return
	}
	delete(x.words, w)
	if x.batch {
		x.dirty = true
	} else if i, ok := slices.BinarySearch(x.sorted, w); ok {
		x.sorted = slices.Delete(x.sorted, i, i+1)
	}
}

// removeEntity forgets the entity; its relations and positions are the
// caller's to remove.
func (x *index) removeEntity(id string) {
	if rec := x.entities[id]; rec != nil {
		x.unindexEntity(rec)
		delete(x.entities, id)
		x.ents[rec.num] = nil
		x.entFree = append(x.entFree, rec.num)
	}
}

func (x *index) unindexEntity(rec *entityRec) {
	for _, k := range rec.e.ExternalKeys() {
		if x.external[k] == rec.e.ID {
			delete(x.external, k)
		}
	}
	if kl := x.byKind[rec.e.Kind]; kl != nil {
		kl.remove(rec)
	}
	for _, w := range rec.words {
		if ps := x.words[w]; ps != nil {
			if ps.entities != nil {
				ps.entities.Remove(rec.num)
			}
			x.dropIfEmpty(w, ps)
		}
	}
}

// endBatch ends a batch of writes, sorting what the batch left unsorted.
func (x *index) endBatch() {
	x.batch = false
	x.byActor.sortDirty(x)
	x.byTarget.sortDirty(x)
	x.bySource.sortDirty(x)
	x.all.sortDirty(x)
	x.compactTexts()
	for _, kl := range x.byKind {
		kl.sortDirty()
	}
	if !x.dirty {
		return
	}
	x.dirty = false
	x.sorted = x.sorted[:0]
	for w := range x.words {
		x.sorted = append(x.sorted, w)
	}
	sort.Strings(x.sorted)
}

// settle copies what loading a file grew step by step, among the garbage
// of the decoded records, into allocations of their final sizes: the
// position lists of each index into one array, each list's capacity its
// length (a write that inserts into one copies it out), and the search
// words with their postings, which the entities' words then share. The
// grown ones become garbage with the decoded records, which Open's caller
// returns to the system once; what stays is smaller and in fewer spans.
func (x *index) settle() {
	for _, pi := range []*posIndex{x.byActor, x.byTarget, x.bySource} {
		pi.pack()
	}
	// The words and their postings, allocated among the garbage of the
	// quotes they came from, are copied together.
	words := make(map[string]*postings, len(x.words))
	x.sorted = x.sorted[:0]
	for w, ps := range x.words {
		w = strings.Clone(w)
		words[w] = ps.clone()
		x.sorted = append(x.sorted, w)
	}
	slices.Sort(x.sorted)
	x.words = words
	// An entity's words share the bytes of the index's.
	for _, rec := range x.ents {
		if rec == nil {
			continue
		}
		for i, w := range rec.words {
			if at, ok := slices.BinarySearch(x.sorted, w); ok {
				rec.words[i] = x.sorted[at]
			}
		}
	}
}

// reserve makes room for n positions in all, so that loading a file
// grows no list of all positions step by step, leaving copies behind.
func (x *index) reserve(n int) {
	if n <= len(x.recs) {
		return
	}
	x.recs = slices.Grow(x.recs, n-len(x.recs))
	x.ids.reserve(x.recs, n)
	all := x.all.m[""]
	x.all.m[""] = slices.Grow(all, n-len(all))
}

// lookup returns the sequence number of the position with the id, and
// whether there is one.
func (x *index) lookup(id string) (uint32, bool) {
	k, ok := parsePosKey(id)
	if !ok {
		return 0, false
	}
	return x.ids.find(x.recs, k)
}

// storable checks what the records assume of a position beyond what
// stancegraph.Position.Validate checks: an id as PositionID makes them, and
// texts that a record's lengths can hold. Every position that passed
// stancegraph.Prepare or ingest.Prepare passes.
func storable(p *stancegraph.Position) error {
	if _, ok := parsePosKey(p.ID); !ok {
		return stancegraph.FieldErrorf("id", "position id %q is not of the form pos-<16 hex digits>", p.ID)
	}
	if !p.Stance.Valid() {
		return stancegraph.Stances.Invalid("stance", "stance", p.Stance)
	}
	if len(p.Quote) > math.MaxUint16 || len(p.Condition) > math.MaxUint16 {
		return stancegraph.FieldErrorf("quote", "quote or condition of position %q longer than %d bytes", p.ID, math.MaxUint16)
	}
	if p.Strength < 1 || p.Strength > 2 {
		return stancegraph.FieldErrorf("strength", "strength must be 1 or 2, not %d", p.Strength)
	}
	return nil
}

// putPosition stores p, which must be storable and whose ends must exist,
// in place of any position with its id, under the same sequence number.
// The index keeps none of p's memory but the bytes of its ends' ids.
func (x *index) putPosition(p *stancegraph.Position) {
	key, _ := parsePosKey(p.ID)
	actor, target, source := x.entities[p.ActorID], x.entities[p.TargetID], x.entities[p.SourceID]
	if actor == nil || target == nil || source == nil {
		panic("memstore: a position to store has an end that is not stored: " + p.ID)
	}
	seq, ok := x.ids.find(x.recs, key)
	switch {
	case ok:
		x.unindexPosition(seq)
	case len(x.free) > 0:
		seq = x.free[len(x.free)-1]
		x.free = x.free[:len(x.free)-1]
	default:
		seq = uint32(len(x.recs))
		x.recs = append(x.recs, posRec{})
	}
	x.recs[seq] = x.makeRec(p, key, actor.num, target.num, source.num)
	if !ok {
		x.ids.insert(x.recs, seq)
	}
	x.byActor.add(actor.e.ID, seq, x)
	x.byTarget.add(target.e.ID, seq, x)
	x.bySource.add(source.e.ID, seq, x)
	x.all.add("", seq, x)
	for _, w := range search.PositionWords(p) {
		x.posting(w).addPosition(seq)
	}
	x.compactTexts()
}

func (x *index) removePosition(id string) {
	seq, ok := x.lookup(id)
	if !ok {
		return
	}
	x.unindexPosition(seq)
	x.ids.remove(x.recs, x.recs[seq].id)
	x.recs[seq] = posRec{}
	x.free = append(x.free, seq)
	x.compactTexts()
}

// unindexPosition takes the position of seq out of every index but
// positions and recs, and counts its texts as dead.
func (x *index) unindexPosition(seq uint32) {
	r := &x.recs[seq]
	x.byActor.remove(x.ents[r.actor].e.ID, seq, x)
	x.byTarget.remove(x.ents[r.target].e.ID, seq, x)
	x.bySource.remove(x.ents[r.source].e.ID, seq, x)
	x.all.remove("", seq, x)
	for _, w := range search.PositionWords(&stancegraph.Position{Quote: x.texts.quote(r)}) {
		if ps := x.words[w]; ps != nil {
			ps.removePosition(seq)
			x.dropIfEmpty(w, ps)
		}
	}
	x.texts.release(r)
}

// compactTexts copies the live texts into new chunks when the dead ones
// outweigh them, so that the arena stays at most about twice the texts
// the records hold whatever the writes. Readers never see it: it runs
// under the write lock, and strings handed out keep their old chunks.
func (x *index) compactTexts() {
	if x.batch || !x.texts.wasteful() {
		return
	}
	var fresh texts
	for seq := range x.recs {
		r := &x.recs[seq]
		if r.strength == 0 {
			continue
		}
		r.chunk, r.at = fresh.add(x.texts.quote(r), x.texts.cond(r))
	}
	x.texts = fresh
}

func (x *index) relation(typ stancegraph.RelType, from, to string) *stancegraph.Relation {
	return x.out[typ].get(from, to)
}

// putRelation stores r, which the index now owns, in place of any relation
// with its key.
// parents is a stancegraph.ParentsFunc over the index.
func (x *index) parents(_ context.Context, ids []string) ([]string, error) {
	out := make([]string, len(ids))
	for i, id := range ids {
		for _, r := range x.out[stancegraph.PartOf].at(id) {
			out[i] = r.To
		}
	}
	return out, nil
}

func (x *index) putRelation(r *stancegraph.Relation) {
	if x.out[r.Type] == nil {
		x.out[r.Type] = newRelIndex(relTo)
		x.in[r.Type] = newRelIndex(relFrom)
	}
	if old := x.relation(r.Type, r.From, r.To); old != nil {
		x.uncite(old)
	}
	x.out[r.Type].put(r.From, r)
	x.in[r.Type].put(r.To, r)
	if r.SourceID != "" && r.SourceID != r.From {
		x.cited[r.SourceID]++
	}
}

func (x *index) uncite(r *stancegraph.Relation) {
	if r.SourceID != "" && r.SourceID != r.From {
		if x.cited[r.SourceID]--; x.cited[r.SourceID] <= 0 {
			delete(x.cited, r.SourceID)
		}
	}
}

func (x *index) removeRelation(typ stancegraph.RelType, from, to string) {
	if x.out[typ] == nil {
		return
	}
	if old := x.relation(typ, from, to); old != nil {
		x.uncite(old)
	}
	x.out[typ].remove(from, to)
	x.in[typ].remove(to, from)
}

// touching returns the relations and the numbers of the positions that end
// at the entity.
func (x *index) touching(id string) ([]*stancegraph.Relation, []uint32) {
	var rs []*stancegraph.Relation
	for _, typ := range stancegraph.RelTypes {
		rs = append(rs, x.out[typ].at(id)...)
		rs = append(rs, x.in[typ].at(id)...)
	}
	ps := slices.Concat(x.byActor.m[id], x.byTarget.m[id])
	return rs, ps
}

// kindList holds the entities of one kind in each order a listing can ask
// for, and how many there are per country, so that a page of a kind,
// filtered by country or not, costs what the page holds rather than what
// the kind holds. Within a batch the lists grow unsorted and sortDirty
// sorts them once.
type kindList struct {
	sorted    [len(entityOrders)][]*entityRec
	countries map[string]int
	dirty     bool
}

// entityOrders are the orders of a listing, by their index in
// kindList.sorted.
var entityOrders = [...]stancegraph.EntityOrder{stancegraph.OrderNameAsc, stancegraph.OrderNameDesc, stancegraph.OrderIDAsc}

// orderIndex returns the index of a validated order; "" is NAME_ASC.
func orderIndex(o stancegraph.EntityOrder) int {
	if i := slices.Index(entityOrders[:], o); i >= 0 {
		return i
	}
	return 0
}

// compareIn compares two entities in the order of index i; ties of name
// are broken by id.
func compareIn(i int, a, b *entityRec) int {
	switch entityOrders[i] {
	case stancegraph.OrderNameDesc:
		if c := strings.Compare(b.e.Name, a.e.Name); c != 0 {
			return c
		}
	case stancegraph.OrderNameAsc:
		if c := strings.Compare(a.e.Name, b.e.Name); c != 0 {
			return c
		}
	}
	return strings.Compare(a.e.ID, b.e.ID)
}

func (kl *kindList) add(rec *entityRec, batch bool) {
	kl.countries[rec.e.Country]++
	for i := range kl.sorted {
		list := kl.sorted[i]
		if batch || kl.dirty {
			kl.sorted[i] = append(list, rec)
			continue
		}
		at, _ := slices.BinarySearchFunc(list, rec, func(a, b *entityRec) int { return compareIn(i, a, b) })
		kl.sorted[i] = slices.Insert(list, at, rec)
	}
	kl.dirty = kl.dirty || batch
}

func (kl *kindList) remove(rec *entityRec) {
	if kl.countries[rec.e.Country]--; kl.countries[rec.e.Country] <= 0 {
		delete(kl.countries, rec.e.Country)
	}
	for i := range kl.sorted {
		list := kl.sorted[i]
		at, ok := -1, false
		if kl.dirty {
			at = slices.Index(list, rec)
			ok = at >= 0
		} else {
			at, ok = slices.BinarySearchFunc(list, rec, func(a, b *entityRec) int { return compareIn(i, a, b) })
		}
		if ok {
			kl.sorted[i] = slices.Delete(list, at, at+1)
		}
	}
}

func (kl *kindList) sortDirty() {
	if !kl.dirty {
		return
	}
	for i := range kl.sorted {
		slices.SortFunc(kl.sorted[i], func(a, b *entityRec) int { return compareIn(i, a, b) })
	}
	kl.dirty = false
}

// posIndex lists the positions of each entity, by sequence number, in
// position order: by statedAt, then id (index.compareSeqs). Within a
// batch, lists grow unsorted and sortDirty sorts them once.
type posIndex struct {
	m     map[string][]uint32
	dirty map[string]bool
}

func newPosIndex() *posIndex {
	return &posIndex{m: map[string][]uint32{}, dirty: map[string]bool{}}
}

func (pi *posIndex) add(key string, seq uint32, x *index) {
	list := pi.m[key]
	if x.batch || pi.dirty[key] {
		pi.m[key] = append(list, seq)
		pi.dirty[key] = true
		return
	}
	i, _ := slices.BinarySearchFunc(list, seq, x.compareSeqs)
	pi.m[key] = slices.Insert(list, i, seq)
}

func (pi *posIndex) remove(key string, seq uint32, x *index) {
	list := pi.m[key]
	i, ok := -1, false
	if pi.dirty[key] {
		i = slices.Index(list, seq)
		ok = i >= 0
	} else {
		i, ok = slices.BinarySearchFunc(list, seq, x.compareSeqs)
	}
	if !ok {
		return
	}
	list = slices.Delete(list, i, i+1)
	if len(list) == 0 {
		delete(pi.m, key)
		delete(pi.dirty, key)
		return
	}
	pi.m[key] = list
}

// pack copies the lists into one array, each list's capacity its length.
func (pi *posIndex) pack() {
	pi.dirty = map[string]bool{} // emptied by sortDirty, but not shrunk
	n := 0
	for _, list := range pi.m {
		n += len(list)
	}
	all := make([]uint32, 0, n)
	for key, list := range pi.m {
		at := len(all)
		all = append(all, list...)
		pi.m[key] = all[at:len(all):len(all)]
	}
}

func (pi *posIndex) sortDirty(x *index) {
	for key := range pi.dirty {
		slices.SortFunc(pi.m[key], x.compareSeqs)
		delete(pi.dirty, key)
	}
}

// relIndex lists the relations of one type at each entity, sorted by the
// id of the entity at their other end (far), so that a look-up is a binary
// search. A slice per entity, where a map per entity cost about 170 bytes
// more a relation. The read methods take a nil relIndex as empty.
type relIndex struct {
	m   map[string][]*stancegraph.Relation
	far func(*stancegraph.Relation) string
}

func relTo(r *stancegraph.Relation) string   { return r.To }
func relFrom(r *stancegraph.Relation) string { return r.From }

func newRelIndex(far func(*stancegraph.Relation) string) *relIndex {
	return &relIndex{m: map[string][]*stancegraph.Relation{}, far: far}
}

// at returns the relations at the entity id, sorted by their other end.
func (ri *relIndex) at(id string) []*stancegraph.Relation {
	if ri == nil {
		return nil
	}
	return ri.m[id]
}

// find returns where the relation from id to farID is or would go.
func (ri *relIndex) find(id, farID string) (int, bool) {
	return slices.BinarySearchFunc(ri.at(id), farID, func(r *stancegraph.Relation, far string) int {
		return strings.Compare(ri.far(r), far)
	})
}

// get returns the relation between id and farID, or nil.
func (ri *relIndex) get(id, farID string) *stancegraph.Relation {
	if i, ok := ri.find(id, farID); ok {
		return ri.m[id][i]
	}
	return nil
}

// put stores r at the entity id, in place of the one with its other end.
func (ri *relIndex) put(id string, r *stancegraph.Relation) {
	list := ri.m[id]
	if i, ok := ri.find(id, ri.far(r)); ok {
		list[i] = r
	} else {
		ri.m[id] = slices.Insert(list, i, r)
	}
}

// remove drops the relation between id and farID, and the entity's list
// when it empties, so that the map does not grow without bound.
func (ri *relIndex) remove(id, farID string) {
	i, ok := ri.find(id, farID)
	if !ok {
		return
	}
	list := slices.Delete(ri.m[id], i, i+1)
	if len(list) == 0 {
		delete(ri.m, id)
		return
	}
	ri.m[id] = list
}
