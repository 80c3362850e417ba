package happytalk_test

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/happytalk"
)

func TestBuild_EncodesEveryValueAsUTF8(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		p     happytalk.Params
		key   string
		value string // the raw text expected after key=
	}{
		{"hangul name", happytalk.Params{CustomerName: "홍길동"}, "cus_extra_username", "%ED%99%8D%EA%B8%B8%EB%8F%99"},
		{"space is %20, not +", happytalk.Params{CustomerName: "홍 길동"}, "cus_extra_username", "%ED%99%8D%20%EA%B8%B8%EB%8F%99"},
		{"plus, ampersand, equals, hash", happytalk.Params{UserParameter: "a+b&c=d#e"}, "user_parameter", "a%2Bb%26c%3Dd%23e"},
		{"unreserved kept", happytalk.Params{SiteUID: "user-01_a.b~c"}, "site_uid", "user-01_a.b~c"},
		{"email at sign and plus", happytalk.Params{CustomerEmail: "happy+talk@happytalk.io"}, "cus_extra_email", "happy%2Btalk%40happytalk.io"},
		{"korean email domain", happytalk.Params{CustomerEmail: "고객@예시.한국"}, "cus_extra_email", enc("고객@예시.한국")},
		{"pipe and comma", happytalk.Params{Parameters: []string{"a|b,c"}}, "parameter1", "a%7Cb%2Cc"},
		{"emoji", happytalk.Params{Parameters: []string{"😀"}}, "parameter1", "%F0%9F%98%80"},
		{"percent", happytalk.Params{UserParameter: "100%"}, "user_parameter", "100%25"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			for _, base := range []string{kakaoBase, naverBase} {
				got, err := happytalk.Build(base, tt.p)
				require.NoError(t, err)
				assert.Contains(t, got, tt.key+"="+tt.value)
			}
			// v1 carries the ID as uid; v2 packs, so the pair is encoded as a whole.
			got, err := happytalk.Build(v1Base, tt.p)
			require.NoError(t, err)
			key := tt.key
			if key == "site_uid" {
				key = "uid"
			}
			assert.Contains(t, got, "&"+key+"="+tt.value)
		})
	}
}

func TestBuild_V2EncodesThePackedValueOnce(t *testing.T) {
	t.Parallel()
	got, err := happytalk.Build(v2Base, happytalk.Params{SiteUID: "id 1", CustomerName: "홍길동", UserParameter: "a&b+c%"})
	require.NoError(t, err)
	assert.True(t, strings.HasSuffix(got, "&params="+enc("site_uid=id 1,cus_extra_username=홍길동,user_parameter=a&b+c%")), got)
	assert.NotContains(t, got[strings.Index(got, "params="):], "+", "a space must be %20 and '+' %2B")
	assert.Equal(t, []string{"site_uid=id 1", "cus_extra_username=홍길동", "user_parameter=a&b+c%"}, v2Pairs(t, got))
}

func TestBuild_TruncatesCustomParametersAt20Runes(t *testing.T) {
	t.Parallel()
	hangul25 := strings.Repeat("가", 25)
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"ascii 21", strings.Repeat("a", 21), strings.Repeat("a", 20)},
		{"hangul 25 (75 bytes)", hangul25, strings.Repeat("가", 20)},
		{"mixed widths", "ab가나다😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀x", "ab가나다😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀"},
		{"ends in a 4-byte rune", strings.Repeat("a", 19) + "😀😀", strings.Repeat("a", 19) + "😀"},
	}
	b := mustBuilder(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, happytalk.MaxParameterLen, utf8.RuneCountInString(tt.want))
			for _, cb := range channelBases {
				res, err := b.Build(cb.base, happytalk.Params{Parameters: []string{"짧음", tt.in}})
				require.NoError(t, err, cb.channel)
				assert.Equal(t, []string{"parameter2"}, res.Truncated, cb.channel)
				assert.True(t, utf8.ValidString(res.URL))
				back, err := happytalk.Parse(res.URL)
				require.NoError(t, err)
				assert.Equal(t, []string{"짧음", tt.want}, back.Parameters, cb.channel)

				// The plain Build cuts the same way, silently.
				plain, err := happytalk.Build(cb.base, happytalk.Params{Parameters: []string{"짧음", tt.in}})
				require.NoError(t, err)
				assert.Equal(t, res.URL, plain)
			}
		})
	}
}

