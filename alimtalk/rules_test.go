package alimtalk_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/alimtalk"
	"github.com/kshop-dev/kshop/alimtalk/alimtalktest"
)

// rulesNow is the clock of the bad-input tests.
var rulesNow = time.Date(2025, 3, 10, 12, 0, 0, 0, kshop.KST())

func rulesClock() time.Time { return rulesNow }

func TestPrepareRefusesBadInput(t *testing.T) {
	t.Parallel()
	helloTpl := &alimtalk.Template{Code: "HELLO", Content: "#{name}님 안녕하세요"}
	base := func() alimtalk.Message {
		return alimtalk.Message{To: "010-1234-5678", TemplateCode: "HELLO", Text: "홍길동님 안녕하세요", Ref: "r-1"}
	}
	tests := []struct {
		name   string
		tpl    *alimtalk.Template
		lim    alimtalk.Limits
		edit   func(*alimtalk.Message)
		field  string
		key    string
		reason alimtalk.Reason
	}{
		{name: "scheduled in 1990", edit: func(m *alimtalk.Message) { m.ScheduledAt = time.Date(1990, 1, 1, 9, 0, 0, 0, kshop.KST()) },
			field: "ScheduledAt", key: "scheduled_at", reason: alimtalk.ReasonOutOfRange},
		{name: "scheduled in 3000", edit: func(m *alimtalk.Message) { m.ScheduledAt = time.Date(3000, 1, 1, 9, 0, 0, 0, kshop.KST()) },
			field: "ScheduledAt", key: "scheduled_at", reason: alimtalk.ReasonOutOfRange},
		{name: "scheduled two minutes ago", edit: func(m *alimtalk.Message) { m.ScheduledAt = rulesNow.Add(-2 * time.Minute) },
			field: "ScheduledAt", key: "scheduled_at", reason: alimtalk.ReasonOutOfRange},
		{name: "scheduled 61 days ahead", edit: func(m *alimtalk.Message) { m.ScheduledAt = rulesNow.Add(61 * 24 * time.Hour) },
			field: "ScheduledAt", key: "scheduled_at", reason: alimtalk.ReasonOutOfRange},
		{name: "scheduled past a shorter horizon", lim: alimtalk.Limits{ScheduleHorizon: time.Hour},
			edit:  func(m *alimtalk.Message) { m.ScheduledAt = rulesNow.Add(2 * time.Hour) },
			field: "ScheduledAt", key: "scheduled_at", reason: alimtalk.ReasonOutOfRange},
		{name: "scheduled before a larger skew allowance", lim: alimtalk.Limits{ClockSkew: 5 * time.Minute},
			edit:  func(m *alimtalk.Message) { m.ScheduledAt = rulesNow.Add(-6 * time.Minute) },
			field: "ScheduledAt", key: "scheduled_at", reason: alimtalk.ReasonOutOfRange},
		{name: "NUL in text", edit: func(m *alimtalk.Message) { m.Text = "홍길동님\x00 안녕하세요" },
			field: "Text", key: "text", reason: alimtalk.ReasonControlChars},
		{name: "ESC in text", edit: func(m *alimtalk.Message) { m.Text = "\x1b[31m홍길동님" },
			field: "Text", key: "text", reason: alimtalk.ReasonControlChars},
		{name: "DEL in text", edit: func(m *alimtalk.Message) { m.Text = "홍길동\x7f" },
			field: "Text", key: "text", reason: alimtalk.ReasonControlChars},
		{name: "C1 control in text", edit: func(m *alimtalk.Message) { m.Text = "홍길동\u0085" },
			field: "Text", key: "text", reason: alimtalk.ReasonControlChars},
		{name: "invalid UTF-8 in text", edit: func(m *alimtalk.Message) { m.Text = "홍길동\xff님" },
			field: "Text", key: "text", reason: alimtalk.ReasonInvalidUTF8},
		{name: "NUL in a variable", tpl: helloTpl, edit: func(m *alimtalk.Message) { m.Text = ""; m.Variables = map[string]string{"name": "a\x00"} },
			field: "Text", key: "text", reason: alimtalk.ReasonControlChars},
		{name: "invalid UTF-8 in a variable", tpl: helloTpl, edit: func(m *alimtalk.Message) { m.Text = ""; m.Variables = map[string]string{"name": "\xc3"} },
			field: "Text", key: "text", reason: alimtalk.ReasonInvalidUTF8},
		{name: "title without a known template", edit: func(m *alimtalk.Message) { m.Title = "7,500원" },
			field: "Title", key: "title", reason: alimtalk.ReasonNotAllowed},
		{name: "title on a template without emphasis", tpl: helloTpl, edit: func(m *alimtalk.Message) { m.Title = "7,500원" },
			field: "Title", key: "title", reason: alimtalk.ReasonNotAllowed},
		{name: "line break in title", tpl: &alimtalk.Template{Code: "HELLO", Content: "#{name}님 안녕하세요", Emphasis: alimtalk.EmphasisText, Subtitle: "s"},
			edit:  func(m *alimtalk.Message) { m.Title = "7,500\n원" },
			field: "Title", key: "title", reason: alimtalk.ReasonControlChars},
		{name: "NUL in failover text", edit: func(m *alimtalk.Message) { m.Failover = &alimtalk.Failover{Content: "대체\x00문자"} },
			field: "Failover.Content", key: "failover.content", reason: alimtalk.ReasonControlChars},
		{name: "invalid UTF-8 in failover subject", edit: func(m *alimtalk.Message) { m.Failover = &alimtalk.Failover{Subject: "\xfe"} },
			field: "Failover.Subject", key: "failover.subject", reason: alimtalk.ReasonInvalidUTF8},
		{name: "ESC in a button name", edit: func(m *alimtalk.Message) {
			m.Buttons = []alimtalk.Button{{Type: alimtalk.ButtonBotKeyword, Name: "문의\x1b"}}
		}, field: "Buttons[0].Name", key: "buttons[0].name", reason: alimtalk.ReasonControlChars},
		{name: "line break in a button link", edit: func(m *alimtalk.Message) {
			m.Buttons = []alimtalk.Button{{Type: alimtalk.ButtonWebLink, Name: "주문", URLMobile: "https://shop.kr/\r\nx"}}
		}, field: "Buttons[0].URLMobile", key: "buttons[0].url_mobile", reason: alimtalk.ReasonControlChars},
		{name: "line break in the template code", edit: func(m *alimtalk.Message) { m.TemplateCode = "HELLO\r\n" },
			field: "TemplateCode", key: "template_code", reason: alimtalk.ReasonControlChars},
		{name: "NUL in ref", edit: func(m *alimtalk.Message) { m.Ref = "r\x00" },
			field: "Ref", key: "ref", reason: alimtalk.ReasonControlChars},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := base()
			tc.edit(&m)
			lim := tc.lim
			lim.Now = rulesClock
			_, err := m.Prepare(tc.tpl, lim)
			require.ErrorIs(t, err, alimtalk.ErrInvalid)
			require.ErrorIs(t, err, kshop.ErrInvalid)
			var fes alimtalk.FieldErrors
			require.ErrorAs(t, err, &fes)
			fe := fes.Field(tc.key)
			require.NotNil(t, fe, "%v", err)
			assert.Equal(t, tc.field, fe.Field)
			assert.Equal(t, tc.key, fe.Key)
			assert.Equal(t, tc.reason, fe.Reason)
			assert.NotContains(t, err.Error(), "\x00", "the value never reaches the error text")

			// Nothing reaches a provider either.
			fake := alimtalktest.NewSender(alimtalktest.WithClock(rulesClock), alimtalktest.WithLimits(tc.lim))
			res, err := fake.Send(context.Background(), []alimtalk.Message{m})
			if tc.tpl != nil {
				fake = alimtalktest.NewSender(alimtalktest.WithClock(rulesClock), alimtalktest.WithLimits(tc.lim),
					alimtalktest.WithTemplates(alimtalk.NewTemplateSet(*tc.tpl)))
				res, err = fake.Send(context.Background(), []alimtalk.Message{m})
			}
			require.NoError(t, err)
			require.Len(t, res, 1)
			assert.Equal(t, alimtalk.StatusInvalid, res[0].Status)
			assert.Empty(t, fake.Accepted())
		})
	}
}

