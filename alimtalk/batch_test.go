package alimtalk_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop/alimtalk"
)

func batchTemplates() alimtalk.TemplateSet {
	return alimtalk.NewTemplateSet(
		alimtalk.Template{Code: "HELLO", Content: "#{name}님 안녕하세요"},
		*shipTemplate(),
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
	b := alimtalk.PrepareBatch(msgs, batchTemplates(), alimtalk.Limits{})
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
	assert.Equal(t, "to", fe.Field)
	require.ErrorAs(t, res[2].Err, &fe)
	assert.Equal(t, "variables", fe.Field)
	require.ErrorAs(t, res[3].Err, &fe)
	assert.Equal(t, "template_code", fe.Field)
	require.ErrorAs(t, res[5].Err, &fe)
	assert.Equal(t, "ref", fe.Field)
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
			b := alimtalk.PrepareBatch(msgs, nil, alimtalk.Limits{})
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
	b := alimtalk.PrepareBatch([]alimtalk.Message{{To: "x"}}, nil, alimtalk.Limits{})
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
	got := alimtalk.SplitByTemplate(msgs)
	assert.Equal(t, []alimtalk.TemplateGroup{
		{TemplateCode: "A", Indexes: []int{0, 2}},
		{TemplateCode: "B", Indexes: []int{1, 4}},
		{SenderKey: "k2", TemplateCode: "A", Indexes: []int{3}},
	}, got)
	assert.Empty(t, alimtalk.SplitByTemplate(nil))
}

func TestStatus(t *testing.T) {
	t.Parallel()
	tests := []struct {
		s           alimtalk.Status
		name        string
		succeeded   bool
		safeToRetry bool
	}{
		{alimtalk.StatusUnknown, "unknown", false, false},
		{alimtalk.StatusAccepted, "accepted", true, false},
		{alimtalk.StatusReserved, "reserved", true, false},
		{alimtalk.StatusRejected, "rejected", false, true},
		{alimtalk.StatusInvalid, "invalid", false, true},
		{alimtalk.StatusNotSent, "not sent", false, true},
		{alimtalk.StatusDuplicate, "duplicate", false, false},
		{alimtalk.Status(42), "status(42)", false, false},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.name, tc.s.String())
		assert.Equal(t, tc.succeeded, tc.s.Succeeded(), tc.name)
		assert.Equal(t, tc.safeToRetry, tc.s.SafeToRetry(), tc.name)
	}
}

func TestTemplateSet(t *testing.T) {
	t.Parallel()
	orig := alimtalk.Template{Code: "X", Content: "a"}
	set := alimtalk.NewTemplateSet(orig)
	orig.Content = "changed"
	got, ok := set.Template("X")
	require.True(t, ok)
	assert.Equal(t, "a", got.Content, "the set holds a copy")
	_, ok = set.Template("Y")
	assert.False(t, ok)
	set["nil"] = nil
	_, ok = set.Template("nil")
	assert.False(t, ok)
}
