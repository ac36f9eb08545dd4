package sqlite

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/cardkit/cardkit/account"
	"github.com/cardkit/cardkit/card"
	"github.com/cardkit/cardkit/card/cardtest"
)

// TestDocsDecodeAsEncodingJSON: the stored documents are written with
// encoding/json and read with decodeDoc; both must read every document
// alike. Generated values go through json.Marshal and both decoders.
func TestDocsDecodeAsEncodingJSON(t *testing.T) {
	t.Run("card", func(t *testing.T) {
		rapid.Check(t, func(t *rapid.T) {
			sameDecode[card.Card](t, anyCard().Draw(t, "card"))
		})
	})
	t.Run("account", func(t *testing.T) {
		rapid.Check(t, func(t *rapid.T) { sameDecode[account.Account](t, anyAccount().Draw(t, "account")) })
	})
}

// TestDocsEditedByHandDecodeAsEncodingJSON: what encoding/json reads in a
// document it did not write (names in another case, a repeated name,
// invalid UTF-8, a null), decodeDoc reads alike.
func TestDocsEditedByHandDecodeAsEncodingJSON(t *testing.T) {
	for _, doc := range []string{
		`{"Tenant":"initech","STATUS":"ACTIVE","Last_Four":"1234","last_four":"5678"}`,
		`{"lastfour":"1234","last-four":"5678","accountid":"a"}`,
		`{"tenant":"a","tenant":"b","metadata":{"k":"1","k":"2"}}`,
		"{\"tenant\":\"in\xffvalid\",\"label\":\"\\ud800\"}",
		`{"tenant":null,"expiry":null,"fingerprint":null,"created_at":null,"status":null,"metadata":null}`,
		`{"created_at":"2026-04-01T12:00:00+01:00","expiry":"2030-03"}`,
	} {
		t.Run(doc, func(t *testing.T) {
			var want, got card.Card
			require.NoError(t, json.Unmarshal([]byte(doc), &want))
			require.NoError(t, decodeDoc([]byte(doc), &got))
			require.Equal(t, want, got)
		})
	}
	var want, got account.Account
	doc := []byte(`{"TENANT":"initech","Name":"Spending","name":"Bills"}`)
	require.NoError(t, json.Unmarshal(doc, &want))
	require.NoError(t, decodeDoc(doc, &got))
	require.Equal(t, want, got)
}

func sameDecode[T any](t *rapid.T, v T) {
	doc, err := json.Marshal(v)
	if err != nil {
		t.Skip("not encodable:", err) // an arbitrary value may hold an invalid enum
	}
	var want, got T
	require.NoError(t, json.Unmarshal(doc, &want))
	require.NoError(t, decodeDoc(doc, &got), "%s", doc)
	require.Equal(t, want, got, "%s", doc)
}

// anyCard is a valid card with arbitrary text, times and references in
// the fields cardtest leaves empty or keeps to a pattern.
func anyCard() *rapid.Generator[card.Card] {
	text := rapid.String()
	return rapid.Custom(func(t *rapid.T) card.Card {
		c := cardtest.Card().Draw(t, "card")
		c.Label, c.ImageID, c.Memo, c.Language = text.Draw(t, "label"), text.Draw(t, "image"), text.Draw(t, "memo"), text.Draw(t, "language")
		c.Alerts = rapid.SampledFrom(card.AlertPreferenceValues()).Draw(t, "alerts")
		c.PINSetAt = anyTime(t, "pin_set_at")
		c.CreatedAt, c.UpdatedAt = anyTime(t, "created_at"), anyTime(t, "updated_at")
		c.ProviderRefs = rapid.MapOf(text, text).Draw(t, "provider_refs")
		c.Metadata = rapid.MapOf(text, text).Draw(t, "metadata")
		if c.Shipping != nil {
			c.Shipping.Status = rapid.SampledFrom(card.DeliveryStatusValues()).Draw(t, "delivery")
			c.Shipping.TrackingNumber = text.Draw(t, "tracking")
			c.Shipping.ShippedAt, c.Shipping.ETA = anyTime(t, "shipped_at"), anyTime(t, "eta")
		}
		return c
	})
}

// anyTime is a time to the nanosecond, in UTC as a decoded time is.
func anyTime(t *rapid.T, name string) time.Time {
	return time.Unix(rapid.Int64Range(-1e10, 1e11).Draw(t, name), rapid.Int64Range(0, 999_999_999).Draw(t, name+".ns")).UTC()
}

// anyAccount is an account with valid enums (an invalid one does not
// encode) and arbitrary text, numbers and times in every other field.
func anyAccount() *rapid.Generator[account.Account] {
	text := rapid.String()
	enum := func(t *rapid.T, name string, n int) int { return rapid.IntRange(0, n).Draw(t, name) }
	return rapid.Custom(func(t *rapid.T) account.Account {
		countries, currencies := card.CountryValues(), card.CurrencyValues()
		a := account.Account{
			ID: uuid.UUID(rapid.SliceOfN(rapid.Byte(), 16, 16).Draw(t, "id")), Tenant: text.Draw(t, "tenant"),
			Kind: account.Kind(enum(t, "kind", len(account.KindValues()))), Name: text.Draw(t, "name"),
			Holder:  account.Holder{Kind: account.HolderKind(enum(t, "holder.kind", len(account.HolderKindValues()))), ID: text.Draw(t, "holder.id")},
			Subtype: card.Type(enum(t, "subtype", len(card.TypeValues()))), Default: rapid.Bool().Draw(t, "default"),
			State: account.State(enum(t, "state", len(account.StateValues()))),
			Verification: account.Verification{
				Status: account.VerificationStatus(enum(t, "verification.status", len(account.VerificationStatusValues()))),
				Method: account.VerificationMethod(enum(t, "verification.method", len(account.VerificationMethodValues()))),
			},
			ProviderRefs: rapid.MapOf(text, text).Draw(t, "provider_refs"),
			CreatedBy:    account.Actor{Type: account.ActorType(enum(t, "created_by", len(account.ActorTypeValues()))), ID: text.Draw(t, "created_by.id")},
			UpdatedBy:    account.Actor{Type: account.ActorType(enum(t, "updated_by", len(account.ActorTypeValues()))), ID: text.Draw(t, "updated_by.id")},
			CreatedAt:    anyTime(t, "created_at"), UpdatedAt: anyTime(t, "updated_at"),
			Version: rapid.Int64().Draw(t, "version"),
		}
		if n := enum(t, "currency", len(currencies)); n > 0 {
			a.Currency = currencies[n-1]
		}
		if rapid.Bool().Draw(t, "external") {
			e := &account.ExternalCard{FirstName: text.Draw(t, "first"), MiddleName: text.Draw(t, "middle"), LastName: text.Draw(t, "last"),
				BIN: text.Draw(t, "bin"), LastFour: text.Draw(t, "last_four"),
				Fingerprint: card.Fingerprint(rapid.SliceOfN(rapid.Byte(), 32, 32).Draw(t, "fingerprint")),
				Expiry:      card.Expiry{Year: rapid.IntRange(2000, 2099).Draw(t, "year"), Month: time.Month(rapid.IntRange(1, 12).Draw(t, "month"))},
				BillingAddress: card.Address{Line1: text.Draw(t, "line1"), Line2: text.Draw(t, "line2"), City: text.Draw(t, "city"),
					Region: text.Draw(t, "region"), PostalCode: text.Draw(t, "postal")},
			}
			if n := enum(t, "country", len(countries)); n > 0 {
				e.BillingAddress.Country = countries[n-1]
			}
			a.External = e
		}
		return a
	})
}
