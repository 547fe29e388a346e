package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"runtime/debug"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/graph/model"
)

// Direct answers: a query whose every field the executed plan holds is
// written as JSON straight from the plan's result, without gqlgen's walk
// of resolvers, which costs a context, a path and often a goroutine per
// field: about 15 ms for a page of 50 actors with 10 positions each,
// against well under one written directly. The writer collects fields
// as gqlgen does (graphql.CollectFields with the same type conditions) and
// marshals every value with the marshaler gqlgen would use, so both write
// the same bytes (TestDirect_SameBytes compares them over every shape the
// plans serve). Whatever it does not know how to write (an error, a null
// the schema forbids, a research field, introspection, @defer) gives the
// request back to gqlgen, which then reads the plan already executed.

// errIndirect says the writer cannot answer the request itself.
var errIndirect = errors.New("not answered directly")

// DirectAnswers is the gqlgen extension that answers plan-served queries
// directly. Its response interceptor must run inside FreshLoaders, so that
// it executes the operation's own plan: add it after.
type DirectAnswers struct{ Store stancegraph.Store }

var (
	_ graphql.OperationInterceptor = DirectAnswers{}
	_ graphql.ResponseInterceptor  = DirectAnswers{}
)

func (DirectAnswers) ExtensionName() string                          { return "DirectAnswers" }
func (DirectAnswers) Validate(schema graphql.ExecutableSchema) error { return nil }

type directKey struct{}

// Who answers an operation: streaming transports call its response
// handler until it returns nil, so the first call decides for the rest.
const (
	undecided int32 = iota
	answeredHere
	resolversAnswer
)

// InterceptOperation gives the operation the record of who answers it.
func (DirectAnswers) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	return next(context.WithValue(ctx, directKey{}, new(atomic.Int32)))
}

// InterceptResponse answers a query directly when it can, and otherwise
// lets the resolvers answer it.
func (d DirectAnswers) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	who, _ := ctx.Value(directKey{}).(*atomic.Int32)
	if who == nil || disabled(ctx) || !graphql.HasOperationContext(ctx) {
		return next(ctx)
	}
	oc := graphql.GetOperationContext(ctx)
	if oc.Operation == nil || oc.Operation.Operation != ast.Query {
		return next(ctx)
	}
	switch who.Load() {
	case answeredHere:
		return nil // the answer was the only response
	case resolversAnswer:
		return next(ctx)
	}
	data, err := writeDirect(ctx, d.Store, oc)
	if err != nil {
		who.Store(resolversAnswer)
		answeredByResolvers.Add(1)
		return next(ctx)
	}
	who.Store(answeredHere)
	answeredDirectly.Add(1)
	return &graphql.Response{Data: data, Extensions: graphql.GetExtensions(ctx)}
}

var answeredDirectly, answeredByResolvers atomic.Int64

// AnswerCounts returns how many queries were answered directly and how
// many by the resolvers, since the process started.
func AnswerCounts() (direct, resolvers int64) {
	return answeredDirectly.Load(), answeredByResolvers.Load()
}

type directOffKey struct{}

// WithoutDirectAnswers returns ctx in which every query goes through
// gqlgen's resolvers: what the tests compare direct answers with.
func WithoutDirectAnswers(ctx context.Context) context.Context {
	return context.WithValue(ctx, directOffKey{}, true)
}

func disabled(ctx context.Context) bool { return ctx.Value(directOffKey{}) != nil }

