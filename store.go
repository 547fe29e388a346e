package stancegraph

import (
	"context"
	"io"
	"strings"
)

// Change says what a write did.
type Change int

const (
	Unchanged Change = iota
	Created
	Updated
)

var changeNames = [...]string{"UNCHANGED", "CREATED", "UPDATED"}

func (c Change) String() string         { return strings.ToLower(changeNames[c]) }
func (c Change) MarshalGQL(w io.Writer) { writeQuoted(w, changeNames[c]) }
func (c *Change) UnmarshalGQL(v any) error {
	for i, n := range changeNames {
		if v == n {
			*c = Change(i)
			return nil
		}
	}
	return Errorf(EINVALID, "%v is not a valid Change", v)
}

// Limits on what one store call returns.
const (
	MaxPageSize     = 500
	DefaultPageSize = 50
	MaxBatchIDs     = 10000
)

// EntityOrder is the order of an entity listing.
type EntityOrder string

const (
	OrderNameAsc  EntityOrder = "NAME_ASC"
	OrderNameDesc EntityOrder = "NAME_DESC"
	OrderIDAsc    EntityOrder = "ID_ASC"
)

// EntityOrders lists every order.
var EntityOrders = enumValues[EntityOrder]{OrderNameAsc, OrderNameDesc, OrderIDAsc}

// Valid reports whether o is a known order; the empty order is the default.
func (o EntityOrder) Valid() bool { return o == "" || EntityOrders.has(o) }

func (o EntityOrder) MarshalGQL(w io.Writer) { writeQuoted(w, string(o)) }
func (o *EntityOrder) UnmarshalGQL(v any) (err error) {
	*o, err = EntityOrders.parse("EntityOrder", v)
	return err
}

// EntityFilter selects and pages entities. Zero fields do not filter.
type EntityFilter struct {
	Kinds []Kind
	// NameContains matches, case-insensitively, a substring of the name or
	// of an alias.
	NameContains string
	Country      string
	Topic        string
	SourceKind   SourceKind
	OrderBy      EntityOrder // default OrderNameAsc; ties broken by id
	Offset       int
	Limit        int // 0 means DefaultPageSize; at most MaxPageSize
}

// PositionFilter selects positions. Entries in one list are alternatives;
// lists and fields combine with AND. Zero fields do not filter.
type PositionFilter struct {
	ActorIDs  []string
	TargetIDs []string
	SourceIDs []string
	Stance    Stance
	// From, To and AsOf bound StatedAt with interval semantics: see
	// DateWindow.
	From Date
	To   Date
	AsOf Date
}

// Window returns the date window of the filter.
func (f PositionFilter) Window() DateWindow { return DateWindow{From: f.From, To: f.To, AsOf: f.AsOf} }

// RelationFilter selects relations. Zero fields do not filter, but at least
// one of FromIDs and ToIDs, or Types, must be set.
type RelationFilter struct {
	Types   []RelType
	FromIDs []string
	ToIDs   []string
}

// SearchFilter narrows and pages a search. Zero fields do not filter.
type SearchFilter struct {
	// Kinds, when given, are the kinds of the entity hits; they do not
	// filter position hits.
	Kinds []Kind
	// EntitiesOnly leaves positions (quote hits) out.
	EntitiesOnly bool
	Limit        int // 0 means DefaultPageSize; at most MaxPageSize
}

// SearchHit is an entity or a position matched by a search, with its
// relevance in (0, 1]; higher scores are better. Exactly one of Entity and
// Position is set.
type SearchHit struct {
	Entity   *Entity
	Position *Position
	Score    float64
}

// ID returns the id of the entity or position hit.
func (h SearchHit) ID() string {
	if h.Position != nil {
		return h.Position.ID
	}
	return h.Entity.ID
}

