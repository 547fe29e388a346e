package memstore

import (
	"encoding/binary"
	"math/rand/v2"
	"testing"
)

// TestIDTable checks the table against a map through random inserts and
// removes, with keys crowded into few homes so that probes run long, wrap
// around the end of the table, and removes shift entries back.
func TestIDTable(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var (
		tab  idTable
		recs []posRec
		want = map[posKey]uint32{}
		live []posKey
	)
	key := func() posKey {
		var k posKey
		// Low bits from a small set: many keys share a home.
		binary.LittleEndian.PutUint64(k[:], r.Uint64()&^0xff|uint64(r.IntN(4))|0xf0)
		return k
	}
	for step := range 20_000 {
		if len(live) > 0 && r.IntN(3) == 0 {
			i := r.IntN(len(live))
			k := live[i]
			live[i] = live[len(live)-1]
			live = live[:len(live)-1]
			tab.remove(recs, k)
			delete(want, k)
		} else {
			k := key()
			if _, ok := want[k]; ok {
				continue
			}
			recs = append(recs, posRec{id: k})
			seq := uint32(len(recs) - 1)
			tab.insert(recs, seq)
			want[k] = seq
			live = append(live, k)
		}
		if step%997 == 0 || step > 19_900 {
			if tab.n != len(want) {
				t.Fatalf("step %d: %d entries, want %d", step, tab.n, len(want))
			}
			for k, seq := range want {
				if got, ok := tab.find(recs, k); !ok || got != seq {
					t.Fatalf("step %d: find %x = %d, %v; want %d", step, k, got, ok, seq)
				}
			}
			if _, ok := tab.find(recs, key()); ok && len(want) == 0 {
				t.Fatalf("step %d: found a key in an empty table", step)
			}
		}
	}
	for _, k := range live {
		tab.remove(recs, k)
		if _, ok := tab.find(recs, k); ok {
			t.Fatalf("found %x after its removal", k)
		}
	}
	if tab.n != 0 {
		t.Fatalf("%d entries left", tab.n)
	}
}
