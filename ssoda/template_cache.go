package ssoda

import (
	"context"
	"sync"
	"time"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/alimtalk"
	"github.com/kshop-dev/kshop/internal/wire"
)

// DefaultTemplateRefresh is the TTL WithTemplateRefresh(0) uses.
const DefaultTemplateRefresh = 10 * time.Minute

// minMissRefresh is how often at most a send that names a template the cache lacks reloads
// the list: a typo in a template code must not turn every send into a full listing.
const minMissRefresh = time.Second

// TemplateCache is an alimtalk.TemplateSource that holds the default sender profile's
// templates as Templates.Load reads them, and reloads them when they are older than its TTL,
// so that a template Kakao approves after the client was built becomes usable without a new
// client. WithTemplateRefresh gives a client one (Client.TemplateCache returns it):
//
//   - Send and SendFriendTalk reload it, with their own context, when it was never loaded,
//     when it is older than the TTL, or when a message names a template code it does not hold
//     (such a miss reloads at most once a second);
//   - Refresh reloads it at once (call it when you learn of an approval, or before building an
//     alimtalk.Dispatcher with it);
//   - Template never does I/O: it answers from the last load.
//
// A failed reload keeps the templates of the last good one; Err returns the failure. It is
// safe for concurrent use.
type TemplateCache struct {
	templates *TemplatesService
	ttl       time.Duration
	now       func() time.Time

	load sync.Mutex // one reload at a time

	mu       sync.RWMutex
	set      alimtalk.TemplateSet
	loadedAt time.Time
	tried    time.Time
	err      error
}

// WithTemplateRefresh makes the client render and check messages against its own
// TemplateCache of the default sender profile's templates (Templates.Load), reloaded when older
// than ttl (0 means DefaultTemplateRefresh) or when a message names a template it lacks. It
// replaces WithTemplates (the later of the two options wins).
func WithTemplateRefresh(ttl time.Duration) Option {
	return func(s *settings) error {
		if ttl < 0 {
			return invalid("WithTemplateRefresh", "ttl", kshop.RuleRange, "must not be negative")
		}
		if ttl == 0 {
			ttl = DefaultTemplateRefresh
		}
		s.templates, s.templateTTL = nil, ttl
		return nil
	}
}

// TemplateCache returns the client's template cache (WithTemplateRefresh), or nil.
func (c *Client) TemplateCache() *TemplateCache { return c.cache }

// Template returns the template with code from the last load. It implements
// alimtalk.TemplateSource.
func (tc *TemplateCache) Template(code string) (*alimtalk.Template, bool) {
	tc.mu.RLock()
	defer tc.mu.RUnlock()
	return tc.set.Template(code)
}

// Refresh reloads every template of the default sender profile now (Templates.Load: the list,
// and Detail for templates listed without their content).
func (tc *TemplateCache) Refresh(ctx context.Context) error {
	if err := wire.CheckContext(ctx, "ssoda.TemplateCache.Refresh"); err != nil {
		return err
	}
	tc.load.Lock()
	defer tc.load.Unlock()
	return tc.reload(ctx)
}

func (tc *TemplateCache) reload(ctx context.Context) error {
	started := tc.now()
	set, err := tc.templates.Load(ctx, TemplateListRequest{})
	tc.mu.Lock()
	defer tc.mu.Unlock()
	tc.tried = started
	tc.err = err
	if err != nil {
		return err
	}
	tc.set, tc.loadedAt = set, started
	return nil
}

// LoadedAt returns when the templates held were loaded (zero before the first good load).
func (tc *TemplateCache) LoadedAt() time.Time {
	tc.mu.RLock()
	defer tc.mu.RUnlock()
	return tc.loadedAt
}

// Err returns the error of the last reload, or nil when it succeeded.
func (tc *TemplateCache) Err() error {
	tc.mu.RLock()
	defer tc.mu.RUnlock()
	return tc.err
}

// ensure reloads the cache when it is stale or lacks one of codes. A failure is kept for Err
// and otherwise ignored: the send goes on with the templates held, and a message whose
// template is missing fails its own checks.
func (tc *TemplateCache) ensure(ctx context.Context, codes []string) {
	if !tc.needsLoad(codes) {
		return
	}
	tc.load.Lock()
	defer tc.load.Unlock()
	if !tc.needsLoad(codes) { // another send reloaded it meanwhile
		return
	}
	_ = tc.reload(ctx)
}

func (tc *TemplateCache) needsLoad(codes []string) bool {
	now := tc.now()
	tc.mu.RLock()
	defer tc.mu.RUnlock()
	if tc.loadedAt.IsZero() || now.Sub(tc.loadedAt) >= tc.ttl {
		return tc.tried.IsZero() || now.Sub(tc.tried) >= minMissRefresh
	}
	for _, code := range codes {
		if _, ok := tc.set.Template(code); code != "" && !ok {
			return now.Sub(tc.tried) >= minMissRefresh
		}
	}
	return false
}