func TestBuild_ExactlyTwentyRunesIsNotCut(t *testing.T) {
	t.Parallel()
	res, err := mustBuilder(t, happytalk.WithStrictTruncation()).Build(kakaoBase,
		happytalk.Params{Parameters: []string{strings.Repeat("가", 20)}})
	require.NoError(t, err)
	assert.Empty(t, res.Truncated)
	assert.Contains(t, res.URL, "parameter1="+enc(strings.Repeat("가", 20)))
}

func TestBuild_StrictTruncationRefuses(t *testing.T) {
	t.Parallel()
	b := mustBuilder(t, happytalk.WithStrictTruncation())
	_, err := b.Build(kakaoBase, happytalk.Params{Parameters: []string{"ok", "", strings.Repeat("가", 21)}})
	var ferr *happytalk.FieldError
	require.ErrorAs(t, err, &ferr)
	assert.Equal(t, "Parameters[2]", ferr.Field)
	assert.Equal(t, "parameter3", ferr.Key)
	assert.ErrorIs(t, err, happytalk.ErrTooLong)
	assert.ErrorIs(t, err, happytalk.ErrInvalidParams)
	assert.Contains(t, err.Error(), "21 characters")
	assert.NotContains(t, err.Error(), "가", "the value itself stays out of the error")
}

func TestBuild_RefusesPlaceholderIDs(t *testing.T) {
	t.Parallel()
	refused := []string{
		"undefined", "UNDEFINED", "null", "Null", "(null)", "nil", "<nil>", "none", "NaN", "false",
		"anonymous", "AnonymousUser", "guest", "Guest", "unknown", "0", "-1", " 0 ", "[object Object]",
		"비회원", "게스트", " ", "\u3000", "{고객ID}", "${userId}", "#{id}", "<%= user.id %>", "{}",
	}
	for _, id := range refused {
		for _, cb := range channelBases {
			_, err := happytalk.Build(cb.base, happytalk.Params{SiteUID: id})
			var perr *happytalk.PlaceholderIDError
			require.ErrorAs(t, err, &perr, "%q on %v", id, cb.channel)
			assert.Equal(t, "SiteUID", perr.Field)
			assert.Equal(t, id, perr.Value)
			assert.ErrorIs(t, err, happytalk.ErrPlaceholderID)
			assert.ErrorIs(t, err, happytalk.ErrInvalidParams)
			assert.Contains(t, err.Error(), "one customer and one counselling history")
			assert.Contains(t, err.Error(), "leave SiteUID empty")
		}
	}
}

func TestBuild_AcceptsRealIDsThatLookLikePlaceholders(t *testing.T) {
	t.Parallel()
	for _, id := range []string{"guest123", "nullable", "00", "10", "-", "none_of_them", "{abc", "게스트하우스"} {
		got, err := happytalk.Build(kakaoBase, happytalk.Params{SiteUID: id})
		require.NoError(t, err, id)
		assert.Contains(t, got, "&site_uid="+enc(id))
	}
}

func TestBuild_ExtraPlaceholderIDs(t *testing.T) {
	t.Parallel()
	b := mustBuilder(t, happytalk.WithPlaceholderIDs("GUEST0001", " tmp "))
	for _, id := range []string{"guest0001", "TMP", "undefined"} {
		_, err := b.Build(kakaoBase, happytalk.Params{SiteUID: id})
		assert.ErrorIs(t, err, happytalk.ErrPlaceholderID, id)
	}
	_, err := happytalk.Build(kakaoBase, happytalk.Params{SiteUID: "GUEST0001"})
	assert.NoError(t, err, "the default rules do not know the shop's own placeholder")
}

