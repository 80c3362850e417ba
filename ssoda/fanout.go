package ssoda

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/alimtalk"
	"github.com/kshop-dev/kshop/internal/transport"
)

// sendFunc sends one message and returns its Result. A non-nil stop error means no later
// message can succeed either (the key, token or IP was refused): the batch stops.
type sendFunc func(ctx context.Context, i int) (r alimtalk.Result, stop error)

// batchGate decides, message by message and in order, whether a batch may still start the
// next message: not once its context has ended or a stop error came back. Messages are
// started in order, so those never started are always the tail of the batch.
type batchGate struct {
	ctx        context.Context
	initialErr error // the context had ended before the batch began

	mu         sync.Mutex
	stopErr    error
	notStarted int
}

func newBatchGate(ctx context.Context) *batchGate {
	g := &batchGate{}
	g.init(ctx)
	return g
}

// init readies a zero gate for ctx.
func (g *batchGate) init(ctx context.Context) {
	g.ctx, g.initialErr = ctx, ctx.Err()
}

// blocked returns the error of a message that may not be started (it wraps the stop error or
// the context's error), or nil when it may, counting the message as not started.
func (g *batchGate) blocked() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	var err error
	switch {
	case g.stopErr != nil:
		err = fmt.Errorf("ssoda: not sent, the batch stopped: %w", g.stopErr)
	case g.ctx.Err() != nil:
		err = fmt.Errorf("ssoda: not sent: %w", g.ctx.Err())
	default:
		return nil
	}
	g.notStarted++
	return err
}

// stop records the first stop error.
func (g *batchGate) stop(err error) {
	if err == nil {
		return
	}
	g.mu.Lock()
	if g.stopErr == nil {
		g.stopErr = err
	}
	g.mu.Unlock()
}

// err is the call-level error once every message was handled: the stop error when
// credentials were refused, else the context's error when some message was never started.
func (g *batchGate) err() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	switch {
	case g.stopErr != nil:
		return g.stopErr
	case g.notStarted == 0:
		return nil
	case g.initialErr != nil:
		return fmt.Errorf("ssoda: nothing sent: %w", g.initialErr)
	}
	err := g.ctx.Err()
	if err == nil {
		err = context.Canceled
	}
	return fmt.Errorf("ssoda: batch interrupted, %d messages not sent: %w", g.notStarted, err)
}

// fanOut runs send for every index in todo on a fixed pool of at most c.s.concurrency
// workers, which take the indexes in order, and writes each Result into results. Messages
// never started, because the context ended or a stop error came back, get StatusNotSent:
// nothing of them reached Ssoda, so sending them again is safe.
//
// The returned error is the call-level error: the stop error when credentials were refused,
// else the context's error when the context ended before every message was started; nil when
// every message was attempted (their own Results say how each went).
func (c *Client) fanOut(ctx context.Context, todo []int, results []alimtalk.Result, send sendFunc) error {
	if len(todo) == 0 {
		return nil
	}
	g := newBatchGate(ctx)
	one := func(i int) {
		if err := g.blocked(); err != nil {
			markNotSent([]int{i}, results, err)
			return
		}
		r, stop := send(ctx, i)
		setResult(results, i, r)
		g.stop(stop)
	}
	workers := min(c.s.concurrency, len(todo))
	if workers <= 1 {
		for _, i := range todo {
			one(i)
		}
		return g.err()
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				n := int(next.Add(1) - 1)
				if n >= len(todo) {
					return
				}
				one(todo[n])
			}
		})
	}
	wg.Wait()
	return g.err()
}

// markNotSent marks messages as not sent, keeping the Ref, To, Text and ScheduledAt already
// filled.
func markNotSent(idx []int, results []alimtalk.Result, err error) {
	for _, i := range idx {
		results[i].Status, results[i].Err, results[i].MessageID = alimtalk.StatusNotSent, err, ""
		results[i].SentAt = time.Time{}
	}
}

