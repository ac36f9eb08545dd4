// Package card is cardkit's provider-neutral model of a payment card and the
// rules it lives by. It does no I/O and names no provider: adapters translate
// each provider's wire format into these types and back.
//
// # Lifecycle
//
// A card's Status and StatusReason together say where it is and why. The
// statuses are
//
//	PENDING         ordered; the provider is still issuing it
//	IMAGE_PENDING   waiting for approval of a custom card image
//	IMAGE_REJECTED  the custom image was rejected
//	REJECTED        issuance failed (final)
//	UNACTIVATED     issued, waiting for activation
//	ACTIVE          usable
//	SUSPENDED       held; the reason says why and who may lift the hold
//	TERMINATED      closed for good (final)
//
// and the reasons are the 31 documented three-letter codes (ACT ... UNK)
// plus RIS, LNC and SNC for what one provider reports beyond them. A
// provider's own words map onto the pair without loss: a lock the holder
// placed ("inactive") is SUSPENDED/REQ, a fraud suspension SUSPENDED/SUS, a
// card blocked for fraud TERMINATED/FRD, a card shipped inactive UNACTIVATED,
// a card suspended because it was lost SUSPENDED/LOS.
//
// One table, listed by Transitions, says which moves are allowed: from which
// status to which, with which reasons, made by whom (Actor: the holder, the
// program, the provider or network, or cardkit itself). The holder may place
// only a freeze or a lost or stolen hold. A hold is lifted by whoever placed
// it (Card.HeldBy) or by anyone with more authority, holder then program then
// provider; a hold the provider placed, or one whose placer is not known, is
// lifted only by the provider. CheckTransition applies the table and returns
// a *TransitionError naming the from and to statuses, the reason and the
// actor when it refuses; Card.Transition applies a move and counts it in
// Version.
//
// # Reissue
//
// ReissueRules lists, for each ReissueReason, what the new card keeps (the
// same number and expiry, the same number with a new expiry, or a new number)
// and when the old card ends (immediately, or when the new card is
// activated):
//
//	EXPIRATION      same number, new expiry   on activation
//	LOST, STOLEN    new number                immediately
//	LOST_OR_STOLEN  new number                immediately
//	COMPROMISED     new number                immediately
//	DAMAGED         same number and expiry    on activation
//	PRODUCT_CHANGE  same number and expiry    on activation
//	APPEARANCE      same number and expiry    on activation
//	RETURNED        same number and expiry    on activation
//	NEW_ENROLLMENT  same number and expiry    on activation
//
// VIRTUAL_TO_PHYSICAL and NAME_CHANGE are deprecated and behave exactly as
// PRODUCT_CHANGE and APPEARANCE. In every case the PIN and the digital wallet
// tokens carry over. PlanReissue decides, Reissue carries the plan out, and
// ActivateReplacement activates a new card and ends the old one where the
// rule says so, all or nothing.
//
// # Card numbers
//
// A PAN is parsed by ParsePAN (digits, 12 to 19 of them, Luhn) and masked on
// every way out: fmt with any verb, String, GoString, slog, JSON and text
// show at most the BIN (first 8 digits of a 16-digit or longer number, 6 of
// a 14- or 15-digit one, none of a shorter one, so that four digits always
// stay hidden) and the last four. In memory the digits are sealed, so that
// reflection-based printers and dumps do not show them either; the clear
// number comes only from PAN.RevealDigits. At rest a card keeps its BIN, last
// four, length and a keyed Fingerprint (HMAC-SHA-256 under a
// FingerprintKey), never the number; the JSON encoding of a Card leaves the
// PAN out, and errors never repeat a value that could be a card number.
//
// # Errors
//
// Validation returns an *Error of kind ErrInvalid that lists every problem
// found, each with a field path such as "shipping.address.postal_code", a
// Code and a message. Test kinds with errors.Is (ErrInvalid,
// ErrIllegalTransition, ErrCannotReissue) and read the detail with
// errors.As.
//
// # Rules as data
//
// Text rules (TextRule: 21 characters of A-Z a-z 0-9 space . , / - & ' for an
// emboss line, 1 to 60 for a name on card, ...), countries (alpha-2 and
// alpha-3), currencies and their minor units are tables too, so that an
// adapter checks a provider's limit with the domain's data.
package card
