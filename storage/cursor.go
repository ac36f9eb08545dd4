package storage

import (
	"encoding/base64"
	"strconv"
	"strings"

	"github.com/cardkit/cardkit/card"
)

// cursorPrefix versions the cursor format.
const cursorPrefix = "c1."

// EncodeCursor makes the cursor that follows the card inserted as number seq
// in a store's insertion order. The implementations list newest first, by
// that order, so a cursor stays valid whatever is inserted after it.
func EncodeCursor(seq int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(cursorPrefix + strconv.FormatInt(seq, 10)))
}

// DecodeCursor reads a cursor made by EncodeCursor; "" is the first page,
// which DecodeCursor reports as ok with seq 0.
func DecodeCursor(s string) (seq int64, err error) {
	if s == "" {
		return 0, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil && strings.HasPrefix(string(b), cursorPrefix) {
		seq, err = strconv.ParseInt(string(b[len(cursorPrefix):]), 10, 64)
		if err == nil && seq > 0 {
			return seq, nil
		}
	}
	var p card.Problems
	p.Add("cursor", card.CodeFormat, "not a cursor this store made")
	return 0, p.Err("storage.DecodeCursor")
}
