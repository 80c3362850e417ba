package alimtalk

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop/internal/wire"
)

func TestFailoverKindForLength(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		content string
		lim     Limits
		want    FailoverKind
	}{
		{"empty", "", Limits{}, FailoverSMS},
		{"90 ascii bytes", strings.Repeat("a", 90), Limits{}, FailoverSMS},
		{"91 ascii bytes", strings.Repeat("a", 91), Limits{}, FailoverLMS},
		{"45 hangul = 90 bytes", strings.Repeat("가", 45), Limits{}, FailoverSMS},
		{"46 hangul = 92 bytes", strings.Repeat("가", 46), Limits{}, FailoverLMS},
		{"mixed 89 + hangul", strings.Repeat("a", 88) + "가", Limits{}, FailoverSMS},
		{"mixed 89 + hangul over", strings.Repeat("a", 89) + "가", Limits{}, FailoverLMS},
		{"emoji counts two bytes", strings.Repeat("a", 88) + "😀", Limits{}, FailoverSMS},
		{"emoji tips over", strings.Repeat("a", 89) + "😀", Limits{}, FailoverLMS},
		{"configurable threshold", strings.Repeat("a", 80), Limits{SMSBytes: 70}, FailoverLMS},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, kindForLength(wire.EUCKRLenLenient(tc.content), tc.lim.withDefaults()), tc.name)
	}
}

func TestFailoverResolve(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("가", 46)
	tests := []struct {
		name  string
		f     Failover
		text  string
		want  Failover
		field string
		why   Reason
	}{
		{name: "auto short is SMS, subject cleared", text: "짧은 안내",
			f:    Failover{Subject: "제목", From: "02-123-4567"},
			want: Failover{Kind: FailoverSMS, Content: "짧은 안내", From: "021234567"}},
		{name: "auto long is LMS", text: long,
			f:    Failover{Subject: "[리리비]", From: "1588-1234"},
			want: Failover{Kind: FailoverLMS, Content: long, Subject: "[리리비]", From: "15881234"}},
		{name: "own content wins", text: long,
			f:    Failover{Content: "대체 문자"},
			want: Failover{Kind: FailoverSMS, Content: "대체 문자"}},
		{name: "forced LMS for short text", text: "짧음",
			f:    Failover{Kind: FailoverLMS},
			want: Failover{Kind: FailoverLMS, Content: "짧음"}},
		{name: "forced SMS too long", text: long, f: Failover{Kind: FailoverSMS},
			field: "failover.content", why: ReasonTooLong},
		{name: "LMS over 2000", text: strings.Repeat("a", 2001), f: Failover{},
			field: "failover.content", why: ReasonTooLong},
		{name: "LMS subject over 40 bytes", text: long, f: Failover{Subject: strings.Repeat("가", 21)},
			field: "failover.subject", why: ReasonTooLong},
		{name: "no content at all", text: "", f: Failover{},
			field: "failover.content", why: ReasonRequired},
		{name: "bad sender number", text: "a", f: Failover{From: "12345"},
			field: "failover.from", why: ReasonInvalid},
		{name: "premium sender number", text: "a", f: Failover{From: "060-700-1234"},
			field: "failover.from", why: ReasonInvalid},
		{name: "unknown kind", text: "a", f: Failover{Kind: 7},
			field: "failover.kind", why: ReasonInvalid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, errs := tc.f.resolve(tc.text, Limits{}.withDefaults(), nil)
			err := errs.err()
			if tc.field == "" {
				require.NoError(t, err)
				assert.Equal(t, tc.want, got)
				return
			}
			var fes FieldErrors
			require.ErrorAs(t, err, &fes)
			fe := fes.Field(tc.field)
			require.NotNil(t, fe, "%v", err)
			assert.NotEqual(t, fe.Key, fe.Field, "the Go path is filled")
			require.NotNil(t, fe, "%v", err)
			assert.Equal(t, tc.why, fe.Reason)
		})
	}
}

func TestFailoverKindString(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "auto", FailoverAuto.String())
	assert.Equal(t, "SMS", FailoverSMS.String())
	assert.Equal(t, "LMS", FailoverLMS.String())
	assert.Equal(t, "invalid", FailoverKind(9).String())
}
