package wire

import (
	"strconv"
	"strings"
)

// Thousands writes n in decimal with a comma every three digits: 1234000 → "1,234,000",
// -1200 → "-1,200". Korean amounts of won are written this way (alimtalk.FormatWon adds "원").
func Thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	digits := strings.TrimPrefix(s, "-")
	var b strings.Builder
	b.Grow(len(s) + len(digits)/3)
	if len(digits) < len(s) {
		b.WriteByte('-')
	}
	for i := 0; i < len(digits); i++ {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteByte(digits[i])
	}
	return b.String()
}
