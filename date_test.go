package stancegraph_test

import (
	"testing"

	"github.com/stancegraph/stancegraph"
)

func TestPartialDate_Interval(t *testing.T) {
	for _, tc := range []struct {
		value      stancegraph.Date
		q          stancegraph.DateQualifier
		precision  stancegraph.DatePrecision
		start, end string
	}{
		{"2025-12-13", "", stancegraph.PrecisionDay, "2025-12-13", "2025-12-13"},
		{"2025-12-13", stancegraph.Exact, stancegraph.PrecisionDay, "2025-12-13", "2025-12-13"},
		{"2025-12", "", stancegraph.PrecisionMonth, "2025-12-01", "2025-12-31"},
		{"2024-02", "", stancegraph.PrecisionMonth, "2024-02-01", "2024-02-29"},
		{"2025", "", stancegraph.PrecisionYear, "2025-01-01", "2025-12-31"},
		{"2025-12-13", stancegraph.OnOrBefore, stancegraph.PrecisionDay, "", "2025-12-13"},
		{"2025-10", stancegraph.OnOrAfter, stancegraph.PrecisionMonth, "2025-10-01", ""},
		{"2025-12-31", stancegraph.Circa, stancegraph.PrecisionDay, "2025-12-30", "2026-01-01"},
		{"2025-12", stancegraph.Circa, stancegraph.PrecisionMonth, "2025-11-01", "2026-01-31"},
		{"2025", stancegraph.Circa, stancegraph.PrecisionYear, "2024-01-01", "2026-12-31"},
		{"XXXX-12-13", stancegraph.OnOrBefore, stancegraph.PrecisionDay, "", ""},
		{"XXXX-07", "", stancegraph.PrecisionMonth, "", ""},
	} {
		d := stancegraph.PartialDate{Value: tc.value, Qualifier: tc.q}
		if err := d.Validate("statedAt"); err != nil {
			t.Errorf("%s: %v", d, err)
		}
		if got := d.Precision(); got != tc.precision {
			t.Errorf("%s: precision %s, want %s", d, got, tc.precision)
		}
		if d.Start() != tc.start || d.End() != tc.end {
			t.Errorf("%s: interval [%q, %q], want [%q, %q]", d, d.Start(), d.End(), tc.start, tc.end)
		}
	}
}

func TestDateWindow_Keeps(t *testing.T) {
	byDay := stancegraph.PartialDate{Value: "2025-12-13", Qualifier: stancegraph.OnOrBefore}
	month := stancegraph.PartialDate{Value: "2025-10"}
	noYear := stancegraph.PartialDate{Value: "XXXX-12-13", Qualifier: stancegraph.OnOrBefore}
	exact := stancegraph.PartialDate{Value: "2025-12-13"}
	for _, tc := range []struct {
		name string
		w    stancegraph.DateWindow
		d    stancegraph.PartialDate
		want bool
	}{
		{"OpenKeepsAll", stancegraph.DateWindow{}, noYear, true},
		{"FromMayOverlap", stancegraph.DateWindow{From: "2025-12-01"}, byDay, true},
		{"FromAfterEnd", stancegraph.DateWindow{From: "2025-12-14"}, byDay, false},
		{"ToKeepsOnOrBeforeAnything", stancegraph.DateWindow{To: "1990"}, byDay, true},
		{"ToBeforeMonth", stancegraph.DateWindow{To: "2025-09-30"}, month, false},
		{"ToWithinMonth", stancegraph.DateWindow{To: "2025-10-02"}, month, true},
		{"AsOfCertainly", stancegraph.DateWindow{AsOf: "2025-12"}, byDay, true},
		{"AsOfNotCertain", stancegraph.DateWindow{AsOf: "2025-12-01"}, byDay, false},
		{"AsOfMonthNotCertainMidMonth", stancegraph.DateWindow{AsOf: "2025-10-15"}, month, false},
		{"AsOfYearKeepsExact", stancegraph.DateWindow{AsOf: "2025"}, exact, true},
		{"NoYearKeptByFromAndTo", stancegraph.DateWindow{From: "2030", To: "2031"}, noYear, true},
		{"NoYearNeverCertain", stancegraph.DateWindow{AsOf: "9000"}, noYear, false},
		{"FromToExact", stancegraph.DateWindow{From: "2025-12-13", To: "2025-12-13"}, exact, true},
		{"FromExactAfter", stancegraph.DateWindow{From: "2025-12-14"}, exact, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.w.Validate(); err != nil {
				t.Fatal(err)
			}
			if got := tc.w.Keeps(tc.d); got != tc.want {
				t.Fatalf("%+v.Keeps(%s) = %v, want %v", tc.w, tc.d, got, tc.want)
			}
		})
	}
}