func TestBuild_V2RefusesCommaAndEquals(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		p     happytalk.Params
		field string
	}{
		{"comma in name", happytalk.Params{CustomerName: "Kim, Minsu"}, "CustomerName"},
		{"equals in site uid", happytalk.Params{SiteUID: "a=b"}, "SiteUID"},
		{"equals in email", happytalk.Params{CustomerEmail: "a=b@example.com"}, "CustomerEmail"},
		{"comma in user parameter", happytalk.Params{UserParameter: "1,2"}, "UserParameter"},
		{"comma in custom parameter", happytalk.Params{Parameters: []string{"ok", "a,b"}}, "Parameters[1]"},
		{"comma past the 20-rune cut", happytalk.Params{Parameters: []string{strings.Repeat("a", 25) + ","}}, "Parameters[0]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := happytalk.Build(v2Base, tt.p)
			var ferr *happytalk.FieldError
			require.ErrorAs(t, err, &ferr)
			assert.Equal(t, tt.field, ferr.Field)
			assert.ErrorIs(t, err, happytalk.ErrReservedCharacter)
			assert.Contains(t, err.Error(), "web chat v2")

			// The other channels encode the same value and read it back.
			for _, base := range []string{kakaoBase, v1Base, naverBase} {
				link, err := happytalk.Build(base, tt.p)
				require.NoError(t, err, base)
				back, err := happytalk.Parse(link)
				require.NoError(t, err)
				assert.Equal(t, tt.p.CustomerName, back.CustomerName)
				assert.Equal(t, tt.p.UserParameter, back.UserParameter)
			}
		})
	}
}

