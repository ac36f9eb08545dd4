package adapters_test

import (
	"bytes"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cardkit/cardkit/adapters/offblocks"
	"github.com/cardkit/cardkit/adapters/solid"
	"github.com/cardkit/cardkit/adapters/synctera"
	"github.com/cardkit/cardkit/card"
)

// TestDecodedHoldsSayWhoPlacedThem: where a provider's status tells who
// placed a hold, the decoded card says so (card.Card.HeldBy), and the
// lifecycle table then lets the right party lift it.
func TestDecodedHoldsSayWhoPlacedThem(t *testing.T) {
	sample := func(path, from, to string) []byte {
		b, err := os.ReadFile(path)
		require.NoError(t, err)
		require.True(t, bytes.Contains(b, []byte(from)), "%s has %s", path, from)
		return bytes.Replace(b, []byte(from), []byte(to), 1)
	}
	decode := map[string]func([]byte) (card.Card, error){
		"offblocks": func(b []byte) (card.Card, error) { c, _, err := offblocks.DecodeCard(b); return c, err },
		"solid":     func(b []byte) (card.Card, error) { c, _, err := solid.DecodeCard(b); return c, err },
		"synctera":  func(b []byte) (card.Card, error) { c, _, err := synctera.DecodeCard(b); return c, err },
	}
	tests := []struct {
		provider, path, from, to string
		heldBy                   card.Actor
	}{
		{"offblocks", "offblocks/testdata/card-active.response.json", `"active"`, `"inactive"`, card.ActorProgram},
		{"offblocks", "offblocks/testdata/card-active.response.json", `"active"`, `"suspended"`, card.ActorProvider},
		{"offblocks", "offblocks/testdata/card-active.response.json", `"active"`, `"active"`, 0},
		{"solid", "solid/testdata/create-card.response.json", `"pendingActivation"`, `"inactive"`, card.ActorProgram},
		{"synctera", "synctera/testdata/issue-card.response.json", `"card_status": "ACTIVE"`, `"card_status": "SUSPENDED"`, 0},
	}
	for _, tt := range tests {
		c, err := decode[tt.provider](sample(tt.path, tt.from, tt.to))
		require.NoError(t, err, "%s %s", tt.provider, tt.to)
		assert.Equal(t, tt.heldBy, c.HeldBy, "%s %s", tt.provider, tt.to)
	}
	// Synctera's "Requested by you" is the program's own hold.
	b := sample("synctera/testdata/issue-card.response.json", `"card_status": "ACTIVE"`, `"card_status": "SUSPENDED"`)
	b = bytes.Replace(b, []byte(`"status_reason": "ACT"`), []byte(`"status_reason": "REQ"`), 1)
	c, err := decode["synctera"](b)
	require.NoError(t, err)
	assert.Equal(t, card.ActorProgram, c.HeldBy)
	assert.NoError(t, card.CheckTransition(c.Status, c.HeldBy,
		card.Move{To: card.StatusActive, Reason: card.ReasonACT, By: card.ActorProgram}), "the program lifts its own hold")
}
