package httpapi

import (
	"context"

	"github.com/cardkit/cardkit/card"
)

// CallCard sends req and decodes the 2xx answer with decode, an adapter's
// DecodeCard. An answer that does not decode is an *Error of kind
// ErrBadResponse that wraps the adapter's *card.Error (which names the
// provider's field).
func CallCard[R any](ctx context.Context, c *Client, req Request, decode func([]byte) (card.Card, R, error)) (card.Card, Response, error) {
	resp, err := c.Do(ctx, req)
	if err != nil {
		return card.Card{}, resp, err
	}
	out, _, err := decode(resp.Body)
	if err != nil {
		return card.Card{}, resp, c.ErrorFor(req.Op, resp.Status, err)
	}
	return out, resp, nil
}

// Numbered copies the number the provider gave into BIN, LastFour and
// PANLength when the card carries the full PAN (RocketKOR's provider
// details), so that every client returns the number the same way.
func Numbered(c card.Card) card.Card {
	if !c.PAN.IsZero() {
		c.SetNumber(c.PAN)
	}
	return c
}

// Ref is the provider's id of c, ProviderRefs[provider], or a *card.Error
// naming the field when the card has none: a call about a card the
// provider never issued is refused before it is sent.
func Ref(c card.Card, provider string) (string, error) {
	id := c.ProviderRefs[provider]
	if id == "" {
		var p card.Problems
		p.Add("provider_refs."+provider, card.CodeRequired, "the card has no "+provider+" id")
		return "", p.Err(provider)
	}
	return id, nil
}
