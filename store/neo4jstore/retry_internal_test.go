package neo4jstore

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// A one-statement read is retried as a managed transaction would be: on
// the failures the driver calls retryable, at most queryAttempts times,
// and not past its context.
func TestRetryRead(t *testing.T) {
	lost := &neo4j.ConnectivityError{Inner: errors.New("connection reset")}
	syntax := &neo4j.Neo4jError{Code: "Neo.ClientError.Statement.SyntaxError", Msg: "bad"}
	for _, tc := range []struct {
		name  string
		fails []error // the errors of the first calls, then success
		want  error
		tries int
	}{
		{"succeeds at once", nil, nil, 1},
		{"succeeds after a lost connection", []error{lost}, nil, 2},
		{"succeeds on the last attempt", []error{lost, lost, lost, lost}, nil, queryAttempts},
		{"gives up after the attempts", []error{lost, lost, lost, lost, lost, lost}, lost, queryAttempts},
		{"does not retry a statement error", []error{syntax, lost}, syntax, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tries := 0
			err := retryRead(t.Context(), func() error {
				tries++
				if tries <= len(tc.fails) {
					return tc.fails[tries-1]
				}
				return nil
			})
			if err != tc.want || tries != tc.tries {
				t.Errorf("retryRead: %v after %d tries, want %v after %d", err, tries, tc.want, tc.tries)
			}
		})
	}
	t.Run("stops when its context ends", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		tries := 0
		start := time.Now()
		err := retryRead(ctx, func() error {
			tries++
			cancel()
			return lost
		})
		if err != lost || tries != 1 || time.Since(start) > time.Second {
			t.Errorf("retryRead after its context ended: %v after %d tries and %v", err, tries, time.Since(start))
		}
	})
}
