package happytalk_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop/happytalk"
)

// The seed's (parameter guide's) examples, one or more per channel, with the guide's sample
// values: loginid, 사람이름, 01012345678, happytalk@happytalk.io, abcdabcd, 74133, 74134.
func TestBuild_SeedExamples(t *testing.T) {
	t.Parallel()
	name := enc("사람이름")
	tests := []struct {
		name string
		base string
		p    happytalk.Params
		want string
	}{
		{
			// 카카오톡채팅URL&site_uid={고객ID}&cus_extra_username={고객이름}&cus_extra_phone={전화번호}
			name: "kakao fixed parameters joined with &",
			base: kakaoBase,
			p:    happytalk.Params{SiteUID: "loginid", CustomerName: "사람이름", CustomerPhone: "01012345678"},
			want: kakaoBase + "&site_uid=loginid&cus_extra_username=" + name + "&cus_extra_phone=01012345678",
		},
		{
			// 채팅URL&site_uid=&다른 파라미터: an unknown visitor keeps site_uid, empty.
			name: "kakao visitor not logged in",
			base: kakaoBase,
			p:    happytalk.Params{CustomerName: "사람이름"},
			want: kakaoBase + "&site_uid=&cus_extra_username=" + name,
		},
		{
			name: "kakao every fixed parameter with the guide's samples",
			base: "https://api.happytalk.io/api/kakao/chat_open?yid=%40happyshop&site_id=4000000001",
			p: happytalk.Params{SiteUID: "loginid", CustomerName: "사람이름", CustomerPhone: "01012345678",
				CustomerEmail: "happytalk@happytalk.io", UserParameter: "abcdabcd", CategoryID: 74133, DivisionID: 74134},
			want: "https://api.happytalk.io/api/kakao/chat_open?yid=%40happyshop&site_id=4000000001" +
				"&site_uid=loginid&cus_extra_username=" + name + "&cus_extra_phone=01012345678" +
				"&cus_extra_email=happytalk%40happytalk.io&user_parameter=abcdabcd&category_id=74133&division_id=74134",
		},
		{
			// 채팅 URL 뒤에 &parameter1={유입경로}&parameter2={유저구분}
			name: "kakao custom parameters",
			base: kakaoBase,
			p:    happytalk.Params{SiteUID: "loginid", Parameters: []string{"유입경로", "유저구분"}},
			want: kakaoBase + "&site_uid=loginid&parameter1=" + enc("유입경로") + "&parameter2=" + enc("유저구분"),
		},
		{
			// &bot_start=true
			name: "kakao chatbot start",
			base: kakaoBase,
			p:    happytalk.Params{SiteUID: "loginid", BotStart: true},
			want: kakaoBase + "&site_uid=loginid&bot_start=true",
		},
		{
			// 웹채팅v2채팅URL&params=site_uid=('고객ID'),cus_extra_username=('고객이름'),cus_extra_phone=('전화번호'),
			// written without the quotes no public source uses.
			name: "web chat v2 packed params",
			base: v2Base,
			p:    happytalk.Params{SiteUID: "loginid", CustomerName: "사람이름", CustomerPhone: "01012345678"},
			want: v2Base[:len(v2Base)-len("params=")] + "params=" +
				enc("site_uid=loginid,cus_extra_username=사람이름,cus_extra_phone=01012345678"),
		},
		{
			// 채팅URL&params=site_username=해피톡,cus_extra_phone=010-…,parameter1=해피북문의하기,parameter2=우수고객
			// (the guide's site_username is cus_extra_username; its 010-0000-0000 is a placeholder
			// number, replaced here by a real-looking one).
			name: "web chat v2 custom parameters",
			base: v2Base,
			p: happytalk.Params{CustomerName: "해피톡", CustomerPhone: "010-1234-5678",
				Parameters: []string{"해피북문의하기", "우수고객"}},
			want: v2Base[:len(v2Base)-len("params=")] + "params=" +
				enc("site_uid=,cus_extra_username=해피톡,cus_extra_phone=01012345678,parameter1=해피북문의하기,parameter2=우수고객"),
		},
		{
			name: "web chat v2 classification is the URL's categoryId and divisionId",
			base: v2Base,
			p:    happytalk.Params{SiteUID: "loginid", CategoryID: 1, DivisionID: 2},
			want: "https://design.happytalkio.com/chatting?siteId=4000000001&siteName=%ED%95%B4%ED%94%BC%EC%83%B5" +
				"&categoryId=1&divisionId=2&partnerId=&shopId=&params=site_uid%3Dloginid",
		},
		{
			// 네이버톡톡채팅URL|site_uid={고객ID}|cus_extra_username={고객이름}|cus_extra_phone={전화번호}
			name: "naver pairs joined with |",
			base: naverBase,
			p:    happytalk.Params{SiteUID: "loginid", CustomerName: "사람이름", CustomerPhone: "01012345678"},
			want: naverBase + "|site_uid=loginid|cus_extra_username=" + name + "|cus_extra_phone=01012345678",
		},
		{
			name: "naver visitor not logged in",
			base: naverBase,
			p:    happytalk.Params{},
			want: naverBase + "|site_uid=",
		},
		{
			// is_login=N → is_login=Y, &uid={고객ID}
			name: "web chat v1 logged in",
			base: v1Base,
			p:    happytalk.Params{SiteUID: "loginid"},
			want: "https://customer.happytalk.io/public_v1/chat_v4/public_point?go=C&is_login=Y&uid=loginid" +
				"&site_id=4000000001&category_id=74133&division_id=74134&usergb=W",
		},
		{
			// is_login=N, &uid=빈 값
			name: "web chat v1 not logged in",
			base: v1Base,
			p:    happytalk.Params{CustomerName: "사람이름"},
			want: v1Base + "&cus_extra_username=" + name,
		},
		{
			name: "web chat v1 base without is_login and uid",
			base: "https://customer.happytalk.io/public_v1/chat_v4/public_point?go=C&site_id=4000000001",
			p:    happytalk.Params{SiteUID: "loginid"},
			want: "https://customer.happytalk.io/public_v1/chat_v4/public_point?go=C&site_id=4000000001&is_login=Y&uid=loginid",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := happytalk.Build(tt.base, tt.p)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)

			back, err := happytalk.Parse(got)
			require.NoError(t, err)
			assert.Equal(t, tt.p.SiteUID, back.SiteUID)
			assert.Equal(t, tt.p.CustomerName, back.CustomerName)
			assert.Equal(t, tt.p.Parameters, back.Parameters)
			assert.Equal(t, tt.p.BotStart, back.BotStart)
		})
	}
}

// The guide's own v2 sample phone, 010-0000-0000, is a placeholder number: refused by default,
// sent as its digits with WithRawPhoneDigits.
func TestBuild_SeedPlaceholderPhone(t *testing.T) {
	t.Parallel()
	p := happytalk.Params{CustomerName: "해피톡", CustomerPhone: "010-0000-0000"}

	_, err := happytalk.Build(v2Base, p)
	var perr *happytalk.PhoneError
	require.ErrorAs(t, err, &perr)
	assert.ErrorIs(t, err, happytalk.ErrInvalidPhone)
	assert.ErrorIs(t, err, happytalk.ErrInvalidParams)
	var ferr *happytalk.FieldError
	require.True(t, errors.As(err, &ferr))
	assert.Equal(t, "CustomerPhone", ferr.Field)
	assert.Equal(t, "cus_extra_phone", ferr.Key)

	res, err := mustBuilder(t, happytalk.WithRawPhoneDigits()).Build(v2Base, p)
	require.NoError(t, err)
	assert.True(t, res.UnverifiedPhone)
	assert.Contains(t, v2Pairs(t, res.URL), "cus_extra_phone=01000000000")
	assert.Equal(t, []string{"cus_extra_phone"}, res.Normalized)
}
