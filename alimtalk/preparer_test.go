package alimtalk

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop/internal/wire"
)

// preparerCases cover what Preparer shortcuts: rendering from a compiled content, the
// character count and first fault taken from the literals, and texts whose parts are not
// valid UTF-8 on their own (where bytes of a value and a literal join into one character).
func preparerCases() []struct {
	name string
	tpl  *Template
	msg  Message
} {
	now := time.Date(2030, 1, 2, 10, 0, 0, 0, time.UTC)
	order := &Template{Code: "T1", Content: "#{name}님의 주문 #{orderNo}이(가) 접수되었습니다.\n감사합니다."}
	plain := &Template{Code: "T2", Content: "고정 문구입니다."}
	broken := &Template{Code: "T3", Content: "\x85#{a}끝\x07"}
	emphasis := &Template{Code: "T4", Content: "#{n}님 포인트", Emphasis: EmphasisText, Title: "#{p}P", Subtitle: "안내",
		Buttons: []Button{{Type: ButtonWebLink, Name: "보기", URLMobile: "https://x.example/#{n}"}}}
	long := &Template{Code: "T5", Content: strings.Repeat("가", 990) + "#{a}"}
	msg := func(code string, vars ...string) Message {
		m := Message{To: "010-1234-5678", TemplateCode: code, Ref: "r", Variables: map[string]string{}}
		for i := 0; i+1 < len(vars); i += 2 {
			m.Variables[vars[i]] = vars[i+1]
		}
		return m
	}
	withText := func(m Message, text string) Message { m.Text = text; return m }
	scheduled := msg("T1", "name", "가", "orderNo", "1")
	scheduled.ScheduledAt = now.Add(time.Hour)
	failover := msg("T1", "name", "가", "orderNo", "1")
	failover.Failover = &Failover{From: "02-123-4567"}
	return []struct {
		name string
		tpl  *Template
		msg  Message
	}{
		{"rendered", order, msg("T1", "name", "홍길동", "orderNo", "A-1")},
		{"no placeholders", plain, msg("T2")},
		{"missing variable", order, msg("T1", "name", "홍길동")},
		{"control character in a value", order, msg("T1", "name", "홍\x07", "orderNo", "1")},
		{"C1 control in a value", order, msg("T1", "name", "\u0085", "orderNo", "1")},
		{"invalid UTF-8 in a value", order, msg("T1", "name", "\xff", "orderNo", "1")},
		{"value and literal join into a control", broken, msg("T3", "a", "\xc2")},
		{"bad literals alone", broken, msg("T3", "a", "b")},
		{"half a character at the end of a value", order, msg("T1", "name", "\xea\xb0", "orderNo", "1")},
		{"too long once rendered", long, msg("T5", "a", strings.Repeat("나", 11))},
		{"at the limit", long, msg("T5", "a", strings.Repeat("나", 10))},
		{"text given and matching", order, withText(msg("T1"), "가님의 주문 1이(가) 접수되었습니다.\n감사합니다.")},
		{"text given, mismatch", order, withText(msg("T1"), "다른 문구")},
		{"emphasis and buttons", emphasis, msg("T4", "n", "가", "p", "100")},
		{"scheduled", order, scheduled},
		{"failover", order, failover},
		{"no template", nil, withText(msg("T9"), "그대로")},
		{"bad phone", order, func() Message { m := msg("T1", "name", "가", "orderNo", "1"); m.To = "010-12"; return m }()},
	}
}

func TestPreparerPreparesAsMessagePrepare(t *testing.T) {
	t.Parallel()
	lim := Limits{Now: func() time.Time { return time.Date(2030, 1, 2, 10, 0, 0, 0, time.UTC) }}
	p := NewPreparer(lim)
	cases := preparerCases()
	// Twice, in order, so that every case also runs with the previous case's template compiled.
	for round := range 2 {
		for _, tc := range cases {
			want, wantErr := tc.msg.Prepare(tc.tpl, lim)
			got, err := p.Prepare(tc.msg, tc.tpl)
			assert.Equal(t, wantErr, err, "round %d: %s", round, tc.name)
			assert.Equal(t, want, got, "round %d: %s", round, tc.name)
		}
	}
}

func TestPreparerNoticesAChangedContent(t *testing.T) {
	t.Parallel()
	p := NewPreparer(Limits{})
	tpl := &Template{Code: "T1", Content: "#{a} 하나"}
	m := Message{To: "01012345678", TemplateCode: "T1", Variables: map[string]string{"a": "가"}}
	first, err := p.Prepare(m, tpl)
	require.NoError(t, err)
	assert.Equal(t, "가 하나", first.Text)
	tpl.Content = "#{a} 둘" // the same *Template, edited between calls
	second, err := p.Prepare(m, tpl)
	require.NoError(t, err)
	assert.Equal(t, "가 둘", second.Text)
}

func TestScanTextCountsAndFindsTheFirstFault(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"", "abc", "가나다", "a\nb\tc\r", "a\x07b\xffc", "\xffa\x07", "\u0085x", "끝\xe2\x80", "\xc2", "a\x7f"} {
		for _, multiline := range []bool{true, false} {
			n, fault := scanText(s, multiline)
			assert.Equal(t, utf8.RuneCountInString(s), n, "%q", s)
			assert.Equal(t, textFault(s, multiline), fault, "%q multiline=%v", s, multiline)
		}
	}
}

func TestIsWebURLIgnoresASCIICaseOnly(t *testing.T) {
	t.Parallel()
	assert.True(t, isWebURL("HTTPS://shop.example"))
	assert.True(t, isWebURL("Http://shop.example"))
	assert.True(t, isWebURL("#{shopUrl}/o"))
	assert.False(t, isWebURL("httpſ://shop.example"), "ſ lower-cases to itself, not to s")
	assert.False(t, isWebURL("ftp://shop.example"))
	assert.False(t, isWebURL("http:/"))
}

func FuzzPreparer(f *testing.F) {
	f.Add("#{a}님 #{b}", "가", "1", "")
	f.Add("\x85#{a}끝", "\xc2", "", "")
	f.Add("고정", "", "", "고정")
	f.Fuzz(func(t *testing.T, content, a, b, text string) {
		tpl := &Template{Code: "T", Content: content}
		m := Message{To: "01012345678", TemplateCode: "T", Text: text, Variables: map[string]string{"a": a, "b": b}}
		want, wantErr := m.Prepare(tpl, Limits{})
		got, err := NewPreparer(Limits{}).Prepare(m, tpl)
		if !assert.ObjectsAreEqual(wantErr, err) || !assert.ObjectsAreEqual(want, got) {
			t.Fatalf("Preparer differs from Message.Prepare:\n%v %v\n%v %v", want, wantErr, got, err)
		}
	})
}

func TestEUCKRLenAndRunesCountsAsTheSeparatePasses(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"", "abc", "가나다 abc", "🎉é", "\xff\xfe가", "끝\xe2\x80", strings.Repeat("주문", 500)} {
		euckr, n := euckrLenAndRunes(s)
		assert.Equal(t, wire.EUCKRLenLenient(s), euckr, "%q", s)
		assert.Equal(t, utf8.RuneCountInString(s), n, "%q", s)
	}
}
