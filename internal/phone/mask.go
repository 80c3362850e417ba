package phone

// Mask masks one phone string for logs. A valid number comes back as its Masked form
// (010-****-5678). Anything else comes back in a safe form that keeps at most the last 4
// digits, and only when the input has at least 8 digits, so no more than half of any digit
// string is shown: "******4567" for "010-123-4567" with a digit missing, "***" when nothing
// can be shown. Mask never returns a digit-bearing input unchanged; it returns "" only for "".
func Mask(s string) string {
	if n, err := Parse(s); err == nil {
		return n.Masked()
	}
	return maskUnparsed(s)
}

// maskUnparsed is Mask for input Parse refused: every digit but the last 4 becomes '*', the
// other characters are dropped (they may be a name typed into a phone field).
func maskUnparsed(s string) string {
	if s == "" {
		return ""
	}
	digits := 0
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			digits++
		}
	}
	if digits < 8 {
		return "***"
	}
	out := make([]byte, 0, digits)
	seen := 0
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			continue
		}
		seen++
		if seen > digits-4 {
			out = append(out, s[i])
		} else {
			out = append(out, '*')
		}
	}
	return string(out)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
