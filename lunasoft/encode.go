package lunasoft

import (
	"strconv"
	"unicode/utf8"

	"github.com/kshop-dev/kshop/internal/wire"
)

// appendMessage appends the n-th message of a request, with its fields in the order of
// Lunasoft's manual table.
func appendMessage(b []byte, n int, wm *wireMessage) []byte {
	m := wm.m
	b = append(b, `{"no":"`...)
	b = strconv.AppendInt(b, int64(n), 10)
	b = append(b, '"')
	if !wm.appUserOnly {
		b = field(b, "tel_num", m.To)
	}
	if wm.appUserID != "" {
		b = field(b, "app_user_id", wm.appUserID)
	}
	if !m.ScheduledAt.IsZero() {
		b = append(b, `,"reserve_time":"`...)
		b = wire.AppendKST(b, m.ScheduledAt, wire.LayoutDateTime)
		b = append(b, '"')
	}
	b = field(b, "custom_key", m.Ref)
	b = append(b, `,"msg_content":`...)
	text := len(b)
	b = appendValidString(b, m.Text) // Prepare refuses a text that is not valid UTF-8
	end := len(b)
	sms, use := m.Text, `"0"`
	if m.Failover != nil {
		sms, use = m.Failover.Content, `"1"`
	}
	b = append(b, `,"sms_content":`...)
	if sms == m.Text {
		b = append(b, b[text:end]...) // the same text, escaped once
	} else {
		b = appendString(b, sms)
	}
	b = append(b, `,"use_sms":`...)
	b = append(b, use...)
	if wm.carrier != 0 {
		b = field(b, "carrier_code", wm.carrier.String())
	}
	if wm.invoice != "" {
		b = field(b, "invoice_number", wm.invoice)
	}
	if wm.sendPrice {
		b = append(b, `,"price":`...)
		b = strconv.AppendInt(b, wm.price, 10)
	}
	if wm.currency != "" {
		b = field(b, "currency_code", wm.currency)
	}
	if m.Title != "" {
		b = field(b, "title", m.Title)
	}
	if wm.hasButtonURLs {
		b = append(b, `,"btn_url":[`...)
		for i, bt := range m.Buttons {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"url_pc":`...)
			b = appendString(b, bt.URLPC)
			b = append(b, `,"url_mobile":`...)
			b = appendString(b, bt.URLMobile)
			b = append(b, `,"scheme_android":`...)
			b = appendString(b, bt.SchemeAndroid)
			b = append(b, `,"scheme_ios":`...)
			b = appendString(b, bt.SchemeIOS)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	return append(b, '}')
}

// field appends `,"name":"value"`.
func field(b []byte, name, value string) []byte {
	b = append(b, ',', '"')
	b = append(b, name...)
	b = append(b, '"', ':')
	return appendString(b, value)
}

const hexDigits = "0123456789abcdef"

// plainByte marks the bytes appendString copies as they are: printable ASCII other than '"'
// and '\\', and every byte of a multi-byte character except 0xE2, which starts U+2028 and
// U+2029.
var plainByte = func() (t [256]bool) {
	for c := 0x20; c < 256; c++ {
		t[c] = c != '"' && c != '\\' && c != 0xE2
	}
	return t
}()

// appendString appends s as a JSON string, as encoding/json writes it without HTML escaping:
// quotes, backslashes and control characters escaped, invalid UTF-8 replaced by U+FFFD, and
// U+2028 and U+2029 escaped.
func appendString(b []byte, s string) []byte {
	if !utf8.ValidString(s) {
		return appendStringSlow(b, s)
	}
	return appendValidString(b, s)
}

// appendValidString is appendString for s known to be valid UTF-8 (checked before, as
// alimtalk.Message.Prepare checks a message's text). Should s hold invalid UTF-8 after all,
// its bytes are copied as they are, never read out of range.
func appendValidString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if plainByte[c] {
			continue
		}
		if c == 0xE2 {
			if i+2 >= len(s) || s[i+1] != 0x80 || s[i+2]&^1 != 0xA8 {
				continue
			}
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[s[i+2]&1+8])
			i += 2
			start = i + 1
			continue
		}
		b = append(b, s[start:i]...)
		b = appendEscaped(b, c)
		start = i + 1
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// appendEscaped appends the JSON escape of an ASCII byte: a quote, a backslash or a control
// character.
func appendEscaped(b []byte, c byte) []byte {
	switch c {
	case '"', '\\':
		return append(b, '\\', c)
	case '\n':
		return append(b, '\\', 'n')
	case '\r':
		return append(b, '\\', 'r')
	case '\t':
		return append(b, '\\', 't')
	case '\b':
		return append(b, '\\', 'b')
	case '\f':
		return append(b, '\\', 'f')
	}
	return append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
}

// appendStringSlow is appendString for a string that is not valid UTF-8, decoding it rune by
// rune.
func appendStringSlow(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			b = appendEscaped(b, c)
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
