-- The shipping workflow's state. Records are JSON (data); the columns beside it are what
-- queries select on. IDs sort byte-wise in both dialects, as the in-memory store sorts them.
CREATE TABLE {{prefix}}shipping_orders (
    id TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    data TEXT NOT NULL
);
-- Waybills, with the sync's per-waybill lease: lease_owner (a syncer's instance ID, '' when
-- free) holds it until lease_until (microseconds since the Unix epoch, UTC). PutWaybill never
-- writes the lease columns.
CREATE TABLE {{prefix}}shipping_waybills (
    id TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    order_id TEXT COLLATE "C" NOT NULL,
    state TEXT NOT NULL,
    tracking INTEGER NOT NULL,
    synced_pass BIGINT NOT NULL,
    lease_owner TEXT NOT NULL DEFAULT '',
    lease_until BIGINT NOT NULL DEFAULT 0,
    data TEXT NOT NULL
);
CREATE INDEX {{prefix}}shipping_waybills_order ON {{prefix}}shipping_waybills (order_id);
CREATE INDEX {{prefix}}shipping_waybills_sync ON {{prefix}}shipping_waybills (tracking, synced_pass, id);
-- Planned changes not yet applied.
CREATE TABLE {{prefix}}shipping_plans (
    id TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    data TEXT NOT NULL
);
-- The event outbox: unacknowledged events by sequence number.
CREATE TABLE {{prefix}}shipping_events (
    seq BIGINT NOT NULL PRIMARY KEY,
    data TEXT NOT NULL
);
-- Single rows: the sync cursor (data) and the last event sequence number (num), which also
-- orders the transactions that append events, so an acknowledged number never skips one
-- committed later.
CREATE TABLE {{prefix}}shipping_meta (
    name TEXT NOT NULL PRIMARY KEY,
    num BIGINT NOT NULL,
    data TEXT NOT NULL
);
INSERT INTO {{prefix}}shipping_meta (name, num, data) VALUES ('cursor', 0, '{}');
INSERT INTO {{prefix}}shipping_meta (name, num, data) VALUES ('event_seq', 0, '');
