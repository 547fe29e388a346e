package stancegraph

import (
	"fmt"
	"strings"
)

// The where grammar of every listing: a boolean expression in the style of
// @neo4j/graphql and Hasura. Each input type below is what a client sends;
// its Cond method checks it once and turns it into a Cond, the one form the
// backends execute.

// Bounds of a where expression, so that no request can ask for unbounded
// work in the filter alone.
const (
	MaxWhereDepth   = 8
	MaxWhereClauses = 64
	MaxInList       = 500
	// MaxFilterText bounds one text operand of a where.
	MaxFilterText = 1000
)

// StringFilter tests a text field. Tests are exact and case-sensitive.
type StringFilter struct {
	Eq         *string  `json:"eq,omitempty"`
	In         []string `json:"in,omitempty"`
	Contains   *string  `json:"contains,omitempty"`
	StartsWith *string  `json:"startsWith,omitempty"`
}

// DateFilter tests a date field; a missing date matches no test.
type DateFilter struct {
	Eq  *Date  `json:"eq,omitempty"`
	In  []Date `json:"in,omitempty"`
	Lt  *Date  `json:"lt,omitempty"`
	Lte *Date  `json:"lte,omitempty"`
	Gt  *Date  `json:"gt,omitempty"`
	Gte *Date  `json:"gte,omitempty"`
}

// IntFilter tests an integer field.
type IntFilter struct {
	Eq  *int  `json:"eq,omitempty"`
	In  []int `json:"in,omitempty"`
	Lt  *int  `json:"lt,omitempty"`
	Lte *int  `json:"lte,omitempty"`
	Gt  *int  `json:"gt,omitempty"`
	Gte *int  `json:"gte,omitempty"`
}

// KindFilter tests the kind of an entity.
type KindFilter struct {
	Eq *Kind  `json:"eq,omitempty"`
	In []Kind `json:"in,omitempty"`
}

// SourceKindFilter tests the kind of a source document.
type SourceKindFilter struct {
	Eq *SourceKind  `json:"eq,omitempty"`
	In []SourceKind `json:"in,omitempty"`
}

// StanceFilter tests the stance of a position.
type StanceFilter struct {
	Eq *Stance  `json:"eq,omitempty"`
	In []Stance `json:"in,omitempty"`
}

// ListFilter tests a list of strings.
type ListFilter struct {
	Includes *string `json:"includes,omitempty"`
}

// ActorWhere selects actors.
type ActorWhere struct {
	AND     []*ActorWhere `json:"AND,omitempty"`
	OR      []*ActorWhere `json:"OR,omitempty"`
	NOT     *ActorWhere   `json:"NOT,omitempty"`
	ID      *StringFilter `json:"id,omitempty"`
	Name    *StringFilter `json:"name,omitempty"`
	Kind    *KindFilter   `json:"kind,omitempty"`
	Country *StringFilter `json:"country,omitempty"`
	// Kinds is short for kind: { in: [...] }.
	Kinds []Kind `json:"kinds,omitempty"`
	// NameContains matches, case-insensitively, a substring of the name or
	// of an alias.
	NameContains *string `json:"nameContains,omitempty"`
}

// TargetWhere selects policy proposals and programs.
type TargetWhere struct {
	AND          []*TargetWhere `json:"AND,omitempty"`
	OR           []*TargetWhere `json:"OR,omitempty"`
	NOT          *TargetWhere   `json:"NOT,omitempty"`
	ID           *StringFilter  `json:"id,omitempty"`
	Name         *StringFilter  `json:"name,omitempty"`
	Kind         *KindFilter    `json:"kind,omitempty"`
	Topics       *ListFilter    `json:"topics,omitempty"`
	NameContains *string        `json:"nameContains,omitempty"`
	// Topic is short for topics: { includes: ... }.
	Topic *string `json:"topic,omitempty"`
}

