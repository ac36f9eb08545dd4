// Package rocketkor is RocketKOR's card wire format (KOR API v1) and its
// translation to and from cardkit's domain.
//
// It follows shared/seeds/rocketkor-issue-integrated-card.txt (POST
// /v1/integrated-cards: the issue request and the Issued Card Financial
// Account it returns, which is RocketKOR's card resource, with its card and
// _embedded.providerDetails) and
// shared/seeds/rocketkor-external-card-financial-account.txt (the External
// Card Financial Account, which maps to an account.Account of kind
// EXTERNAL), with shared/providers/rocketkor.md for the states, reasons and
// contradictions.
//
// RocketKOR splits a card's status into state and stateReason; together
// they map to the domain's pair: PENDING ⇄ PENDING, ACTIVE/CARD_ACTIVATED ⇄
// ACTIVE/NEW, ACTIVE/CARD_REISSUED ⇄ ACTIVE/RIS, SUSPENDED/ISSUED_INACTIVE ⇄
// UNACTIVATED, SUSPENDED/LOST_CARD ⇄ SUSPENDED/LOS, STOLEN_CARD ⇄ STO,
// LOST_CARD_NOT_CAPTURED ⇄ LNC, STOLEN_CARD_NOT_CAPTURED ⇄ SNC, FRAUD_BLOCK ⇄
// FRD (Mappings lists what else goes out as each). Dates are yyyy-MM-dd,
// expiries yyyy-MM, timestamps carry milliseconds, countries are alpha-3.
// The alert type is read as alertType (the request, the seed) or alertTypes
// (the provider details page) and written back as it came. The provider
// details and the external card carry the full card number: this package
// is one of the two places that call card.PAN.RevealDigits, because
// RocketKOR demands the number there. The seed samples contradict
// themselves (a CREDIT request answered by a DEBIT account, three different
// last fours); both sides are read as sent and written back as sent.
//
// The Idempotency-Key header takes a UUID or any string of 6 to 255
// characters (IdempotencyKey).
//
// # What RocketKOR cannot express
//
//   - a holder's freeze (SUSPENDED/REQ) or any hold other than lost, stolen
//     (captured or not) and fraud; TERMINATED, REJECTED, IMAGE_PENDING and
//     IMAGE_REJECTED: an integrated account is PENDING, ACTIVE or SUSPENDED;
//   - currencies other than USD and CAD;
//   - shipping methods beyond NORMAL, URGENT, VIP and the bulk ones; a
//     shipping address, recipient or delivery status;
//   - reissue reasons PRODUCT_CHANGE, APPEARANCE and the deprecated ones
//     (LOST and STOLEN both go out as LOST_STOLEN); the reissue links' card
//     ids;
//   - a brand, form (cards are PHYSICAL), business holder, image, memo,
//     first emboss line, spending controls, metadata, PIN state;
//   - an external account of subtype GIFT, or an integrated account as
//     the External Card Financial Account.
//
// An issue request needs members no other format holds (solution,
// usCitizen, the terms and privacy dates, acceptedAgreement): translated
// from another provider, it fails naming each of them.
package rocketkor
