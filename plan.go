package stancegraph

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"strings"
)

// A Plan is everything one read request asks of the store: node sets with
// their conditions, orders and keyset pages, the edges to follow from them
// and the aggregates to compute. The GraphQL layer builds it from a whole
// operation, checks it once (the constructors of this file and where.go),
// and a backend executes it in one go: Neo4j as one statement, the
// embedded store by walking its indexes.
type Plan struct {
	Roots []*RootQuery
}

// RootQuery is one node set at the top of a plan; exactly one of IDs,
// Entities, Positions and Backers is set.
type RootQuery struct {
	// IDs reads entities and positions ("pos-...") by id, in order.
	IDs       []string
	Entities  *EntityList
	Positions *PositionList
	Backers   *BackersRead
	// Select is what to read of each entity, PosSelect of each position.
	Select    *EntitySelect
	PosSelect *PositionSelect
}

// EntityList is a page of an entity listing.
type EntityList struct {
	Kinds []Kind // at least one
	Where Cond
	Order EntityOrder // never empty
	Page  Page
	Count bool // whether the total is asked for
}

// PositionList is a page of positions: of the whole graph at the root, or
// of one entity (as actor, target or source) in an EntitySelect.
type PositionList struct {
	Where Cond
	Order []SortKey // ends with the id
	Page  Page
	// Count asks for the total, Aggregate for the statistics of every
	// position the condition selects.
	Count     bool
	Aggregate *AggregateAsk
}

// AggregateAsk says which statistics of a position set are asked for.
type AggregateAsk struct {
	ByStance bool
}

// EntitySelect is what a plan reads of each entity of a set: the fields
// besides id and kind (Props), and position pages, stance summaries
// and related entities, each under the key (GraphQL response name) the
// result is filed by.
type EntitySelect struct {
	Props     Props
	Positions []*PositionsAsk
	Summaries []*SummaryAsk
	Related   []*RelatedAsk
}

// Empty reports whether the select asks for nothing besides fields.
func (s *EntitySelect) Empty() bool {
	return s == nil || len(s.Positions)+len(s.Summaries)+len(s.Related) == 0
}

// Reads reports whether the select reads property p (nil: all of them).
func (s *EntitySelect) Reads(p Props) bool { return s == nil || s.Props.Has(p) }

// Props are the stored fields a plan reads of an entity or a position
// beyond those it always reads (an entity's id and kind; a position's id,
// stance and the ids of its actor and target). The zero
// Props reads every field; a store may always read more. Leaving out what
// a query does not ask for keeps Neo4j's rows small and spares it a
// property read per row and field.
type Props uint32

const (
	PropAliases Props = 1 << iota
	PropDescription
	PropURL
	PropCountry
	PropSummary
	PropTopics
	PropSourceKind
	PropPublisher
	PropPublished // publishedAt and its qualifier
	PropAuthor
	PropExternalIDs
	PropQuote     // of a position
	PropCondition // of a position
	PropStrength  // of a position
	PropSourceID  // of a position
	PropStated    // of a position: statedAt and its qualifier
	PropName      // an entity's name (a proposal's or source's title)
	// PropsChosen marks Props as chosen: without it, every field is read.
	PropsChosen
)

// Has reports whether p is read.
func (ps Props) Has(p Props) bool { return ps&PropsChosen == 0 || ps&p != 0 }

// PositionsAsk is a page of the positions of an entity on one side.
type PositionsAsk struct {
	Key    string
	Side   Role // RoleActor, RoleTarget or RoleSource: the entity's role
	List   PositionList
	Select *PositionSelect
}

// PositionSelect is what a plan reads of each position: which ends (nil
// ends are not read), and which of its fields (Props). A page's cursors
// need the fields of its order: the planner asks for them when a query
// asks for cursors.
type PositionSelect struct {
	Props                 Props
	Actor, Target, Source *EntitySelect
}

// Reads reports whether the select reads property p (nil: all of them).
func (s *PositionSelect) Reads(p Props) bool { return s == nil || s.Props.Has(p) }

// SummaryAsk asks for the stance summary of a target in a window.
type SummaryAsk struct {
	Key    string
	Window DateWindow // the positions counted; see DateWindow
}