// SourceWhere selects source documents.
type SourceWhere struct {
	AND          []*SourceWhere    `json:"AND,omitempty"`
	OR           []*SourceWhere    `json:"OR,omitempty"`
	NOT          *SourceWhere      `json:"NOT,omitempty"`
	ID           *StringFilter     `json:"id,omitempty"`
	Name         *StringFilter     `json:"name,omitempty"`
	Kind         *SourceKindFilter `json:"kind,omitempty"`
	PublishedAt  *DateFilter       `json:"publishedAt,omitempty"`
	NameContains *string           `json:"nameContains,omitempty"`
}

// PositionWhere selects positions, through their ends and source too.
type PositionWhere struct {
	AND      []*PositionWhere `json:"AND,omitempty"`
	OR       []*PositionWhere `json:"OR,omitempty"`
	NOT      *PositionWhere   `json:"NOT,omitempty"`
	ID       *StringFilter    `json:"id,omitempty"`
	Stance   *StanceFilter    `json:"stance,omitempty"`
	Strength *IntFilter       `json:"strength,omitempty"`
	StatedAt *DateFilter      `json:"statedAt,omitempty"`
	Quote    *StringFilter    `json:"quote,omitempty"`
	Actor    *ActorWhere      `json:"actor,omitempty"`
	Target   *TargetWhere     `json:"target,omitempty"`
	Source   *SourceWhere     `json:"source,omitempty"`
}

// Role is whose field a condition tests: the row itself, or for a position
// its actor, target or source.
type Role string

const (
	RoleSelf   Role = ""
	RoleActor  Role = "actor"
	RoleTarget Role = "target"
	RoleSource Role = "source"
)

// Prop is a field a condition tests. It is one of a closed set: the
// backends map each to an expression of their own.
type Prop string

const (
	FieldID           Prop = "id"
	FieldName         Prop = "name"
	FieldNameContains Prop = "nameContains" // lower-cased name or alias
	FieldKind         Prop = "kind"
	FieldCountry      Prop = "country"
	FieldTopics       Prop = "topics"
	FieldSourceKind   Prop = "sourceKind"
	FieldPublishedAt  Prop = "publishedAt"
	FieldStance       Prop = "stance"
	FieldStrength     Prop = "strength"
	FieldStatedAt     Prop = "statedAt"
	FieldQuote        Prop = "quote"
	FieldSourceID     Prop = "sourceId" // a position's source id, without reading the source
)

// Op is the test of a condition.
type Op string

const (
	OpEq         Op = "eq"
	OpIn         Op = "in"
	OpContains   Op = "contains"
	OpStartsWith Op = "startsWith"
	OpLt         Op = "lt"
	OpLte        Op = "lte"
	OpGt         Op = "gt"
	OpGte        Op = "gte"
	OpIncludes   Op = "includes"
	// OpAsOf keeps a date certainly on or before its value (the asOf of a
	// DateWindow); the where grammar does not offer it.
	OpAsOf Op = "asOf"
)

// Cond is a checked where expression. Exactly one of And, Or, Not and a
// test (Field and Op) is set; a Cond with none is true. A test on a missing
// field is false, and NOT of it true: two-valued logic on both backends.
type Cond struct {
	And []Cond
	Or  []Cond
	Not *Cond

	Role  Role
	Field Prop
	Op    Op
	// Strs holds the operands of a text, date or enum test (one, or the
	// list of in), Ints those of an integer test.
	Strs []string
	Ints []int
}

// True reports whether c is the empty condition, which every row meets.
func (c *Cond) True() bool {
	return c == nil || (c.And == nil && c.Or == nil && c.Not == nil && c.Field == "")
}

// Uses reports whether any test of c is on the given role.
func (c *Cond) Uses(r Role) bool {
	if c == nil {
		return false
	}
	if c.Field != "" && c.Role == r {
		return true
	}
	if c.Not != nil && c.Not.Uses(r) {
		return true
	}
	for i := range c.And {
		if c.And[i].Uses(r) {
			return true
		}
	}
	for i := range c.Or {
		if c.Or[i].Uses(r) {
			return true
		}
	}
	return false
}

// condBuilder turns an input into a Cond, counting clauses and depth, and
// naming the offending input field in errors (where.actor.kind.in).
type condBuilder struct {
	clauses int
}

