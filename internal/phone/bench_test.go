package phone_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/kshop-dev/kshop/internal/phone"
)

func BenchmarkParse(b *testing.B) {
	for _, bc := range []struct{ name, in string }{
		{"bare", "01012345678"},
		{"hyphens", "010-1234-5678"},
		{"international", "+82 (0)10 1234 5678"},
		{"landline", "(02) 123-4567"},
		{"representative", "1588-1234"},
		{"invalid", "010-123-456"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_, _ = phone.Parse(bc.in)
			}
		})
	}
}

func BenchmarkFormat(b *testing.B) {
	n, _ := phone.Parse("010-1234-5678")
	b.ReportAllocs()
	for b.Loop() {
		_ = n.Format()
	}
}

// A typical AlimTalk send body: two phone numbers among ids, amounts and timestamps.
var benchBodyWithPhones = `{"senderkey":"4f1c2e3d5a6b7c8d9e0f","tmplCd":"ORDER_SHIPPED","msgs":[` +
	`{"phn":"01012345678","msg":"[kshop] 주문 20261122-0000123 상품이 발송되었습니다. 운송장 6012345678901",` +
	`"amount":31000,"fail_phn":"010-9876-5432","reserve":"20261122103000","ts":1763798400}]}`

var benchBodyNoPhones = strings.NewReplacer("01012345678", "A1B2C3D4E5F", "010-9876-5432", "X-Y-Z").Replace(benchBodyWithPhones)

// naiveMobileMask is the obvious regexp approach, as a baseline for the ratio: it only knows
// 01X mobile numbers and masks digits inside waybills too.
var naiveMobilePattern = regexp.MustCompile(`(01[016-9])([-. ]?)(\d{3,4})([-. ]?)(\d{4})`)

func naiveMobileMask(s string) string {
	return naiveMobilePattern.ReplaceAllString(s, "$1$2****$4$5")
}

func BenchmarkMaskIn(b *testing.B) {
	large := strings.Repeat(benchBodyNoPhones, 30) + benchBodyWithPhones // about 8 KiB
	for _, bc := range []struct{ name, in string }{
		{"body-with-phones", benchBodyWithPhones},
		{"body-without-phones", benchBodyNoPhones},
		{"8KiB-body", large},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(bc.in)))
			for b.Loop() {
				_ = phone.MaskIn(bc.in)
			}
		})
		b.Run(bc.name+"/regexp-baseline", func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(bc.in)))
			for b.Loop() {
				_ = naiveMobileMask(bc.in)
			}
		})
	}
}

func BenchmarkMask(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = phone.Mask("010-1234-5678")
	}
}