// writeDirect executes the operation's plan and writes its data. A panic
// of the writer is logged and leaves the request to the resolvers: the
// response handler may run on a goroutine of its own (withTimeout), where
// an unrecovered panic would end the process.
func writeDirect(ctx context.Context, s stancegraph.Store, oc *graphql.OperationContext) (data json.RawMessage, err error) {
	defer func() {
		if p := recover(); p != nil {
			slog.ErrorContext(ctx, "panic in the direct writer", "panic", p, "stack", string(debug.Stack()))
			data, err = nil, errIndirect
		}
	}()
	w := &writer{ctx: ctx, oc: oc, orders: map[*ast.Field][]stancegraph.SortKey{}}
	w.buf, _ = buffers.Get().(*bytes.Buffer)
	if w.buf == nil {
		w.buf = new(bytes.Buffer)
	}
	defer w.release()
	fields, err := w.collect(oc.Operation.SelectionSet, "Query")
	if err != nil {
		return nil, err
	}
	// Nothing is read for a request the writer would give back anyway.
	for _, f := range fields {
		if f.Name != "__typename" && !plannedRoot[f.Name] {
			return nil, errIndirect
		}
	}
	pl := plannedOf(ctx, s)
	err = w.object(fields, func(f graphql.CollectedField) error {
		if f.Name == "__typename" {
			w.str("Query")
			return nil
		}
		a := pl.roots[f.Alias]
		if a == nil || a.q == nil || a.err != nil {
			return errIndirect
		}
		return w.root(f, a)
	})
	if err != nil {
		return nil, err
	}
	// The answer gets its own copy, exactly its size; the buffer, grown to
	// the size answers have, serves the next one.
	data = bytes.Clone(w.buf.Bytes())
	if m, ok := ctx.Value(plainKey{}).(*PlainMark); ok && !w.escapedByMarshal {
		m.data.Store(&data)
	}
	return data, nil
}

type plainKey struct{}

// PlainMark tells a transport that the data of a response is a direct
// answer json.Marshal would copy as it is: compact, and without the
// characters it escapes. The transport then writes it without checking.
type PlainMark struct {
	data atomic.Pointer[json.RawMessage]
}

// WithPlainMark returns ctx carrying a new mark, for the operation run
// with it.
func WithPlainMark(ctx context.Context) (context.Context, *PlainMark) {
	m := new(PlainMark)
	return context.WithValue(ctx, plainKey{}, m), m
}

// Plain reports whether data is the direct answer marked plain: the very
// bytes the writer gave, not another response's.
func (m *PlainMark) Plain(data []byte) bool {
	p := m.data.Load()
	return p != nil && len(*p) > 0 && len(*p) == len(data) && &(*p)[0] == &data[0]
}

// buffers are the writers' buffers, kept between requests: an answer
// written into a fresh buffer grows it a dozen times.
var buffers sync.Pool

// maxPooled bounds the buffers kept: one that wrote a huge answer is left
// to the collector.
const maxPooled = 1 << 20

func (w *writer) release() {
	if w.buf.Cap() > maxPooled {
		return
	}
	w.buf.Reset()
	buffers.Put(w.buf)
}

// plannedRoot are the Query fields plans serve (builder.rootQuery).
var plannedRoot = map[string]bool{"actor": true, "proposal": true, "program": true, "source": true,
	"node": true, "nodes": true, "positions": true, "actors": true, "proposals": true, "programs": true, "sources": true,
	"backers": true}

// writer writes one response's data.
type writer struct {
	ctx    context.Context
	oc     *graphql.OperationContext
	buf    *bytes.Buffer
	orders map[*ast.Field][]stancegraph.SortKey // of positions fields, by field
	// escapedByMarshal says a string written holds what json.Marshal
	// escapes; until then the data is plain (see PlainMark).
	escapedByMarshal bool
	// collected are the fields of the selections collected so far.
	collected map[*ast.Selection][]collected
}

// collect collects a selection for an object of the given type names, as
// gqlgen does; a deferred fragment is left to gqlgen.
// A selection is collected once per request and type: a page of 50 rows
// would otherwise collect its node's selection 50 times.
func (w *writer) collect(set ast.SelectionSet, types ...string) ([]graphql.CollectedField, error) {
	if len(set) == 0 || len(types) == 0 {
		return nil, nil
	}
	first, last := types[0], types[len(types)-1]
	entries := w.collected[&set[0]]
	for _, e := range entries {
		if e.n == len(set) && e.types == len(types) && e.first == first && e.last == last {
			return e.fields, nil
		}
	}
	fields := graphql.CollectFields(w.oc, set, types)
	for _, f := range fields {
		if len(f.Deferrables) > 0 && !f.IsNonDeferrable {
			return nil, errIndirect
		}
	}
	if w.collected == nil {
		w.collected = map[*ast.Selection][]collected{}
	}
	w.collected[&set[0]] = append(entries, collected{n: len(set), first: first, last: last, types: len(types), fields: fields})
	return fields, nil
}

