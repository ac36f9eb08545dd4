package issuance

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/google/uuid"

	"github.com/cardkit/cardkit/account"
	"github.com/cardkit/cardkit/card"
	"github.com/cardkit/cardkit/internal/shown"
	"github.com/cardkit/cardkit/storage"
)

// OpenAccountRequest asks for an integrated account: the account cards are
// issued on.
type OpenAccountRequest struct {
	Name     string
	Holder   account.Holder
	Subtype  card.Type
	Currency card.Currency
	// Default makes it the holder's default account in its currency; the
	// previous default stops being one, in the same unit.
	Default bool
	By      account.Actor // who opens it; the zero Actor is the provider's internal service
}

// OpenAccount opens an integrated account, ACTIVE. A request that breaks a
// rule fails with a *card.Error and nothing is written.
func (s *Service) OpenAccount(ctx context.Context, tenant string, req OpenAccountRequest) (account.Account, error) {
	now := s.now()
	a := account.Account{
		ID: s.newID(), Tenant: tenant, Kind: account.KindIntegrated, Name: req.Name, Holder: req.Holder,
		Subtype: req.Subtype, Currency: req.Currency, Default: req.Default, State: account.StateActive,
		CreatedBy: actorOf(req.By), UpdatedBy: actorOf(req.By), CreatedAt: now, UpdatedAt: now,
	}
	if err := s.createAccount(ctx, a); err != nil {
		return account.Account{}, err
	}
	return a, nil
}

// LinkRequest asks to link a card issued elsewhere as an external account.
type LinkRequest struct {
	Name     string
	Holder   account.Holder
	Subtype  card.Type // DEBIT or CREDIT
	Currency card.Currency
	Default  bool
	// The card as printed. Number is read once, fingerprinted and dropped:
	// the account keeps its BIN, last four and fingerprint.
	FirstName, MiddleName, LastName string
	Number                          string
	Expiry                          card.Expiry
	BillingAddress                  card.Address
	By                              account.Actor
}

// A LinkRequest prints with its Number as "[redacted]", through String,
// GoString, every fmt verb, slog and JSON: the rest of it as any struct,
// but for any other text that holds a card number (internal/shown).

// linkShown is a LinkRequest without its methods, printed in its place.
type linkShown LinkRequest

func (r LinkRequest) shown() linkShown {
	v := linkShown(r)
	if v.Number != "" {
		v.Number = "[redacted]"
	}
	return v
}

// String returns r as %+v prints it, the number redacted.
func (r LinkRequest) String() string { return fmt.Sprintf("%+v", r) }

// GoString returns r as %#v prints it, the number redacted.
func (r LinkRequest) GoString() string { return shown.GoString(r.shown(), "issuance.LinkRequest") }

// Format writes r as the verb writes a struct, the number redacted.
func (r LinkRequest) Format(f fmt.State, verb rune) {
	shown.Format(f, verb, r.shown(), "issuance.LinkRequest")
}

// LogValue logs r with the number redacted.
func (r LinkRequest) LogValue() slog.Value { return shown.LogValue(r.shown()) }

// MarshalJSON encodes r's fields, the number redacted.
func (r LinkRequest) MarshalJSON() ([]byte, error) { return shown.JSON(r.shown()) }

// LinkExternalCard links a card issued elsewhere: a PENDING external
// account whose verification has not started. A request that breaks a rule
// fails with a *card.Error, which never repeats the number, and nothing is
// written.
func (s *Service) LinkExternalCard(ctx context.Context, tenant string, req LinkRequest) (account.Account, error) {
	now := s.now()
	a := account.Account{
		ID: s.newID(), Tenant: tenant, Kind: account.KindExternal, Name: req.Name, Holder: req.Holder,
		Subtype: req.Subtype, Currency: req.Currency, Default: req.Default, State: account.StatePending,
		Verification: account.Verification{Status: account.VerificationUnverified},
		External: &account.ExternalCard{
			FirstName: req.FirstName, MiddleName: req.MiddleName, LastName: req.LastName,
			Expiry: req.Expiry, BillingAddress: req.BillingAddress,
		},
		CreatedBy: actorOf(req.By), UpdatedBy: actorOf(req.By), CreatedAt: now, UpdatedAt: now,
	}
	pan, err := account.ParseCardNumber(req.Number)
	if err != nil {
		// Every problem at once: the rest of the request is checked with a
		// stand-in number, so that only the number's own error speaks of it.
		var p card.Problems
		p.Merge("", err)
		if standIn, serr := card.CompletePAN("424242424242424"); serr == nil {
			a.External.SetPAN(standIn, s.key)
			p.Merge("", a.Validate())
			a.CheckCardNumbers(&p)
		}
		return account.Account{}, p.Err("issuance.LinkExternalCard")
	}
	a.External.SetPAN(pan, s.key)
	if err := s.createAccount(ctx, a); err != nil {
		return account.Account{}, err
	}
	a.External.PAN = card.PAN{} // the caller gets what the store keeps
	return a, nil
}

// createAccount stores a, moving the holder's default to it if it is one.
func (s *Service) createAccount(ctx context.Context, a account.Account) error {
	var p card.Problems
	p.Merge("", a.Validate())
	a.CheckCardNumbers(&p) // what comes in holds no card number in its text
	if err := p.Err("issuance.account"); err != nil {
		return err
	}
	return s.store.Atomic(ctx, func(ctx context.Context, tx storage.Tx) error {
		if a.Default {
			others, err := tx.Accounts(ctx, a.Tenant, a.Holder)
			if err != nil {
				return err
			}
			all := append(others, a)
			for _, i := range account.SetDefault(all, len(all)-1, a.CreatedAt) {
				if all[i].ID == a.ID {
					continue
				}
				all[i].UpdatedBy = a.CreatedBy
				if err := tx.UpdateAccount(ctx, all[i], all[i].Version-1); err != nil {
					return err
				}
			}
		}
		return tx.CreateAccount(ctx, a)
	})
}

// Account returns an account.
func (s *Service) Account(ctx context.Context, tenant string, id uuid.UUID) (account.Account, error) {
	if err := checkTenant(tenant); err != nil {
		return account.Account{}, err
	}
	return s.store.Account(ctx, tenant, id)
}

// actorOf defaults the actor to the provider's internal service.
func actorOf(a account.Actor) account.Actor {
	if a.IsZero() {
		return account.Actor{Type: account.ActorInternal}
	}
	return a
}
