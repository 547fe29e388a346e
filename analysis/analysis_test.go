package analysis

import (
	"math"
	"testing"

	"github.com/stancegraph/stancegraph"
)

func TestWindow_Bounds(t *testing.T) {
	for _, tc := range []struct {
		name           string
		w              Window
		from, to, fail string
	}{
		{name: "Open"},
		{name: "AsOfTightens", w: Window{To: "2025-12-31", AsOf: "2025-06-01"}, to: "2025-06-01"},
		{name: "ToTightens", w: Window{To: "2025-01-01", AsOf: "2025-06-01"}, to: "2025-01-01"},
		{name: "AsOfAlone", w: Window{From: "2025-01-01", AsOf: "2025-06-01"}, from: "2025-01-01", to: "2025-06-01"},
		{name: "ErrBadDate", w: Window{AsOf: "2025-02-30"}, fail: "asOf"},
		{name: "ErrEmpty", w: Window{From: "2025-07-01", AsOf: "2025-06-01"}, fail: "from"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			from, to, err := tc.w.Bounds()
			if tc.fail != "" {
				if stancegraph.ErrorCode(err) != stancegraph.EINVALID || stancegraph.ErrorField(err) != tc.fail {
					t.Fatalf("err = %v, want INVALID naming %s", err, tc.fail)
				}
				return
			}
			if err != nil || string(from) != tc.from || string(to) != tc.to {
				t.Fatalf("Bounds() = %q, %q, %v; want %q, %q", from, to, err, tc.from, tc.to)
			}
		})
	}
}

func TestNormalize(t *testing.T) {
	// |A| = 4, |B| = 2, 1 shared pair, x = 1.
	for _, tc := range []struct {
		n    Normalization
		want float64
	}{
		{NormNone, 1}, {NormAverage, 1.0 / 3}, {NormJaccard, 1.0 / 5}, {NormCosine, 1 / math.Sqrt(8)},
	} {
		if got := normalize(tc.n, 1, 4, 2, 1); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("%s = %v, want %v", tc.n, got, tc.want)
		}
	}
	if got := normalize(NormCosine, 0, 0, 3, 0); got != 0 {
		t.Errorf("a zero denominator gives %v, want 0", got)
	}
}

func TestMasks(t *testing.T) {
	both := supportsBit | opposesBit
	for _, tc := range []struct {
		a, b  uint8
		agree int
		clash bool
	}{
		{supportsBit, supportsBit, 1, false},
		{supportsBit, opposesBit, 0, true},
		{both, supportsBit, 1, true},
		{both, both, 2, true},
	} {
		if agree(tc.a, tc.b) != tc.agree || clash(tc.a, tc.b) != tc.clash {
			t.Errorf("masks %b, %b: agree %d clash %v", tc.a, tc.b, agree(tc.a, tc.b), clash(tc.a, tc.b))
		}
	}
}
