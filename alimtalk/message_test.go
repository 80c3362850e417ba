package alimtalk_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop/alimtalk"
)

const shipContent = "[#{shopName}] #{customerName}님, 주문하신 상품이 발송되었습니다.\n택배사: #{courier}\n송장번호: #{waybillNo}"

func shipTemplate() *alimtalk.Template {
	return &alimtalk.Template{
		Code:          "SHIP_01",
		Content:       shipContent,
		Emphasis:      alimtalk.EmphasisText,
		Title:         "#{waybillNo}",
		Subtitle:      "송장번호",
		Buttons:       []alimtalk.Button{{Type: alimtalk.ButtonDelivery, Name: "배송조회"}, {Type: alimtalk.ButtonWebLink, Name: "주문상세", URLMobile: "https://shop.kr/order?no=#{orderNo}"}},
		TemplateState: alimtalk.TemplateState{Inspection: alimtalk.InspectionApproved, Service: alimtalk.ServiceActive},
	}
}

func shipVars() map[string]string {
	return map[string]string{"shopName": "리리비", "customerName": "홍길동", "courier": "CJ대한통운", "waybillNo": "123456789012", "orderNo": "A-1"}
}

func TestMessagePrepareRendersFromTemplate(t *testing.T) {
	t.Parallel()
	vars := shipVars()
	in := alimtalk.Message{
		To: "+82 10-1234-5678", TemplateCode: "SHIP_01", Variables: vars, Ref: "r1",
		Failover:    &alimtalk.Failover{From: "02-123-4567"},
		ScheduledAt: time.Date(2024, 5, 1, 1, 0, 0, 0, time.UTC),
	}
	out, err := in.Prepare(shipTemplate(), alimtalk.Limits{Now: func() time.Time { return in.ScheduledAt.Add(-time.Hour) }})
	require.NoError(t, err)
	assert.Equal(t, "01012345678", out.To)
	assert.Equal(t, "[리리비] 홍길동님, 주문하신 상품이 발송되었습니다.\n택배사: CJ대한통운\n송장번호: 123456789012", out.Text)
	assert.Equal(t, "123456789012", out.Title)
	require.Len(t, out.Buttons, 2)
	assert.Equal(t, "https://shop.kr/order?no=A-1", out.Buttons[1].URLMobile)
	require.NotNil(t, out.Failover)
	assert.Equal(t, alimtalk.FailoverLMS, out.Failover.Kind)
	assert.Equal(t, out.Text, out.Failover.Content)
	assert.Equal(t, "021234567", out.Failover.From)
	assert.Equal(t, "KST", out.ScheduledAt.Location().String())
	assert.Equal(t, 10, out.ScheduledAt.Hour())

	// The input is untouched.
	assert.Equal(t, "+82 10-1234-5678", in.To)
	assert.Empty(t, in.Text)
	assert.Equal(t, alimtalk.FailoverAuto, in.Failover.Kind)
	assert.Empty(t, in.Failover.Content)
}

