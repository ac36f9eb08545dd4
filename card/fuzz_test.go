package card_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/cardkit/cardkit/card"
)

func FuzzParsePAN(f *testing.F) {
	for _, s := range []string{visa16, mc16, pan12, pan19, "", "4111 1111 1111 1111", "4111111111111112", "０", "\xff\xfe", "41111111111111111111"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := card.ParsePAN(s)
		if err != nil {
			if len(s) >= 8 && strings.Contains(err.Error(), s) {
				t.Fatalf("the error repeats the input: %v", err)
			}
			if !p.IsZero() {
				t.Fatal("a PAN came with an error")
			}
			return
		}
		if p.RevealDigits() != s {
			t.Fatalf("digits changed: %q", p.RevealDigits())
		}
		for _, out := range []string{p.String(), fmt.Sprintf("%v %d %x %+v %#v", p, p, p, p, p), p.Masked()} {
			if strings.Contains(out, s) {
				t.Fatalf("masked output shows the number: %s", out)
			}
		}
		again, err := card.ParsePAN(p.RevealDigits())
		if err != nil || !again.Equal(p) {
			t.Fatalf("round trip: %v", err)
		}
		if p.Len() < card.MinPANLength || p.Len() > card.MaxPANLength || len(p.LastFour()) != 4 {
			t.Fatalf("bad shape: len %d", p.Len())
		}
	})
}

// FuzzParseNames fuzzes every enum parser: a name that parses prints back as
// itself and parses to the same value.
func FuzzParseNames(f *testing.F) {
	for _, s := range []string{"ACTIVE", "LOS", "RIS", "LOST", "NAME_CHANGE", "US", "USA", "USD", "NORMAL", "", "active", "ACTIVE\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		roundTrip(t, s, card.ParseStatus)
		roundTrip(t, s, card.ParseStatusReason)
		roundTrip(t, s, card.ParseReissueReason)
		roundTrip(t, s, card.ParseType)
		roundTrip(t, s, card.ParseForm)
		roundTrip(t, s, card.ParseBrand)
		roundTrip(t, s, card.ParseShippingMethod)
		roundTrip(t, s, card.ParseDeliveryStatus)
		roundTrip(t, s, card.ParseInterval)
		roundTrip(t, s, card.ParseActor)
		roundTrip(t, s, card.ParseAlertPreference)
		roundTrip(t, s, card.ParseCurrency)
		if c, err := card.ParseCountry(s); err == nil && s != c.Alpha2() && s != c.Alpha3() {
			t.Fatalf("%q parsed as %v", s, c)
		}
		if m, err := card.ParseMCC(s); err == nil && m.String() != s {
			t.Fatalf("MCC %q printed as %q", s, m)
		}
		if e, err := card.ParseExpiry(s); err == nil && e.String() != s {
			t.Fatalf("expiry %q printed as %q", s, e)
		}
	})
}

func roundTrip[T fmt.Stringer](t *testing.T, s string, parse func(string) (T, error)) {
	t.Helper()
	v, err := parse(s)
	if err != nil {
		return
	}
	if v.String() != s {
		t.Fatalf("%q parsed, prints as %q", s, v)
	}
	if again, err := parse(v.String()); err != nil || fmt.Sprint(again) != s {
		t.Fatalf("%q does not parse back: %v", s, err)
	}
}

// FuzzTextRules checks every text rule against arbitrary text: no panic,
// and text that passes fits the rule.
func FuzzTextRules(f *testing.F) {
	for _, s := range []string{"JANE SMITH", "José", strings.Repeat("A", 22), "", "\xff", "a\tb", "ACME & SONS, INC./NY",
		"card 4111 1111 1111 1111", "id-41111111-1111-1111-a111-111111111111"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, r := range card.TextRuleValues() {
			l := r.Limit()
			if r.Validate("f", s) != nil {
				continue
			}
			n := utf8.RuneCountInString(s)
			if !utf8.ValidString(s) || n < l.Min || (l.Max > 0 && n > l.Max) {
				t.Fatalf("%v passed %q (%d chars)", r, s, n)
			}
			for _, c := range s {
				if !l.Charset.Allows(c) {
					t.Fatalf("%v passed %q with %q", r, s, c)
				}
			}
		}
		// A number a text rule refuses is one that an error would redact.
		if card.HoldsCardNumber(s) && !card.HasNumber(s) {
			t.Fatalf("HoldsCardNumber(%q) without HasNumber", s)
		}
	})
}

