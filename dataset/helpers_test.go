package dataset_test

import (
	"context"

	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/dataset"
)

// emptyTarget is a target that stores nothing.
type emptyTarget struct{}

func (emptyTarget) Entities(_ context.Context, ids []string) ([]*stancegraph.Entity, error) {
	return make([]*stancegraph.Entity, len(ids)), nil
}

func (emptyTarget) Import(context.Context, *stancegraph.Graph) (stancegraph.ImportResult, error) {
	return stancegraph.ImportResult{}, nil
}

// collect is an in-memory source of the records it was given.
type collect struct{ records []*dataset.Record }

func (c *collect) add(r *dataset.Record) error { c.records = append(c.records, r); return nil }

func (c *collect) Name() string { return "collected" }

func (c *collect) Len(context.Context) (int, error) { return len(c.records), nil }

func (c *collect) Records(_ context.Context, fn func(*dataset.Record) error) error {
	for _, r := range c.records {
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}
