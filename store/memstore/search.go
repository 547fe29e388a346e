package memstore

import (
	"bytes"
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/RoaringBitmap/roaring/v2"

	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/search"
)

// Search finds the entities and positions in which every word of query
// begins a word of the searchable text, and scores them, with
// search.Query. The candidates are the postings of the words
// that the longest query word begins, usually the fewest; each is then
// checked in full.
func (s *Store) Search(ctx context.Context, query string, f stancegraph.SearchFilter) ([]stancegraph.SearchHit, error) {
	limit, err := f.Validate()
	if err != nil {
		return nil, err
	}
	q := search.Parse(query)

	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.ready(ctx); err != nil {
		return nil, err
	}
	if len(q.Words()) == 0 {
		return nil, nil
	}
	longest := q.Longest()
	seen := map[string]bool{}
	var (
		hits []stancegraph.SearchHit
		// lists holds the postings of the positions of each word that
		// has many, few those of the others.
		lists []*roaring.Bitmap
		few   []uint32
	)
	for i, _ := slices.BinarySearch(s.idx.sorted, longest); i < len(s.idx.sorted) && strings.HasPrefix(s.idx.sorted[i], longest); i++ {
		if err := searchTick(ctx, i); err != nil {
			return nil, err
		}
		ps := s.idx.words[s.idx.sorted[i]]
		var ents []uint32
		if ps.entities != nil {
			ents = ps.entities.ToArray()
		}
		for _, num := range ents {
			rec := s.idx.ents[num]
			if seen[rec.e.ID] {
				continue
			}
			seen[rec.e.ID] = true
			if len(f.Kinds) > 0 && !slices.Contains(f.Kinds, rec.e.Kind) {
				continue
			}
			if score, ok := q.ScoreEntity(rec.e); ok {
				hits = append(hits, stancegraph.SearchHit{Entity: rec.e, Score: score})
			}
		}
		if !f.EntitiesOnly {
			if ps.many != nil {
				lists = append(lists, ps.many)
			}
			few = append(few, ps.few...)
		}
	}
	if len(few) > 0 {
		lists = append(lists, roaring.BitmapOf(few...))
	}
	// Each candidate position once, however many of the words it has.
	x := s.idx
	type posHit struct {
		seq   uint32
		score float64
	}
	var posHits []posHit
	it := roaring.FastOr(lists...).Iterator()
	for n := 0; it.HasNext(); n++ {
		if err := searchTick(ctx, n); err != nil {
			return nil, err
		}
		seq := it.Next()
		if score, ok := q.ScorePosition(&stancegraph.Position{Quote: x.texts.quote(&x.recs[seq])}); ok {
			posHits = append(posHits, posHit{seq, score})
		}
	}
	// The best positions in the order of search.SortHits (score, then id,
	// whose order is that of the records' keys); only they are made, and
	// they hold the best of all hits.
	slices.SortFunc(posHits, func(a, b posHit) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		return bytes.Compare(x.recs[a.seq].id[:], x.recs[b.seq].id[:])
	})
	for _, h := range posHits[:min(limit, len(posHits))] {
		hits = append(hits, stancegraph.SearchHit{Position: x.materialize(h.seq), Score: h.score})
	}
	search.SortHits(hits)
	if len(hits) > limit {
		hits = hits[:limit]
	}
	for i, h := range hits {
		if h.Entity != nil {
			hits[i].Entity = h.Entity.Clone()
		}
	}
	return hits, nil
}

// searchTick checks ctx every 1,024 steps of a search loop.
func searchTick(ctx context.Context, n int) error {
	if n%1024 == 0 {
		if err := ctx.Err(); err != nil {
			return stancegraph.ContextError(err, "the search")
		}
	}
	return nil
}