func TestBuild_KeepsBaseParametersByteForByte(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		base string
		p    happytalk.Params
		want string
	}{
		{
			name: "odd encodings, order and empty values kept",
			base: "https://api.happytalk.io/api/kakao/chat_open?yid=@%ec%9d%b8&site_id=1000217800&title=%5B%ED%85%8C%EC%8A%A4%ED%8A%B8+%EC%83%81%EB%8B%B4%EC%B0%BD%5D&usergb=W&empty=",
			p:    happytalk.Params{SiteUID: "u1"},
			want: "https://api.happytalk.io/api/kakao/chat_open?yid=@%ec%9d%b8&site_id=1000217800&title=%5B%ED%85%8C%EC%8A%A4%ED%8A%B8+%EC%83%81%EB%8B%B4%EC%B0%BD%5D&usergb=W&empty=&site_uid=u1",
		},
		{
			name: "parameters we set are replaced in place, duplicates dropped",
			base: "https://api.happytalk.io/api/kakao/chat_open?site_uid=olduser&yid=%40shop&category_id=1&site_uid=other&parameter1=x",
			p:    happytalk.Params{SiteUID: "u1", CategoryID: 2, Parameters: []string{"y"}},
			want: "https://api.happytalk.io/api/kakao/chat_open?site_uid=u1&yid=%40shop&category_id=2&parameter1=y",
		},
		{
			name: "an anonymous visitor empties a stale site_uid",
			base: "https://api.happytalk.io/api/kakao/chat_open?yid=%40shop&site_uid=olduser",
			p:    happytalk.Params{},
			want: "https://api.happytalk.io/api/kakao/chat_open?yid=%40shop&site_uid=",
		},
		{
			name: "unset fields leave the base's values",
			base: "https://api.happytalk.io/api/kakao/chat_open?yid=%40shop&category_id=7&parameter2=%EC%95%B1&bot_start=true",
			p:    happytalk.Params{SiteUID: "u1"},
			want: "https://api.happytalk.io/api/kakao/chat_open?yid=%40shop&category_id=7&parameter2=%EC%95%B1&bot_start=true&site_uid=u1",
		},
		{
			name: "percent-encoded key is recognised",
			base: "https://api.happytalk.io/api/kakao/chat_open?yid=%40shop&site%5Fuid=olduser",
			p:    happytalk.Params{SiteUID: "u1"},
			want: "https://api.happytalk.io/api/kakao/chat_open?yid=%40shop&site_uid=u1",
		},
		{
			name: "no query yet",
			base: "https://api.happytalk.io/api/kakao/chat_open",
			p:    happytalk.Params{SiteUID: "u1"},
			want: "https://api.happytalk.io/api/kakao/chat_open?site_uid=u1",
		},
		{
			name: "trailing ? and & and empty pairs",
			base: "https://api.happytalk.io/api/kakao/chat_open?yid=%40shop&&site_id=1&",
			p:    happytalk.Params{SiteUID: "u1"},
			want: "https://api.happytalk.io/api/kakao/chat_open?yid=%40shop&site_id=1&site_uid=u1",
		},
		{
			name: "fragment stays last",
			base: "https://api.happytalk.io/api/kakao/chat_open?yid=%40shop#top",
			p:    happytalk.Params{SiteUID: "u1"},
			want: "https://api.happytalk.io/api/kakao/chat_open?yid=%40shop&site_uid=u1#top",
		},
		{
			name: "v2 existing params pairs merged, siteName untouched",
			base: "https://design.happytalkio.com/chatting?siteId=4000000024&siteName=%EC%9A%B0%EC%95%84%ED%95%9C&categoryId=61602&divisionId=200880&partnerId=2&shopId=1&params=parameter9%3Dkeep%2Csite_uid%3Dold",
			p:    happytalk.Params{SiteUID: "u1", Parameters: []string{"p1"}, DivisionID: 5},
			want: "https://design.happytalkio.com/chatting?siteId=4000000024&siteName=%EC%9A%B0%EC%95%84%ED%95%9C&categoryId=61602&divisionId=5&partnerId=2&shopId=1&params=" +
				enc("parameter9=keep,site_uid=u1,parameter1=p1"),
		},
		{
			name: "v2 without params gets it appended",
			base: "https://design.happytalkio.com/chatting?siteId=4000000024&categoryId=61602",
			p:    happytalk.Params{CategoryID: 3},
			want: "https://design.happytalkio.com/chatting?siteId=4000000024&categoryId=3&params=site_uid%3D",
		},
		{
			name: "v1 site_uid on the base follows uid",
			base: "https://customer.happytalk.io/public_v1/chat_v4/public_point?go=C&is_login=N&uid=&site_uid=old&site_id=1",
			p:    happytalk.Params{SiteUID: "u1"},
			want: "https://customer.happytalk.io/public_v1/chat_v4/public_point?go=C&is_login=Y&uid=u1&site_uid=u1&site_id=1",
		},
		{
			name: "naver query and fragment kept, pairs before the fragment",
			base: "https://talk.naver.com/ct/wc1234?frm=mnmb#nafullscreen",
			p:    happytalk.Params{SiteUID: "u1"},
			want: "https://talk.naver.com/ct/wc1234?frm=mnmb|site_uid=u1#nafullscreen",
		},
		{
			name: "naver existing pairs replaced",
			base: "https://talk.naver.com/ct/wc1234|site_uid=old|parameter1=keep",
			p:    happytalk.Params{SiteUID: "u1", CustomerName: "김"},
			want: "https://talk.naver.com/ct/wc1234|site_uid=u1|parameter1=keep|cus_extra_username=%EA%B9%80",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := happytalk.Build(tt.base, tt.p)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			again, err := happytalk.Build(got, tt.p)
			require.NoError(t, err)
			assert.Equal(t, got, again, "building on a built link changes nothing")
		})
	}
}