// collected are the fields of a selection set (by its first selection and
// its length) for a list of type conditions. The writer's type lists are
// fixed per type, so their first and last names and their length tell
// them apart.
type collected struct {
	n           int
	first, last string
	types       int
	fields      []graphql.CollectedField
}

// object writes {"alias":value,...} for fields, value writing each. A
// name collected twice under different type conditions (__typename asked
// on two interfaces) is written once, the first, as gqlgen does.
func (w *writer) object(fields []graphql.CollectedField, value func(graphql.CollectedField) error) error {
	w.buf.WriteByte('{')
	for i, f := range fields {
		if written(fields[:i], f.Alias) {
			continue
		}
		if i > 0 {
			w.buf.WriteByte(',')
		}
		w.str(f.Alias)
		w.buf.WriteByte(':')
		if err := value(f); err != nil {
			return err
		}
	}
	w.buf.WriteByte('}')
	return nil
}

func written(fields []graphql.CollectedField, alias string) bool {
	for _, f := range fields {
		if f.Alias == alias {
			return true
		}
	}
	return false
}

// list writes [v0,v1,...].
func (w *writer) list(n int, value func(i int) error) error {
	w.buf.WriteByte('[')
	for i := range n {
		if i > 0 {
			w.buf.WriteByte(',')
		}
		if err := value(i); err != nil {
			return err
		}
	}
	w.buf.WriteByte(']')
	return nil
}

// str writes s as gqlgen's graphql.MarshalString does: quoted, with the
// quote, the backslash and the control characters escaped, every other
// byte as it is (TestWriter_Quoting holds the two together).
func (w *writer) str(s string) {
	w.buf.WriteByte('"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch strClass[c] {
		case plainByte:
			continue
		case htmlByte:
			// json.Marshal escapes these, and U+2028 and U+2029.
			if c != 0xE2 || i+2 < len(s) && s[i+1] == 0x80 && (s[i+2] == 0xA8 || s[i+2] == 0xA9) {
				w.escapedByMarshal = true
			}
			continue
		}
		w.buf.WriteString(s[start:i])
		switch c {
		case '\t':
			w.buf.WriteString(`\t`)
		case '\r':
			w.buf.WriteString(`\r`)
		case '\n':
			w.buf.WriteString(`\n`)
		case '\\':
			w.buf.WriteString(`\\`)
		case '"':
			w.buf.WriteString(`\"`)
		default:
			w.buf.WriteString(`\u00`)
			w.buf.WriteByte(hexDigits[c>>4])
			w.buf.WriteByte(hexDigits[c&0xf])
		}
		start = i + 1
	}
	w.buf.WriteString(s[start:])
	w.buf.WriteByte('"')
}

// Classes of bytes in a string: written as they are, escaped, or written
// as they are but escaped by json.Marshal (<, >, &, and the first byte of
// U+2028 and U+2029).
const (
	plainByte = iota
	escapeByte
	htmlByte
)

var strClass = func() (t [256]uint8) {
	for c := range 0x20 {
		t[c] = escapeByte
	}
	t['"'], t['\\'] = escapeByte, escapeByte
	t['<'], t['>'], t['&'], t[0xE2] = htmlByte, htmlByte, htmlByte, htmlByte
	return t
}()

const hexDigits = "0123456789ABCDEF"

// quoted writes an enum value or a date as its MarshalGQL does
// (strconv.Quote), without the copy strconv.Quote makes when the value is
// printable ASCII needing no escape, as every enum value and date is.
func quoted[T ~string](w *writer, v T) {
	s := string(v)
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' || strClass[c] == htmlByte {
			w.buf.WriteString(strconv.Quote(s))
			w.escapedByMarshal = true // perhaps: json.Marshal will see
			return
		}
	}
	w.buf.WriteByte('"')
	w.buf.WriteString(s)
	w.buf.WriteByte('"')
}
func (w *writer) int(n int) { w.buf.WriteString(strconv.Itoa(n)) }
func (w *writer) null()     { w.buf.WriteString("null") }

func (w *writer) bool(b bool) {
	if b {
		w.buf.WriteString("true")
	} else {
		w.buf.WriteString("false")
	}
}

// strOrNull writes s, or null for "".
func (w *writer) strOrNull(s string) {
	if s == "" {
		w.null()
		return
	}
	w.str(s)
}

