package alimtalk_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop/alimtalk"
)

func TestChooseFailoverKind(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		content string
		lim     alimtalk.Limits
		want    alimtalk.FailoverKind
	}{
		{"empty", "", alimtalk.Limits{}, alimtalk.FailoverSMS},
		{"90 ascii bytes", strings.Repeat("a", 90), alimtalk.Limits{}, alimtalk.FailoverSMS},
		{"91 ascii bytes", strings.Repeat("a", 91), alimtalk.Limits{}, alimtalk.FailoverLMS},
		{"45 hangul = 90 bytes", strings.Repeat("가", 45), alimtalk.Limits{}, alimtalk.FailoverSMS},
		{"46 hangul = 92 bytes", strings.Repeat("가", 46), alimtalk.Limits{}, alimtalk.FailoverLMS},
		{"mixed 89 + hangul", strings.Repeat("a", 88) + "가", alimtalk.Limits{}, alimtalk.FailoverSMS},
		{"mixed 89 + hangul over", strings.Repeat("a", 89) + "가", alimtalk.Limits{}, alimtalk.FailoverLMS},
		{"emoji counts two bytes", strings.Repeat("a", 88) + "😀", alimtalk.Limits{}, alimtalk.FailoverSMS},
		{"emoji tips over", strings.Repeat("a", 89) + "😀", alimtalk.Limits{}, alimtalk.FailoverLMS},
		{"configurable threshold", strings.Repeat("a", 80), alimtalk.Limits{SMSBytes: 70}, alimtalk.FailoverLMS},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, alimtalk.ChooseFailoverKind(tc.content, tc.lim), tc.name)
	}
}

func TestFailoverResolve(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("가", 46)
	tests := []struct {
		name  string
		f     alimtalk.Failover
		text  string
		want  alimtalk.Failover
		field string
		why   alimtalk.Reason
	}{
		{name: "auto short is SMS, subject cleared", text: "짧은 안내",
			f:    alimtalk.Failover{Subject: "제목", From: "02-123-4567"},
			want: alimtalk.Failover{Kind: alimtalk.FailoverSMS, Content: "짧은 안내", From: "021234567"}},
		{name: "auto long is LMS", text: long,
			f:    alimtalk.Failover{Subject: "[리리비]", From: "1588-1234"},
			want: alimtalk.Failover{Kind: alimtalk.FailoverLMS, Content: long, Subject: "[리리비]", From: "15881234"}},
		{name: "own content wins", text: long,
			f:    alimtalk.Failover{Content: "대체 문자"},
			want: alimtalk.Failover{Kind: alimtalk.FailoverSMS, Content: "대체 문자"}},
		{name: "forced LMS for short text", text: "짧음",
			f:    alimtalk.Failover{Kind: alimtalk.FailoverLMS},
			want: alimtalk.Failover{Kind: alimtalk.FailoverLMS, Content: "짧음"}},
		{name: "forced SMS too long", text: long, f: alimtalk.Failover{Kind: alimtalk.FailoverSMS},
			field: "failover.content", why: alimtalk.ReasonTooLong},
		{name: "LMS over 2000", text: strings.Repeat("a", 2001), f: alimtalk.Failover{},
			field: "failover.content", why: alimtalk.ReasonTooLong},
		{name: "LMS subject over 40 bytes", text: long, f: alimtalk.Failover{Subject: strings.Repeat("가", 21)},
			field: "failover.subject", why: alimtalk.ReasonTooLong},
		{name: "no content at all", text: "", f: alimtalk.Failover{},
			field: "failover.content", why: alimtalk.ReasonRequired},
		{name: "bad sender number", text: "a", f: alimtalk.Failover{From: "12345"},
			field: "failover.from", why: alimtalk.ReasonInvalid},
		{name: "premium sender number", text: "a", f: alimtalk.Failover{From: "060-700-1234"},
			field: "failover.from", why: alimtalk.ReasonInvalid},
		{name: "unknown kind", text: "a", f: alimtalk.Failover{Kind: 7},
			field: "failover.kind", why: alimtalk.ReasonInvalid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := tc.f.Resolve(tc.text, alimtalk.Limits{})
			if tc.field == "" {
				require.NoError(t, err)
				assert.Equal(t, tc.want, got)
				return
			}
			var errs alimtalk.FieldErrors
			require.ErrorAs(t, err, &errs)
			fe := errs.Field(tc.field)
			require.NotNil(t, fe, "%v", err)
			assert.Equal(t, tc.why, fe.Reason)
		})
	}
}

func TestFailoverKindString(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "auto", alimtalk.FailoverAuto.String())
	assert.Equal(t, "SMS", alimtalk.FailoverSMS.String())
	assert.Equal(t, "LMS", alimtalk.FailoverLMS.String())
	assert.Equal(t, "invalid", alimtalk.FailoverKind(9).String())
}
