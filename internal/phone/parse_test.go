package phone_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop/internal/phone"
)

// validCases are real-format numbers of every kind and separator style. The subscriber digits
// are made up; the prefixes and lengths are the real ones.
var validCases = []struct {
	name, in, digits string
	kind             phone.Kind
	format, masked   string
}{
	// mobile, every separator style and international form
	{"mobile bare", "01012345678", "01012345678", phone.Mobile, "010-1234-5678", "010-****-5678"},
	{"mobile hyphens", "010-1234-5678", "01012345678", phone.Mobile, "010-1234-5678", "010-****-5678"},
	{"mobile dots", "010.1234.5678", "01012345678", phone.Mobile, "010-1234-5678", "010-****-5678"},
	{"mobile spaces", "010 1234 5678", "01012345678", phone.Mobile, "010-1234-5678", "010-****-5678"},
	{"mobile parentheses", "(010) 1234-5678", "01012345678", phone.Mobile, "010-1234-5678", "010-****-5678"},
	{"mobile odd grouping", "0101234 5678", "01012345678", phone.Mobile, "010-1234-5678", "010-****-5678"},
	{"mobile surrounding space", "  010-9876-5432\t", "01098765432", phone.Mobile, "010-9876-5432", "010-****-5432"},
	{"mobile no-break space", "010\u00a01234\u00a05678", "01012345678", phone.Mobile, "010-1234-5678", "010-****-5678"},
	{"mobile +82 spaced", "+82 10 1234 5678", "01012345678", phone.Mobile, "010-1234-5678", "010-****-5678"},
	{"mobile +82 hyphens", "+82 10-1234-5678", "01012345678", phone.Mobile, "010-1234-5678", "010-****-5678"},
	{"mobile +82 compact", "+821012345678", "01012345678", phone.Mobile, "010-1234-5678", "010-****-5678"},
	{"mobile +82-10", "+82-10-1234-5678", "01012345678", phone.Mobile, "010-1234-5678", "010-****-5678"},
	{"mobile +82 (0)", "+82 (0)10 1234 5678", "01012345678", phone.Mobile, "010-1234-5678", "010-****-5678"},
	{"mobile +82 with trunk", "+82 010-1234-5678", "01012345678", phone.Mobile, "010-1234-5678", "010-****-5678"},
	{"mobile 82 no plus", "82-10-1234-5678", "01012345678", phone.Mobile, "010-1234-5678", "010-****-5678"},
	{"mobile 82 compact", "821012345678", "01012345678", phone.Mobile, "010-1234-5678", "010-****-5678"},
	{"mobile space after plus", "+ 82 10 1234 5678", "01012345678", phone.Mobile, "010-1234-5678", "010-****-5678"},
	{"legacy 011 10 digits", "011-123-4567", "0111234567", phone.Mobile, "011-123-4567", "011-***-4567"},
	{"legacy 011 11 digits", "011-9123-4567", "01191234567", phone.Mobile, "011-9123-4567", "011-****-4567"},
	{"legacy 016", "016-234-5678", "0162345678", phone.Mobile, "016-234-5678", "016-***-5678"},
	{"legacy 017", "017.345.6789", "0173456789", phone.Mobile, "017-345-6789", "017-***-6789"},
	{"legacy 018", "0184567890", "0184567890", phone.Mobile, "018-456-7890", "018-***-7890"},
	{"legacy 019 11 digits", "019-2345-6789", "01923456789", phone.Mobile, "019-2345-6789", "019-****-6789"},
	// M2M
	{"m2m 012", "012-3456-7890", "01234567890", phone.M2M, "012-3456-7890", "012-****-7890"},
	// landlines
	{"seoul 7 digits", "02-123-4567", "021234567", phone.Landline, "02-123-4567", "02-***-4567"},
	{"seoul 8 digits", "02-1234-5678", "0212345678", phone.Landline, "02-1234-5678", "02-****-5678"},
	{"seoul parentheses", "(02) 123-4567", "021234567", phone.Landline, "02-123-4567", "02-***-4567"},
	{"seoul +82", "+82 2 1234 5678", "0212345678", phone.Landline, "02-1234-5678", "02-****-5678"},
	{"seoul +82 (0)", "+82 (0)2-123-4567", "021234567", phone.Landline, "02-123-4567", "02-***-4567"},
	{"gyeonggi 031", "031-123-4567", "0311234567", phone.Landline, "031-123-4567", "031-***-4567"},
	{"gyeonggi 031 8 digits", "031-1234-5678", "03112345678", phone.Landline, "031-1234-5678", "031-****-5678"},
	{"incheon 032", "032 987 6543", "0329876543", phone.Landline, "032-987-6543", "032-***-6543"},
	{"gangwon 033", "033-250-1234", "0332501234", phone.Landline, "033-250-1234", "033-***-1234"},
	{"chungnam 041", "041.550.1234", "0415501234", phone.Landline, "041-550-1234", "041-***-1234"},
	{"daejeon 042", "(042) 1234-5678", "04212345678", phone.Landline, "042-1234-5678", "042-****-5678"},
	{"chungbuk 043", "043-230-1234", "0432301234", phone.Landline, "043-230-1234", "043-***-1234"},
	{"sejong 044", "044-300-1234", "0443001234", phone.Landline, "044-300-1234", "044-***-1234"},
	{"busan 051", "051-123-4567", "0511234567", phone.Landline, "051-123-4567", "051-***-4567"},
	{"ulsan 052", "052-229-1234", "0522291234", phone.Landline, "052-229-1234", "052-***-1234"},
	{"daegu 053", "053-803-1234", "0538031234", phone.Landline, "053-803-1234", "053-***-1234"},
	{"gyeongbuk 054", "054-880-1234", "0548801234", phone.Landline, "054-880-1234", "054-***-1234"},
	{"gyeongnam 055", "055-211-1234", "0552111234", phone.Landline, "055-211-1234", "055-***-1234"},
	{"gwangju 062", "062-613-1234", "0626131234", phone.Landline, "062-613-1234", "062-***-1234"},
	{"jeonbuk 063", "063-280-1234", "0632801234", phone.Landline, "063-280-1234", "063-***-1234"},
	{"jeju 064", "064 710 1234", "0647101234", phone.Landline, "064-710-1234", "064-***-1234"},
	{"jeonnam 061", "+82 61 286 1234", "0612861234", phone.Landline, "061-286-1234", "061-***-1234"},
	// VoIP
	{"voip 070", "070-1234-5678", "07012345678", phone.VoIP, "070-1234-5678", "070-****-5678"},
	{"voip +82", "+82 70 8765 4321", "07087654321", phone.VoIP, "070-8765-4321", "070-****-4321"},
	// 050x safe numbers
	{"safe 0505 11 digits", "0505-123-4567", "05051234567", phone.Personal, "0505-123-4567", "0505-***-4567"},
	{"safe 0504 12 digits", "0504-1234-5678", "050412345678", phone.Personal, "0504-1234-5678", "0504-****-5678"},
	{"safe 0507 bare", "050712345678", "050712345678", phone.Personal, "0507-1234-5678", "0507-****-5678"},
	{"safe +82", "+82 502 123 4567", "05021234567", phone.Personal, "0502-123-4567", "0502-***-4567"},
	// representative numbers
	{"uan 1588", "1588-1234", "15881234", phone.Representative, "1588-1234", "1588-****"},
	{"uan 1544 bare", "15441234", "15441234", phone.Representative, "1544-1234", "1544-****"},
	{"uan 1600 dots", "1600.5678", "16005678", phone.Representative, "1600-5678", "1600-****"},
	{"uan 1899 +82", "+82 1899-0000", "18990000", phone.Representative, "1899-0000", "1899-****"},
	{"uan 1666 spaces", "1666 8888", "16668888", phone.Representative, "1666-8888", "1666-****"},
	// toll free and premium
	{"toll free 080", "080-123-4567", "0801234567", phone.TollFree, "080-123-4567", "080-***-4567"},
	{"toll free +82", "+82 80 023 4567", "0800234567", phone.TollFree, "080-023-4567", "080-***-4567"},
	{"premium 060", "060-700-1234", "0607001234", phone.Premium, "060-700-1234", "060-***-1234"},
}