func (w *writer) strs(ss []string) {
	_ = w.list(len(ss), func(i int) error { w.str(ss[i]); return nil })
}

// root writes a planned root field.
func (w *writer) root(f graphql.CollectedField, a *rootAnswer) error {
	switch f.Name {
	case "positions":
		return w.positionConnection(f, a.res.Positions, a.q.Positions.Order)
	case "actors", "proposals", "programs", "sources":
		return w.entityConnection(f, a.res.Entities, a.q.Entities.Order)
	case "nodes":
		return w.list(len(a.res.Nodes), func(i int) error { return w.node(f, a.res.Nodes[i], "Node") })
	case "backers":
		return w.backers(f, a.q.Backers, a.res.Backers)
	}
	if len(a.res.Nodes) == 0 {
		w.null()
		return nil
	}
	typ := map[string]string{"actor": "Actor", "proposal": "PolicyProposal", "program": "Program", "source": "Source", "node": "Node"}[f.Name]
	return w.node(f, a.res.Nodes[0], typ)
}

// node writes a plan's node as the GraphQL type typ: null when it is
// nothing or not of that type, as the resolvers answer.
func (w *writer) node(f graphql.CollectedField, n any, typ string) error {
	switch n := n.(type) {
	case *stancegraph.EntityResult:
		if n == nil || !isA(n.Entity, typ) {
			w.null()
			return nil
		}
		return w.entity(f.Selections, n)
	case *stancegraph.PositionResult:
		if n == nil || typ != "Node" {
			w.null()
			return nil
		}
		return w.position(f.Selections, n)
	}
	w.null()
	return nil
}

// typeView is the GraphQL type of a kind: its name and the type
// conditions its objects satisfy, as gqlgen's implementors lists name them.
type typeView struct {
	name  string
	types []string
}

var typeViews = func() map[stancegraph.Kind]typeView {
	m := map[stancegraph.Kind]typeView{}
	for _, k := range stancegraph.Kinds {
		n := model.Wrap(&stancegraph.Entity{Kind: k})
		if n == nil {
			continue
		}
		v := typeView{name: model.TypeName(n), types: []string{model.TypeName(n), "Node"}}
		switch n.(type) {
		case model.Actor:
			v.types = append(v.types, "Actor")
		case model.Stanceable:
			v.types = append(v.types, "Stanceable")
		}
		m[k] = v
	}
	return m
}()

// isA reports whether entity e is of the GraphQL type typ: its own type,
// or an interface its type implements.
func isA(e *stancegraph.Entity, typ string) bool {
	if e == nil {
		return false
	}
	v, ok := typeViews[e.Kind]
	return ok && slices.Contains(v.types, typ)
}

// entity writes an entity with the fields its selection asks.
func (w *writer) entity(set ast.SelectionSet, er *stancegraph.EntityResult) error {
	v, ok := typeViews[er.Entity.Kind]
	if !ok {
		return errIndirect
	}
	fields, err := w.collect(set, v.types...)
	if err != nil {
		return err
	}
	e := er.Entity
	return w.object(fields, func(f graphql.CollectedField) error {
		switch f.Name {
		case "__typename":
			w.str(v.name)
		case "id":
			w.str(e.ID)
		case "kind":
			if e.Kind == stancegraph.KindSource {
				quoted(w, e.SourceKind)
			} else {
				quoted(w, e.Kind)
			}
		case "name", "title":
			w.str(e.Name)
		case "aliases":
			w.strs(e.Aliases)
		case "topics":
			w.strs(e.Topics)
		case "description":
			w.strOrNull(e.Description)
		case "url":
			w.strOrNull(e.URL)
		case "country":
			w.strOrNull(e.Country)
		case "summary":
			w.strOrNull(e.Summary)
		case "publisher":
			w.strOrNull(e.Publisher)
		case "author":
			w.strOrNull(e.Author)
		case "publishedAt":
			w.dateOrNull(e.PublishedAt)
		case "publishedAtDetail":
			return w.dateDetailOrNull(f.Selections, e.Published())
		case "externalIds":
			return w.externalIDs(f.Selections, e.ExternalIDs)
		case "positions":
			page := er.Positions[f.Alias]
			if page == nil {
				return errIndirect
			}
			order, err := w.positionOrder(f)
			if err != nil {
				return err
			}
			return w.positionConnection(f, page, order)
		case "stanceSummary":
			sum, ok := er.Summaries[f.Alias]
			if !ok {
				return errIndirect
			}
			return w.summary(f.Selections, sum)
		case "affiliations":
			return w.affiliations(f, er)
		default:
			if _, ok := relationFields[f.Name]; !ok {
				return errIndirect
			}
			return w.related(f, er)
		}
		return nil
	})
}