func TestDateWindow_Validate(t *testing.T) {
	for _, tc := range []struct {
		name  string
		w     stancegraph.DateWindow
		field string
	}{
		{"ErrBadDate", stancegraph.DateWindow{AsOf: "2025-02-30"}, "asOf"},
		{"ErrNoYear", stancegraph.DateWindow{From: "XXXX-12-13"}, "from"},
		{"ErrEmpty", stancegraph.DateWindow{From: "2025-07-01", AsOf: "2025-06"}, "from"},
		{"ErrEmptyTo", stancegraph.DateWindow{From: "2026", To: "2025-06"}, "from"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.w.Validate()
			if stancegraph.ErrorCode(err) != stancegraph.EINVALID || stancegraph.ErrorField(err) != tc.field {
				t.Fatalf("err = %v, want INVALID naming %s", err, tc.field)
			}
		})
	}
	if err := (stancegraph.DateWindow{From: "2025-06", AsOf: "2025-06-01"}).Validate(); err != nil {
		t.Fatalf("a window within one month: %v", err)
	}
}

func TestComparePartialDates(t *testing.T) {
	ordered := []stancegraph.PartialDate{
		{Value: "2025-12-13", Qualifier: stancegraph.OnOrBefore},
		{Value: "XXXX-12-13", Qualifier: stancegraph.OnOrBefore},
		{Value: "2025"},
		{Value: "2025-10-01"},
		{Value: "2025-10"},
		{Value: "2025-10-01", Qualifier: stancegraph.OnOrAfter},
	}
	for i := range ordered {
		for j := range ordered {
			got := stancegraph.ComparePartialDates(ordered[i], ordered[j])
			want := 0
			if i < j {
				want = -1
			} else if i > j {
				want = 1
			}
			if got != want {
				t.Errorf("compare(%s, %s) = %d, want %d", ordered[i], ordered[j], got, want)
			}
		}
	}
}

// The where comparisons agree with the window's from and to, and each
// keeps what may satisfy it.
func TestDateBounds(t *testing.T) {
	dates := []stancegraph.PartialDate{
		{Value: "2025-12-13"}, {Value: "2025-12"}, {Value: "2025"}, {Value: "2025-12-13", Qualifier: stancegraph.OnOrBefore},
		{Value: "2025-10", Qualifier: stancegraph.OnOrAfter}, {Value: "2025-12-31", Qualifier: stancegraph.Circa}, {Value: "XXXX-12-13"},
	}
	keeps := func(op stancegraph.DateOp, v stancegraph.Date, d stancegraph.PartialDate) bool {
		bs, err := stancegraph.DateBounds(op, v)
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range bs {
			if !b.Keeps(d) {
				return false
			}
		}
		return true
	}
	for _, d := range dates {
		for _, v := range []stancegraph.Date{"2025", "2025-12", "2025-12-13", "2026-01-01", "2024-06"} {
			if got, want := keeps(stancegraph.DateGte, v, d), (stancegraph.DateWindow{From: v}).Keeps(d); got != want {
				t.Errorf("%s gte %s = %v, from keeps %v", d, v, got, want)
			}
			if got, want := keeps(stancegraph.DateLte, v, d), (stancegraph.DateWindow{To: v}).Keeps(d); got != want {
				t.Errorf("%s lte %s = %v, to keeps %v", d, v, got, want)
			}
			if got, want := keeps(stancegraph.DateEq, v, d), (stancegraph.DateWindow{From: v, To: v}).Keeps(d); got != want {
				t.Errorf("%s eq %s = %v, from+to keep %v", d, v, got, want)
			}
			if got, want := stancegraph.CertainlyBefore(v).Keeps(d), (stancegraph.DateWindow{AsOf: v}).Keeps(d); got != want {
				t.Errorf("%s asOf %s = %v, window keeps %v", d, v, got, want)
			}
		}
	}
	for _, tc := range []struct {
		op   stancegraph.DateOp
		v    stancegraph.Date
		d    stancegraph.PartialDate
		want bool
	}{
		{stancegraph.DateLt, "2025-12", stancegraph.PartialDate{Value: "2025-12-13"}, false},
		{stancegraph.DateLt, "2025-12", stancegraph.PartialDate{Value: "2025-12-13", Qualifier: stancegraph.OnOrBefore}, true},
		{stancegraph.DateGt, "2025-12", stancegraph.PartialDate{Value: "2025-12-13"}, false},
		{stancegraph.DateGt, "2025-12", stancegraph.PartialDate{Value: "2025-12-31", Qualifier: stancegraph.Circa}, true},
		{stancegraph.DateGt, "2025", stancegraph.PartialDate{Value: "XXXX-12-13"}, true},
	} {
		if got := keeps(tc.op, tc.v, tc.d); got != tc.want {
			t.Errorf("%s %s %s = %v, want %v", tc.d, tc.op, tc.v, got, tc.want)
		}
	}
	if _, err := stancegraph.DateBounds(stancegraph.DateGte, "XXXX-12"); stancegraph.ErrorCode(err) != stancegraph.EINVALID {
		t.Errorf("a bound without a year: %v", err)
	}
}
