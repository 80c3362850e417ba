package alimtalk_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop/alimtalk"
)

func TestTemplateRender(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		content string
		vars    map[string]string
		want    string
		missing []string
	}{
		{name: "no placeholders", content: "안녕하세요", want: "안녕하세요"},
		{name: "english names", content: "#{name}님 주문 #{orderNo}", vars: map[string]string{"name": "홍길동", "orderNo": "A1"}, want: "홍길동님 주문 A1"},
		{name: "korean names", content: "#{고객명}님, #{주문번호} 접수", vars: map[string]string{"고객명": "김철수", "주문번호": "2024-1"}, want: "김철수님, 2024-1 접수"},
		{name: "name with space", content: "#{고객 이름}님", vars: map[string]string{"고객 이름": "이영희"}, want: "이영희님"},
		{name: "repeated variable", content: "#{a}-#{a}", vars: map[string]string{"a": "x"}, want: "x-x"},
		{name: "adjacent variables", content: "#{a}#{b}", vars: map[string]string{"a": "1", "b": "2"}, want: "12"},
		{name: "newlines kept", content: "주문번호: #{no}\n금액: #{amount}\n", vars: map[string]string{"no": "1", "amount": "7,500원"}, want: "주문번호: 1\n금액: 7,500원\n"},
		{name: "value with newline", content: "[#{v}]", vars: map[string]string{"v": "a\nb"}, want: "[a\nb]"},
		{name: "value containing placeholder", content: "#{a}/#{b}", vars: map[string]string{"a": "#{b}", "b": "x"}, want: "#{b}/x"},
		{name: "empty value counts as given", content: "a#{v}b", vars: map[string]string{"v": ""}, want: "ab"},
		{name: "extra variables ignored", content: "#{a}", vars: map[string]string{"a": "1", "unused": "2"}, want: "1"},
		{name: "empty braces are literal", content: "#{} #{ }", want: "#{} #{ }"},
		{name: "unterminated is literal", content: "#{a\n#{b}", vars: map[string]string{"b": "B"}, want: "#{a\nB"},
		{name: "nested brace is literal", content: "#{a{b}", want: "#{a{b}"},
		{name: "hash before placeholder", content: "##{a}", vars: map[string]string{"a": "1"}, want: "#1"},
		{name: "missing listed together in order", content: "#{b} #{a} #{b} #{c}", vars: map[string]string{"c": "x"}, missing: []string{"b", "a"}},
		{name: "nil map", content: "#{주문번호}", missing: []string{"주문번호"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tpl := alimtalk.Template{Code: "T0001", Content: tc.content}
			got, err := tpl.Render(tc.vars)
			if tc.missing != nil {
				var me *alimtalk.MissingVariablesError
				require.ErrorAs(t, err, &me)
				assert.Equal(t, tc.missing, me.Names)
				assert.ErrorIs(t, err, alimtalk.ErrMissingVariables)
				assert.Empty(t, got)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
			assert.NoError(t, tpl.Match(got), "a rendered text must match its template")
		})
	}
}

func TestMissingVariablesErrorText(t *testing.T) {
	t.Parallel()
	tpl := alimtalk.Template{Content: "#{고객명}님 #{주문번호} #{금액}"}
	_, err := tpl.Render(map[string]string{"금액": "1원"})
	require.Error(t, err)
	assert.Equal(t, "alimtalk: missing template variables: #{고객명}, #{주문번호}", err.Error())
}

func TestTemplateVariables(t *testing.T) {
	t.Parallel()
	tests := []struct {
		content string
		want    []string
	}{
		{"", nil},
		{"plain", nil},
		{"#{b}#{a}#{b}", []string{"b", "a"}},
		{"#{고객명}님 #{주문 번호}", []string{"고객명", "주문 번호"}},
		{"#{} #{\t} #{a\nb} #{x{y}", nil},
		{"#{a}}", []string{"a"}},
	}
	for _, tc := range tests {
		tpl := alimtalk.Template{Content: tc.content}
		assert.Equal(t, tc.want, tpl.Variables(), "content %q", tc.content)
	}
}