func TestBuild_Limits(t *testing.T) {
	t.Parallel()
	hangul := func(n int) string { return strings.Repeat("가", n) }
	ok := []happytalk.Params{
		{SiteUID: hangul(255)},
		{CustomerName: hangul(100)},
		{UserParameter: hangul(200)},
		{CustomerEmail: strings.Repeat("a", 88) + "@example.com"}, // 100
		{CategoryID: happytalk.MaxClassificationID, DivisionID: 1},
		{Parameters: make([]string, 10)},
	}
	for _, p := range ok {
		_, err := happytalk.Build(kakaoBase, p)
		assert.NoError(t, err)
	}
	tests := []struct {
		name  string
		p     happytalk.Params
		field string
		err   error
	}{
		{"site uid 256 runes", happytalk.Params{SiteUID: hangul(256)}, "SiteUID", happytalk.ErrTooLong},
		{"name 101 runes", happytalk.Params{CustomerName: hangul(101)}, "CustomerName", happytalk.ErrTooLong},
		{"user parameter 201 runes", happytalk.Params{UserParameter: hangul(201)}, "UserParameter", happytalk.ErrTooLong},
		{"email 101", happytalk.Params{CustomerEmail: strings.Repeat("a", 89) + "@example.com"}, "CustomerEmail", happytalk.ErrTooLong},
		{"11 custom parameters", happytalk.Params{Parameters: make([]string, 11)}, "Parameters", happytalk.ErrTooManyParameters},
		{"negative category", happytalk.Params{CategoryID: -1}, "CategoryID", happytalk.ErrInvalidID},
		{"negative division", happytalk.Params{DivisionID: -5}, "DivisionID", happytalk.ErrInvalidID},
		{"category beyond Int(11)", happytalk.Params{CategoryID: happytalk.MaxClassificationID + 1}, "CategoryID", happytalk.ErrInvalidID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := happytalk.Build(kakaoBase, tt.p)
			var ferr *happytalk.FieldError
			require.ErrorAs(t, err, &ferr)
			assert.Equal(t, tt.field, ferr.Field)
			assert.ErrorIs(t, err, tt.err)
			assert.ErrorIs(t, err, happytalk.ErrInvalidParams)
		})
	}
}

func TestBuild_Phone(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"010-1234-5678":       "01012345678",
		"+82 10 1234 5678":    "01012345678",
		"(02) 123-4567":       "021234567",
		"1588-1234":           "15881234",
		"0505.123.4567":       "05051234567",
		"+82 (0)10-9876-5432": "01098765432",
	} {
		res, err := mustBuilder(t).Build(kakaoBase, happytalk.Params{CustomerPhone: in})
		require.NoError(t, err, in)
		assert.Contains(t, res.URL, "&cus_extra_phone="+want)
		assert.Equal(t, []string{"cus_extra_phone"}, res.Normalized)
		assert.False(t, res.UnverifiedPhone)
	}

	res, err := mustBuilder(t).Build(kakaoBase, happytalk.Params{CustomerPhone: "01012345678"})
	require.NoError(t, err)
	assert.Empty(t, res.Normalized, "digits already: nothing rewritten")

	for _, in := range []string{"010-123-4567", "+1 415 555 0100", "010-1234-5678 내선 3", "1012345678"} {
		_, err := happytalk.Build(kakaoBase, happytalk.Params{CustomerPhone: in})
		var perr *happytalk.PhoneError
		require.ErrorAs(t, err, &perr, in)
		var ferr *happytalk.FieldError
		require.ErrorAs(t, err, &ferr)
		assert.Equal(t, "CustomerPhone", ferr.Field)
		assert.NotContains(t, err.Error(), "4567", "no phone digits in the error")
		assert.NotContains(t, err.Error(), "0100")
	}

	raw := mustBuilder(t, happytalk.WithRawPhoneDigits())
	res, err = raw.Build(kakaoBase, happytalk.Params{CustomerPhone: "+1 415-555-0100"})
	require.NoError(t, err)
	assert.True(t, res.UnverifiedPhone)
	assert.Contains(t, res.URL, "&cus_extra_phone=14155550100")
	_, err = raw.Build(kakaoBase, happytalk.Params{CustomerPhone: "없음"})
	assert.ErrorIs(t, err, happytalk.ErrInvalidPhone, "no digits at all is still refused")
	_, err = raw.Build(kakaoBase, happytalk.Params{CustomerPhone: strings.Repeat("1", 101)})
	assert.ErrorIs(t, err, happytalk.ErrTooLong)
}

