package epost

import (
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop"
	"golang.org/x/text/encoding/korean"
)

const manualKey = "1234567890abcdefghijkl"

func mustHex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	require.NoError(t, err)
	return b
}

// The KISA SEED-128 reference vectors (TTAS.KO-12.0004/R1, RFC 4269) and two KATs of the
// 검증기준, run through the codec's own ECB loop.
func TestSealKISAVectors(t *testing.T) {
	t.Parallel()
	cases := []struct{ key, plain, cipher string }{
		{"00000000000000000000000000000000", "000102030405060708090A0B0C0D0E0F", "5EBAC6E0054E166819AFF1CC6D346CDB"},
		{"000102030405060708090A0B0C0D0E0F", "00000000000000000000000000000000", "C11F22F20140505084483597E4370F43"},
		{"4706480851E61BE85D74BFB3FD956185", "83A2F8A288641FB9A4E9A5CC2F131C7D", "EE54D13EBCAE706D226BC3142CD40D4A"},
		{"28DBC3BC49FFD87DCFA509B11D422BE7", "B41E6BE2EBA84A148E2EED84593C5EC7", "9B9B7BFCD1813CB95D0B3618F40F5122"},
		{"9F3879B964CB88490000000000000000", "00000000000000000000000000000000", "9B48304CAAAE2AB1C5303CAA47069C4D"},
		{"A33C7DBD68CF8C4D0000000000000000", "00000000000000000000000000000000", "D62612F69BD9177C71E9EFBFD408078A"},
	}
	for _, tc := range cases {
		t.Run(tc.key, func(t *testing.T) {
			t.Parallel()
			codec, fe := newRegDataCodec(string(mustHex(t, tc.key)))
			require.Nil(t, fe)
			got := codec.seal(mustHex(t, tc.plain))
			assert.Equal(t, strings.ToLower(tc.cipher), hex.EncodeToString(got))
			codec.open(got)
			assert.Equal(t, strings.ToLower(tc.plain), hex.EncodeToString(got), "decrypts back")
		})
	}
}

func TestEncryptRegDataManualVector(t *testing.T) {
	t.Parallel()
	got, err := EncryptRegData(manualKey, "123abc가나다")
	require.NoError(t, err)
	assert.Equal(t, "8522ad534acc61cb88090b7e62c5183b", got)

	for _, in := range []string{got, strings.ToUpper(got), " " + got + "\n"} {
		plain, err := DecryptRegData(manualKey, in)
		require.NoError(t, err)
		assert.Equal(t, "123abc가나다", plain)
	}
}

// The manual's EUC-KR column: 13 bytes, zero-padded to one block.
func TestSealManualEUCKRVector(t *testing.T) {
	t.Parallel()
	euc, err := korean.EUCKR.NewEncoder().String("123abc가나다")
	require.NoError(t, err)
	require.Len(t, euc, 12)
	codec, fe := newRegDataCodec(manualKey)
	require.Nil(t, fe)
	assert.Equal(t, "bab8c52810fc5915fb7e896d6a4e2a5b", hex.EncodeToString(codec.seal([]byte(euc))))
}

func TestSecurityKeyLengths(t *testing.T) {
	t.Parallel()
	want, err := EncryptRegData(manualKey, "custNo=0001234567")
	require.NoError(t, err)
	for n := 16; n <= len(manualKey); n++ {
		got, err := EncryptRegData(manualKey[:n], "custNo=0001234567")
		require.NoError(t, err, "a %d-byte key is accepted", n)
		assert.Equal(t, want, got, "only the first 16 bytes count (n=%d)", n)
	}
	for _, short := range []string{"", "123", manualKey[:15]} {
		_, err := EncryptRegData(short, "x")
		require.Error(t, err)
		assert.ErrorIs(t, err, ErrSecurityKey)
		assert.ErrorIs(t, err, ErrInvalid)
		assert.NotContains(t, err.Error(), short+"x", "the key is not echoed")
		_, err = DecryptRegData(short, "8522ad534acc61cb88090b7e62c5183b")
		assert.ErrorIs(t, err, ErrSecurityKey)
	}
}

func TestEncryptRegDataPaddingAndLimits(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		plain   string
		hexLen  int
		wantErr error
	}{
		{"empty is one zero block", "", 32, nil},
		{"one byte", "a", 32, nil},
		{"exactly one block adds none", strings.Repeat("a", 16), 32, nil},
		{"17 bytes", strings.Repeat("a", 17), 64, nil},
		{"2000 bytes fit 4000 characters", strings.Repeat("a", 2000), 4000, nil},
		{"2001 bytes do not", strings.Repeat("a", 2001), 0, ErrRegDataTooLong},
		{"NUL refused", "a\x00b", 0, ErrInvalid},
		{"invalid UTF-8 refused", "a\xffb", 0, ErrInvalid},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := EncryptRegData(manualKey, tc.plain)
			if tc.wantErr != nil {
				require.ErrorIs(t, err, tc.wantErr)
				var ve *kshop.ValidationError
				require.ErrorAs(t, err, &ve)
				assert.Equal(t, "epost.EncryptRegData", ve.Op)
				assert.Equal(t, "regData", ve.Problems[0].Field)
				return
			}
			require.NoError(t, err)
			assert.Len(t, got, tc.hexLen)
			assert.Equal(t, strings.ToLower(got), got, "lowercase hex")
			back, err := DecryptRegData(manualKey, got)
			require.NoError(t, err)
			assert.Equal(t, tc.plain, back)
		})
	}
}

func TestDecryptRegDataErrors(t *testing.T) {
	t.Parallel()
	cases := []struct{ name, in, reason string }{
		{"empty", "", "empty"},
		{"odd length", "8522ad534acc61cb88090b7e62c5183", "multiple of 32"},
		{"partial block", "8522ad534acc61cb", "multiple of 32"},
		{"not hex", strings.Repeat("zz", 16), "not hexadecimal"},
		{"wrong key", "8522ad534acc61cb88090b7e62c5183b", "wrong security key"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			key := manualKey
			if tc.name == "wrong key" {
				key = "abcdefghijkl1234567890"
			}
			_, err := DecryptRegData(key, tc.in)
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrCiphertext)
			var ce *CiphertextError
			require.True(t, errors.As(err, &ce))
			assert.Contains(t, ce.Reason, tc.reason)
		})
	}
}
