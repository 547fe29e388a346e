package neo4jstore_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/internal/neo4jtest"
	"github.com/stancegraph/stancegraph/store/neo4jstore"
	"github.com/stancegraph/stancegraph/store/storetest"
)

// The tests need a real Neo4j: scripts/neo4j.sh up starts one. They share
// its one database with the tests of other packages, so each top-level test
// takes neo4jtest.Lock, and nothing here runs in parallel.

// requireNeo4j skips t, visibly, when Neo4j is unreachable (fails it under
// CI=true), and holds the test database for t.
func requireNeo4j(t *testing.T) {
	t.Helper()
	neo4jtest.Require(t)
	neo4jtest.Lock(t)
}

// MustOpen opens a store on an emptied database. The caller holds the lock.
func MustOpen(tb testing.TB) *neo4jstore.Store {
	tb.Helper()
	neo4jtest.Wipe(tb)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s, err := neo4jstore.Open(ctx, neo4jstore.Config{
		URI:      neo4jtest.URI(),
		Username: os.Getenv("STANCEGRAPH_NEO4J_USER"),
		Password: os.Getenv("STANCEGRAPH_NEO4J_PASSWORD"),
	})
	if err != nil {
		tb.Fatalf("Open(%s): %v", neo4jtest.URI(), err)
	}
	tb.Cleanup(func() { _ = s.Close() })
	return s
}

func TestConformance(t *testing.T) {
	requireNeo4j(t)
	storetest.RunConformanceTests(t, func(t *testing.T) stancegraph.Store { return MustOpen(t) })
}

type counts struct{ nodes, rels int }