func TestPrepareAcceptsTheEdgesOfTheRules(t *testing.T) {
	t.Parallel()
	lim := alimtalk.Limits{Now: rulesClock}
	for _, at := range []time.Time{rulesNow.Add(-59 * time.Second), rulesNow.Add(time.Minute), rulesNow.Add(60 * 24 * time.Hour)} {
		m := alimtalk.Message{To: "010-1234-5678", TemplateCode: "HELLO", Text: "줄1\r\n줄2\t끝", ScheduledAt: at,
			Failover: &alimtalk.Failover{Content: "대체\n문자"}}
		out, err := m.Prepare(nil, lim)
		require.NoError(t, err, at)
		assert.Equal(t, kshop.KST(), out.ScheduledAt.Location())
	}
}

func TestTemplateValidateRefusesBrokenTexts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		tpl         alimtalk.Template
		field, key  string
		reason      alimtalk.Reason
		wantInError string
	}{
		{name: "unclosed placeholder", tpl: alimtalk.Template{Content: "#{name님 안녕하세요"},
			field: "Content", key: "content", reason: alimtalk.ReasonInvalid, wantInError: "opens no variable"},
		{name: "placeholder cut by a line break", tpl: alimtalk.Template{Content: "#{na\nme} 안녕하세요"},
			field: "Content", key: "content", reason: alimtalk.ReasonInvalid},
		{name: "unclosed at the end", tpl: alimtalk.Template{Content: "안녕하세요 #{"},
			field: "Content", key: "content", reason: alimtalk.ReasonInvalid},
		{name: "invalid UTF-8 content", tpl: alimtalk.Template{Content: "안녕\xed\xa0\x80"},
			field: "Content", key: "content", reason: alimtalk.ReasonInvalidUTF8},
		{name: "NUL in content", tpl: alimtalk.Template{Content: "안녕\x00"},
			field: "Content", key: "content", reason: alimtalk.ReasonControlChars},
		{name: "unclosed title placeholder", tpl: alimtalk.Template{Content: "본문", Emphasis: alimtalk.EmphasisText, Title: "#{amount", Subtitle: "s"},
			field: "Title", key: "title", reason: alimtalk.ReasonInvalid},
		{name: "control character in a button name", tpl: alimtalk.Template{Content: "본문",
			Buttons: []alimtalk.Button{{Type: alimtalk.ButtonBotKeyword, Name: "문의\x07"}}},
			field: "Buttons[0].Name", key: "buttons[0].name", reason: alimtalk.ReasonControlChars},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := tc.tpl.Validate(alimtalk.Limits{})
			require.ErrorIs(t, err, alimtalk.ErrInvalid)
			var fes alimtalk.FieldErrors
			require.ErrorAs(t, err, &fes)
			fe := fes.Field(tc.field)
			require.NotNil(t, fe, "%v", err)
			assert.Equal(t, tc.key, fe.Key)
			assert.Equal(t, tc.reason, fe.Reason)
			assert.Contains(t, err.Error(), tc.wantInError)
		})
	}
	ok := alimtalk.Template{Content: "#{name}님,\n주문 #{orderNo} 접수\t완료"}
	assert.NoError(t, ok.Validate(alimtalk.Limits{}))
}

