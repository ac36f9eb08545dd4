//go:build !race

package issuance_test

// raceEnabled says the tests run under the race detector.
const raceEnabled = false
