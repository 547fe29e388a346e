package neo4jstore

import (
	"context"
	"slices"
	"sort"
	"strings"
	"unicode"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/stancegraph/stancegraph"
)

// searchCandidates bounds how many full-text hits Search ranks. The index
// finds the candidates; the ranking is done here so it matches the embedded
// store exactly.
const searchCandidates = 10000

// words splits s into lower-case words: runs of letters and digits.
func words(s string) []string {
	var out []string
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			out = append(out, b.String())
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
	return out
}

// searchWords returns the distinct words of the name and aliases of e.
func searchWords(e *stancegraph.Entity) []string {
	seen := map[string]bool{}
	var out []string
	for _, text := range append([]string{e.Name}, e.Aliases...) {
		for _, w := range words(text) {
			if !seen[w] {
				seen[w] = true
				out = append(out, w)
			}
		}
	}
	return out
}

// searchNames returns the lower-cased name and aliases of e.
func searchNames(e *stancegraph.Entity) []string {
	out := []string{strings.ToLower(e.Name)}
	for _, a := range e.Aliases {
		out = append(out, strings.ToLower(a))
	}
	return out
}

// score rates how well e matches the distinct query words qw, the same way
// as the embedded store: 1 for a name or alias equal to the query, and
// otherwise less, more for query words that cover more of the words they
// begin and for names of fewer words. It returns false when some query word
// begins no word of e.
func score(e *stancegraph.Entity, query string, qw []string) (float64, bool) {
	ew := searchWords(e)
	coverage := 0.0
	for _, w := range qw {
		best := 0.0
		for _, x := range ew {
			if strings.HasPrefix(x, w) {
				best = max(best, float64(len(w))/float64(len(x)))
			}
		}
		if best == 0 {
			return 0, false
		}
		coverage += best
	}
	q := strings.TrimSpace(query)
	for _, name := range append([]string{e.Name}, e.Aliases...) {
		if strings.EqualFold(strings.TrimSpace(name), q) {
			return 1, true
		}
	}
	coverage /= float64(len(qw))
	brevity := min(float64(len(qw))/float64(max(len(words(e.Name)), 1)), 1)
	return 0.5*coverage + 0.4*brevity, true
}

// Search ranks the entities whose name or aliases have, for every word of
// query, a word it is a prefix of.
func (s *Store) Search(ctx context.Context, query string, kinds []stancegraph.Kind, limit int) ([]stancegraph.SearchHit, error) {
	params := map[string]any{"index": searchIndex, "max": searchCandidates}
	filter := ""
	if len(kinds) > 0 {
		ks := make([]string, len(kinds))
		for i, k := range kinds {
			if !k.Valid() {
				return nil, stancegraph.FieldErrorf("kinds", "%q is not a valid kind", k)
			}
			ks[i] = string(k)
		}
		filter = ` WHERE node.kind IN $kinds`
		params["kinds"] = ks
	}
	limit, err := pageLimit(limit)
	if err != nil {
		return nil, err
	}
	qw := words(query)
	slices.Sort(qw)
	qw = slices.Compact(qw)
	if len(qw) == 0 {
		if err := ctx.Err(); err != nil {
			return nil, s.translate(ctx, "search", err)
		}
		return nil, nil
	}
	// Every word is required, as a prefix. Words hold only letters and
	// digits, none of which Lucene's query syntax treats specially.
	terms := make([]string, len(qw))
	for i, w := range qw {
		terms[i] = "+" + w + "*"
	}
	params["query"] = strings.Join(terms, " ")

	var hits []stancegraph.SearchHit
	err = s.read(ctx, "search", func(tx neo4j.ManagedTransaction) error {
		recs, err := s.collect(ctx, tx, `CALL db.index.fulltext.queryNodes($index, $query, {limit: $max}) YIELD node`+
			filter+` RETURN properties(node)`, params)
		if err != nil {
			return err
		}
		hits = hits[:0]
		for _, r := range recs {
			e, err := entityOf(r.Values[0])
			if err != nil {
				return err
			}
			if sc, ok := score(e, query, qw); ok {
				hits = append(hits, stancegraph.SearchHit{Entity: e, Score: sc})
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.SliceStable(hits, func(i, j int) bool {
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
	return hits, nil
}
