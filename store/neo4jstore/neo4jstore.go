// Package neo4jstore implements stancegraph.Store on Neo4j 5 with the
// official Go driver.
//
// The graph is stored as docs/ARCHITECTURE.md (Data model) describes it: every entity is a node labelled
// :Entity and the label of its kind, with its fields as properties; positions
// are SUPPORTS / OPPOSES relationships from actor to target carrying id,
// strength, quote, sourceId and statedAt; structural relations are
// relationships of their own type, with role and title. Three derived node
// properties serve the queries: searchText (the search words of the name,
// aliases and summary, for the full-text index), searchNames (the
// lower-cased name and aliases, for NameContains) and nameKey (the name in a
// form Cypher sorts by code point, as Go does); positions carry searchText
// too, the search words of the quote.
//
// Cypher is always parameterised. Labels and relationship types are spliced
// into statements only from the closed enums of the domain, after they have
// been validated.
package neo4jstore

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/config"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/log"

	"github.com/stancegraph/stancegraph"
)

// Config says how to reach Neo4j.
type Config struct {
	// URI is the Bolt or Neo4j URI, e.g. bolt://127.0.0.1:7687 or
	// neo4j://cluster.example:7687 for a routed cluster.
	URI string
	// Username and Password are sent as basic auth when Username is set;
	// otherwise the driver connects without auth.
	Username string
	Password string
	// Database is the database to use; empty means the server's default.
	Database string
}

// Store is a stancegraph.Store backed by Neo4j.
type Store struct {
	driver neo4j.DriverWithContext
	db     string

	roundTrips   atomic.Int64
	closed       atomic.Bool
	feedNotifier notifier

	// Test hooks (see export_test.go).
	importBatch      int
	afterImportBatch func(n int) error
	boltLogger       log.BoltLogger
}

var _ stancegraph.Store = (*Store)(nil)

// Open connects to Neo4j, checks that it answers and sets up the schema
// (constraints and indexes) if it is not there yet.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	return open(ctx, cfg, defaultImportBatch)
}

// open is Open with the rows one import or backfill statement carries
// (tests set fewer through export_test.go).
func open(ctx context.Context, cfg Config, importBatch int) (*Store, error) {
	if cfg.URI == "" {
		return nil, stancegraph.Errorf(stancegraph.EINVALID, "neo4j: a URI is required")
	}
	auth := neo4j.NoAuth()
	if cfg.Username != "" {
		auth = neo4j.BasicAuth(cfg.Username, cfg.Password, "")
	}
	driver, err := neo4j.NewDriverWithContext(cfg.URI, auth, func(c *config.Config) {
		c.UserAgent = "stancegraph"
	})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", stancegraph.Errorf(stancegraph.EINVALID, "neo4j: bad configuration for %q", cfg.URI), err)
	}
	s := &Store{driver: driver, db: cfg.Database, importBatch: importBatch}
	if err := driver.VerifyConnectivity(ctx); err != nil {
		_ = driver.Close(context.Background())
		return nil, s.translate(ctx, "connect to "+cfg.URI, err)
	}
	if err := s.setupSchema(ctx); err != nil {
		_ = driver.Close(context.Background())
		return nil, err
	}
	return s, nil
}

// schema is idempotent: every statement is IF NOT EXISTS.
var schema = append([]string{
	`CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE`,
	`CREATE INDEX entity_name_key IF NOT EXISTS FOR (n:Entity) ON (n.nameKey)`,
	`CREATE INDEX entity_external_ids IF NOT EXISTS FOR (n:Entity) ON (n.externalIds)`,
	`CREATE INDEX supports_id IF NOT EXISTS FOR ()-[r:SUPPORTS]-() ON (r.id)`,
	`CREATE INDEX opposes_id IF NOT EXISTS FOR ()-[r:OPPOSES]-() ON (r.id)`,
	`CREATE INDEX supports_source IF NOT EXISTS FOR ()-[r:SUPPORTS]-() ON (r.sourceId)`,
	`CREATE INDEX opposes_source IF NOT EXISTS FOR ()-[r:OPPOSES]-() ON (r.sourceId)`,
	// The ends of a position's date interval, which the date filters compare.
	`CREATE INDEX supports_stated_start IF NOT EXISTS FOR ()-[r:SUPPORTS]-() ON (r.statedStart)`,
	`CREATE INDEX supports_stated_end IF NOT EXISTS FOR ()-[r:SUPPORTS]-() ON (r.statedEnd)`,
	`CREATE INDEX opposes_stated_start IF NOT EXISTS FOR ()-[r:OPPOSES]-() ON (r.statedStart)`,
	`CREATE INDEX opposes_stated_end IF NOT EXISTS FOR ()-[r:OPPOSES]-() ON (r.statedEnd)`,
	`CREATE CONSTRAINT change_feed_name IF NOT EXISTS FOR (f:ChangeFeed) REQUIRE f.name IS UNIQUE`,
	`CREATE INDEX position_event_seq IF NOT EXISTS FOR (e:PositionEvent) ON (e.seq)`,
	// searchText holds words split and lower-cased in Go, so the whitespace
	// analyzer indexes exactly the words Search matches against. Updates are
	// applied at commit, so a search sees every committed write.
	`CREATE FULLTEXT INDEX ` + searchIndex + ` IF NOT EXISTS FOR (n:Entity) ON EACH [n.searchText]
	 OPTIONS {indexConfig: {` + "`fulltext.analyzer`" + `: 'whitespace', ` + "`fulltext.eventually_consistent`" + `: false}}`,
	`CREATE FULLTEXT INDEX ` + positionSearchIndex + ` IF NOT EXISTS FOR ()-[r:SUPPORTS|OPPOSES]-() ON EACH [r.searchText]
	 OPTIONS {indexConfig: {` + "`fulltext.analyzer`" + `: 'whitespace', ` + "`fulltext.eventually_consistent`" + `: false}}`,
}, append(relationSourceIndexes(), positionIndexes()...)...)