func (b *condBuilder) count(path string) error {
	b.clauses++
	if b.clauses > MaxWhereClauses {
		return FieldErrorf(path, "a where may hold at most %d tests", MaxWhereClauses)
	}
	return nil
}

func (b *condBuilder) depth(path string, d int) error {
	if d > MaxWhereDepth {
		return FieldErrorf(path, "a where may nest at most %d levels", MaxWhereDepth)
	}
	return nil
}

// andOf joins the conjuncts of one input object.
func andOf(cs []Cond) Cond {
	switch len(cs) {
	case 0:
		return Cond{}
	case 1:
		return cs[0]
	}
	return Cond{And: cs}
}

func test(role Role, f Prop, op Op, strs []string, ints []int) Cond {
	return Cond{Role: role, Field: f, Op: op, Strs: strs, Ints: ints}
}

func checkIn(path string, n int) error {
	if n > MaxInList {
		return FieldErrorf(path+".in", "in may list at most %d values, not %d", MaxInList, n)
	}
	return nil
}

func (b *condBuilder) str(out *[]Cond, path string, role Role, f Prop, sf *StringFilter) error {
	if sf == nil {
		return nil
	}
	if err := checkIn(path, len(sf.In)); err != nil {
		return err
	}
	for _, t := range []struct {
		op Op
		v  *string
	}{{OpEq, sf.Eq}, {OpContains, sf.Contains}, {OpStartsWith, sf.StartsWith}} {
		if t.v != nil {
			if err := b.count(path); err != nil {
				return err
			}
			if len(*t.v) > MaxFilterText {
				return FieldErrorf(path+"."+string(t.op), "%s is longer than %d bytes", t.op, MaxFilterText)
			}
			*out = append(*out, test(role, f, t.op, []string{*t.v}, nil))
		}
	}
	if sf.In != nil {
		if err := b.count(path); err != nil {
			return err
		}
		*out = append(*out, test(role, f, OpIn, append([]string{}, sf.In...), nil))
	}
	return nil
}

// DateTest returns what a where test on a date compares, with the interval
// semantics of DateBounds: one alternative per value (several for `in`),
// each a conjunction of bounds on the ends of the date's interval. Both
// backends evaluate dates through it; a missing date passes no test.
func DateTest(op Op, values []string) ([][]DateBound, error) {
	if op == OpAsOf {
		if len(values) == 0 || !Date(values[0]).Valid() || !Date(values[0]).YearKnown() {
			return nil, FieldErrorf("asOf", "%q is not a date with a known year", values)
		}
		return [][]DateBound{{CertainlyBefore(Date(values[0]))}}, nil
	}
	dop := DateOp(op)
	if op == OpIn {
		dop = DateEq
	} else if len(values) > 1 {
		values = values[:1]
	}
	alts := make([][]DateBound, 0, len(values))
	for _, v := range values {
		bs, err := DateBounds(dop, Date(v))
		if err != nil {
			return nil, err
		}
		alts = append(alts, bs)
	}
	return alts, nil
}

// Conds returns the tests on a position's statedAt that keep what the
// window keeps (see DateWindow); the window must be valid.
func (w DateWindow) Conds() []Cond {
	var cs []Cond
	for _, c := range []struct {
		op Op
		d  Date
	}{{OpGte, w.From}, {OpLte, w.To}, {OpAsOf, w.AsOf}} {
		if c.d != "" {
			cs = append(cs, test(RoleSelf, FieldStatedAt, c.op, []string{string(c.d)}, nil))
		}
	}
	return cs
}

// KeepsDate reports whether a date passes a where test (see DateTest).
func KeepsDate(t *Cond, d PartialDate) bool {
	if d.Value == "" {
		return false
	}
	alts, err := DateTest(t.Op, t.Strs)
	if err != nil {
		return false
	}
	for _, bs := range alts {
		ok := true
		for _, b := range bs {
			ok = ok && b.Keeps(d)
		}
		if ok {
			return true
		}
	}
	return false
}