// TestFieldErrorsNameGoFieldAndWireKey runs bad input through every validator and checks the
// naming convention of every problem: Field is the Go path, Key the snake_case wire path.
func TestFieldErrorsNameGoFieldAndWireKey(t *testing.T) {
	t.Parallel()
	var errs []error
	m := alimtalk.Message{To: "02-123", SenderKey: "short", Title: "x", ScheduledAt: time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC),
		Buttons:  []alimtalk.Button{{Type: alimtalk.ButtonAppLink, Name: strings.Repeat("이", 15), URLPC: "ftp://x", PluginID: "p"}},
		Failover: &alimtalk.Failover{Kind: alimtalk.FailoverSMS, Content: strings.Repeat("가", 100), From: "060-700-1234"}}
	_, err := m.Prepare(nil, alimtalk.Limits{})
	errs = append(errs, err)
	tpl := alimtalk.Template{Name: strings.Repeat("n", 151), MessageType: alimtalk.MessageMixed, Emphasis: alimtalk.EmphasisItemList,
		CategoryCode: "1", TemplateState: alimtalk.TemplateState{Inspection: "X", Service: "Y"},
		ItemList:     &alimtalk.ItemList{Items: []alimtalk.Item{{Title: strings.Repeat("t", 7)}}, Highlight: &alimtalk.ItemHighlight{}},
		QuickReplies: []alimtalk.Button{{Type: alimtalk.ButtonCall, Name: "전화", Phone: "1"}}}
	errs = append(errs, tpl.Validate(alimtalk.Limits{}))
	_, err = alimtalk.NewDispatcher(alimtalk.Config{ShopURL: "ftp://x", SenderNumber: "1", OperatorPhones: []string{"x"},
		QuietHours: alimtalk.QuietHours{Start: alimtalk.TimeOfDay{Hour: 25}},
		Events: map[alimtalk.EventKind]alimtalk.EventConfig{alimtalk.EventOrderReceived: {Enabled: true,
			Timing: alimtalk.Timing{Mode: alimtalk.TimingAt, Days: -1}}}}, nil, nil)
	errs = append(errs, err)
	errs = append(errs, alimtalk.ValidateTemplateCode("a b"))

	seen := 0
	for _, err := range errs {
		require.Error(t, err)
		var fes []*alimtalk.FieldError
		var list alimtalk.FieldErrors
		var cfgErr *alimtalk.ConfigError
		var one *alimtalk.FieldError
		switch {
		case errors.As(err, &cfgErr):
			fes = cfgErr.Problems
		case errors.As(err, &list):
			fes = list
		case errors.As(err, &one):
			fes = []*alimtalk.FieldError{one}
		}
		require.NotEmpty(t, fes, "%v", err)
		for _, fe := range fes {
			seen++
			assert.NotEmpty(t, fe.Key, "%v", fe)
			switch fe.Key {
			case "inspection_status", "status": // TemplateState.Inspection, .Service: see TestGoPathExceptions
				continue
			case "sender", "templates": // NewDispatcher's arguments, not fields
				assert.Equal(t, fe.Key, fe.Field)
				continue
			}
			assert.NotContains(t, fe.Field, "_", "Go path %q (key %q)", fe.Field, fe.Key)
			assert.Equal(t, strings.ToLower(strings.ReplaceAll(fe.Key, "_", "")), strings.ToLower(fe.Field),
				"Field is the key in Go spelling")
			assert.Equal(t, strings.ToUpper(fe.Field[:1]), fe.Field[:1], "%q", fe.Field)
		}
	}
	assert.Greater(t, seen, 25)
}