// positionIndexes are the orders that position pages are cut from: per
// type, the positions of a target, of an actor, and all of them, each by
// (sk, id), the default order of listings. A page of the positions of a
// node reads its first rows from the index, in order, and stops at the
// page's limit, however many positions the node holds (plan.go).
func positionIndexes() []string {
	var out []string
	for _, t := range positionTypes {
		for _, ix := range positionOrderIndexes {
			out = append(out, `CREATE INDEX `+strings.ToLower(t)+ix.suffix+` IF NOT EXISTS FOR ()-[r:`+t+`]-() ON (`+ix.props("r.")+`)`)
		}
	}
	return out
}

// positionOrderIndex is an index of positions in the default order,
// after an optional end.
type positionOrderIndex struct {
	suffix string
	end    string // "actorId", "targetId" or ""
}

var positionOrderIndexes = []positionOrderIndex{{"_target_order", "targetId"}, {"_actor_order", "actorId"}, {"_order", ""}}

// props lists the indexed properties, each after prefix ("r." for an
// index definition, "" for a hint).
func (ix positionOrderIndex) props(prefix string) string {
	if ix.end == "" {
		return prefix + "sk, " + prefix + "id"
	}
	return prefix + ix.end + ", " + prefix + "sk, " + prefix + "id"
}

// relationSourceIndexes index the sourceId of every relation type, so that
// deleting a source finds the relations citing it without a scan.
func relationSourceIndexes() []string {
	out := make([]string, len(stancegraph.RelTypes))
	for i, t := range stancegraph.RelTypes {
		out[i] = `CREATE INDEX ` + strings.ToLower(string(t)) + `_source IF NOT EXISTS FOR ()-[r:` + string(t) + `]-() ON (r.sourceId)`
	}
	return out
}

// citingRelations counts the relations that cite $id as evidence, besides
// those that start from it (the MENTIONS of a document), one index seek
// per type.
func citingRelations() string {
	parts := make([]string, len(stancegraph.RelTypes))
	for i, t := range stancegraph.RelTypes {
		parts[i] = `COUNT { (a)-[r:` + string(t) + ` {sourceId: $id}]->() WHERE a.id <> $id }`
	}
	return strings.Join(parts, " + ")
}

const (
	searchIndex         = "entity_search"
	positionSearchIndex = "position_search"
)

func (s *Store) setupSchema(ctx context.Context) error {
	sess := s.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: s.db, AccessMode: neo4j.AccessModeWrite, BookmarkManager: s.driver.ExecuteQueryBookmarkManager()})
	defer sess.Close(context.Background())
	// Schema statements cannot share a transaction with each other's data
	// reads, so each runs as its own transaction.
	for _, stmt := range append(schema, `CALL db.awaitIndexes(300)`) {
		_, err := sess.ExecuteWrite(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
			_, err := s.collect(ctx, tx, stmt, nil)
			return nil, err
		})
		if err != nil {
			return s.translate(ctx, "set up the schema", err)
		}
	}
	if err := s.backfillPositionKeys(ctx); err != nil {
		return err
	}
	return s.backfillSearch(ctx)
}

// RoundTrips returns how many Cypher statements the store has sent so far,
// retries included; tests use it to check batching.
func (s *Store) RoundTrips() int64 { return s.roundTrips.Load() }

var errClosed = stancegraph.Errorf(stancegraph.EUNAVAILABLE, "store is closed")