func TestBuild_Email(t *testing.T) {
	t.Parallel()
	for _, ok := range []string{"happytalk@happytalk.io", "first.last+tag@example.co.kr", "고객@예시.한국", "a_b-c@x.io"} {
		_, err := happytalk.Build(kakaoBase, happytalk.Params{CustomerEmail: ok})
		assert.NoError(t, err, ok)
	}
	for _, bad := range []string{"customer", "@customer.io", "customer@", "Hong <h@example.com>", " h@example.com",
		"h@example.com ", "h@example.com (home)", "a@b@c", "h@exa mple.com"} {
		_, err := happytalk.Build(kakaoBase, happytalk.Params{CustomerEmail: bad})
		assert.ErrorIs(t, err, happytalk.ErrInvalidEmail, bad)
		if err != nil {
			assert.NotContains(t, err.Error(), bad)
		}
	}
}

func TestBuild_InvalidText(t *testing.T) {
	t.Parallel()
	for _, p := range []happytalk.Params{
		{CustomerName: "홍\n길동"},
		{SiteUID: "id\x00"},
		{UserParameter: "a\x7f"},
		{Parameters: []string{"\u0085"}},
		{CustomerName: "\xff\xfe"},
		{Parameters: []string{strings.Repeat("a", 30) + "\xff"}},
	} {
		_, err := happytalk.Build(kakaoBase, p)
		assert.ErrorIs(t, err, happytalk.ErrInvalidText, "%+v", p)
	}
}

func TestBuild_BaseURLErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		base    string
		unknown bool
	}{
		{"empty", "", false},
		{"relative", "/api/kakao/chat_open", false},
		{"javascript", "javascript:alert(1)//api.happytalk.io/api/kakao/chat_open", false},
		{"ftp", "ftp://api.happytalk.io/api/kakao/chat_open", false},
		{"space", "https://api.happytalk.io/api/kakao/chat_open?a=b c", false},
		{"newline", "https://api.happytalk.io/api/kakao/chat_open\n", false},
		{"user info", "https://api.happytalk.io@evil.example/api/kakao/chat_open", false},
		{"no host", "https:///api/kakao/chat_open", false},
		{"bad port", "https://api.happytalk.io:x/api/kakao/chat_open", false},
		{"other host", "https://example.com/chat?x=1", true},
		{"look-alike host", "https://happytalk.io.evil.example/api/kakao/chat_open", true},
		{"happytalk host, other path", "https://api.happytalk.io/api/other", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := happytalk.Build(tt.base, happytalk.Params{SiteUID: "u1"})
			var lerr *happytalk.LinkError
			require.ErrorAs(t, err, &lerr)
			assert.ErrorIs(t, err, happytalk.ErrInvalidLink)
			assert.Equal(t, tt.unknown, errors.Is(err, happytalk.ErrUnknownChannel))
			assert.NotContains(t, err.Error(), "chat_open", "the path stays out of the error")
		})
	}
}

func TestBuild_ChannelOverride(t *testing.T) {
	t.Parallel()
	got, err := happytalk.Build("https://chat.example.com/open?x=1", happytalk.Params{Channel: happytalk.KakaoTalk, SiteUID: "u1"})
	require.NoError(t, err)
	assert.Equal(t, "https://chat.example.com/open?x=1&site_uid=u1", got)

	// The override wins over detection too.
	got, err = happytalk.Build(kakaoBase, happytalk.Params{Channel: happytalk.NaverTalkTalk, SiteUID: "u1"})
	require.NoError(t, err)
	assert.Equal(t, kakaoBase+"|site_uid=u1", got)

	back, err := happytalk.ParseAs("https://chat.example.com/open?x=1&site_uid=u1", happytalk.KakaoTalk)
	require.NoError(t, err)
	assert.Equal(t, happytalk.Params{Channel: happytalk.KakaoTalk, SiteUID: "u1"}, back)

	_, err = happytalk.Build(kakaoBase, happytalk.Params{Channel: happytalk.Channel(9)})
	var ferr *happytalk.FieldError
	require.ErrorAs(t, err, &ferr)
	assert.Equal(t, "Channel", ferr.Field)
	assert.ErrorIs(t, err, happytalk.ErrNotSupported)
}

