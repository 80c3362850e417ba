package wire_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop/internal/wire"
)

var testEnvelope = map[string]bool{"code": true, "msg": true}

func TestParseRootRefusesWhatIsNotOneObject(t *testing.T) {
	t.Parallel()
	longKey := strings.Repeat("가", 20) // 60 bytes; a cut at 40 bytes splits a rune
	cases := []struct {
		name string
		body string
		want wire.DecodeProblem
	}{
		{"empty", "", wire.ProblemEmpty},
		{"only space and BOM", "\xef\xbb\xbf \n\t", wire.ProblemEmpty},
		{"duplicate key same case", `{"code":"500","code":"200"}`, `duplicate key "code"`},
		{"duplicate key other case", `{"code":"500","CODE":"200"}`, `duplicate key "CODE"`},
		{"duplicate non-envelope key other case", `{"Rows":[],"rows":[1]}`, `duplicate key "rows"`},
		{"duplicate long key is cut", `{"` + longKey + `":1,"` + longKey + `":2}`,
			wire.DecodeProblem(`duplicate key "` + strings.Repeat("가", 13) + `…"`)},
		{"truncated inside a value", `{"code":"20`, wire.ProblemTruncated},
		{"truncated after a value", `{"code":"200",`, wire.ProblemTruncated},
		{"truncated before the brace", `{"code":"200"`, wire.ProblemTruncated},
		{"malformed value", `{"code":20x}`, wire.ProblemMalformed},
		{"malformed key", `{code:1}`, wire.ProblemMalformed},
		{"text after the object", `{"code":0} {"code":1}`, wire.ProblemTrailing},
		{"array", `[{"code":0}]`, wire.ProblemNotJSON},
		{"plain text", `Service Unavailable`, wire.ProblemNotJSON},
		{"HTML page", "<!DOCTYPE html><html><body>502</body></html>", wire.ProblemHTML},
		{"HTML without doctype", "  <HTML><head></head></HTML>", wire.ProblemHTML},
		{"JSON string holding text", `"not an object"`, wire.ProblemNotJSON},
		{"JSON string holding a truncated object", `"{\"code\":"`, wire.ProblemTruncated},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			root, text, problem := wire.ParseRoot([]byte(tc.body), testEnvelope)
			assert.Equal(t, tc.want, problem)
			assert.Nil(t, root)
			assert.Nil(t, text)
		})
	}
}

func TestParseRootReadsEnvelopeKeysWhateverTheirCase(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		body     string
		wantText string
		wantKeys []string
	}{
		{"plain", `{"code":"0","msg":"ok"}`, `{"code":"0","msg":"ok"}`, []string{"code", "msg"}},
		{"envelope keys folded, others kept", "\xef\xbb\xbf {\"Code\":0,\"MSG\":\"ok\",\"Rows\":[]}\n",
			`{"Code":0,"MSG":"ok","Rows":[]}`, []string{"code", "msg", "Rows"}},
		{"double-encoded", `" {\"code\":0}"`, `{"code":0}`, []string{"code"}},
		{"empty object", `{}`, `{}`, []string{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			root, text, problem := wire.ParseRoot([]byte(tc.body), testEnvelope)
			require.Empty(t, problem)
			assert.Equal(t, tc.wantText, string(text))
			keys := make([]string, 0, len(root))
			for k := range root {
				keys = append(keys, k)
			}
			assert.ElementsMatch(t, tc.wantKeys, keys)
		})
	}
}

func TestParseRootNeverPanics(t *testing.T) {
	t.Parallel()
	for _, body := range []string{"{", "}", `{"a"`, `{"a":`, `{1:2}`, `{"a":1]`, "\"", "\xff\xfe", `{"a":"\ud800"}`} {
		assert.NotPanics(t, func() {
			root, _, problem := wire.ParseRoot([]byte(body), nil)
			assert.True(t, problem != "" || root != nil, "body %q", body)
		})
	}
}

func TestSyntaxProblem(t *testing.T) {
	t.Parallel()
	cases := []struct {
		err  error
		want wire.DecodeProblem
	}{
		{io.EOF, wire.ProblemTruncated},
		{io.ErrUnexpectedEOF, wire.ProblemTruncated},
		{fmt.Errorf("reading: %w", io.ErrUnexpectedEOF), wire.ProblemTruncated},
		{&json.SyntaxError{}, wire.ProblemMalformed},
		{errors.New("other"), wire.ProblemMalformed},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, wire.SyntaxProblem(tc.err), "%v", tc.err)
	}
}

func TestLooksHTML(t *testing.T) {
	t.Parallel()
	cases := []struct {
		body string
		want bool
	}{
		{"<!doctype html><title>x</title>", true},
		{"<!DOCTYPE HTML PUBLIC>", true},
		{"<?xml version=\"1.0\"?><html xmlns=\"x\">", true},
		{"<head><title>502</title></head>", true},
		{"<BODY>Bad Gateway</BODY>", true},
		{strings.Repeat(" ", 250) + "<html>", true},
		{strings.Repeat(" ", 256) + "<html>", false}, // past the first 256 bytes
		{`{"msg":"<html>"}`, true},                   // the head is searched, whatever it is
		{`{"msg":"<body>"}`, false},
		{"<xml/>", false},
		{"", false},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, wire.LooksHTML([]byte(tc.body)), "%q", tc.body)
	}
}

