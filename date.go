package stancegraph

import (
	"io"

	"time"
)

// Date is a calendar date at the precision its source gives it, in ISO 8601
// reduced precision: "2025" (a year), "2025-12" (a month) or "2025-12-13" (a
// day). When a source gives a month and day but no year, the year is
// written XXXX, ISO 8601-2's unspecified digits ("XXXX-12-13"): the date is
// then known to the day within some year, but it bounds nothing in time.
// A Date never states more than its source does.
type Date string

// DatePrecision is how much of a date a source gives.
type DatePrecision string

const (
	PrecisionDay   DatePrecision = "DAY"
	PrecisionMonth DatePrecision = "MONTH"
	PrecisionYear  DatePrecision = "YEAR"
)

// DatePrecisions lists every precision.
var DatePrecisions = enumValues[DatePrecision]{PrecisionDay, PrecisionMonth, PrecisionYear}

// DateQualifier says how a date bounds what it dates. The empty qualifier
// is EXACT.
type DateQualifier string

const (
	// Exact: the event falls within the date (its day, month or year).
	Exact DateQualifier = "EXACT"
	// OnOrBefore: the event falls within the date or before it, e.g. a
	// comment filed by the close of a comment period.
	OnOrBefore DateQualifier = "ON_OR_BEFORE"
	// OnOrAfter: the event falls within the date or after it.
	OnOrAfter DateQualifier = "ON_OR_AFTER"
	// Circa: about the date: within one unit of its precision either side.
	Circa DateQualifier = "CIRCA"
)

// DateQualifiers lists every qualifier.
var DateQualifiers = enumValues[DateQualifier]{Exact, OnOrBefore, OnOrAfter, Circa}

// The day strings that stand for an unbounded interval end. They sort
// before and after every day a Date can name, so that intervals compare
// as strings; the Neo4j store keeps them as indexed properties.
const (
	MinDay = "0000-01-01"
	MaxDay = "9999-12-31"
)

const unspecifiedYear = "XXXX"

// ParseDate checks s and returns it as a Date.
func ParseDate(s string) (Date, error) {
	d := Date(s)
	if _, _, ok := d.parse(); !ok {
		return "", Errorf(EINVALID, "%q is not a date in the form YYYY, YYYY-MM or YYYY-MM-DD (the year may be XXXX)", s)
	}
	return d, nil
}

// parse returns the first and last days the date names (MinDay and MaxDay
// when the year is unspecified), and whether it is valid.
func (d Date) parse() (first, last time.Time, ok bool) {
	s := string(d)
	anyYear := len(s) >= 4 && s[:4] == unspecifiedYear
	if anyYear {
		s = "2000" + s[4:] // a leap year, so that XXXX-02-29 is a date
	}
	var layout string
	switch len(s) {
	case 4:
		layout = "2006"
	case 7:
		layout = "2006-01"
	case 10:
		layout = time.DateOnly
	default:
		return first, last, false
	}
	t, err := time.Parse(layout, s)
	if err != nil || t.Format(layout) != s || (anyYear && len(s) == 4) {
		return first, last, false // XXXX alone says nothing
	}
	if anyYear {
		return minTime, maxTime, true
	}
	switch len(s) {
	case 4:
		return t, t.AddDate(1, 0, -1), true
	case 7:
		return t, t.AddDate(0, 1, -1), true
	}
	return t, t, true
}

// validDay reports whether s is a day YYYY-MM-DD that parse accepts, as
// time.Parse and Format do, without their cost.
func validDay(s string) bool {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return false
	}
	num := func(t string) int {
		n := 0
		for i := 0; i < len(t); i++ {
			if t[i] < '0' || t[i] > '9' {
				return -1
			}
			n = n*10 + int(t[i]-'0')
		}
		return n
	}
	y, m, d := num(s[:4]), num(s[5:7]), num(s[8:])
	if y < 0 || m < 1 || m > 12 || d < 1 {
		return false
	}
	days := [...]int{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[m-1]
	if m == 2 && y%4 == 0 && (y%100 != 0 || y%400 == 0) {
		days = 29
	}
	return d <= days
}

var (
	minTime, _ = time.Parse(time.DateOnly, MinDay)
	maxTime, _ = time.Parse(time.DateOnly, MaxDay)
)

// Valid reports whether d is a date in one of the forms of ParseDate.
func (d Date) Valid() bool { _, _, ok := d.parse(); return ok }

// Precision is the precision of a valid date.
func (d Date) Precision() DatePrecision {
	switch len(d) {
	case 4:
		return PrecisionYear
	case 7:
		return PrecisionMonth
	}
	return PrecisionDay
}

// YearKnown reports whether the date states its year.
func (d Date) YearKnown() bool { return len(d) >= 4 && d[:4] != unspecifiedYear }