func TestBuild_BotStart(t *testing.T) {
	t.Parallel()
	for _, cb := range channelBases[1:] {
		_, err := happytalk.Build(cb.base, happytalk.Params{BotStart: true})
		var ferr *happytalk.FieldError
		require.ErrorAs(t, err, &ferr, cb.channel)
		assert.Equal(t, "BotStart", ferr.Field)
		assert.ErrorIs(t, err, happytalk.ErrNotSupported)
	}

	b := mustBuilder(t, happytalk.WithBotStartParameter("bot", "auto"))
	res, err := b.Build(kakaoBase, happytalk.Params{BotStart: true})
	require.NoError(t, err)
	assert.True(t, strings.HasSuffix(res.URL, "&site_uid=&bot=auto"), res.URL)
	back, err := b.Parse(res.URL)
	require.NoError(t, err)
	assert.True(t, back.BotStart)
	back, err = happytalk.Parse(res.URL)
	require.NoError(t, err)
	assert.False(t, back.BotStart, "the default reader looks for bot_start")
}

func TestBuild_ErrorsCarryNoPersonalData(t *testing.T) {
	t.Parallel()
	name, email := "홍길동"+strings.Repeat("동", 100), "hong.gildong@example.com"
	for _, p := range []happytalk.Params{
		{CustomerName: name},
		{CustomerName: "홍길동,"},
		{CustomerEmail: email + ","},
		{CustomerEmail: "Hong <" + email + ">"},
		{CustomerPhone: "010-9876-543"},
		{SiteUID: "hong.gildong=1"},
	} {
		_, err := happytalk.Build(v2Base, p)
		require.Error(t, err)
		for _, secret := range []string{"홍길동", "hong.gildong", "9876"} {
			assert.NotContains(t, err.Error(), secret)
		}
	}
}

func TestBuilder_SafeForConcurrentUse(t *testing.T) {
	t.Parallel()
	b := mustBuilder(t, happytalk.WithNaverSeparator(";"))
	var wg sync.WaitGroup
	results := make([]string, 8)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := b.Build(naverBase, happytalk.Params{SiteUID: "u1", Parameters: []string{strings.Repeat("가", 30)}})
			if err == nil {
				results[i] = res.URL
			}
		}()
	}
	wg.Wait()
	for _, r := range results {
		assert.Equal(t, naverBase+";site_uid=u1;parameter1="+enc(strings.Repeat("가", 20)), r)
	}
}

func TestBuild_CustomerTelephone(t *testing.T) {
	t.Parallel()
	p := happytalk.Params{SiteUID: "id1", CustomerPhone: "010-1234-5678", CustomerTelephone: "02-123-4567"}
	b, err := happytalk.NewBuilder()
	require.NoError(t, err)
	res, err := b.Build(v2Base, p)
	require.NoError(t, err)
	assert.Equal(t, []string{"site_uid=id1", "cus_extra_phone=01012345678", "cus_extra_tel_phone=021234567"}, v2Pairs(t, res.URL))
	assert.Contains(t, res.Normalized, "cus_extra_tel_phone")

	back, err := happytalk.Parse(res.URL)
	require.NoError(t, err)
	assert.Equal(t, "021234567", back.CustomerTelephone, "round trip")
	assert.Equal(t, "01012345678", back.CustomerPhone)

	for _, base := range []string{kakaoBase, v1Base, naverBase} {
		_, err := happytalk.Build(base, p)
		var fe *happytalk.FieldError
		require.ErrorAs(t, err, &fe, base)
		assert.Equal(t, "CustomerTelephone", fe.Field)
		assert.Equal(t, "cus_extra_tel_phone", fe.Key)
		assert.ErrorIs(t, err, happytalk.ErrNotSupported)
	}

	_, err = happytalk.Build(v2Base, happytalk.Params{CustomerTelephone: "02-12"})
	var perr *happytalk.PhoneError
	require.ErrorAs(t, err, &perr)
	var fe *happytalk.FieldError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "CustomerTelephone", fe.Field)
	assert.NotContains(t, err.Error(), "02-12")
}

