package e2e_test

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/dataset"
	"github.com/stancegraph/stancegraph/gen"
	"github.com/stancegraph/stancegraph/internal/neo4jtest"
	"github.com/stancegraph/stancegraph/seed"
	"github.com/stancegraph/stancegraph/store/memstore"
)

// datasetGraph is the bundled data set plus a generated graph: every kind,
// relation type, stance and optional field.
func datasetGraph(t *testing.T) *stancegraph.Graph {
	t.Helper()
	g, err := seed.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	more := gen.Generate(gen.Config{Actors: 120, Proposals: 15, Positions: 1500, Seed: 11, HotTarget: 100})
	g.Entities = append(g.Entities, more.Entities...)
	g.Relations = append(g.Relations, more.Relations...)
	g.Positions = append(g.Positions, more.Positions...)
	return g
}

// exportJSON exports the whole graph of s as JSON.
func exportJSON(t *testing.T, s stancegraph.Store) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	g, err := dataset.Export(ctx, s, dataset.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := dataset.Write(&b, dataset.JSON, g); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// importJSON imports a JSON export into s with the file importer.
func importJSON(t *testing.T, s stancegraph.Store, data []byte) stancegraph.ImportResult {
	t.Helper()
	path := filepath.Join(t.TempDir(), "graph.json")
	if err := dataset.WriteFile(path, dataset.JSON, mustParse(t, data)); err != nil {
		t.Fatal(err)
	}
	src, err := dataset.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := dataset.Import(t.Context(), src, s, dataset.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return rep.Result
}

func mustParse(t *testing.T, data []byte) *stancegraph.Graph {
	t.Helper()
	g, err := seed.Parse("graph.json", data)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// On each backend: load, export JSON, load the export into an emptied
// store, export again: the same bytes; loading it a third time changes
// nothing.
func TestDataset_JSONRoundTrip(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			s := b.open(t)
			if _, err := s.Import(t.Context(), datasetGraph(t)); err != nil {
				t.Fatal(err)
			}
			first := exportJSON(t, s)
			empty := emptied(t, b, s)
			importJSON(t, empty, first)
			if diff := cmp.Diff(string(first), string(exportJSON(t, empty))); diff != "" {
				t.Fatalf("export, import, export differs (-first +second):\n%.3000s", diff)
			}
			res := importJSON(t, empty, first)
			if res.Entities.Created+res.Entities.Updated+res.Positions.Created+res.Positions.Updated+res.Relations.Created+res.Relations.Updated != 0 {
				t.Errorf("importing the export again changed something: %+v", res)
			}
		})
	}
}

// emptied returns an empty store of the backend of s: a new embedded
// store, or the Neo4j database wiped.
func emptied(t *testing.T, b backend, s stancegraph.Store) stancegraph.Store {
	t.Helper()
	if b.name == "neo4j" {
		neo4jtest.Wipe(t)
		return s
	}
	return b.open(t)
}

// Embedded -> Neo4j -> embedded: the same graph all the way.
func TestDataset_RoundTripAcrossBackends(t *testing.T) {
	bs := backends(t)
	var neo backend
	for _, b := range bs {
		if b.name == "neo4j" {
			neo = b
		}
	}
	if neo.open == nil {
		t.Skip("no Neo4j backend")
	}
	embedded := memstore.OpenMemory()
	defer embedded.Close()
	if _, err := embedded.Import(t.Context(), datasetGraph(t)); err != nil {
		t.Fatal(err)
	}
	first := exportJSON(t, embedded)
	n := neo.open(t)
	importJSON(t, n, first)
	second := exportJSON(t, n)
	if diff := cmp.Diff(string(first), string(second)); diff != "" {
		t.Fatalf("embedded -> Neo4j differs (-embedded +neo4j):\n%.3000s", diff)
	}
	back := memstore.OpenMemory()
	defer back.Close()
	importJSON(t, back, second)
	if diff := cmp.Diff(string(first), string(exportJSON(t, back))); diff != "" {
		t.Fatalf("Neo4j -> embedded differs:\n%.3000s", diff)
	}
}

