package happytalk

import (
	"strconv"
	"strings"
)

// Channel is the Happytalk entry point a chat link opens. The zero value, ChannelAuto, means
// "detect it from the URL".
type Channel uint8

// The channels. Their link shapes are described in the package documentation.
const (
	// ChannelAuto detects the channel from the base URL's host and path.
	ChannelAuto Channel = iota
	// KakaoTalk is the KakaoTalk channel entry, https://api.happytalk.io/api/kakao/chat_open?…;
	// parameters are separate "&key=value" query parameters.
	KakaoTalk
	// WebChatV2 is the current web chat, https://design.happytalkio.com/chatting?…; customer
	// parameters are packed into one params query value as key=value pairs joined by commas.
	WebChatV2
	// WebChatV1 is the legacy web chat popup, https://customer.happytalk.io/public_v1/…; the
	// customer ID goes as uid with is_login=Y (is_login=N and an empty uid when unknown).
	WebChatV1
	// NaverTalkTalk is a Naver TalkTalk chat URL, https://talk.naver.com/…; parameters follow
	// the URL joined by a separator, "|" by default (unconfirmed, see WithNaverSeparator).
	NaverTalkTalk
)

// String returns the channel's name: "KakaoTalk", "WebChatV2", "WebChatV1", "NaverTalkTalk",
// "Auto" for ChannelAuto and "Channel(n)" for undefined values.
func (c Channel) String() string {
	switch c {
	case ChannelAuto:
		return "Auto"
	case KakaoTalk:
		return "KakaoTalk"
	case WebChatV2:
		return "WebChatV2"
	case WebChatV1:
		return "WebChatV1"
	case NaverTalkTalk:
		return "NaverTalkTalk"
	default:
		return "Channel(" + strconv.Itoa(int(c)) + ")"
	}
}

func (c Channel) defined() bool { return c <= NaverTalkTalk }

// detectChannel recognises the Happytalk chat URLs seen on real sites and in Happytalk's web
// chat SDK. The host comparison is case-insensitive; the paths are compared as written.
func detectChannel(host, path string) Channel {
	host = strings.TrimSuffix(host, ".") // a fully qualified "api.happytalk.io." is the same host
	switch {
	case hostIs(host, "happytalk.io") && trimSlash(path) == "/api/kakao/chat_open":
		return KakaoTalk
	case hostIs(host, "happytalk.io") && strings.HasPrefix(path, "/public_v1/"):
		return WebChatV1
	case hostIs(host, "happytalkio.com") && trimSlash(path) == "/chatting":
		return WebChatV2
	case hostIs(host, "talk.naver.com"):
		return NaverTalkTalk
	}
	return ChannelAuto
}

// hostIs reports whether host is domain or one of its sub-domains, ignoring case.
func hostIs(host, domain string) bool {
	if len(host) < len(domain) || !strings.EqualFold(host[len(host)-len(domain):], domain) {
		return false
	}
	return len(host) == len(domain) || host[len(host)-len(domain)-1] == '.'
}

func trimSlash(path string) string {
	if len(path) > 1 && path[len(path)-1] == '/' {
		return path[:len(path)-1]
	}
	return path
}

// DetectChannel returns the channel of a Happytalk chat URL (a base URL from the console or a
// link built by this package), or a *LinkError wrapping ErrUnknownChannel when the URL is not
// one of the recognised shapes.
func DetectChannel(link string) (Channel, error) {
	parts, err := defaultBuilder.split(link, ChannelAuto)
	if err != nil {
		return ChannelAuto, err
	}
	return parts.channel, nil
}