// census counts what the store holds through the Store interface.
func census(t *testing.T, s *neo4jstore.Store) counts {
	t.Helper()
	ctx := t.Context()
	_, n, err := s.FindEntities(ctx, stancegraph.EntityFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	rs, err := s.Relations(ctx, stancegraph.RelationFilter{Types: stancegraph.RelTypes})
	if err != nil {
		t.Fatal(err)
	}
	ps, err := s.Positions(ctx, stancegraph.PositionFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return counts{n, len(rs) + len(ps)}
}

// bigGraph returns a valid graph of n companies, each a member of one
// association and opposing one proposal, which an import writes in several
// batches.
func bigGraph(n int) *stancegraph.Graph {
	g := &stancegraph.Graph{Entities: []*stancegraph.Entity{
		{ID: "big-association", Kind: stancegraph.KindTradeAssociation, Name: "Big Association"},
		{ID: "big-proposal", Kind: stancegraph.KindPolicyProposal, Name: "Big Proposal"},
		{ID: "big-source", Kind: stancegraph.KindSource, Name: "Big Source", SourceKind: stancegraph.OtherSource},
	}}
	for i := range n {
		id := fmt.Sprintf("company-%04d", i)
		g.Entities = append(g.Entities, &stancegraph.Entity{ID: id, Kind: stancegraph.KindCompany, Name: fmt.Sprintf("Company %04d", i)})
		g.Relations = append(g.Relations, &stancegraph.Relation{Type: stancegraph.MemberOf, From: id, To: "big-association"})
		g.Positions = append(g.Positions, &stancegraph.Position{ActorID: id, TargetID: "big-proposal", Stance: stancegraph.Opposes,
			SourceID: "big-source", StatedAt: "2025-12-01", Strength: 1, Quote: "No."})
	}
	return g
}

func TestStore_Import(t *testing.T) {
	requireNeo4j(t)
	t.Run("Batches", func(t *testing.T) {
		s := MustOpen(t)
		s.SetImportBatch(100)
		before := s.RoundTrips()
		res, err := s.Import(t.Context(), bigGraph(250))
		if err != nil {
			t.Fatal(err)
		}
		want := stancegraph.ImportResult{
			Entities:  stancegraph.Counts{Created: 253},
			Relations: stancegraph.Counts{Created: 250},
			Positions: stancegraph.Counts{Created: 250},
		}
		if diff := cmp.Diff(res, want); diff != "" {
			t.Fatalf("result (-got +want):\n%s", diff)
		}
		// Check: 1 lookup. In the transaction: 1 read each of entities,
		// relations and positions; writes of 100 rows at most: companies in
		// 3 batches, the association, proposal and source in 1 each, 3 of
		// relations and 3 of positions; 1 appends the positions' changes to
		// the change feed.
		if got, want := s.RoundTrips()-before, int64(1+3+3+3+3+3+1); got != want {
			t.Errorf("round trips = %d, want %d", got, want)
		}
		if got := census(t, s); got != (counts{253, 500}) {
			t.Errorf("census = %+v after the import", got)
		}
		before = s.RoundTrips()
		res, err = s.Import(t.Context(), bigGraph(250))
		if err != nil {
			t.Fatal(err)
		}
		if res.Entities.Unchanged != 253 || res.Relations.Unchanged != 250 || res.Positions.Unchanged != 250 {
			t.Errorf("second import = %+v, want all unchanged", res)
		}
		// Nothing changed, so nothing is written: only the reads.
		if got, want := s.RoundTrips()-before, int64(1+3); got != want {
			t.Errorf("round trips of an unchanged import = %d, want %d", got, want)
		}
	})

	// A failure inside the write transaction, after some batches were
	// written, must leave the database as it was.
	for _, tc := range []struct {
		name string
		fail func(cancel context.CancelFunc) error
		code string
	}{
		{"ErrorMidway", func(context.CancelFunc) error {
			return stancegraph.Errorf(stancegraph.ECONFLICT, "injected failure")
		}, stancegraph.ECONFLICT},
		{"CancelledMidway", func(cancel context.CancelFunc) error {
			cancel()
			return nil
		}, stancegraph.EUNAVAILABLE},
	} {
		t.Run("AllOrNothing/"+tc.name, func(t *testing.T) {
			s := MustOpen(t)
			if _, err := s.Import(t.Context(), storetest.Fixture()); err != nil {
				t.Fatal(err)
			}
			before := census(t, s)
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			s.SetImportBatch(50)
			batches := 0
			s.SetAfterImportBatch(func(n int) error {
				batches = n
				if n == 4 {
					return tc.fail(cancel)
				}
				return nil
			})
			_, err := s.Import(ctx, bigGraph(300))
			if got := stancegraph.ErrorCode(err); got != tc.code {
				t.Fatalf("error code = %q (%v), want %q", got, err, tc.code)
			}
			if batches < 4 {
				t.Fatalf("the import failed after %d batches, before the injected failure", batches)
			}
			s.SetAfterImportBatch(nil)
			if got := census(t, s); got != before {
				t.Fatalf("a failed import changed the store: %+v, was %+v", got, before)
			}
		})
	}
}

func TestStore_Errors(t *testing.T) {
	t.Run("Unreachable", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
		defer cancel()
		_, err := neo4jstore.Open(ctx, neo4jstore.Config{URI: "bolt://127.0.0.1:1"})
		if got := stancegraph.ErrorCode(err); got != stancegraph.EUNAVAILABLE {
			t.Fatalf("error code = %q (%v), want %q", got, err, stancegraph.EUNAVAILABLE)
		}
		if msg := stancegraph.ErrorMessage(err); msg == "" || msg == "internal error" {
			t.Fatalf("message %q says nothing", msg)
		}
	})
	t.Run("Deadline", func(t *testing.T) {
		requireNeo4j(t)
		s := MustOpen(t)
		ctx, cancel := context.WithTimeout(t.Context(), time.Nanosecond)
		defer cancel()
		<-ctx.Done()
		_, err := s.Entities(ctx, []string{"openai"})
		if got := stancegraph.ErrorCode(err); got != stancegraph.ETIMEOUT {
			t.Fatalf("error code = %q (%v), want %q", got, err, stancegraph.ETIMEOUT)
		}
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("the cause is lost: %v", err)
		}
	})
}

