package adapters_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cardkit/cardkit/adapters/offblocks"
	"github.com/cardkit/cardkit/adapters/rocketkor"
	"github.com/cardkit/cardkit/adapters/solid"
	"github.com/cardkit/cardkit/adapters/synctera"
	"github.com/cardkit/cardkit/card"
)

// TestNilIsAnError: every translation function given nil returns a
// *card.Error naming what is missing, not a panic.
func TestNilIsAnError(t *testing.T) {
	calls := map[string]func() error{
		"synctera.EncodeCard":        func() error { _, err := synctera.EncodeCard(nil, nil); return err },
		"synctera.EncodeCardRequest": func() error { _, err := synctera.EncodeCardRequest(nil, nil); return err },
		"synctera.CardFromWire":      func() error { _, _, err := synctera.CardFromWire(nil); return err },
		"synctera.RequestFromWire":   func() error { _, _, err := synctera.RequestFromWire(nil); return err },
		"solid.EncodeCard":           func() error { _, err := solid.EncodeCard(nil, nil); return err },
		"solid.EncodeCardRequest":    func() error { _, err := solid.EncodeCardRequest(nil, nil); return err },
		"solid.CardFromWire":         func() error { _, _, err := solid.CardFromWire(nil); return err },
		"solid.RequestFromWire":      func() error { _, _, err := solid.RequestFromWire(nil); return err },
		"rocketkor.EncodeCard":       func() error { _, err := rocketkor.EncodeCard(nil, nil); return err },
		"rocketkor.EncodeIssueRequest": func() error {
			_, err := rocketkor.EncodeIssueRequest(nil, nil)
			return err
		},
		"rocketkor.RequestFromWire": func() error { _, _, err := rocketkor.RequestFromWire(nil); return err },
		"rocketkor.EncodeAccount":   func() error { _, err := rocketkor.EncodeAccount(nil, nil); return err },
		"offblocks.EncodeCard":      func() error { _, err := offblocks.EncodeCard(nil, nil); return err },
		"offblocks.EncodeCardRequest": func() error {
			_, err := offblocks.EncodeCardRequest(nil, nil)
			return err
		},
		"offblocks.CardFromWire":    func() error { _, _, err := offblocks.CardFromWire(nil); return err },
		"offblocks.RequestFromWire": func() error { _, _, err := offblocks.RequestFromWire(nil); return err },
		"synctera.CardToWire":       func() error { _, err := synctera.CardToWire(nil, nil); return err },
		"synctera.RequestToWire":    func() error { _, err := synctera.RequestToWire(nil, nil); return err },
		"solid.CardToWire":          func() error { _, err := solid.CardToWire(nil, nil); return err },
		"solid.RequestToWire":       func() error { _, err := solid.RequestToWire(nil, nil); return err },
		"solid.ReplaceRequestFromWire": func() error {
			_, _, err := solid.ReplaceRequestFromWire(nil)
			return err
		},
		"rocketkor.CardFromWire":    func() error { _, _, err := rocketkor.CardFromWire(nil); return err },
		"rocketkor.CardToWire":      func() error { _, err := rocketkor.CardToWire(nil, nil); return err },
		"rocketkor.RequestToWire":   func() error { _, err := rocketkor.RequestToWire(nil, nil); return err },
		"rocketkor.AccountFromWire": func() error { _, _, err := rocketkor.AccountFromWire(nil); return err },
		"rocketkor.AccountToWire":   func() error { _, err := rocketkor.AccountToWire(nil, nil); return err },
		"offblocks.CardToWire":      func() error { _, err := offblocks.CardToWire(nil, nil); return err },
		"offblocks.RequestToWire":   func() error { _, err := offblocks.RequestToWire(nil, nil); return err },
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			err := call()
			require.ErrorIs(t, err, card.ErrInvalid)
			var ce *card.Error
			require.ErrorAs(t, err, &ce)
			require.NotEmpty(t, ce.Fields)
		})
	}
}
