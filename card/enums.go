package card

import "github.com/cardkit/cardkit/internal/enum"

// Every enum in this package is a small unsigned integer whose zero value
// means "unset". Its canonical name, String, Doc, ParseX, XValues and text
// encoding all come from one literal table (an enum.Enum), so that a value
// cannot be added without a name and a meaning.

// refuseName is how package card refuses a name.
func refuseName(field, value, typ string) error { return UnknownValue("card.Parse", field, value, typ) }

func parseEnum[T ~uint8](e *enum.Enum[T], field, s string) (T, error) {
	return e.Parse(field, s, refuseName)
}

func marshalEnum[T ~uint8](e *enum.Enum[T], field string, v T) ([]byte, error) {
	return e.MarshalText(field, v, refuseName)
}

func unmarshalEnum[T ~uint8](e *enum.Enum[T], field string, v *T, b []byte) error {
	return e.UnmarshalText(field, v, b, refuseName)
}

// CheckEnum records in p, against field, a value of an enum that is not
// one of its named values, or the zero value when the field is required.
func CheckEnum[T interface {
	~uint8
	Valid() bool
	String() string
}](p *Problems, field string, v T, required bool) {
	switch {
	case v == 0:
		if required {
			p.Add(field, CodeRequired, "")
		}
	case !v.Valid():
		p.AddValue(field, CodeUnknownValue, v.String(), "")
	}
}

// Type is the kind of card program: how spending is funded.
type Type uint8

// Card types.
const (
	TypeDebit   Type = iota + 1 // spends the balance of the account it draws on
	TypeCredit                  // spends against a credit line
	TypePrepaid                 // spends a balance loaded in advance
	TypeGift                    // a prepaid card for a fixed, usually non-reloadable, amount
)

var typeEnum = enum.Enum[Type]{Type: "card.Type", Entries: []enum.Entry{
	TypeDebit:   {Name: "DEBIT", Doc: "spends the balance of the account it draws on"},
	TypeCredit:  {Name: "CREDIT", Doc: "spends against a credit line"},
	TypePrepaid: {Name: "PREPAID", Doc: "spends a balance loaded in advance"},
	TypeGift:    {Name: "GIFT", Doc: "a prepaid card for a fixed, usually non-reloadable, amount"},
}}

// String returns the canonical name, such as "DEBIT".
func (t Type) String() string { return typeEnum.Name(t) }

// Doc is the documented meaning of t.
func (t Type) Doc() string { return typeEnum.Doc(t) }

// Valid reports whether t is one of the named values.
func (t Type) Valid() bool { return typeEnum.Valid(t) }

// MarshalText encodes the canonical name.
func (t Type) MarshalText() ([]byte, error) { return marshalEnum(&typeEnum, "type", t) }

// UnmarshalText decodes a canonical name; an unknown one is an error.
func (t *Type) UnmarshalText(b []byte) error { return unmarshalEnum(&typeEnum, "type", t, b) }

// ParseType parses a canonical name such as "DEBIT".
func ParseType(s string) (Type, error) { return parseEnum(&typeEnum, "type", s) }

// TypeValues lists every Type.
func TypeValues() []Type { return typeEnum.Values() }

// Form says whether a card is a plastic or only data.
type Form uint8

// Card forms.
const (
	FormPhysical Form = iota + 1 // a plastic card, produced and shipped to the holder
	FormVirtual                  // a card that exists only as data, for online and wallet use
)

var formEnum = enum.Enum[Form]{Type: "card.Form", Entries: []enum.Entry{
	FormPhysical: {Name: "PHYSICAL", Doc: "a plastic card, produced and shipped to the holder"},
	FormVirtual:  {Name: "VIRTUAL", Doc: "a card that exists only as data, for online and wallet use"},
}}

// String returns the canonical name, such as "VIRTUAL".
func (f Form) String() string { return formEnum.Name(f) }

// Doc is the documented meaning of f.
func (f Form) Doc() string { return formEnum.Doc(f) }

// Valid reports whether f is one of the named values.
func (f Form) Valid() bool { return formEnum.Valid(f) }

// MarshalText encodes the canonical name.
func (f Form) MarshalText() ([]byte, error) { return marshalEnum(&formEnum, "form", f) }

// UnmarshalText decodes a canonical name; an unknown one is an error.
func (f *Form) UnmarshalText(b []byte) error { return unmarshalEnum(&formEnum, "form", f, b) }

// ParseForm parses a canonical name such as "VIRTUAL".
func ParseForm(s string) (Form, error) { return parseEnum(&formEnum, "form", s) }

// FormValues lists every Form.
func FormValues() []Form { return formEnum.Values() }

// Brand is the card network.
type Brand uint8

// Card brands.
const (
	BrandVisa       Brand = iota + 1 // Visa
	BrandMastercard                  // Mastercard
)