// setResult stores r as the Result of message i, keeping the Ref, To, Text and ScheduledAt
// already filled when r has none.
func setResult(results []alimtalk.Result, i int, r alimtalk.Result) {
	results[i] = mergeResult(results[i], r)
}

// mergeResult is r with its empty Ref, To, Text and ScheduledAt taken from old.
func mergeResult(old, r alimtalk.Result) alimtalk.Result {
	if r.Ref == "" {
		r.Ref = old.Ref
	}
	if r.To == "" {
		r.To = old.To
	}
	if r.Text == "" {
		r.Text = old.Text
	}
	if r.ScheduledAt.IsZero() {
		r.ScheduledAt = old.ScheduledAt
	}
	return r
}

// postMessage sends one message body and maps the outcome onto a Result:
//
//	answer code "200"                        Accepted (Reserved when scheduled)
//	Ssoda refused it (4xx, 200 + error code) Rejected, Err *APIError
//	HTTP 429 after the transport's retries   NotSent, Err *APIError (Retryable)
//	5xx after writing, ctx ended or not      Unknown, Err *APIError or *ResponseError
//	timeout, reset after writing             Unknown, Err wraps ErrOutcomeUnknown
//	2xx that is not a plain success/refusal  Unknown, Err *ResponseError
//	never written (refused connection …)     NotSent, Err wraps ErrNotSent
//
// SentAt is when the request went out (zero for NotSent). It returns the error as stop when
// the key, token or IP was refused.
func (c *Client) postMessage(ctx context.Context, op, path string, body *object, scheduled bool) (alimtalk.Result, error) {
	sentAt := c.s.now()
	resp, err := c.roundTrip(ctx, path, transport.NonIdempotent, body)
	if err == nil {
		// The common case, a plain success, is read in one pass; anything else is read by
		// the strict path below, exactly as before.
		if out, ok := fastSendAnswer(resp.StatusCode, resp.Body); ok {
			return acceptedResult(out, scheduled, sentAt), nil
		}
	}
	a, err := c.read(op, transport.NonIdempotent, resp, err)
	if err != nil {
		r := alimtalk.Result{Status: sendStatus(err), Err: err}
		if r.Status != alimtalk.StatusNotSent {
			r.SentAt = sentAt
		}
		if r.Status != alimtalk.StatusUnknown && (errors.Is(err, ErrUnauthorized) || errors.Is(err, ErrIPNotAllowed)) {
			return r, err
		}
		return r, nil
	}
	id, reserv, known := sentMessage(a)
	return acceptedResult(sendOutcome{id: id, reserved: reserv, known: known}, scheduled, sentAt), nil
}

// acceptedResult is the Result of a send Ssoda took: Reserved when it says so, or when it
// says nothing about it and the message was scheduled.
func acceptedResult(out sendOutcome, scheduled bool, sentAt time.Time) alimtalk.Result {
	status := alimtalk.StatusAccepted
	if out.reserved || !out.known && scheduled {
		status = alimtalk.StatusReserved
	}
	return alimtalk.Result{MessageID: out.id, Status: status, SentAt: sentAt}
}

// sendStatus classifies a failed send. It reads only the error, never the context: an answer
// is classified the same whether or not the context ended as it arrived.
func sendStatus(err error) alimtalk.Status {
	if errors.Is(err, ErrOutcomeUnknown) {
		return alimtalk.StatusUnknown
	}
	var ae kshop.APIError
	if errors.As(err, &ae) {
		switch {
		case ae.OutcomeUnknown():
			return alimtalk.StatusUnknown
		case ae.HTTPStatusCode() == http.StatusTooManyRequests:
			return alimtalk.StatusNotSent
		}
		return alimtalk.StatusRejected
	}
	// No answer and no outcome-unknown flag: the transport guarantees nothing was written.
	return alimtalk.StatusNotSent
}
