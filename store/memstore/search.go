package memstore

import (
	"context"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/stancegraph/stancegraph"
)

// searchWords splits s into lower-case words: runs of letters and digits.
func searchWords(s string) []string {
	var words []string
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			words = append(words, b.String())
			b.Reset()
		}
	}
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		} else {
			flush()
		}
	}
	flush()
	return words
}

// Search finds the entities in which every word of query begins a word of
// the name or of an alias (see package storetest for the semantics). An
// entity whose name or an alias is the query scores 1; the others score
// less than 1, more for query words that cover more of the words they
// begin and for names made of fewer words.
func (s *Store) Search(ctx context.Context, query string, kinds []stancegraph.Kind, limit int) ([]stancegraph.SearchHit, error) {
	if err := checkKinds(kinds); err != nil {
		return nil, err
	}
	limit, err := pageLimit(limit)
	if err != nil {
		return nil, err
	}
	qwords := searchWords(query)
	slices.Sort(qwords)
	qwords = slices.Compact(qwords)

	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.ready(ctx); err != nil {
		return nil, err
	}
	if len(qwords) == 0 {
		return nil, nil
	}
	// The candidates are the entities having a word that the longest query
	// word begins, usually the fewest; each is then checked in full.
	longest := qwords[0]
	for _, q := range qwords {
		if utf8.RuneCountInString(q) > utf8.RuneCountInString(longest) {
			longest = q
		}
	}
	seen := map[string]bool{}
	trimmed := strings.TrimSpace(query)
	var hits []stancegraph.SearchHit
	for i, _ := slices.BinarySearch(s.idx.sorted, longest); i < len(s.idx.sorted) && strings.HasPrefix(s.idx.sorted[i], longest); i++ {
		for id, rec := range s.idx.words[s.idx.sorted[i]] {
			if seen[id] {
				continue
			}
			seen[id] = true
			if len(kinds) > 0 && !slices.Contains(kinds, rec.e.Kind) {
				continue
			}
			if score, ok := matchScore(rec, qwords, trimmed); ok {
				hits = append(hits, stancegraph.SearchHit{Entity: rec.e, Score: score})
			}
		}
	}
	sort.Slice(hits, func(i, j int) bool {
		a, b := hits[i], hits[j]
		if a.Score != b.Score {
			return a.Score > b.Score
		}
		if a.Entity.Name != b.Entity.Name {
			return a.Entity.Name < b.Entity.Name
		}
		return a.Entity.ID < b.Entity.ID
	})
	if len(hits) > limit {
		hits = hits[:limit]
	}
	for i := range hits {
		hits[i].Entity = hits[i].Entity.Clone()
	}
	return hits, nil
}

// matchScore reports whether every query word begins a word of the entity
// and, if so, scores the match.
func matchScore(rec *entityRec, qwords []string, query string) (float64, bool) {
	coverage := 0.0
	for _, q := range qwords {
		best := 0.0
		for i, _ := slices.BinarySearch(rec.words, q); i < len(rec.words) && strings.HasPrefix(rec.words[i], q); i++ {
			best = max(best, float64(len(q))/float64(len(rec.words[i])))
		}
		if best == 0 {
			return 0, false
		}
		coverage += best
	}
	if strings.EqualFold(strings.TrimSpace(rec.e.Name), query) {
		return 1, true
	}
	for _, a := range rec.e.Aliases {
		if strings.EqualFold(strings.TrimSpace(a), query) {
			return 1, true
		}
	}
	coverage /= float64(len(qwords))
	nameWords := max(len(searchWords(rec.e.Name)), 1)
	brevity := min(float64(len(qwords))/float64(nameWords), 1)
	return 0.5*coverage + 0.4*brevity, true
}