func TestParseValid(t *testing.T) {
	t.Parallel()
	for _, tc := range validCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			n, err := phone.Parse(tc.in)
			require.NoError(t, err)
			assert.Equal(t, tc.digits, n.Digits())
			assert.Equal(t, tc.kind, n.Kind())
			assert.Equal(t, tc.format, n.Format())
			assert.Equal(t, tc.masked, n.Masked())
			assert.Equal(t, tc.kind == phone.Mobile, n.IsMobile())
			assert.False(t, n.IsZero())

			wantE164 := "+82" + strings.TrimPrefix(tc.digits, "0")
			assert.Equal(t, wantE164, n.E164())

			norm, err := phone.Normalize(tc.in)
			require.NoError(t, err)
			assert.Equal(t, tc.digits, norm)

			// Every output form parses back to the same number.
			for _, form := range []string{n.Format(), n.E164(), n.Digits()} {
				again, err := phone.Parse(form)
				require.NoError(t, err, "re-parsing %s", form)
				assert.Equal(t, n, again)
			}
			assert.Equal(t, tc.masked, phone.Mask(tc.in))
		})
	}
}

// invalidCases cover every Reason; "masked" is the exact Error.Masked expected.
var invalidCases = []struct {
	name, in string
	reason   phone.Reason
	masked   string
}{
	{"empty", "", phone.Empty, ""},
	{"blank", "   ", phone.Empty, "***"},
	{"separators only", "--.()", phone.Empty, "***"},
	{"plus only", "+", phone.Empty, "***"},
	{"letters", "010-1234-abcd", phone.Letters, "***"},
	{"extension", "02-123-4567 ext 12", phone.Letters, "*******6712"},
	{"hangul note", "010-1234-5678(집)", phone.Letters, "*******5678"},
	{"hangul only", "없음", phone.Letters, "***"},
	{"slash", "010/1234/5678", phone.SpecialCharacters, "*******5678"},
	{"comma", "010,1234,5678", phone.SpecialCharacters, "*******5678"},
	{"plus in the middle", "010+1234+5678", phone.SpecialCharacters, "*******5678"},
	{"double plus", "++82 10 1234 5678", phone.SpecialCharacters, "********5678"},
	{"full-width digits", "０１０-1234-5678", phone.SpecialCharacters, "****5678"},
	{"en dash", "010–1234–5678", phone.SpecialCharacters, "*******5678"},
	{"invalid utf-8", "010\xff12345678", phone.SpecialCharacters, "*******5678"},
	{"colon", "tel:01012345678", phone.Letters, "*******5678"},
	{"hash", "#01012345678", phone.SpecialCharacters, "*******5678"},
	{"foreign +1", "+1 415 555 0100", phone.CountryCode, "*******0100"},
	{"foreign +81", "+81 90 1234 5678", phone.CountryCode, "********5678"},
	{"plus 8 only", "+8", phone.CountryCode, "***"},
	{"82 only", "+82", phone.Length, "***"},
	{"010 10 digits", "010-123-4567", phone.Length, "******4567"},
	{"010 12 digits", "010-1234-56789", phone.Length, "********6789"},
	{"mobile too short", "010-1234", phone.Length, "***"},
	{"011 9 digits", "011-12-3456", phone.Length, "*****3456"},
	{"011 12 digits", "011-12345-6789", phone.Length, "********6789"},
	{"seoul 6 digits subscriber", "02-12-3456", phone.Length, "****3456"},
	{"seoul too long", "02-12345-6789", phone.Length, "*******6789"},
	{"area too short", "031-12-3456", phone.Length, "*****3456"},
	{"area too long", "031-12345-6789", phone.Length, "********6789"},
	{"voip short", "070-123-4567", phone.Length, "******4567"},
	{"safe number short", "0505-12-3456", phone.Length, "******3456"},
	{"safe number long", "0505-12345-6789", phone.Length, "*********6789"},
	{"uan long", "1588-12345", phone.Length, "*****2345"},
	{"uan short", "1588-123", phone.Length, "***"},
	{"uan prefix only", "158", phone.Length, "***"},
	{"toll free long", "080-1234-5678", phone.Length, "*******5678"},
	{"premium long", "060-7000-1234", phone.Length, "*******1234"},
	{"single zero", "0", phone.Length, "***"},
	{"013", "013-1234-5678", phone.UnknownPrefix, "*******5678"},
	{"014", "014-123-4567", phone.UnknownPrefix, "******4567"},
	{"015 pager", "015-123-4567", phone.UnknownPrefix, "******4567"},
	{"030", "030-123-4567", phone.UnknownPrefix, "******4567"},
	{"035", "035-123-4567", phone.UnknownPrefix, "******4567"},
	{"045", "045-123-4567", phone.UnknownPrefix, "******4567"},
	{"056", "056-123-4567", phone.UnknownPrefix, "******4567"},
	{"065", "065-123-4567", phone.UnknownPrefix, "******4567"},
	{"071", "071-1234-5678", phone.UnknownPrefix, "*******5678"},
	{"081 carrier code", "081-123-4567", phone.UnknownPrefix, "******4567"},
	{"09x", "090-1234-5678", phone.UnknownPrefix, "*******5678"},
	{"international 00", "0082-10-1234-5678", phone.UnknownPrefix, "**********5678"},
	{"uan unassigned", "1555-1234", phone.UnknownPrefix, "****1234"},
	{"starts with 9", "9123-4567", phone.UnknownPrefix, "****4567"},
	{"starts with 8 not 82", "8312345678", phone.UnknownPrefix, "******5678"},
	{"seoul subscriber 0", "02-012-3456", phone.InvalidSubscriber, "*****3456"},
	{"area subscriber 0", "031-0123-4567", phone.InvalidSubscriber, "*******4567"},
	{"premium subscriber 1", "060-123-4567", phone.InvalidSubscriber, "******4567"},
	{"placeholder zeros", "010-0000-0000", phone.RepeatedDigits, "*******0000"},
	{"placeholder ones", "010-1111-1111", phone.RepeatedDigits, "*******1111"},
	{"placeholder voip", "070-7777-7777", phone.RepeatedDigits, "*******7777"},
	{"missing trunk mobile", "1012345678", phone.MissingTrunkZero, "******5678"},
	{"missing trunk seoul", "2-1234-5678", phone.MissingTrunkZero, "*****5678"},
	{"missing trunk 016 looks like uan", "1600-123-456", phone.MissingTrunkZero, "******3456"},
	{"long digit string", "0101234567801012345678", phone.Length, "******************5678"},
}

