// Package memstore is the embedded, default stancegraph.Store: the whole
// graph lives in memory, indexed for every query the Store answers, and
// every write is committed to a bbolt file before it is applied, so a write
// that returned survives a crash.
//
// The file holds one bucket per record type with JSON values; Open loads it
// into memory. bbolt's file lock makes the store exclusive to one process.
//
// In memory a position is a 40-byte record without pointers (record.go):
// its ends are entity numbers, its statedAt a number in a table of the
// dates in use, its quote and condition a place in an arena of text
// chunks, its id 8 bytes; the lists, postings and id table hold sequence
// numbers. A read makes a stancegraph.Position only for what it hands out.
// Loaded from its file, about 250 B per position in all at 1M positions,
// where pointers to stancegraph.Position took about 560 (BENCHMARKS.md).
package memstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/stancegraph/stancegraph"
	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// lockTimeout is how long Open waits for another process to release the
// store before it gives up.
const lockTimeout = 500 * time.Millisecond

var (
	bucketEntities  = []byte("entities")
	bucketRelations = []byte("relations")
	bucketPositions = []byte("positions")
	bucketMeta      = []byte("meta")
	buckets         = [][]byte{bucketEntities, bucketRelations, bucketPositions, bucketMeta}

	keyFormat     = []byte("format")
	currentFormat = []byte("1")
)

// Store is a stancegraph.Store held in memory and, unless it was opened
// with OpenMemory, persisted in a bbolt file.
type Store struct {
	path string
	db   *bolt.DB // nil for an ephemeral store

	// mu guards the indexes and closed. Writers hold it across the disk
	// commit so that memory applies writes in the order the file has them.
	mu     sync.RWMutex
	closed bool
	idx    *index
	// version counts the writes, so that an import checked under the read
	// lock can tell whether the store changed since.
	version uint64
	feed    feed
}

var _ stancegraph.Store = (*Store)(nil)

// OpenMemory returns an empty store that lives only in memory.
func OpenMemory() *Store {
	return &Store{idx: newIndex()}
}

// Open opens, or creates, the store in the bbolt file at path and loads it
// into memory. A store held by another process (or another Open in this
// one) is EUNAVAILABLE.
func Open(path string) (*Store, error) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: lockTimeout})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, stancegraph.Errorf(stancegraph.EUNAVAILABLE, "store in use: %s is held by another stancegraph process", path)
	} else if err != nil {
		return nil, stancegraph.Errorf(stancegraph.EUNAVAILABLE, "cannot open store %s: %v", path, err)
	}
	s := &Store{path: path, db: db, idx: newIndex()}
	if err := s.load(); err != nil {
		_ = db.Close()
		return nil, err
	}
	return s, nil
}

// load creates the buckets of a new file and reads an existing one into
// the indexes.
func (s *Store) load() error {
	err := s.db.Update(func(tx *bolt.Tx) error {
		for _, name := range buckets {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		meta := tx.Bucket(bucketMeta)
		switch v := meta.Get(keyFormat); {
		case v == nil:
			return meta.Put(keyFormat, currentFormat)
		case string(v) != string(currentFormat):
			return fmt.Errorf("file format %q, want %q", v, currentFormat)
		}
		return nil
	})
	if err != nil {
		return stancegraph.Errorf(stancegraph.EUNAVAILABLE, "cannot open store %s: %v", s.path, err)
	}
	err = s.db.View(func(tx *bolt.Tx) error {
		s.idx.batch = true
		defer s.idx.endBatch()
		if err := tx.Bucket(bucketEntities).ForEach(func(k, v []byte) error {
			var e stancegraph.Entity
			if err := json.Unmarshal(v, &e); err != nil {
				return fmt.Errorf("entity %q: %w", k, err)
			}
			s.idx.putEntity(&e)
			return nil
		}); err != nil {
			return err
		}
		if err := tx.Bucket(bucketRelations).ForEach(func(k, v []byte) error {
			var r stancegraph.Relation
			if err := json.Unmarshal(v, &r); err != nil {
				return fmt.Errorf("relation %q: %w", k, err)
			}
			s.idx.putRelation(&r)
			return nil
		}); err != nil {
			return err
		}
		// The index keeps nothing of the decoded position, so one does.
		var p stancegraph.Position
		s.idx.reserve(tx.Bucket(bucketPositions).Stats().KeyN)
		return tx.Bucket(bucketPositions).ForEach(func(k, v []byte) error {
			p = stancegraph.Position{}
			if err := json.Unmarshal(v, &p); err != nil {
				return fmt.Errorf("position %q: %w", k, err)
			}
			if err := storable(&p); err != nil {
				return fmt.Errorf("position %q: %w", k, err)
			}
			for _, id := range []string{p.ActorID, p.TargetID, p.SourceID} {
				if s.idx.entity(id) == nil {
					return fmt.Errorf("position %q: entity %q not found", k, id)
				}
			}
			s.idx.putPosition(&p)
			return nil
		})
	})
	if err != nil {
		return stancegraph.Errorf(stancegraph.EUNAVAILABLE, "cannot load store %s: %v", s.path, err)
	}
	s.idx.settle()
	return nil
}

// Close releases the file and its lock. Closing twice is harmless.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	if s.db != nil {
		return s.db.Close()
	}
	return nil
}

// Ping reports whether the store is open.
func (s *Store) Ping(ctx context.Context) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.ready(ctx)
}

// ready returns the error for a call on a closed store or with a finished
// context. Callers hold mu.
func (s *Store) ready(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		// Both the code and the cause: errors.Is(err, context.Canceled) holds.
		return stancegraph.ContextError(err, "the request")
	}
	if s.closed {
		return stancegraph.Errorf(stancegraph.EUNAVAILABLE, "store is closed")
	}
	return nil
}

// commit runs fn in one bbolt transaction, durable when it returns. An
// ephemeral store has nothing to commit.
func (s *Store) commit(fn func(*txn) error) error {
	s.version++
	if s.db == nil {
		return nil
	}
	if err := s.db.Update(func(tx *bolt.Tx) error { return fn(&txn{tx: tx}) }); err != nil {
		var e *stancegraph.Error
		if errors.As(err, &e) {
			return err
		}
		return fmt.Errorf("memstore: commit to %s: %w", s.path, err)
	}
	return nil
}

// txn writes records as JSON into their buckets.
type txn struct{ tx *bolt.Tx }

func (t *txn) put(bucket []byte, key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return t.tx.Bucket(bucket).Put([]byte(key), b)
}

func (t *txn) del(bucket []byte, key string) error {
	return t.tx.Bucket(bucket).Delete([]byte(key))
}

func (t *txn) putEntity(e *stancegraph.Entity) error { return t.put(bucketEntities, e.ID, e) }
func (t *txn) putRelation(r *stancegraph.Relation) error {
	return t.put(bucketRelations, r.Key(), r)
}
func (t *txn) putPosition(p *stancegraph.Position) error { return t.put(bucketPositions, p.ID, p) }