// RelatedAsk asks for the entities at the other end of the relations of
// one type, of the given kinds, by id.
type RelatedAsk struct {
	Key    string
	Type   RelType
	Out    bool // relations leaving the entity
	Kinds  []Kind
	Select *EntitySelect
	// Edges asks for the relations too (a person's affiliations carry a
	// role and a title).
	Edges bool
}

// BackersRead reads what grouping the backers of a target takes: the
// target, its positions of one stance in a window, the PROPOSED relations
// to it, when Members the MEMBER_OF relations to the actors of those
// positions, and each actor involved. The grouping itself is the analysis
// package's.
type BackersRead struct {
	Target string
	Stance Stance
	Window DateWindow
	// Members asks for the MEMBER_OF relations, Proposers for the actors
	// of the PROPOSED relations as backers.
	Members, Proposers bool
	// Actor is what to read of each backer's actor, PosSelect of the ends
	// of each position and Via of the ends of each relation; nil: nothing.
	Actor     *EntitySelect
	PosSelect *PositionSelect
	Via       *RelationSelect
}

// MaxBackersPositions bounds the positions a backers read returns, and each
// of its lists of relations.
const MaxBackersPositions = 10000

// RelationSelect is which ends of each relation a plan reads; nil ends are
// not read.
type RelationSelect struct {
	From, To, Source *EntitySelect
}

// Result is the answer to a plan: one RootResult per RootQuery, in order.
type Result struct {
	Roots []*RootResult
}

// RootResult holds the rows of a root: IDs answers Nodes (nil where an id
// is unknown), a listing answers Entities or Positions.
type RootResult struct {
	Nodes     []any // *EntityResult, *PositionResult or nil
	Entities  *EntityPage
	Positions *PositionPage
	Backers   *BackersResult
}

// BackersResult answers a BackersRead. Target is nil when no entity has
// its id; then the rest is empty.
type BackersResult struct {
	Target *Entity
	// Positions are in store order (statedAt, then id); Truncated says
	// that more than MaxBackersPositions positions, or relations of a
	// list, matched.
	Positions []*PositionResult
	Truncated bool
	// Proposed are the PROPOSED relations to the target, Members the
	// MEMBER_OF relations to the actors of Positions (when asked); each by
	// from, then to.
	Proposed, Members []*RelationResult
	// Actors are, when Actor is set, the actors of Positions and, when
	// asked, the members and proposers, each once, by id, read as Actor
	// asks.
	Actors []*EntityResult
}

// RelationResult is a relation with the ends its RelationSelect asked for.
type RelationResult struct {
	Relation         *Relation
	From, To, Source *EntityResult
}

// EntityResult is an entity with what its EntitySelect asked for, filed by
// key.
type EntityResult struct {
	Entity    *Entity
	Positions map[string]*PositionPage
	Summaries map[string]StanceSummary
	Related   map[string][]*EntityResult
	// Relations holds, for the RelatedAsks with Edges, the relations to
	// the entities of Related under the same key, in the same order.
	Relations map[string][]*Relation
}

// PositionResult is a position with the ends its PositionSelect asked for.
type PositionResult struct {
	Position              *Position
	Actor, Target, Source *EntityResult
}

// PageFlags say what lies around a page.
type PageFlags struct {
	HasNextPage, HasPreviousPage bool
}

// EntityPage is a page of entities.
type EntityPage struct {
	Rows []*EntityResult
	PageFlags
	Total int // when asked for
}

// PositionPage is a page of positions.
type PositionPage struct {
	Rows []*PositionResult
	PageFlags
	Total     int                // when asked for
	Aggregate *PositionAggregate // when asked for
}

// PositionAggregate summarises a set of positions; actors, targets and
// sources are counted distinct.
type PositionAggregate struct {
	Count, Actors, Targets, Sources int
	ByStance                        []StanceCount // by stance, only stances present
	StatedAt                        *DateRange    // nil for no positions
}

// DateRange is the earliest and latest of a set of dates.
type DateRange struct {
	Min, Max Date
}

// StanceCount counts the positions and distinct actors of one stance.
type StanceCount struct {
	Stance        Stance
	Count, Actors int
}

// StanceSummary counts the distinct actors for and against a target.
type StanceSummary struct {
	Supporters, Opposers, Positions int
}

// Net is supporters minus opposers.
func (s StanceSummary) Net() int { return s.Supporters - s.Opposers }

// Reader executes plans. Both stores implement it.
type Reader interface {
	// Read executes a checked plan. Returns EUNAVAILABLE when the store
	// cannot answer.
	Read(ctx context.Context, p *Plan) (*Result, error)
}

