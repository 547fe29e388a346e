//go:build !race

package e2e_test

// raceSlowdown widens wall-clock bounds in tests built with -race, which
// runs this code several times slower.
const raceSlowdown = 0
