package epost

import (
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop"
)

func TestPlaintextOrder(t *testing.T) {
	t.Parallel()
	l := fieldList{{"custNo", "0001234567"}, {"inqTelCn", ""}, {"recNm", "홍 길동"}, {"goodsNm", "셔츠 100% cotton+"}}
	assert.Equal(t, "custNo=0001234567&inqTelCn=&recNm=홍 길동&goodsNm=셔츠 100% cotton+", l.plaintext(),
		"items in order, nothing URL-escaped, empty kept items present")
}

// The item tables name every request field exactly once, with a unique wire key, so checking
// and encoding cannot drift apart.
func TestItemTablesCoverEveryField(t *testing.T) {
	t.Parallel()
	check := func(t *testing.T, typ reflect.Type, fields, keys []string) {
		t.Helper()
		want := map[string]bool{}
		for i := 0; i < typ.NumField(); i++ {
			want[typ.Field(i).Name] = true
		}
		seenField, seenKey := map[string]bool{}, map[string]bool{}
		for i, f := range fields {
			assert.True(t, want[f], "%s is not a field of %s", f, typ)
			assert.False(t, seenField[f], "%s twice", f)
			assert.False(t, seenKey[keys[i]], "%s twice", keys[i])
			seenField[f], seenKey[keys[i]] = true, true
		}
		for f := range want {
			assert.True(t, seenField[f], "%s.%s is in no table row", typ.Name(), f)
		}
	}
	names := func(n int, at func(int) (string, string)) ([]string, []string) {
		var fs, ks []string
		for i := range n {
			f, k := at(i)
			fs, ks = append(fs, f), append(ks, k)
		}
		return fs, ks
	}
	fs, ks := names(len(orderSpec.items), func(i int) (string, string) { return orderSpec.items[i].field, orderSpec.items[i].key })
	check(t, reflect.TypeFor[InsertOrderRequest](), fs, ks)
	assert.Len(t, fs, 43, "the manual's 42 items and the option")
	fs, ks = names(len(officeSpec.items), func(i int) (string, string) { return officeSpec.items[i].field, officeSpec.items[i].key })
	check(t, reflect.TypeFor[InsertOfficeRequest](), fs, ks)
	fs, ks = names(len(cancelSpec.items), func(i int) (string, string) { return cancelSpec.items[i].field, cancelSpec.items[i].key })
	check(t, reflect.TypeFor[GetResCancelCmdRequest](), fs, ks)
	fs, ks = names(len(resInfoSpec.items), func(i int) (string, string) { return resInfoSpec.items[i].field, resInfoSpec.items[i].key })
	check(t, reflect.TypeFor[GetResInfoRequest](), fs, ks)
}

func TestCheckItemKinds(t *testing.T) {
	t.Parallel()
	strictSettings, lenientSettings := defaultSettings(), defaultSettings()
	lenientSettings.sanitize = true
	strict := &Client{clientCore: &clientCore{s: &strictSettings}}
	lenient := &Client{clientCore: &clientCore{s: &lenientSettings}}
	cases := []struct {
		name    string
		c       *Client
		k       kind
		v       string
		want    string
		rule    kshop.Rule
		min     int
		max     int
		enum    []string
		require bool
	}{
		{"text ok", strict, kindText, "홍길동", "홍길동", "", 0, 9, nil, true},
		{"text too long", strict, kindText, "홍길동a", "", kshop.RuleTooLong, 0, 9, nil, false},
		{"text blank required", strict, kindText, " \r\n", "", kshop.RuleRequired, 0, 9, nil, true},
		{"text blank optional not sent", strict, kindText, " \r\n", "", "", 0, 9, nil, false},
		{"text ampersand", strict, kindText, "A&B", "", kshop.RuleNotAllowed, 0, 9, nil, false},
		{"text equals", strict, kindText, "a=b", "", kshop.RuleNotAllowed, 0, 9, nil, false},
		{"text CR LF", strict, kindText, "a\r\nb", "", kshop.RuleControlChars, 0, 9, nil, false},
		{"text ESC", strict, kindText, "a\x1bb", "", kshop.RuleControlChars, 0, 9, nil, false},
		{"text invalid UTF-8", strict, kindText, "\xff\xfe", "", kshop.RuleInvalidUTF8, 0, 9, nil, false},
		{"text sanitized", lenient, kindText, "A&B=C\r\n\x00", "A B C   ", "", 0, 9, nil, false},
		{"ident never sanitized", lenient, kindIdent, "ORD&1", "", kshop.RuleNotAllowed, 0, 50, nil, true},
		{"ident with LF", lenient, kindIdent, "ORD\n1", "", kshop.RuleControlChars, 0, 50, nil, true},
		{"digits letters", strict, kindDigits, "12ab", "", kshop.RuleFormat, 1, 10, nil, false},
		{"digits long", strict, kindDigits, "12345678901", "", kshop.RuleTooLong, 1, 10, nil, false},
		{"digits short", strict, kindDigits, "1234", "", kshop.RuleTooShort, 5, 5, nil, false},
		{"alnum Hangul", strict, kindAlnum, "공급지", "", kshop.RuleFormat, 0, 20, nil, false},
		{"enum", strict, kindEnum, "3", "", kshop.RuleNotAllowed, 0, 0, payTypes, true},
		{"date", strict, kindDate, "20240230", "", kshop.RuleFormat, 0, 0, nil, false},
		{"phone", strict, kindPhone, "+82 10-1234-5678", "01012345678", "", 0, 12, nil, false},
		{"phone bad", strict, kindPhone, "010-12-34", "", kshop.RuleFormat, 0, 12, nil, false},
		{"phone hyphen", strict, kindPhoneHyphen, "0611234-5678", "061-1234-5678", "", 0, 14, nil, false},
		{"int range", strict, kindInt, "31", "", kshop.RuleRange, 1, 30, nil, false},
		{"int negative", strict, kindInt, "-1", "", kshop.RuleRange, 1, 30, nil, false},
	}
	for _, tc := range cases {
		var p problems
		got, ok := tc.c.checkItem(&p, "F", "f", tc.k, tc.require, tc.min, tc.max, tc.enum, tc.v)
		if tc.rule == "" {
			require.True(t, ok, tc.name)
			assert.Empty(t, p.list, tc.name)
			assert.Equal(t, tc.want, got, tc.name)
			continue
		}
		require.False(t, ok, tc.name)
		require.Len(t, p.list, 1, tc.name)
		assert.Equal(t, tc.rule, p.list[0].Rule, tc.name)
		assert.Equal(t, "F", p.list[0].Field)
		assert.Equal(t, "f", p.list[0].Key)
		if len(tc.v) > 2 {
			assert.NotContains(t, p.list[0].Error(), tc.v, "%s: the value is not echoed", tc.name)
		}
	}
}

func TestLengthRules(t *testing.T) {
	t.Parallel()
	s := "홍길동abc"
	assert.Equal(t, 12, LengthUTF8Bytes.Measure(s))
	assert.Equal(t, 9, LengthEUCKRBytes.Measure(s))
	assert.Equal(t, 6, LengthCharacters.Measure(s))
	assert.Equal(t, "UTF-8 bytes", LengthUTF8Bytes.String())
}
