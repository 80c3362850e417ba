package happytalk

import (
	"net/url"
	"strings"
)

const upperHex = "0123456789ABCDEF"

// writeEscaped percent-encodes s as UTF-8 into out. Only the RFC 3986 unreserved characters
// (A–Z a–z 0–9 - . _ ~) are written as they are; everything else, Hangul included, becomes
// %XX. A space becomes %20, not '+': '+' means a space only to form decoders, and old servers
// that decode with a plain URL decoder would show it as '+'.
//
// Because every separator a channel uses ('&', '=', ',', '|', '#', …) is escaped, an encoded
// value can never be mistaken for the next parameter.
func writeEscaped[T string | []byte](out *strings.Builder, s T) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isUnreserved(c) {
			out.WriteByte(c)
			continue
		}
		out.WriteByte('%')
		out.WriteByte(upperHex[c>>4])
		out.WriteByte(upperHex[c&15])
	}
}

func isUnreserved(c byte) bool {
	return isAlphaNum(c) || c == '-' || c == '.' || c == '_' || c == '~'
}

// unescape decodes a query value the way servers do: %XX escapes, and '+' as a space so that
// links written by form encoders (java URLEncoder, PHP urlencode) read back correctly.
func unescape(s string) (string, error) {
	for i := 0; i < len(s); i++ {
		if s[i] == '%' || s[i] == '+' {
			return url.QueryUnescape(s)
		}
	}
	return s, nil // the common case needs no copy
}