// First is the first day the date names, MinDay when its year is unknown.
func (d Date) First() string { f, _, _ := d.parse(); return day(f) }

// Last is the last day the date names, MaxDay when its year is unknown.
func (d Date) Last() string { _, l, _ := d.parse(); return day(l) }

func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

func (d Date) MarshalGQL(w io.Writer) { writeQuoted(w, string(d)) }
func (d *Date) UnmarshalGQL(v any) error {
	s, ok := v.(string)
	if !ok {
		return Errorf(EINVALID, "a Date must be a string: YYYY, YYYY-MM or YYYY-MM-DD")
	}
	p, err := ParseDate(s)
	*d = p
	return err
}

// Valid reports whether q is a known qualifier or empty (EXACT).
func (q DateQualifier) Valid() bool { return q == "" || DateQualifiers.has(q) }

// Or returns q, or EXACT for the empty qualifier.
func (q DateQualifier) Or() DateQualifier {
	if q == "" {
		return Exact
	}
	return q
}

// canonical returns the stored form of q: EXACT is stored as empty.
func (q DateQualifier) canonical() DateQualifier {
	if q == Exact {
		return ""
	}
	return q
}

func (q DateQualifier) String() string         { return string(q.Or()) }
func (q DateQualifier) MarshalGQL(w io.Writer) { writeQuoted(w, string(q.Or())) }
func (q *DateQualifier) UnmarshalGQL(v any) (err error) {
	*q, err = DateQualifiers.parse("DateQualifier", v)
	return err
}
func (q DateQualifier) MarshalText() ([]byte, error) { return []byte(q), nil }
func (q *DateQualifier) UnmarshalText(b []byte) (err error) {
	if len(b) == 0 {
		*q = ""
		return nil
	}
	*q, err = DateQualifiers.parse("date qualifier", string(b))
	return err
}

func (p DatePrecision) MarshalGQL(w io.Writer) { writeQuoted(w, string(p)) }
func (p *DatePrecision) UnmarshalGQL(v any) (err error) {
	*p, err = DatePrecisions.parse("DatePrecision", v)
	return err
}

// PartialDate is a date with its qualifier: what a source says about when
// something was stated or published. Its interval is the span of days the
// event may fall on:
//
//	EXACT         [first day, last day] of the date
//	ON_OR_BEFORE  (unbounded, last day]
//	ON_OR_AFTER   [first day, unbounded)
//	CIRCA         the date widened by one unit of its precision either
//	              side: 2025-12-13 ~ [2025-12-12, 2025-12-14],
//	              2025-12 ~ [2025-11-01, 2026-01-31], 2025 ~ [2024-01-01, 2026-12-31]
//
// A date whose year is unspecified bounds nothing: its interval is
// unbounded both ways. The empty PartialDate (undated) is unbounded too.
type PartialDate struct {
	Value     Date
	Qualifier DateQualifier
}

// Validate checks the date and its qualifier; field names the date in
// errors. An empty date with a qualifier is invalid.
func (p PartialDate) Validate(field string) error {
	if p.Value == "" {
		if p.Qualifier != "" {
			return FieldErrorf(field+"Qualifier", "%sQualifier needs a %s", field, field)
		}
		return nil
	}
	if !p.Value.Valid() {
		return FieldErrorf(field, "%s %q is not a date in the form YYYY, YYYY-MM or YYYY-MM-DD (the year may be XXXX)", field, p.Value)
	}
	if !p.Qualifier.Valid() {
		return FieldErrorf(field+"Qualifier", "%q is not a valid date qualifier (valid: %v)", p.Qualifier, []DateQualifier(DateQualifiers))
	}
	return nil
}

// Precision is the precision of the date; empty when undated.
func (p PartialDate) Precision() DatePrecision {
	if p.Value == "" {
		return ""
	}
	return p.Value.Precision()
}

// Interval returns the first and last days the event may fall on, with
// MinDay and MaxDay for unbounded ends. Both are day strings, so intervals
// compare as strings.
func (p PartialDate) Interval() (lo, hi string) {
	if len(p.Value) == 10 && p.Qualifier.canonical() == "" && p.Value.YearKnown() {
		return string(p.Value), string(p.Value) // the common case, without parsing
	}
	if !p.Value.YearKnown() {
		return MinDay, MaxDay
	}
	// A day before or after: the day itself is one end, without parsing.
	if q := p.Qualifier.Or(); (q == OnOrBefore || q == OnOrAfter) && validDay(string(p.Value)) {
		if q == OnOrBefore {
			return MinDay, string(p.Value)
		}
		return string(p.Value), MaxDay
	}
	first, last, ok := p.Value.parse()
	if !ok || !p.Value.YearKnown() {
		return MinDay, MaxDay
	}
	switch p.Qualifier.Or() {
	case OnOrBefore:
		first = minTime
	case OnOrAfter:
		last = maxTime
	case Circa:
		switch p.Value.Precision() {
		case PrecisionYear:
			first, last = first.AddDate(-1, 0, 0), last.AddDate(1, 0, 0)
		case PrecisionMonth:
			first, last = first.AddDate(0, -1, 0), first.AddDate(0, 2, -1)
		default:
			first, last = first.AddDate(0, 0, -1), last.AddDate(0, 0, 1)
		}
	}
	return day(first), day(last)
}

