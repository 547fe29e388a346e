package dataset_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/dataset"
	"github.com/stancegraph/stancegraph/gen"
	"github.com/stancegraph/stancegraph/seed"
	"github.com/stancegraph/stancegraph/store/memstore"
)

// baseNodes is a valid nodes table the cases refer to.
const baseNodes = `id,kind,name,country,summary,topics,sourceKind,publisher,publishedAt
acme,COMPANY,Acme,US,,,,,
bsa,TRADE_ASSOCIATION,BSA,,,,,,
ada,PERSON,Ada,,,,,,
plan,POLICY_PROPOSAL,The plan,,A plan,exports|chips,,,
doc,SOURCE,A doc,,,,PUBLIC_COMMENT,regulations.gov,2025-01-02
`

const positionsHeader = "actor,target,stance,strength,quote,source,statedAt\n"
const relationsHeader = "type,from,to,role,title\n"

// writeFiles writes files into a new directory and opens them, in the
// order given, as one input.
func writeFiles(t *testing.T, files ...string) (string, dataset.Source) {
	t.Helper()
	dir := t.TempDir()
	var srcs []dataset.Source
	for i := 0; i+1 < len(files); i += 2 {
		path := filepath.Join(dir, files[i])
		if err := os.WriteFile(path, []byte(files[i+1]), 0o644); err != nil {
			t.Fatal(err)
		}
		src, err := dataset.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		srcs = append(srcs, src)
	}
	return dir, dataset.Concat(srcs...)
}

// want is a problem a case expects: file (base name), line, field, code
// and a piece of the message.
type want struct {
	file  string
	line  int
	field string
	code  string
	msg   string
}

func problemsOf(t *testing.T, err error) []dataset.Problem {
	t.Helper()
	var pe *dataset.ProblemsError
	if !errors.As(err, &pe) {
		t.Fatalf("err = %v, want a *ProblemsError", err)
	}
	return pe.Problems
}

