package alimtalk

import (
	"context"
	"sync"

	"github.com/kshop-dev/kshop/internal/wire"
)

// Ledger remembers which Refs the dispatcher has handed to the provider, so that dispatching
// the same event twice (a retried webhook, a double click in the admin) sends nothing the
// second time. Claim must be atomic: of two concurrent claims of one ref, one wins.
//
// The dispatcher claims a message's Ref before sending and releases it when the message
// certainly did not go out (rejected, or the call failed before sending), so that a later
// retry can send it. Refs whose outcome is unknown stay claimed: reconcile them through the
// provider instead of sending again.
//
// The default is an in-memory ledger (NewMemoryLedger), which protects one process only;
// shops running several instances should give the dispatcher a ledger backed by their
// database (for example a unique index on the ref).
type Ledger interface {
	// Claim records ref and reports true, or reports false when ref is already recorded.
	Claim(ctx context.Context, ref string) (bool, error)
	// Release forgets ref.
	Release(ctx context.Context, ref string) error
}

// MemoryLedger is an in-memory Ledger that remembers the most recent refs up to a capacity,
// forgetting the oldest first. It is safe for concurrent use.
type MemoryLedger struct {
	mu       sync.Mutex
	capacity int
	seq      uint64
	claimed  map[string]uint64 // ref → sequence number of its live claim
	order    []ledgerEntry     // ring of claims in claim order
	next     int               // ring position of the next claim
}

type ledgerEntry struct {
	ref string
	seq uint64
}

// DefaultLedgerCapacity is the capacity of the dispatcher's default MemoryLedger: about a
// week of a busy shop's notifications, a few megabytes.
const DefaultLedgerCapacity = 100_000

// NewMemoryLedger returns a ledger remembering up to capacity refs (DefaultLedgerCapacity
// when capacity ≤ 0).
func NewMemoryLedger(capacity int) *MemoryLedger {
	if capacity <= 0 {
		capacity = DefaultLedgerCapacity
	}
	return &MemoryLedger{capacity: capacity, claimed: make(map[string]uint64)}
}

// Claim records ref; false when it is already recorded. A nil ctx is refused with a
// *kshop.ValidationError.
func (l *MemoryLedger) Claim(ctx context.Context, ref string) (bool, error) {
	if err := wire.CheckContext(ctx, "alimtalk.MemoryLedger.Claim"); err != nil {
		return false, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, ok := l.claimed[ref]; ok {
		return false, nil
	}
	l.seq++
	entry := ledgerEntry{ref: ref, seq: l.seq}
	if len(l.order) < l.capacity {
		l.order = append(l.order, entry)
	} else {
		old := l.order[l.next]
		// A released and re-claimed ref has a newer sequence number; its old ring slot must
		// not evict the live claim.
		if s, ok := l.claimed[old.ref]; ok && s == old.seq {
			delete(l.claimed, old.ref)
		}
		l.order[l.next] = entry
	}
	l.next = (l.next + 1) % l.capacity
	l.claimed[ref] = entry.seq
	return true, nil
}

// Release forgets ref. A nil ctx is refused with a *kshop.ValidationError.
func (l *MemoryLedger) Release(ctx context.Context, ref string) error {
	if err := wire.CheckContext(ctx, "alimtalk.MemoryLedger.Release"); err != nil {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.claimed, ref)
	return nil
}

// Len returns how many refs are recorded.
func (l *MemoryLedger) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.claimed)
}
