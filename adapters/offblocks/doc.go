// Package offblocks is OffBlocks' card wire format (API v1) and its
// translation to and from cardkit's domain.
//
// It follows shared/seeds/offblocks-card-issuance.txt (POST
// /v1/accounts/{accountId}/cards, the sandbox simulator), whose JSON was
// lost: the request and the 201 response it showed are
// shared/providers/samples/offblocks/, and the card's members and the seven
// card states are in shared/providers/offblocks.md.
//
// The card's status maps to the domain's pair: issuing ⇄ PENDING,
// issue_failed ⇄ REJECTED, active ⇄ ACTIVE/NEW, inactive ⇄ SUSPENDED/REQ,
// suspended ⇄ SUSPENDED/SUS, blocked ⇄ TERMINATED/FRD, terminated ⇄
// TERMINATED; Mappings lists every pair that goes out as each.
// The masked number (first 6, '*'s, last 4) gives the BIN and last four;
// the expiry is MM/YYYY; timestamps carry nanoseconds. Every modifying call
// needs an Idempotency-Key that is a UUID (IdempotencyKey), and the account
// is a path parameter of the issue call (IssuePath), not a member.
//
// # What OffBlocks cannot express
//
//   - a physical card (OffBlocks issues virtual cards only), and so a
//     shipping method, delivery status or tracking;
//   - UNACTIVATED, IMAGE_PENDING and IMAGE_REJECTED; a status reason beyond
//     the seven statuses;
//   - a card type (DEBIT, CREDIT, ...), product, label, currency, spending
//     controls, emboss lines, holder ids and name parts, reissue link,
//     metadata, PIN state, the full number and the number's length when it
//     is known only by BIN and last four, a third address line: these have
//     no place, and a translation reports them.
package offblocks
