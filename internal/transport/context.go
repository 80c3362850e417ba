package transport

import (
	"context"
	"sync"
	"time"
)

// The call state is the context of every attempt's request. It answers as the caller's
// context does, except while an attempt is bound by the client's own Timeout
// (timeoutTransport): then its Done channel and Err also report the end of that attempt, and
// net/http's per-request context, which registers through AfterFunc, is cancelled with it.
//
// Why not a context.WithCancelCause and a timer per attempt: that needs a copy of the request
// to carry the context, a cancelCtx with a map entry for net/http's child in it, and a
// runtime timer, on every attempt of every call; in bulk sends it cost about 6 % more CPU per
// message than no time bound at all. Here an attempt that ends in time costs a place in its
// client's attemptWatch queue, a channel and one registration, and a request is never copied;
// the same bulk benchmark shows no difference from no bound at all.
//
// Between attempts (the wait before a retry) nothing is bound, so go-retryablehttp's wait
// ends only with the caller's context, never because the previous attempt timed out.

// attemptBound is the time bound of the current attempt, part of callState and guarded by its
// mutex.
type attemptBound struct {
	bound bool          // the current attempt runs under the client's Timeout
	binds uint64        // counts bound attempts, so that a late end finds its attempt gone
	watch *attemptWatch // ends the bound attempt at its timeout; nil when not bound
	done  chan struct{} // Done's channel while bound, made on first use
	ended error         // why the bound attempt ended early: its timeout or the caller's end
	hooks []afterHook   // AfterFunc registrations (net/http's per-request context) while bound
	seq   uint64        // numbers hooks, so that a stop finds its own
	// hookBuf holds the usual one registration per attempt without an allocation.
	hookBuf [1]afterHook
	// watching holds the stop function of the watch on the caller's context, registered the
	// first time an attempt is bound to a caller that can end.
	watching func() bool

	// The call's place in its attemptWatch's queue, guarded by the watch's mutex.
	queued     bool
	prev, next *callState
	deadline   time.Time
	queuedBind uint64 // the bind the queue entry ends
}

type afterHook struct {
	id uint64
	f  func()
}

// Deadline is the caller's deadline.
func (st *callState) Deadline() (time.Time, bool) { return st.caller.Deadline() }

// Done is closed when the caller's context ends or, while an attempt is bound, when that
// attempt ends early.
func (st *callState) Done() <-chan struct{} {
	st.mu.Lock()
	defer st.mu.Unlock()
	if !st.bound {
		return st.caller.Done()
	}
	if st.done == nil {
		st.done = make(chan struct{})
		if st.ended != nil {
			close(st.done)
		}
	}
	return st.done
}

// Err is why Done was closed: the caller's error, or the bound attempt's timeout error (which
// matches context.DeadlineExceeded, like net/http's own client timeout).
func (st *callState) Err() error {
	st.mu.Lock()
	ended := st.ended
	st.mu.Unlock()
	if ended != nil {
		return ended
	}
	return st.caller.Err()
}

// Value returns the state for stateKey, else the current attempt's value (its trace, then the
// caller's values).
func (st *callState) Value(key any) any {
	if key == (stateKey{}) {
		return st
	}
	return st.inner.Load().ctx.Value(key)
}

// AfterFunc runs f when the bound attempt ends early (context.AfterFunc's contract: in its own
// goroutine, at most once). net/http's per-request context registers here, being derived from
// this one. Outside a bound attempt the registration goes to the caller's context.
func (st *callState) AfterFunc(f func()) (stop func() bool) {
	st.mu.Lock()
	if !st.bound {
		st.mu.Unlock()
		return context.AfterFunc(st.caller, f)
	}
	if st.ended != nil {
		st.mu.Unlock()
		// Never synchronously: the caller may hold a lock that f takes (net/http does).
		go f()
		return func() bool { return false }
	}
	st.seq++
	id := st.seq
	st.hooks = append(st.hooks, afterHook{id: id, f: f})
	st.mu.Unlock()
	return func() bool { return st.removeHook(id) }
}

func (st *callState) removeHook(id uint64) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	for i, h := range st.hooks {
		if h.id == id {
			st.hooks = append(st.hooks[:i], st.hooks[i+1:]...)
			return true
		}
	}
	return false
}

