package fakefault

import (
	"net/http"
	"sync"
)

// Queue is a fake server's list of injected faults. Each fault applies to the next Times
// requests whose key (a path or a call name; "" matches every request) matches, in the order
// the faults were pushed. It is safe for concurrent use; the zero value is empty.
type Queue[F any] struct {
	mu    sync.Mutex
	items []*queued[F]
}

type queued[F any] struct {
	key   string
	times int
	fault F
}

// Push queues f for the next times requests matching key (times < 1 means once).
func (q *Queue[F]) Push(key string, times int, f F) {
	if times < 1 {
		times = 1
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	q.items = append(q.items, &queued[F]{key: key, times: times, fault: f})
}

// Take consumes one use of the first fault matching key.
func (q *Queue[F]) Take(key string) (F, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for i, it := range q.items {
		if it.key != "" && it.key != key {
			continue
		}
		it.times--
		if it.times <= 0 {
			q.items = append(q.items[:i:i], q.items[i+1:]...)
		}
		return it.fault, true
	}
	var zero F
	return zero, false
}

// Clear drops every queued fault.
func (q *Queue[F]) Clear() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.items = nil
}

// DropConnection closes the client's connection without an answer. It reports false when w
// cannot be hijacked (HTTP/2), so the caller can answer some other way.
func DropConnection(w http.ResponseWriter) bool {
	hj, ok := w.(http.Hijacker)
	if !ok {
		return false
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		return false
	}
	_ = conn.Close()
	return true
}
