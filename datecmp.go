package stancegraph

import "strings"

// SortKey is a string whose byte order is the order of
// ComparePartialDates: the interval's first and last days (fixed width),
// then the value and the qualifier, separated by a space, which sorts
// before every character of a value. Keyset cursors and the Neo4j plan
// compiler order by it (neo4jstore stores it on every position).
func (p PartialDate) SortKey() string {
	lo, hi := p.Interval()
	return lo + " " + hi + " " + string(p.Value) + " " + string(p.Qualifier.canonical())
}

// appendSortKey appends SortKey to b.
func (p PartialDate) appendSortKey(b []byte) []byte {
	lo, hi := p.Interval()
	b = append(b, lo...)
	b = append(b, ' ')
	b = append(b, hi...)
	b = append(b, ' ')
	b = append(b, p.Value...)
	b = append(b, ' ')
	return append(b, p.Qualifier.canonical()...)
}

// CompareStated is the default order of position listings: by statedAt
// (ComparePartialDates), then id.
func CompareStated(a, b *Position) int {
	if c := ComparePartialDates(a.Stated(), b.Stated()); c != 0 {
		return c
	}
	return strings.Compare(a.ID, b.ID)
}

// DateOp is a comparison of a where filter on a date.
type DateOp string

const (
	DateEq  DateOp = "eq"
	DateLt  DateOp = "lt"
	DateLte DateOp = "lte"
	DateGt  DateOp = "gt"
	DateGte DateOp = "gte"
)

// IntervalEnd names an end of a date's interval: what a DateBound compares.
type IntervalEnd string

const (
	// IntervalStart is the first day the event may fall on (MinDay when
	// unbounded): the Neo4j property statedStart.
	IntervalStart IntervalEnd = "start"
	// IntervalFinish is the last day the event may fall on (MaxDay when
	// unbounded): the Neo4j property statedEnd.
	IntervalFinish IntervalEnd = "end"
)

// DateBound is one comparison of an interval end with a day string: End Op
// Day, with Op one of <, <=, >, >=. Backends compile it: Cypher
// `r.statedStart <= $day`, the embedded store PartialDate.Interval.
type DateBound struct {
	End IntervalEnd
	Op  string
	Day string
}

// DateBounds returns the interval comparisons of `op value` with the
// semantics of the date filters (DateWindow): a date passes when its
// interval MAY satisfy the comparison, a reduced-precision value standing
// for its whole span:
//
//	eq  v   start <= last(v) AND end >= first(v)   (the intervals overlap)
//	lt  v   start <  first(v)
//	lte v   start <= last(v)                        (as `to`)
//	gt  v   end   >  last(v)
//	gte v   end   >= first(v)                       (as `from`)
//
// Use CertainlyBefore for `asOf`. value must have a known year.
func DateBounds(op DateOp, value Date) ([]DateBound, error) {
	if !value.Valid() || !value.YearKnown() {
		return nil, FieldErrorf(string(op), "%q is not a date in the form YYYY, YYYY-MM or YYYY-MM-DD", value)
	}
	first, last := value.First(), value.Last()
	switch op {
	case DateEq:
		return []DateBound{{IntervalStart, "<=", last}, {IntervalFinish, ">=", first}}, nil
	case DateLt:
		return []DateBound{{IntervalStart, "<", first}}, nil
	case DateLte:
		return []DateBound{{IntervalStart, "<=", last}}, nil
	case DateGt:
		return []DateBound{{IntervalFinish, ">", last}}, nil
	case DateGte:
		return []DateBound{{IntervalFinish, ">=", first}}, nil
	}
	return nil, FieldErrorf(string(op), "%q is not a date comparison", op)
}

// CertainlyBefore is the bound of `asOf value`: the interval ends on or
// before the last day of value.
func CertainlyBefore(value Date) DateBound {
	return DateBound{IntervalFinish, "<=", value.Last()}
}

// Keeps reports whether a date passes the bound.
func (b DateBound) Keeps(d PartialDate) bool {
	lo, hi := d.Interval()
	x := lo
	if b.End == IntervalFinish {
		x = hi
	}
	switch b.Op {
	case "<":
		return x < b.Day
	case "<=":
		return x <= b.Day
	case ">":
		return x > b.Day
	case ">=":
		return x >= b.Day
	}
	return false
}