func TestCapBody(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		body  string
		limit int
		want  string
	}{
		{"short", "abc", 4, "abc"},
		{"exact", "abcd", 4, "abcd"},
		{"cut", "abcdef", 4, "abcd"},
		{"cut at a rune boundary", "ab가나", 4, "ab"},
		{"cut after a rune", "ab가나", 5, "ab가"},
		{"empty", "", 4, ""},
		{"zero limit", "abc", 0, ""},
	}
	for _, tc := range cases {
		got := wire.CapBody([]byte(tc.body), tc.limit)
		assert.Equal(t, tc.want, string(got), tc.name)
		assert.True(t, utf8.Valid(got), tc.name)
	}
	src := []byte("abc")
	got := wire.CapBody(src, 10)
	got[0] = 'x'
	assert.Equal(t, "abc", string(src), "CapBody must copy")
}

func TestIsNull(t *testing.T) {
	t.Parallel()
	cases := []struct {
		raw  string
		want bool
	}{
		{"null", true},
		{" null\n", true},
		{`"null"`, false},
		{"", false},
		{"nul", false},
		{"0", false},
		{"{}", false},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, wire.IsNull(json.RawMessage(tc.raw)), "%q", tc.raw)
	}
}

func TestParseObjectAndArray(t *testing.T) {
	t.Parallel()
	cases := []struct {
		raw       string
		wantObj   bool
		wantArr   bool
		arrLength int
	}{
		{`{"a":1}`, true, false, 0},
		{` {} `, true, false, 0},
		{`[1,2]`, false, true, 2},
		{` [] `, false, true, 0},
		{`null`, false, false, 0},
		{``, false, false, 0},
		{`"{}"`, false, false, 0},
		{`{"a":`, false, false, 0},
		{`[1,`, false, false, 0},
		{`7`, false, false, 0},
	}
	for _, tc := range cases {
		o, ok := wire.ParseObject(json.RawMessage(tc.raw))
		assert.Equal(t, tc.wantObj, ok, "object %q", tc.raw)
		assert.Equal(t, tc.wantObj, o != nil, "object %q", tc.raw)
		a, ok := wire.ParseArray(json.RawMessage(tc.raw))
		assert.Equal(t, tc.wantArr, ok, "array %q", tc.raw)
		assert.Len(t, a, tc.arrLength, "array %q", tc.raw)
	}
}

func TestObjectReaders(t *testing.T) {
	t.Parallel()
	o, ok := wire.ParseObject(json.RawMessage(`{
		"null": null, "empty": "", "space": "  hi  ", "num": 1003, "bool": false,
		"obj": {"k": "v"}, "arr": [1, 2], "emptyArr": [], "badArr": "[1]"
	}`))
	require.True(t, ok)

	strCases := []struct {
		keys []string
		want string
	}{
		{[]string{"space"}, "hi"},
		{[]string{"num"}, "1003"},
		{[]string{"bool"}, "false"},
		{[]string{"null", "empty", "missing", "num"}, "1003"}, // null, "" and absent are skipped
		{[]string{"obj", "arr", "space"}, "hi"},               // objects and arrays are not text
		{[]string{"null", "empty"}, ""},
		{nil, ""},
	}
	for _, tc := range strCases {
		assert.Equal(t, tc.want, o.Str(tc.keys...), "Str(%q)", tc.keys)
	}

	assert.Nil(t, o.Obj("null", "arr", "space", "missing"))
	assert.Equal(t, wire.Object{"k": json.RawMessage(`"v"`)}, o.Obj("null", "obj"))

	rows, ok := o.Arr("null", "badArr", "emptyArr", "arr")
	assert.True(t, ok, "an empty array counts")
	assert.Empty(t, rows)
	rows, ok = o.Arr("null", "obj", "arr")
	assert.True(t, ok)
	assert.Len(t, rows, 2)
	rows, ok = o.Arr("null", "badArr", "missing")
	assert.False(t, ok)
	assert.Nil(t, rows)

	var none wire.Object
	assert.Equal(t, "", none.Str("a"))
	assert.Nil(t, none.Obj("a"))
	_, ok = none.Arr("a")
	assert.False(t, ok)
}

// A relay that repeats the result code cannot turn a refusal into a success.
func ExampleParseRoot() {
	envelope := map[string]bool{"code": true, "msg": true}
	_, _, problem := wire.ParseRoot([]byte(`{"code":"1003","Code":"0"}`), envelope)
	fmt.Println(problem)

	root, _, _ := wire.ParseRoot([]byte(`{"CODE":0,"msg":{"text":"accepted"}}`), envelope)
	fmt.Println(root.Str("code"), root.Obj("msg").Str("text"))
	// Output:
	// duplicate key "Code"
	// 0 accepted
}
