package happytalk_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop/happytalk"
)

// Base URLs in the shapes seen on real sites (research §1.2–1.6), with made-up IDs.
const (
	kakaoBase = "https://api.happytalk.io/api/kakao/chat_open?yid=%40happyshop&site_id=4000000001&category_id=74133&division_id=74134"
	v2Base    = "https://design.happytalkio.com/chatting?siteId=4000000001&siteName=%ED%95%B4%ED%94%BC%EC%83%B5&categoryId=74133&divisionId=74134&partnerId=&shopId=&params="
	v1Base    = "https://customer.happytalk.io/public_v1/chat_v4/public_point?go=C&is_login=N&uid=&site_id=4000000001&category_id=74133&division_id=74134&usergb=W"
	naverBase = "https://talk.naver.com/ct/wc1234"
)

// channelBases pairs every channel with its base and the classification IDs the base carries.
var channelBases = []struct {
	channel               happytalk.Channel
	base                  string
	baseCategory, baseDiv int
}{
	{happytalk.KakaoTalk, kakaoBase, 74133, 74134},
	{happytalk.WebChatV2, v2Base, 74133, 74134},
	{happytalk.WebChatV1, v1Base, 74133, 74134},
	{happytalk.NaverTalkTalk, naverBase, 0, 0},
}

// enc is the encoding Build promises: url.QueryEscape with %20 for spaces.
func enc(s string) string { return strings.ReplaceAll(url.QueryEscape(s), "+", "%20") }

// queryOf returns the decoded query of a query-based link.
func queryOf(t *testing.T, link string) url.Values {
	t.Helper()
	u, err := url.Parse(link)
	require.NoError(t, err)
	q, err := url.ParseQuery(u.RawQuery)
	require.NoError(t, err)
	return q
}

// v2Pairs returns the decoded params pairs of a web chat v2 link, in order.
func v2Pairs(t *testing.T, link string) []string {
	t.Helper()
	packed := queryOf(t, link).Get("params")
	if packed == "" {
		return nil
	}
	return strings.Split(packed, ",")
}

func mustBuilder(t testing.TB, opts ...happytalk.Option) *happytalk.Builder {
	t.Helper()
	b, err := happytalk.NewBuilder(opts...)
	require.NoError(t, err)
	return b
}
