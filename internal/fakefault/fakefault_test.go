package fakefault

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestQueueAppliesFaultsInOrderAndCountsUses(t *testing.T) {
	t.Parallel()
	var q Queue[string]
	q.Push("/send", 2, "drop")
	q.Push("", 1, "latency")

	f, ok := q.Take("/list")
	require.True(t, ok)
	assert.Equal(t, "latency", f, "an empty key matches every request")
	for i := 0; i < 2; i++ {
		f, ok = q.Take("/send")
		require.True(t, ok)
		assert.Equal(t, "drop", f)
	}
	_, ok = q.Take("/send")
	assert.False(t, ok, "used up")

	q.Push("/send", 0, "once")
	q.Clear()
	_, ok = q.Take("/send")
	assert.False(t, ok)
}

func TestQueueIsSafeForConcurrentUse(t *testing.T) {
	t.Parallel()
	var q Queue[int]
	q.Push("k", 100, 1)
	var wg sync.WaitGroup
	var mu sync.Mutex
	taken := 0
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 20; j++ {
				if _, ok := q.Take("k"); ok {
					mu.Lock()
					taken++
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, 100, taken, "every use is handed out exactly once")
}

func TestDropConnection(t *testing.T) {
	t.Parallel()
	dropped := make(chan bool, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		dropped <- DropConnection(w)
	}))
	defer srv.Close()
	resp, err := http.Post(srv.URL, "text/plain", nil)
	if resp != nil {
		resp.Body.Close()
	}
	require.Error(t, err, "the client got no answer")
	assert.True(t, <-dropped)

	rec := httptest.NewRecorder() // not hijackable
	assert.False(t, DropConnection(rec))
}
