// Package solid is Solid's card wire format (API v1) and its translation
// to and from cardkit's domain.
//
// It follows shared/seeds/solid-create-card.txt (POST /v1/card: request and
// response) and shared/providers/solid.md for the rest: the statuses
// pendingActivation, active, inactive and canceled; the members newer v1
// samples add (atmAccess, allowedMerchants, blockedMerchants, familyId,
// deliveryPartner); the replace call and its reasons lost, stolen, damaged
// and expired (ReplaceRequest).
//
// Solid writes money as decimal strings ("120.00"), the expiry as "12" and
// "2022", an unset timestamp as "" and an unset list or object as null, and
// prefixes its ids (crd-, acc-, bus-, prg-, chd-, per-, shp-); ids are kept
// exactly as given, placeholders such as "{{accountId}}" included. Solid's
// "bin" is the kind of program ("credit", "debit"), which maps to the
// card's Type. The ids and timestamps of Solid's sub-objects, the available
// limit and the theme stay in the Residue, so that a Solid card written
// back with its Residue is the same JSON.
//
// To create a card for someone other than the account owner, the call
// carries that person's id in the sd-person-id header (PersonID).
//
// # What Solid cannot express
//
//   - PENDING, REJECTED, IMAGE_PENDING and IMAGE_REJECTED; any reason for a
//     status (every hold is inactive, every end canceled);
//   - types PREPAID and GIFT; limit intervals other than allTime and daily;
//     a limit in another currency than the card's (a second limit has no
//     place: a translation reports it);
//   - delivery statuses other than pending and delivered (a shipping
//     method or a third address line has no place);
//   - reissue reasons other than lost, stolen, damaged and expired (on the
//     replace call); the card object has no reissue link;
//   - a brand, BIN, full number, tenant, image, memo, PIN state, language or
//     alert preference; a holder's name in parts (it is written joined).
package solid
