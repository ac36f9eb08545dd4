package card

import (
	"encoding"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
)

// The card's JSON is written here by hand, field by field in declaration
// order, exactly as encoding/json writes it from the struct tags: a card is
// encoded for every write to a store and every result kept under an
// idempotency key, and reflection made that a fifth of an issue's own
// work. TestCardJSONMatchesReflection holds the two equal, byte for byte,
// on generated cards; a field added to Card, or to a type in it, must be
// added here too, or TestCardJSONCoversEveryField, which sets every field
// by reflection, fails.

// AppendJSON appends c's JSON to b: what json.Marshal(c) writes, in a
// fraction of its time. It is no MarshalJSON: other encoders (an
// Encoder without HTML escaping, go-json-experiment, which refuses invalid
// UTF-8 and says where) still read the struct tags themselves.
func (c *Card) AppendJSON(b []byte) ([]byte, error) {
	w := &jsonWriter{b: append(b, '{')}
	if c.ID != (uuid.UUID{}) {
		w.name("id")
		w.b = append(w.b, '"')
		w.b = appendUUID(w.b, c.ID)
		w.b = append(w.b, '"')
	}
	w.str("tenant", c.Tenant)
	w.str("account_id", c.AccountID)
	if !c.Holder.IsZero() {
		w.holder("holder", &c.Holder)
	}
	jsonEnum(w, "type", c.Type)
	jsonEnum(w, "form", c.Form)
	jsonEnum(w, "brand", c.Brand)
	w.str("product_id", c.ProductID)
	w.str("label", c.Label)
	jsonEnum(w, "currency", c.Currency)
	w.str("image_id", c.ImageID)
	jsonEnum(w, "status", c.Status)
	jsonEnum(w, "status_reason", c.StatusReason)
	w.str("memo", c.Memo)
	jsonEnum(w, "held_by", c.HeldBy)
	if !c.Pending.IsZero() {
		p := w.open("pending")
		p.flag("bulk_shipment", c.Pending.BulkShipment)
		p.flag("image", c.Pending.Image)
		p.flag("pin", c.Pending.PIN)
		w.join(&p)
	}
	w.str("bin", c.BIN)
	w.str("last_four", c.LastFour)
	w.int("pan_length", int64(c.PANLength))
	if !c.Fingerprint.IsZero() {
		w.text("fingerprint", c.Fingerprint)
	}
	if !c.Expiry.IsZero() {
		w.text("expiry", c.Expiry)
	}
	w.str("name_on_card", c.NameOnCard)
	if !c.Emboss.IsZero() {
		e := w.open("emboss")
		e.str("line1", c.Emboss.Line1)
		e.str("line2", c.Emboss.Line2)
		w.join(&e)
	}
	if c.Shipping != nil {
		w.shipping("shipping", c.Shipping)
	}
	if !c.Controls.IsZero() {
		w.controls("controls", &c.Controls)
	}
	w.str("language", c.Language)
	jsonEnum(w, "alerts", c.Alerts)
	w.flag("pin_set", c.PINSet)
	w.time("pin_set_at", c.PINSetAt)
	if !c.Reissue.IsZero() {
		r := w.open("reissue")
		r.str("from", c.Reissue.From)
		r.str("to", c.Reissue.To)
		jsonEnum(&r, "reason", c.Reissue.Reason)
		jsonEnum(&r, "keep", c.Reissue.Keep)
		w.join(&r)
	}
	w.strings("provider_refs", c.ProviderRefs)
	w.strings("metadata", c.Metadata)
	w.time("activated_at", c.ActivatedAt)
	w.time("created_at", c.CreatedAt)
	w.time("updated_at", c.UpdatedAt)
	w.int("version", c.Version)
	if w.err != nil {
		return nil, w.err
	}
	return append(w.b, '}'), nil
}

// jsonWriter appends one JSON object's members; the first error sticks.
type jsonWriter struct {
	b    []byte
	more bool // a member was written: the next needs a comma
	err  error
}

// name starts a member.
func (w *jsonWriter) name(n string) {
	if w.more {
		w.b = append(w.b, ',')
	}
	w.more = true
	w.b = append(w.b, '"')
	w.b = append(w.b, n...)
	w.b = append(w.b, '"', ':')
}

// str writes a string member, left out when empty (omitempty).
func (w *jsonWriter) str(n, v string) {
	if v != "" {
		w.name(n)
		w.b = appendJSONString(w.b, v)
	}
}

// int writes an integer member, left out when 0 (omitempty).
func (w *jsonWriter) int(n string, v int64) {
	if v != 0 {
		w.name(n)
		w.b = strconv.AppendInt(w.b, v, 10)
	}
}

// flag writes a boolean member, left out when false (omitempty).
func (w *jsonWriter) flag(n string, v bool) {
	if v {
		w.name(n)
		w.b = append(w.b, "true"...)
	}
}

// jsonEnum writes a member of one of cardkit's enums, left out when zero
// (omitzero), as its MarshalText says: a named value by its name, without
// the allocation MarshalText makes; any other by MarshalText itself, which
// refuses it.
func jsonEnum[T interface {
	~uint8
	encoding.TextMarshaler
	Valid() bool
	String() string
}](w *jsonWriter, n string, v T) {
	switch {
	case v == 0:
	case !v.Valid():
		w.text(n, v)
	default:
		w.name(n)
		w.b = appendJSONString(w.b, v.String())
	}
}

