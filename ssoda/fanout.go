package ssoda

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kshop-dev/kshop/alimtalk"
	"github.com/kshop-dev/kshop/alimtalk/provider"
	"github.com/kshop-dev/kshop/internal/transport"
)

// sendFunc sends one message and returns its Result. A non-nil stop error means no later
// message can succeed either (the key, token or IP was refused): the batch stops.
type sendFunc func(ctx context.Context, i int) (r alimtalk.Result, stop error)

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
	g := provider.NewGate(ctx, "ssoda")
	one := func(i int) {
		if err := g.Blocked(1); err != nil {
			markNotSent([]int{i}, results, err)
			return
		}
		r, stop := send(ctx, i)
		setResult(results, i, r)
		g.Stop(stop)
	}
	workers := min(c.s.concurrency, len(todo))
	if workers <= 1 {
		for _, i := range todo {
			one(i)
		}
		return g.Err()
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
	return g.Err()
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
		r := alimtalk.Result{Status: provider.StatusOf(err), Err: err}
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
