// Package rules holds the checks every store makes before it writes that the
// domain types do not make themselves, so that the implementations cannot
// differ on them.
package rules

import (
	"math"
	"time"

	"github.com/cardkit/cardkit/account"
	"github.com/cardkit/cardkit/card"
)

// Update checks that an update stores a newer version than it read.
func Update(op string, version, read int64) error {
	if version > read {
		return nil
	}
	var p card.Problems
	p.Add("version", card.CodeOutOfRange, "an update stores a version greater than the one it read")
	return p.Err(op)
}

// The seconds of the times a store keeps: what Unix nanoseconds in an
// int64 hold (the SQLite store's columns), 1677-09-21 to 2262-04-11, less a
// second at each end.
const (
	minUnix = math.MinInt64/int64(time.Second) + 1
	maxUnix = math.MaxInt64/int64(time.Second) - 1
)

// Kept checks that t is zero or a time a store can keep. Beyond those
// years the SQLite store's columns would wrap round silently.
func Kept(p *card.Problems, path string, t time.Time) {
	if s := t.Unix(); !t.IsZero() && (s < minUnix || s > maxUnix) {
		p.Add(path, card.CodeOutOfRange, "a store keeps times from 1677-09-21 to 2262-04-11")
	}
}

// Card checks c as the domain does, then its times as a store keeps them.
func Card(op string, c *card.Card) error {
	if err := c.Validate(); err != nil {
		return err
	}
	return stamps(op, c.CreatedAt, c.UpdatedAt)
}

// Account checks a as the domain does, then its times as a store keeps
// them.
func Account(op string, a *account.Account) error {
	if err := a.Validate(); err != nil {
		return err
	}
	return stamps(op, a.CreatedAt, a.UpdatedAt)
}

// stamps checks a record's creation and update times, the ones a store
// keeps in columns of their own.
func stamps(op string, created, updated time.Time) error {
	var p card.Problems
	Kept(&p, "created_at", created)
	Kept(&p, "updated_at", updated)
	return p.Err(op)
}

// Clamp brings t within the times a store keeps: a bound such as
// PurgeKeys' before beyond them means every time, or none.
func Clamp(t time.Time) time.Time {
	switch s := t.Unix(); {
	case s < minUnix:
		return time.Unix(minUnix, 0)
	case s > maxUnix:
		return time.Unix(maxUnix, 0)
	}
	return t
}
