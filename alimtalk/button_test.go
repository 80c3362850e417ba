package alimtalk_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop/alimtalk"
)

func TestValidateButtons(t *testing.T) {
	t.Parallel()
	type problem struct {
		field  string
		reason alimtalk.Reason
	}
	wl := func(mobile string) alimtalk.Button {
		return alimtalk.Button{Type: alimtalk.ButtonWebLink, Name: "바로가기", URLMobile: mobile}
	}
	tests := []struct {
		name    string
		buttons []alimtalk.Button
		quick   bool
		want    []problem
	}{
		{name: "WL mobile only", buttons: []alimtalk.Button{wl("https://m.shop.kr")}},
		{name: "WL mobile and pc", buttons: []alimtalk.Button{{Type: "WL", Name: "a", URLMobile: "https://m", URLPC: "http://pc"}}},
		{name: "WL url from variable", buttons: []alimtalk.Button{wl("#{shopUrl}/order")}},
		{name: "WL without mobile", buttons: []alimtalk.Button{{Type: "WL", Name: "a", URLPC: "https://pc"}},
			want: []problem{{"buttons[0].url_mobile", alimtalk.ReasonRequired}}},
		{name: "WL not a web url", buttons: []alimtalk.Button{wl("shop.kr")},
			want: []problem{{"buttons[0].url_mobile", alimtalk.ReasonInvalid}}},
		{name: "WL url 501", buttons: []alimtalk.Button{wl("https://" + strings.Repeat("a", 493))},
			want: []problem{{"buttons[0].url_mobile", alimtalk.ReasonTooLong}}},
		{name: "WL url 500", buttons: []alimtalk.Button{wl("https://" + strings.Repeat("a", 492))}},
		{name: "WL with scheme", buttons: []alimtalk.Button{{Type: "WL", Name: "a", URLMobile: "https://m", SchemeIOS: "app://"}},
			want: []problem{{"buttons[0].scheme_ios", alimtalk.ReasonNotAllowed}}},
		{name: "AL two schemes", buttons: []alimtalk.Button{{Type: "AL", Name: "앱", SchemeAndroid: "app://a", SchemeIOS: "app://i"}}},
		{name: "AL scheme and mobile url", buttons: []alimtalk.Button{{Type: "AL", Name: "앱", SchemeIOS: "app://i", URLMobile: "https://m"}}},
		{name: "AL one link", buttons: []alimtalk.Button{{Type: "AL", Name: "앱", SchemeAndroid: "app://a", URLPC: "https://pc"}},
			want: []problem{{"buttons[0]", alimtalk.ReasonRequired}}},
		{name: "AL scheme too long", buttons: []alimtalk.Button{{Type: "AL", Name: "앱", SchemeAndroid: strings.Repeat("s", 501), SchemeIOS: "x://"}},
			want: []problem{{"buttons[0].scheme_android", alimtalk.ReasonTooLong}}},
		{name: "DS no link", buttons: []alimtalk.Button{{Type: "DS", Name: "배송조회"}}},
		{name: "DS with link", buttons: []alimtalk.Button{{Type: "DS", Name: "배송조회", URLMobile: "https://x"}},
			want: []problem{{"buttons[0].url_mobile", alimtalk.ReasonNotAllowed}}},
		{name: "BK MD BC BT", buttons: []alimtalk.Button{{Type: "BK", Name: "a"}, {Type: "MD", Name: "b"}, {Type: "BC", Name: "c"}, {Type: "BT", Name: "d"}}},
		{name: "AC first", buttons: []alimtalk.Button{{Type: "AC", Name: "채널 추가"}, {Type: "BK", Name: "a"}}},
		{name: "AC kapi spelling", buttons: []alimtalk.Button{{Type: "AC", Name: "채널추가"}}},
		{name: "AC second", buttons: []alimtalk.Button{{Type: "BK", Name: "a"}, {Type: "AC", Name: "채널 추가"}},
			want: []problem{{"buttons[1].type", alimtalk.ReasonNotAllowed}}},
		{name: "AC wrong name", buttons: []alimtalk.Button{{Type: "AC", Name: "친구 추가"}},
			want: []problem{{"buttons[0].name", alimtalk.ReasonInvalid}}},
		{name: "AC with quick replies", quick: true, buttons: []alimtalk.Button{{Type: "AC", Name: "채널 추가"}},
			want: []problem{{"buttons[0].type", alimtalk.ReasonNotAllowed}}},
		{name: "BF needs form id", buttons: []alimtalk.Button{{Type: "BF", Name: "폼"}},
			want: []problem{{"buttons[0].biz_form_id", alimtalk.ReasonRequired}}},
		{name: "BF with form id", buttons: []alimtalk.Button{{Type: "BF", Name: "폼", BizFormID: "123"}}},
		{name: "P1 P2 P3 need plugin id", buttons: []alimtalk.Button{{Type: "P1", Name: "a"}, {Type: "P2", Name: "b", PluginID: "x"}, {Type: "P3", Name: "c"}},
			want: []problem{{"buttons[0].plugin_id", alimtalk.ReasonRequired}, {"buttons[2].plugin_id", alimtalk.ReasonRequired}}},
		{name: "TN with phone", buttons: []alimtalk.Button{{Type: "TN", Name: "전화", Phone: "1588-1234"}}},
		{name: "TN without phone", buttons: []alimtalk.Button{{Type: "TN", Name: "전화"}},
			want: []problem{{"buttons[0].phone", alimtalk.ReasonRequired}}},
		{name: "TN bad phone", buttons: []alimtalk.Button{{Type: "TN", Name: "전화", Phone: "123"}},
			want: []problem{{"buttons[0].phone", alimtalk.ReasonInvalid}}},
		{name: "missing type", buttons: []alimtalk.Button{{Name: "a"}},
			want: []problem{{"buttons[0].type", alimtalk.ReasonRequired}}},
		{name: "unknown type", buttons: []alimtalk.Button{{Type: "ZZ", Name: "a"}},
			want: []problem{{"buttons[0].type", alimtalk.ReasonInvalid}}},
		{name: "missing name", buttons: []alimtalk.Button{{Type: "BK"}},
			want: []problem{{"buttons[0].name", alimtalk.ReasonRequired}}},
		{name: "name 14 runes", buttons: []alimtalk.Button{{Type: "BK", Name: strings.Repeat("가", 14)}}},
		{name: "name 15 runes", buttons: []alimtalk.Button{{Type: "BK", Name: strings.Repeat("가", 15)}},
			want: []problem{{"buttons[0].name", alimtalk.ReasonTooLong}}},
		{name: "variable in name", buttons: []alimtalk.Button{{Type: "BK", Name: "#{name} 보기"}},
			want: []problem{{"buttons[0].name", alimtalk.ReasonNotAllowed}}},
		{name: "five buttons", buttons: []alimtalk.Button{{Type: "BK", Name: "1"}, {Type: "BK", Name: "2"}, {Type: "BK", Name: "3"}, {Type: "BK", Name: "4"}, {Type: "BK", Name: "5"}}},
		{name: "six buttons", buttons: []alimtalk.Button{{Type: "BK", Name: "1"}, {Type: "BK", Name: "2"}, {Type: "BK", Name: "3"}, {Type: "BK", Name: "4"}, {Type: "BK", Name: "5"}, {Type: "BK", Name: "6"}},
			want: []problem{{"buttons", alimtalk.ReasonTooMany}}},
		{name: "three with quick replies", quick: true, buttons: []alimtalk.Button{{Type: "BK", Name: "1"}, {Type: "BK", Name: "2"}, {Type: "BK", Name: "3"}},
			want: []problem{{"buttons", alimtalk.ReasonTooMany}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := alimtalk.ValidateButtons(tc.buttons, tc.quick, alimtalk.Limits{})
			if len(tc.want) == 0 {
				require.NoError(t, err)
				return
			}
			var errs alimtalk.FieldErrors
			require.ErrorAs(t, err, &errs)
			var got []problem
			for _, e := range errs {
				got = append(got, problem{e.Key, e.Reason})
			}
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestButtonTypeSets(t *testing.T) {
	t.Parallel()
	all := []alimtalk.ButtonType{"WL", "AL", "DS", "BK", "MD", "BC", "BT", "AC", "BF", "P1", "P2", "P3", "TN"}
	quick := map[alimtalk.ButtonType]bool{"WL": true, "AL": true, "BK": true, "MD": true, "BC": true, "BT": true, "BF": true}
	for _, bt := range all {
		assert.True(t, bt.Known(), bt)
		assert.Equal(t, quick[bt], bt.AllowedAsQuickReply(), bt)
	}
	assert.False(t, alimtalk.ButtonType("wl").Known())
}

func TestTNPhoneErrorIsMasked(t *testing.T) {
	t.Parallel()
	err := alimtalk.ValidateButtons([]alimtalk.Button{{Type: "TN", Name: "전화", Phone: "010-1234-567"}}, false, alimtalk.Limits{})
	require.Error(t, err)
	var pe *alimtalk.PhoneError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, alimtalk.PhoneLength, pe.Reason)
	assert.NotContains(t, err.Error(), "1234")
}
