package account

import (
	"github.com/cardkit/cardkit/card"
	"github.com/cardkit/cardkit/internal/enum"
)

// The enums of this package follow package card's: a small unsigned integer
// whose zero value means "unset", named and documented by one literal table.

// refuseName is how package account refuses a name.
func refuseName(field, value, typ string) error {
	return card.UnknownValue("account.Parse", field, value, typ)
}

func parseEnum[T ~uint8](e *enum.Enum[T], field, s string) (T, error) {
	return e.Parse(field, s, refuseName)
}

func marshalEnum[T ~uint8](e *enum.Enum[T], field string, v T) ([]byte, error) {
	return e.MarshalText(field, v, refuseName)
}

func unmarshalEnum[T ~uint8](e *enum.Enum[T], field string, v *T, b []byte) error {
	return e.UnmarshalText(field, v, b, refuseName)
}

// Kind says where an account lives.
type Kind uint8

// Account kinds.
const (
	KindIntegrated Kind = iota + 1 // the issued card's own account, at the issuing provider
	KindExternal                   // a card issued elsewhere, linked as a funding account
)

var kindEnum = enum.Enum[Kind]{Type: "account.Kind", Entries: []enum.Entry{
	KindIntegrated: {Name: "INTEGRATED", Doc: "the issued card's own account, at the issuing provider"},
	KindExternal:   {Name: "EXTERNAL", Doc: "a card issued elsewhere, linked as a funding account"},
}}

// String returns the canonical name, such as "EXTERNAL".
func (k Kind) String() string { return kindEnum.Name(k) }

// Doc is the documented meaning of k.
func (k Kind) Doc() string { return kindEnum.Doc(k) }

// Valid reports whether k is one of the named values.
func (k Kind) Valid() bool { return kindEnum.Valid(k) }

// MarshalText encodes the canonical name.
func (k Kind) MarshalText() ([]byte, error) { return marshalEnum(&kindEnum, "kind", k) }

// UnmarshalText decodes a canonical name; an unknown one is an error.
func (k *Kind) UnmarshalText(b []byte) error { return unmarshalEnum(&kindEnum, "kind", k, b) }

// ParseKind parses a canonical name such as "INTEGRATED".
func ParseKind(s string) (Kind, error) { return parseEnum(&kindEnum, "kind", s) }

// KindValues lists every Kind.
func KindValues() []Kind { return kindEnum.Values() }

// State is whether an account can be used.
type State uint8

// Account states.
const (
	StatePending   State = iota + 1 // being processed, not yet usable
	StateActive                     // usable
	StateSuspended                  // not usable in transactions
)

var stateEnum = enum.Enum[State]{Type: "account.State", Entries: []enum.Entry{
	StatePending:   {Name: "PENDING", Doc: "being processed, not yet usable"},
	StateActive:    {Name: "ACTIVE", Doc: "usable"},
	StateSuspended: {Name: "SUSPENDED", Doc: "not usable in transactions"},
}}

// String returns the canonical name, such as "ACTIVE".
func (s State) String() string { return stateEnum.Name(s) }

// Doc is the documented meaning of s.
func (s State) Doc() string { return stateEnum.Doc(s) }

// Valid reports whether s is one of the named values.
func (s State) Valid() bool { return stateEnum.Valid(s) }

// MarshalText encodes the canonical name.
func (s State) MarshalText() ([]byte, error) { return marshalEnum(&stateEnum, "state", s) }

// UnmarshalText decodes a canonical name; an unknown one is an error.
func (s *State) UnmarshalText(b []byte) error { return unmarshalEnum(&stateEnum, "state", s, b) }

// ParseState parses a canonical name such as "SUSPENDED".
func ParseState(s string) (State, error) { return parseEnum(&stateEnum, "state", s) }

// StateValues lists every State.
func StateValues() []State { return stateEnum.Values() }

// VerificationStatus is how far the check that an external card belongs to
// its holder has come.
type VerificationStatus uint8

// Verification statuses.
const (
	VerificationUnverified VerificationStatus = iota + 1
	VerificationPending
	VerificationProcessing
	VerificationReview
	VerificationDeclined
	VerificationApproved
	VerificationError
)

var verificationEnum = enum.Enum[VerificationStatus]{Type: "account.VerificationStatus", Entries: []enum.Entry{
	VerificationUnverified: {Name: "UNVERIFIED", Doc: "no verification started"},
	VerificationPending:    {Name: "PENDING", Doc: "verification requested"},
	VerificationProcessing: {Name: "PROCESSING", Doc: "verification under way"},
	VerificationReview:     {Name: "REVIEW", Doc: "waiting for a manual review"},
	VerificationDeclined:   {Name: "DECLINED", Doc: "the card could not be verified"},
	VerificationApproved:   {Name: "APPROVED", Doc: "the card is verified"},
	VerificationError:      {Name: "ERROR", Doc: "verification failed for a technical reason"},
}}

// String returns the canonical name, such as "APPROVED".
func (v VerificationStatus) String() string { return verificationEnum.Name(v) }

// Doc is the documented meaning of v.
func (v VerificationStatus) Doc() string { return verificationEnum.Doc(v) }

// Valid reports whether v is one of the named values.
func (v VerificationStatus) Valid() bool { return verificationEnum.Valid(v) }

// MarshalText encodes the canonical name.
func (v VerificationStatus) MarshalText() ([]byte, error) {
	return marshalEnum(&verificationEnum, "verification.status", v)
}

// UnmarshalText decodes a canonical name; an unknown one is an error.
func (v *VerificationStatus) UnmarshalText(b []byte) error {
	return unmarshalEnum(&verificationEnum, "verification.status", v, b)
}

