package happytalk_test

import (
	"errors"
	"fmt"

	"github.com/kshop-dev/kshop/happytalk"
)

// A KakaoTalk channel link: every parameter is a separate query parameter, Korean text is
// percent-encoded as UTF-8 and the phone is sent as digits.
func ExampleBuild() {
	base := "https://api.happytalk.io/api/kakao/chat_open?yid=%40shop&site_id=4000000001"
	link, err := happytalk.Build(base, happytalk.Params{
		SiteUID:       "loginid",
		CustomerName:  "홍길동",
		CustomerPhone: "010-1234-5678",
		Parameters:    []string{"이벤트"},
	})
	fmt.Println(link, err)
	// Output:
	// https://api.happytalk.io/api/kakao/chat_open?yid=%40shop&site_id=4000000001&site_uid=loginid&cus_extra_username=%ED%99%8D%EA%B8%B8%EB%8F%99&cus_extra_phone=01012345678&parameter1=%EC%9D%B4%EB%B2%A4%ED%8A%B8 <nil>
}

// Web chat v2 packs the customer parameters into params (site_uid=…,cus_extra_username=…)
// and percent-encodes that value once; the classification goes in categoryId.
func ExampleBuild_webChatV2() {
	base := "https://design.happytalkio.com/chatting?siteId=4000000001&siteName=shop&categoryId=74133&partnerId=&shopId=&params="
	link, err := happytalk.Build(base, happytalk.Params{SiteUID: "abcd1234", Parameters: []string{"param1"}, CategoryID: 74135})
	fmt.Println(link, err)
	// Output:
	// https://design.happytalkio.com/chatting?siteId=4000000001&siteName=shop&categoryId=74135&partnerId=&shopId=&params=site_uid%3Dabcd1234%2Cparameter1%3Dparam1 <nil>
}

// Web chat v1 takes the customer ID as uid and switches is_login to Y.
func ExampleBuild_webChatV1() {
	base := "https://customer.happytalk.io/public_v1/chat_v4/public_point?go=C&is_login=N&uid=&site_id=4000000001&usergb=W"
	link, err := happytalk.Build(base, happytalk.Params{SiteUID: "loginid"})
	fmt.Println(link, err)
	// Output:
	// https://customer.happytalk.io/public_v1/chat_v4/public_point?go=C&is_login=Y&uid=loginid&site_id=4000000001&usergb=W <nil>
}

// Naver TalkTalk pairs follow the URL joined by "|" (the guide's unconfirmed format), before
// any fragment.
func ExampleBuild_naverTalkTalk() {
	link, err := happytalk.Build("https://talk.naver.com/ct/wc1234#nafullscreen", happytalk.Params{
		SiteUID:      "loginid",
		CustomerName: "홍길동",
	})
	fmt.Println(link, err)
	// Output:
	// https://talk.naver.com/ct/wc1234|site_uid=loginid|cus_extra_username=%ED%99%8D%EA%B8%B8%EB%8F%99#nafullscreen <nil>
}

// A visitor who is not logged in is sent with an empty ID, never a stand-in.
func ExampleBuild_notLoggedIn() {
	for _, base := range []string{
		"https://api.happytalk.io/api/kakao/chat_open?yid=%40shop",
		"https://design.happytalkio.com/chatting?siteId=4000000001&params=",
		"https://customer.happytalk.io/public_v1/chat_v4/public_point?is_login=Y&uid=olduser",
		"https://talk.naver.com/ct/wc1234",
	} {
		link, _ := happytalk.Build(base, happytalk.Params{})
		fmt.Println(link)
	}
	// Output:
	// https://api.happytalk.io/api/kakao/chat_open?yid=%40shop&site_uid=
	// https://design.happytalkio.com/chatting?siteId=4000000001&params=site_uid%3D
	// https://customer.happytalk.io/public_v1/chat_v4/public_point?is_login=N&uid=
	// https://talk.naver.com/ct/wc1234|site_uid=
}