func TestTemplateMatch(t *testing.T) {
	t.Parallel()
	const order = "[#{shop}] #{name}님의 주문이 접수되었습니다.\n□주문번호 : #{orderNo}\n□결제금액 : #{amount}원"
	tests := []struct {
		name     string
		content  string
		text     string
		ok       bool
		line     int
		column   int
		expected string
		ended    bool
	}{
		{name: "exact", content: order, ok: true,
			text: "[리리비] 홍길동님의 주문이 접수되었습니다.\n□주문번호 : 1907121609206272\n□결제금액 : 7,500원"},
		{name: "empty values", content: order, ok: true,
			text: "[] 님의 주문이 접수되었습니다.\n□주문번호 : \n□결제금액 : 원"},
		{name: "value with newlines", content: order, ok: true,
			text: "[a\nb] c\nd님의 주문이 접수되었습니다.\n□주문번호 : 1\n□결제금액 : 2원"},
		{name: "value repeating the template's words", content: order, ok: true,
			text: "[님의 주문이 접수되었습니다.] 님의 주문이 접수되었습니다.님의 주문이 접수되었습니다.\n□주문번호 : \n□결제금액 : 원\n□결제금액 : 3원"},
		{name: "value containing a placeholder", content: order, ok: true,
			text: "[#{shop}] #{name}님의 주문이 접수되었습니다.\n□주문번호 : #{orderNo}\n□결제금액 : #{amount}원"},
		{name: "newline replaced by space", content: order,
			text: "[리리비] 홍길동님의 주문이 접수되었습니다. □주문번호 : 1\n□결제금액 : 7,500원",
			line: 1, column: 25, expected: "\n□주문번호 : "},
		{name: "wording changed on line 3", content: order,
			text: "[리리비] 홍길동님의 주문이 접수되었습니다.\n□주문번호 : 1\n□결제 금액 : 7,500원",
			line: 3, column: 4, expected: "금액 : "},
		{name: "unit missing at end", content: order,
			text: "[리리비] 홍길동님의 주문이 접수되었습니다.\n□주문번호 : 1\n□결제금액 : 7,500",
			line: 3, column: 14, expected: "원", ended: true},
		{name: "text continues after template", content: "#{a}입니다.",
			text: "x입니다. 감사합니다", line: 1, column: 6, expected: ""},
		{name: "prefix differs", content: "[#{shop}] 안내",
			text: "(리리비) 안내", line: 1, column: 1, expected: "["},
		{name: "no placeholders equal", content: "고정 문구\n둘째 줄", text: "고정 문구\n둘째 줄", ok: true},
		{name: "no placeholders, crlf", content: "고정 문구\n둘째 줄", text: "고정 문구\r\n둘째 줄",
			line: 1, column: 6, expected: "\n둘째 줄"},
		{name: "no placeholders, shorter", content: "고정 문구", text: "고정", line: 1, column: 3, expected: " 문구", ended: true},
		{name: "empty text", content: "a#{x}b", text: "", line: 1, column: 1, expected: "a", ended: true},
		{name: "overlapping first and last literal", content: "ab#{x}ba", text: "aba", line: 1, column: 4, expected: "ba", ended: true},
		{name: "adjacent variables", content: "#{a}#{b}-#{c}", text: "anything-", ok: true},
		{name: "only variables", content: "#{a}", text: "", ok: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tpl := alimtalk.Template{Code: "ORDER_01", Content: tc.content}
			err := tpl.Match(tc.text)
			if tc.ok {
				assert.NoError(t, err)
				return
			}
			var me *alimtalk.MismatchError
			require.ErrorAs(t, err, &me)
			assert.True(t, errors.Is(err, alimtalk.ErrTemplateMismatch))
			assert.Equal(t, "ORDER_01", me.TemplateCode)
			assert.Equal(t, "3016", me.KakaoCode())
			assert.Equal(t, tc.line, me.Line, "line")
			assert.Equal(t, tc.column, me.Column, "column")
			assert.Equal(t, tc.expected, me.Expected, "expected")
			assert.Equal(t, tc.ended, me.TextEnded, "text ended")
			assert.LessOrEqual(t, me.Offset, len(tc.text))
		})
	}
}

func TestMismatchErrorTextHasNoMessageValues(t *testing.T) {
	t.Parallel()
	tpl := alimtalk.Template{Code: "T1", Content: "#{name}님 주문번호 #{no}"}
	err := tpl.Match("홍길동님 주문 번호 010-1234-5678")
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "홍길동")
	assert.NotContains(t, err.Error(), "5678")
	assert.Contains(t, err.Error(), `"T1"`)
	assert.Contains(t, err.Error(), "line 1")
	assert.Contains(t, err.Error(), "Kakao 3016")
}