// Ping reports whether Neo4j answers.
func (s *Store) Ping(ctx context.Context) error {
	if s.closed.Load() {
		return errClosed
	}
	return s.translate(ctx, "ping", s.driver.VerifyConnectivity(ctx))
}

// Close closes the driver and its connections. Closing twice is harmless.
func (s *Store) Close() error {
	if s.closed.Swap(true) {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.driver.Close(ctx); err != nil {
		return fmt.Errorf("%w: %w", stancegraph.Errorf(stancegraph.EINTERNAL, "neo4j: close"), err)
	}
	return nil
}

// read runs fn in a managed read transaction: the driver retries it on
// transient failures, so fn must not keep state across calls.
func (s *Store) read(ctx context.Context, op string, fn func(tx neo4j.ManagedTransaction) error) error {
	return s.transact(ctx, op, neo4j.AccessModeRead, fn)
}

// write runs fn in a managed write transaction; see read.
func (s *Store) write(ctx context.Context, op string, fn func(tx neo4j.ManagedTransaction) error) error {
	return s.transact(ctx, op, neo4j.AccessModeWrite, fn)
}

func (s *Store) transact(ctx context.Context, op string, mode neo4j.AccessMode, fn func(tx neo4j.ManagedTransaction) error) error {
	if err := ctx.Err(); err != nil {
		return s.translate(ctx, op, err)
	}
	if s.closed.Load() {
		return errClosed
	}
	sess := s.session(ctx, mode, 0)
	defer sess.Close(context.Background())
	work := func(tx neo4j.ManagedTransaction) (any, error) { return nil, fn(tx) }
	var err error
	if mode == neo4j.AccessModeRead {
		_, err = sess.ExecuteRead(ctx, work, txTimeout(ctx)...)
	} else {
		_, err = sess.ExecuteWrite(ctx, work, txTimeout(ctx)...)
	}
	return s.translate(ctx, op, err)
}

// session opens a session in mode, with fetchSize records to a PULL (0:
// the driver's default). Every session shares the driver's bookmark
// manager: on a routed cluster a read sees the writes that returned
// before it.
func (s *Store) session(ctx context.Context, mode neo4j.AccessMode, fetchSize int) neo4j.SessionWithContext {
	return s.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: s.db, AccessMode: mode, FetchSize: fetchSize,
		BookmarkManager: s.driver.ExecuteQueryBookmarkManager(), BoltLogger: s.boltLogger})
}

// txTimeout passes ctx's deadline to the server, so that an abandoned
// query does not run on there.
func txTimeout(ctx context.Context) []func(*neo4j.TransactionConfig) {
	if deadline, ok := ctx.Deadline(); ok {
		if left := time.Until(deadline); left > 0 {
			return []func(*neo4j.TransactionConfig){neo4j.WithTxTimeout(left)}
		}
	}
	return nil
}

// query runs one read-only statement as an auto-commit transaction and
// returns its records. It costs one round trip, RUN and PULL sent
// together, where a managed transaction (read) costs three: BEGIN, then
// RUN and PULL, then COMMIT. One statement reads one consistent state on
// its own, so nothing is lost. Like a managed transaction it is tried
// again, after a short pause, on the failures the driver calls retryable
// (a cluster member leaving, a lost connection), while ctx allows and at
// most queryAttempts times: a read has no effect to repeat.
func (s *Store) query(ctx context.Context, op, cypher string, params map[string]any) ([]*neo4j.Record, error) {
	if err := ctx.Err(); err != nil {
		return nil, s.translate(ctx, op, err)
	}
	if s.closed.Load() {
		return nil, errClosed
	}
	var recs []*neo4j.Record
	err := retryRead(ctx, func() error {
		var err error
		recs, err = s.queryOnce(ctx, cypher, params)
		return err
	})
	if err != nil {
		return nil, s.translate(ctx, op, err)
	}
	return recs, nil
}

// retryRead calls try until it succeeds, fails in a way the driver does
// not call retryable, ctx ends, or it has been called queryAttempts times,
// pausing between calls for 10 ms, then four times longer each time. It
// returns try's last error.
func retryRead(ctx context.Context, try func() error) error {
	pause := 10 * time.Millisecond
	for attempt := 1; ; attempt++ {
		err := try()
		if err == nil || attempt == queryAttempts || !neo4j.IsRetryable(err) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(pause):
		}
		pause *= 4
	}
}

// queryAttempts bounds the tries of one query: 10 + 40 + 160 + 640 ms of
// pauses, about what the driver's managed transactions wait for a cluster
// to elect a new leader.
const queryAttempts = 5

