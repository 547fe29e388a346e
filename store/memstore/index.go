package memstore

import (
	"context"
	"slices"
	"sort"
	"strings"
	"unique"

	"github.com/RoaringBitmap/roaring/v2"

	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/search"
)

// index holds the graph in memory with an index for every query of the
// Store. It does no locking and no validation: the Store does both. Records
// in it are never modified, only replaced, so readers may share them until
// they hand copies out.
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

	// positions maps each position's id to its sequence number, a dense
	// small integer that the postings hold; bySeq holds the positions by
	// it, nil where free lists the numbers of retracted positions for
	// reuse. A replaced position keeps its number.
	positions                   map[string]uint32
	bySeq                       []*stancegraph.Position
	free                        []uint32
	byActor, byTarget, bySource *posIndex
	// all lists every position, under the key "", for root listings.
	all *posIndex

	// out and in index relations by type, then by one end, then by the
	// other end.
	out, in map[stancegraph.RelType]map[string]map[string]*stancegraph.Relation
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
	// lower holds the name and aliases in lower case, for NameContains.
	lower []string
	// words holds the distinct search words of the entity, sorted.
	words []string
}

// postings are the entities, by id, and the positions having a search word.
// Positions are held by their sequence numbers in a compressed bitmap:
// quotes give about 25 postings per position, and a bitmap holds one in
// at most 2 bytes where a map of pointers took about 14. entities is nil
// until the word has one.
type postings struct {
	entities  map[string]*entityRec
	positions roaring.Bitmap
}

func newIndex() *index {
	return &index{
		entities:  map[string]*entityRec{},
		byKind:    map[stancegraph.Kind]*kindList{},
		words:     map[string]*postings{},
		positions: map[string]uint32{},
		byActor:   newPosIndex(),
		byTarget:  newPosIndex(),
		bySource:  newPosIndex(),
		all:       newPosIndex(),
		out:       map[stancegraph.RelType]map[string]map[string]*stancegraph.Relation{},
		in:        map[stancegraph.RelType]map[string]map[string]*stancegraph.Relation{},
		cited:     map[string]int{},
		external:  map[string]string{},
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
	if old := x.entities[e.ID]; old != nil {
		x.unindexEntity(old)
	}
	rec := &entityRec{e: e, lower: make([]string, 0, 1+len(e.Aliases))}
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
			ps.entities = map[string]*entityRec{}
		}
		ps.entities[e.ID] = rec
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
	if len(ps.entities) > 0 || !ps.positions.IsEmpty() {
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
			delete(ps.entities, rec.e.ID)
			x.dropIfEmpty(w, ps)
		}
	}
}