func TestGoPathExceptions(t *testing.T) {
	t.Parallel()
	tpl := alimtalk.Template{Content: "a", TemplateState: alimtalk.TemplateState{Inspection: "X", Service: "Y"}}
	var fes alimtalk.FieldErrors
	require.ErrorAs(t, tpl.Validate(alimtalk.Limits{}), &fes)
	assert.Equal(t, "Inspection", fes.Field("inspection_status").Field)
	assert.Equal(t, "Service", fes.Field("status").Field)
	assert.Equal(t, kshop.RuleControlChars, alimtalk.ReasonControlChars.Rule())
	assert.Equal(t, kshop.RuleRange, alimtalk.ReasonOutOfRange.Rule())
	assert.Equal(t, "out of range", alimtalk.ReasonOutOfRange.String())
}

// misclassifying is a provider that reports a timeout as a refusal.
type misclassifying struct {
	calls int
	err   error
}

func (s *misclassifying) Send(_ context.Context, msgs []alimtalk.Message) ([]alimtalk.Result, error) {
	s.calls++
	out := make([]alimtalk.Result, len(msgs))
	for i := range out {
		out[i] = alimtalk.Result{Status: alimtalk.StatusRejected, Err: s.err}
	}
	return out, nil
}

// unknownAPIError says OutcomeUnknown() without wrapping ErrOutcomeUnknown.
type unknownAPIError struct{}

func (unknownAPIError) Error() string        { return "vendor: 503 after write" }
func (unknownAPIError) HTTPStatusCode() int  { return 503 }
func (unknownAPIError) Code() string         { return "" }
func (unknownAPIError) Retryable() bool      { return false }
func (unknownAPIError) OutcomeUnknown() bool { return true }

var _ kshop.APIError = unknownAPIError{}