// related writes a field listing related entities, keeping those of the
// field's type as relatedField does; parent is the first or null.
func (w *writer) related(f graphql.CollectedField, er *stancegraph.EntityResult) error {
	rs, ok := er.Related[f.Alias]
	if !ok {
		return errIndirect
	}
	typ := f.Definition.Type
	var kept []*stancegraph.EntityResult
	for _, r := range rs {
		if isA(r.Entity, typ.Name()) {
			kept = append(kept, r)
		}
	}
	if typ.Elem == nil { // a single entity: parent
		if len(kept) == 0 {
			w.null()
			return nil
		}
		return w.entity(f.Selections, kept[0])
	}
	return w.list(len(kept), func(i int) error { return w.entity(f.Selections, kept[i]) })
}

// affiliations writes a person's affiliations as plannedAffiliations
// reads them.
func (w *writer) affiliations(f graphql.CollectedField, er *stancegraph.EntityResult) error {
	orgs, ok := er.Related[f.Alias]
	rels := er.Relations[f.Alias]
	if !ok || len(rels) != len(orgs) {
		return errIndirect
	}
	var kept []int
	for i, o := range orgs {
		if isA(o.Entity, "Actor") {
			kept = append(kept, i)
		}
	}
	fields, err := w.collect(f.Selections, "Affiliation")
	if err != nil {
		return err
	}
	return w.list(len(kept), func(k int) error {
		i := kept[k]
		return w.object(fields, func(af graphql.CollectedField) error {
			switch af.Name {
			case "__typename":
				w.str("Affiliation")
			case "organization":
				return w.entity(af.Selections, orgs[i])
			case "role":
				w.strOrNull(rels[i].Role)
			case "title":
				w.strOrNull(rels[i].Title)
			default:
				return errIndirect
			}
			return nil
		})
	})
}

func (w *writer) externalIDs(set ast.SelectionSet, xs []stancegraph.ExternalID) error {
	fields, err := w.collect(set, "ExternalId")
	if err != nil {
		return err
	}
	return w.list(len(xs), func(i int) error {
		return w.object(fields, func(f graphql.CollectedField) error {
			switch f.Name {
			case "__typename":
				w.str("ExternalId")
			case "scheme":
				w.str(xs[i].Scheme)
			case "value":
				w.str(xs[i].Value)
			default:
				return errIndirect
			}
			return nil
		})
	})
}

func (w *writer) partialDate(set ast.SelectionSet, d stancegraph.PartialDate) error {
	fields, err := w.collect(set, "PartialDate")
	if err != nil {
		return err
	}
	return w.object(fields, func(f graphql.CollectedField) error {
		switch f.Name {
		case "__typename":
			w.str("PartialDate")
		case "value":
			quoted(w, d.Value)
		case "precision":
			quoted(w, d.Precision())
		case "qualifier":
			quoted(w, d.Qualifier.Or()) // as DateQualifier.MarshalGQL
		case "start":
			w.dayOrNull(d.Start())
		case "end":
			w.dayOrNull(d.End())
		default:
			return errIndirect
		}
		return nil
	})
}

// dateOrNull writes a date, null when there is none.
func (w *writer) dateOrNull(d stancegraph.Date) {
	if d == "" {
		w.null()
		return
	}
	quoted(w, d)
}

// dateDetailOrNull writes a date with its detail, null when there is none.
func (w *writer) dateDetailOrNull(set ast.SelectionSet, d stancegraph.PartialDate) error {
	if d.Value == "" {
		w.null()
		return nil
	}
	return w.partialDate(set, d)
}

func (w *writer) dayOrNull(day string) {
	if day == "" {
		w.null()
		return
	}
	quoted(w, day)
}

