package alimtalktest_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/alimtalk"
	"github.com/kshop-dev/kshop/alimtalk/alimtalktest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func msg(to, ref string) alimtalk.Message {
	return alimtalk.Message{To: to, TemplateCode: "HELLO", Variables: map[string]string{"name": "고객"}, Ref: ref}
}

func templates() alimtalk.TemplateSet {
	return alimtalk.NewTemplateSet(alimtalk.Template{Code: "HELLO", Content: "#{name}님 안녕하세요"})
}

// newYearsEve is the fake's clock in tests that reserve messages.
func newYearsEve() time.Time { return time.Date(2029, 12, 31, 18, 0, 0, 0, kshop.KST()) }

func TestSenderAcceptsAndRecords(t *testing.T) {
	t.Parallel()
	s := alimtalktest.NewSender(alimtalktest.WithTemplates(templates()), alimtalktest.WithClock(newYearsEve))
	reserved := msg("010-2222-3333", "b")
	reserved.ScheduledAt = time.Date(2030, 1, 1, 9, 0, 0, 0, kshop.KST())
	res, err := s.Send(context.Background(), []alimtalk.Message{msg("+82 10-1111-2222", "a"), reserved})
	require.NoError(t, err)
	require.Len(t, res, 2)
	assert.Equal(t, alimtalk.StatusAccepted, res[0].Status)
	assert.Equal(t, alimtalk.StatusReserved, res[1].Status)
	assert.Equal(t, "fake-1", res[0].MessageID)
	assert.Equal(t, "fake-2", res[1].MessageID)
	assert.Equal(t, "a", res[0].Ref)
	assert.Equal(t, "01011112222", res[0].To)

	assert.Equal(t, 1, s.Calls())
	recs := s.Records()
	require.Len(t, recs, 2)
	assert.Equal(t, 1, recs[0].Call)
	assert.Equal(t, "고객님 안녕하세요", recs[0].Message.Text, "records hold the prepared message")
	assert.Len(t, s.SentTo("010-1111-2222"), 1)
	assert.Len(t, s.SentTo("01022223333"), 1)
	assert.Empty(t, s.SentTo("010-9999-9999"))
}

func TestSenderValidates(t *testing.T) {
	t.Parallel()
	s := alimtalktest.NewSender(alimtalktest.WithTemplates(templates()))
	bad := msg("010-1111-2222", "bad")
	bad.Text = "다른 문구"
	res, err := s.Send(context.Background(), []alimtalk.Message{msg("0101", "x"), bad, msg("010-3333-4444", "ok")})
	require.NoError(t, err)
	assert.Equal(t, alimtalk.StatusInvalid, res[0].Status)
	assert.Equal(t, alimtalk.StatusInvalid, res[1].Status)
	assert.ErrorIs(t, res[1].Err, alimtalk.ErrTemplateMismatch)
	assert.Equal(t, alimtalk.StatusAccepted, res[2].Status)
	assert.Len(t, s.Messages(), 3, "every message is recorded")
	assert.Len(t, s.Accepted(), 1)
}

func TestSenderLimits(t *testing.T) {
	t.Parallel()
	m := alimtalk.Message{To: "010-1111-2222", TemplateCode: "X", Text: "가나다라"}
	s := alimtalktest.NewSender(alimtalktest.WithLimits(alimtalk.Limits{ContentRunes: 3}))
	res, err := s.Send(context.Background(), []alimtalk.Message{m})
	require.NoError(t, err)
	assert.Equal(t, alimtalk.StatusInvalid, res[0].Status)
}

