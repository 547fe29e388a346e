package memstore

import (
	"slices"

	"github.com/RoaringBitmap/roaring/v2"
)

// fewPositions is the most positions a word's postings hold in a sorted
// slice before they move to a bitmap. A bitmap's containers cover 65,536
// numbers each, and the positions of a rare word (a name) fall into a
// different container each, at about 50 bytes a position; a slice holds
// one in 4 bytes, and past a few hundred the containers fill and the
// bitmap is the smaller.
const fewPositions = 256

// postings are the entities and the positions having a search word, by
// their numbers. entities is a compressed bitmap, nil until the word has
// one. The positions of most words (names) are few: they are in few,
// sorted, until there are more than fewPositions, and then in many, a
// bitmap, for good.
type postings struct {
	entities *roaring.Bitmap
	few      []uint32
	many     *roaring.Bitmap
}

func (ps *postings) addPosition(seq uint32) {
	if ps.many != nil {
		ps.many.Add(seq)
		return
	}
	i, ok := slices.BinarySearch(ps.few, seq)
	if ok {
		return
	}
	if len(ps.few) < fewPositions {
		ps.few = slices.Insert(ps.few, i, seq)
		return
	}
	ps.many = roaring.BitmapOf(ps.few...)
	ps.many.Add(seq)
	ps.few = nil
}

func (ps *postings) removePosition(seq uint32) {
	if ps.many != nil {
		ps.many.Remove(seq)
		return
	}
	if i, ok := slices.BinarySearch(ps.few, seq); ok {
		ps.few = slices.Delete(ps.few, i, i+1)
	}
}

func (ps *postings) hasPositions() bool {
	return len(ps.few) > 0 || ps.many != nil && !ps.many.IsEmpty()
}

// clone returns a copy of ps whose slices and bitmaps have their exact
// sizes.
func (ps *postings) clone() *postings {
	c := &postings{few: slices.Clone(ps.few)}
	if ps.entities != nil {
		c.entities = ps.entities.Clone()
	}
	if ps.many != nil {
		c.many = ps.many.Clone()
	}
	return c
}