// Cypher orders strings by UTF-16 code units; names must still sort by code
// point, as in Go and the embedded store.
func TestStore_FindEntities_CodePointOrder(t *testing.T) {
	requireNeo4j(t)
	s := MustOpen(t)
	names := map[string]string{"replacement": "\uFFFD", "emoji": "\U0001F600", "latin": "z", "accent": "é"}
	for id, name := range names {
		if _, err := s.UpsertEntity(t.Context(), &stancegraph.Entity{ID: id, Kind: stancegraph.KindCompany, Name: name}); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		order stancegraph.EntityOrder
		want  []string
	}{
		{stancegraph.OrderNameAsc, []string{"latin", "accent", "replacement", "emoji"}},
		{stancegraph.OrderNameDesc, []string{"emoji", "replacement", "accent", "latin"}},
	} {
		got, _, err := s.FindEntities(t.Context(), stancegraph.EntityFilter{OrderBy: tc.order})
		if err != nil {
			t.Fatal(err)
		}
		ids := make([]string, len(got))
		for i, e := range got {
			ids[i] = e.ID
		}
		if diff := cmp.Diff(ids, tc.want); diff != "" {
			t.Errorf("%s (-got +want):\n%s", tc.order, diff)
		}
	}
}

// A store written before summaries and quotes were searchable gets their
// search words on the next Open, and opening again changes nothing.
func TestOpen_BackfillsSearch(t *testing.T) {
	requireNeo4j(t)
	s := MustOpen(t)
	ctx := t.Context()
	if _, err := s.Import(ctx, storetest.Fixture()); err != nil {
		t.Fatal(err)
	}
	d, err := neo4j.NewDriverWithContext(neo4jtest.URI(), neo4jtest.Auth())
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close(ctx)
	// Undo what version 2 added: the words of summaries and quotes, and the
	// record of the version.
	for _, stmt := range []string{
		`MATCH ()-[r:SUPPORTS|OPPOSES]->() REMOVE r.searchText`,
		`MATCH (n:Entity) WHERE n.summary IS NOT NULL SET n.searchText = toLower(n.name)`,
		`MATCH (m:StancegraphMeta) DELETE m`,
	} {
		if _, err := neo4j.ExecuteQuery(ctx, d, stmt, nil, neo4j.EagerResultTransformer); err != nil {
			t.Fatal(err)
		}
	}
	count := func(s *neo4jstore.Store, query string) int {
		t.Helper()
		hits, err := s.Search(ctx, query, stancegraph.SearchFilter{})
		if err != nil {
			t.Fatal(err)
		}
		return len(hits)
	}
	if n, m := count(s, "interviews"), count(s, "chips"); n != 0 || m != 0 {
		t.Fatalf("before the backfill a quote has %d hits, a summary %d; the test did not undo version 2", n, m)
	}
	for range 2 {
		s2, err := neo4jstore.Open(ctx, neo4jstore.Config{URI: neo4jtest.URI(),
			Username: os.Getenv("STANCEGRAPH_NEO4J_USER"), Password: os.Getenv("STANCEGRAPH_NEO4J_PASSWORD")})
		if err != nil {
			t.Fatal(err)
		}
		if n, m := count(s2, "interviews"), count(s2, "chips"); n != 1 || m != 1 {
			t.Errorf("after Open a quote has %d hits, a summary %d; want 1 and 1", n, m)
		}
		_ = s2.Close()
	}
}

// Sessions share the driver's bookmark manager, so that on a routed
// cluster a read follows the writes before it: each write moves the
// bookmarks on.
func TestStore_SharedBookmarks(t *testing.T) {
	requireNeo4j(t)
	s := MustOpen(t)
	first := writeAndBookmarks(t, s, "bookmarked", "Bookmarked")
	if second := writeAndBookmarks(t, s, "bookmarked", "Bookmarked again"); slices.Equal(first, second) {
		t.Fatalf("bookmarks did not move with the second write: %v then %v", first, second)
	}
}

// writeAndBookmarks upserts a company and returns the shared bookmark
// manager's bookmarks after it, failing t when there are none.
func writeAndBookmarks(t *testing.T, s *neo4jstore.Store, id, name string) []string {
	t.Helper()
	if _, err := s.UpsertEntity(t.Context(), &stancegraph.Entity{ID: id, Kind: stancegraph.KindCompany, Name: name}); err != nil {
		t.Fatal(err)
	}
	bookmarks, err := s.Bookmarks(t.Context())
	if err != nil || len(bookmarks) == 0 {
		t.Fatalf("bookmarks after a write: %v, %v", bookmarks, err)
	}
	return bookmarks
}

// boltMessages records the names of the Bolt messages a client sends.
type boltMessages struct {
	mu   sync.Mutex
	sent []string
	runs []string // the whole RUN lines, with their metadata
}