func TestSenderInjectedFailures(t *testing.T) {
	t.Parallel()
	s := alimtalktest.NewSender()
	custom := errors.New("vendor: blocked number")
	s.RejectPhone("010-1357-2468", nil)
	s.RejectRef("r2", custom)
	s.UnknownPhone("+82 10 3333 4567")
	s.UnknownRef("r4")
	msgs := []alimtalk.Message{
		{To: "01013572468", TemplateCode: "T", Text: "a", Ref: "r1"},
		{To: "010-2222-3456", TemplateCode: "T", Text: "b", Ref: "r2"},
		{To: "010-3333-4567", TemplateCode: "T", Text: "c", Ref: "r3"},
		{To: "010-4444-5678", TemplateCode: "T", Text: "d", Ref: "r4"},
		{To: "010-5555-6789", TemplateCode: "T", Text: "e", Ref: "r5"},
	}
	res, err := s.Send(context.Background(), msgs)
	require.NoError(t, err)
	assert.Equal(t, alimtalk.StatusRejected, res[0].Status)
	var apiErr kshop.APIError
	require.ErrorAs(t, res[0].Err, &apiErr, "the default rejection is an APIError")
	assert.Equal(t, "3018", apiErr.Code())
	assert.False(t, apiErr.Retryable())
	assert.Equal(t, 200, apiErr.HTTPStatusCode())
	assert.Equal(t, alimtalk.StatusRejected, res[1].Status)
	assert.Equal(t, custom, res[1].Err)
	assert.Equal(t, alimtalk.StatusUnknown, res[2].Status)
	assert.ErrorIs(t, res[2].Err, alimtalk.ErrOutcomeUnknown)
	assert.ErrorIs(t, res[3].Err, kshop.ErrOutcomeUnknown)
	assert.Equal(t, alimtalk.StatusAccepted, res[4].Status)
	assert.Len(t, s.Accepted(), 1)
	assert.Len(t, s.Records(), 5)

	s.Reset()
	res, err = s.Send(context.Background(), msgs)
	require.NoError(t, err)
	for _, r := range res {
		assert.Equal(t, alimtalk.StatusAccepted, r.Status)
	}
	assert.Equal(t, 1, s.Calls(), "Reset clears the call count")
}

func TestSenderWholeCallFailures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		err  error
		want alimtalk.Status
	}{
		{"refused", errors.New("connection refused"), alimtalk.StatusNotSent},
		{"timeout", fmt.Errorf("timeout: %w", alimtalk.ErrOutcomeUnknown), alimtalk.StatusUnknown},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := alimtalktest.NewSender()
			s.FailCalls(tc.err)
			res, err := s.Send(context.Background(), []alimtalk.Message{{To: "010-1111-2222", TemplateCode: "T", Text: "a"}})
			assert.Nil(t, res)
			assert.Equal(t, tc.err, err)
			recs := s.Records()
			require.Len(t, recs, 1)
			assert.Equal(t, tc.want, recs[0].Result.Status)
			assert.Empty(t, s.Accepted())
			s.FailCalls(nil)
			res, err = s.Send(context.Background(), []alimtalk.Message{{To: "010-1111-2222", TemplateCode: "T", Text: "a"}})
			require.NoError(t, err)
			assert.Equal(t, alimtalk.StatusAccepted, res[0].Status)
		})
	}
}

func TestSenderCancelledContext(t *testing.T) {
	t.Parallel()
	s := alimtalktest.NewSender()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := s.Send(ctx, []alimtalk.Message{{To: "010-1111-2222", TemplateCode: "T", Text: "a"}})
	assert.ErrorIs(t, err, context.Canceled)
	assert.Empty(t, s.Accepted())
}

func TestSenderConcurrent(t *testing.T) {
	t.Parallel()
	s := alimtalktest.NewSender()
	var wg sync.WaitGroup
	for i := 0; i < 10; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			_, _ = s.Send(context.Background(), []alimtalk.Message{{To: "010-1111-2222", TemplateCode: "T", Text: "a", Ref: fmt.Sprint(i)}})
			_ = s.Records()
		}(i)
	}
	wg.Wait()
	assert.Equal(t, 10, s.Calls())
	assert.Len(t, s.Accepted(), 10)
	ids := map[string]bool{}
	for _, r := range s.Records() {
		ids[r.Result.MessageID] = true
	}
	assert.Len(t, ids, 10, "message IDs are unique")
}
