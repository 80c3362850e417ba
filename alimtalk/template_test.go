package alimtalk_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop/alimtalk"
)

// validTemplate is a basic template that passes Validate; tests change one thing at a time.
func validTemplate() alimtalk.Template {
	return alimtalk.Template{
		Code:         "ORDER_RECEIVED",
		Name:         "주문접수",
		Content:      "#{customerName}님의 주문이 접수되었습니다.\n주문번호: #{orderNo}",
		CategoryCode: "001001",
		Buttons:      []alimtalk.Button{{Type: alimtalk.ButtonWebLink, Name: "주문 확인", URLMobile: "https://shop.example.com/order/#{orderNo}"}},
	}
}

func adButton() alimtalk.Button {
	return alimtalk.Button{Type: alimtalk.ButtonChannelAdd, Name: alimtalk.ChannelAddButtonName}
}

func itemList(n int) *alimtalk.ItemList {
	l := &alimtalk.ItemList{Header: "주문 내역"}
	for i := 0; i < n; i++ {
		l.Items = append(l.Items, alimtalk.Item{Title: "상품", Description: "상품명 #{productName}"})
	}
	return l
}

func TestTemplateValidate(t *testing.T) {
	t.Parallel()
	type problem struct {
		field  string
		reason alimtalk.Reason
	}
	tests := []struct {
		name   string
		change func(*alimtalk.Template)
		lim    alimtalk.Limits
		want   []problem // empty: valid
	}{
		{name: "valid basic", change: func(*alimtalk.Template) {}},
		{name: "content required", change: func(t *alimtalk.Template) { t.Content = " \n" },
			want: []problem{{"content", alimtalk.ReasonRequired}}},
		{name: "content 1000 ok", change: func(t *alimtalk.Template) { t.Content = strings.Repeat("가", 1000) }},
		{name: "content 1001", change: func(t *alimtalk.Template) { t.Content = strings.Repeat("가", 1001) },
			want: []problem{{"content", alimtalk.ReasonTooLong}}},
		{name: "content limit configurable (NHN 1300)", lim: alimtalk.Limits{ContentRunes: 1300},
			change: func(t *alimtalk.Template) { t.Content = strings.Repeat("가", 1300) }},
		{name: "content plus extra over limit", change: func(t *alimtalk.Template) {
			t.MessageType, t.Content, t.Extra = alimtalk.MessageExtraInfo, strings.Repeat("가", 900), strings.Repeat("나", 101)
		}, want: []problem{{"content", alimtalk.ReasonTooLong}}},
		{name: "40 variables ok", change: func(t *alimtalk.Template) { t.Content = strings.Repeat("#{v}", 40) }},
		{name: "41 variables", change: func(t *alimtalk.Template) { t.Content = strings.Repeat("#{v}", 41) },
			want: []problem{{"content", alimtalk.ReasonTooMany}}},
		{name: "name too long", change: func(t *alimtalk.Template) { t.Name = strings.Repeat("a", 151) },
			want: []problem{{"name", alimtalk.ReasonTooLong}}},
		{name: "unknown message type", change: func(t *alimtalk.Template) { t.MessageType = "XX" },
			want: []problem{{"message_type", alimtalk.ReasonInvalid}}},
		{name: "BA with extra", change: func(t *alimtalk.Template) { t.Extra = "부가" },
			want: []problem{{"extra", alimtalk.ReasonNotAllowed}}},
		{name: "BA with ad", change: func(t *alimtalk.Template) { t.Ad = "광고" },
			want: []problem{{"ad", alimtalk.ReasonNotAllowed}}},
		{name: "EX needs extra", change: func(t *alimtalk.Template) { t.MessageType = alimtalk.MessageExtraInfo },
			want: []problem{{"extra", alimtalk.ReasonRequired}}},
		{name: "EX valid", change: func(t *alimtalk.Template) {
			t.MessageType, t.Extra = alimtalk.MessageExtraInfo, "배송 문의: 1588-1234"
		}},
		{name: "extra too long", change: func(t *alimtalk.Template) {
			t.MessageType, t.Extra = alimtalk.MessageExtraInfo, strings.Repeat("x", 501)
		}, want: []problem{{"extra", alimtalk.ReasonTooLong}}},
		{name: "AD needs ad and AC", change: func(t *alimtalk.Template) { t.MessageType = alimtalk.MessageChannelAd },
			want: []problem{{"ad", alimtalk.ReasonRequired}, {"buttons[0].type", alimtalk.ReasonRequired}}},
		{name: "AD valid", change: func(t *alimtalk.Template) {
			t.MessageType, t.Ad = alimtalk.MessageChannelAd, "채널 추가하고 이 채널의 광고와 마케팅 메시지를 카카오톡으로 받기"
			t.Buttons = append([]alimtalk.Button{adButton()}, t.Buttons...)
		}},
		{name: "MI needs extra, ad and AC", change: func(t *alimtalk.Template) { t.MessageType = alimtalk.MessageMixed },
			want: []problem{{"extra", alimtalk.ReasonRequired}, {"ad", alimtalk.ReasonRequired}, {"buttons[0].type", alimtalk.ReasonRequired}}},
		{name: "MI valid", change: func(t *alimtalk.Template) {
			t.MessageType, t.Extra, t.Ad = alimtalk.MessageMixed, "부가정보", "채널 추가하고 광고 받기"
			t.Buttons = []alimtalk.Button{adButton()}
		}},
		{name: "ad too long", change: func(t *alimtalk.Template) {
			t.MessageType, t.Ad = alimtalk.MessageChannelAd, strings.Repeat("x", 81)
			t.Buttons = []alimtalk.Button{adButton()}
		}, want: []problem{{"ad", alimtalk.ReasonTooLong}}},
		{name: "AC on basic template", change: func(t *alimtalk.Template) { t.Buttons = []alimtalk.Button{adButton()} },
			want: []problem{{"buttons[0].type", alimtalk.ReasonNotAllowed}}},
		{name: "unknown emphasis", change: func(t *alimtalk.Template) { t.Emphasis = "BOLD" },
			want: []problem{{"emphasis", alimtalk.ReasonInvalid}}},
		{name: "NONE with title", change: func(t *alimtalk.Template) { t.Title = "7,500원" },
			want: []problem{{"title", alimtalk.ReasonNotAllowed}}},
		{name: "NONE with subtitle, image and list", change: func(t *alimtalk.Template) {
			t.Subtitle, t.ImageURL, t.ItemList = "결제금액", "https://img", itemList(2)
		}, want: []problem{{"subtitle", alimtalk.ReasonNotAllowed}, {"image_url", alimtalk.ReasonNotAllowed}, {"item_list", alimtalk.ReasonNotAllowed}}},
		{name: "TEXT needs title and subtitle", change: func(t *alimtalk.Template) { t.Emphasis = alimtalk.EmphasisText },
			want: []problem{{"title", alimtalk.ReasonRequired}, {"subtitle", alimtalk.ReasonRequired}}},
		{name: "TEXT valid", change: func(t *alimtalk.Template) {
			t.Emphasis, t.Title, t.Subtitle = alimtalk.EmphasisText, "#{amount}", "결제금액"
		}},
		{name: "TEXT title 51", change: func(t *alimtalk.Template) {
			t.Emphasis, t.Title, t.Subtitle = alimtalk.EmphasisText, strings.Repeat("가", 51), strings.Repeat("나", 51)
		}, want: []problem{{"title", alimtalk.ReasonTooLong}, {"subtitle", alimtalk.ReasonTooLong}}},
		{name: "TEXT with image", change: func(t *alimtalk.Template) {
			t.Emphasis, t.Title, t.Subtitle, t.ImageName = alimtalk.EmphasisText, "a", "b", "x.png"
		}, want: []problem{{"image_url", alimtalk.ReasonNotAllowed}}},
		{name: "IMAGE needs name and url", change: func(t *alimtalk.Template) { t.Emphasis = alimtalk.EmphasisImage },
			want: []problem{{"image_name", alimtalk.ReasonRequired}, {"image_url", alimtalk.ReasonRequired}}},
		{name: "IMAGE valid", change: func(t *alimtalk.Template) {
			t.Emphasis, t.ImageName, t.ImageURL = alimtalk.EmphasisImage, "banner.png", "https://mud-kage.kakao.com/x.png"
		}},
		{name: "IMAGE with title", change: func(t *alimtalk.Template) {
			t.Emphasis, t.ImageName, t.ImageURL, t.Title = alimtalk.EmphasisImage, "a", "https://i", "t"
		}, want: []problem{{"title", alimtalk.ReasonNotAllowed}}},
		{name: "ITEM_LIST needs list", change: func(t *alimtalk.Template) { t.Emphasis = alimtalk.EmphasisItemList },
			want: []problem{{"item_list", alimtalk.ReasonRequired}}},
		{name: "ITEM_LIST valid", change: func(t *alimtalk.Template) { t.Emphasis, t.ItemList = alimtalk.EmphasisItemList, itemList(2) }},
		{name: "ITEM_LIST content 700", change: func(t *alimtalk.Template) {
			t.Emphasis, t.ItemList, t.Content = alimtalk.EmphasisItemList, itemList(2), strings.Repeat("가", 701)
		}, want: []problem{{"content", alimtalk.ReasonTooLong}}},
		{name: "ITEM_LIST one item", change: func(t *alimtalk.Template) { t.Emphasis, t.ItemList = alimtalk.EmphasisItemList, itemList(1) },
			want: []problem{{"item_list.items", alimtalk.ReasonTooFew}}},
		{name: "ITEM_LIST eleven items", change: func(t *alimtalk.Template) { t.Emphasis, t.ItemList = alimtalk.EmphasisItemList, itemList(11) },
			want: []problem{{"item_list.items", alimtalk.ReasonTooMany}}},
		{name: "ITEM_LIST needs header, highlight or image", change: func(t *alimtalk.Template) {
			t.Emphasis, t.ItemList = alimtalk.EmphasisItemList, itemList(2)
			t.ItemList.Header = ""
		}, want: []problem{{"item_list", alimtalk.ReasonRequired}}},
		{name: "ITEM_LIST image instead of header", change: func(t *alimtalk.Template) {
			t.Emphasis, t.ItemList, t.ImageURL = alimtalk.EmphasisItemList, itemList(2), "https://img"
			t.ItemList.Header = ""
		}},
		{name: "ITEM_LIST item and header lengths", change: func(t *alimtalk.Template) {
			t.Emphasis, t.ItemList = alimtalk.EmphasisItemList, itemList(2)
			t.ItemList.Header = strings.Repeat("h", 17)
			t.ItemList.Items[0] = alimtalk.Item{Title: "1234567", Description: strings.Repeat("d", 24)}
			t.ItemList.Items[1] = alimtalk.Item{}
		}, want: []problem{{"item_list.header", alimtalk.ReasonTooLong}, {"item_list.items[0].title", alimtalk.ReasonTooLong},
			{"item_list.items[0].description", alimtalk.ReasonTooLong}, {"item_list.items[1].title", alimtalk.ReasonRequired},
			{"item_list.items[1].description", alimtalk.ReasonRequired}}},
		{name: "ITEM_LIST highlight limits shrink with a thumbnail", change: func(t *alimtalk.Template) {
			t.Emphasis, t.ItemList = alimtalk.EmphasisItemList, itemList(2)
			t.ItemList.Highlight = &alimtalk.ItemHighlight{Title: strings.Repeat("t", 22), Description: strings.Repeat("d", 14), ImageURL: "https://thumb"}
		}, want: []problem{{"item_list.highlight.title", alimtalk.ReasonTooLong}, {"item_list.highlight.description", alimtalk.ReasonTooLong}}},
		{name: "ITEM_LIST highlight without thumbnail", change: func(t *alimtalk.Template) {
			t.Emphasis, t.ItemList = alimtalk.EmphasisItemList, itemList(2)
			t.ItemList.Highlight = &alimtalk.ItemHighlight{Title: strings.Repeat("t", 30), Description: strings.Repeat("d", 19)}
		}},
		{name: "ITEM_LIST summary", change: func(t *alimtalk.Template) {
			t.Emphasis, t.ItemList = alimtalk.EmphasisItemList, itemList(2)
			t.ItemList.Summary = &alimtalk.Item{Title: "합계금액입니다", Description: strings.Repeat("1", 15)}
		}, want: []problem{{"item_list.summary.title", alimtalk.ReasonTooLong}, {"item_list.summary.description", alimtalk.ReasonTooLong}}},
		{name: "six buttons", change: func(t *alimtalk.Template) {
			for len(t.Buttons) < 6 {
				t.Buttons = append(t.Buttons, alimtalk.Button{Type: alimtalk.ButtonBotKeyword, Name: "문의"})
			}
		}, want: []problem{{"buttons", alimtalk.ReasonTooMany}}},
		{name: "three buttons with quick replies", change: func(t *alimtalk.Template) {
			t.Buttons = append(t.Buttons, alimtalk.Button{Type: alimtalk.ButtonBotKeyword, Name: "a"}, alimtalk.Button{Type: alimtalk.ButtonBotKeyword, Name: "b"})
			t.QuickReplies = []alimtalk.Button{{Type: alimtalk.ButtonBotKeyword, Name: "상담"}}
		}, want: []problem{{"buttons", alimtalk.ReasonTooMany}}},
		{name: "DS with quick replies", change: func(t *alimtalk.Template) {
			t.Buttons = []alimtalk.Button{{Type: alimtalk.ButtonDelivery, Name: "배송조회"}}
			t.QuickReplies = []alimtalk.Button{{Type: alimtalk.ButtonBotKeyword, Name: "상담"}}
		}, want: []problem{{"buttons[0].type", alimtalk.ReasonNotAllowed}}},
		{name: "eleven quick replies", change: func(t *alimtalk.Template) {
			t.Buttons = nil
			for i := 0; i < 11; i++ {
				t.QuickReplies = append(t.QuickReplies, alimtalk.Button{Type: alimtalk.ButtonBotKeyword, Name: "q"})
			}
		}, want: []problem{{"quick_replies", alimtalk.ReasonTooMany}}},
		{name: "quick replies limited to 5 for NHN", lim: alimtalk.Limits{QuickReplies: 5}, change: func(t *alimtalk.Template) {
			t.Buttons = nil
			for i := 0; i < 6; i++ {
				t.QuickReplies = append(t.QuickReplies, alimtalk.Button{Type: alimtalk.ButtonBotKeyword, Name: "q"})
			}
		}, want: []problem{{"quick_replies", alimtalk.ReasonTooMany}}},
		{name: "DS as quick reply", change: func(t *alimtalk.Template) {
			t.QuickReplies = []alimtalk.Button{{Type: alimtalk.ButtonDelivery, Name: "배송"}}
		}, want: []problem{{"quick_replies[0].type", alimtalk.ReasonNotAllowed}}},
		{name: "category not 6 digits", change: func(t *alimtalk.Template) { t.CategoryCode = "1001" },
			want: []problem{{"category_code", alimtalk.ReasonInvalid}}},
		{name: "unknown statuses", change: func(t *alimtalk.Template) { t.Inspection, t.Service = "OK", "X" },
			want: []problem{{"inspection_status", alimtalk.ReasonInvalid}, {"status", alimtalk.ReasonInvalid}}},
		{name: "security flag is fine", change: func(t *alimtalk.Template) { t.Security = true }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tpl := validTemplate()
			tc.change(&tpl)
			err := tpl.Validate(tc.lim)
			if len(tc.want) == 0 {
				require.NoError(t, err)
				return
			}
			var errs alimtalk.FieldErrors
			require.ErrorAs(t, err, &errs)
			require.ErrorIs(t, err, alimtalk.ErrInvalid)
			var got []problem
			for _, e := range errs {
				got = append(got, problem{e.Key, e.Reason})
			}
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestFieldErrorText(t *testing.T) {
	t.Parallel()
	tpl := validTemplate()
	tpl.Content = strings.Repeat("가", 1001)
	tpl.Buttons[0].Name = strings.Repeat("버", 15)
	err := tpl.Validate(alimtalk.Limits{})
	require.Error(t, err)
	assert.Equal(t, "alimtalk: 2 problems: Content (content): too long (1001, limit 1000); Buttons[0].Name (buttons[0].name): too long (15, limit 14)", err.Error())
	var fe *alimtalk.FieldError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "Content", fe.Field)
	assert.Equal(t, "content", fe.Key)
	assert.Equal(t, 1000, fe.Limit)
	assert.Equal(t, 1001, fe.Got)
	assert.Equal(t, "Buttons[0].Name", err.(alimtalk.FieldErrors).Field("buttons[0].name").Field, "found by its key")
	assert.Equal(t, "buttons[0].name", err.(alimtalk.FieldErrors).Field("Buttons[0].Name").Key, "found by its Go path")
	assert.Nil(t, err.(alimtalk.FieldErrors).Field("nope"))
}

func TestValidateTemplateCode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		code   string
		lim    alimtalk.Limits
		reason alimtalk.Reason // 0: valid
	}{
		{code: "ORDER_01"},
		{code: "a-b_C"},
		{code: strings.Repeat("x", 30)},
		{code: "", reason: alimtalk.ReasonRequired},
		{code: "abcd", reason: alimtalk.ReasonTooShort},
		{code: strings.Repeat("x", 31), reason: alimtalk.ReasonTooLong},
		{code: "주문_접수_01", reason: alimtalk.ReasonInvalid},
		{code: "order 01", reason: alimtalk.ReasonInvalid},
		{code: "order.01", reason: alimtalk.ReasonInvalid},
		{code: strings.Repeat("x", 21), lim: alimtalk.Limits{TemplateCodeMax: 20}, reason: alimtalk.ReasonTooLong},
		{code: "ab", lim: alimtalk.Limits{TemplateCodeMin: 1}},
	}
	for _, tc := range tests {
		err := tc.lim.ValidateTemplateCode(tc.code)
		if tc.reason == 0 {
			assert.NoError(t, err, tc.code)
			continue
		}
		var fe *alimtalk.FieldError
		if assert.ErrorAs(t, err, &fe, tc.code) {
			assert.Equal(t, "TemplateCode", fe.Field)
			assert.Equal(t, "template_code", fe.Key)
			assert.Equal(t, tc.reason, fe.Reason, tc.code)
		}
	}
	assert.NoError(t, alimtalk.ValidateTemplateCode("T_0001"))
}

func TestDefaultLimits(t *testing.T) {
	t.Parallel()
	d := alimtalk.DefaultLimits()
	assert.Equal(t, 1000, d.ContentRunes)
	assert.Equal(t, 40, d.Variables)
	assert.Equal(t, 5, d.Buttons)
	assert.Equal(t, 14, d.ButtonNameRunes)
	assert.Equal(t, 500, d.URLRunes)
	assert.Equal(t, 50, d.TitleRunes)
	assert.Equal(t, 90, d.SMSBytes)
	assert.Equal(t, 2000, d.LMSRunes)
}