func (b *boltMessages) LogClientMessage(_ string, msg string, args ...any) {
	b.mu.Lock()
	defer b.mu.Unlock()
	line := fmt.Sprintf(msg, args...)
	name, _, _ := strings.Cut(line, " ")
	b.sent = append(b.sent, name)
	if name == "RUN" {
		b.runs = append(b.runs, line)
	}
}

func (b *boltMessages) LogServerMessage(string, string, ...any) {}

// A plan's read is one round trip: RUN and PULL, no BEGIN and COMMIT
// around them. It still carries the bookmark of the write before it, so a
// routed cluster answers it from a member that has seen that write.
func TestStore_ReadIsOneRoundTrip(t *testing.T) {
	requireNeo4j(t)
	s := MustOpen(t)
	ctx := t.Context()
	bookmarks := writeAndBookmarks(t, s, "one-trip", "One Trip")
	// Each read that is one statement: what it found, or an error.
	reads := map[string]func() error{
		"plan": func() error {
			res, err := s.Read(ctx, &stancegraph.Plan{Roots: []*stancegraph.RootQuery{{IDs: []string{"one-trip"},
				Select: &stancegraph.EntitySelect{Props: stancegraph.PropName}}}})
			if err == nil && (len(res.Roots[0].Nodes) != 1 || res.Roots[0].Nodes[0].(*stancegraph.EntityResult).Entity.Name != "One Trip") {
				err = fmt.Errorf("read %+v, want the entity one-trip", res.Roots[0].Nodes)
			}
			return err
		},
		"entities": func() error {
			es, err := s.Entities(ctx, []string{"one-trip", "no-such-entity"})
			if err == nil && (len(es) != 2 || es[0] == nil || es[0].Name != "One Trip" || es[1] != nil) {
				err = fmt.Errorf("entities %+v, want one-trip and nil", es)
			}
			return err
		},
		"positions by id": func() error {
			ps, err := s.PositionsByID(ctx, []string{"pos-no-such-position"})
			if err == nil && (len(ps) != 1 || ps[0] != nil) {
				err = fmt.Errorf("positions %+v, want nil", ps)
			}
			return err
		},
		"search": func() error {
			hits, err := s.Search(ctx, "one trip", stancegraph.SearchFilter{})
			if err == nil && (len(hits) == 0 || hits[0].Entity == nil || hits[0].Entity.ID != "one-trip") {
				err = fmt.Errorf("search found %+v, want one-trip first", hits)
			}
			return err
		},
	}
	for name, read := range reads {
		t.Run(name, func(t *testing.T) {
			log := &boltMessages{}
			s.SetBoltLogger(log)
			defer s.SetBoltLogger(nil)
			if err := read(); err != nil {
				t.Fatal(err)
			}
			if want := []string{"RUN", "PULL"}; !slices.Equal(log.sent, want) {
				t.Errorf("a read sent %v, want %v", log.sent, want)
			}
			if len(log.runs) != 1 || !strings.Contains(log.runs[0], bookmarks[0]) {
				t.Errorf("the read's RUN does not carry the write's bookmark %q: %v", bookmarks[0], log.runs)
			}
		})
	}
}

