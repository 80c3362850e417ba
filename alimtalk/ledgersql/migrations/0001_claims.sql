-- One row per claimed ref: the claim token (only the ledger that made the claim can release
-- it), the instance that made it and when (microseconds since the Unix epoch, UTC).
CREATE TABLE {{prefix}}alimtalk_ledger (
    ref TEXT NOT NULL PRIMARY KEY,
    token TEXT NOT NULL,
    instance TEXT NOT NULL,
    claimed_at BIGINT NOT NULL
);
CREATE INDEX {{prefix}}alimtalk_ledger_claimed_at ON {{prefix}}alimtalk_ledger (claimed_at);
