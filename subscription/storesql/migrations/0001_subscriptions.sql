-- Subscriptions as JSON snapshots with an optimistic version; next_at (microseconds since the
-- Unix epoch, UTC) is the instant of the pending action, NULL when none, so Due reads only
-- the subscriptions with something due.
CREATE TABLE {{prefix}}subscriptions (
    id TEXT NOT NULL PRIMARY KEY,
    version BIGINT NOT NULL,
    state TEXT NOT NULL,
    next_at BIGINT,
    snapshot TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX {{prefix}}subscriptions_next_at ON {{prefix}}subscriptions (next_at);
-- One row per planner action ID: who holds it (token, instance) until when, how many times it
-- was claimed, and when its outcome was recorded.
CREATE TABLE {{prefix}}subscription_actions (
    action_id TEXT NOT NULL PRIMARY KEY,
    subscription_id TEXT NOT NULL,
    token TEXT NOT NULL,
    instance TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    claimed_at BIGINT NOT NULL,
    lease_until BIGINT NOT NULL,
    done_at BIGINT
);