func (b *condBuilder) date(out *[]Cond, path string, role Role, f Prop, df *DateFilter) error {
	if df == nil {
		return nil
	}
	if err := checkIn(path, len(df.In)); err != nil {
		return err
	}
	for _, t := range []struct {
		op Op
		v  *Date
	}{{OpEq, df.Eq}, {OpLt, df.Lt}, {OpLte, df.Lte}, {OpGt, df.Gt}, {OpGte, df.Gte}} {
		if t.v == nil {
			continue
		}
		if _, err := DateTest(t.op, []string{string(*t.v)}); err != nil {
			return FieldErrorf(path+"."+string(t.op), "%q is not a date with a known year (YYYY, YYYY-MM or YYYY-MM-DD)", *t.v)
		}
		if err := b.count(path); err != nil {
			return err
		}
		*out = append(*out, test(role, f, t.op, []string{string(*t.v)}, nil))
	}
	if df.In != nil {
		vs := make([]string, len(df.In))
		for i, d := range df.In {
			if _, err := DateTest(OpIn, []string{string(d)}); err != nil {
				return FieldErrorf(path+".in", "%q is not a date with a known year (YYYY, YYYY-MM or YYYY-MM-DD)", d)
			}
			vs[i] = string(d)
		}
		if err := b.count(path); err != nil {
			return err
		}
		*out = append(*out, test(role, f, OpIn, vs, nil))
	}
	return nil
}

func (b *condBuilder) int(out *[]Cond, path string, role Role, f Prop, nf *IntFilter) error {
	if nf == nil {
		return nil
	}
	if err := checkIn(path, len(nf.In)); err != nil {
		return err
	}
	for _, t := range []struct {
		op Op
		v  *int
	}{{OpEq, nf.Eq}, {OpLt, nf.Lt}, {OpLte, nf.Lte}, {OpGt, nf.Gt}, {OpGte, nf.Gte}} {
		if t.v != nil {
			if err := b.count(path); err != nil {
				return err
			}
			*out = append(*out, test(role, f, t.op, nil, []int{*t.v}))
		}
	}
	if nf.In != nil {
		if err := b.count(path); err != nil {
			return err
		}
		*out = append(*out, test(role, f, OpIn, nil, append([]int{}, nf.In...)))
	}
	return nil
}

// enum adds the tests of an eq / in filter over an enum, checking every
// value with valid.
func enum[T ~string](b *condBuilder, out *[]Cond, path string, role Role, f Prop, eq *T, in []T, valid func(T) bool, what string) error {
	if err := checkIn(path, len(in)); err != nil {
		return err
	}
	if eq != nil {
		if !valid(*eq) {
			return FieldErrorf(path+".eq", "%q is not a valid %s", *eq, what)
		}
		if err := b.count(path); err != nil {
			return err
		}
		*out = append(*out, test(role, f, OpEq, []string{string(*eq)}, nil))
	}
	if in != nil {
		vs := make([]string, len(in))
		for i, v := range in {
			if !valid(v) {
				return FieldErrorf(path+".in", "%q is not a valid %s", v, what)
			}
			vs[i] = string(v)
		}
		if err := b.count(path); err != nil {
			return err
		}
		*out = append(*out, test(role, f, OpIn, vs, nil))
	}
	return nil
}

func (b *condBuilder) nameContains(out *[]Cond, path string, role Role, v *string) error {
	if v == nil {
		return nil
	}
	if len(*v) > MaxFilterText {
		return FieldErrorf(path, "nameContains is longer than %d bytes", MaxFilterText)
	}
	if err := b.count(path); err != nil {
		return err
	}
	*out = append(*out, test(role, FieldNameContains, OpContains, []string{strings.ToLower(*v)}, nil))
	return nil
}