// SortDirection orders a sort key.
type SortDirection string

const (
	Asc  SortDirection = "ASC"
	Desc SortDirection = "DESC"
)

// SortDirections lists every direction.
var SortDirections = enumValues[SortDirection]{Asc, Desc}

func (d SortDirection) MarshalGQL(w io.Writer) { writeQuoted(w, string(d)) }
func (d *SortDirection) UnmarshalGQL(v any) (err error) {
	*d, err = SortDirections.parse("SortDirection", v)
	return err
}

// PositionSort is one key of a positions order, as a client writes it:
// exactly one field set.
type PositionSort struct {
	StatedAt *SortDirection `json:"statedAt,omitempty"`
	Strength *SortDirection `json:"strength,omitempty"`
}

// SortKey is one checked key of a positions order.
type SortKey struct {
	Field Prop // FieldStatedAt, FieldStrength or FieldID
	Desc  bool
}

// MaxSortKeys bounds an orderBy list.
const MaxSortKeys = 4

// PositionOrder checks an orderBy list and returns the order it asks for:
// by default statedAt ascending; always ending with the id, in the direction
// of the last key, so that every order is total and its reverse is the
// reverse list.
func PositionOrder(sorts []*PositionSort, path string) ([]SortKey, error) {
	if len(sorts) > MaxSortKeys {
		return nil, FieldErrorf(path, "orderBy may list at most %d keys", MaxSortKeys)
	}
	var keys []SortKey
	for i, s := range sorts {
		if s == nil {
			return nil, FieldErrorf(path, "orderBy[%d] is null", i)
		}
		n := 0
		for _, c := range []struct {
			f Prop
			d *SortDirection
		}{{FieldStatedAt, s.StatedAt}, {FieldStrength, s.Strength}} {
			if c.d == nil {
				continue
			}
			if !SortDirections.has(*c.d) {
				return nil, FieldErrorf(path, "%q is not a sort direction", *c.d)
			}
			n++
			keys = append(keys, SortKey{Field: c.f, Desc: *c.d == Desc})
		}
		if n != 1 {
			return nil, FieldErrorf(path, "orderBy[%d] must name exactly one field", i)
		}
	}
	if len(keys) == 0 {
		keys = []SortKey{{Field: FieldStatedAt}}
	}
	return append(keys, SortKey{Field: FieldID, Desc: keys[len(keys)-1].Desc}), nil
}

// Page is a checked keyset page: Limit rows after After and before Before
// (either may be nil), the first ones or, when Backward, the last ones.
type Page struct {
	Limit    int
	Backward bool
	After    *Cursor
	Before   *Cursor
}

// Cursor is a position in an order: the values of its keys, the id last.
// On the wire it is opaque: base64 of JSON, tagged with the order so that a
// cursor of another order is refused.
type Cursor struct {
	Order string `json:"o"`
	Keys  []any  `json:"k"`
}

// Encode returns the opaque form of c.
func (c *Cursor) Encode() string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

// DecodeCursor parses an opaque cursor of the given order with n keys;
// field names the argument in errors.
func DecodeCursor(s, order string, n int, field string) (*Cursor, error) {
	bad := FieldErrorf(field, "%s is not a cursor this listing returned", field)
	if len(s) > 4096 {
		return nil, bad
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, bad
	}
	var c Cursor
	if err := json.Unmarshal(b, &c); err != nil || c.Order != order || len(c.Keys) != n {
		return nil, bad
	}
	// Each key must have the type of its field: a date, an int or text.
	fields := strings.Split(order, ",")
	for i, k := range c.Keys {
		field := ""
		if len(fields) == n {
			field = strings.TrimSuffix(fields[i], " DESC")
		}
		switch v := k.(type) {
		case string:
			if field == string(FieldStrength) || field == string(FieldStatedAt) && !validSortKey(v) {
				return nil, bad
			}
		case float64:
			if field != string(FieldStrength) || v != float64(int(v)) {
				return nil, bad
			}
			c.Keys[i] = int(v)
		default:
			return nil, bad
		}
	}
	return &c, nil
}

// validSortKey reports whether s has the shape of PartialDate.SortKey:
// two day strings, a date and a qualifier.
func validSortKey(s string) bool {
	parts := strings.Split(s, " ")
	if len(parts) != 4 || len(parts[0]) != 10 || len(parts[1]) != 10 || !Date(parts[2]).Valid() {
		return false
	}
	return parts[3] == "" || DateQualifier(parts[3]).Valid()
}