// Placeholder IDs are refused: they would merge every anonymous visitor into one customer.
func ExampleBuild_placeholderID() {
	_, err := happytalk.Build("https://api.happytalk.io/api/kakao/chat_open?yid=%40shop", happytalk.Params{SiteUID: "undefined"})
	var perr *happytalk.PlaceholderIDError
	fmt.Println(errors.As(err, &perr), perr.Value, errors.Is(err, happytalk.ErrPlaceholderID))
	fmt.Println(err)
	// Output:
	// true undefined true
	// happytalk: invalid SiteUID (site_uid): "undefined" is a placeholder, not a customer ID: Happytalk would merge every visitor sent with it into one customer and one counselling history; leave SiteUID empty for a visitor who is not logged in
}

// A chat URL on a host this package does not know needs the channel.
func ExampleBuild_channel() {
	_, err := happytalk.Build("https://chat.example.com/open?x=1", happytalk.Params{SiteUID: "loginid"})
	fmt.Println(errors.Is(err, happytalk.ErrUnknownChannel))

	link, err := happytalk.Build("https://chat.example.com/open?x=1", happytalk.Params{Channel: happytalk.KakaoTalk, SiteUID: "loginid"})
	fmt.Println(link, err)
	// Output:
	// true
	// https://chat.example.com/open?x=1&site_uid=loginid <nil>
}

// Parse reads a link of any channel back, here a web chat v2 link with its packed params.
func ExampleParse() {
	p, err := happytalk.Parse("https://design.happytalkio.com/chatting?siteId=4000000001&categoryId=74133&params=site_uid%3Dabcd1234%2Ccus_extra_username%3D%ED%99%8D%EA%B8%B8%EB%8F%99%2Cparameter2%3Dvip")
	fmt.Println(err)
	fmt.Println(p.Channel, p.SiteUID, p.CustomerName, p.CategoryID, len(p.Parameters), p.Parameters[1])
	// Output:
	// <nil>
	// WebChatV2 abcd1234 홍길동 74133 2 vip
}

// ParseAs reads a link whose channel cannot be detected from its host.
func ExampleParseAs() {
	p, err := happytalk.ParseAs("https://chat.example.com/open?site_uid=loginid&bot_start=true", happytalk.KakaoTalk)
	fmt.Println(p.SiteUID, p.BotStart, err)
	// Output:
	// loginid true <nil>
}

func ExampleDetectChannel() {
	for _, link := range []string{
		"https://api.happytalk.io/api/kakao/chat_open?yid=%40shop",
		"https://design.happytalkio.com/chatting?siteId=4000000001",
		"https://customer.happytalk.io/public_v1/chat_v4/public_point?go=C",
		"https://talk.naver.com/ct/wc1234",
	} {
		ch, err := happytalk.DetectChannel(link)
		fmt.Println(ch, err)
	}
	_, err := happytalk.DetectChannel("https://example.com/chat")
	fmt.Println(err)
	// Output:
	// KakaoTalk <nil>
	// WebChatV2 <nil>
	// WebChatV1 <nil>
	// NaverTalkTalk <nil>
	// happytalk: invalid chat link https://example.com: not a recognised Happytalk chat URL
}

func ExampleChannel_String() {
	fmt.Println(happytalk.KakaoTalk, happytalk.WebChatV2, happytalk.WebChatV1, happytalk.NaverTalkTalk, happytalk.ChannelAuto)
	// Output:
	// KakaoTalk WebChatV2 WebChatV1 NaverTalkTalk Auto
}

func ExampleNewBuilder() {
	b, err := happytalk.NewBuilder(happytalk.WithStrictTruncation(), happytalk.WithPlaceholderIDs("GUEST0001"))
	fmt.Println(b != nil, err)

	_, err = happytalk.NewBuilder(happytalk.WithNaverSeparator("%7C"))
	fmt.Println(err)
	// Output:
	// true <nil>
	// happytalk: invalid option WithNaverSeparator: separator may only use the characters | & ; , ! * $ ' ( ) +
}