func TestDispatcherKeepsClaimsOfUnknownOutcomes(t *testing.T) {
	t.Parallel()
	wrapped := fmt.Errorf("vendor said 3018 after a timeout: %w", kshop.ErrOutcomeUnknown)
	for name, providerErr := range map[string]error{"wraps ErrOutcomeUnknown": wrapped, "APIError.OutcomeUnknown": unknownAPIError{}} {
		t.Run("alimtalktest "+name, func(t *testing.T) {
			t.Parallel()
			cfg := shopConfig()
			fake := alimtalktest.NewSender(alimtalktest.WithTemplates(shopTemplates()), alimtalktest.WithClock(afternoonClock))
			fake.RejectPhone("010-1234-5678", providerErr)
			ledger := alimtalk.NewMemoryLedger(10)
			d, err := alimtalk.NewDispatcher(cfg, fake, shopTemplates(), fixedClock(afternoon), alimtalk.WithLedger(ledger))
			require.NoError(t, err)
			report, err := d.Dispatch(context.Background(), orderEvent())
			require.NoError(t, err)
			assert.Equal(t, alimtalk.StatusUnknown, report.Deliveries[0].Status, "a refusal that says unknown is unknown")
			assert.False(t, report.Deliveries[0].Status.SafeToRetry())

			// The same event delivered again sends nothing to that customer.
			again, err := d.Dispatch(context.Background(), orderEvent())
			require.NoError(t, err)
			assert.Equal(t, alimtalk.StatusDuplicate, again.Deliveries[0].Status)
			customerCopies := 0
			for _, r := range fake.Records() {
				if r.Message.To == "01012345678" {
					customerCopies++
				}
			}
			assert.Equal(t, 1, customerCopies, "the customer's message reached the provider once")
		})
		t.Run("raw sender "+name, func(t *testing.T) {
			t.Parallel()
			s := &misclassifying{err: providerErr}
			ledger := alimtalk.NewMemoryLedger(10)
			d, err := alimtalk.NewDispatcher(shopConfig(), s, shopTemplates(), fixedClock(afternoon), alimtalk.WithLedger(ledger))
			require.NoError(t, err)
			report, err := d.Dispatch(context.Background(), orderEvent())
			require.NoError(t, err)
			for _, del := range report.Deliveries {
				assert.Equal(t, alimtalk.StatusUnknown, del.Status)
			}
			assert.Equal(t, len(report.Deliveries), ledger.Len(), "every claim is kept")
			_, err = d.Dispatch(context.Background(), orderEvent())
			require.NoError(t, err)
			assert.Equal(t, 1, s.calls, "nothing is sent again")
		})
	}

	t.Run("a plain refusal is released", func(t *testing.T) {
		t.Parallel()
		s := &misclassifying{err: errors.New("vendor: 3018 not deliverable")}
		d, err := alimtalk.NewDispatcher(shopConfig(), s, shopTemplates(), fixedClock(afternoon))
		require.NoError(t, err)
		report, err := d.Dispatch(context.Background(), orderEvent())
		require.NoError(t, err)
		assert.Equal(t, alimtalk.StatusRejected, report.Deliveries[0].Status)
		_, err = d.Dispatch(context.Background(), orderEvent())
		require.NoError(t, err)
		assert.Equal(t, 2, s.calls, "a definite refusal may be tried again")
	})
}

func TestNilContextIsRefused(t *testing.T) {
	t.Parallel()
	fake := alimtalktest.NewSender(alimtalktest.WithTemplates(shopTemplates()), alimtalktest.WithClock(afternoonClock))
	d, err := alimtalk.NewDispatcher(shopConfig(), fake, shopTemplates(), fixedClock(afternoon))
	require.NoError(t, err)
	var nilCtx context.Context

	_, err = d.Dispatch(nilCtx, orderEvent())
	var ve *kshop.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "alimtalk.Dispatcher.Dispatch", ve.Op)
	assert.ErrorIs(t, err, kshop.ErrInvalid)

	_, err = fake.Send(nilCtx, []alimtalk.Message{{To: "010-1234-5678", TemplateCode: "T", Text: "a"}})
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "alimtalktest.Sender.Send", ve.Op)
	assert.Equal(t, 0, fake.Calls(), "nothing was sent")

	l := alimtalk.NewMemoryLedger(1)
	_, err = l.Claim(nilCtx, "r")
	require.ErrorAs(t, err, &ve)
	require.ErrorAs(t, l.Release(nilCtx, "r"), &ve)
	assert.Equal(t, 0, l.Len())
}