// Positions written before the order indexes get the keys those indexes
// need (their ends' ids and the sort key of their date) on the next Open,
// in batches of the import batch size until every position has them; the
// sort key computed in Cypher is byte for byte stancegraph's.
func TestOpen_BackfillsPositionKeys(t *testing.T) {
	requireNeo4j(t)
	s := MustOpen(t)
	ctx := t.Context()
	if _, err := s.Import(ctx, storetest.Fixture()); err != nil {
		t.Fatal(err)
	}
	// Every form of date, each from its own source so that each is a
	// position of its own: OPPOSES for all seven, SUPPORTS for six.
	dated := map[string]*stancegraph.Position{}
	for i, d := range []struct {
		at stancegraph.Date
		q  stancegraph.DateQualifier
	}{{"XXXX-12-13", stancegraph.OnOrBefore}, {"2025-12-13", stancegraph.OnOrBefore}, {"2025-12", ""}, {"2025", stancegraph.Circa},
		{"2025-10", stancegraph.OnOrAfter}, {"2026-01-02", stancegraph.Exact}, {"XXXX-07", ""}} {
		src := &stancegraph.Entity{ID: fmt.Sprintf("dated-source-%d", i), Kind: stancegraph.KindSource, Name: fmt.Sprintf("Dated source %d", i), SourceKind: stancegraph.NewsArticle}
		if _, err := s.UpsertEntity(ctx, src); err != nil {
			t.Fatal(err)
		}
		ps := []*stancegraph.Position{{ActorID: "openai", TargetID: "us-anchored-ai-consortia", Stance: stancegraph.Opposes}}
		if i < 6 {
			ps = append(ps, &stancegraph.Position{ActorID: "openai", TargetID: "trusted-partner-designation", Stance: stancegraph.Supports})
		}
		for _, p := range ps {
			p.Strength, p.Quote, p.SourceID, p.StatedAt, p.StatedAtQualifier = 1, fmt.Sprintf("dated %d", i), src.ID, d.at, d.q
			if _, err := s.RecordPosition(ctx, p); err != nil {
				t.Fatal(err)
			}
			dated[p.ID] = p
		}
	}
	d, err := neo4j.NewDriverWithContext(neo4jtest.URI(), neo4jtest.Auth())
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close(ctx)
	query := func(stmt string) []*neo4j.Record {
		t.Helper()
		res, err := neo4j.ExecuteQuery(ctx, d, stmt, nil, neo4j.EagerResultTransformer)
		if err != nil {
			t.Fatal(err)
		}
		return res.Records
	}
	keys := func() map[string][3]string {
		t.Helper()
		out := map[string][3]string{}
		for _, rec := range query(`MATCH ()-[r:SUPPORTS|OPPOSES]->() RETURN r.id, r.actorId, r.targetId, r.sk`) {
			var k [3]string
			for i := range k {
				k[i], _ = rec.Values[i+1].(string)
			}
			out[rec.Values[0].(string)] = k
		}
		return out
	}
	want := keys()
	for id, p := range dated {
		if w := ([3]string{p.ActorID, p.TargetID, p.Stated().SortKey()}); want[id] != w {
			t.Errorf("written: %s has keys %q, want %q", id, want[id], w)
		}
	}
	// Batches of 3 take several statements per type, ending on a full
	// batch for SUPPORTS and on a part of one for OPPOSES; the default
	// size takes one.
	const batch = 3
	perType := map[string]int64{}
	for _, rec := range query(`MATCH ()-[r:SUPPORTS|OPPOSES]->() RETURN type(r), count(*)`) {
		perType[rec.Values[0].(string)] = rec.Values[1].(int64)
	}
	if n := perType["SUPPORTS"]; n <= 2*batch || n%batch != 0 {
		t.Fatalf("%d SUPPORTS positions: the test wants more than two batches of %d, the last one full", n, batch)
	}
	if n := perType["OPPOSES"]; n <= 2*batch || n%batch == 0 {
		t.Fatalf("%d OPPOSES positions: the test wants more than two batches of %d, the last one partial", n, batch)
	}
	cfg := neo4jstore.Config{URI: neo4jtest.URI(), Username: os.Getenv("STANCEGRAPH_NEO4J_USER"), Password: os.Getenv("STANCEGRAPH_NEO4J_PASSWORD")}
	for _, tc := range []struct {
		name string
		open func() (*neo4jstore.Store, error)
	}{
		{"Batches", func() (*neo4jstore.Store, error) { return neo4jstore.OpenWithImportBatch(ctx, cfg, batch) }},
		{"DefaultBatch", func() (*neo4jstore.Store, error) { return neo4jstore.Open(ctx, cfg) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			query(`MATCH ()-[r:SUPPORTS|OPPOSES]->() REMOVE r.sk, r.actorId, r.targetId`)
			query(`MATCH (m:StancegraphMeta {key: 'positionKeys'}) DELETE m`)
			for id, k := range keys() {
				if k != ([3]string{}) {
					t.Fatalf("the test did not remove the keys of %s: %q", id, k)
				}
			}
			s2, err := tc.open()
			if err != nil {
				t.Fatal(err)
			}
			defer s2.Close()
			if diff := cmp.Diff(want, keys()); diff != "" {
				t.Errorf("after Open (-want +got):\n%s", diff)
			}
		})
	}
}