func TestMessagePrepareProblems(t *testing.T) {
	t.Parallel()
	base := func() alimtalk.Message {
		return alimtalk.Message{To: "010-1234-5678", TemplateCode: "SHIP_01", Variables: shipVars()}
	}
	type problem struct {
		field  string
		reason alimtalk.Reason
	}
	tests := []struct {
		name   string
		change func(*alimtalk.Message, *alimtalk.Template)
		noTpl  bool
		want   []problem
	}{
		{name: "valid", change: func(*alimtalk.Message, *alimtalk.Template) {}},
		{name: "recipient missing", change: func(m *alimtalk.Message, _ *alimtalk.Template) { m.To = " " },
			want: []problem{{"to", alimtalk.ReasonRequired}}},
		{name: "recipient invalid", change: func(m *alimtalk.Message, _ *alimtalk.Template) { m.To = "010-123" },
			want: []problem{{"to", alimtalk.ReasonInvalid}}},
		{name: "recipient landline", change: func(m *alimtalk.Message, _ *alimtalk.Template) { m.To = "02-123-4567" },
			want: []problem{{"to", alimtalk.ReasonInvalid}}},
		{name: "recipient safe number", change: func(m *alimtalk.Message, _ *alimtalk.Template) { m.To = "0505-123-4567" },
			want: []problem{{"to", alimtalk.ReasonInvalid}}},
		{name: "template code missing", change: func(m *alimtalk.Message, _ *alimtalk.Template) { m.TemplateCode = "" },
			want: []problem{{"template_code", alimtalk.ReasonRequired}}},
		{name: "template code differs", change: func(m *alimtalk.Message, _ *alimtalk.Template) { m.TemplateCode = "OTHER" },
			want: []problem{{"template_code", alimtalk.ReasonMismatch}}},
		{name: "template not approved", change: func(_ *alimtalk.Message, t *alimtalk.Template) { t.Inspection = alimtalk.InspectionRequested },
			want: []problem{{"template_code", alimtalk.ReasonNotSendable}}},
		{name: "template dormant", change: func(_ *alimtalk.Message, t *alimtalk.Template) { t.Dormant = true },
			want: []problem{{"template_code", alimtalk.ReasonNotSendable}}},
		{name: "template state unknown is not checked", change: func(_ *alimtalk.Message, t *alimtalk.Template) { t.TemplateState = alimtalk.TemplateState{} }},
		{name: "missing variables across text, title and links listed once", change: func(m *alimtalk.Message, _ *alimtalk.Template) {
			delete(m.Variables, "waybillNo")
			delete(m.Variables, "orderNo")
			delete(m.Variables, "courier")
		}, want: []problem{{"variables", alimtalk.ReasonMissingVariables}}},
		{name: "given text matches", change: func(m *alimtalk.Message, _ *alimtalk.Template) {
			m.Text = "[a] b님, 주문하신 상품이 발송되었습니다.\n택배사: c\n송장번호: d"
		}},
		{name: "given text mismatch", change: func(m *alimtalk.Message, _ *alimtalk.Template) {
			m.Text = "[a] b님, 주문하신 상품이 발송되었습니다. 택배사: c\n송장번호: d"
		}, want: []problem{{"text", alimtalk.ReasonMismatch}}},
		{name: "text too long", change: func(m *alimtalk.Message, _ *alimtalk.Template) {
			m.Variables["customerName"] = strings.Repeat("가", 1000)
		}, want: []problem{{"text", alimtalk.ReasonTooLong}}},
		{name: "given title mismatch", change: func(m *alimtalk.Message, t *alimtalk.Template) {
			t.Title = "#{waybillNo}번"
			m.Title = "123"
		}, want: []problem{{"title", alimtalk.ReasonMismatch}}},
		{name: "title on template without emphasis", change: func(m *alimtalk.Message, t *alimtalk.Template) {
			t.Emphasis, t.Title, t.Subtitle = "", "", ""
			m.Title = "제목"
		}, want: []problem{{"title", alimtalk.ReasonNotAllowed}}},
		{name: "title too long", change: func(m *alimtalk.Message, _ *alimtalk.Template) {
			m.Variables["waybillNo"] = strings.Repeat("1", 51)
		}, want: []problem{{"title", alimtalk.ReasonTooLong}}},
		{name: "buttons given match", change: func(m *alimtalk.Message, _ *alimtalk.Template) {
			m.Buttons = []alimtalk.Button{{Type: "DS", Name: "배송조회"}, {Type: "WL", Name: "주문상세", URLMobile: "https://shop.kr/x"}}
		}},
		{name: "buttons count differs", change: func(m *alimtalk.Message, _ *alimtalk.Template) {
			m.Buttons = []alimtalk.Button{{Type: "DS", Name: "배송조회"}}
		}, want: []problem{{"buttons", alimtalk.ReasonMismatch}}},
		{name: "button name differs", change: func(m *alimtalk.Message, _ *alimtalk.Template) {
			m.Buttons = []alimtalk.Button{{Type: "DS", Name: "배송 조회"}, {Type: "WL", Name: "주문상세", URLMobile: "https://shop.kr/x"}}
		}, want: []problem{{"buttons[0].name", alimtalk.ReasonMismatch}}},
		{name: "button link rule", change: func(m *alimtalk.Message, _ *alimtalk.Template) {
			m.Buttons = []alimtalk.Button{{Type: "DS", Name: "배송조회"}, {Type: "WL", Name: "주문상세"}}
		}, want: []problem{{"buttons[1].url_mobile", alimtalk.ReasonRequired}}},
		{name: "rendered link too long", change: func(m *alimtalk.Message, _ *alimtalk.Template) {
			m.Variables["orderNo"] = strings.Repeat("1", 480)
		}, want: []problem{{"buttons[1].url_mobile", alimtalk.ReasonTooLong}}},
		{name: "sender key length", change: func(m *alimtalk.Message, _ *alimtalk.Template) { m.SenderKey = "abc" },
			want: []problem{{"sender_key", alimtalk.ReasonInvalid}}},
		{name: "sender key 40", change: func(m *alimtalk.Message, _ *alimtalk.Template) { m.SenderKey = strings.Repeat("a", 40) }},
		{name: "failover forced SMS too long", change: func(m *alimtalk.Message, _ *alimtalk.Template) {
			m.Failover = &alimtalk.Failover{Kind: alimtalk.FailoverSMS}
		}, want: []problem{{"failover.content", alimtalk.ReasonTooLong}}},
		{name: "no template, no text", noTpl: true, change: func(*alimtalk.Message, *alimtalk.Template) {},
			want: []problem{{"text", alimtalk.ReasonRequired}}},
		{name: "no template, text with placeholders", noTpl: true, change: func(m *alimtalk.Message, _ *alimtalk.Template) {
			m.Text = "#{customerName}님 안녕하세요"
		}, want: []problem{{"text", alimtalk.ReasonMissingVariables}}},
		{name: "no template, final text", noTpl: true, change: func(m *alimtalk.Message, _ *alimtalk.Template) { m.Text = "홍길동님 안녕하세요" }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m, tpl := base(), shipTemplate()
			tc.change(&m, tpl)
			if tc.noTpl {
				tpl = nil
			}
			out, err := m.Prepare(tpl, alimtalk.Limits{})
			if len(tc.want) == 0 {
				require.NoError(t, err)
				assert.Equal(t, "01012345678", out.To)
				return
			}
			var errs alimtalk.FieldErrors
			require.ErrorAs(t, err, &errs)
			var got []problem
			for _, e := range errs {
				got = append(got, problem{e.Key, e.Reason})
			}
			assert.Equal(t, tc.want, got)
			assert.Equal(t, m, out, "on error the message comes back unchanged")
		})
	}
}

