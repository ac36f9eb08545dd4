-- cardkit schema 1: cards, their provider references and events, accounts,
-- idempotency records. Every table is keyed by tenant first. Columns hold
-- what is queried; the rest of a card or an account is one JSON document in
-- cardkit's neutral encoding, which never holds a full card number. Times
-- are Unix nanoseconds.

CREATE TABLE cards (
	seq         INTEGER PRIMARY KEY AUTOINCREMENT, -- insertion order, for listing newest first
	tenant      TEXT    NOT NULL,
	id          TEXT    NOT NULL,
	account_id  TEXT    NOT NULL,
	customer_id TEXT    NOT NULL,
	business_id TEXT    NOT NULL,
	status      TEXT    NOT NULL,
	fingerprint BLOB,                              -- keyed HMAC of the number; NULL when unknown
	bin         TEXT    NOT NULL,
	last_four   TEXT    NOT NULL,
	version     INTEGER NOT NULL,
	created_at  INTEGER NOT NULL,
	updated_at  INTEGER NOT NULL,
	doc         TEXT    NOT NULL,
	UNIQUE (tenant, id)
);
CREATE INDEX cards_by_tenant      ON cards (tenant, seq);
CREATE INDEX cards_by_account     ON cards (tenant, account_id, seq);
CREATE INDEX cards_by_customer    ON cards (tenant, customer_id, seq);
CREATE INDEX cards_by_business    ON cards (tenant, business_id, seq);
CREATE INDEX cards_by_fingerprint ON cards (tenant, fingerprint, seq) WHERE fingerprint IS NOT NULL;

CREATE TABLE card_refs (
	tenant   TEXT NOT NULL,
	provider TEXT NOT NULL,
	ref      TEXT NOT NULL,
	card_id  TEXT NOT NULL,
	PRIMARY KEY (tenant, provider, ref),
	FOREIGN KEY (tenant, card_id) REFERENCES cards (tenant, id)
) WITHOUT ROWID;
CREATE INDEX card_refs_by_card ON card_refs (tenant, card_id);

CREATE TABLE card_events (
	tenant          TEXT    NOT NULL,
	card_id         TEXT    NOT NULL,
	seq             INTEGER NOT NULL,
	kind            TEXT    NOT NULL,
	from_status     TEXT    NOT NULL,
	to_status       TEXT    NOT NULL,
	reason          TEXT    NOT NULL,
	actor           TEXT    NOT NULL,
	at              INTEGER NOT NULL,
	idempotency_key TEXT    NOT NULL,
	note            TEXT    NOT NULL,
	PRIMARY KEY (tenant, card_id, seq),
	FOREIGN KEY (tenant, card_id) REFERENCES cards (tenant, id)
) WITHOUT ROWID;

CREATE TABLE accounts (
	seq         INTEGER PRIMARY KEY AUTOINCREMENT,
	tenant      TEXT    NOT NULL,
	id          TEXT    NOT NULL,
	holder_kind TEXT    NOT NULL,
	holder_id   TEXT    NOT NULL,
	currency    TEXT    NOT NULL,
	is_default  INTEGER NOT NULL,
	version     INTEGER NOT NULL,
	created_at  INTEGER NOT NULL,
	updated_at  INTEGER NOT NULL,
	doc         TEXT    NOT NULL,
	UNIQUE (tenant, id)
);
CREATE INDEX accounts_by_holder ON accounts (tenant, holder_kind, holder_id, seq);
-- A holder has at most one default account per currency.
CREATE UNIQUE INDEX accounts_one_default ON accounts (tenant, holder_kind, holder_id, currency) WHERE is_default;

CREATE TABLE idempotency_keys (
	tenant         TEXT    NOT NULL,
	key            TEXT    NOT NULL,
	request_hash   BLOB    NOT NULL,
	state          INTEGER NOT NULL,
	recovery_point TEXT    NOT NULL,
	result         BLOB,
	card_id        TEXT,                           -- NULL when the call made no card
	created_at     INTEGER NOT NULL,
	lease_until    INTEGER NOT NULL,
	version        INTEGER NOT NULL,
	PRIMARY KEY (tenant, key),
	FOREIGN KEY (tenant, card_id) REFERENCES cards (tenant, id)
) WITHOUT ROWID;
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (tenant, created_at);
