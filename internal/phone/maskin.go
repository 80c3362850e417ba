package phone

// MaskIn masks every phone number it finds in free text (a JSON body, a URL, a log message)
// and leaves the rest of the text byte for byte as it was: the middle digits of each number are
// replaced by '*' in place, so "01012345678" becomes "010****5678" and
// "+82 10-1234-5678" becomes "+82 10-****-5678", and the text keeps its length.
//
// The heuristic, chosen so that order numbers, amounts, waybills and dates survive:
//
//   - The text is cut into digit groups: maximal runs of ASCII digits. Groups separated by
//     one to three separator bytes (space, tab, '-', '.', '(', ')', '+', the last for
//     form-encoded spaces) form a chain, as in "010-1234-5678" or "+82 (0)10 1234 5678".
//   - A number must start at the beginning of a group and end at the end of a group, never
//     inside one: a 13-digit waybill or a 14-digit order number is one group that is not a
//     phone number, so none of its substrings is masked.
//   - From every group, the longest run of whole groups (at most 15 digits) that is a valid
//     Korean number by Parse's rules is masked, with one addition: ten digits "10…" are taken
//     as an 010 mobile that lost its 0 (a JSON number field). Other numbers without their 0
//     are left alone, because ten-digit Unix timestamps ("17…") look like 017 numbers.
//     An 010 number with a 3-digit middle group is masked too although Parse refuses it.
//     Runs overlap, so a number glued to other digits by separators is still found.
//   - Representative numbers (1588-1234) are not masked: they belong to businesses and their
//     8 digits collide with amounts such as 18000000.
//   - Letters next to a group do not stop a match: "tel:010…", "%2B8210…" and "phone=010…"
//     are all found. Percent-encoded separators ("010%2D1234…") are not; mask decoded values.
//
// MaskIn makes no allocation when the text has nothing to mask.
func MaskIn(text string) string {
	var out []byte
	for i := 0; i < len(text); {
		if !isDigit(text[i]) {
			i++
			continue
		}
		if m, ok := longestNumberAt(text, i); ok {
			if out == nil {
				out = []byte(text)
			}
			m.apply(text, i, out)
		}
		for i < len(text) && isDigit(text[i]) {
			i++
		}
	}
	if out == nil {
		return text
	}
	return string(out)
}

// maxChainDigits is the most digits a written number can have: "82", a trunk 0 after
// "(0)", and 12 national digits.
const maxChainDigits = 15

// chainMatch locates the digits to hide, counted over the digits of the chain from its start.
type chainMatch struct {
	maskFrom, maskTo int // digit indexes [from, to)
}

// apply overwrites the matched digits of the chain starting at start with '*'.
func (m chainMatch) apply(text string, start int, out []byte) {
	seen := 0
	for i := start; i < len(text) && seen < m.maskTo; i++ {
		if !isDigit(text[i]) {
			continue
		}
		if seen >= m.maskFrom {
			out[i] = '*'
		}
		seen++
	}
}

func isChainSeparator(c byte) bool {
	switch c {
	case ' ', '\t', '-', '.', '(', ')', '+':
		return true
	}
	return false
}

// longestNumberAt finds the longest valid number made of whole digit groups starting with the
// group at start.
func longestNumberAt(text string, start int) (chainMatch, bool) {
	// Cheap rejection first: bodies are full of digits, few of them phone numbers.
	switch text[start] {
	case '0', '8':
	case '1':
		if start+1 >= len(text) || text[start+1] != '0' {
			return chainMatch{}, false
		}
	default:
		return chainMatch{}, false
	}
	var digits [maxChainDigits]byte
	n := 0
	var best chainMatch
	found := false
	for i := start; ; {
		for ; i < len(text) && isDigit(text[i]); i++ {
			if n == maxChainDigits {
				return best, found
			}
			digits[n] = text[i]
			n++
		}
		if n >= 9 { // "02" + 7 digits is the shortest number worth masking
			if m, ok := matchDigits(digits[:n]); ok {
				best, found = m, true
			}
		}
		seps := 0
		for ; i < len(text) && isChainSeparator(text[i]) && seps <= 3; i++ {
			seps++
		}
		if seps == 0 || seps > 3 || i >= len(text) || !isDigit(text[i]) {
			return best, found
		}
	}
}

// matchDigits decides whether a chain's digits are a number to mask and where its middle is.
func matchDigits(d []byte) (chainMatch, bool) {
	r := resolve(d, false)
	switch {
	case r.reason == 0 && r.kind != Representative:
	case r.reason == MissingTrunkZero && len(d) == 10 && d[0] == '1' && d[1] == '0':
	case r.reason == Length && len(d) == 10 && d[0] == '0' && d[1] == '1' && d[2] == '0':
		// 010 with a 3-digit middle group: Parse refuses it, but libphonenumber does not and
		// it may be a real old number, so it is masked all the same.
		return chainMatch{maskFrom: 3, maskTo: 6}, true
	default:
		return chainMatch{}, false
	}
	// The national digits are the chain's last digits, except that a restored trunk 0 is not
	// in the chain; express the middle group in chain digit indexes.
	offset := len(d) - r.length
	return chainMatch{maskFrom: r.prefixLen + offset, maskTo: len(d) - 4}, true
}
