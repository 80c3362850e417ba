package phone_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/kshop-dev/kshop/internal/phone"
)

func FuzzParse(f *testing.F) {
	for _, tc := range validCases {
		f.Add(tc.in)
	}
	for _, tc := range invalidCases {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := phone.Parse(s)
		if err != nil {
			checkParseError(t, s, n, err)
		} else {
			checkParsedNumber(t, n)
		}
		// Mask never shows a run of more than 4 digits of anything it is given.
		if longestDigitRun(phone.Mask(s)) > 4 {
			t.Fatalf("Mask(%q) = %q shows more than 4 digits in a row", s, phone.Mask(s))
		}
	})
}

func checkParseError(t *testing.T, s string, n phone.Number, err error) {
	t.Helper()
	if !n.IsZero() {
		t.Fatalf("Parse(%q) returned a number with an error", s)
	}
	var perr *phone.Error
	if !errors.As(err, &perr) || !errors.Is(err, phone.ErrInvalid) {
		t.Fatalf("Parse(%q) error %T is not a *phone.Error matching ErrInvalid", s, err)
	}
	if d := digitsOf(s); len(d) > 4 && strings.Contains(err.Error(), d) {
		t.Fatalf("error %q contains the input digits", err.Error())
	}
}

func checkParsedNumber(t *testing.T, n phone.Number) {
	t.Helper()
	if n.IsZero() || n.Kind() == phone.Unknown {
		t.Fatalf("a parsed number must have digits and a kind: %#v", n)
	}
	digits := n.Digits()
	if norm, err := phone.Normalize(n.Format()); err != nil || norm != digits {
		t.Fatalf("Normalize(Format()) = %q, %v; want %q", norm, err, digits)
	}
	if again, err := phone.Parse(n.E164()); err != nil || again != n {
		t.Fatalf("Parse(E164()) = %v, %v; want the same number", again.Masked(), err)
	}
	// Masked is Format with the hidden group's digits, and only those, replaced by '*'.
	format, masked := n.Format(), n.Masked()
	if len(format) != len(masked) {
		t.Fatalf("Masked %q and Format %q differ in length", masked, format)
	}
	groups := strings.Split(format, "-")
	hidden := len(groups) - 2 // the middle group; the last for representative numbers
	if len(groups) == 2 {
		hidden = 1
	}
	for i, g := range strings.Split(masked, "-") {
		want := groups[i]
		if i == hidden {
			want = strings.Repeat("*", len(groups[i]))
		}
		if g != want {
			t.Fatalf("Masked %q does not hide exactly group %d of %q", masked, hidden, format)
		}
	}
}

func longestDigitRun(s string) int {
	longest, run := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	return longest
}

func FuzzMaskIn(f *testing.F) {
	for _, s := range []string{
		`{"phone":"01012345678","amount":31000}`,
		"to=010-1234-5678&from=02-123-4567",
		"+82 (0)10 1234 5678 / 82-10-1234-5678",
		"order 20261122-0000123 waybill 6012345678901",
		"01012340212 345 678",
		"02 1 010 1234 5678",
		"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := phone.MaskIn(in)
		if len(out) != len(in) {
			t.Fatalf("MaskIn changed the length: %q -> %q", in, out)
		}
		for i := 0; i < len(in); i++ {
			if in[i] != out[i] && !(isASCIIDigit(in[i]) && out[i] == '*') {
				t.Fatalf("MaskIn changed byte %d (%q) which is not a digit: %q -> %q", i, in[i], in, out)
			}
		}
		for _, span := range mobileSpans(in) {
			if out[span[0]:span[1]] == in[span[0]:span[1]] {
				t.Fatalf("mobile number %q left unmasked in %q", in[span[0]:span[1]], out)
			}
		}
	})
}

func isASCIIDigit(c byte) bool { return c >= '0' && c <= '9' }

// mobileSpans finds, independently of MaskIn, every run of one to three whole digit groups joined
// by single '-', '.' or ' ' that Parse accepts as a mobile number.
func mobileSpans(s string) [][2]int {
	var spans [][2]int
	for start := 0; start < len(s); start++ {
		if !isASCIIDigit(s[start]) || (start > 0 && isASCIIDigit(s[start-1])) {
			continue
		}
		end := start
		for groups := 0; groups < 3; groups++ {
			for end < len(s) && isASCIIDigit(s[end]) {
				end++
			}
			if n, err := phone.Parse(s[start:end]); err == nil && n.IsMobile() {
				spans = append(spans, [2]int{start, end})
			}
			if end+1 >= len(s) || !strings.ContainsRune("-. ", rune(s[end])) || !isASCIIDigit(s[end+1]) {
				break
			}
			end++
		}
	}
	return spans
}
