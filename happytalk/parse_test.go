package happytalk_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop/happytalk"
)

func TestParse_LinksWrittenByOthers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		link string
		want happytalk.Params
	}{
		{
			name: "kakao with form encoding (+ for space, lower-case hex) and a raw @ yid",
			link: "http://api.happytalk.io/api/kakao/chat_open?yid=@%EC%9D%B8&site_id=1000217800&category_id=74133&division_id=74134&site_uid=user+1&cus_extra_username=%ed%99%8d+%ea%b8%b8%eb%8f%99&cus_extra_phone=010-1234-5678&bot_start=true",
			want: happytalk.Params{Channel: happytalk.KakaoTalk, SiteUID: "user 1", CustomerName: "홍 길동",
				CustomerPhone: "010-1234-5678", CategoryID: 74133, DivisionID: 74134, BotStart: true},
		},
		{
			name: "kakao first occurrence wins, gaps in custom parameters read as empty",
			link: "https://api.happytalk.io/api/kakao/chat_open?site_uid=a&site_uid=b&parameter3=c&parameter11=x&parameter0=y",
			want: happytalk.Params{Channel: happytalk.KakaoTalk, SiteUID: "a", Parameters: []string{"", "", "c"}},
		},
		{
			name: "v2 with unencoded commas and equals, as a browser leaves them",
			link: "https://design.happytalkio.com/chatting?siteId=4000000024&categoryId=61602&divisionId=200880&partnerId=&shopId=&params=site_uid=abcd1234,parameter1=param1",
			want: happytalk.Params{Channel: happytalk.WebChatV2, SiteUID: "abcd1234", CategoryID: 61602, DivisionID: 200880,
				Parameters: []string{"param1"}},
		},
		{
			name: "v2 unknown packed keys skipped, the telephone read",
			link: "https://design.happytalkio.com/chatting?siteId=4000000024&params=" + enc("site_username=해피톡,cus_extra_tel_phone=0212345678,cus_extra_email=a@b.io"),
			want: happytalk.Params{Channel: happytalk.WebChatV2, CustomerTelephone: "0212345678", CustomerEmail: "a@b.io"},
		},
		{
			name: "telephone outside v2 params is not ours",
			link: "https://api.happytalk.io/api/kakao/chat_open?yid=%40shop&cus_extra_tel_phone=0212345678",
			want: happytalk.Params{Channel: happytalk.KakaoTalk},
		},
		{
			name: "v2 snake_case category inside params is not the v2 classification",
			link: "https://design.happytalkio.com/chatting?categoryId=5&params=" + enc("category_id=9"),
			want: happytalk.Params{Channel: happytalk.WebChatV2, CategoryID: 5},
		},
		{
			name: "v1 anonymous",
			link: "https://customer.happytalk.io/public_v1/chat_v4/public_point?go=C&is_login=N&uid=&site_id=4000000001&category_id=74133&division_id=74134&usergb=W&title=%5B%ED%85%8C%EC%8A%A4%ED%8A%B8+%EC%83%81%EB%8B%B4%EC%B0%BD%5D",
			want: happytalk.Params{Channel: happytalk.WebChatV1, CategoryID: 74133, DivisionID: 74134},
		},
		{
			name: "v1 uid wins over site_uid",
			link: "https://customer.happytalk.io/public_v1/chat_v4/public_point?is_login=Y&site_uid=other&uid=member7&cus_extra_username=%EA%B9%80",
			want: happytalk.Params{Channel: happytalk.WebChatV1, SiteUID: "member7", CustomerName: "김"},
		},
		{
			name: "naver pairs with a query and a fragment",
			link: "https://talk.naver.com/ct/wc1234?frm=mnmb|site_uid=loginid|cus_extra_username=%EC%82%AC%EB%9E%8C|category_id=3#nafullscreen",
			want: happytalk.Params{Channel: happytalk.NaverTalkTalk, SiteUID: "loginid", CustomerName: "사람", CategoryID: 3},
		},
		{
			name: "naver bot_start is not a naver parameter",
			link: "https://talk.naver.com/ct/wc1234|bot_start=true",
			want: happytalk.Params{Channel: happytalk.NaverTalkTalk},
		},
		{
			name: "foreign parameters are not decoded, undecodable names are skipped",
			link: "https://api.happytalk.io/api/kakao/chat_open?yid=%zz&site%zzuid=a&title=%E&site_uid=b",
			want: happytalk.Params{Channel: happytalk.KakaoTalk, SiteUID: "b"},
		},
		{
			name: "a base URL without parameters",
			link: kakaoBase,
			want: happytalk.Params{Channel: happytalk.KakaoTalk, CategoryID: 74133, DivisionID: 74134},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := happytalk.Parse(tt.link)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestParse_Errors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		link string
		is   error
	}{
		{"unknown host", "https://example.com/chat?site_uid=a", happytalk.ErrUnknownChannel},
		{"bad escape in value", "https://api.happytalk.io/api/kakao/chat_open?cus_extra_username=%E", nil},
		{"bad escape in a known key's value", "https://api.happytalk.io/api/kakao/chat_open?yid=%zz&parameter2=%zz", nil},
		{"bad escape in v2 params", "https://design.happytalkio.com/chatting?params=site_uid%3D%G1", nil},
		{"category not a number", "https://api.happytalk.io/api/kakao/chat_open?category_id=abc", happytalk.ErrInvalidID},
		{"negative division", "https://customer.happytalk.io/public_v1/x?division_id=-3", happytalk.ErrInvalidID},
		{"v2 category overflow", "https://design.happytalkio.com/chatting?categoryId=99999999999999999999", happytalk.ErrInvalidID},
		{"not a URL", "site_uid=a", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := happytalk.Parse(tt.link)
			var lerr *happytalk.LinkError
			require.ErrorAs(t, err, &lerr)
			assert.ErrorIs(t, err, happytalk.ErrInvalidLink)
			if tt.is != nil {
				assert.ErrorIs(t, err, tt.is)
			}
		})
	}
	_, err := happytalk.ParseAs(kakaoBase, happytalk.Channel(200))
	assert.ErrorIs(t, err, happytalk.ErrNotSupported)
}