// Builder.Build reports what it cut and normalized.
func ExampleBuilder_Build() {
	b, _ := happytalk.NewBuilder()
	res, err := b.Build("https://api.happytalk.io/api/kakao/chat_open?yid=%40shop", happytalk.Params{
		CustomerPhone: "+82 10-1234-5678",
		Parameters:    []string{"가나다라마바사아자차카타파하가나다라마바사아"}, // 22 characters
	})
	fmt.Println(err, res.Channel, res.Truncated, res.Normalized)
	back, _ := b.Parse(res.URL)
	fmt.Println(back.CustomerPhone, back.Parameters[0])
	// Output:
	// <nil> KakaoTalk [parameter1] [cus_extra_phone]
	// 01012345678 가나다라마바사아자차카타파하가나다라마바
}

func ExampleBuilder_Parse() {
	b, _ := happytalk.NewBuilder(happytalk.WithNaverSeparator(";"))
	p, err := b.Parse("https://talk.naver.com/ct/wc1234;site_uid=loginid;parameter1=app")
	fmt.Println(p.Channel, p.SiteUID, p.Parameters, err)
	// Output:
	// NaverTalkTalk loginid [app] <nil>
}

func ExampleBuilder_ParseAs() {
	b, _ := happytalk.NewBuilder(happytalk.WithBotStartParameter("bot", "true"))
	p, err := b.ParseAs("https://chat.example.com/open?site_uid=loginid&bot=true", happytalk.KakaoTalk)
	fmt.Println(p.SiteUID, p.BotStart, err)
	// Output:
	// loginid true <nil>
}

func ExampleWithStrictTruncation() {
	b, _ := happytalk.NewBuilder(happytalk.WithStrictTruncation())
	_, err := b.Build("https://api.happytalk.io/api/kakao/chat_open?yid=%40shop", happytalk.Params{
		Parameters: []string{"", "가나다라마바사아자차카타파하가나다라마바사아"},
	})
	fmt.Println(errors.Is(err, happytalk.ErrTooLong))
	fmt.Println(err)
	// Output:
	// true
	// happytalk: invalid Parameters[1] (parameter2): 22 characters; Happytalk stores at most 20
}

func ExampleWithRawPhoneDigits() {
	base := "https://api.happytalk.io/api/kakao/chat_open?yid=%40shop"
	p := happytalk.Params{CustomerPhone: "+1 415-555-0100"}

	_, err := happytalk.Build(base, p)
	var perr *happytalk.PhoneError
	fmt.Println(errors.As(err, &perr), err)

	b, _ := happytalk.NewBuilder(happytalk.WithRawPhoneDigits())
	res, err := b.Build(base, p)
	fmt.Println(res.URL, res.UnverifiedPhone, err)
	// Output:
	// true happytalk: invalid CustomerPhone (cus_extra_phone): not a Korean (+82) number
	// https://api.happytalk.io/api/kakao/chat_open?yid=%40shop&site_uid=&cus_extra_phone=14155550100 true <nil>
}

func ExampleWithNaverSeparator() {
	b, _ := happytalk.NewBuilder(happytalk.WithNaverSeparator("&"))
	res, err := b.Build("https://talk.naver.com/ct/wc1234?frm=pc", happytalk.Params{SiteUID: "loginid"})
	fmt.Println(res.URL, err)
	// Output:
	// https://talk.naver.com/ct/wc1234?frm=pc&site_uid=loginid <nil>
}

func ExampleWithBotStartParameter() {
	b, _ := happytalk.NewBuilder(happytalk.WithBotStartParameter("bot", "true"))
	res, err := b.Build("https://api.happytalk.io/api/kakao/chat_open?yid=%40shop", happytalk.Params{BotStart: true})
	fmt.Println(res.URL, err)
	// Output:
	// https://api.happytalk.io/api/kakao/chat_open?yid=%40shop&site_uid=&bot=true <nil>
}

func ExampleWithPlaceholderIDs() {
	b, _ := happytalk.NewBuilder(happytalk.WithPlaceholderIDs("GUEST0001"))
	_, err := b.Build("https://api.happytalk.io/api/kakao/chat_open?yid=%40shop", happytalk.Params{SiteUID: "guest0001"})
	fmt.Println(errors.Is(err, happytalk.ErrPlaceholderID))
	// Output:
	// true
}