var brandEnum = enum.Enum[Brand]{Type: "card.Brand", Entries: []enum.Entry{
	BrandVisa:       {Name: "VISA", Doc: "Visa"},
	BrandMastercard: {Name: "MASTERCARD", Doc: "Mastercard"},
}}

// String returns the canonical name, such as "VISA".
func (b Brand) String() string { return brandEnum.Name(b) }

// Doc is the documented meaning of b.
func (b Brand) Doc() string { return brandEnum.Doc(b) }

// Valid reports whether b is one of the named values.
func (b Brand) Valid() bool { return brandEnum.Valid(b) }

// MarshalText encodes the canonical name.
func (b Brand) MarshalText() ([]byte, error) { return marshalEnum(&brandEnum, "brand", b) }

// UnmarshalText decodes a canonical name; an unknown one is an error.
func (b *Brand) UnmarshalText(p []byte) error { return unmarshalEnum(&brandEnum, "brand", b, p) }

// ParseBrand parses a canonical name such as "VISA".
func ParseBrand(s string) (Brand, error) { return parseEnum(&brandEnum, "brand", s) }

// BrandValues lists every Brand.
func BrandValues() []Brand { return brandEnum.Values() }

// ShippingMethod is how a physical card travels to its holder: the union of
// the methods the providers document.
type ShippingMethod uint8

// Shipping methods.
const (
	ShippingNormal                ShippingMethod = iota + 1 // standard domestic mail, the usual default
	ShippingUrgent                                          // expedited production and delivery
	ShippingVIP                                             // premium handling and delivery
	ShippingBulk                                            // shipped with other cards to one address, standard speed
	ShippingBulkUrgent                                      // bulk shipment, expedited
	ShippingBulkVIP                                         // bulk shipment, premium handling
	ShippingPriority                                        // domestic priority mail
	ShippingTwoDay                                          // domestic courier, two days
	ShippingOvernight                                       // domestic courier, next day
	ShippingInternational                                   // international mail
	ShippingInternationalGround                             // international ground, to neighbouring countries
	ShippingInternationalPriority                           // international priority courier
)

var shippingEnum = enum.Enum[ShippingMethod]{Type: "card.ShippingMethod", Entries: []enum.Entry{
	ShippingNormal:                {Name: "NORMAL", Doc: "standard domestic mail, the usual default"},
	ShippingUrgent:                {Name: "URGENT", Doc: "expedited production and delivery"},
	ShippingVIP:                   {Name: "VIP", Doc: "premium handling and delivery"},
	ShippingBulk:                  {Name: "BULK", Doc: "shipped with other cards to one address, standard speed"},
	ShippingBulkUrgent:            {Name: "BULK_URGENT", Doc: "bulk shipment, expedited"},
	ShippingBulkVIP:               {Name: "BULK_VIP", Doc: "bulk shipment, premium handling"},
	ShippingPriority:              {Name: "PRIORITY", Doc: "domestic priority mail"},
	ShippingTwoDay:                {Name: "TWO_DAY", Doc: "domestic courier, two days"},
	ShippingOvernight:             {Name: "OVERNIGHT", Doc: "domestic courier, next day"},
	ShippingInternational:         {Name: "INTERNATIONAL", Doc: "international mail"},
	ShippingInternationalGround:   {Name: "INTERNATIONAL_GROUND", Doc: "international ground, to neighbouring countries"},
	ShippingInternationalPriority: {Name: "INTERNATIONAL_PRIORITY", Doc: "international priority courier"},
}}

// String returns the canonical name, such as "BULK_URGENT".
func (m ShippingMethod) String() string { return shippingEnum.Name(m) }

// Doc is the documented meaning of m.
func (m ShippingMethod) Doc() string { return shippingEnum.Doc(m) }

// Valid reports whether m is one of the named values.
func (m ShippingMethod) Valid() bool { return shippingEnum.Valid(m) }

// MarshalText encodes the canonical name.
func (m ShippingMethod) MarshalText() ([]byte, error) { return marshalEnum(&shippingEnum, "method", m) }

// UnmarshalText decodes a canonical name; an unknown one is an error.
func (m *ShippingMethod) UnmarshalText(b []byte) error {
	return unmarshalEnum(&shippingEnum, "method", m, b)
}

// ParseShippingMethod parses a canonical name such as "BULK_URGENT".
func ParseShippingMethod(s string) (ShippingMethod, error) {
	return parseEnum(&shippingEnum, "method", s)
}

// ShippingMethodValues lists every ShippingMethod.
func ShippingMethodValues() []ShippingMethod { return shippingEnum.Values() }

// DeliveryStatus is where a physical card is between order and arrival: the
// union of the fulfilment and delivery states the providers report.
type DeliveryStatus uint8

