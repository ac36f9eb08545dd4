package card

import "github.com/cardkit/cardkit/internal/enum"

// Status is where a card is in its lifecycle. Together with its StatusReason
// it holds every status the providers report without loss: a provider's
// "inactive" lock is SUSPENDED with reason REQ, a fraud suspension SUSPENDED
// with SUS or FRD, a card blocked for fraud TERMINATED with FRD, a card that
// shipped and waits for activation UNACTIVATED, a card suspended because it
// was lost SUSPENDED with LOS.
type Status uint8

// Statuses. The transition table (Transitions) says how a card moves
// between them; REJECTED and TERMINATED have no exit.
const (
	StatusPending Status = iota + 1
	StatusImagePending
	StatusImageRejected
	StatusRejected
	StatusUnactivated
	StatusActive
	StatusSuspended
	StatusTerminated
)

var statusEnum = enum.Enum[Status]{Type: "card.Status", Entries: []enum.Entry{
	StatusPending:       {Name: "PENDING", Doc: "ordered; the provider is still issuing it"},
	StatusImagePending:  {Name: "IMAGE_PENDING", Doc: "waiting for approval of a custom card image"},
	StatusImageRejected: {Name: "IMAGE_REJECTED", Doc: "the custom card image was rejected"},
	StatusRejected:      {Name: "REJECTED", Doc: "issuance failed; final"},
	StatusUnactivated:   {Name: "UNACTIVATED", Doc: "issued, waiting for the holder to activate it"},
	StatusActive:        {Name: "ACTIVE", Doc: "usable"},
	StatusSuspended:     {Name: "SUSPENDED", Doc: "not usable for now; the reason says why and who may lift it"},
	StatusTerminated:    {Name: "TERMINATED", Doc: "closed for good; final"},
}}

// String returns the canonical name, such as "ACTIVE".
func (s Status) String() string { return statusEnum.Name(s) }

// Doc is the documented meaning of s.
func (s Status) Doc() string { return statusEnum.Doc(s) }

// Valid reports whether s is one of the named values.
func (s Status) Valid() bool { return statusEnum.Valid(s) }

// MarshalText encodes the canonical name.
func (s Status) MarshalText() ([]byte, error) { return marshalEnum(&statusEnum, "status", s) }

// UnmarshalText decodes a canonical name; an unknown one is an error.
func (s *Status) UnmarshalText(b []byte) error { return unmarshalEnum(&statusEnum, "status", s, b) }

// ParseStatus parses a canonical name such as "SUSPENDED".
func ParseStatus(s string) (Status, error) { return parseEnum(&statusEnum, "status", s) }

// StatusValues lists every Status.
func StatusValues() []Status { return statusEnum.Values() }

// Final reports whether s has no exit in the transition table.
func (s Status) Final() bool {
	if !statusEnum.Valid(s) {
		return false
	}
	for i := range transitions {
		if transitions[i].From == s {
			return false
		}
	}
	return true
}

// Reasons is the set of reasons a card in status s may hold: those some
// move of the lifecycle table into s gives, and no reason for a card that
// was created PENDING.
func (s Status) Reasons() ReasonSet {
	var set ReasonSet
	for i := range transitions {
		if transitions[i].To == s {
			set |= transitions[i].Reasons
		}
	}
	if s == StatusPending {
		set |= NoReason
	}
	return set
}

// ReasonsBy is the set of reasons some move of the lifecycle table into s
// allows when by makes it, from any status: a request can be checked with
// it before the card is read.
func (s Status) ReasonsBy(by Actor) ReasonSet {
	var set ReasonSet
	for i := range transitions {
		if transitions[i].To == s && transitions[i].By.Has(by) {
			set |= transitions[i].Reasons
		}
	}
	return set
}

// Issued reports whether a card in status s exists at the provider as a card
// that can be used, or could be after activation or a lifted hold.
func (s Status) Issued() bool {
	return s == StatusUnactivated || s == StatusActive || s == StatusSuspended
}

// StatusReason says why a card is in its status. The first 31 are the
// documented three-letter codes; the last three carry what one provider
// reports that the 31 do not.
type StatusReason uint8

// Status reasons. Do not reorder: ReasonSet is a bit set over these values.
const (
	ReasonACT StatusReason = iota + 1
	ReasonADD
	ReasonAUX
	ReasonCLO
	ReasonCOM
	ReasonDOB
	ReasonEML
	ReasonEXP
	ReasonFRD
	ReasonFUL
	ReasonINA
	ReasonINF
	ReasonISS
	ReasonKYC
	ReasonLOS
	ReasonMAT
	ReasonNAM
	ReasonNEG
	ReasonNEW
	ReasonOTH
	ReasonOUT
	ReasonPHO
	ReasonPIN
	ReasonPRC
	ReasonREQ
	ReasonREV
	ReasonSSN
	ReasonSTO
	ReasonSUS
	ReasonTMP
	ReasonUNK
	// Beyond the 31 codes.
	ReasonRIS // activated as the replacement of a reissued card
	ReasonLNC // reported lost, not captured
	ReasonSNC // reported stolen, not captured
)

