// Package rules holds the checks every store makes before it writes that the
// domain types do not make themselves, so that the implementations cannot
// differ on them.
package rules

import (
	"math"
	"strconv"
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

// The first and last times a store keeps: what Unix nanoseconds in an
// int64 hold (the SQLite store's columns), but for the least, which the
// SQLite store reads as no time.
var (
	MinKept = time.Unix(0, math.MinInt64+1).UTC() // 1677-09-21T00:12:43.145224193Z
	MaxKept = time.Unix(0, math.MaxInt64).UTC()   // 2262-04-11T23:47:16.854775807Z
)

// Kept checks that t is zero or a time a store can keep. Beyond those
// years the SQLite store's columns would wrap round silently.
func Kept(p *card.Problems, path string, t time.Time) {
	if !t.IsZero() && (t.Before(MinKept) || t.After(MaxKept)) {
		p.Add(path, card.CodeOutOfRange, "a store keeps times from "+MinKept.Format(time.RFC3339Nano)+" to "+MaxKept.Format(time.RFC3339Nano))
	}
}

// Card checks c as the domain does, then its times as a store keeps them:
// every one, the times its document alone holds too.
func Card(op string, c *card.Card) error {
	if err := c.Validate(); err != nil {
		return err
	}
	var p card.Problems
	Kept(&p, "created_at", c.CreatedAt)
	Kept(&p, "updated_at", c.UpdatedAt)
	Kept(&p, "activated_at", c.ActivatedAt)
	Kept(&p, "pin_set_at", c.PINSetAt)
	if s := c.Shipping; s != nil {
		Kept(&p, "shipping.shipped_at", s.ShippedAt)
		Kept(&p, "shipping.eta", s.ETA)
	}
	return p.Err(op)
}

// Account checks a as the domain does, then its times as a store keeps
// them.
func Account(op string, a *account.Account) error {
	if err := a.Validate(); err != nil {
		return err
	}
	var p card.Problems
	Kept(&p, "created_at", a.CreatedAt)
	Kept(&p, "updated_at", a.UpdatedAt)
	return p.Err(op)
}

// Quote is how a store names a value it was given (a provider's reference,
// an idempotency key) in an error: quoted, with anything like a card
// number taken out, as no error may show one.
func Quote(s string) string { return strconv.Quote(card.RedactNumbers(s)) }
