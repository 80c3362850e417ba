package ledgersql

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop/internal/sqlstore"
	"github.com/kshop-dev/kshop/internal/sqlstore/sqltest"
)

// The ledger remembers its last limit claims, across chunk boundaries, and forgets the
// oldest first; a slot being reused never forgets a newer claim of the same ref.
func TestHoldForgetsTheOldest(t *testing.T) {
	t.Parallel()
	const limit = heldChunk + 3
	l := &Ledger{held: map[string]string{}, limit: limit}
	for i := range limit {
		l.hold("r"+strconv.Itoa(i), "t"+strconv.Itoa(i))
	}
	assert.Len(t, l.held, limit)
	assert.Len(t, l.order, 2, "a full chunk and a short one")
	assert.Equal(t, 3, cap(l.order[1]), "the last chunk is no larger than the limit needs")

	// r1 is released and claimed again with a new token (which forgets r0, the oldest);
	// reusing r1's old slot next must keep the new claim.
	delete(l.held, "r1")
	l.hold("r1", "t1-again")
	_, ok := l.held["r0"]
	assert.False(t, ok, "the oldest claim is forgotten")
	l.hold("x1", "tx1") // reuses r1's old slot
	assert.Equal(t, "t1-again", l.held["r1"], "a newer claim of the ref is kept")
	assert.Equal(t, "t2", l.held["r2"])
	assert.Len(t, l.held, limit)

	// A full turn of the ring forgets every claim made before it.
	for i := range limit {
		l.hold("y"+strconv.Itoa(i), "ty"+strconv.Itoa(i))
	}
	assert.Len(t, l.held, limit)
	for i := range limit {
		_, ok := l.held["r"+strconv.Itoa(i)]
		assert.False(t, ok, "r%d", i)
	}
	_, ok = l.held["r1"]
	assert.False(t, ok, "r1's newer claim is forgotten in its turn")
}

// A claim whose statement failed may still commit a moment after the ledger found its row
// absent: the ledger keeps the token, and the next Claim of the ref adopts the row instead of
// calling the ref claimed by somebody else (which would drop a message nobody sends).
func TestLateCommitOfAFailedClaimIsAdopted(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tg := sqltest.SQLite(t)
	db := tg.Open(t)
	l, err := New(db, tg.Dialect, WithTablePrefix(tg.Prefix))
	require.NoError(t, err)
	require.NoError(t, l.Migrate(ctx))

	late := func(ref, token string) {
		t.Helper()
		_, err := db.ExecContext(ctx, l.q.claim, ref, token, l.instance, sqlstore.Micros(time.Now()))
		require.NoError(t, err, "the INSERT lands late")
	}
	l.orphan("r1", "tok-late") // the failed Claim's clean-up: nothing to delete yet
	late("r1", "tok-late")
	ok, err := l.adopt(ctx, "test", "r1", "tok-late")
	require.NoError(t, err)
	assert.True(t, ok, "our own late claim is adopted")
	_, kept := l.orphanOf("r1")
	assert.False(t, kept, "and no longer an orphan")
	// A sweep that copied the orphan before the adoption deletes by the old token: it must
	// find nothing, or the ref would be free for another instance while we send.
	assert.EqualValues(t, 0, l.deleteOrphan("r1", "tok-late"))
	c, found, err := l.Lookup(ctx, "r1")
	require.NoError(t, err)
	assert.True(t, found && c.Mine, "the adopted claim stands and is ours")
	require.NoError(t, l.Release(ctx, "r1"), "and held, so it can be released")

	// The sweep won: the orphan's row is gone, so the ref is claimed afresh.
	l.orphan("r3", "tok-swept")
	ok, err = l.adopt(ctx, "test", "r3", "tok-swept")
	require.NoError(t, err)
	assert.True(t, ok)

	// Somebody else holds the ref: not ours to adopt.
	l.orphan("r4", "tok-mine")
	late("r4", "tok-theirs")
	ok, err = l.adopt(ctx, "test", "r4", "tok-mine")
	require.NoError(t, err)
	assert.False(t, ok)

	// End to end: Claim finds the ref taken by its own late claim and adopts it.
	l.orphan("r5", "tok-late5")
	late("r5", "tok-late5")
	ok, err = l.Claim(ctx, "r5")
	require.NoError(t, err)
	assert.True(t, ok)
	c, found, err = l.Lookup(ctx, "r5")
	require.NoError(t, err)
	assert.True(t, found && c.Mine)

	// An orphan whose row never appears is forgotten once orphanSettle has passed.
	l.mu.Lock()
	l.orphans["r2"] = orphanClaim{token: "tok-never", since: time.Now().Add(-orphanSettle)}
	l.mu.Unlock()
	l.sweepOrphans(ctx)
	_, kept = l.orphanOf("r2")
	assert.False(t, kept)
}