// Delivery statuses.
const (
	DeliveryPending            DeliveryStatus = iota + 1 // not yet ordered from the card manufacturer
	DeliveryOrdered                                      // ordered from the card manufacturer
	DeliveryReordered                                    // ordered again after a failed order
	DeliveryIssued                                       // produced by the manufacturer
	DeliveryReissued                                     // produced as the replacement of another card
	DeliveryShipped                                      // handed to the carrier
	DeliveryDelivered                                    // delivered to the recipient
	DeliveryRejected                                     // the manufacturer or carrier refused the order
	DeliveryDigitallyPresented                           // shown to the holder digitally before the plastic arrives
)

var deliveryEnum = enum.Enum[DeliveryStatus]{Type: "card.DeliveryStatus", Entries: []enum.Entry{
	DeliveryPending:            {Name: "PENDING", Doc: "not yet ordered from the card manufacturer"},
	DeliveryOrdered:            {Name: "ORDERED", Doc: "ordered from the card manufacturer"},
	DeliveryReordered:          {Name: "REORDERED", Doc: "ordered again after a failed order"},
	DeliveryIssued:             {Name: "ISSUED", Doc: "produced by the manufacturer"},
	DeliveryReissued:           {Name: "REISSUED", Doc: "produced as the replacement of another card"},
	DeliveryShipped:            {Name: "SHIPPED", Doc: "handed to the carrier"},
	DeliveryDelivered:          {Name: "DELIVERED", Doc: "delivered to the recipient"},
	DeliveryRejected:           {Name: "REJECTED", Doc: "the manufacturer or carrier refused the order"},
	DeliveryDigitallyPresented: {Name: "DIGITALLY_PRESENTED", Doc: "shown to the holder digitally before the plastic arrives"},
}}

// String returns the canonical name, such as "SHIPPED".
func (d DeliveryStatus) String() string { return deliveryEnum.Name(d) }

// Doc is the documented meaning of d.
func (d DeliveryStatus) Doc() string { return deliveryEnum.Doc(d) }

// Valid reports whether d is one of the named values.
func (d DeliveryStatus) Valid() bool { return deliveryEnum.Valid(d) }

// MarshalText encodes the canonical name.
func (d DeliveryStatus) MarshalText() ([]byte, error) { return marshalEnum(&deliveryEnum, "status", d) }

// UnmarshalText decodes a canonical name; an unknown one is an error.
func (d *DeliveryStatus) UnmarshalText(b []byte) error {
	return unmarshalEnum(&deliveryEnum, "status", d, b)
}

// ParseDeliveryStatus parses a canonical name such as "SHIPPED".
func ParseDeliveryStatus(s string) (DeliveryStatus, error) {
	return parseEnum(&deliveryEnum, "status", s)
}

// DeliveryStatusValues lists every DeliveryStatus.
func DeliveryStatusValues() []DeliveryStatus { return deliveryEnum.Values() }

// AlertPreference says which messages the holder agreed to receive.
type AlertPreference uint8

// Alert preferences.
const (
	AlertsAdminOnly     AlertPreference = iota + 1 // service messages only
	AlertsAdminAndPromo                            // service and promotional messages
	AlertsNone                                     // no messages
)

var alertEnum = enum.Enum[AlertPreference]{Type: "card.AlertPreference", Entries: []enum.Entry{
	AlertsAdminOnly:     {Name: "ADMIN_ONLY", Doc: "service messages only"},
	AlertsAdminAndPromo: {Name: "ADMIN_AND_PROMO", Doc: "service and promotional messages"},
	AlertsNone:          {Name: "NONE", Doc: "no messages"},
}}

// String returns the canonical name, such as "ADMIN_ONLY".
func (a AlertPreference) String() string { return alertEnum.Name(a) }

// Doc is the documented meaning of a.
func (a AlertPreference) Doc() string { return alertEnum.Doc(a) }

// Valid reports whether a is one of the named values.
func (a AlertPreference) Valid() bool { return alertEnum.Valid(a) }

// MarshalText encodes the canonical name.
func (a AlertPreference) MarshalText() ([]byte, error) { return marshalEnum(&alertEnum, "alerts", a) }

// UnmarshalText decodes a canonical name; an unknown one is an error.
func (a *AlertPreference) UnmarshalText(b []byte) error {
	return unmarshalEnum(&alertEnum, "alerts", a, b)
}

// ParseAlertPreference parses a canonical name such as "ADMIN_ONLY".
func ParseAlertPreference(s string) (AlertPreference, error) {
	return parseEnum(&alertEnum, "alerts", s)
}

// AlertPreferenceValues lists every AlertPreference.
func AlertPreferenceValues() []AlertPreference { return alertEnum.Values() }

// Interval is the period over which a spending limit is counted.
type Interval uint8

