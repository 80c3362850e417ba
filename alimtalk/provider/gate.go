package provider

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/alimtalk"
)

// StatusOf is the Status of the messages of one send request that failed with err. It leans to
// the safe side: a message is StatusNotSent only when err says so (it wraps kshop.ErrNotSent, or
// the vendor answered 429), StatusRejected when the vendor refused it with an answer whose
// outcome is known (never a 5xx other than 501, which may answer a request carried out), and
// StatusUnknown otherwise, so that an error nobody classified can never lead to a second send.
func StatusOf(err error) alimtalk.Status {
	if outcomeUnknown(err) {
		return alimtalk.StatusUnknown
	}
	if errors.Is(err, kshop.ErrNotSent) {
		return alimtalk.StatusNotSent
	}
	var ae kshop.APIError
	if errors.As(err, &ae) {
		switch status := ae.HTTPStatusCode(); {
		case status == http.StatusTooManyRequests:
			return alimtalk.StatusNotSent
		case status >= 500 && status != http.StatusNotImplemented:
			return alimtalk.StatusUnknown
		}
		return alimtalk.StatusRejected
	}
	return alimtalk.StatusUnknown
}

// Gate decides, request by request, whether a batch may still start its next request: not once
// the batch's context has ended or a stop error (refused credentials) was recorded. A worker
// pool asks Blocked before each request; the requests refused get StatusNotSent with its error.
// It is safe for concurrent use.
type Gate struct {
	ctx        context.Context
	vendor     string
	initialErr error // the context had ended before the batch began

	mu         sync.Mutex
	stopErr    error
	notStarted int
}

// NewGate returns the gate of a batch sent under ctx; vendor prefixes its errors ("ssoda").
func NewGate(ctx context.Context, vendor string) *Gate {
	return &Gate{ctx: ctx, vendor: vendor, initialErr: ctx.Err()}
}

// Blocked returns nil when a request of n messages may start, else the error of its messages:
// it wraps kshop.ErrNotSent and the stop error or the context's error.
func (g *Gate) Blocked(n int) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	var err error
	switch {
	case g.stopErr != nil:
		err = fmt.Errorf("%s: %w, the batch stopped: %w", g.vendor, kshop.ErrNotSent, g.stopErr)
	case g.ctx.Err() != nil:
		err = fmt.Errorf("%s: %w: %w", g.vendor, kshop.ErrNotSent, g.ctx.Err())
	default:
		return nil
	}
	g.notStarted += n
	return err
}

// Stop records the first stop error (nil is ignored): no request starts after it.
func (g *Gate) Stop(err error) {
	if err == nil {
		return
	}
	g.mu.Lock()
	if g.stopErr == nil {
		g.stopErr = err
	}
	g.mu.Unlock()
}

// Err is the batch's call-level error once every request was handled: the stop error, else the
// context's error when some message was never started, else nil.
func (g *Gate) Err() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	switch {
	case g.stopErr != nil:
		return g.stopErr
	case g.notStarted == 0:
		return nil
	case g.initialErr != nil:
		return fmt.Errorf("%s: nothing sent: %w", g.vendor, g.initialErr)
	}
	err := g.ctx.Err()
	if err == nil {
		err = context.Canceled
	}
	return fmt.Errorf("%s: batch interrupted, %d messages not sent: %w", g.vendor, g.notStarted, err)
}