// bindAttempt bounds the current attempt by w's timeout: then it ends with an
// *attemptTimeoutError, and it ends when the caller's context does.
func (st *callState) bindAttempt(w *attemptWatch) {
	st.mu.Lock()
	st.unbindLocked()
	st.bound = true
	st.binds++
	st.hooks = st.hookBuf[:0]
	if err := st.caller.Err(); err != nil {
		st.ended = err
	}
	st.watch = w
	w.add(st, st.binds)
	watch := st.watching == nil && st.caller.Done() != nil
	st.mu.Unlock()
	if watch {
		// Once per call: the caller's end ends whichever attempt is bound then. An end that
		// comes while none is bound is seen by the next bind, through caller.Err.
		stop := context.AfterFunc(st.caller, func() { st.endAttempt(0, st.caller.Err()) })
		st.mu.Lock()
		st.watching = stop
		st.mu.Unlock()
	}
}

// endAttempt ends the bound attempt number n (0: whichever is bound) with err, closing Done
// and running the AfterFunc registrations.
func (st *callState) endAttempt(n uint64, err error) {
	st.mu.Lock()
	if !st.bound || st.ended != nil || n != 0 && n != st.binds {
		st.mu.Unlock()
		return
	}
	st.ended = err
	if st.done != nil {
		close(st.done)
	}
	// A copy: hookBuf is reused by the next attempt while these run.
	hooks := append([]afterHook(nil), st.hooks...)
	st.hooks = nil
	st.mu.Unlock()
	for _, h := range hooks {
		h.f()
	}
}

// releaseAttempt ends the current attempt's time bound, once its answer was read or it failed.
func (st *callState) releaseAttempt() {
	st.mu.Lock()
	st.unbindLocked()
	st.mu.Unlock()
}

func (st *callState) unbindLocked() {
	if st.watch != nil {
		st.watch.remove(st)
		st.watch = nil
	}
	st.bound, st.done, st.ended, st.hooks = false, nil, nil, nil
}

// attemptWatch ends the bound attempts of one Client that outlive its timeout. Every attempt
// gets the same timeout, so deadlines come in the order attempts are bound: a queue, and one
// timer set for its head, replace a timer per attempt (which, with net/http's registration on
// the attempt's context, measured several µs of CPU per send in bulk). An attempt leaves the
// queue when its answer was read (releaseAttempt) or it ends.
type attemptWatch struct {
	timeout time.Duration

	mu         sync.Mutex
	head, tail *callState
	timer      *time.Timer
	armed      bool // the timer is set, for the head's deadline or sooner
}

// add queues st's bind number n (st.mu held; lock order: st.mu, then w.mu).
func (w *attemptWatch) add(st *callState, n uint64) {
	deadline := time.Now().Add(w.timeout)
	w.mu.Lock()
	defer w.mu.Unlock()
	st.deadline, st.queuedBind, st.queued = deadline, n, true
	st.prev, st.next = w.tail, nil
	if w.tail != nil {
		w.tail.next = st
	} else {
		w.head = st
	}
	w.tail = st
	switch {
	case w.timer == nil:
		w.timer = time.AfterFunc(w.timeout, w.fire)
		w.armed = true
	case !w.armed:
		w.timer.Reset(w.timeout)
		w.armed = true
	}
}

// remove takes st out of the queue, if it is there (st.mu held).
func (w *attemptWatch) remove(st *callState) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.unlink(st)
}

func (w *attemptWatch) unlink(st *callState) {
	if !st.queued {
		return
	}
	if st.prev != nil {
		st.prev.next = st.next
	} else {
		w.head = st.next
	}
	if st.next != nil {
		st.next.prev = st.prev
	} else {
		w.tail = st.prev
	}
	st.prev, st.next, st.queued = nil, nil, false
}

// fire ends every queued attempt whose deadline has passed and sets the timer for the next.
// The attempts are ended after w.mu is released: endAttempt takes st.mu.
func (w *attemptWatch) fire() {
	now := time.Now()
	type due struct {
		st *callState
		n  uint64
	}
	var expired []due
	w.mu.Lock()
	for w.head != nil && !w.head.deadline.After(now) {
		st := w.head
		expired = append(expired, due{st, st.queuedBind})
		w.unlink(st)
	}
	w.armed = w.head != nil
	if w.armed {
		w.timer.Reset(w.head.deadline.Sub(now))
	}
	w.mu.Unlock()
	for _, e := range expired {
		e.st.endAttempt(e.n, &attemptTimeoutError{w.timeout})
	}
}

// finishCall stops watching the caller's context, once Do returns.
func (st *callState) finishCall() {
	st.mu.Lock()
	st.unbindLocked()
	stop := st.watching
	st.mu.Unlock()
	if stop != nil {
		stop()
	}
}
