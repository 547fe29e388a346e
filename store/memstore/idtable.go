package memstore

import "encoding/binary"

// idTable finds a position's sequence number by its id: an open-addressing
// hash table with linear probing whose slots hold sequence numbers (plus
// one; 0 is empty) and whose keys are the records' own. Position ids are
// already hashes, so their bytes are the hash. At 4 bytes a slot and at
// most 3/4 full it holds a million positions in 8 MiB, where a
// map[posKey]uint32 took about 28 bytes a position.
type idTable struct {
	slots []uint32
	n     int
}

func (t *idTable) home(k posKey) int {
	return int(binary.LittleEndian.Uint64(k[:]) & uint64(len(t.slots)-1))
}

// slot returns the slot holding k, or the empty slot where k would go.
func (t *idTable) slot(recs []posRec, k posKey) int {
	mask := len(t.slots) - 1
	for i := t.home(k); ; i = (i + 1) & mask {
		if s := t.slots[i]; s == 0 || recs[s-1].id == k {
			return i
		}
	}
}

// find returns the sequence number of the record with key k.
func (t *idTable) find(recs []posRec, k posKey) (uint32, bool) {
	if t.n == 0 {
		return 0, false
	}
	s := t.slots[t.slot(recs, k)]
	return s - 1, s != 0
}

// insert adds seq, whose record holds its key, which the table must not
// have.
func (t *idTable) insert(recs []posRec, seq uint32) {
	if (t.n+1)*4 > len(t.slots)*3 {
		t.grow(recs)
	}
	t.slots[t.slot(recs, recs[seq].id)] = seq + 1
	t.n++
}

// reserve makes room for n entries in all.
func (t *idTable) reserve(recs []posRec, n int) {
	for n*4 > len(t.slots)*3 {
		t.grow(recs)
	}
}

func (t *idTable) grow(recs []posRec) {
	old := t.slots
	t.slots = make([]uint32, max(16, 2*len(old)))
	mask := len(t.slots) - 1
	for _, s := range old {
		if s == 0 {
			continue
		}
		i := t.home(recs[s-1].id)
		for t.slots[i] != 0 {
			i = (i + 1) & mask
		}
		t.slots[i] = s
	}
}

// remove takes out the record with key k, if the table has it, shifting
// back the entries after it that it displaced, so that no probe stops
// short of them.
func (t *idTable) remove(recs []posRec, k posKey) {
	if t.n == 0 {
		return
	}
	i := t.slot(recs, k)
	if t.slots[i] == 0 {
		return
	}
	t.n--
	mask := len(t.slots) - 1
	for j := i; ; {
		t.slots[i] = 0
		for {
			j = (j + 1) & mask
			s := t.slots[j]
			if s == 0 {
				return
			}
			// The entry at j may move to i unless its home lies
			// cyclically in (i, j].
			h := t.home(recs[s-1].id)
			if (i < j && (h <= i || h > j)) || (i > j && h <= i && h > j) {
				t.slots[i] = s
				i = j
				break
			}
		}
	}
}
