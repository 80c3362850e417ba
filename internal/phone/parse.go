package phone

import (
	"unicode"
	"unicode/utf8"
)

// maxScanDigits bounds the digits Parse keeps: "+82 (0)" plus the longest national number,
// with room to spare. Longer inputs are refused by length without looking further.
const maxScanDigits = 16

// Parse reads a Korean phone number written the ways people write them: "010-1234-5678",
// "01012345678", "010.1234.5678", "010 1234 5678", "(02) 123-4567", "+82 10-1234-5678",
// "+82 (0)10 1234 5678", "82-10-1234-5678", "1588-1234".
//
// Separators (spaces of any kind, '-', '.', '(' and ')') are ignored wherever they appear:
// people group digits inconsistently ("0101234 5678") and the grouping carries no meaning we
// could check. A '+' is accepted only as the first non-space character and must be followed
// by 82. After the country code one trunk 0 is dropped ("+82 (0)10…", "+82 010…").
//
// A number that lost its leading 0 ("1012345678", as spreadsheets and numeric columns do) is
// refused with MissingTrunkZero rather than repaired. Full-width digits are refused as
// SpecialCharacters.
//
// The error is always a *Error (errors.Is(err, ErrInvalid) holds) whose text never contains
// the full input.
func Parse(s string) (Number, error) {
	var buf [maxScanDigits]byte
	digits, international, reason := scan(s, &buf)
	if reason != 0 {
		return Number{}, newError(reason, s)
	}
	r := resolve(digits, international)
	if r.reason != 0 {
		return Number{}, newError(r.reason, s)
	}
	return numberFrom(&r), nil
}

// Normalize parses s and returns its national digits: "01012345678" for "+82 10-1234-5678",
// "15881234" for "1588-1234" (representative numbers have no trunk 0).
func Normalize(s string) (string, error) {
	n, err := Parse(s)
	if err != nil {
		return "", err
	}
	return n.Digits(), nil
}

// scan collects the digits of s into buf and checks every other character. Letters win over
// other special characters because they say more about what went wrong ("ext. 12", "집").
// When s has more digits than buf holds, the digits returned are truncated; every block is
// shorter than buf, so the result is still a length (or prefix) error.
func scan(s string, buf *[maxScanDigits]byte) (digits []byte, international bool, reason Reason) {
	n := 0
	seenNonSpace := false
	special := false
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case c >= '0' && c <= '9':
				if n < len(buf) {
					buf[n] = c
					n++
				}
			case c == '+' && !seenNonSpace:
				international = true
			case c == '-' || c == '.' || c == '(' || c == ')':
			case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f':
				continue // spaces do not end the leading position of '+'
			case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
				return nil, false, Letters
			default:
				special = true
			}
			seenNonSpace = true
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case unicode.IsSpace(r):
			continue
		case unicode.IsLetter(r):
			return nil, false, Letters
		default: // including utf8.RuneError for invalid encodings
			special = true
		}
		seenNonSpace = true
	}
	switch {
	case special:
		return nil, false, SpecialCharacters
	case n == 0:
		return nil, false, Empty
	}
	return buf[:n], international, 0
}
