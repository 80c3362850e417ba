package ssoda_test

import (
	"bytes"
	"log/slog"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop/alimtalk"
	"github.com/kshop-dev/kshop/ssoda"
	"github.com/kshop-dev/kshop/ssoda/ssodatest"
)

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestLogsHoldNoSecretsOrPhones(t *testing.T) {
	t.Parallel()
	var buf lockedBuffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	srv, c := newFake(t, ssodatest.Options{}, ssoda.WithLogger(logger))
	srv.InjectFault(ssodatest.Fault{Call: srv.Paths().SendAlimTalk, Kind: ssodatest.FaultStatus, Status: 500})
	_, err := c.Send(t.Context(), []alimtalk.Message{orderMessage("010-9876-5432", "L-1"), orderMessage("010-9876-5432", "L-2")})
	require.NoError(t, err)
	_, err = c.History.AlimTalk(t.Context(), ssoda.ListRequest{Keyword: "010-9876-5432"})
	require.NoError(t, err)

	out := buf.String()
	require.Contains(t, out, "kshop request", "debug lines were written")
	require.Contains(t, out, "kshop call failed", "the 500 was logged")
	for _, secret := range []string{ssodatest.DefaultAPIKey, ssodatest.DefaultTokenKey, ssodatest.DefaultSenderKey, "01098765432", "010-9876-5432"} {
		assert.NotContains(t, out, secret)
	}
	assert.Contains(t, out, "5432", "phones are masked, not dropped")
	assert.Equal(t, 2, srv.Requests(srv.Paths().SendAlimTalk))
}