func (w *writer) summary(set ast.SelectionSet, s stancegraph.StanceSummary) error {
	fields, err := w.collect(set, "StanceSummary")
	if err != nil {
		return err
	}
	return w.object(fields, func(f graphql.CollectedField) error {
		switch f.Name {
		case "__typename":
			w.str("StanceSummary")
		case "supporters":
			w.int(s.Supporters)
		case "opposers":
			w.int(s.Opposers)
		case "positions":
			w.int(s.Positions)
		case "net":
			w.int(s.Net())
		default:
			return errIndirect
		}
		return nil
	})
}

// position writes a position and the ends its selection asks for.
func (w *writer) position(set ast.SelectionSet, pr *stancegraph.PositionResult) error {
	fields, err := w.collect(set, "Position", "Node")
	if err != nil {
		return err
	}
	p := pr.Position
	return w.object(fields, func(f graphql.CollectedField) error {
		switch f.Name {
		case "__typename":
			w.str("Position")
		case "id":
			w.str(p.ID)
		case "stance":
			quoted(w, p.Stance)
		case "strength":
			w.int(p.Strength)
		case "quote":
			w.str(p.Quote)
		case "statedAt":
			quoted(w, p.StatedAt)
		case "statedAtDetail":
			return w.partialDate(f.Selections, p.Stated())
		case "condition":
			w.strOrNull(p.Condition)
		case "actor":
			return w.end(f, pr.Actor, "Actor")
		case "target":
			return w.end(f, pr.Target, "Stanceable")
		case "source":
			return w.end(f, pr.Source, "Source")
		default:
			return errIndirect
		}
		return nil
	})
}

// end writes a position's actor, target or source: never null, so one
// the plan does not hold (or holds as another type) is gqlgen's to report.
func (w *writer) end(f graphql.CollectedField, er *stancegraph.EntityResult, typ string) error {
	if er == nil || !isA(er.Entity, typ) {
		return errIndirect
	}
	return w.entity(f.Selections, er)
}

// positionOrder returns the order of a positions field, as its resolver
// reads it from the arguments; once per field of the operation.
func (w *writer) positionOrder(f graphql.CollectedField) ([]stancegraph.SortKey, error) {
	if o, ok := w.orders[f.Field]; ok {
		return o, nil
	}
	var a connArgs
	b := &builder{oc: w.oc}
	if err := b.args(f, &a); err != nil {
		return nil, errIndirect
	}
	list, err := positionList(a)
	if err != nil {
		return nil, errIndirect
	}
	w.orders[f.Field] = list.Order
	return list.Order, nil
}

// positionConnection writes a page of positions in an order.
func (w *writer) positionConnection(f graphql.CollectedField, page *stancegraph.PositionPage, order []stancegraph.SortKey) error {
	if page == nil {
		return errIndirect
	}
	if err := w.tick(); err != nil {
		return err
	}
	name := stancegraph.OrderName(order) // once a page, not once a row
	cs := &cursors{n: len(page.Rows), appendTo: func(b []byte, i int) []byte {
		return stancegraph.AppendPositionCursor(b, name, order, page.Rows[i].Position)
	}}
	fields, err := w.collect(f.Selections, "PositionConnection")
	if err != nil {
		return err
	}
	return w.object(fields, func(cf graphql.CollectedField) error {
		switch cf.Name {
		case "__typename":
			w.str("PositionConnection")
		case "totalCount":
			w.int(page.Total)
		case "pageInfo":
			return w.pageInfo(cf.Selections, page.PageFlags, cs)
		case "aggregate":
			return w.aggregate(cf.Selections, page.Aggregate)
		case "edges":
			return w.edges(cf.Selections, "PositionEdge", cs, func(i int, set ast.SelectionSet) error {
				return w.position(set, page.Rows[i])
			})
		default:
			return errIndirect
		}
		return nil
	})
}

// edges writes the edges of a connection of type typ: each its cursor and
// its node, which node writes with the node's selection.
func (w *writer) edges(set ast.SelectionSet, typ string, cs *cursors, node func(i int, set ast.SelectionSet) error) error {
	efs, err := w.collect(set, typ)
	if err != nil {
		return err
	}
	return w.list(cs.n, func(i int) error {
		return w.object(efs, func(ef graphql.CollectedField) error {
			switch ef.Name {
			case "__typename":
				w.str(typ)
			case "cursor":
				w.cursor(cs, i)
			case "node":
				return node(i, ef.Selections)
			default:
				return errIndirect
			}
			return nil
		})
	})
}

