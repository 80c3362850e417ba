package happytalk_test

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop/happytalk"
	"github.com/kshop-dev/kshop/internal/phone"
)

// expectedAfterRoundTrip applies Build's documented normalization to p: the channel of the base,
// the phone as digits, custom parameters cut to 20 runes without trailing empty ones, and the
// base's classification IDs for unset ones.
func expectedAfterRoundTrip(t *testing.T, p happytalk.Params, channel happytalk.Channel, baseCategory, baseDivision int) happytalk.Params {
	t.Helper()
	want := p
	want.Channel = channel
	if p.CustomerPhone != "" {
		digits, err := phone.Normalize(p.CustomerPhone)
		require.NoError(t, err, "Build accepted a phone internal/phone refuses")
		want.CustomerPhone = digits
	}
	if want.CategoryID == 0 {
		want.CategoryID = baseCategory
	}
	if want.DivisionID == 0 {
		want.DivisionID = baseDivision
	}
	want.Parameters = nil
	last := 0
	cut := make([]string, len(p.Parameters))
	for i, v := range p.Parameters {
		if r := []rune(v); len(r) > happytalk.MaxParameterLen {
			v = string(r[:happytalk.MaxParameterLen])
		}
		cut[i] = v
		if v != "" {
			last = i + 1
		}
	}
	if last > 0 {
		want.Parameters = cut[:last]
	}
	return want
}

func requireValidationError(t *testing.T, err error) {
	t.Helper()
	var ferr *happytalk.FieldError
	var perr *happytalk.PlaceholderIDError
	require.True(t, errors.As(err, &ferr) || errors.As(err, &perr), "unexpected error type %T: %v", err, err)
	require.ErrorIs(t, err, happytalk.ErrInvalidParams)
}

// FuzzBuildParse: for any Params Build accepts, on every channel, Parse gives them back after
// the documented normalization, and building again on the link changes nothing. Build never
// panics, and refuses only with the package's typed validation errors.
func FuzzBuildParse(f *testing.F) {
	f.Add("loginid", "사람이름", "01012345678", "happytalk@happytalk.io", "abcdabcd", 74133, 74134, "유입경로\x00유저구분", false, uint8(0))
	f.Add("", "홍 길동", "+82 10-1234-5678", "", "", 0, 0, "", true, uint8(0))
	f.Add("abcd1234", "해피톡", "010-1234-5678", "", "a&b=c", 1, 2, "해피북문의하기\x00우수고객", false, uint8(1))
	f.Add("member7", "", "02-123-4567", "a+b@example.com", "", 0, 0, "\x00\x00"+strings.Repeat("가", 25), false, uint8(2))
	f.Add("loginid", "a|b", "1588-1234", "", "x%y", 3, 0, "😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀", false, uint8(3))
	f.Add("undefined", "", "", "", "", -1, 0, "", false, uint8(0))
	f.Add("id,1", "n=1", "010-0000-0000", "bad", "", 0, 0, "a,b", true, uint8(1))
	builder := mustBuilder(f)

	f.Fuzz(func(t *testing.T, siteUID, name, phoneIn, email, userParameter string, category, division int, params string, botStart bool, channel uint8) {
		p := happytalk.Params{SiteUID: siteUID, CustomerName: name, CustomerPhone: phoneIn, CustomerEmail: email,
			UserParameter: userParameter, CategoryID: category, DivisionID: division, BotStart: botStart}
		if params != "" {
			p.Parameters = strings.Split(params, "\x00")
		}
		cb := channelBases[int(channel)%len(channelBases)]

		res, err := builder.Build(cb.base, p)
		if err != nil {
			requireValidationError(t, err)
			return
		}
		require.Equal(t, cb.channel, res.Channel)
		require.True(t, utf8.ValidString(res.URL))
		require.True(t, strings.HasPrefix(res.URL, cb.base[:strings.IndexAny(cb.base+"?", "?")]))

		back, err := builder.Parse(res.URL)
		require.NoError(t, err, res.URL)
		require.Equal(t, expectedAfterRoundTrip(t, p, cb.channel, cb.baseCategory, cb.baseDiv), back, res.URL)

		again, err := builder.Build(res.URL, p)
		require.NoError(t, err)
		require.Equal(t, res.URL, again.URL, "Build on a built link is idempotent")

		plain, err := happytalk.Build(cb.base, p)
		require.NoError(t, err)
		require.Equal(t, res.URL, plain)
	})
}

// FuzzParse: Parse never panics on any input, and what it returns is well-formed.
func FuzzParse(f *testing.F) {
	f.Add(kakaoBase + "&site_uid=loginid&cus_extra_username=%ED%99%8D&parameter2=x&bot_start=true")
	f.Add(v2Base + enc("site_uid=a,parameter1=b"))
	f.Add("https://design.happytalkio.com/chatting?params=site_uid=abcd1234,parameter1=param1&categoryId=1")
	f.Add(v1Base + "&uid=x")
	f.Add(naverBase + "|site_uid=a|category_id=1#nafullscreen")
	f.Add("https://api.happytalk.io/api/kakao/chat_open?category_id=%zz&site_uid=%")
	f.Add("https://[::1]:8080/api/kakao/chat_open?x")
	f.Add("")
	f.Fuzz(func(t *testing.T, link string) {
		p, err := happytalk.Parse(link)
		if err != nil {
			var lerr *happytalk.LinkError
			require.ErrorAs(t, err, &lerr)
			require.NotContains(t, err.Error(), "?", "the query of a link never reaches the error")
			return
		}
		require.NotEqual(t, happytalk.ChannelAuto, p.Channel)
		require.LessOrEqual(t, len(p.Parameters), happytalk.MaxParameters)
		require.GreaterOrEqual(t, p.CategoryID, 0)
		require.GreaterOrEqual(t, p.DivisionID, 0)
		if len(p.Parameters) > 0 {
			require.NotEmpty(t, p.Parameters[len(p.Parameters)-1])
		}
	})
}

// FuzzBuildBase: any base URL either is refused with a *LinkError or gives a link that Parse
// reads with the SiteUID given, provided the base itself was readable.
func FuzzBuildBase(f *testing.F) {
	f.Add(kakaoBase, "loginid")
	f.Add(v2Base, "")
	f.Add(v1Base+"&site_uid=old", "member")
	f.Add(naverBase+"?frm=x|parameter1=%EC%9D%B4#frag", "u")
	f.Add("https://api.happytalk.io/api/kakao/chat_open?&&site%5Fuid=old&site_uid=dup&yid=%zz", "u")
	f.Add("https://design.happytalkio.com/chatting?params=a%2Cb,,c=&params=x", "u")
	f.Add("javascript:alert(1)", "u")
	f.Fuzz(func(t *testing.T, base, siteUID string) {
		p := happytalk.Params{SiteUID: siteUID, CustomerName: "홍길동", Parameters: []string{"", "x"}}
		link, err := happytalk.Build(base, p)
		if err != nil {
			var lerr *happytalk.LinkError
			if !errors.As(err, &lerr) {
				requireValidationError(t, err)
			}
			return
		}
		if _, err := happytalk.Parse(base); err != nil {
			return
		}
		back, err := happytalk.Parse(link)
		require.NoError(t, err, link)
		require.Equal(t, siteUID, back.SiteUID)
		require.Equal(t, "홍길동", back.CustomerName)
		require.GreaterOrEqual(t, len(back.Parameters), 2)
		require.Equal(t, "x", back.Parameters[1])
	})
}