func (s *Store) queryOnce(ctx context.Context, cypher string, params map[string]any) ([]*neo4j.Record, error) {
	// Every record in one PULL: the caller collects them all anyway, and
	// a batch of 1000 at a time would cost a round trip per batch.
	sess := s.session(ctx, neo4j.AccessModeRead, neo4j.FetchAll)
	defer sess.Close(context.Background())
	s.roundTrips.Add(1)
	res, err := sess.Run(ctx, cypher, params, txTimeout(ctx)...)
	if err != nil {
		return nil, err
	}
	return res.Collect(ctx)
}

// statements runs one statement and returns all of its records: within a
// transaction (within), or as a read of its own (alone).
type statements func(cypher string, params map[string]any) ([]*neo4j.Record, error)

// within runs statements in tx.
func (s *Store) within(ctx context.Context, tx neo4j.ManagedTransaction) statements {
	return func(cypher string, params map[string]any) ([]*neo4j.Record, error) {
		return s.collect(ctx, tx, cypher, params)
	}
}

// alone runs each statement as a read of its own (query): one round trip.
func (s *Store) alone(ctx context.Context, op string) statements {
	return func(cypher string, params map[string]any) ([]*neo4j.Record, error) {
		return s.query(ctx, op, cypher, params)
	}
}

// collect runs one statement and reads all of its records.
func (s *Store) collect(ctx context.Context, tx neo4j.ManagedTransaction, cypher string, params map[string]any) ([]*neo4j.Record, error) {
	s.roundTrips.Add(1)
	res, err := tx.Run(ctx, cypher, params)
	if err != nil {
		return nil, err
	}
	return res.Collect(ctx)
}

// translate turns a driver error into a coded domain error that keeps the
// cause for logs. Domain errors pass through unchanged.
func (s *Store) translate(ctx context.Context, op string, err error) error {
	if err == nil {
		return nil
	}
	var domain *stancegraph.Error
	if errors.As(err, &domain) {
		return err
	}
	wrap := func(code, format string, args ...any) error {
		return fmt.Errorf("%w: %w", stancegraph.Errorf(code, format, args...), err)
	}
	switch {
	case unreachable(err):
		// The deadline may have passed too, but retrying against a
		// server that did not answer is what used it up.
		return wrap(stancegraph.EUNAVAILABLE, "neo4j is unavailable: %s failed", op)
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded):
		return wrap(stancegraph.ETIMEOUT, "neo4j: %s did not finish before the deadline", op)
	case errors.Is(err, context.Canceled) || errors.Is(ctx.Err(), context.Canceled):
		return wrap(stancegraph.EUNAVAILABLE, "neo4j: %s was cancelled", op)
	}
	var n4j *neo4j.Neo4jError
	if errors.As(err, &n4j) {
		switch {
		case n4j.Code == "Neo.ClientError.Schema.ConstraintValidationFailed":
			return wrap(stancegraph.ECONFLICT, "%s conflicts with data written at the same time; try again", op)
		case strings.HasPrefix(n4j.Code, "Neo.ClientError.Transaction.TransactionTimedOut"):
			return wrap(stancegraph.ETIMEOUT, "neo4j: %s did not finish before the deadline", op)
		case strings.HasPrefix(n4j.Code, "Neo.TransientError."),
			strings.HasPrefix(n4j.Code, "Neo.ClientError.Security."),
			strings.HasPrefix(n4j.Code, "Neo.ClientError.Cluster."),
			n4j.Code == "Neo.ClientError.Database.DatabaseNotFound",
			n4j.Code == "Neo.DatabaseError.General.DatabaseUnavailable":
			return wrap(stancegraph.EUNAVAILABLE, "neo4j is unavailable: %s failed", op)
		}
		return wrap(stancegraph.EINTERNAL, "neo4j: %s failed", op)
	}
	var (
		conn  *neo4j.ConnectivityError
		limit *neo4j.TransactionExecutionLimit
		auth  *neo4j.InvalidAuthenticationError
		token *neo4j.TokenExpiredError
	)
	if errors.As(err, &conn) || errors.As(err, &limit) || errors.As(err, &auth) || errors.As(err, &token) || neo4j.IsRetryable(err) {
		return wrap(stancegraph.EUNAVAILABLE, "neo4j is unavailable: %s failed", op)
	}
	return wrap(stancegraph.EINTERNAL, "neo4j: %s failed", op)
}

// unreachable reports whether err, or the last failure of the driver's
// retries, is a failure to reach the server.
func unreachable(err error) bool {
	var conn *neo4j.ConnectivityError
	if errors.As(err, &conn) {
		return true
	}
	var limit *neo4j.TransactionExecutionLimit
	if errors.As(err, &limit) && len(limit.Errors) > 0 {
		return errors.As(limit.Errors[len(limit.Errors)-1], &conn)
	}
	return false
}