// tick is called before each page: the writer stops once the request
// has ended.
func (w *writer) tick() error { return w.ctx.Err() }

// cursors are the cursors of a page's rows, written when asked: most
// queries ask for them once a row, if at all.
type cursors struct {
	n        int
	appendTo func(b []byte, i int) []byte // appends the cursor of row i
}

// cursor writes the cursor of row i: base64, quoted as w.str quotes it.
func (w *writer) cursor(c *cursors, i int) {
	w.buf.WriteByte('"')
	w.buf.Write(c.appendTo(w.buf.AvailableBuffer(), i))
	w.buf.WriteByte('"')
}

func (w *writer) pageInfo(set ast.SelectionSet, flags stancegraph.PageFlags, cs *cursors) error {
	fields, err := w.collect(set, "PageInfo")
	if err != nil {
		return err
	}
	n := cs.n
	return w.object(fields, func(f graphql.CollectedField) error {
		switch f.Name {
		case "__typename":
			w.str("PageInfo")
		case "hasNextPage":
			w.bool(flags.HasNextPage)
		case "hasPreviousPage":
			w.bool(flags.HasPreviousPage)
		case "startCursor", "endCursor":
			if n == 0 {
				w.null()
			} else if f.Name == "startCursor" {
				w.cursor(cs, 0)
			} else {
				w.cursor(cs, n-1)
			}
		default:
			return errIndirect
		}
		return nil
	})
}

func (w *writer) aggregate(set ast.SelectionSet, a *stancegraph.PositionAggregate) error {
	if a == nil {
		a = &stancegraph.PositionAggregate{}
	}
	fields, err := w.collect(set, "PositionAggregate")
	if err != nil {
		return err
	}
	return w.object(fields, func(f graphql.CollectedField) error {
		switch f.Name {
		case "__typename":
			w.str("PositionAggregate")
		case "count":
			w.int(a.Count)
		case "actors":
			w.int(a.Actors)
		case "targets":
			w.int(a.Targets)
		case "sources":
			w.int(a.Sources)
		case "statedAt":
			if a.StatedAt == nil {
				w.null()
				return nil
			}
			rfs, err := w.collect(f.Selections, "DateRange")
			if err != nil {
				return err
			}
			return w.object(rfs, func(rf graphql.CollectedField) error {
				switch rf.Name {
				case "__typename":
					w.str("DateRange")
				case "min":
					quoted(w, a.StatedAt.Min)
				case "max":
					quoted(w, a.StatedAt.Max)
				default:
					return errIndirect
				}
				return nil
			})
		case "byStance":
			sfs, err := w.collect(f.Selections, "StanceCount")
			if err != nil {
				return err
			}
			return w.list(len(a.ByStance), func(i int) error {
				sc := a.ByStance[i]
				return w.object(sfs, func(sf graphql.CollectedField) error {
					switch sf.Name {
					case "__typename":
						w.str("StanceCount")
					case "stance":
						quoted(w, sc.Stance)
					case "count":
						w.int(sc.Count)
					case "actors":
						w.int(sc.Actors)
					default:
						return errIndirect
					}
					return nil
				})
			})
		default:
			return errIndirect
		}
		return nil
	})
}

// connectionTypes are the connection and edge types of each entity
// listing, and the type of its nodes.
var connectionTypes = map[string][3]string{
	"actors":    {"ActorConnection", "ActorEdge", "Actor"},
	"proposals": {"ProposalConnection", "ProposalEdge", "PolicyProposal"},
	"programs":  {"ProgramConnection", "ProgramEdge", "Program"},
	"sources":   {"SourceConnection", "SourceEdge", "Source"},
}

