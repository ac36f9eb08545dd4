// Package synctera is Synctera's card wire format (API v0) and its
// translation to and from cardkit's domain.
//
// It follows shared/seeds/synctera-issue-card.txt (POST /v0/cards: the
// issue request, the card response, the statuses, the 31 status reasons and
// the reissue table) and, for the physical card's members the seed leaves
// out (shipping, card_fulfillment_status, fulfillment_details,
// physical_card_format), shared/providers/synctera.md.
//
// CardRequest and Card mirror the JSON member for member. DecodeCard and
// DecodeCardRequest give the neutral card.Card plus a Residue: what the
// neutral card has no place for (expiration_time, physical_card_format, a
// bin that is not a BIN such as the seed's "<string>", unknown members), so
// that EncodeCard with the same Residue writes back the same JSON value.
// Statuses and reasons are the domain's own; the mapping tables (Mappings)
// list every other spelling.
//
// # What Synctera cannot express
//
//   - type CREDIT (a GIFT card goes out as PREPAID);
//   - shipping methods URGENT, VIP, BULK, BULK_URGENT, BULK_VIP; delivery
//     statuses PENDING and DELIVERED (a third address line has no place);
//   - reissue reasons LOST_OR_STOLEN, COMPROMISED, RETURNED, NEW_ENROLLMENT;
//   - the reasons RIS, LNC and SNC go out as NEW, LOS and STO;
//   - a card's label, currency, spending controls, language, alert
//     preference, name on card, holder name and billing address, full
//     number and activation time: Synctera's card has no member for them;
//   - emboss lines over 21 characters or outside A-Z a-z 0-9 space . , / - & '
//     (card.RuleEmbossLine), and recipient names over 30 characters.
//
// A card without a status reason goes out without status_reason. The
// Idempotency-Key header is optional (IdempotencyKey).
package synctera
