package epost

import (
	"unicode/utf8"

	"github.com/kshop-dev/kshop/internal/wire"
)

// LengthRule says how the client counts a value against the manual's item lengths. The manual
// gives lengths ("recNm 40") without saying whether they are bytes or characters; the only
// unit it names is "4000 byte" for regData.
type LengthRule int

const (
	// LengthUTF8Bytes counts UTF-8 bytes, the unit the service receives (a Hangul syllable
	// is 3). It is the default because it can only be stricter than the real rule: a value
	// it accepts fits whatever the service counts.
	LengthUTF8Bytes LengthRule = iota
	// LengthEUCKRBytes counts EUC-KR (CP949) bytes (a Hangul syllable is 2), the usual unit
	// of Korean legacy databases.
	LengthEUCKRBytes
	// LengthCharacters counts Unicode characters, the most lenient reading.
	LengthCharacters
)

// String names the rule.
func (r LengthRule) String() string {
	switch r {
	case LengthUTF8Bytes:
		return "UTF-8 bytes"
	case LengthEUCKRBytes:
		return "EUC-KR bytes"
	case LengthCharacters:
		return "characters"
	default:
		return "unknown"
	}
}

// Measure returns the length of s under the rule.
func (r LengthRule) Measure(s string) int {
	switch r {
	case LengthEUCKRBytes:
		return wire.EUCKRLenLenient(s)
	case LengthCharacters:
		return utf8.RuneCountInString(s)
	default:
		return len(s)
	}
}

// field is one k=v item of a regData plaintext (or of a plain query).
type field struct {
	name  string
	value string
}

// fieldList is an ordered list of items, in the manual's order.
type fieldList []field

// add appends an item, even when its value is empty (inqTelCn needs "present but empty").
func (l *fieldList) add(name, value string) { *l = append(*l, field{name, value}) }

// plaintext joins the items as k=v&k=v without escaping, which is what the service parses.
// The values were checked by the item tables: none holds '&', '=' or a control character.
func (l fieldList) plaintext() string {
	return string(l.appendPlaintext(make([]byte, 0, l.plaintextLen())))
}

// plaintextLen is the length of the plaintext in bytes.
func (l fieldList) plaintextLen() int {
	n := max(len(l)-1, 0) // the '&' separators
	for _, f := range l {
		n += len(f.name) + 1 + len(f.value)
	}
	return n
}

// appendPlaintext appends the plaintext to dst.
func (l fieldList) appendPlaintext(dst []byte) []byte {
	for i, f := range l {
		if i > 0 {
			dst = append(dst, '&')
		}
		dst = append(dst, f.name...)
		dst = append(dst, '=')
		dst = append(dst, f.value...)
	}
	return dst
}