// Graph is a set of entities, relations and positions written together.
// Package ingest checks one, whole, before a store imports it.
type Graph struct {
	Entities  []*Entity   `json:"entities" yaml:"entities"`
	Relations []*Relation `json:"relations" yaml:"relations"`
	Positions []*Position `json:"positions" yaml:"positions"`
}

// Counts tallies what a write did to one kind of record.
type Counts struct {
	Created   int `json:"created" yaml:"created"`
	Updated   int `json:"updated" yaml:"updated"`
	Unchanged int `json:"unchanged" yaml:"unchanged"`
}

// Add counts one change.
func (c *Counts) Add(ch Change) {
	switch ch {
	case Created:
		c.Created++
	case Updated:
		c.Updated++
	default:
		c.Unchanged++
	}
}

// ImportResult tallies an import.
type ImportResult struct {
	Entities  Counts `json:"entities" yaml:"entities"`
	Relations Counts `json:"relations" yaml:"relations"`
	Positions Counts `json:"positions" yaml:"positions"`
}

// Store persists the graph. Implementations are safe for concurrent use and
// honour the deadline of ctx. Errors carry the codes of error.go; anything
// else is reported to users as an internal error.
type Store interface {
	// UpsertEntity creates the entity or replaces the data of the one with
	// its id. Returns EINVALID for invalid data, ECONFLICT when the id
	// belongs to an entity of another kind.
	UpsertEntity(ctx context.Context, e *Entity) (Change, error)

	// Entities returns the entities with the given ids, in the same order,
	// with nil for ids that do not exist. At most MaxBatchIDs ids.
	Entities(ctx context.Context, ids []string) ([]*Entity, error)

	// FindEntities returns one page of the entities that match f, and how
	// many match in all. Returns EINVALID for a bad filter.
	FindEntities(ctx context.Context, f EntityFilter) ([]*Entity, int, error)

	// DeleteEntity deletes an entity with its relations and the positions it
	// takes or is the target of. Returns EINVALID for an id that is not a
	// slug, ENOTFOUND if it does not exist, and ECONFLICT for a source that
	// positions cite as evidence.
	DeleteEntity(ctx context.Context, id string) error

	// Search ranks the entities whose name, aliases or summary, and the
	// positions whose quote, hold every word of query as the beginning of
	// a word; see SearchQuery. At most f.Limit hits, best first, ties by
	// id. Returns EINVALID for a bad filter.
	Search(ctx context.Context, query string, f SearchFilter) ([]SearchHit, error)

	// RecordPosition creates or updates the position with p's identity;
	// p.ID is set. Returns EINVALID for invalid data or ends of the wrong
	// kind, ENOTFOUND when an end does not exist.
	RecordPosition(ctx context.Context, p *Position) (Change, error)

	// RetractPosition deletes a position. Returns EINVALID for an id that
	// is not a slug, ENOTFOUND if it does not exist.
	RetractPosition(ctx context.Context, id string) error

	// PositionsByID returns the positions with the given ids, in the same
	// order, nil for the missing.
	PositionsByID(ctx context.Context, ids []string) ([]*Position, error)

	// Positions returns the positions that match f ordered by statedAt
	// (ComparePartialDates), then id. Returns EINVALID for a bad filter.
	Positions(ctx context.Context, f PositionFilter) ([]*Position, error)

	// Relate creates or updates a relation. Returns EINVALID for ends of
	// the wrong kinds, ENOTFOUND when an end does not exist.
	Relate(ctx context.Context, r *Relation) (Change, error)

	// Unrelate deletes a relation. Returns ENOTFOUND if it does not exist.
	Unrelate(ctx context.Context, typ RelType, from, to string) error

	// Relations returns the relations that match f, ordered by type, from,
	// then to.
	Relations(ctx context.Context, f RelationFilter) ([]*Relation, error)

	// Import writes a whole graph: all of it, or nothing when any part is
	// invalid (EINVALID, ENOTFOUND, ECONFLICT naming the entry). References
	// may point into the graph itself or at entities already stored.
	Import(ctx context.Context, g *Graph) (ImportResult, error)

	// Read executes a checked read plan (see Plan) in one go.
	Reader

	// Ping reports whether the store can serve requests (EUNAVAILABLE).
	Ping(ctx context.Context) error

	// ChangeFeed reports committed position changes (RecordPosition,
	// RetractPosition, DeleteEntity, Import) in commit order.
	ChangeFeed

	// Close releases the store.
	Close() error
}