// endBatch ends a batch of writes, sorting what the batch left unsorted.
func (x *index) endBatch() {
	x.batch = false
	x.byActor.sortDirty()
	x.byTarget.sortDirty()
	x.bySource.sortDirty()
	x.all.sortDirty()
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

// position returns the stored position with the id, nil if none.
func (x *index) position(id string) *stancegraph.Position {
	if seq, ok := x.positions[id]; ok {
		return x.bySeq[seq]
	}
	return nil
}

// putPosition stores p, which the index now owns, in place of any position
// with its id, under the same sequence number.
func (x *index) putPosition(p *stancegraph.Position) {
	seq, ok := x.positions[p.ID]
	switch {
	case ok:
		x.unindexPosition(seq)
	case len(x.free) > 0:
		seq = x.free[len(x.free)-1]
		x.free = x.free[:len(x.free)-1]
	default:
		seq = uint32(len(x.bySeq))
		x.bySeq = append(x.bySeq, nil)
	}
	x.positions[p.ID] = seq
	x.share(p)
	x.bySeq[seq] = p
	x.byActor.add(p.ActorID, p, x.batch)
	x.byTarget.add(p.TargetID, p, x.batch)
	x.bySource.add(p.SourceID, p, x.batch)
	x.all.add("", p, x.batch)
	for _, w := range search.PositionWords(p) {
		x.posting(w).positions.Add(seq)
	}
}

// share makes the strings of p that other records repeat share their
// bytes: the ends' ids with the entities', the stance, date and qualifier
// with one canonical copy each. Positions decoded from the file otherwise
// hold a copy of each, about 70 bytes per position.
func (x *index) share(p *stancegraph.Position) {
	for _, id := range []*string{&p.ActorID, &p.TargetID, &p.SourceID} {
		if rec := x.entities[*id]; rec != nil {
			*id = rec.e.ID
		}
	}
	p.Stance = unique.Make(p.Stance).Value()
	p.StatedAt = unique.Make(p.StatedAt).Value()
	p.StatedAtQualifier = unique.Make(p.StatedAtQualifier).Value()
}

func (x *index) removePosition(id string) {
	seq, ok := x.positions[id]
	if !ok {
		return
	}
	x.unindexPosition(seq)
	delete(x.positions, id)
	x.bySeq[seq] = nil
	x.free = append(x.free, seq)
}

// unindexPosition takes the position of seq out of every index but
// positions and bySeq.
func (x *index) unindexPosition(seq uint32) {
	p := x.bySeq[seq]
	x.byActor.remove(p.ActorID, p)
	x.byTarget.remove(p.TargetID, p)
	x.bySource.remove(p.SourceID, p)
	x.all.remove("", p)
	for _, w := range search.PositionWords(p) {
		if ps := x.words[w]; ps != nil {
			ps.positions.Remove(seq)
			x.dropIfEmpty(w, ps)
		}
	}
}

func (x *index) relation(typ stancegraph.RelType, from, to string) *stancegraph.Relation {
	return x.out[typ][from][to]
}

// putRelation stores r, which the index now owns, in place of any relation
// with its key.
// parents is a stancegraph.ParentsFunc over the index.
func (x *index) parents(_ context.Context, ids []string) ([]string, error) {
	out := make([]string, len(ids))
	for i, id := range ids {
		for to := range x.out[stancegraph.PartOf][id] {
			out[i] = to
		}
	}
	return out, nil
}

func (x *index) putRelation(r *stancegraph.Relation) {
	if x.out[r.Type] == nil {
		x.out[r.Type] = map[string]map[string]*stancegraph.Relation{}
		x.in[r.Type] = map[string]map[string]*stancegraph.Relation{}
	}
	if old := x.relation(r.Type, r.From, r.To); old != nil {
		x.uncite(old)
	}
	addTo(x.out[r.Type], r.From, r.To, r)
	addTo(x.in[r.Type], r.To, r.From, r)
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
	removeFrom(x.out[typ], from, to)
	removeFrom(x.in[typ], to, from)
}

// touching returns the relations and positions that end at the entity.
func (x *index) touching(id string) ([]*stancegraph.Relation, []*stancegraph.Position) {
	var rs []*stancegraph.Relation
	for _, typ := range stancegraph.RelTypes {
		for _, r := range x.out[typ][id] {
			rs = append(rs, r)
		}
		for _, r := range x.in[typ][id] {
			rs = append(rs, r)
		}
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

// posIndex lists the positions of each entity in position order: by
// statedAt, then id. Within a batch, lists grow unsorted and sortDirty
// sorts them once.
type posIndex struct {
	m     map[string][]*stancegraph.Position
	dirty map[string]bool
}

func newPosIndex() *posIndex {
	return &posIndex{m: map[string][]*stancegraph.Position{}, dirty: map[string]bool{}}
}

var comparePositions = stancegraph.CompareStated

func (pi *posIndex) add(key string, p *stancegraph.Position, batch bool) {
	list := pi.m[key]
	if batch || pi.dirty[key] {
		pi.m[key] = append(list, p)
		pi.dirty[key] = true
		return
	}
	i, _ := slices.BinarySearchFunc(list, p, comparePositions)
	pi.m[key] = slices.Insert(list, i, p)
}

func (pi *posIndex) remove(key string, p *stancegraph.Position) {
	list := pi.m[key]
	i, ok := -1, false
	if pi.dirty[key] {
		i = slices.Index(list, p)
		ok = i >= 0
	} else {
		i, ok = slices.BinarySearchFunc(list, p, comparePositions)
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

func (pi *posIndex) sortDirty() {
	for key := range pi.dirty {
		slices.SortFunc(pi.m[key], comparePositions)
		delete(pi.dirty, key)
	}
}

// addTo and removeFrom maintain a two-level map, dropping empty inner maps
// so that the outer one does not grow without bound.
func addTo[K comparable, V any](m map[K]map[string]V, k K, id string, v V) {
	inner := m[k]
	if inner == nil {
		inner = map[string]V{}
		m[k] = inner
	}
	inner[id] = v
}

func removeFrom[K comparable, V any](m map[K]map[string]V, k K, id string) {
	inner := m[k]
	delete(inner, id)
	if len(inner) == 0 {
		delete(m, k)
	}
}