func TestMessagePrepareTypedErrors(t *testing.T) {
	t.Parallel()
	vars := shipVars()
	delete(vars, "waybillNo")
	delete(vars, "orderNo")
	m := alimtalk.Message{To: "010-9876-543", TemplateCode: "SHIP_01", Variables: vars}
	_, err := m.Prepare(shipTemplate(), alimtalk.Limits{})
	require.Error(t, err)

	var pe *alimtalk.PhoneError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, alimtalk.PhoneLength, pe.Reason)
	assert.ErrorIs(t, err, alimtalk.ErrInvalidPhone)

	var me *alimtalk.MissingVariablesError
	require.ErrorAs(t, err, &me)
	assert.Equal(t, []string{"waybillNo", "orderNo"}, me.Names, "text first, then title and links, each once")
	assert.ErrorIs(t, err, alimtalk.ErrMissingVariables)
	assert.ErrorIs(t, err, alimtalk.ErrInvalid)

	assert.NotContains(t, err.Error(), "9876", "no phone digits in the error text")
	assert.NotContains(t, err.Error(), "홍길동", "no values in the error text")

	tpl := shipTemplate()
	tpl.Blocked = true
	_, err = alimtalk.Message{To: "010-1234-5678", TemplateCode: "SHIP_01", Variables: shipVars()}.Prepare(tpl, alimtalk.Limits{})
	var se *alimtalk.StateError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, alimtalk.ActionSend, se.Action)

	_, err = alimtalk.Message{To: "010-1234-5678", TemplateCode: "SHIP_01", Text: "다른 문구"}.Prepare(shipTemplate(), alimtalk.Limits{})
	var mm *alimtalk.MismatchError
	require.ErrorAs(t, err, &mm)
	assert.Equal(t, "SHIP_01", mm.TemplateCode)
	assert.True(t, errors.Is(err, alimtalk.ErrTemplateMismatch))
}