// FuzzCheckTransition feeds arbitrary values to the table: no panic; an
// allowed move never leaves a final status, is made by a known actor to a
// known status, and is allowed again; a refusal explains itself. A card
// makes every allowed move but one: a hold lifted by anyone but the
// provider returns the card where ResumeStatus says (ACTIVE once it was
// activated, UNACTIVATED before), and Transition refuses any other status,
// leaving the card as it was.
func FuzzCheckTransition(f *testing.F) {
	f.Add(uint8(card.StatusActive), uint8(0), uint8(card.StatusSuspended), uint8(card.ReasonREQ), uint8(card.ActorHolder), false)
	f.Add(uint8(card.StatusSuspended), uint8(card.ActorProvider), uint8(card.StatusActive), uint8(card.ReasonACT), uint8(card.ActorProgram), true)
	f.Add(uint8(card.StatusSuspended), uint8(card.ActorProgram), uint8(card.StatusActive), uint8(card.ReasonACT), uint8(card.ActorProgram), false)
	f.Add(uint8(card.StatusSuspended), uint8(card.ActorProgram), uint8(card.StatusActive), uint8(card.ReasonACT), uint8(card.ActorProgram), true)
	f.Add(uint8(255), uint8(255), uint8(255), uint8(255), uint8(255), false)
	f.Fuzz(func(t *testing.T, from, heldBy, to, reason, by uint8, activated bool) {
		m := card.Move{To: card.Status(to), Reason: card.StatusReason(reason), By: card.Actor(by)}
		err := card.CheckTransition(card.Status(from), card.Actor(heldBy), m)
		if err != nil {
			var te *card.TransitionError
			if !errors.As(err, &te) || te.Why == "" {
				t.Fatalf("refusal without a reason: %v", err)
			}
			return
		}
		if card.Status(from).Final() || !card.Status(from).Valid() || !m.To.Valid() || !m.By.Valid() {
			t.Fatalf("allowed %v -> %+v", card.Status(from), m)
		}
		if !m.To.Reasons().Has(m.Reason) {
			t.Fatalf("allowed a reason %v that %v cannot hold", m.Reason, m.To)
		}
		c := card.Card{Status: card.Status(from), HeldBy: card.Actor(heldBy)}
		if activated {
			c.ActivatedAt = time.Unix(0, 0)
		}
		before := c
		lift := c.Status == card.StatusSuspended && m.By != card.ActorProvider && m.To != card.StatusSuspended && m.To.Issued()
		err = c.Transition(m, time.Unix(1, 0))
		if lift && m.To != before.ResumeStatus() {
			var te *card.TransitionError
			if !errors.As(err, &te) || !reflect.DeepEqual(c, before) {
				t.Fatalf("a hold lifted to %v, not %v: %v, card %+v", m.To, before.ResumeStatus(), err, c)
			}
			return
		}
		if err != nil {
			t.Fatalf("check allowed, transition refused: %v", err)
		}
		if c.Status != m.To || c.Version != 1 {
			t.Fatalf("moved to %v at version %d, not %v at 1", c.Status, c.Version, m.To)
		}
	})
}

// FuzzCardJSON decodes arbitrary JSON as a card in the neutral encoding: no
// panic, and what decodes re-encodes to a fixed point.
func FuzzCardJSON(f *testing.F) {
	f.Add(`{"id":"11111111-1111-4111-8111-111111111111","status":"ACTIVE","status_reason":"NEW","expiry":"2029-06"}`)
	f.Add(`{"controls":{"limits":[{"amount":"120.00","currency":"USD","interval":"ALL_TIME"}],"allowed_categories":["5411"]}}`)
	f.Add(`{"shipping":{"address":{"country":"CAN","line1":"625 Queen St"}},"reissue":{"from":"x","reason":"LOST"}}`)
	f.Add(`{"status":"NOPE"}`)
	f.Add(`{"fingerprint":"zz"}`)
	f.Add(`[]`)
	f.Fuzz(func(t *testing.T, in string) {
		var c card.Card
		if json.Unmarshal([]byte(in), &c) != nil {
			return
		}
		_ = c.Validate()
		once, err := json.Marshal(c)
		if err != nil {
			return // such as an out-of-range MCC, refused on the way out
		}
		var d card.Card
		if err := json.Unmarshal(once, &d); err != nil {
			t.Fatalf("re-decoding %s: %v", once, err)
		}
		twice, err := json.Marshal(d)
		if err != nil || string(once) != string(twice) {
			t.Fatalf("not a fixed point:\n%s\n%s", once, twice)
		}
		if !reflect.DeepEqual(c.Clone(), c) {
			t.Fatal("clone differs")
		}
	})
}
