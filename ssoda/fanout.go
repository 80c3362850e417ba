package ssoda

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/alimtalk"
	"github.com/kshop-dev/kshop/internal/transport"
)

// sendFunc sends one message and returns its Result. A non-nil stop error means no later
// message can succeed either (the key, token or IP was refused): the batch stops.
type sendFunc func(ctx context.Context, i int) (r alimtalk.Result, stop error)

// fanOut runs send for every index in todo with at most c.s.concurrency in flight, and writes
// each Result into results. Messages never started, because the context ended or a stop error
// came back, get StatusNotSent: nothing of them reached Ssoda, so sending them again is safe.
//
// The returned error is the call-level error: the stop error when credentials were refused,
// else the context's error when the context ended before every message was started; nil when
// every message was attempted (their own Results say how each went).
func (c *Client) fanOut(ctx context.Context, todo []int, results []alimtalk.Result, send sendFunc) error {
	if len(todo) == 0 {
		return nil
	}
	if err := ctx.Err(); err != nil {
		markNotSent(todo, results, fmt.Errorf("ssoda: not sent: %w", err))
		return fmt.Errorf("ssoda: nothing sent: %w", err)
	}
	if len(todo) == 1 || c.s.concurrency == 1 {
		return c.sequential(ctx, todo, results, send)
	}

	var (
		mu      sync.Mutex
		stopErr error
		wg      sync.WaitGroup
		slots   = make(chan struct{}, c.s.concurrency)
		started = 0
	)
	stopped := func() error {
		mu.Lock()
		defer mu.Unlock()
		return stopErr
	}
loop:
	for _, i := range todo {
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
			break loop
		}
		if ctx.Err() != nil || stopped() != nil {
			<-slots
			break
		}
		started++
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			defer func() { <-slots }()
			r, stop := send(ctx, i)
			setResult(results, i, r)
			if stop != nil {
				mu.Lock()
				if stopErr == nil {
					stopErr = stop
				}
				mu.Unlock()
			}
		}(i)
	}
	wg.Wait()
	return finishBatch(ctx, todo[started:], results, stopErr)
}

// sequential is fanOut without goroutines: one message at a time, in order.
func (c *Client) sequential(ctx context.Context, todo []int, results []alimtalk.Result, send sendFunc) error {
	for n, i := range todo {
		if ctx.Err() != nil {
			return finishBatch(ctx, todo[n:], results, nil)
		}
		r, stop := send(ctx, i)
		setResult(results, i, r)
		if stop != nil {
			return finishBatch(ctx, todo[n+1:], results, stop)
		}
	}
	return nil
}

func finishBatch(ctx context.Context, notStarted []int, results []alimtalk.Result, stopErr error) error {
	switch {
	case stopErr != nil:
		markNotSent(notStarted, results, fmt.Errorf("ssoda: not sent, the batch stopped: %w", stopErr))
		return stopErr
	case len(notStarted) > 0:
		err := ctx.Err()
		if err == nil {
			err = context.Canceled
		}
		markNotSent(notStarted, results, fmt.Errorf("ssoda: not sent: %w", err))
		return fmt.Errorf("ssoda: batch interrupted, %d messages not sent: %w", len(notStarted), err)
	}
	return nil
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
	old := results[i]
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
	results[i] = r
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
	a, err := c.post(ctx, op, path, transport.NonIdempotent, body)
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
	status := alimtalk.StatusAccepted
	if reserv || !known && scheduled {
		status = alimtalk.StatusReserved
	}
	return alimtalk.Result{MessageID: id, Status: status, SentAt: sentAt}, nil
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