// Start is the first day the event may fall on, or "" when unbounded.
func (p PartialDate) Start() string {
	lo, _ := p.Interval()
	if lo == MinDay {
		return ""
	}
	return lo
}

// End is the last day the event may fall on, or "" when unbounded.
func (p PartialDate) End() string {
	_, hi := p.Interval()
	if hi == MaxDay {
		return ""
	}
	return hi
}

// ComparePartialDates orders dates by their intervals: by first day, then
// last day (unbounded first and last), then by value and qualifier. It is
// the order in which stores list positions.
func ComparePartialDates(a, b PartialDate) int {
	alo, ahi := a.Interval()
	blo, bhi := b.Interval()
	for _, c := range [][2]string{{alo, blo}, {ahi, bhi}, {string(a.Value), string(b.Value)}, {string(a.Qualifier.canonical()), string(b.Qualifier.canonical())}} {
		if c[0] != c[1] {
			if c[0] < c[1] {
				return -1
			}
			return 1
		}
	}
	return 0
}

// DateWindow is the from, to and asOf arguments of a listing or an
// analysis, with interval semantics. Each bound is a Date with a known
// year; a reduced-precision bound stands for its whole span.
//
//   - From keeps what may fall on or after it: whose interval ends on or
//     after the first day of From.
//   - To keeps what may fall on or before it: whose interval starts on or
//     before the last day of To.
//   - AsOf keeps what certainly falls on or before it: whose interval ends
//     on or before the last day of AsOf. So an ON_OR_BEFORE 2025-12-13
//     position is kept by asOf 2025-12-31 and by to 2025-01-01, but not by
//     asOf 2025-12-01; a position whose year is unknown is kept by every
//     from and to, and by no asOf.
//
// Zero fields do not filter.
type DateWindow struct {
	From, To, AsOf Date
}

// IsZero reports whether the window filters nothing.
func (w DateWindow) IsZero() bool { return w == DateWindow{} }

// Validate checks the bounds: dates with a known year, and a window that
// is not empty.
func (w DateWindow) Validate() error {
	for _, c := range []struct {
		field string
		d     Date
	}{{"from", w.From}, {"to", w.To}, {"asOf", w.AsOf}} {
		if c.d == "" {
			continue
		}
		if !c.d.Valid() || !c.d.YearKnown() {
			return FieldErrorf(c.field, "%s %q is not a date in the form YYYY, YYYY-MM or YYYY-MM-DD", c.field, c.d)
		}
	}
	if w.From == "" {
		return nil
	}
	for _, c := range []struct {
		field string
		d     Date
	}{{"to", w.To}, {"asOf", w.AsOf}} {
		if c.d != "" && w.From.First() > c.d.Last() {
			return FieldErrorf("from", "from %s is after %s %s: the window is empty", w.From, c.field, c.d)
		}
	}
	return nil
}

// Limits returns the day strings a store compares intervals with: keep
// what has hi >= endFrom, lo <= startTo and hi <= endAsOf; an empty limit
// does not filter. The window must be valid.
func (w DateWindow) Limits() (endFrom, startTo, endAsOf string) {
	if w.From != "" {
		endFrom = w.From.First()
	}
	if w.To != "" {
		startTo = w.To.Last()
	}
	if w.AsOf != "" {
		endAsOf = w.AsOf.Last()
	}
	return endFrom, startTo, endAsOf
}

// Keeps reports whether the window keeps something dated d. The window
// must be valid.
func (w DateWindow) Keeps(d PartialDate) bool {
	if w.IsZero() {
		return true
	}
	lo, hi := d.Interval()
	endFrom, startTo, endAsOf := w.Limits()
	return (endFrom == "" || hi >= endFrom) && (startTo == "" || lo <= startTo) && (endAsOf == "" || hi <= endAsOf)
}

// String renders a partial date as value, with its qualifier unless EXACT.
func (p PartialDate) String() string {
	if q := p.Qualifier.canonical(); q != "" {
		return string(p.Value) + " (" + string(q) + ")"
	}
	return string(p.Value)
}