// PageLimit returns the page size a filter's Limit asks for: 0 means
// DefaultPageSize; anything outside 1..MaxPageSize is EINVALID. Every
// backend validates limits with it, so they refuse the same inputs.
func PageLimit(limit int) (int, error) {
	switch {
	case limit == 0:
		return DefaultPageSize, nil
	case limit < 0 || limit > MaxPageSize:
		return 0, FieldErrorf("limit", "limit must be between 1 and %d, not %d", MaxPageSize, limit)
	}
	return limit, nil
}

// CheckKinds returns EINVALID naming the first unknown kind of a filter.
func CheckKinds(kinds []Kind) error {
	for _, k := range kinds {
		if !k.Valid() {
			return Kinds.Invalid("kinds", "kind", k)
		}
	}
	return nil
}

// Validate checks a filter at a backend's boundary and returns the page
// size it asks for.
func (f EntityFilter) Validate() (limit int, err error) {
	if err := CheckKinds(f.Kinds); err != nil {
		return 0, err
	}
	if !f.OrderBy.Valid() {
		return 0, FieldErrorf("orderBy", "%q is not a valid order", f.OrderBy)
	}
	if f.SourceKind != "" && !f.SourceKind.Valid() {
		return 0, SourceKinds.Invalid("sourceKind", "source kind", f.SourceKind)
	}
	if f.Offset < 0 {
		return 0, FieldErrorf("offset", "offset must not be negative")
	}
	return PageLimit(f.Limit)
}

// CheckBatch bounds a list of ids a store call takes: at most MaxBatchIDs.
func CheckBatch(field string, ids []string) error {
	if len(ids) > MaxBatchIDs {
		return FieldErrorf(field, "%d ids is more than the %d one call takes", len(ids), MaxBatchIDs)
	}
	return nil
}

// Validate checks a filter at a backend's boundary: a known stance, lists
// of at most MaxBatchIDs ids, a sound date window.
func (f PositionFilter) Validate() error {
	if f.Stance != "" && !f.Stance.Valid() {
		return Stances.Invalid("stance", "stance", f.Stance)
	}
	for _, c := range []struct {
		field string
		ids   []string
	}{{"actorIds", f.ActorIDs}, {"targetIds", f.TargetIDs}, {"sourceIds", f.SourceIDs}} {
		if err := CheckBatch(c.field, c.ids); err != nil {
			return err
		}
	}
	return f.Window().Validate()
}

// Validate checks a filter at a backend's boundary: types, fromIds or
// toIds given, known types, lists of at most MaxBatchIDs ids.
func (f RelationFilter) Validate() error {
	if len(f.Types) == 0 && len(f.FromIDs) == 0 && len(f.ToIDs) == 0 {
		return FieldErrorf("filter", "a relation filter needs types, fromIds or toIds")
	}
	for _, typ := range f.Types {
		if !typ.Valid() {
			return RelTypes.Invalid("types", "relation type", typ)
		}
	}
	if err := CheckBatch("fromIds", f.FromIDs); err != nil {
		return err
	}
	return CheckBatch("toIds", f.ToIDs)
}

// Validate checks a filter at a backend's boundary and returns the number
// of hits it asks for.
func (f SearchFilter) Validate() (limit int, err error) {
	if err := CheckKinds(f.Kinds); err != nil {
		return 0, err
	}
	return PageLimit(f.Limit)
}
