package solid

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCanonicalHeaderNames(t *testing.T) {
	assert.Equal(t, http.CanonicalHeaderKey(HeaderAPIKey), canonicalAPIKey)
	assert.Equal(t, http.CanonicalHeaderKey(HeaderPersonID), canonicalPersonID)
}
