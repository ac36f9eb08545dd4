//go:build race

package issuance_test

// raceEnabled says the tests run under the race detector, which makes the
// longest of them ten times slower.
const raceEnabled = true