// logic adds the AND, OR and NOT of an input of type W, built with sub.
func logic[W any](b *condBuilder, out *[]Cond, path string, d int, and, or []*W, not *W, sub func(w *W, path string, d int) (Cond, error)) error {
	for _, op := range []struct {
		name string
		ws   []*W
	}{{"AND", and}, {"OR", or}} {
		if op.ws == nil {
			continue
		}
		if len(op.ws) > MaxWhereClauses {
			return FieldErrorf(path+"."+op.name, "%s may list at most %d expressions", op.name, MaxWhereClauses)
		}
		cs := make([]Cond, 0, len(op.ws))
		for i, w := range op.ws {
			c, err := sub(w, fmt.Sprintf("%s.%s[%d]", path, op.name, i), d+1)
			if err != nil {
				return err
			}
			cs = append(cs, c)
		}
		if op.name == "AND" {
			*out = append(*out, Cond{And: cs})
		} else if len(cs) > 0 {
			*out = append(*out, Cond{Or: cs})
		} else {
			// OR of nothing is false.
			*out = append(*out, Cond{Not: &Cond{}})
		}
	}
	if not != nil {
		c, err := sub(not, path+".NOT", d+1)
		if err != nil {
			return err
		}
		*out = append(*out, Cond{Not: &c})
	}
	return nil
}

func (b *condBuilder) actor(w *ActorWhere, path string, role Role, d int) (Cond, error) {
	if w == nil {
		return Cond{}, nil
	}
	if err := b.depth(path, d); err != nil {
		return Cond{}, err
	}
	var cs []Cond
	err := logic(b, &cs, path, d, w.AND, w.OR, w.NOT, func(w *ActorWhere, path string, d int) (Cond, error) { return b.actor(w, path, role, d) })
	if err != nil {
		return Cond{}, err
	}
	isActor := func(k Kind) bool { return k.IsActor() }
	if err := b.str(&cs, path+".id", role, FieldID, w.ID); err != nil {
		return Cond{}, err
	}
	if err := b.str(&cs, path+".name", role, FieldName, w.Name); err != nil {
		return Cond{}, err
	}
	if w.Kind != nil {
		if err := enum(b, &cs, path+".kind", role, FieldKind, w.Kind.Eq, w.Kind.In, isActor, "actor kind"); err != nil {
			return Cond{}, err
		}
	}
	if w.Kinds != nil {
		if err := enum(b, &cs, path+".kinds", role, FieldKind, nil, w.Kinds, isActor, "actor kind"); err != nil {
			return Cond{}, err
		}
	}
	if err := b.str(&cs, path+".country", role, FieldCountry, w.Country); err != nil {
		return Cond{}, err
	}
	if err := b.nameContains(&cs, path+".nameContains", role, w.NameContains); err != nil {
		return Cond{}, err
	}
	return andOf(cs), nil
}

func (b *condBuilder) target(w *TargetWhere, path string, role Role, d int) (Cond, error) {
	if w == nil {
		return Cond{}, nil
	}
	if err := b.depth(path, d); err != nil {
		return Cond{}, err
	}
	var cs []Cond
	err := logic(b, &cs, path, d, w.AND, w.OR, w.NOT, func(w *TargetWhere, path string, d int) (Cond, error) { return b.target(w, path, role, d) })
	if err != nil {
		return Cond{}, err
	}
	if err := b.str(&cs, path+".id", role, FieldID, w.ID); err != nil {
		return Cond{}, err
	}
	if err := b.str(&cs, path+".name", role, FieldName, w.Name); err != nil {
		return Cond{}, err
	}
	if w.Kind != nil {
		isTarget := func(k Kind) bool { return k.IsStanceable() }
		if err := enum(b, &cs, path+".kind", role, FieldKind, w.Kind.Eq, w.Kind.In, isTarget, "target kind"); err != nil {
			return Cond{}, err
		}
	}
	for _, t := range []struct {
		path string
		v    *string
	}{{path + ".topics.includes", topicOf(w.Topics)}, {path + ".topic", w.Topic}} {
		if t.v == nil {
			continue
		}
		if len(*t.v) > MaxFilterText {
			return Cond{}, FieldErrorf(t.path, "a topic is longer than %d bytes", MaxFilterText)
		}
		if err := b.count(t.path); err != nil {
			return Cond{}, err
		}
		cs = append(cs, test(role, FieldTopics, OpIncludes, []string{*t.v}, nil))
	}
	if err := b.nameContains(&cs, path+".nameContains", role, w.NameContains); err != nil {
		return Cond{}, err
	}
	return andOf(cs), nil
}

func topicOf(l *ListFilter) *string {
	if l == nil {
		return nil
	}
	return l.Includes
}

