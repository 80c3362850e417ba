package happytalk

import (
	"strings"
)

// linkParts is a chat URL cut into the pieces Build rewrites and Parse reads. The pieces are
// substrings of the original, so the base URL's own bytes are copied back unchanged.
type linkParts struct {
	channel Channel
	// prefix is everything before the parameters: before the '?' for the query-based channels,
	// before the first separator for Naver TalkTalk.
	prefix string
	// pairs is the raw text holding the parameters: the raw query, or for Naver TalkTalk the
	// text after the first separator.
	pairs string
	// hasPairs reports whether the '?' (or the Naver separator) is present.
	hasPairs bool
	// fragment is "#…" or "": it stays at the very end of the link.
	fragment string
}

// split checks that link is an absolute http(s) URL without spaces or control characters,
// detects its channel unless ch is given, and cuts it into linkParts. It does not decode or
// allocate: everything it returns points into link.
func (b *Builder) split(link string, ch Channel) (linkParts, error) {
	if link == "" {
		return linkParts{}, &LinkError{Reason: "empty URL"}
	}
	for i := 0; i < len(link); i++ {
		if c := link[i]; c <= ' ' || c == 0x7f {
			return linkParts{}, &LinkError{Link: originOf(link), Reason: "contains a space or a control character"}
		}
	}
	rest, fragment := link, ""
	if i := strings.IndexByte(link, '#'); i >= 0 {
		rest, fragment = link[:i], link[i:]
	}

	schemeEnd := strings.Index(rest, "://")
	if schemeEnd <= 0 {
		return linkParts{}, &LinkError{Reason: "not an absolute http or https URL"}
	}
	scheme := rest[:schemeEnd]
	if !strings.EqualFold(scheme, "https") && !strings.EqualFold(scheme, "http") {
		return linkParts{}, &LinkError{Reason: "scheme is not http or https"}
	}
	authorityStart := schemeEnd + len("://")
	authorityEnd := len(rest)
	if i := strings.IndexAny(rest[authorityStart:], "/?"); i >= 0 {
		authorityEnd = authorityStart + i
	}
	hostname, ok := checkAuthority(rest[authorityStart:authorityEnd])
	if !ok {
		return linkParts{}, &LinkError{Reason: "host is missing or not a plain host name"}
	}
	path := rest[authorityEnd:]
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}

	if ch == ChannelAuto {
		ch = detectChannel(hostname, path)
		if ch == ChannelAuto {
			return linkParts{}, &LinkError{Link: originOf(link), Reason: "not a recognised Happytalk chat URL", Err: ErrUnknownChannel}
		}
	}

	if ch == NaverTalkTalk && path == "" {
		// The pairs would run into the host name; a TalkTalk chat URL always has a path.
		return linkParts{}, &LinkError{Link: originOf(link), Reason: "a Naver TalkTalk chat URL needs a path, such as /ct/<id>"}
	}

	parts := linkParts{channel: ch, prefix: rest, fragment: fragment}
	separator := "?"
	if ch == NaverTalkTalk {
		separator = b.naverSeparator
	}
	// The separator is looked for after the host, whose characters never include one.
	if i := strings.Index(rest[authorityEnd:], separator); i >= 0 {
		cut := authorityEnd + i
		parts.prefix, parts.pairs, parts.hasPairs = rest[:cut], rest[cut+len(separator):], true
	}
	return parts, nil
}

// checkAuthority returns the host name of a URL authority ("host" or "host:port"), refusing
// user information ("user@host" is a classic way to disguise a link) and any character a host
// name, an IP literal or a port cannot hold.
func checkAuthority(authority string) (hostname string, ok bool) {
	hostname = authority
	if strings.HasPrefix(authority, "[") { // IPv6 literal
		end := strings.IndexByte(authority, ']')
		if end < 0 {
			return "", false
		}
		hostname = authority[:end+1]
		if port := authority[end+1:]; port != "" && (port[0] != ':' || !allDigits(port[1:])) {
			return "", false
		}
		return hostname, len(hostname) > 2
	}
	if i := strings.LastIndexByte(authority, ':'); i >= 0 {
		if !allDigits(authority[i+1:]) {
			return "", false
		}
		hostname = authority[:i]
	}
	if hostname == "" {
		return "", false
	}
	for i := 0; i < len(hostname); i++ {
		c := hostname[i]
		if !(isAlphaNum(c) || c == '.' || c == '-' || c == '_') {
			return "", false
		}
	}
	return hostname, true
}

// originOf returns "scheme://host" of link for error messages, or "" when link does not start
// with a plain http(s) origin. The path and query are left out because they may carry
// customer data.
func originOf(link string) string {
	i := strings.Index(link, "://")
	if i <= 0 || !strings.EqualFold(link[:i], "https") && !strings.EqualFold(link[:i], "http") {
		return ""
	}
	end := len(link)
	if j := strings.IndexAny(link[i+3:], "/?#"); j >= 0 {
		end = i + 3 + j
	}
	if _, ok := checkAuthority(link[i+3 : end]); !ok {
		return ""
	}
	return link[:end]
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func isAlphaNum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
