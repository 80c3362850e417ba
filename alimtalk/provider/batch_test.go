package provider_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/alimtalk"
	"github.com/kshop-dev/kshop/alimtalk/provider"
)

// fixedNow makes the reservation checks deterministic.
func fixedNow() time.Time { return time.Date(2029, 12, 20, 9, 0, 0, 0, kshop.KST()) }

func batchTemplates() alimtalk.TemplateSet {
	return alimtalk.NewTemplateSet(
		alimtalk.Template{Code: "HELLO", Content: "#{name}님 안녕하세요"},
		alimtalk.Template{Code: "SHIP_01", Content: "#{waybillNo} 발송"},
	)
}

func TestPrepareBatchInvalidFailAlone(t *testing.T) {
	t.Parallel()
	msgs := []alimtalk.Message{
		{To: "010-1111-2222", TemplateCode: "HELLO", Variables: map[string]string{"name": "가"}, Ref: "a"},
		{To: "010-12", TemplateCode: "HELLO", Variables: map[string]string{"name": "나"}, Ref: "b"},
		{To: "010-3333-4444", TemplateCode: "HELLO", Ref: "c"},
		{To: "010-5555-6666", TemplateCode: "NOPE", Ref: "d"},
		{To: "010-5555-6666", TemplateCode: "NOPE", Text: "최종 문구", Ref: "e"},
		{To: "010-7777-8888", TemplateCode: "HELLO", Variables: map[string]string{"name": "다"}, Ref: "a"},
		{To: "010-9999-0000", TemplateCode: "HELLO", Variables: map[string]string{"name": "라"}, ScheduledAt: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)},
	}
	b := provider.PrepareBatch(msgs, batchTemplates(), alimtalk.Limits{Now: fixedNow})
	require.Len(t, b.Ready, 3)
	assert.Equal(t, 4, b.Invalid())
	assert.Equal(t, 0, b.Position(0))
	assert.Equal(t, 4, b.Position(1))
	assert.Equal(t, 6, b.Position(2))
	assert.Equal(t, "가님 안녕하세요", b.Ready[0].Text)
	assert.Equal(t, "최종 문구", b.Ready[1].Text, "an unknown template is fine when the text is given")

	sent := []alimtalk.Result{
		{MessageID: "m1", Status: alimtalk.StatusAccepted},
		{MessageID: "m2", Status: alimtalk.StatusRejected, Err: errors.New("vendor said no")},
		{MessageID: "m3", Status: alimtalk.StatusReserved},
	}
	res, err := b.Complete(sent, nil)
	require.NoError(t, err)
	require.Len(t, res, len(msgs))
	wantStatus := []alimtalk.Status{alimtalk.StatusAccepted, alimtalk.StatusInvalid, alimtalk.StatusInvalid,
		alimtalk.StatusInvalid, alimtalk.StatusRejected, alimtalk.StatusInvalid, alimtalk.StatusReserved}
	for i, r := range res {
		assert.Equal(t, wantStatus[i], r.Status, "message %d", i)
	}
	assert.Equal(t, "a", res[0].Ref)
	assert.Equal(t, "01011112222", res[0].To)
	assert.Equal(t, "m1", res[0].MessageID)
	assert.Empty(t, res[1].To, "an invalid number is not echoed")
	assert.Equal(t, "e", res[4].Ref)
	assert.False(t, res[6].ScheduledAt.IsZero(), "the reservation time is filled from the message")

	var fe *alimtalk.FieldError
	require.ErrorAs(t, res[1].Err, &fe)
	assert.Equal(t, "To", fe.Field)
	assert.Equal(t, "to", fe.Key)
	require.ErrorAs(t, res[2].Err, &fe)
	assert.Equal(t, "Variables", fe.Field)
	require.ErrorAs(t, res[3].Err, &fe)
	assert.Equal(t, "TemplateCode", fe.Field)
	assert.Equal(t, "template_code", fe.Key)
	require.ErrorAs(t, res[5].Err, &fe)
	assert.Equal(t, "Ref", fe.Field)
	assert.Equal(t, alimtalk.ReasonDuplicate, fe.Reason)
}

func TestBatchCompleteCallErrors(t *testing.T) {
	t.Parallel()
	msgs := []alimtalk.Message{
		{To: "010-1111-2222", TemplateCode: "T", Text: "a", Ref: "1"},
		{To: "bad", TemplateCode: "T", Text: "b", Ref: "2"},
		{To: "010-3333-4444", TemplateCode: "T", Text: "c", Ref: "3"},
	}
	tests := []struct {
		name string
		sent []alimtalk.Result
		err  error
		want []alimtalk.Status
	}{
		{name: "outcome unknown", err: fmt.Errorf("read timeout: %w", alimtalk.ErrOutcomeUnknown),
			want: []alimtalk.Status{alimtalk.StatusUnknown, alimtalk.StatusInvalid, alimtalk.StatusUnknown}},
		{name: "not sent", err: errors.New("dial tcp: connection refused"),
			want: []alimtalk.Status{alimtalk.StatusNotSent, alimtalk.StatusInvalid, alimtalk.StatusNotSent}},
		{name: "too few results", sent: []alimtalk.Result{{Status: alimtalk.StatusAccepted}},
			want: []alimtalk.Status{alimtalk.StatusAccepted, alimtalk.StatusInvalid, alimtalk.StatusUnknown}},
		{name: "extra results ignored", sent: []alimtalk.Result{{Status: alimtalk.StatusAccepted}, {Status: alimtalk.StatusAccepted}, {Status: alimtalk.StatusRejected}},
			want: []alimtalk.Status{alimtalk.StatusAccepted, alimtalk.StatusInvalid, alimtalk.StatusAccepted}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := provider.PrepareBatch(msgs, nil, alimtalk.Limits{})
			res, err := b.Complete(tc.sent, tc.err)
			assert.Equal(t, tc.err, err)
			require.Len(t, res, 3)
			for i, r := range res {
				assert.Equal(t, tc.want[i], r.Status, "message %d", i)
				assert.Equal(t, msgs[i].Ref, r.Ref)
			}
			if tc.want[2] == alimtalk.StatusUnknown {
				assert.ErrorIs(t, res[2].Err, alimtalk.ErrOutcomeUnknown)
			}
		})
	}
}

