// Package rules holds the checks every store makes before it writes that the
// domain types do not make themselves, so that the implementations cannot
// differ on them.
package rules

import "github.com/cardkit/cardkit/card"

// Update checks that an update stores a newer version than it read.
func Update(op string, version, read int64) error {
	if version > read {
		return nil
	}
	var p card.Problems
	p.Add("version", card.CodeOutOfRange, "an update stores a version greater than the one it read")
	return p.Err(op)
}
