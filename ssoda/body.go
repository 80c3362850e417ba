package ssoda

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"unicode/utf8"

	"github.com/kshop-dev/kshop"
)

// object builds a JSON object whose field names may be configured at run time (the inferred
// names of FieldNames), keeping the order fields were set in. A name of "" or "-" means "do
// not send this field". Setting a name twice replaces the earlier value, which is how Extra
// fields override the SDK's own.
type object struct {
	fields []field
}

type field struct {
	name  string
	value []byte // raw JSON
}

func newObject(capacity int) *object { return &object{fields: make([]field, 0, capacity)} }

func skipped(name string) bool { return name == "" || name == "-" }

// raw sets name to an encoded JSON value.
func (o *object) raw(name string, value []byte) {
	if skipped(name) {
		return
	}
	for i := range o.fields {
		if o.fields[i].name == name {
			o.fields[i].value = value
			return
		}
	}
	o.fields = append(o.fields, field{name: name, value: value})
}

// str sets name to the string v.
func (o *object) str(name, v string) {
	if skipped(name) {
		return
	}
	o.raw(name, appendJSONString(nil, v))
}

// optStr sets name to v when v is not empty.
func (o *object) optStr(name, v string) {
	if v != "" {
		o.str(name, v)
	}
}

// int sets name to the number v.
func (o *object) int(name string, v int) {
	if skipped(name) {
		return
	}
	o.raw(name, strconv.AppendInt(nil, int64(v), 10))
}

// obj sets name to a nested object.
func (o *object) obj(name string, v *object) {
	if skipped(name) {
		return
	}
	o.raw(name, v.bytes())
}

// array sets name to an array of objects.
func (o *object) array(name string, items []*object) {
	if skipped(name) {
		return
	}
	buf := []byte{'['}
	for i, it := range items {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = it.appendTo(buf)
	}
	o.raw(name, append(buf, ']'))
}

// extra merges caller-supplied fields (for inferred endpoints whose field names may differ);
// they override fields of the same name. Keys are applied in sorted order so the body is
// deterministic.
func (o *object) extra(call string, m map[string]any) error {
	if len(m) == 0 {
		return nil
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if skipped(k) {
			continue
		}
		v, err := json.Marshal(m[k])
		if err != nil {
			return &kshop.ValidationError{Op: "ssoda." + call, Problems: []*kshop.FieldError{{Field: "Extra[" + strconv.Quote(k) + "]",
				Rule: kshop.RuleFormat, Detail: "cannot be encoded as JSON", Err: fmt.Errorf("%T", m[k])}}}
		}
		o.raw(k, v)
	}
	return nil
}

// bytes encodes the object.
func (o *object) bytes() []byte {
	size := 2
	for _, f := range o.fields {
		size += len(f.name) + len(f.value) + 4
	}
	return o.appendTo(make([]byte, 0, size))
}

func (o *object) appendTo(buf []byte) []byte {
	buf = append(buf, '{')
	for i, f := range o.fields {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = appendJSONString(buf, f.name)
		buf = append(buf, ':')
		buf = append(buf, f.value...)
	}
	return append(buf, '}')
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string. Unlike encoding/json it leaves <, > and & as
// they are (URLs stay readable in logs); invalid UTF-8 becomes U+FFFD, and U+2028/U+2029 are
// escaped so the body is also valid JavaScript.
func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		b := s[i]
		if b < utf8.RuneSelf {
			if b >= 0x20 && b != '"' && b != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '"', '\\':
				dst = append(dst, '\\', b)
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[b>>4], hexDigits[b&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
