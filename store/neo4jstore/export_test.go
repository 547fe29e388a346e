package neo4jstore

import (
	"context"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j/log"
)

// OpenWithImportBatch is Open with n rows to one import or backfill
// statement instead of the default.
func OpenWithImportBatch(ctx context.Context, cfg Config, n int) (*Store, error) {
	return open(ctx, cfg, n)
}

// SetImportBatch sets how many rows one import statement carries.
func (s *Store) SetImportBatch(n int) { s.importBatch = n }

// SetAfterImportBatch sets a function called inside the import transaction
// after each batch written; an error it returns fails the import.
func (s *Store) SetAfterImportBatch(fn func(n int) error) { s.afterImportBatch = fn }

// Bookmarks returns the bookmarks of the driver's shared bookmark manager.
func (s *Store) Bookmarks(ctx context.Context) ([]string, error) {
	return s.driver.ExecuteQueryBookmarkManager().GetBookmarks(ctx)
}

// SetBoltLogger makes every later session log its Bolt messages to l.
func (s *Store) SetBoltLogger(l log.BoltLogger) { s.boltLogger = l }
