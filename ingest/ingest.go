// Package ingest decides what a store may write, above the backends, so
// that they only execute. Prepare checks a graph before a store imports it,
// in one order: every entry given, entities named by a known external id
// merged, every entry validated and normalised, references resolved against
// the graph itself and the store, and the PART_OF hierarchy kept a forest.
// Every finding is a Problem naming its entry, so that a whole import is
// refused with all that is wrong with it and nothing written. The store
// supplies only its lookups (Stored). The single-write checks (Entity,
// EntityChange, Relation, RelationChange, Unrelate, Deletable) judge one
// record against what the store read for it.
//
// Both stores (store/memstore, store/neo4jstore) call Prepare and the
// single-write checks; the file importer (dataset) and the seed loader
// (seed) run Prepare's steps over their inputs. The rules each record obeys
// on its own stay with the domain types in the root package.
package ingest

import (
	"fmt"
	"strings"

	"github.com/stancegraph/stancegraph"
)

// MaxItems bounds the entries of one import.
const MaxItems = 5_000_000

// Problem is one thing wrong with an entry of a graph to import.
type Problem struct {
	// Entry names the entry, e.g. `positions[3]` or `entities[0] "openai"`.
	Entry string `json:"entry" yaml:"entry"`
	Field string `json:"field,omitempty" yaml:"field,omitempty"`
	Code  string `json:"code" yaml:"code"`
	Msg   string `json:"message" yaml:"message"`
}

func (p Problem) String() string {
	if p.Field != "" {
		return fmt.Sprintf("%s: %s: %s", p.Entry, p.Field, p.Msg)
	}
	return fmt.Sprintf("%s: %s", p.Entry, p.Msg)
}

// ProblemsError folds problems into one error with the code of the first.
func ProblemsError(ps []Problem) error {
	if len(ps) == 0 {
		return nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d problem(s) in the import; nothing was written", len(ps))
	for i, p := range ps {
		if i == 20 {
			fmt.Fprintf(&b, "; and %d more", len(ps)-i)
			break
		}
		b.WriteString("; ")
		b.WriteString(p.String())
	}
	return &stancegraph.Error{Code: ps[0].Code, Message: b.String()}
}

func problemOf(entry string, err error) Problem {
	return Problem{Entry: entry, Field: stancegraph.ErrorField(err), Code: stancegraph.ErrorCode(err), Msg: stancegraph.ErrorMessage(err)}
}
