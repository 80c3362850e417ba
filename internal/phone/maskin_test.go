package phone_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/kshop-dev/kshop/internal/phone"
)

func TestMaskInMasksNumbers(t *testing.T) {
	t.Parallel()
	cases := []struct{ name, in, want string }{
		{"json string", `{"phone":"01012345678"}`, `{"phone":"010****5678"}`},
		{"json hyphenated", `{"to":"010-1234-5678","n":1}`, `{"to":"010-****-5678","n":1}`},
		{"query value", "/send?to=010-1234-5678&x=1", "/send?to=010-****-5678&x=1"},
		{"e164", "recipient +821012345678", "recipient +8210****5678"},
		{"+82 spaced", "call +82 10 1234 5678 today", "call +82 10 **** 5678 today"},
		{"+82 (0)", "+82 (0)10 1234 5678", "+82 (0)10 **** 5678"},
		{"82 without plus", "82-10-1234-5678", "82-10-****-5678"},
		{"percent-encoded plus", "to=%2B821012345678", "to=%2B8210****5678"},
		{"form-encoded spaces", "to=010+1234+5678", "to=010+****+5678"},
		{"dots", "010.1234.5678", "010.****.5678"},
		{"seoul", "tel 02-123-4567.", "tel 02-***-4567."},
		{"seoul parentheses", "(02) 1234-5678", "(02) ****-5678"},
		{"area code", "매장 031-123-4567", "매장 031-***-4567"},
		{"voip", "070-1234-5678", "070-****-5678"},
		{"safe number", "안심번호 0505-123-4567", "안심번호 0505-***-4567"},
		{"safe number 12 digits", "050412345678", "0504****5678"},
		{"legacy 10 digits", "011-123-4567", "011-***-4567"},
		{"010 with 3-digit middle", "010-123-4567", "010-***-4567"},
		{"json number without trunk 0", `{"phone":1012345678}`, `{"phone":10****5678}`},
		{"korean sentence", "연락처는 010-1234-5678입니다", "연락처는 010-****-5678입니다"},
		{"after letters", "tel:01012345678", "tel:010****5678"},
		{"two numbers", "a 010-1111-2222 b 02-333-4444", "a 010-****-2222 b 02-***-4444"},
		{"adjacent numbers", "01012345678 01087654321", "010****5678 010****4321"},
		{"glued by separators", "02 1 010 1234 5678", "02 * *** **** 5678"},
		{"after a date", "2026-11-22 010-1234-5678", "2026-11-22 010-****-5678"},
		{"spaced hyphen", "010 - 1234 - 5678", "010 - **** - 5678"},
		{"toll free", "080-123-4567", "080-***-4567"},
		{"markdown bold", "**01012345678**", "**010****5678**"},
		{"m2m", "012-3456-7890", "012-****-7890"},
		{"premium", "060-700-1234", "060-***-1234"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := phone.MaskIn(tc.in)
			assert.Equal(t, tc.want, got)
			assert.Len(t, got, len(tc.in), "masking happens in place")
			assert.Equal(t, got, phone.MaskIn(got), "masking is idempotent")
		})
	}
}

func TestMaskInLeavesOtherNumbersAlone(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		"order 20261122-0000123",
		"waybill 6012345678901",
		"waybill 0101234567890", // 13 digits in one group: not a phone number
		"order no 2026112200001234",
		`{"amount":18000000,"qty":2}`,
		"date 2026-11-22 10:30:00",
		"date 20261122",
		"ts 1763798400",
		"ms 1763798400123",
		"price 31,000원",
		"uuid 550e8400-e29b-41d4-a716-446655440000",
		"ip 10.0.1.234",
		"business 123-45-67890",
		"representative 1588-1234",
		"version 1.25.0",
		"already masked 010-****-5678",
		"short 010-1234",
		"",
		"no digits at all",
	} {
		assert.Equal(t, in, phone.MaskIn(in))
	}
}

func TestMaskInNoAllocationWithoutNumbers(t *testing.T) {
	body := `{"order_id":"20261122-0000123","amount":31000,"items":[{"sku":"A-100","qty":2}],"ts":1763798400}`
	allocs := testing.AllocsPerRun(100, func() { _ = phone.MaskIn(body) })
	assert.Zero(t, allocs)
}

func TestParseNoAllocationOnSuccess(t *testing.T) {
	allocs := testing.AllocsPerRun(100, func() { _, _ = phone.Parse("+82 10-1234-5678") })
	assert.Zero(t, allocs)
}

func TestMask(t *testing.T) {
	t.Parallel()
	cases := []struct{ in, want string }{
		{"010-1234-5678", "010-****-5678"},
		{"+82 2 123 4567", "02-***-4567"},
		{"1588-1234", "1588-****"},
		{"010-123-4567", "******4567"},     // invalid: only the last 4 digits survive
		{"01012345", "****2345"},           // 8 digits: last 4 shown
		{"0101234", "***"},                 // fewer than 8 digits: nothing shown
		{"홍길동", "***"},                     // a name typed into a phone field
		{"+1 415 555 0100", "*******0100"}, // foreign numbers are masked too
		{"", ""},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, phone.Mask(tc.in), tc.in)
	}
}