func TestParseInvalid(t *testing.T) {
	t.Parallel()
	for _, tc := range invalidCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			n, err := phone.Parse(tc.in)
			require.Error(t, err)
			assert.True(t, n.IsZero())
			assert.ErrorIs(t, err, phone.ErrInvalid)

			var perr *phone.Error
			require.True(t, errors.As(err, &perr))
			assert.Equal(t, tc.reason, perr.Reason, "reason %s", perr.Reason)
			assert.Equal(t, tc.masked, perr.Masked)
			assert.Contains(t, err.Error(), tc.reason.String())

			// PII: the error text never contains the input's digits when there are more than 4.
			if d := digitsOf(tc.in); len(d) > 4 {
				assert.NotContains(t, err.Error(), d)
				assert.NotContains(t, err.Error(), strings.TrimSpace(tc.in))
			}

			norm, err := phone.Normalize(tc.in)
			assert.ErrorIs(t, err, phone.ErrInvalid)
			assert.Empty(t, norm)
			assert.Equal(t, tc.masked, phone.Mask(tc.in))
		})
	}
}

func digitsOf(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

func TestCaseCount(t *testing.T) {
	t.Parallel()
	assert.GreaterOrEqual(t, len(validCases)+len(invalidCases), 60)
}

func TestZeroNumber(t *testing.T) {
	t.Parallel()
	var n phone.Number
	assert.True(t, n.IsZero())
	assert.Equal(t, phone.Unknown, n.Kind())
	assert.False(t, n.IsMobile())
	for _, s := range []string{n.Digits(), n.Format(), n.Masked(), n.E164(), n.String()} {
		assert.Empty(t, s)
	}
}

func TestNumberNeverPrintsDigits(t *testing.T) {
	t.Parallel()
	n, err := phone.Parse("010-1234-5678")
	require.NoError(t, err)
	assert.Equal(t, "010-****-5678", n.String())
	assert.Equal(t, "010-****-5678", n.LogValue().String())
}

func TestKindString(t *testing.T) {
	t.Parallel()
	want := map[phone.Kind]string{
		phone.Unknown: "unknown", phone.Mobile: "mobile", phone.Landline: "landline", phone.VoIP: "voip",
		phone.Personal: "personal", phone.Representative: "representative", phone.TollFree: "toll-free",
		phone.Premium: "premium", phone.M2M: "m2m", phone.Kind(99): "unknown",
	}
	for k, s := range want {
		assert.Equal(t, s, k.String())
	}
}

func TestReasonString(t *testing.T) {
	t.Parallel()
	seen := map[string]phone.Reason{}
	for r := phone.Empty; r <= phone.MissingTrunkZero; r++ {
		s := r.String()
		assert.NotEqual(t, "invalid", s, "reason %d has no text", int(r))
		_, dup := seen[s]
		assert.False(t, dup, "reason text %q used twice", s)
		seen[s] = r
	}
	assert.Equal(t, "invalid", phone.Reason(0).String())
}

func TestErrorIsOnlyErrInvalid(t *testing.T) {
	t.Parallel()
	_, err := phone.Parse("010")
	require.Error(t, err)
	assert.ErrorIs(t, err, phone.ErrInvalid)
	assert.NotErrorIs(t, err, errors.New("phone: invalid number"))
}
