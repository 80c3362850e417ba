package ssoda

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"sync"
	"unicode/utf8"

	"github.com/kshop-dev/kshop"
)

// object builds a JSON object whose field names may be configured at run time (the inferred
// names of FieldNames), keeping the order fields were set in. A name of "" or "-" means "do
// not send this field". Setting a name twice replaces the earlier value, which is how Extra
// fields override the SDK's own.
//
// Values are appended to one buffer as they are set (a field is a name and a span of it).
// Request bodies (newBody) come from a pool and go back to it once encoded (roundTrip);
// encoding allocates only the body itself, which the transport keeps (it may still be writing
// it after Do returns), so that buffer is never reused.
type object struct {
	fields []field
	buf    []byte // the values, back to back
	pooled bool
}

type field struct {
	name       string
	start, end int // the value's span in buf
}

var objectPool = sync.Pool{New: func() any {
	return &object{fields: make([]field, 0, 16), buf: make([]byte, 0, 1024), pooled: true}
}}

// newObject returns an empty object for a nested value.
func newObject(capacity int) *object {
	return &object{fields: make([]field, 0, capacity), buf: make([]byte, 0, 32*capacity)}
}

// pooledObject returns an empty object from the pool, for a request body.
func pooledObject() *object { return objectPool.Get().(*object) }

// release returns a pooled object to the pool; o must not be used afterwards. Objects not
// from the pool are left to the GC.
func (o *object) release() {
	if !o.pooled || cap(o.buf) > 64<<10 || cap(o.fields) > 256 {
		return // an unusual body is not kept pooled
	}
	clear(o.fields) // drop the names' references
	o.fields, o.buf = o.fields[:0], o.buf[:0]
	objectPool.Put(o)
}

func skipped(name string) bool { return name == "" || name == "-" }

// set records that the value of name is buf[start:], replacing an earlier value of name.
func (o *object) set(name string, start int) {
	for i := range o.fields {
		if o.fields[i].name == name {
			o.fields[i].start, o.fields[i].end = start, len(o.buf)
			return
		}
	}
	o.fields = append(o.fields, field{name: name, start: start, end: len(o.buf)})
}

// raw sets name to an encoded JSON value.
func (o *object) raw(name string, value []byte) {
	if skipped(name) {
		return
	}
	start := len(o.buf)
	o.buf = append(o.buf, value...)
	o.set(name, start)
}

// str sets name to the string v.
func (o *object) str(name, v string) {
	if skipped(name) {
		return
	}
	start := len(o.buf)
	o.buf = appendJSONString(o.buf, v)
	o.set(name, start)
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
	start := len(o.buf)
	o.buf = strconv.AppendInt(o.buf, int64(v), 10)
	o.set(name, start)
}

// obj sets name to a nested object.
func (o *object) obj(name string, v *object) {
	if skipped(name) {
		return
	}
	start := len(o.buf)
	o.buf = v.appendTo(o.buf)
	o.set(name, start)
}

// array sets name to an array of objects.
func (o *object) array(name string, items []*object) {
	if skipped(name) {
		return
	}
	start := len(o.buf)
	o.buf = append(o.buf, '[')
	for i, it := range items {
		if i > 0 {
			o.buf = append(o.buf, ',')
		}
		o.buf = it.appendTo(o.buf)
	}
	o.buf = append(o.buf, ']')
	o.set(name, start)
}

// nested sets name to the object fill builds, in a pooled scratch object.
func (o *object) nested(name string, fill func(item *object)) {
	if skipped(name) {
		return
	}
	item := pooledObject()
	fill(item)
	o.obj(name, item)
	item.release()
}

// nestedArray sets name to a list of n objects that fill builds, one after another in one
// pooled scratch object.
func (o *object) nestedArray(name string, n int, fill func(i int, item *object)) {
	if skipped(name) {
		return
	}
	item := pooledObject()
	start := len(o.buf)
	o.buf = append(o.buf, '[')
	for i := range n {
		if i > 0 {
			o.buf = append(o.buf, ',')
		}
		clear(item.fields)
		item.fields, item.buf = item.fields[:0], item.buf[:0]
		fill(i, item)
		o.buf = item.appendTo(o.buf)
	}
	o.buf = append(o.buf, ']')
	o.set(name, start)
	item.release()
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

// bytes encodes the object into a new slice of exactly its size.
func (o *object) bytes() []byte {
	size := 2
	for _, f := range o.fields {
		size += len(f.name) + 4 + f.end - f.start
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
		buf = append(buf, o.buf[f.start:f.end]...)
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
