package analysis

import (
	"math"
	"testing"
)

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
