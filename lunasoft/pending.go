package lunasoft

import (
	"sort"
	"sync"
	"time"

	"github.com/kshop-dev/kshop/alimtalk"
)

// DefaultPendingWindow is how long a PendingTracker waits for a message's webhook before
// reporting it overdue: 3 days, the longest Lunasoft's failover-SMS documentation says its
// results may take.
const DefaultPendingWindow = 72 * time.Hour

// DefaultPendingCapacity bounds how many messages a PendingTracker holds.
const DefaultPendingCapacity = 100000

// PendingOptions configure a PendingTracker. Zero fields take defaults.
type PendingOptions struct {
	// Window is how long after its send a message may stay unknown before Overdue reports it
	// (default DefaultPendingWindow).
	Window time.Duration
	// Capacity bounds the messages held (default DefaultPendingCapacity); when it is reached
	// the oldest are dropped, reported or not.
	Capacity int
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// Pending is a message whose send outcome is unknown, waiting for its webhook.
type Pending struct {
	// Result is the message's Result as Send returned it (StatusUnknown; Ref is its
	// custom_key).
	Result alimtalk.Result
	// Since is when the request went out (Result.SentAt, or when the tracker got it).
	Since time.Time
	// Reported is set once Overdue has reported it.
	Reported bool
}

// PendingTracker keeps the messages a send left StatusUnknown until Lunasoft's result
// webhook settles them. Lunasoft has no lookup API, so its webhook is the only proof that an
// unknown message went out: give the same tracker to the client (WithPendingTracker) and to
// the webhook Handler (WebhookOptions.Pending), and call Overdue now and then to learn which
// messages never got a webhook. It is safe for concurrent use.
type PendingTracker struct {
	opts PendingOptions

	mu    sync.Mutex
	items map[string]*Pending
	order []string        // Refs in the order they were added, for the capacity bound
	early map[string]bool // Refs settled before Send returned them (the webhook won the race)
	eo    []string        // early Refs in order, for the capacity bound
}

// NewPendingTracker returns an empty tracker.
func NewPendingTracker(opts PendingOptions) *PendingTracker {
	if opts.Window <= 0 {
		opts.Window = DefaultPendingWindow
	}
	if opts.Capacity <= 0 {
		opts.Capacity = DefaultPendingCapacity
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &PendingTracker{opts: opts, items: map[string]*Pending{}, early: map[string]bool{}}
}

// Add records the Results whose Status is StatusUnknown and whose Ref is set; the others are
// ignored, and so is a Result whose webhook was settled before it was added (a webhook can
// arrive before Send returns). It returns how many it recorded.
func (p *PendingTracker) Add(results ...alimtalk.Result) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for _, r := range results {
		if r.Status != alimtalk.StatusUnknown || r.Ref == "" {
			continue
		}
		if p.early[r.Ref] {
			delete(p.early, r.Ref) // its webhook came first: already settled
			continue
		}
		since := r.SentAt
		if since.IsZero() {
			since = p.opts.Now()
		}
		if _, dup := p.items[r.Ref]; !dup {
			p.order = append(p.order, r.Ref)
		}
		p.items[r.Ref] = &Pending{Result: r, Since: since}
		n++
	}
	p.evict()
	return n
}

// evict drops the oldest entries beyond the capacity.
func (p *PendingTracker) evict() {
	for len(p.items) > p.opts.Capacity && len(p.order) > 0 {
		delete(p.items, p.order[0])
		p.order = p.order[1:]
	}
	if len(p.order) > 2*len(p.items)+64 {
		live := p.order[:0]
		for _, ref := range p.order {
			if _, ok := p.items[ref]; ok {
				live = append(live, ref)
			}
		}
		p.order = live
	}
}

// Lookup returns the pending message with ref, without settling it.
func (p *PendingTracker) Lookup(ref string) (Pending, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	it, ok := p.items[ref]
	if !ok {
		return Pending{}, false
	}
	return *it, true
}

// Settle removes the message with ref: its webhook arrived, so it did go out. It returns the
// message, or false when none was pending; then ref is remembered (up to Capacity refs), so
// that a later Add of the same unknown Result — its send returned after its webhook — is
// settled at once.
func (p *PendingTracker) Settle(ref string) (Pending, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	it, ok := p.items[ref]
	if !ok {
		if ref != "" && !p.early[ref] {
			p.early[ref] = true
			p.eo = append(p.eo, ref)
			for len(p.eo) > p.opts.Capacity {
				delete(p.early, p.eo[0])
				p.eo = p.eo[1:]
			}
		}
		return Pending{}, false
	}
	delete(p.items, ref)
	return *it, true
}

// Overdue reports, once each, the messages still unknown Window after their send, oldest
// first. They stay pending (a late webhook still settles them).
func (p *PendingTracker) Overdue() []Pending {
	p.mu.Lock()
	defer p.mu.Unlock()
	deadline := p.opts.Now().Add(-p.opts.Window)
	var out []Pending
	for _, it := range p.items {
		if !it.Reported && !it.Since.After(deadline) {
			it.Reported = true
			out = append(out, *it)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Since.Before(out[j].Since) })
	return out
}

// Len returns how many messages are pending.
func (p *PendingTracker) Len() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.items)
}