func TestDetectChannel(t *testing.T) {
	t.Parallel()
	tests := map[string]happytalk.Channel{
		"https://api.happytalk.io/api/kakao/chat_open?yid=%40a":                  happytalk.KakaoTalk,
		"HTTP://API.HAPPYTALK.IO/api/kakao/chat_open":                            happytalk.KakaoTalk,
		"https://api.happytalk.io:443/api/kakao/chat_open/":                      happytalk.KakaoTalk,
		"https://patch-api.happytalk.io/api/kakao/chat_open":                     happytalk.KakaoTalk,
		"https://api.happytalk.io./api/kakao/chat_open":                          happytalk.KakaoTalk,
		"https://design.happytalkio.com/chatting?siteId=1":                       happytalk.WebChatV2,
		"https://design.happytalkio.com/chatting/":                               happytalk.WebChatV2,
		"https://customer.happytalk.io/public_v1/chat_v4/public_point?go=C":      happytalk.WebChatV1,
		"https://talk.naver.com/ct/wc1234":                                       happytalk.NaverTalkTalk,
		"https://talk.naver.com/wc1234#nafullscreen":                             happytalk.NaverTalkTalk,
		"https://m.talk.naver.com/ct/wc1234":                                     happytalk.NaverTalkTalk,
		"https://talk.naver.com/ct/wc1234|site_uid=a|cus_extra_phone=0101234567": happytalk.NaverTalkTalk,
	}
	for link, want := range tests {
		got, err := happytalk.DetectChannel(link)
		require.NoError(t, err, link)
		assert.Equal(t, want, got, link)
	}
	for _, link := range []string{
		"https://happytalk.io/chatting", "https://design.happytalkio.com/docs", "https://naver.com/ct/1",
		"https://nothappytalk.io/api/kakao/chat_open", "https://customer.happytalk.io/public_v2/x",
	} {
		_, err := happytalk.DetectChannel(link)
		assert.True(t, errors.Is(err, happytalk.ErrUnknownChannel), link)
	}
}

func TestChannel_String(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "Auto", happytalk.ChannelAuto.String())
	assert.Equal(t, "KakaoTalk", happytalk.KakaoTalk.String())
	assert.Equal(t, "WebChatV2", happytalk.WebChatV2.String())
	assert.Equal(t, "WebChatV1", happytalk.WebChatV1.String())
	assert.Equal(t, "NaverTalkTalk", happytalk.NaverTalkTalk.String())
	assert.Equal(t, "Channel(9)", happytalk.Channel(9).String())
}

func TestWithNaverSeparator(t *testing.T) {
	t.Parallel()
	for _, sep := range []string{";", "&", "||", ",", "!*"} {
		b := mustBuilder(t, happytalk.WithNaverSeparator(sep))
		p := happytalk.Params{SiteUID: "a|b;c&d", CustomerName: "홍,길동", Parameters: []string{"x!y*z"}}
		res, err := b.Build("https://talk.naver.com/ct/wc1234", p)
		require.NoError(t, err, sep)
		assert.Contains(t, res.URL, "wc1234"+sep+"site_uid=", sep)
		back, err := b.Parse(res.URL)
		require.NoError(t, err, sep)
		p.Channel = happytalk.NaverTalkTalk
		assert.Equal(t, p, back, sep)
	}
	for _, bad := range []string{"", "a", "=", "#", "%7C", "|||||", " ", "/", "?"} {
		_, err := happytalk.NewBuilder(happytalk.WithNaverSeparator(bad))
		var oerr *happytalk.OptionError
		require.ErrorAs(t, err, &oerr, bad)
		assert.Equal(t, "WithNaverSeparator", oerr.Option)
		assert.ErrorIs(t, err, happytalk.ErrInvalidOption)
	}
}

func TestOptionErrors(t *testing.T) {
	t.Parallel()
	for _, opt := range []happytalk.Option{
		happytalk.WithBotStartParameter("", "true"),
		happytalk.WithBotStartParameter("bot start", "true"),
		happytalk.WithBotStartParameter("bot", "tr&ue"),
		happytalk.WithBotStartParameter("site_uid", "1"),
		happytalk.WithBotStartParameter("parameter3", "1"),
		happytalk.WithPlaceholderIDs("ok", "  "),
	} {
		_, err := happytalk.NewBuilder(opt)
		assert.ErrorIs(t, err, happytalk.ErrInvalidOption)
	}
	b, err := happytalk.NewBuilder(nil)
	require.NoError(t, err)
	assert.NotNil(t, b)
}
