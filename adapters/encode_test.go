package adapters_test

import (
	"testing"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/cardkit/cardkit/adapters/offblocks"
	"github.com/cardkit/cardkit/adapters/rocketkor"
	"github.com/cardkit/cardkit/adapters/solid"
	"github.com/cardkit/cardkit/adapters/synctera"
	"github.com/cardkit/cardkit/card"
	"github.com/cardkit/cardkit/card/cardtest"
)

// TestEveryFormatEncodesAnyCard encodes generated valid cards, numbers of
// every length from 12 to 19 digits among them, in each provider's format:
// a card the format cannot carry is an error naming a field, never a panic.
func TestEveryFormatEncodesAnyCard(t *testing.T) {
	encoders := map[string]func(*card.Card) ([]byte, error){
		synctera.Name:  func(c *card.Card) ([]byte, error) { return synctera.EncodeCard(c, nil) },
		solid.Name:     func(c *card.Card) ([]byte, error) { return solid.EncodeCard(c, nil) },
		rocketkor.Name: func(c *card.Card) ([]byte, error) { return rocketkor.EncodeCard(c, nil) },
		offblocks.Name: func(c *card.Card) ([]byte, error) { return offblocks.EncodeCard(c, nil) },
	}
	for name, encode := range encoders {
		t.Run(name, func(t *testing.T) {
			rapid.Check(t, func(t *rapid.T) {
				c := cardtest.Card().Draw(t, "card")
				out, err := encode(&c)
				if err != nil {
					var ce *card.Error
					require.ErrorAs(t, err, &ce)
					require.NotEmpty(t, ce.Fields, "%v", err)
					return
				}
				require.NotEmpty(t, out)
			})
		})
	}
}

// TestOffBlocksMasksAShortNumber: a number of 12 digits has no BIN to show
// (card.BINLength); OffBlocks' maskedPan shows its last four only.
func TestOffBlocksMasksAShortNumber(t *testing.T) {
	c := cardtest.Card().Example(0)
	c.Status, c.StatusReason, c.Form = card.StatusActive, card.ReasonNEW, card.FormVirtual
	pan, err := card.CompletePAN("41234598744")
	require.NoError(t, err)
	c.SetNumber(pan)
	out, err := offblocks.EncodeCard(&c, nil)
	require.NoError(t, err)
	require.Contains(t, string(out), `"maskedPan":"********`+pan.LastFour()+`"`)
}