func TestBatchResultsWhenNothingReady(t *testing.T) {
	t.Parallel()
	b := provider.PrepareBatch([]alimtalk.Message{{To: "x"}}, nil, alimtalk.Limits{})
	require.Empty(t, b.Ready)
	res := b.Results()
	require.Len(t, res, 1)
	assert.Equal(t, alimtalk.StatusInvalid, res[0].Status)
}

func TestSplitByTemplate(t *testing.T) {
	t.Parallel()
	msgs := []alimtalk.Message{
		{TemplateCode: "A"}, {TemplateCode: "B"}, {TemplateCode: "A"},
		{TemplateCode: "A", SenderKey: "k2"}, {TemplateCode: "B"},
	}
	got := provider.SplitByTemplate(msgs)
	assert.Equal(t, []provider.TemplateGroup{
		{TemplateCode: "A", Indexes: []int{0, 2}},
		{TemplateCode: "B", Indexes: []int{1, 4}},
		{SenderKey: "k2", TemplateCode: "A", Indexes: []int{3}},
	}, got)
	assert.Empty(t, provider.SplitByTemplate(nil))
}

func TestCompleteNeverClaimsMoreCertaintyThanTheError(t *testing.T) {
	t.Parallel()
	msgs := []alimtalk.Message{
		{To: "010-1111-2222", TemplateCode: "T", Text: "a", Ref: "1"},
		{To: "010-3333-4444", TemplateCode: "T", Text: "b", Ref: "2"},
		{To: "010-5555-6666", TemplateCode: "T", Text: "c", Ref: "3"},
	}
	b := provider.PrepareBatch(msgs, nil, alimtalk.Limits{})
	unknown := fmt.Errorf("vendor: timeout after write: %w", kshop.ErrOutcomeUnknown)
	res, err := b.Complete([]alimtalk.Result{
		{Status: alimtalk.StatusRejected, Err: unknown},
		{Status: alimtalk.StatusNotSent, Err: unknown},
		{Status: alimtalk.StatusRejected, Err: errors.New("vendor: 3018")},
	}, nil)
	require.NoError(t, err)
	assert.Equal(t, alimtalk.StatusUnknown, res[0].Status)
	assert.Equal(t, alimtalk.StatusUnknown, res[1].Status)
	assert.Equal(t, alimtalk.StatusRejected, res[2].Status, "a definite refusal stays one")
}

// Writing each Result in place (InvalidInto, CompleteOne) gives exactly the list Complete
// builds, whatever the mix of invalid messages, answers and unknown outcomes.
func TestCompleteOneAndInvalidIntoMatchComplete(t *testing.T) {
	t.Parallel()
	unknown := fmt.Errorf("vendor: reset after write: %w", kshop.ErrOutcomeUnknown)
	answers := []alimtalk.Result{
		{MessageID: "m", Status: alimtalk.StatusAccepted},
		{Status: alimtalk.StatusRejected, Err: errors.New("vendor: 3018")},
		{Status: alimtalk.StatusRejected, Err: unknown},
		{Status: alimtalk.StatusNotSent, Err: unknown},
		{Status: alimtalk.StatusReserved, Ref: "kept", To: "01000000000"},
		{Status: alimtalk.StatusInvalid, Err: errors.New("vendor: bad button")},
	}
	for seed := range 40 {
		var msgs []alimtalk.Message
		for i := range 12 {
			m := alimtalk.Message{To: fmt.Sprintf("010-1234-%04d", i), TemplateCode: "HELLO",
				Variables: map[string]string{"name": "가"}, Ref: fmt.Sprintf("r%d", i)}
			switch (seed*7 + i*3) % 5 {
			case 0:
				m.To = "010-12" // invalid
			case 1:
				m.Ref = "r0" // a duplicate after the first
			case 2:
				m.ScheduledAt = time.Date(2030, 1, 1, 9, 0, 0, 0, kshop.KST())
			}
			msgs = append(msgs, m)
		}
		b := provider.PrepareBatch(msgs, batchTemplates(), alimtalk.Limits{Now: fixedNow})
		require.NotEmpty(t, b.Ready, "seed %d", seed)
		require.Positive(t, b.Invalid(), "seed %d", seed)
		sent := make([]alimtalk.Result, len(b.Ready))
		for j := range sent {
			sent[j] = answers[(seed+j)%len(answers)]
		}
		want, _ := b.Complete(sent, nil)

		got := make([]alimtalk.Result, len(msgs))
		assert.Equal(t, b.Invalid(), b.InvalidInto(got), "seed %d", seed)
		for j := range b.Ready {
			got[b.Position(j)] = b.CompleteOne(j, sent[j])
		}
		assert.Equal(t, want, got, "seed %d", seed)
	}
	// A short list gets what fits, and nothing is written past it.
	b := provider.PrepareBatch([]alimtalk.Message{{To: "010-12", Text: "x"}, {To: "010-12", Text: "y"}}, nil, alimtalk.Limits{})
	short := make([]alimtalk.Result, 1)
	assert.Equal(t, 1, b.InvalidInto(short))
	assert.Equal(t, alimtalk.StatusInvalid, short[0].Status)
}