// Limit intervals.
const (
	IntervalPerTransaction Interval = iota + 1 // each transaction on its own
	IntervalDaily                              // per calendar day
	IntervalWeekly                             // per calendar week
	IntervalMonthly                            // per calendar month
	IntervalYearly                             // per calendar year
	IntervalAllTime                            // over the life of the card
)

var intervalEnum = enum.Enum[Interval]{Type: "card.Interval", Entries: []enum.Entry{
	IntervalPerTransaction: {Name: "PER_TRANSACTION", Doc: "each transaction on its own"},
	IntervalDaily:          {Name: "DAILY", Doc: "per calendar day"},
	IntervalWeekly:         {Name: "WEEKLY", Doc: "per calendar week"},
	IntervalMonthly:        {Name: "MONTHLY", Doc: "per calendar month"},
	IntervalYearly:         {Name: "YEARLY", Doc: "per calendar year"},
	IntervalAllTime:        {Name: "ALL_TIME", Doc: "over the life of the card"},
}}

// String returns the canonical name, such as "ALL_TIME".
func (i Interval) String() string { return intervalEnum.Name(i) }

// Doc is the documented meaning of i.
func (i Interval) Doc() string { return intervalEnum.Doc(i) }

// Valid reports whether i is one of the named values.
func (i Interval) Valid() bool { return intervalEnum.Valid(i) }

// MarshalText encodes the canonical name.
func (i Interval) MarshalText() ([]byte, error) { return marshalEnum(&intervalEnum, "interval", i) }

// UnmarshalText decodes a canonical name; an unknown one is an error.
func (i *Interval) UnmarshalText(b []byte) error {
	return unmarshalEnum(&intervalEnum, "interval", i, b)
}

// ParseInterval parses a canonical name such as "ALL_TIME".
func ParseInterval(s string) (Interval, error) { return parseEnum(&intervalEnum, "interval", s) }

// IntervalValues lists every Interval.
func IntervalValues() []Interval { return intervalEnum.Values() }

// Actor is who asks for a change of status. The lifecycle table says which
// actors may make each move.
type Actor uint8

// Actors.
const (
	ActorHolder   Actor = iota + 1 // the cardholder, through the program's app
	ActorProgram                   // the fintech running the card program: its staff, back office and risk rules
	ActorProvider                  // the issuing processor, the bank or the card network
	ActorSystem                    // cardkit applying a rule by itself, such as ending a replaced card
)

var actorEnum = enum.Enum[Actor]{Type: "card.Actor", Entries: []enum.Entry{
	ActorHolder:   {Name: "HOLDER", Doc: "the cardholder, through the program's app"},
	ActorProgram:  {Name: "PROGRAM", Doc: "the fintech running the card program: its staff, back office and risk rules"},
	ActorProvider: {Name: "PROVIDER", Doc: "the issuing processor, the bank or the card network"},
	ActorSystem:   {Name: "SYSTEM", Doc: "cardkit applying a rule by itself, such as ending a replaced card"},
}}

// String returns the canonical name, such as "HOLDER".
func (a Actor) String() string { return actorEnum.Name(a) }

// Doc is the documented meaning of a.
func (a Actor) Doc() string { return actorEnum.Doc(a) }

// Valid reports whether a is one of the named values.
func (a Actor) Valid() bool { return actorEnum.Valid(a) }

// MarshalText encodes the canonical name.
func (a Actor) MarshalText() ([]byte, error) { return marshalEnum(&actorEnum, "actor", a) }

// UnmarshalText decodes a canonical name; an unknown one is an error.
func (a *Actor) UnmarshalText(b []byte) error { return unmarshalEnum(&actorEnum, "actor", a, b) }

// ParseActor parses a canonical name such as "HOLDER".
func ParseActor(s string) (Actor, error) { return parseEnum(&actorEnum, "actor", s) }

// ActorValues lists every Actor.
func ActorValues() []Actor { return actorEnum.Values() }

// Actors is a set of actors.
type Actors uint8

// ActorsOf makes a set.
func ActorsOf(as ...Actor) Actors {
	var s Actors
	for _, a := range as {
		s |= 1 << a
	}
	return s
}

// Has reports whether a is in the set.
func (s Actors) Has(a Actor) bool { return a != 0 && a < 8 && s&(1<<a) != 0 }

// List returns the members in table order.
func (s Actors) List() []Actor {
	var out []Actor
	for _, a := range actorEnum.Values() {
		if s.Has(a) {
			out = append(out, a)
		}
	}
	return out
}

// String lists the members, such as "HOLDER|PROGRAM".
func (s Actors) String() string {
	out := ""
	for _, a := range s.List() {
		if out != "" {
			out += "|"
		}
		out += a.String()
	}
	return out
}
