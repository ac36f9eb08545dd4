// Package adapters picks a card-issuing provider's wire format by name and
// translates a document from one format to another through cardkit's
// domain.
//
// The formats are synctera, solid, rocketkor and offblocks (one package
// each under adapters/, each the exact wire format of the provider's
// published document, whose samples are its testdata) and cardkit, the
// library's own neutral JSON: the domain's card.Card or account.Account
// under a schema version, never holding a full card number. A Registry
// lists them (Formats, Kinds); New builds one from a literal table, and no
// registry is global.
//
// Translate(from, to, kind, input) decodes input as the source format,
// maps it onto the domain, and encodes the domain value as the target
// format. It returns the target JSON and a Report of every source field the
// target cannot carry (the source's JSON path and why), found by comparing
// the domain value before and after a round trip through the target; and
// it fails, naming the target's field and the value, when the target cannot
// express a value, or when a member the target requires has no value: the
// members its document marks required in an issue request, and a card's
// status, type and form. A provider's card response is otherwise written with what the
// source has: much of what a provider requires of its own responses (its
// ids, times, plastic formats) no other source holds. Translating a
// document to its own format keeps what only that provider has (its
// Residue) and gives back the same JSON value.
//
// The kinds are card (the provider's card resource), issue-request (the
// body of the call that issues a card) and account (a financial account
// object; only RocketKOR's External Card Financial Account and cardkit's
// account.Account).
//
// # The cardkit format
//
// A cardkit document is an object with "schema_version" (1), "kind" (card,
// issue-request or account) and "card" or "account", the domain value in
// its neutral encoding (snake_case names, enums by canonical name, the
// number by BIN, last four and fingerprint only). Unlike a provider's
// format, which tolerates and reports members it does not know, a cardkit
// document with an unknown member is refused: cardkit documents every
// member of its own format, and the schema version says which.
package adapters
