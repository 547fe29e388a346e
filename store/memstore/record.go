package memstore

import (
	"bytes"
	"encoding/hex"
	"slices"
	"strings"

	"github.com/stancegraph/stancegraph"
)

// posRec is a position as the index keeps it: 40 bytes without a pointer,
// so that a million of them are one allocation the collector never scans.
// The ends are entity numbers, the date a number in the date table, and the
// quote and condition lie side by side in the text arena. A
// *stancegraph.Position is made only for what a read hands out.
type posRec struct {
	// id is the hash of the id "pos-" + 16 hex digits; the hex digits
	// sort as the bytes do.
	id                    posKey
	actor, target, source uint32
	date                  uint32
	// The quote is texts.chunks[chunk][at:at+quoteLen], and the condition
	// follows it.
	chunk, at         uint32
	quoteLen, condLen uint16
	// stance is the index in stancegraph.Stances; strength is 1 or 2, and
	// 0 marks a free record.
	stance, strength uint8
}

// posKey is the binary form of a position id.
type posKey [8]byte

const posIDPrefix = "pos-"

// parsePosKey returns the key of a position id as stancegraph.PositionID
// makes them, and false for any other string.
func parsePosKey(id string) (posKey, bool) {
	var k posKey
	if len(id) != len(posIDPrefix)+2*len(k) || !strings.HasPrefix(id, posIDPrefix) {
		return k, false
	}
	for _, c := range []byte(id[len(posIDPrefix):]) {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') { // lower case only, as PositionID writes them
			return k, false
		}
	}
	_, err := hex.Decode(k[:], []byte(id[len(posIDPrefix):]))
	return k, err == nil
}

func (k posKey) String() string { return posIDPrefix + hex.EncodeToString(k[:]) }

// dateRec is one statedAt value (date and qualifier) that positions have.
type dateRec struct {
	pd stancegraph.PartialDate
	// key is pd.SortKey(), whose order is stancegraph.ComparePartialDates';
	// first is the first day of its interval.
	key, first string
}

// dates interns the statedAt values: a graph has a few thousand of them
// for a million positions. Numbers are never reused, so the table only
// grows, bounded by the dates the calendar has.
type dates struct {
	list []dateRec
	nums map[stancegraph.PartialDate]uint32
}

func (d *dates) num(pd stancegraph.PartialDate) uint32 {
	if n, ok := d.nums[pd]; ok {
		return n
	}
	if d.nums == nil {
		d.nums = map[stancegraph.PartialDate]uint32{}
	}
	first, _ := pd.Interval()
	n := uint32(len(d.list))
	d.list = append(d.list, dateRec{pd: pd, key: pd.SortKey(), first: first})
	d.nums[pd] = n
	return n
}

// textChunk is the size of the arena's chunks: large enough that the
// chunks are few, small enough that the space a chunk leaves at its end,
// less than one quote and condition, is nothing.
const textChunk = 1 << 20

// texts is an arena of the quotes and conditions. Chunks are filled by a
// strings.Builder, which only ever appends, so that every text is a
// substring of its chunk's string and a read hands it out without a copy.
// Texts that a write replaced or retracted stay until compact copies the
// live ones into new chunks.
type texts struct {
	chunks []string
	open   *strings.Builder // the last chunk, still filling
	// used and dead count the bytes of the texts stored and of those no
	// record holds any more.
	used, dead int
}

// add stores the quote and condition side by side and returns where.
func (t *texts) add(quote, cond string) (chunk, at uint32) {
	n := len(quote) + len(cond)
	if t.open == nil || t.open.Len()+n > max(textChunk, t.open.Cap()) {
		t.open = new(strings.Builder)
		t.open.Grow(max(textChunk, n))
		t.chunks = append(t.chunks, "")
	}
	at = uint32(t.open.Len())
	t.open.WriteString(quote)
	t.open.WriteString(cond)
	last := len(t.chunks) - 1
	t.chunks[last] = t.open.String()
	t.used += n
	return uint32(last), at
}

// quote and cond return the texts of a record, sharing the arena's bytes.
func (t *texts) quote(r *posRec) string {
	return t.chunks[r.chunk][r.at : r.at+uint32(r.quoteLen)]
}

func (t *texts) cond(r *posRec) string {
	at := r.at + uint32(r.quoteLen)
	return t.chunks[r.chunk][at : at+uint32(r.condLen)]
}

