// Package neo4jtest lets the tests of several packages share the one test
// Neo4j: `go test ./...` runs packages in parallel, and tests that wipe the
// database must not overlap. Lock serialises them across processes with a
// file lock.
package neo4jtest

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// URI is the Bolt URI of the test Neo4j: $STANCEGRAPH_NEO4J_URI, or the
// one scripts/neo4j.sh starts.
func URI() string {
	if u := os.Getenv("STANCEGRAPH_NEO4J_URI"); u != "" {
		return u
	}
	return "bolt://127.0.0.1:7687"
}

// Auth is the auth of the test Neo4j: basic when STANCEGRAPH_NEO4J_USER is
// set, none otherwise.
func Auth() neo4j.AuthToken {
	if u := os.Getenv("STANCEGRAPH_NEO4J_USER"); u != "" {
		return neo4j.BasicAuth(u, os.Getenv("STANCEGRAPH_NEO4J_PASSWORD"), "")
	}
	return neo4j.NoAuth()
}

var probe struct {
	once sync.Once
	err  error
}

// Require skips the test when Neo4j is unreachable, or fails it when
// CI=true.
func Require(tb testing.TB) {
	tb.Helper()
	probe.once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		d, err := neo4j.NewDriverWithContext(URI(), Auth())
		if err == nil {
			err = d.VerifyConnectivity(ctx)
			_ = d.Close(ctx)
		}
		probe.err = err
	})
	if probe.err == nil {
		return
	}
	if os.Getenv("CI") == "true" {
		tb.Fatalf("Neo4j is not reachable at %s (CI=true; scripts/neo4j.sh up starts one): %v", URI(), probe.err)
	}
	tb.Skipf("SKIPPED: Neo4j is not reachable at %s (start one with scripts/neo4j.sh up): %v", URI(), probe.err)
}

// held counts this process's holds of the file lock, so that a test may
// take it again (a flock on a second descriptor would wait for the first).
var held struct {
	sync.Mutex
	n int
	f *os.File
}

// Lock holds the test database for tb, until its cleanup, against the
// tests of other packages (processes) that take the same lock. Within one
// process it is re-entrant: tests of one package run one at a time unless
// they call t.Parallel, which Neo4j tests must not.
func Lock(tb testing.TB) {
	tb.Helper()
	held.Lock()
	defer held.Unlock()
	if held.n == 0 {
		path := filepath.Join(os.TempDir(), "stancegraph-neo4j-test.lock")
		f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
		if err != nil {
			tb.Fatalf("neo4j test lock: %v", err)
		}
		if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
			_ = f.Close()
			tb.Fatalf("neo4j test lock: %v", err)
		}
		held.f = f
	}
	held.n++
	tb.Cleanup(func() {
		held.Lock()
		defer held.Unlock()
		if held.n--; held.n == 0 {
			_ = syscall.Flock(int(held.f.Fd()), syscall.LOCK_UN)
			_ = held.f.Close()
			held.f = nil
		}
	})
}

// Wipe deletes every node and relationship of the test database, in
// batches, leaving the schema.
func Wipe(tb testing.TB) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	d, err := neo4j.NewDriverWithContext(URI(), Auth())
	if err != nil {
		tb.Fatal(err)
	}
	defer d.Close(ctx)
	sess := d.NewSession(ctx, neo4j.SessionConfig{AccessMode: neo4j.AccessModeWrite})
	defer sess.Close(ctx)
	// Relationships first: detaching a node with many of them in one
	// transaction can exceed the server's memory pool.
	for _, stmt := range []string{
		`MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 5000 ROWS`,
		`MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS`,
	} {
		res, err := sess.Run(ctx, stmt, nil)
		if err == nil {
			_, err = res.Consume(ctx)
		}
		if err != nil {
			tb.Fatalf("wipe the test Neo4j: %v", err)
		}
	}
}