func TestBuild_ReportsEveryProblemAtOnce(t *testing.T) {
	t.Parallel()
	p := happytalk.Params{
		SiteUID:       "undefined",
		CustomerName:  strings.Repeat("가", happytalk.MaxCustomerNameLen+1),
		CustomerPhone: "12",
		CustomerEmail: "not an address",
		UserParameter: "a\x00b",
		CategoryID:    -1,
		Parameters:    make([]string, happytalk.MaxParameters+2),
		BotStart:      true,
	}
	b, err := happytalk.NewBuilder(happytalk.WithStrictTruncation())
	require.NoError(t, err)
	p.Parameters[1] = strings.Repeat("x", happytalk.MaxParameterLen+3)
	_, err = b.Build(v2Base, p)
	var fes happytalk.FieldErrors
	require.ErrorAs(t, err, &fes)
	var fields []string
	for _, fe := range fes {
		fields = append(fields, fe.Field)
	}
	assert.Equal(t, []string{"SiteUID", "CustomerName", "CustomerPhone", "CustomerEmail", "UserParameter",
		"CategoryID", "Parameters", "Parameters[1]", "BotStart"}, fields)
	assert.ErrorIs(t, err, happytalk.ErrInvalidParams)
	assert.ErrorIs(t, err, kshop.ErrInvalid)
	assert.ErrorIs(t, err, happytalk.ErrPlaceholderID)
	var perr *happytalk.PlaceholderIDError
	require.ErrorAs(t, err, &perr)
	assert.Equal(t, "undefined", perr.Value)

	name := fes.Field("cus_extra_username")
	require.NotNil(t, name)
	assert.Equal(t, happytalk.MaxCustomerNameLen, name.Limit)
	assert.Equal(t, happytalk.MaxCustomerNameLen+1, name.Got)
	count := fes.Field("Parameters")
	assert.Equal(t, happytalk.MaxParameters, count.Limit)
	assert.Equal(t, happytalk.MaxParameters+2, count.Got)
	assert.Equal(t, happytalk.MaxParameterLen, fes.Field("parameter2").Limit)
	assert.Contains(t, err.Error(), "happytalk: 9 problems: ")
	assert.NotContains(t, err.Error(), "가가")

	// The same problems in the root package's shape.
	var ve *kshop.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "happytalk.Build", ve.Op)
	require.Len(t, ve.Problems, len(fes))
	assert.Equal(t, kshop.RuleTooLong, ve.Field("cus_extra_username").Rule)
	assert.Equal(t, happytalk.MaxCustomerNameLen, ve.Field("CustomerName").Limit)
	assert.Equal(t, kshop.RuleTooMany, ve.Field("Parameters").Rule)
	assert.Equal(t, kshop.RuleRange, ve.Field("CategoryID").Rule)
	assert.Equal(t, kshop.RuleNotAllowed, ve.Field("SiteUID").Rule)
	assert.Equal(t, kshop.RuleControlChars, ve.Field("UserParameter").Rule)
	assert.Equal(t, kshop.RuleFormat, ve.Field("CustomerEmail").Rule)
	assert.ErrorIs(t, ve.Field("SiteUID"), happytalk.ErrPlaceholderID, "the specific cause stays reachable")

	// Invalid UTF-8 is its own rule, not a control character.
	_, err = happytalk.Build(v2Base, happytalk.Params{CustomerName: "a\xffb"})
	require.ErrorAs(t, err, &ve)
	require.NotNil(t, ve.Field("CustomerName"))
	assert.Equal(t, kshop.RuleInvalidUTF8, ve.Field("CustomerName").Rule)
}
