package stancegraph

import (
	"testing"
	"time"
)

// intervalByParsing is Interval as it was before its fast paths: every
// date not a plain day parsed with time.Parse.
func intervalByParsing(p PartialDate) (lo, hi string) {
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

var intervalDates = []Date{"2025-01-31", "2024-02-29", "2025-02-29", "1900-02-29", "2000-02-29", "2025-04-31", "2025-13-01",
	"2025-00-10", "2025-01-00", "0000-01-01", "9999-12-31", "XXXX-12-13", "XXXX-02-29", "XXXX", "2025", "2025-06", "20a5-01-01",
	"2025-1-01", "2025/01/01", "+025-01-01", "", "2025-06-1x"}

// TestPartialDate_IntervalFastPaths: the fast paths answer as parsing does,
// for every qualifier, over valid and invalid dates.
func TestPartialDate_IntervalFastPaths(t *testing.T) {
	for _, d := range intervalDates {
		for _, q := range []DateQualifier{"", Exact, OnOrBefore, OnOrAfter, Circa} {
			p := PartialDate{Value: d, Qualifier: q}
			lo, hi := p.Interval()
			wlo, whi := intervalByParsing(p)
			if len(d) == 10 && q.canonical() == "" && d.YearKnown() {
				wlo, whi = string(d), string(d) // the plain day, never parsed
			}
			if lo != wlo || hi != whi {
				t.Errorf("%v.Interval() = %s %s, want %s %s", p, lo, hi, wlo, whi)
			}
		}
	}
}

func FuzzValidDay(f *testing.F) {
	for _, d := range intervalDates {
		f.Add(string(d))
	}
	f.Fuzz(func(t *testing.T, s string) {
		tm, err := time.Parse(time.DateOnly, s)
		want := len(s) == 10 && err == nil && tm.Format(time.DateOnly) == s
		if got := validDay(s); got != want {
			t.Errorf("validDay(%q) = %v, want %v", s, got, want)
		}
	})
}