func (b *condBuilder) source(w *SourceWhere, path string, role Role, d int) (Cond, error) {
	if w == nil {
		return Cond{}, nil
	}
	if err := b.depth(path, d); err != nil {
		return Cond{}, err
	}
	var cs []Cond
	err := logic(b, &cs, path, d, w.AND, w.OR, w.NOT, func(w *SourceWhere, path string, d int) (Cond, error) { return b.source(w, path, role, d) })
	if err != nil {
		return Cond{}, err
	}
	idField := FieldID
	if role == RoleSource {
		// A position knows its source's id without reading the source.
		idField = FieldSourceID
	}
	if w.ID != nil {
		r := role
		if role == RoleSource {
			r = RoleSelf
		}
		if err := b.str(&cs, path+".id", r, idField, w.ID); err != nil {
			return Cond{}, err
		}
	}
	if err := b.str(&cs, path+".name", role, FieldName, w.Name); err != nil {
		return Cond{}, err
	}
	if w.Kind != nil {
		if err := enum(b, &cs, path+".kind", role, FieldSourceKind, w.Kind.Eq, w.Kind.In, SourceKind.Valid, "source kind"); err != nil {
			return Cond{}, err
		}
	}
	if err := b.date(&cs, path+".publishedAt", role, FieldPublishedAt, w.PublishedAt); err != nil {
		return Cond{}, err
	}
	if err := b.nameContains(&cs, path+".nameContains", role, w.NameContains); err != nil {
		return Cond{}, err
	}
	return andOf(cs), nil
}

func (b *condBuilder) position(w *PositionWhere, path string, d int) (Cond, error) {
	if w == nil {
		return Cond{}, nil
	}
	if err := b.depth(path, d); err != nil {
		return Cond{}, err
	}
	var cs []Cond
	if err := logic(b, &cs, path, d, w.AND, w.OR, w.NOT, b.position); err != nil {
		return Cond{}, err
	}
	if err := b.str(&cs, path+".id", RoleSelf, FieldID, w.ID); err != nil {
		return Cond{}, err
	}
	if w.Stance != nil {
		if err := enum(b, &cs, path+".stance", RoleSelf, FieldStance, w.Stance.Eq, w.Stance.In, Stance.Valid, "stance"); err != nil {
			return Cond{}, err
		}
	}
	if err := b.int(&cs, path+".strength", RoleSelf, FieldStrength, w.Strength); err != nil {
		return Cond{}, err
	}
	if err := b.date(&cs, path+".statedAt", RoleSelf, FieldStatedAt, w.StatedAt); err != nil {
		return Cond{}, err
	}
	if err := b.str(&cs, path+".quote", RoleSelf, FieldQuote, w.Quote); err != nil {
		return Cond{}, err
	}
	for _, sub := range []func() (Cond, error){
		func() (Cond, error) { return b.actor(w.Actor, path+".actor", RoleActor, d+1) },
		func() (Cond, error) { return b.target(w.Target, path+".target", RoleTarget, d+1) },
		func() (Cond, error) { return b.source(w.Source, path+".source", RoleSource, d+1) },
	} {
		c, err := sub()
		if err != nil {
			return Cond{}, err
		}
		if !c.True() {
			cs = append(cs, c)
		}
	}
	return andOf(cs), nil
}

// Cond checks the where of a positions listing; errors name the input field
// under path (usually "where").
func (w *PositionWhere) Cond(path string) (Cond, error) {
	var b condBuilder
	return b.position(w, path, 1)
}

// Cond checks the where of an actor listing.
func (w *ActorWhere) Cond(path string) (Cond, error) {
	var b condBuilder
	return b.actor(w, path, RoleSelf, 1)
}

// Cond checks the where of a proposal or program listing.
func (w *TargetWhere) Cond(path string) (Cond, error) {
	var b condBuilder
	return b.target(w, path, RoleSelf, 1)
}

// Cond checks the where of a source listing.
func (w *SourceWhere) Cond(path string) (Cond, error) {
	var b condBuilder
	c, err := b.source(w, path, RoleSelf, 1)
	return c, err
}