// OrderName is the tag of a positions order in its cursors.
func OrderName(keys []SortKey) string {
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(string(k.Field))
		if k.Desc {
			b.WriteString(" DESC")
		}
	}
	return b.String()
}

// SortValue returns the value of a sort key of p: a string or an int.
func SortValue(p *Position, f Prop) any {
	switch f {
	case FieldStatedAt:
		return p.Stated().SortKey()
	case FieldStrength:
		return p.Strength
	}
	return p.ID
}

// PositionCursor returns the cursor of p in an order.
func PositionCursor(keys []SortKey, p *Position) *Cursor {
	c := &Cursor{Order: OrderName(keys), Keys: make([]any, len(keys))}
	for i, k := range keys {
		c.Keys[i] = SortValue(p, k.Field)
	}
	return c
}

// EntityCursor returns the cursor of e in an entity order: its name, then
// id; or its id.
func EntityCursor(o EntityOrder, e *Entity) *Cursor {
	if o == OrderIDAsc {
		return &Cursor{Order: string(o), Keys: []any{e.ID}}
	}
	return &Cursor{Order: string(o), Keys: []any{e.Name, e.ID}}
}

// EntityCursorKeys is how many keys a cursor of the order holds.
func EntityCursorKeys(o EntityOrder) int {
	if o == OrderIDAsc {
		return 1
	}
	return 2
}

// ComparePositions compares two positions in an order.
func ComparePositions(keys []SortKey, a, b *Position) int {
	for _, k := range keys {
		c := compareValues(SortValue(a, k.Field), SortValue(b, k.Field))
		if k.Desc {
			c = -c
		}
		if c != 0 {
			return c
		}
	}
	return 0
}

// CompareToCursor compares p with a cursor of the same order.
func CompareToCursor(keys []SortKey, p *Position, c *Cursor) int {
	for i, k := range keys {
		v := compareValues(SortValue(p, k.Field), c.Keys[i])
		if k.Desc {
			v = -v
		}
		if v != 0 {
			return v
		}
	}
	return 0
}

// CompareEntityToCursor compares e with a cursor of an entity order.
func CompareEntityToCursor(o EntityOrder, e *Entity, c *Cursor) int {
	mine := EntityCursor(o, e).Keys
	for i := range mine {
		v := compareValues(mine[i], c.Keys[i])
		if o == OrderNameDesc && i == 0 {
			v = -v
		}
		if v != 0 {
			return v
		}
	}
	return 0
}

func compareValues(a, b any) int {
	switch a := a.(type) {
	case int:
		bi, _ := b.(int)
		switch {
		case a < bi:
			return -1
		case a > bi:
			return 1
		}
		return 0
	case string:
		bs, _ := b.(string)
		return strings.Compare(a, bs)
	}
	return 0
}

// PageArgs are a connection's Relay arguments as a client sends them.
type PageArgs struct {
	First, Last   *int
	After, Before *string
}

// CheckPage checks Relay arguments against an order (its cursor tag and
// number of keys): first or last, not both; each 0..MaxPageSize; first 50
// when neither is given.
func CheckPage(a PageArgs, order string, keys int) (Page, error) {
	var p Page
	if a.First != nil && a.Last != nil {
		return p, FieldErrorf("last", "first and last cannot be given together")
	}
	p.Limit = DefaultPageSize
	field := "first"
	if a.First != nil {
		p.Limit = *a.First
	}
	if a.Last != nil {
		p.Limit, p.Backward, field = *a.Last, true, "last"
	}
	if p.Limit < 0 || p.Limit > MaxPageSize {
		return p, FieldErrorf(field, "%s must be between 0 and %d, not %d", field, MaxPageSize, p.Limit)
	}
	var err error
	if a.After != nil && *a.After != "" {
		if p.After, err = DecodeCursor(*a.After, order, keys, "after"); err != nil {
			return p, err
		}
	}
	if a.Before != nil && *a.Before != "" {
		if p.Before, err = DecodeCursor(*a.Before, order, keys, "before"); err != nil {
			return p, err
		}
	}
	return p, nil
}

// MaxPlanNodes bounds how many node sets one plan may hold.
const MaxPlanNodes = 200