// text writes a member as MarshalText encodes it, as a JSON string.
func (w *jsonWriter) text(n string, v encoding.TextMarshaler) {
	t, err := v.MarshalText()
	if err != nil {
		w.err = firstErr(w.err, err)
		return
	}
	w.name(n)
	w.b = appendJSONString(w.b, string(t))
}

// time writes a time member, left out when zero (omitzero), as
// time.Time.MarshalJSON does.
func (w *jsonWriter) time(n string, t time.Time) {
	if t.IsZero() {
		return
	}
	w.name(n)
	w.b = append(w.b, '"')
	b, err := t.AppendText(w.b)
	if err != nil {
		w.err = firstErr(w.err, err)
		return
	}
	w.b = append(b, '"')
}

// strings writes a map member with its keys in order, left out when empty
// (omitempty).
func (w *jsonWriter) strings(n string, m map[string]string) {
	if len(m) == 0 {
		return
	}
	w.name(n)
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	w.b = append(w.b, '{')
	for i, k := range keys {
		if i > 0 {
			w.b = append(w.b, ',')
		}
		w.b = appendJSONString(w.b, k)
		w.b = append(w.b, ':')
		w.b = appendJSONString(w.b, m[k])
	}
	w.b = append(w.b, '}')
}

func (w *jsonWriter) holder(n string, h *Holder) {
	o := w.open(n)
	o.str("customer_id", h.CustomerID)
	o.str("business_id", h.BusinessID)
	if !h.Name.IsZero() {
		p := o.open("name")
		p.str("first", h.Name.First)
		p.str("middle", h.Name.Middle)
		p.str("last", h.Name.Last)
		o.join(&p)
	}
	if !h.BillingAddress.IsZero() {
		o.address("billing_address", &h.BillingAddress)
	}
	w.join(&o)
}

func (w *jsonWriter) address(n string, a *Address) {
	o := w.open(n)
	o.str("line1", a.Line1)
	o.str("line2", a.Line2)
	o.str("line3", a.Line3)
	o.str("city", a.City)
	o.str("region", a.Region)
	o.str("postal_code", a.PostalCode)
	jsonEnum(&o, "country", a.Country)
	w.join(&o)
}

func (w *jsonWriter) shipping(n string, s *Shipping) {
	o := w.open(n)
	jsonEnum(&o, "method", s.Method)
	if !s.Address.IsZero() {
		o.address("address", &s.Address)
	}
	if !s.Recipient.IsZero() {
		r := o.open("recipient")
		r.str("first_name", s.Recipient.FirstName)
		r.str("middle_name", s.Recipient.MiddleName)
		r.str("last_name", s.Recipient.LastName)
		r.str("care_of", s.Recipient.CareOf)
		r.str("phone", s.Recipient.Phone)
		o.join(&r)
	}
	jsonEnum(&o, "status", s.Status)
	o.str("tracking_number", s.TrackingNumber)
	o.time("shipped_at", s.ShippedAt)
	o.time("eta", s.ETA)
	w.join(&o)
}

func (w *jsonWriter) controls(n string, c *Controls) {
	o := w.open(n)
	if len(c.Limits) > 0 {
		o.name("limits")
		o.b = append(o.b, '[')
		for i := range c.Limits {
			if i > 0 {
				o.b = append(o.b, ',')
			}
			l := &c.Limits[i]
			m := jsonWriter{b: append(o.b, '{')}
			m.name("amount")
			amount, err := l.Amount.MarshalJSON()
			m.b, m.err = append(m.b, amount...), firstErr(m.err, err)
			jsonEnum(&m, "currency", l.Currency)
			jsonEnum(&m, "interval", l.Interval)
			o.join(&m)
		}
		o.b = append(o.b, ']')
	}
	o.mccs("allowed_categories", c.AllowedCategories)
	o.mccs("blocked_categories", c.BlockedCategories)
	w.join(&o)
}

func (w *jsonWriter) mccs(n string, ms []MCC) {
	if len(ms) == 0 {
		return
	}
	w.name(n)
	w.b = append(w.b, '[')
	for i, m := range ms {
		if i > 0 {
			w.b = append(w.b, ',')
		}
		if !m.Valid() {
			_, err := m.MarshalText()
			w.err = firstErr(w.err, err)
			continue
		}
		w.b = append(w.b, '"')
		w.b = appendPadded(w.b, int(m), 4)
		w.b = append(w.b, '"')
	}
	w.b = append(w.b, ']')
}

// open starts a member that is an object, written by the writer it
// returns; join ends it.
func (w *jsonWriter) open(n string) jsonWriter {
	w.name(n)
	return jsonWriter{b: append(w.b, '{')}
}

// join ends the object o, begun on w's bytes, and takes it back.
func (w *jsonWriter) join(o *jsonWriter) {
	w.b, w.err = append(o.b, '}'), firstErr(w.err, o.err)
}

func firstErr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// appendJSONString appends s as encoding/json writes a string: quoted,
// with <, > and & escaped for HTML, control characters escaped, invalid
// UTF-8 replaced by U+FFFD, and U+2028 and U+2029 escaped.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// appendUUID appends id in its canonical text form.
func appendUUID(b []byte, id [16]byte) []byte {
	const hex = "0123456789abcdef"
	for i, x := range id {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			b = append(b, '-')
		}
		b = append(b, hex[x>>4], hex[x&0xF])
	}
	return b
}
