package wire

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCodeDecodesStringsNumbersAndNull(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in   string
		want Code
	}{
		{`"200"`, "200"},
		{`200`, "200"},
		{`"0"`, "0"},
		{`0`, "0"},
		{`"0000"`, "0000"},
		{`2e2`, "200"},
		{`200.0`, "200"},
		{`-1`, "-1"},
		{`null`, ""},
		{`"LS0000"`, "LS0000"},
		{` 3016 `, "3016"},
		{`true`, "true"},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			var c Code
			require.NoError(t, json.Unmarshal([]byte(tc.in), &c))
			assert.Equal(t, tc.want, c)
		})
	}
}

func TestCodeRejectsObjectsAndArrays(t *testing.T) {
	t.Parallel()
	for _, in := range []string{`{}`, `[1]`, `{"code":1}`} {
		var c Code
		err := json.Unmarshal([]byte(in), &c)
		require.Error(t, err, in)
		assert.Contains(t, err.Error(), "want a string or a number")
	}
}

func TestCodeInsideEnvelope(t *testing.T) {
	t.Parallel()
	var env struct {
		Code  Code   `json:"code"`
		Error string `json:"error"`
	}
	require.NoError(t, json.Unmarshal([]byte(`{"code":200,"error":""}`), &env))
	assert.True(t, env.Code.Is("200"))
	require.NoError(t, json.Unmarshal([]byte(`{"code":"401","error":"x"}`), &env))
	assert.False(t, env.Code.Is("200"))
	assert.True(t, env.Code.Is("400", "401"))
}

func TestCodeIsComparesNumbersByValue(t *testing.T) {
	t.Parallel()
	assert.True(t, Code("0").Is("0"))
	assert.True(t, Code("0000").Is("0"))
	assert.True(t, Code("200").Is("200"))
	assert.False(t, Code("LS0000").Is("0"))
	assert.False(t, Code("").Is("0"))
	assert.True(t, Code("").Is(""))
}

func TestFlexString(t *testing.T) {
	t.Parallel()
	var v struct {
		ID FlexString `json:"template_id"`
	}
	require.NoError(t, json.Unmarshal([]byte(`{"template_id":50034}`), &v))
	assert.Equal(t, FlexString("50034"), v.ID)
	n, err := v.ID.Int()
	require.NoError(t, err)
	assert.EqualValues(t, 50034, n)

	require.NoError(t, json.Unmarshal([]byte(`{"template_id":"abc"}`), &v))
	_, err = v.ID.Int()
	require.Error(t, err)

	out, err := json.Marshal(FlexString("12"))
	require.NoError(t, err)
	assert.Equal(t, `"12"`, string(out))
}

func FuzzCodeUnmarshal(f *testing.F) {
	for _, s := range []string{`"200"`, `200`, `null`, `"0"`, `1e400`, `{"a":1}`, `[`, `"\u0000"`, `-0`, `9223372036854775808`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var c Code
		if err := c.UnmarshalJSON(data); err != nil {
			return
		}
		// A decoded code always re-decodes to itself when written as a JSON string.
		enc, err := json.Marshal(string(c))
		if err != nil {
			t.Fatalf("marshal: %v", err)
		}
		var back Code
		if err := json.Unmarshal(enc, &back); err != nil || back != c {
			t.Fatalf("round trip of %q gave %q, %v", c, back, err)
		}
		if !c.Is(string(c)) {
			t.Fatalf("%q is not itself", c)
		}
	})
}

// plainString is a shortcut for json.Unmarshal into a string: whenever it answers, the answer
// is json.Unmarshal's.
func FuzzPlainStringMatchesJSON(f *testing.F) {
	for _, s := range []string{`"abc"`, `"주문 접수"`, `""`, `"a\"b"`, `"a\\b"`, `"\u00e9"`, "\"\xff\"", "\"a\tb\"", `"a"b"`, `"`, `abc`, `"abc`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, ok := plainString(data)
		if !ok {
			return
		}
		var want string
		if err := json.Unmarshal(data, &want); err != nil {
			t.Fatalf("plainString took %q, which json.Unmarshal refuses: %v", data, err)
		}
		if got != want {
			t.Fatalf("plainString(%q) = %q, json.Unmarshal gives %q", data, got, want)
		}
	})
}

func TestPlainStringLeavesEscapesToJSON(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]bool{`"abc"`: true, `"주문"`: true, `""`: true, `"a\"b"`: false, `"\u00e9"`: false,
		"\"\xff\"": false, "\"a\tb\"": false, `"abc`: false, `abc"`: false, `"`: false} {
		_, ok := plainString([]byte(in))
		assert.Equal(t, want, ok, "%q", in)
	}
	s, err := flexText([]byte(`"a\u0041"`))
	require.NoError(t, err)
	assert.Equal(t, "aA", s, "an escape still decodes, through json.Unmarshal")
}

// Valid is json.Valid, faster: they agree on every input.
func FuzzValidMatchesJSON(f *testing.F) {
	for _, s := range []string{`{}`, `[]`, ` {"a":[1,2.5e-3,true,false,null,"x\u00e9\n"]} `, `{"a":1,}`, `[1,]`, `01`, `-`, `1.`,
		`1e`, `"\x"`, "\"\x01\"", "\"\xff\"", `{"a" 1}`, `{"a":1}{}`, `"\u12"`, `-0.0E+1`, `[[[[]]]]`, "\t\n\r 1 ", ``, ` `, `nul`, `truex`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if got, want := Valid(data), json.Valid(data); got != want {
			t.Fatalf("Valid(%q) = %v, json.Valid says %v", data, got, want)
		}
	})
}

func TestValidNestingLimit(t *testing.T) {
	t.Parallel()
	deep := func(n int) []byte {
		return []byte(strings.Repeat("[", n) + strings.Repeat("]", n))
	}
	for _, n := range []int{1, maxJSONDepth, maxJSONDepth + 1} {
		assert.Equal(t, json.Valid(deep(n)), Valid(deep(n)), "depth %d", n)
	}
	assert.True(t, Valid(deep(maxJSONDepth)))
	assert.False(t, Valid(deep(maxJSONDepth+1)), "deeper than encoding/json allows")
}
