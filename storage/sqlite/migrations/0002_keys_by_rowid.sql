-- The idempotency records become a rowid table. A record holds its call's
-- result, a kilobyte or more; WITHOUT ROWID kept whole records in the
-- B-tree ordered by (tenant, key), a few to a page, so every new key (a
-- random one, usually) split or rewrote a large page. Now the records are
-- stored in the order they are made and (tenant, key) is a small index.
CREATE TABLE idempotency_keys_next (
	seq            INTEGER PRIMARY KEY,             -- order of making; not part of the API
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
	UNIQUE (tenant, key),
	FOREIGN KEY (tenant, card_id) REFERENCES cards (tenant, id)
);
INSERT INTO idempotency_keys_next
	(tenant, key, request_hash, state, recovery_point, result, card_id, created_at, lease_until, version)
	SELECT tenant, key, request_hash, state, recovery_point, result, card_id, created_at, lease_until, version
	FROM idempotency_keys ORDER BY created_at;
DROP TABLE idempotency_keys;
ALTER TABLE idempotency_keys_next RENAME TO idempotency_keys;
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (tenant, created_at);
