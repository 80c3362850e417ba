package ledgersql

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
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