var reasonEnum = enum.Enum[StatusReason]{Type: "card.StatusReason", Entries: []enum.Entry{
	ReasonACT: {Name: "ACT", Doc: "Account activity was validated"},
	ReasonADD: {Name: "ADD", Doc: "Address issue"},
	ReasonAUX: {Name: "AUX", Doc: "Initiated by a third party"},
	ReasonCLO: {Name: "CLO", Doc: "Card was cloned"},
	ReasonCOM: {Name: "COM", Doc: "Account or card was compromised"},
	ReasonDOB: {Name: "DOB", Doc: "DOB issue"},
	ReasonEML: {Name: "EML", Doc: "Email issue"},
	ReasonEXP: {Name: "EXP", Doc: "Card expired"},
	ReasonFRD: {Name: "FRD", Doc: "Confirmed fraud"},
	ReasonFUL: {Name: "FUL", Doc: "Account/fulfillment mismatch"},
	ReasonINA: {Name: "INA", Doc: "Dormant"},
	ReasonINF: {Name: "INF", Doc: "Information was validated"},
	ReasonISS: {Name: "ISS", Doc: "Initiated by Issuer"},
	ReasonKYC: {Name: "KYC", Doc: "Failed KYC"},
	ReasonLOS: {Name: "LOS", Doc: "Card reported lost"},
	ReasonMAT: {Name: "MAT", Doc: "Matched with an OFAC list"},
	ReasonNAM: {Name: "NAM", Doc: "Name issue"},
	ReasonNEG: {Name: "NEG", Doc: "Negative account balance"},
	ReasonNEW: {Name: "NEW", Doc: "Card activated"},
	ReasonOTH: {Name: "OTH", Doc: "Other"},
	ReasonOUT: {Name: "OUT", Doc: "Activity outside program parameters"},
	ReasonPHO: {Name: "PHO", Doc: "Phone issue"},
	ReasonPIN: {Name: "PIN", Doc: "PIN try limit reached"},
	ReasonPRC: {Name: "PRC", Doc: "Initiated by Processor"},
	ReasonREQ: {Name: "REQ", Doc: "Requested by you"},
	ReasonREV: {Name: "REV", Doc: "Account under review"},
	ReasonSSN: {Name: "SSN", Doc: "SSN issue"},
	ReasonSTO: {Name: "STO", Doc: "Card reported stolen"},
	ReasonSUS: {Name: "SUS", Doc: "Suspicious activity"},
	ReasonTMP: {Name: "TMP", Doc: "Awaiting customer confirmation"},
	ReasonUNK: {Name: "UNK", Doc: "Invalid shipping address"},
	ReasonRIS: {Name: "RIS", Doc: "Card activated as the replacement of a reissued card"},
	ReasonLNC: {Name: "LNC", Doc: "Card reported lost, not captured"},
	ReasonSNC: {Name: "SNC", Doc: "Card reported stolen, not captured"},
}}

// String returns the code, such as "LOS"; "" for no reason.
func (r StatusReason) String() string { return reasonEnum.Name(r) }

// Doc is the documented meaning of r, such as "Card reported lost".
func (r StatusReason) Doc() string { return reasonEnum.Doc(r) }

// Valid reports whether r is one of the named values.
func (r StatusReason) Valid() bool { return reasonEnum.Valid(r) }

// MarshalText encodes the code.
func (r StatusReason) MarshalText() ([]byte, error) {
	return marshalEnum(&reasonEnum, "status_reason", r)
}

// UnmarshalText decodes a code; an unknown one is an error.
func (r *StatusReason) UnmarshalText(b []byte) error {
	return unmarshalEnum(&reasonEnum, "status_reason", r, b)
}

// ParseStatusReason parses a code such as "FRD". An unknown code is an
// error, never a default.
func ParseStatusReason(s string) (StatusReason, error) {
	return parseEnum(&reasonEnum, "status_reason", s)
}

// StatusReasonValues lists every StatusReason.
func StatusReasonValues() []StatusReason { return reasonEnum.Values() }

// ReasonSet is a set of status reasons. NoReason stands for "no reason
// given", so that a table row can allow a move with or without one.
type ReasonSet uint64

// NoReason is the set holding only "no reason" (the zero StatusReason).
const NoReason ReasonSet = 1

// AnyReason holds every reason and "no reason".
const AnyReason ReasonSet = 1<<(ReasonSNC+1) - 1

// ReasonsOf makes a set.
func ReasonsOf(rs ...StatusReason) ReasonSet {
	var s ReasonSet
	for _, r := range rs {
		s |= 1 << r
	}
	return s
}

// Has reports whether r is in the set; the zero reason is in it when the set
// includes NoReason.
func (s ReasonSet) Has(r StatusReason) bool {
	return r <= ReasonSNC && s&(1<<r) != 0
}

// List returns the members in code order; the zero reason first if present.
func (s ReasonSet) List() []StatusReason {
	var out []StatusReason
	for r := StatusReason(0); r <= ReasonSNC; r++ {
		if s.Has(r) {
			out = append(out, r)
		}
	}
	return out
}

// String lists the members by code, such as "none|LOS|STO".
func (s ReasonSet) String() string {
	out := ""
	for _, r := range s.List() {
		if out != "" {
			out += "|"
		}
		if r == 0 {
			out += "none"
		} else {
			out += r.String()
		}
	}
	return out
}