func TestImport_Problems(t *testing.T) {
	tests := []struct {
		name  string
		files []string
		want  []want
	}{
		// Positions.
		{"UnknownActor", []string{"nodes.csv", baseNodes, "positions.csv", positionsHeader + "ghost,plan,SUPPORTS,1,q,doc,2025-12-13\n"},
			[]want{{"positions.csv", 2, "actor", stancegraph.ENOTFOUND, `actor "ghost" not found`}}},
		{"UnknownTarget", []string{"nodes.csv", baseNodes, "positions.csv", positionsHeader + "acme,nowhere,SUPPORTS,1,q,doc,2025-12-13\n"},
			[]want{{"positions.csv", 2, "target", stancegraph.ENOTFOUND, `"nowhere" not found`}}},
		{"UnknownSource", []string{"nodes.csv", baseNodes, "positions.csv", positionsHeader + "acme,plan,SUPPORTS,1,q,nodoc,2025-12-13\n"},
			[]want{{"positions.csv", 2, "source", stancegraph.ENOTFOUND, `"nodoc" not found`}}},
		{"MissingSource", []string{"nodes.csv", baseNodes, "positions.csv", positionsHeader + "acme,plan,SUPPORTS,1,q,,2025-12-13\n"},
			[]want{{"positions.csv", 2, "source", stancegraph.EINVALID, "source is required"}}},
		{"BadStance", []string{"nodes.csv", baseNodes, "positions.csv", positionsHeader + "acme,plan,ENDORSES,1,q,doc,2025-12-13\n"},
			[]want{{"positions.csv", 2, "stance", stancegraph.EINVALID, `"ENDORSES" is not a valid stance`}}},
		{"BadDate", []string{"nodes.csv", baseNodes, "positions.csv", positionsHeader + "acme,plan,SUPPORTS,1,q,doc,12/13/2025\n"},
			[]want{{"positions.csv", 2, "statedAt", stancegraph.EINVALID, "YYYY-MM-DD"}}},
		{"ImpossibleDate", []string{"nodes.csv", baseNodes, "positions.csv", positionsHeader + "acme,plan,SUPPORTS,1,q,doc,2025-02-30\n"},
			[]want{{"positions.csv", 2, "statedAt", stancegraph.EINVALID, "YYYY-MM-DD"}}},
		{"StrengthOutOfRange", []string{"nodes.csv", baseNodes, "positions.csv", positionsHeader + "acme,plan,SUPPORTS,3,q,doc,2025-12-13\n"},
			[]want{{"positions.csv", 2, "strength", stancegraph.EINVALID, "1 or 2"}}},
		{"StrengthNotANumber", []string{"nodes.csv", baseNodes, "positions.csv", positionsHeader + "acme,plan,SUPPORTS,strong,q,doc,2025-12-13\n"},
			[]want{{"positions.csv", 2, "strength", stancegraph.EINVALID, `"strong" is not a whole number`}}},
		{"MissingQuote", []string{"nodes.csv", baseNodes, "positions.csv", positionsHeader + "acme,plan,SUPPORTS,1,,doc,2025-12-13\n"},
			[]want{{"positions.csv", 2, "quote", stancegraph.EINVALID, "quote is required"}}},
		{"TargetNotStanceable", []string{"nodes.csv", baseNodes, "positions.csv", positionsHeader + "acme,bsa,SUPPORTS,1,q,doc,2025-12-13\n"},
			[]want{{"positions.csv", 2, "target", stancegraph.EINVALID, "cannot be taken on"}}},
		{"SourceNotASource", []string{"nodes.csv", baseNodes, "positions.csv", positionsHeader + "acme,plan,SUPPORTS,1,q,bsa,2025-12-13\n"},
			[]want{{"positions.csv", 2, "source", stancegraph.EINVALID, "not a source"}}},
		{"DuplicatePosition", []string{"nodes.csv", baseNodes, "positions.csv", positionsHeader +
			"acme,plan,SUPPORTS,1,q,doc,2025-12-13\nbsa,plan,SUPPORTS,1,q,doc,2025-12-13\nacme,plan,SUPPORTS,2,other,doc,2025-12-13\n"},
			[]want{{"positions.csv", 4, "", stancegraph.ECONFLICT, "given twice with different data (first at "}}},

		// Entities.
		{"DuplicateID", []string{"nodes.csv", baseNodes + "acme,COMPANY,Acme Two,,,,,,\n"},
			[]want{{"nodes.csv", 7, "id", stancegraph.ECONFLICT, `"acme" is given twice with different data`}}},
		{"BadKind", []string{"nodes.csv", baseNodes + "x,CORPORATION,X,,,,,,\n"},
			[]want{{"nodes.csv", 7, "kind", stancegraph.EINVALID, `"CORPORATION" is not a valid kind`}}},
		{"BadSourceKind", []string{"nodes.csv", baseNodes + "x,SOURCE,X,,,,TWEET,,\n"},
			[]want{{"nodes.csv", 7, "sourceKind", stancegraph.EINVALID, `"TWEET" is not a valid source kind (valid: NEWS_ARTICLE,`}}},
		{"BadPublishedAt", []string{"nodes.csv", baseNodes + "x,SOURCE,X,,,,OTHER,,2025-13-01\n"},
			[]want{{"nodes.csv", 7, "publishedAt", stancegraph.EINVALID, "YYYY-MM-DD"}}},
		{"BadSlug", []string{"nodes.csv", baseNodes + "Bad Id,COMPANY,X,,,,,,\n"},
			[]want{{"nodes.csv", 7, "id", stancegraph.EINVALID, "not a slug"}}},
		{"MissingName", []string{"nodes.csv", baseNodes + "x,COMPANY,,,,,,,\n"},
			[]want{{"nodes.csv", 7, "name", stancegraph.EINVALID, "name is required"}}},
		{"BadCountry", []string{"nodes.csv", baseNodes + "x,COMPANY,X,USA,,,,,\n"},
			[]want{{"nodes.csv", 7, "country", stancegraph.EINVALID, "alpha-2"}}},
		{"TopicsOnACompany", []string{"nodes.csv", baseNodes + "x,COMPANY,X,,,chips,,,\n"},
			[]want{{"nodes.csv", 7, "summary", stancegraph.EINVALID, "policy proposals only"}}},

		// Relations.
		{"RelationUnknownEnd", []string{"nodes.csv", baseNodes, "relations.csv", relationsHeader + "MEMBER_OF,acme,nobody,,\n"},
			[]want{{"relations.csv", 2, "", stancegraph.ENOTFOUND, `"nobody" not found`}}},
		{"RelationBadType", []string{"nodes.csv", baseNodes, "relations.csv", relationsHeader + "OWNS,acme,bsa,,\n"},
			[]want{{"relations.csv", 2, "type", stancegraph.EINVALID, `"OWNS" is not a valid relation type`}}},
		{"RelationWrongEnds", []string{"nodes.csv", baseNodes, "relations.csv", relationsHeader + "MEMBER_OF,acme,plan,,\n"},
			[]want{{"relations.csv", 2, "", stancegraph.EINVALID, "cannot end at POLICY_PROPOSAL"}}},
		{"RelationRoleOnMembership", []string{"nodes.csv", baseNodes, "relations.csv", relationsHeader + "MEMBER_OF,acme,bsa,chair,\n"},
			[]want{{"relations.csv", 2, "role", stancegraph.EINVALID, "AFFILIATED_WITH and INVOLVES relations only"}}},
		{"DuplicateRelation", []string{"nodes.csv", baseNodes, "relations.csv", relationsHeader + "AFFILIATED_WITH,ada,acme,staff,\nAFFILIATED_WITH,ada,acme,board,\n"},
			[]want{{"relations.csv", 3, "", stancegraph.ECONFLICT, "different role, title or evidence"}}},

		// Tables.
		{"UnknownColumn", []string{"positions.csv", "actor,target,stance,quote,source,statedAt,mood\n"},
			[]want{{"positions.csv", 1, "mood", stancegraph.EINVALID, `unknown column "mood"`}}},
		{"MissingColumn", []string{"positions.csv", "actor,target,stance,quote,statedAt\n"},
			[]want{{"positions.csv", 1, "source", stancegraph.EINVALID, `missing column "source"`}}},
		{"UnknownTable", []string{"stuff.csv", "a,b,c\n1,2,3\n"},
			[]want{{"stuff.csv", 1, "", stancegraph.EINVALID, "names no known table"}}},
		{"TooManyCells", []string{"nodes.csv", baseNodes + "x,COMPANY,X,,,,,,,extra\n"},
			[]want{{"nodes.csv", 7, "", stancegraph.EINVALID, "the header has 9 columns"}}},
		{"BadQuoting", []string{"nodes.csv", baseNodes + "x,COMPANY,\"X\"Y,,,,,,\n"},
			[]want{{"nodes.csv", 7, "", stancegraph.EINVALID, "CSV:"}}},

		// NDJSON.
		{"NDJSONNotJSON", []string{"g.ndjson", "{\"type\":\"entity\",\n"},
			[]want{{"g.ndjson", 1, "", stancegraph.EINVALID, "not JSON"}}},
		{"NDJSONNoType", []string{"g.ndjson", `{"id":"x","kind":"COMPANY","name":"X"}` + "\n"},
			[]want{{"g.ndjson", 1, "type", stancegraph.EINVALID, `no "type"`}}},
		{"NDJSONUnknownType", []string{"g.ndjson", `{"type":"edge"}` + "\n"},
			[]want{{"g.ndjson", 1, "type", stancegraph.EINVALID, `"edge" is not entity, relation or position`}}},
		{"NDJSONUnknownField", []string{"g.ndjson", "\n" + `{"type":"entity","id":"x","kind":"COMPANY","name":"X","colour":"red"}` + "\n"},
			[]want{{"g.ndjson", 2, "colour", stancegraph.EINVALID, "unknown field"}}},
		{"NDJSONBadEnum", []string{"g.ndjson", `{"type":"entity","id":"x","kind":"FIRM","name":"X"}` + "\n"},
			[]want{{"g.ndjson", 1, "kind", stancegraph.EINVALID, `"FIRM" is not a valid kind`}}},
		{"NDJSONWrongType", []string{"g.ndjson", `{"type":"position","actor":"a","target":"b","stance":"SUPPORTS","strength":"1"}` + "\n"},
			[]want{{"g.ndjson", 1, "strength", stancegraph.EINVALID, `"1" is not a whole number`}}},
		{"NDJSONUnknownReference", []string{"nodes.csv", baseNodes, "g.ndjson",
			`{"type":"relation","relation":"MEMBER_OF","from":"acme","to":"bsa"}` + "\n" +
				`{"type":"position","actor":"acme","target":"plan","stance":"SUPPORTS","quote":"q","source":"gone","statedAt":"2025-12-13"}` + "\n"},
			[]want{{"g.ndjson", 2, "source", stancegraph.ENOTFOUND, `"gone" not found`}}},

		// The hierarchy: a cycle and a second parent, each named by its line.
		{"PartOfCycle", []string{"nodes.csv", "id,kind,name\na,agency,A\nb,agency,B\nc,agency,C\n",
			"relations.csv", "type,from,to\nPART_OF,a,b\nPART_OF,b,c\nPART_OF,c,a\n"},
			[]want{{"relations.csv", 4, "to", stancegraph.ECONFLICT, "would close a cycle"}}},
		{"PartOfSecondParent", []string{"nodes.csv", "id,kind,name\na,agency,A\nb,agency,B\nc,agency,C\n",
			"relations.csv", "type,from,to\nPART_OF,a,b\nPART_OF,a,c\n"},
			[]want{{"relations.csv", 3, "to", stancegraph.ECONFLICT, "at most one parent"}}},
		// Evidence of relations and dates.
		{"RelationQuoteWithoutSource", []string{"nodes.csv", "id,kind,name\na,agency,A\nb,agency,B\n",
			"relations.csv", "type,from,to,quote\nPART_OF,a,b,a quote\n"},
			[]want{{"relations.csv", 2, "source", stancegraph.EINVALID, "a quote needs the source"}}},
		{"PositionBadQualifier", []string{"nodes.csv", baseNodes, "positions.csv",
			"actor,target,stance,quote,source,statedAt,statedAtQualifier\nacme,plan,SUPPORTS,q,s,2025-12,sometime\n"},
			[]want{{"positions.csv", 2, "statedAtQualifier", stancegraph.EINVALID, "not a valid date qualifier"}}},

		// The seed format.
		{"YAMLUnknownReference", []string{"g.yaml", "entities:\n  - id: acme\n    kind: COMPANY\n    name: Acme\npositions:\n  - actor: acme\n    target: nowhere\n    stance: SUPPORTS\n    quote: q\n    source: s\n    statedAt: 2025-12-13\n"},
			[]want{{"g.yaml", 7, "target", stancegraph.ENOTFOUND, `"nowhere" not found`}}},
		{"YAMLBadEnum", []string{"g.yaml", "entities:\n  - id: acme\n    kind: FIRM\n    name: Acme\n"},
			[]want{{"g.yaml", 3, "kind", stancegraph.EINVALID, `"FIRM" is not a valid kind`}}},
		{"JSONDuplicateID", []string{"g.json", `{"entities": [
  {"id": "acme", "kind": "COMPANY", "name": "Acme"},
  {"id": "acme", "kind": "AGENCY", "name": "Acme"}
]}`},
			[]want{{"g.json", 3, "id", stancegraph.ECONFLICT, "given twice"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, src := writeFiles(t, tt.files...)
			s := memstore.OpenMemory()
			defer s.Close()
			_, err := dataset.Import(t.Context(), src, s, dataset.Options{})
			got := problemsOf(t, err)
			if len(got) != len(tt.want) {
				t.Fatalf("%d problems, want %d:\n%v", len(got), len(tt.want), err)
			}
			for i, w := range tt.want {
				p := got[i]
				if filepath.Base(p.File) != w.file || p.Line != w.line || p.Field != w.field || p.Code != w.code || !strings.Contains(p.Msg, w.msg) {
					t.Errorf("problem %d = %s:%d field=%q code=%s %q\nwant %s:%d field=%q code=%s containing %q",
						i, filepath.Base(p.File), p.Line, p.Field, p.Code, p.Msg, w.file, w.line, w.field, w.code, w.msg)
				}
			}
			if _, n, _ := s.FindEntities(t.Context(), stancegraph.EntityFilter{}); n != 0 {
				t.Errorf("%d entities written by an import with problems", n)
			}
		})
	}
}

// Every problem of an input is reported at once, in file and line order.
func TestImport_ReportsEveryProblem(t *testing.T) {
	_, src := writeFiles(t, "nodes.csv", baseNodes+"Bad,COMPANY,X,,,,,,\nacme,AGENCY,Acme,,,,,,\n",
		"positions.csv", positionsHeader+"ghost,plan,SUPPORTS,1,q,doc,2025-12-13\nacme,plan,MEH,1,q,doc,2025-12-13\nacme,plan,SUPPORTS,1,q,,2025-12-13\nacme,plan,SUPPORTS,1,q,doc,yesterday\n")
	s := memstore.OpenMemory()
	_, err := dataset.Import(t.Context(), src, s, dataset.Options{})
	var got []string
	for _, p := range problemsOf(t, err) {
		got = append(got, filepath.Base(p.File)+":"+strconv.Itoa(p.Line)+":"+p.Field)
	}
	wantLines := []string{"nodes.csv:7:id", "nodes.csv:8:id", "positions.csv:2:actor", "positions.csv:3:stance", "positions.csv:4:source", "positions.csv:5:statedAt"}
	if diff := cmp.Diff(wantLines, got); diff != "" {
		t.Errorf("problems (-want +got):\n%s\n%v", diff, err)
	}
}

// An id stored with another kind is a conflict the store's data reveals.
func TestImport_KindConflictWithStore(t *testing.T) {
	s := memstore.OpenMemory()
	if _, err := s.UpsertEntity(t.Context(), &stancegraph.Entity{ID: "acme", Kind: stancegraph.KindAgency, Name: "Acme"}); err != nil {
		t.Fatal(err)
	}
	_, src := writeFiles(t, "nodes.csv", baseNodes)
	_, err := dataset.Import(t.Context(), src, s, dataset.Options{})
	ps := problemsOf(t, err)
	if len(ps) != 1 || ps[0].Line != 2 || ps[0].Field != "kind" || ps[0].Code != stancegraph.ECONFLICT {
		t.Fatalf("problems = %v", err)
	}
}

// References may point at entities already stored.
func TestImport_ReferencesStoredEntities(t *testing.T) {
	s := memstore.OpenMemory()
	_, nodes := writeFiles(t, "nodes.csv", baseNodes)
	if _, err := dataset.Import(t.Context(), nodes, s, dataset.Options{}); err != nil {
		t.Fatal(err)
	}
	_, pos := writeFiles(t, "positions.csv", positionsHeader+"acme,plan,SUPPORTS,,q,doc,2025-12-13\n")
	rep, err := dataset.Import(t.Context(), pos, s, dataset.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Result.Positions.Created != 1 {
		t.Fatalf("result = %+v", rep.Result)
	}
}

func counts(c, u, n int) stancegraph.Counts {
	return stancegraph.Counts{Created: c, Updated: u, Unchanged: n}
}

// Loading the same input twice changes nothing, in one transaction and in
// batches, from memory and streamed.
func TestImport_Idempotent(t *testing.T) {
	g := gen.Generate(gen.Config{Actors: 60, Proposals: 8, Positions: 700, Seed: 3})
	dir := t.TempDir()
	nd := filepath.Join(dir, "g.ndjson")
	if err := dataset.WriteFile(nd, dataset.NDJSON, g); err != nil {
		t.Fatal(err)
	}
	if err := dataset.WriteTables(filepath.Join(dir, "tables"), g); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		path  string
		batch int
	}{{"TablesOneTransaction", "tables", 0}, {"TablesBatches", "tables", 100}, {"NDJSONStreamed", "g.ndjson", 0}, {"NDJSONSmallBatches", "g.ndjson", 37}} {
		t.Run(tc.name, func(t *testing.T) {
			src, err := dataset.Open(filepath.Join(dir, tc.path))
			if err != nil {
				t.Fatal(err)
			}
			s := memstore.OpenMemory()
			first, err := dataset.Import(t.Context(), src, s, dataset.Options{Batch: tc.batch})
			if err != nil {
				t.Fatal(err)
			}
			want := stancegraph.ImportResult{Entities: counts(len(g.Entities), 0, 0), Relations: counts(len(g.Relations), 0, 0), Positions: counts(len(g.Positions), 0, 0)}
			if diff := cmp.Diff(want, first.Result); diff != "" {
				t.Errorf("first import (-want +got):\n%s", diff)
			}
			second, err := dataset.Import(t.Context(), src, s, dataset.Options{Batch: tc.batch})
			if err != nil {
				t.Fatal(err)
			}
			want = stancegraph.ImportResult{Entities: counts(0, 0, len(g.Entities)), Relations: counts(0, 0, len(g.Relations)), Positions: counts(0, 0, len(g.Positions))}
			if diff := cmp.Diff(want, second.Result); diff != "" {
				t.Errorf("second import (-want +got):\n%s", diff)
			}
		})
	}
}

func TestImport_DryRunWritesNothing(t *testing.T) {
	s := memstore.OpenMemory()
	_, src := writeFiles(t, "nodes.csv", baseNodes)
	rep, err := dataset.Import(t.Context(), src, s, dataset.Options{DryRun: true})
	if err != nil || rep.Entities != 5 {
		t.Fatalf("dry run: %+v, %v", rep, err)
	}
	if _, n, _ := s.FindEntities(t.Context(), stancegraph.EntityFilter{}); n != 0 {
		t.Fatalf("dry run wrote %d entities", n)
	}
}

// failingTarget fails the import call number failAt.
type failingTarget struct {
	stancegraph.Store
	calls, failAt int
}

func (f *failingTarget) Import(ctx context.Context, g *stancegraph.Graph) (stancegraph.ImportResult, error) {
	if f.calls++; f.calls == f.failAt {
		return stancegraph.ImportResult{}, stancegraph.Errorf(stancegraph.EUNAVAILABLE, "connection lost")
	}
	return f.Store.Import(ctx, g)
}

// A batch that fails is reported with how far the import got; importing
// again completes it.
func TestImport_BatchFailureResumes(t *testing.T) {
	g := gen.Generate(gen.Config{Actors: 40, Proposals: 5, Positions: 300, Seed: 4})
	path := filepath.Join(t.TempDir(), "g.ndjson")
	if err := dataset.WriteFile(path, dataset.NDJSON, g); err != nil {
		t.Fatal(err)
	}
	src, _ := dataset.Open(path)
	s := memstore.OpenMemory()
	ft := &failingTarget{Store: s, failAt: 3}
	_, err := dataset.Import(t.Context(), src, ft, dataset.Options{Batch: 100})
	var be *dataset.BatchError
	if !errors.As(err, &be) || be.Applied != 2 || be.Entries == 0 || stancegraph.ErrorCode(err) != stancegraph.EUNAVAILABLE {
		t.Fatalf("err = %v, want a BatchError after 2 batches", err)
	}
	rep, err := dataset.Import(t.Context(), src, s, dataset.Options{Batch: 100})
	if err != nil {
		t.Fatal(err)
	}
	if got := rep.Result.Positions.Created + rep.Result.Positions.Unchanged; got != len(g.Positions) {
		t.Fatalf("after the second import %d positions accounted for, want %d", got, len(g.Positions))
	}
	ps, _ := s.Positions(t.Context(), stancegraph.PositionFilter{})
	if len(ps) != len(g.Positions) {
		t.Fatalf("%d positions stored, want %d", len(ps), len(g.Positions))
	}
}

// Every example file imports cleanly on its own and holds the bundled
// data set.
func TestImport_Examples(t *testing.T) {
	g, err := seed.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	want := memstore.OpenMemory()
	if _, err := want.Import(t.Context(), g); err != nil {
		t.Fatal(err)
	}
	wantGraph := mustExport(t, want, dataset.Filter{})
	for _, p := range []string{"../seed/examples/csv", "../seed/examples/ai-exports-program.ndjson", "../seed/examples/ai-exports-program.json"} {
		t.Run(filepath.Base(p), func(t *testing.T) {
			src, err := dataset.Open(p)
			if err != nil {
				t.Fatal(err)
			}
			s := memstore.OpenMemory()
			if _, err := dataset.Import(t.Context(), src, s, dataset.Options{}); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(wantGraph, mustExport(t, s, dataset.Filter{})); diff != "" {
				t.Errorf("the example is not the bundled data set (-bundled +example):\n%s", diff)
			}
		})
	}
}

// everyProblem is one graph with three problems, in each format: a bad
// enum does not hide the others, and each problem reads the same in every
// format.
var everyProblem = map[string]string{
	"g.yaml": `entities:
  - id: acme
    kind: FIRM
    name: Acme
  - id: Beta Corp
    kind: COMPANY
    name: Beta
  - id: prop
    kind: POLICY_PROPOSAL
    name: P
  - id: src
    kind: SOURCE
    sourceKind: NEWS_ARTICLE
    name: S
positions:
  - actor: beta
    target: prop
    stance: BACKS
    quote: q
    source: src
    statedAt: 2025-01-01
`,
	"g.json": `{
  "entities": [
    {"id": "acme",
     "kind": "FIRM",
     "name": "Acme"},
    {"id": "Beta Corp", "kind": "COMPANY", "name": "Beta"},
    {"id": "prop", "kind": "POLICY_PROPOSAL", "name": "P"},
    {"id": "src", "kind": "SOURCE", "sourceKind": "NEWS_ARTICLE", "name": "S"}
  ],
  "positions": [
    {"actor": "beta", "target": "prop",
     "stance": "BACKS", "quote": "q", "source": "src", "statedAt": "2025-01-01"}
  ]
}
`,
	"nodes.csv": "id,kind,name,aliases,country,topics,sourceKind,publisher,publishedAt\n" +
		"acme,FIRM,Acme,,,,,,\nBeta Corp,COMPANY,Beta,,,,,,\nprop,POLICY_PROPOSAL,P,,,,,,\nsrc,SOURCE,S,,,,NEWS_ARTICLE,,\n",
	"positions.csv": "actor,target,stance,strength,quote,source,statedAt\nbeta,prop,BACKS,1,q,src,2025-01-01\n",
}

func TestImport_EveryProblemInOneReport(t *testing.T) {
	type seen struct {
		Field, Code, Msg string
	}
	want := []seen{
		{"kind", stancegraph.EINVALID, `"FIRM" is not a valid kind (valid: COMPANY, AGENCY, TRADE_ASSOCIATION, PERSON, GOVERNMENT, PROGRAM, POLICY_PROPOSAL, SOURCE)`},
		{"id", stancegraph.EINVALID, `id "Beta Corp" is not a slug: ids are lower-case slugs: did you mean "beta-corp"?`},
		{"stance", stancegraph.EINVALID, `"BACKS" is not a valid stance (valid: SUPPORTS, OPPOSES)`},
	}
	for _, tc := range []struct {
		name  string
		files []string
		lines []int // of the problems of want
	}{
		{"YAML", []string{"g.yaml", everyProblem["g.yaml"]}, []int{3, 5, 18}},
		{"JSON", []string{"g.json", everyProblem["g.json"]}, []int{4, 6, 12}},
		{"CSV", []string{"nodes.csv", everyProblem["nodes.csv"], "positions.csv", everyProblem["positions.csv"]}, []int{2, 3, 2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, src := writeFiles(t, tc.files...)
			s := memstore.OpenMemory()
			defer s.Close()
			_, err := dataset.Import(t.Context(), src, s, dataset.Options{})
			problems := problemsOf(t, err)
			var got []seen
			var lines []int
			for _, p := range problems {
				got = append(got, seen{p.Field, p.Code, p.Msg})
				lines = append(lines, p.Line)
			}
			// One problem per entry: the position's reference to the bad
			// id is not checked once its stance is wrong.
			if diff := cmp.Diff(got, want); diff != "" {
				t.Fatalf("problems (-got +want):\n%s\n%v", diff, err)
			}
			if diff := cmp.Diff(lines, tc.lines); diff != "" {
				t.Fatalf("lines (-got +want):\n%s\n%v", diff, err)
			}
		})
	}
}

// A bad enum value is not a decoding failure: the entry is read, and
// validation reports the value on its line with the file's other problems
// (here a position on a program the file does not define, which a bad
// enum used to hide).
func TestImport_BadEnumFiles(t *testing.T) {
	for _, tc := range []struct {
		file  string
		lines []int
	}{{"bad-enum.yaml", []int{7, 12, 17}}, {"bad-enum.json", []int{6, 13}}} {
		t.Run(tc.file, func(t *testing.T) {
			src, err := dataset.Open(filepath.Join("..", "seed", "testdata", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			_, err = dataset.Import(t.Context(), src, memstore.OpenMemory(), dataset.Options{DryRun: true})
			problems := problemsOf(t, err)
			var lines []int
			var msgs []string
			for _, p := range problems {
				lines, msgs = append(lines, p.Line), append(msgs, p.Msg)
			}
			if diff := cmp.Diff(lines, tc.lines); diff != "" {
				t.Fatalf("lines (-got +want):\n%s\n%v", diff, err)
			}
			if !strings.HasPrefix(msgs[0], `"CORPORATION" is not a valid kind`) || !strings.HasPrefix(msgs[len(msgs)-1], `"ENDORSES" is not a valid stance`) {
				t.Fatalf("problems: %v", err)
			}
		})
	}
}

// A value of the wrong type reads the same in every format, and does not
// hide the problems of the other entries.
func TestImport_WrongTypeSameInEveryFormat(t *testing.T) {
	const msg = `"high" is not a whole number`
	for _, tc := range []struct {
		name  string
		files []string
	}{
		{"YAML", []string{"g.yaml", "entities:\n  - id: Acme\n    kind: COMPANY\n    name: Acme\npositions:\n  - actor: acme\n    target: plan\n    stance: SUPPORTS\n    strength: high\n    quote: q\n    source: doc\n    statedAt: 2025-12-13\n"}},
		{"JSON", []string{"g.json", `{"entities": [{"id": "Acme", "kind": "COMPANY", "name": "Acme"}],
"positions": [{"actor": "acme", "target": "plan", "stance": "SUPPORTS", "strength": "high", "quote": "q", "source": "doc", "statedAt": "2025-12-13"}]}`}},
		{"CSV", []string{"nodes.csv", "id,kind,name\nAcme,COMPANY,Acme\n", "positions.csv", positionsHeader + "acme,plan,SUPPORTS,high,q,doc,2025-12-13\n"}},
		{"NDJSON", []string{"g.ndjson", `{"type":"entity","id":"Acme","kind":"COMPANY","name":"Acme"}` + "\n" +
			`{"type":"position","actor":"acme","target":"plan","stance":"SUPPORTS","strength":"high","quote":"q","source":"doc","statedAt":"2025-12-13"}` + "\n"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, src := writeFiles(t, tc.files...)
			_, err := dataset.Import(t.Context(), src, memstore.OpenMemory(), dataset.Options{DryRun: true})
			problems := problemsOf(t, err)
			want := []string{`id: id "Acme" is not a slug: ids are lower-case slugs: did you mean "acme"?`, "strength: " + msg}
			if len(problems) != len(want) {
				t.Fatalf("%d problems, want %d: %v", len(problems), len(want), err)
			}
			for i, p := range problems {
				if !strings.HasSuffix(p.String(), want[i]) {
					t.Errorf("problem %d = %s\nwant it to end with %s", i, p, want[i])
				}
			}
		})
	}
}