// release counts the texts of a record that is going as dead.
func (t *texts) release(r *posRec) {
	t.dead += int(r.quoteLen) + int(r.condLen)
}

// wasteful reports whether dead texts are more than the live ones, and
// more than a chunk: compacting then at least halves the arena, and its
// cost, a copy of the live texts, is paid for by as many bytes of writes.
func (t *texts) wasteful() bool {
	return t.dead > textChunk && t.dead > t.used-t.dead
}

// makeRec returns the record of p, whose ends have the numbers given,
// storing its texts.
func (x *index) makeRec(p *stancegraph.Position, key posKey, actor, target, source uint32) posRec {
	r := posRec{
		id:    key,
		actor: actor, target: target, source: source,
		date:     x.dates.num(p.Stated()),
		quoteLen: uint16(len(p.Quote)), condLen: uint16(len(p.Condition)),
		stance:   uint8(slices.Index(stancegraph.Stances, p.Stance)),
		strength: uint8(p.Strength),
	}
	r.chunk, r.at = x.texts.add(p.Quote, p.Condition)
	return r
}

// fill sets *p to the position of record r, whose id is given. Every
// other string of p shares bytes the index holds.
func (x *index) fill(p *stancegraph.Position, r *posRec, id string) {
	d := &x.dates.list[r.date]
	*p = stancegraph.Position{
		ID:                id,
		ActorID:           x.ents[r.actor].e.ID,
		TargetID:          x.ents[r.target].e.ID,
		Stance:            stancegraph.Stances[r.stance],
		Strength:          int(r.strength),
		Quote:             x.texts.quote(r),
		SourceID:          x.ents[r.source].e.ID,
		StatedAt:          d.pd.Value,
		StatedAtQualifier: d.pd.Qualifier,
		Condition:         x.texts.cond(r),
	}
}

// materialize returns a new copy of the position of seq.
func (x *index) materialize(seq uint32) *stancegraph.Position {
	p := new(stancegraph.Position)
	r := &x.recs[seq]
	x.fill(p, r, r.id.String())
	return p
}

// materializeAll returns copies of the positions of seqs: the positions in
// one allocation, their ids in another.
func (x *index) materializeAll(seqs []uint32) []*stancegraph.Position {
	const idLen = len(posIDPrefix) + 2*len(posKey{})
	var b strings.Builder
	b.Grow(idLen * len(seqs))
	var buf [idLen]byte
	for _, seq := range seqs {
		b.Write(x.recs[seq].id.appendID(buf[:0]))
	}
	ids := b.String()
	copies := make([]stancegraph.Position, len(seqs))
	out := make([]*stancegraph.Position, len(seqs))
	for i, seq := range seqs {
		x.fill(&copies[i], &x.recs[seq], ids[i*idLen:(i+1)*idLen])
		out[i] = &copies[i]
	}
	return out
}

// equal reports whether the position of seq holds p's data, as
// stancegraph.Position.Equal does, without making a copy of it.
func (x *index) equal(seq uint32, p *stancegraph.Position) bool {
	r := &x.recs[seq]
	d := &x.dates.list[r.date]
	return r.id.compareID(p.ID) == 0 &&
		x.ents[r.actor].e.ID == p.ActorID && x.ents[r.target].e.ID == p.TargetID && x.ents[r.source].e.ID == p.SourceID &&
		stancegraph.Stances[r.stance] == p.Stance && int(r.strength) == p.Strength &&
		x.texts.quote(r) == p.Quote && x.texts.cond(r) == p.Condition &&
		d.pd.Value == p.StatedAt && d.pd.Qualifier.Or() == p.StatedAtQualifier.Or()
}

// compareSeqs is the order of the position lists, stancegraph.CompareStated:
// by statedAt, then id.
func (x *index) compareSeqs(a, b uint32) int {
	ra, rb := &x.recs[a], &x.recs[b]
	if ra.date != rb.date {
		if c := strings.Compare(x.dates.list[ra.date].key, x.dates.list[rb.date].key); c != 0 {
			return c
		}
	}
	return bytes.Compare(ra.id[:], rb.id[:])
}

// compareID compares the id of k with s as strings compare, without
// making the id.
func (k posKey) compareID(s string) int {
	var buf [len(posIDPrefix) + 2*len(k)]byte
	return strings.Compare(string(k.appendID(buf[:0])), s)
}

// appendID appends the id of k to b.
func (k posKey) appendID(b []byte) []byte {
	return hex.AppendEncode(append(b, posIDPrefix...), k[:])
}
