// Package search holds search matching and scoring, and only it, so that
// every backend finds the same hits with the same scores: a backend
// narrows the graph down to candidates with an index of Words, then asks
// the Query to match and score each one.
package search

import (
	"cmp"
	"slices"
	"strings"
	"unicode"

	"github.com/stancegraph/stancegraph"
)

// Words splits s into lower-case words: runs of letters and digits.
func Words(s string) []string {
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

// EntityWords returns the distinct words, sorted, of what search
// looks at in an entity: its name, aliases and summary.
func EntityWords(e *stancegraph.Entity) []string {
	words := Words(e.Name)
	for _, a := range e.Aliases {
		words = append(words, Words(a)...)
	}
	words = append(words, Words(e.Summary)...)
	slices.Sort(words)
	return slices.Compact(words)
}

// PositionWords returns the distinct words, sorted, of a position's
// quote.
func PositionWords(p *stancegraph.Position) []string {
	words := Words(p.Quote)
	slices.Sort(words)
	return slices.Compact(words)
}

// Query is a query parsed for matching and scoring.
type Query struct {
	text  string
	words []string // distinct, sorted
}

// Parse parses a query.
func Parse(query string) *Query {
	words := Words(query)
	slices.Sort(words)
	return &Query{text: strings.TrimSpace(query), words: slices.Compact(words)}
}

// Words returns the distinct words of the query, sorted; none means the
// query matches nothing.
func (q *Query) Words() []string { return q.words }

// Longest returns the query word with the most runes, the first of them in
// word order: usually the one that begins the fewest words of an index.
func (q *Query) Longest() string {
	longest := ""
	for _, w := range q.words {
		if len([]rune(w)) > len([]rune(longest)) {
			longest = w
		}
	}
	return longest
}

// Scores of the tiers: an exact name or alias scores 1, a match within the
// names and aliases scores in (nameTier, nameTier+tierSpan], any other
// match in (0, tierSpan]; so the tiers never overlap.
const (
	nameTier = 0.5
	tierSpan = 0.45
)

// BM25's parameters, and the field lengths, in words, that count as
// average. The lengths are fixed rather than measured over the store, so
// that a hit's score depends on the hit alone and is the same on every
// backend; for the same reason there is no inverse document frequency,
// which in any case weighs little when every hit holds every query word.
const (
	bm25K1      = 1.2
	bm25B       = 0.75
	avgNameLen  = 4.0
	avgTotalLen = 24.0
)

// ScoreEntity reports whether e matches the query, and its score if so.
func (q *Query) ScoreEntity(e *stancegraph.Entity) (float64, bool) {
	if len(q.words) == 0 {
		return 0, false
	}
	names := Words(e.Name)
	for _, a := range e.Aliases {
		names = append(names, Words(a)...)
	}
	if rel, ok := q.relevance(names, avgNameLen); ok {
		for _, n := range append([]string{e.Name}, e.Aliases...) {
			if strings.EqualFold(strings.TrimSpace(n), q.text) {
				return 1, true
			}
		}
		return nameTier + tierSpan*rel, true
	}
	rel, ok := q.relevance(append(names, Words(e.Summary)...), avgTotalLen)
	return tierSpan * rel, ok
}

// ScorePosition reports whether p's quote matches the query, and its score
// if so.
func (q *Query) ScorePosition(p *stancegraph.Position) (float64, bool) {
	if len(q.words) == 0 {
		return 0, false
	}
	rel, ok := q.relevance(Words(p.Quote), avgTotalLen)
	return tierSpan * rel, ok
}

// relevance reports whether every query word begins a word of text and, if
// so, rates the match in (0, 1]: the mean over query words of a BM25 term
// weight, normalised, in which each word of text that a query word begins
// counts for the share of it the query word covers.
func (q *Query) relevance(text []string, avgLen float64) (float64, bool) {
	norm := bm25K1 * (1 - bm25B + bm25B*float64(len(text))/avgLen)
	sum := 0.0
	for _, qw := range q.words {
		tf := 0.0
		for _, w := range text {
			if strings.HasPrefix(w, qw) {
				tf += float64(len(qw)) / float64(len(w))
			}
		}
		if tf == 0 {
			return 0, false
		}
		sum += tf / (tf + norm)
	}
	return sum / float64(len(q.words)), true
}

// SortHits sorts hits best first, ties by id.
func SortHits(hits []stancegraph.SearchHit) {
	slices.SortFunc(hits, func(a, b stancegraph.SearchHit) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		return strings.Compare(a.ID(), b.ID())
	})
}