// ParseVerificationStatus parses a canonical name such as "REVIEW".
func ParseVerificationStatus(s string) (VerificationStatus, error) {
	return parseEnum(&verificationEnum, "verification.status", s)
}

// VerificationStatusValues lists every VerificationStatus.
func VerificationStatusValues() []VerificationStatus { return verificationEnum.Values() }

// VerificationMethod is how an external card is verified.
type VerificationMethod uint8

// Verification methods.
const (
	MethodPrenote     VerificationMethod = iota + 1 // a zero-value test transaction
	MethodAggregation                               // through an account aggregator
)

var methodEnum = enum.Enum[VerificationMethod]{Type: "account.VerificationMethod", Entries: []enum.Entry{
	MethodPrenote:     {Name: "PRENOTE", Doc: "a zero-value test transaction"},
	MethodAggregation: {Name: "AGGREGATION", Doc: "through an account aggregator"},
}}

// String returns the canonical name, such as "PRENOTE".
func (m VerificationMethod) String() string { return methodEnum.Name(m) }

// Doc is the documented meaning of m.
func (m VerificationMethod) Doc() string { return methodEnum.Doc(m) }

// Valid reports whether m is one of the named values.
func (m VerificationMethod) Valid() bool { return methodEnum.Valid(m) }

// MarshalText encodes the canonical name.
func (m VerificationMethod) MarshalText() ([]byte, error) {
	return marshalEnum(&methodEnum, "verification.method", m)
}

// UnmarshalText decodes a canonical name; an unknown one is an error.
func (m *VerificationMethod) UnmarshalText(b []byte) error {
	return unmarshalEnum(&methodEnum, "verification.method", m, b)
}

// ParseVerificationMethod parses a canonical name such as "AGGREGATION".
func ParseVerificationMethod(s string) (VerificationMethod, error) {
	return parseEnum(&methodEnum, "verification.method", s)
}

// VerificationMethodValues lists every VerificationMethod.
func VerificationMethodValues() []VerificationMethod { return methodEnum.Values() }

// HolderKind is what kind of party holds an account.
type HolderKind uint8

// Holder kinds.
const (
	HolderCustomer  HolderKind = iota + 1 // a person who is the program's customer
	HolderBusiness                        // a business
	HolderRecipient                       // a payee who is not a customer
)

var holderEnum = enum.Enum[HolderKind]{Type: "account.HolderKind", Entries: []enum.Entry{
	HolderCustomer:  {Name: "CUSTOMER", Doc: "a person who is the program's customer"},
	HolderBusiness:  {Name: "BUSINESS", Doc: "a business"},
	HolderRecipient: {Name: "RECIPIENT", Doc: "a payee who is not a customer"},
}}

// String returns the canonical name, such as "CUSTOMER".
func (h HolderKind) String() string { return holderEnum.Name(h) }

// Doc is the documented meaning of h.
func (h HolderKind) Doc() string { return holderEnum.Doc(h) }

// Valid reports whether h is one of the named values.
func (h HolderKind) Valid() bool { return holderEnum.Valid(h) }

// MarshalText encodes the canonical name.
func (h HolderKind) MarshalText() ([]byte, error) { return marshalEnum(&holderEnum, "holder.kind", h) }

// UnmarshalText decodes a canonical name; an unknown one is an error.
func (h *HolderKind) UnmarshalText(b []byte) error {
	return unmarshalEnum(&holderEnum, "holder.kind", h, b)
}

// ParseHolderKind parses a canonical name such as "RECIPIENT".
func ParseHolderKind(s string) (HolderKind, error) { return parseEnum(&holderEnum, "holder.kind", s) }

// HolderKindValues lists every HolderKind.
func HolderKindValues() []HolderKind { return holderEnum.Values() }

// ActorType is what kind of party created or changed an account.
type ActorType uint8

// Actor types.
const (
	ActorEmployee         ActorType = iota + 1 // a member of the program's team, in the provider's portal
	ActorInternal                              // the provider's own internal service; has no id
	ActorProviderEmployee                      // an employee of the provider
	ActorServiceAccount                        // an API client acting for the program
)

var actorEnum = enum.Enum[ActorType]{Type: "account.ActorType", Entries: []enum.Entry{
	ActorEmployee:         {Name: "EMPLOYEE", Doc: "a member of the program's team, in the provider's portal"},
	ActorInternal:         {Name: "INTERNAL", Doc: "the provider's own internal service; has no id"},
	ActorProviderEmployee: {Name: "PROVIDER_EMPLOYEE", Doc: "an employee of the provider"},
	ActorServiceAccount:   {Name: "SERVICE_ACCOUNT", Doc: "an API client acting for the program"},
}}

// String returns the canonical name, such as "SERVICE_ACCOUNT".
func (a ActorType) String() string { return actorEnum.Name(a) }

// Doc is the documented meaning of a.
func (a ActorType) Doc() string { return actorEnum.Doc(a) }

// Valid reports whether a is one of the named values.
func (a ActorType) Valid() bool { return actorEnum.Valid(a) }

// MarshalText encodes the canonical name.
func (a ActorType) MarshalText() ([]byte, error) { return marshalEnum(&actorEnum, "type", a) }

// UnmarshalText decodes a canonical name; an unknown one is an error.
func (a *ActorType) UnmarshalText(b []byte) error { return unmarshalEnum(&actorEnum, "type", a, b) }

// ParseActorType parses a canonical name such as "EMPLOYEE".
func ParseActorType(s string) (ActorType, error) { return parseEnum(&actorEnum, "type", s) }

// ActorTypeValues lists every ActorType.
func ActorTypeValues() []ActorType { return actorEnum.Values() }