// entityConnection writes a page of an entity listing.
func (w *writer) entityConnection(f graphql.CollectedField, page *stancegraph.EntityPage, order stancegraph.EntityOrder) error {
	if page == nil {
		return errIndirect
	}
	if err := w.tick(); err != nil {
		return err
	}
	types := connectionTypes[f.Name]
	for _, er := range page.Rows {
		if !isA(er.Entity, types[2]) {
			return errIndirect // a non-null node of another type
		}
	}
	cs := &cursors{n: len(page.Rows), appendTo: func(b []byte, i int) []byte {
		return append(b, stancegraph.EntityCursor(order, page.Rows[i].Entity).Encode()...)
	}}
	fields, err := w.collect(f.Selections, types[0])
	if err != nil {
		return err
	}
	return w.object(fields, func(cf graphql.CollectedField) error {
		switch cf.Name {
		case "__typename":
			w.str(types[0])
		case "totalCount":
			w.int(page.Total)
		case "pageInfo":
			return w.pageInfo(cf.Selections, page.PageFlags, cs)
		case "edges":
			return w.edges(cf.Selections, types[1], cs, func(i int, set ast.SelectionSet) error {
				return w.entity(set, page.Rows[i])
			})
		default:
			return errIndirect
		}
		return nil
	})
}

// backers writes the backers of a target as backersField groups them; an
// unknown target or a truncated read is the resolvers' to report.
func (w *writer) backers(f graphql.CollectedField, br *stancegraph.BackersRead, r *stancegraph.BackersResult) error {
	if br == nil || r == nil {
		return errIndirect
	}
	bs, err := groupBackers(br, r)
	if err != nil {
		return errIndirect
	}
	ends := make(map[*stancegraph.Position]*stancegraph.PositionResult, len(r.Positions))
	for _, pr := range r.Positions {
		ends[pr.Position] = pr
	}
	rels := make(map[*stancegraph.Relation]*stancegraph.RelationResult, len(r.Proposed)+len(r.Members))
	for _, rrs := range [][]*stancegraph.RelationResult{r.Proposed, r.Members} {
		for _, rr := range rrs {
			rels[rr.Relation] = rr
		}
	}
	actors := make(map[string]*stancegraph.EntityResult, len(r.Actors))
	for _, er := range r.Actors {
		actors[er.Entity.ID] = er
	}
	fields, err := w.collect(f.Selections, "Backer")
	if err != nil {
		return err
	}
	return w.list(len(bs), func(i int) error {
		b := bs[i]
		return w.object(fields, func(bf graphql.CollectedField) error {
			switch bf.Name {
			case "__typename":
				w.str("Backer")
			case "actor":
				return w.end(bf, actors[b.ActorID], "Actor")
			case "proposed":
				w.bool(b.Proposed)
			case "direct":
				w.bool(b.Direct)
			case "positions":
				return w.list(len(b.Positions), func(j int) error {
					pr := ends[b.Positions[j]]
					if pr == nil {
						return errIndirect
					}
					return w.position(bf.Selections, pr)
				})
			case "via":
				return w.list(len(b.Via), func(j int) error {
					rr := rels[b.Via[j]]
					if rr == nil {
						return errIndirect
					}
					return w.relation(bf.Selections, rr)
				})
			default:
				return errIndirect
			}
			return nil
		})
	})
}

// relation writes a relation with the ends the plan read; an end it did
// not read is the resolvers' to load.
func (w *writer) relation(set ast.SelectionSet, rr *stancegraph.RelationResult) error {
	fields, err := w.collect(set, "Relation")
	if err != nil {
		return err
	}
	rel := rr.Relation
	return w.object(fields, func(f graphql.CollectedField) error {
		switch f.Name {
		case "__typename":
			w.str("Relation")
		case "type":
			quoted(w, rel.Type)
		case "from":
			return w.end(f, rr.From, "Node")
		case "to":
			return w.end(f, rr.To, "Node")
		case "source":
			if rel.SourceID == "" {
				w.null()
				return nil
			}
			return w.end(f, rr.Source, "Source")
		case "role":
			w.str(rel.Role) // String, written "" when empty, as gqlgen does
		case "title":
			w.str(rel.Title)
		case "quote":
			w.strOrNull(rel.Quote)
		case "statedAt":
			w.dateOrNull(rel.StatedAt)
		case "statedAtDetail":
			return w.dateDetailOrNull(f.Selections, rel.Stated())
		default:
			return errIndirect
		}
		return nil
	})
}
