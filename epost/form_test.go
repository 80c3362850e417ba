package epost

import (
	"encoding/hex"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The encrypted calls write their form by hand; it must be byte for byte what url.Values
// would encode, whatever clear parameters ride along.
func TestRegDataFormMatchesValuesEncode(t *testing.T) {
	t.Parallel()
	for _, apiKey := range []string{"APIKEY0123456789", "key+with/odd=chars&more"} {
		c, err := NewClient(Credentials{APIKey: apiKey, SecurityKey: manualKey, CustomerNo: "0001234567"})
		require.NoError(t, err)
		sealed, fe := c.codec.sealItems(fieldList{{"custNo", "0001234567"}, {"recNm", "홍길동"}})
		require.Nil(t, fe)
		for _, extra := range []url.Values{nil, {"option": {"001"}}, {"abc": {"1"}, "zz z": {"a&b", "c"}, "option": {""}}} {
			want := url.Values{"key": {apiKey}, "regData": {hex.EncodeToString(sealed)}}
			for k, vs := range extra {
				want[k] = vs
			}
			assert.Equal(t, want.Encode(), string(c.regDataForm(sealed, extra)), "extra %v", extra)
		}
	}
}

// sealItems encrypts exactly what plaintext() writes, and refuses what encrypt refuses.
func TestSealItemsIsEncryptOfPlaintext(t *testing.T) {
	t.Parallel()
	codec, fe := newRegDataCodec(manualKey)
	require.Nil(t, fe)
	for _, items := range []fieldList{nil, {{"a", ""}}, {{"custNo", "0001234567"}, {"inqTelCn", ""}, {"goodsNm", "셔츠 100% cotton+"}}} {
		sealed, fe := codec.sealItems(items)
		require.Nil(t, fe)
		want, fe := codec.encrypt(items.plaintext())
		require.Nil(t, fe)
		assert.Equal(t, want, hex.EncodeToString(sealed))
		assert.Len(t, items.plaintext(), items.plaintextLen())
	}
	_, fe = codec.sealItems(fieldList{{"a", "\x00"}})
	require.NotNil(t, fe)
	_, fe = codec.sealItems(fieldList{{"a", "\xff"}})
	require.NotNil(t, fe)
	big := make([]byte, MaxRegDataLen/2+1)
	for i := range big {
		big[i] = 'x'
	}
	_, fe = codec.sealItems(fieldList{{"a", string(big)}})
	require.NotNil(t, fe)
	assert.ErrorIs(t, fe, ErrRegDataTooLong)
}
