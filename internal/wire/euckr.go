package wire

import (
	"fmt"
	"unicode/utf8"

	"golang.org/x/text/encoding/korean"
)

// EUCKRLen returns the number of bytes s takes in EUC-KR as Korean carriers count it: ASCII is
// one byte, every Hangul syllable and other CP949 character two. A character that EUC-KR cannot
// represent (an emoji, most non-Korean scripts) is an error naming its position, because an SMS
// cannot carry it.
func EUCKRLen(s string) (int, error) {
	n := 0
	enc := korean.EUCKR.NewEncoder()
	var buf [8]byte
	for i, r := range s {
		if r < utf8.RuneSelf {
			n++
			continue
		}
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				return 0, fmt.Errorf("wire: invalid UTF-8 at byte %d", i)
			}
		}
		var src [utf8.UTFMax]byte
		w := utf8.EncodeRune(src[:], r)
		enc.Reset()
		nDst, _, err := enc.Transform(buf[:], src[:w], true)
		if err != nil {
			return 0, &UnencodableError{Rune: r, Offset: i}
		}
		n += nDst
	}
	return n, nil
}

// EUCKRLenLenient is EUCKRLen that counts a character EUC-KR cannot represent as two bytes
// instead of failing, the conservative count for choosing between SMS and LMS.
func EUCKRLenLenient(s string) int {
	n := 0
	enc := korean.EUCKR.NewEncoder()
	var buf [8]byte
	for _, r := range s {
		if r < utf8.RuneSelf {
			n++
			continue
		}
		var src [utf8.UTFMax]byte
		w := utf8.EncodeRune(src[:], r)
		enc.Reset()
		nDst, _, err := enc.Transform(buf[:], src[:w], true)
		if err != nil {
			n += 2
			continue
		}
		n += nDst
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
