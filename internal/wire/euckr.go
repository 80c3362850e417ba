package wire

import (
	"fmt"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/korean"
)

// EUCKRLen returns the number of bytes s takes in EUC-KR as Korean carriers count it: ASCII is
// one byte, every Hangul syllable and other CP949 character two. A character that EUC-KR cannot
// represent (an emoji, most non-Korean scripts) is an error naming its position, because an SMS
// cannot carry it.
func EUCKRLen(s string) (int, error) {
	n := 0
	var enc *encoding.Encoder // made on the first character that needs the table
	for i, r := range s {
		switch {
		case r < utf8.RuneSelf:
			n++
			continue
		case r == utf8.RuneError:
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				return 0, fmt.Errorf("wire: invalid UTF-8 at byte %d", i)
			}
		case r >= 0xAC00 && r <= 0xD7A3:
			// CP949 holds all 11,172 modern Hangul syllables.
			n += 2
			continue
		}
		if enc == nil {
			enc = korean.EUCKR.NewEncoder()
		}
		if _, err := enc.String(string(r)); err != nil {
			return 0, &UnencodableError{Rune: r, Offset: i}
		}
		n += 2
	}
	return n, nil
}

// EUCKRLenLenient is EUCKRLen that counts a character EUC-KR cannot represent as two bytes
// instead of failing, the conservative count for choosing between SMS and LMS. Every
// non-ASCII character CP949 can encode takes two bytes, so it needs no encoding table and
// makes no allocation.
func EUCKRLenLenient(s string) int {
	n := 0
	for _, r := range s {
		if r < utf8.RuneSelf {
			n++
		} else {
			n += 2
		}
	}
	return n
}

// UnencodableError reports a character that EUC-KR cannot represent.
type UnencodableError struct {
	Rune   rune // the character
	Offset int  // its byte offset in the input
}

func (e *UnencodableError) Error() string {
	return fmt.Sprintf("wire: character %U at byte %d cannot be encoded in EUC-KR", e.Rune, e.Offset)
}