// A streamed NDJSON import in batches, on each backend: everything lands,
// and loading it again changes nothing.
func TestDataset_StreamedImport(t *testing.T) {
	g := gen.Generate(gen.Config{Actors: 200, Proposals: 20, Positions: 3000, Seed: 5})
	path := filepath.Join(t.TempDir(), "g.ndjson")
	if err := dataset.WriteFile(path, dataset.NDJSON, g); err != nil {
		t.Fatal(err)
	}
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			s := b.open(t)
			src, _ := dataset.Open(path)
			rep, err := dataset.Import(t.Context(), src, s, dataset.Options{Batch: 700})
			if err != nil {
				t.Fatal(err)
			}
			if rep.Result.Positions.Created != len(g.Positions) || rep.Result.Entities.Created != len(g.Entities) || rep.Batches < 5 {
				t.Fatalf("first import: %+v", rep)
			}
			rep, err = dataset.Import(t.Context(), src, s, dataset.Options{Batch: 700})
			if err != nil {
				t.Fatal(err)
			}
			if rep.Result.Positions.Unchanged != len(g.Positions) || rep.Result.Relations.Unchanged != len(g.Relations) {
				t.Fatalf("second import: %+v", rep.Result)
			}
		})
	}
}

// An input with a problem writes nothing on either backend.
func TestDataset_AllOrNothing(t *testing.T) {
	g := gen.Generate(gen.Config{Actors: 50, Proposals: 5, Positions: 500, Seed: 6})
	g.Positions[len(g.Positions)-1].SourceID = "source-that-does-not-exist"
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			s := b.open(t)
			_, err := dataset.Import(t.Context(), dataset.NewDataset("g", g), s, dataset.Options{})
			if stancegraph.ErrorCode(err) == "" || !strings.Contains(err.Error(), "source-that-does-not-exist") {
				t.Fatalf("err = %v", err)
			}
			if _, n, err := s.FindEntities(t.Context(), stancegraph.EntityFilter{}); err != nil || n != 0 {
				t.Fatalf("%d entities written (%v)", n, err)
			}
		})
	}
}

// The Cypher export builds the graph in a Neo4j database on its own.
func TestDataset_CypherExportRuns(t *testing.T) {
	var neo backend
	for _, b := range backends(t) {
		if b.name == "neo4j" {
			neo = b
		}
	}
	if neo.open == nil {
		t.Skip("no Neo4j backend")
	}
	_ = neo.open(t) // holds and wipes the database
	g := datasetGraph(t)
	if _, err := memstore.OpenMemory().Import(t.Context(), g); err != nil { // normalises g
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := dataset.WriteCypher(&b, g); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	d, err := neo4j.NewDriverWithContext(neo4jtest.URI(), neo4jtest.Auth())
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close(ctx)
	for _, stmt := range strings.Split(b.String(), ";\n") {
		var lines []string
		for _, l := range strings.Split(stmt, "\n") {
			if !strings.HasPrefix(l, "//") {
				lines = append(lines, l)
			}
		}
		if stmt = strings.TrimSpace(strings.Join(lines, "\n")); stmt == "" {
			continue
		}
		if _, err := neo4j.ExecuteQuery(ctx, d, stmt, nil, neo4j.EagerResultTransformer); err != nil {
			t.Fatalf("%v\n%.500s", err, stmt)
		}
	}
	count := func(q string) int64 {
		res, err := neo4j.ExecuteQuery(ctx, d, q, nil, neo4j.EagerResultTransformer)
		if err != nil {
			t.Fatal(err)
		}
		return res.Records[0].Values[0].(int64)
	}
	if n := count(`MATCH (n:Entity) RETURN count(n)`); n != int64(len(g.Entities)) {
		t.Errorf("%d nodes, want %d", n, len(g.Entities))
	}
	if n := count(`MATCH ()-[r:SUPPORTS|OPPOSES]->() RETURN count(r)`); n != int64(len(g.Positions)) {
		t.Errorf("%d positions, want %d", n, len(g.Positions))
	}
	if n := count(`MATCH ()-[r]->() WHERE NOT type(r) IN ['SUPPORTS', 'OPPOSES'] RETURN count(r)`); n != int64(len(g.Relations)) {
		t.Errorf("%d relations, want %d", n, len(g.Relations))
	}
	if n := count(`MATCH (:Company {id: 'openai'})-[r:SUPPORTS]->() WHERE r.statedAt IS NOT NULL AND r.statedStart <= r.statedEnd RETURN count(r)`); n == 0 {
		t.Error("no dated SUPPORTS from the labelled openai node")
	}
}
