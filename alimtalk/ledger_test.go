package alimtalk_test

import (
	"context"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop/alimtalk"
)

func claim(t *testing.T, l alimtalk.Ledger, ref string) bool {
	t.Helper()
	ok, err := l.Claim(context.Background(), ref)
	require.NoError(t, err)
	return ok
}

func TestMemoryLedger(t *testing.T) {
	t.Parallel()
	l := alimtalk.NewMemoryLedger(2)
	assert.True(t, claim(t, l, "a"))
	assert.False(t, claim(t, l, "a"), "second claim of the same ref")
	assert.True(t, claim(t, l, "b"))
	assert.True(t, claim(t, l, "c"), "evicts a, the oldest")
	assert.Equal(t, 2, l.Len())
	assert.True(t, claim(t, l, "a"), "a was forgotten")
	assert.False(t, claim(t, l, "c"))
}

func TestMemoryLedgerReleaseAndReclaim(t *testing.T) {
	t.Parallel()
	l := alimtalk.NewMemoryLedger(2)
	assert.True(t, claim(t, l, "a"))
	require.NoError(t, l.Release(context.Background(), "a"))
	assert.Equal(t, 0, l.Len())
	assert.True(t, claim(t, l, "a"), "a released ref can be claimed again")
	assert.True(t, claim(t, l, "b"), "evicts the stale first slot of a")
	assert.False(t, claim(t, l, "a"), "the live claim of a survives the eviction of its stale slot")
}

func TestMemoryLedgerConcurrentClaims(t *testing.T) {
	t.Parallel()
	l := alimtalk.NewMemoryLedger(0)
	var wins atomic.Int32
	var wg sync.WaitGroup
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 100; j++ {
				if ok, _ := l.Claim(context.Background(), "ref-"+strconv.Itoa(j)); ok {
					wins.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, int32(100), wins.Load(), "each ref won exactly once")
}