func TestMessageValidate(t *testing.T) {
	t.Parallel()
	ok := alimtalk.Message{To: "010-1234-5678", TemplateCode: "T1", Text: "안녕하세요"}
	assert.NoError(t, ok.Validate(alimtalk.Limits{}))
	bad := ok
	bad.Text = strings.Repeat("가", 1001)
	assert.Error(t, bad.Validate(alimtalk.Limits{}))
	assert.NoError(t, bad.Validate(alimtalk.Limits{ContentRunes: 1300}), "NHN accepts 1,300 characters")
}

func TestItemListTextLimit(t *testing.T) {
	t.Parallel()
	tpl := &alimtalk.Template{Code: "IL", Content: "#{body}", Emphasis: alimtalk.EmphasisItemList}
	m := alimtalk.Message{To: "010-1234-5678", TemplateCode: "IL", Variables: map[string]string{"body": strings.Repeat("가", 701)}}
	_, err := m.Prepare(tpl, alimtalk.Limits{})
	var fe *alimtalk.FieldError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "Text", fe.Field)
	assert.Equal(t, "text", fe.Key)
	assert.Equal(t, 700, fe.Limit)
}

// A template's button links are parsed once when it is put in a TemplateSet; a link changed
// afterwards (through the Buttons slice the set shares with the caller) is rendered as it is
// now, never from the stale parse.
func TestTemplateSetButtonLinksFollowTheirTemplate(t *testing.T) {
	t.Parallel()
	orig := alimtalk.Template{Code: "ORDER", Content: "주문 #{orderNo} 접수",
		Buttons: []alimtalk.Button{{Type: alimtalk.ButtonWebLink, Name: "주문 확인",
			URLMobile: "https://shop.example/orders/#{orderNo}", URLPC: "https://shop.example/pc/#{orderNo}?x=1"}}}
	set := alimtalk.NewTemplateSet(orig)
	tpl, _ := set.Template("ORDER")
	p := alimtalk.NewPreparer(alimtalk.Limits{})
	msg := alimtalk.Message{To: "010-1234-5678", TemplateCode: "ORDER", Variables: map[string]string{"orderNo": "A-1"}}

	got, err := p.Prepare(msg, tpl)
	require.NoError(t, err)
	require.Len(t, got.Buttons, 1)
	assert.Equal(t, "https://shop.example/orders/A-1", got.Buttons[0].URLMobile)
	assert.Equal(t, "https://shop.example/pc/A-1?x=1", got.Buttons[0].URLPC)

	orig.Buttons[0].URLMobile = "https://shop.example/v2/orders/#{orderNo}"
	got, err = p.Prepare(msg, tpl)
	require.NoError(t, err)
	assert.Equal(t, "https://shop.example/v2/orders/A-1", got.Buttons[0].URLMobile)

	_, err = p.Prepare(alimtalk.Message{To: "010-1234-5678", TemplateCode: "ORDER", Variables: map[string]string{}}, tpl)
	var missing *alimtalk.MissingVariablesError
	require.ErrorAs(t, err, &missing)
	assert.Equal(t, []string{"orderNo"}, missing.Names)
}
