package lunasoft

import (
	"strconv"
	"unicode/utf8"

	"github.com/kshop-dev/kshop/internal/wire"
)

// encode writes one send request: the credentials, template_id as a JSON number, and the
// messages with their fields in the order of Lunasoft's manual table.
func (c *Client) encode(id int64, wms []wireMessage) []byte {
	size := len(c.prefix) + 64
	for i := range wms {
		size += 2*len(wms[i].m.Text) + 256
	}
	b := make([]byte, 0, size)
	b = append(b, c.prefix...)
	b = append(b, `"template_id":`...)
	b = strconv.AppendInt(b, id, 10)
	b = append(b, `,"messages":[`...)
	for n := range wms {
		if n > 0 {
			b = append(b, ',')
		}
		b = appendMessage(b, n, &wms[n])
	}
	return append(b, "]}"...)
}

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
		b = field(b, "reserve_time", wire.FormatKST(m.ScheduledAt, wire.LayoutDateTime))
	}
	b = field(b, "custom_key", m.Ref)
	b = field(b, "msg_content", m.Text)
	sms, use := m.Text, "0"
	if m.Failover != nil {
		sms, use = m.Failover.Content, "1"
	}
	b = field(b, "sms_content", sms)
	b = field(b, "use_sms", use)
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

// appendString appends s as a JSON string, as encoding/json writes it without HTML escaping:
// quotes, backslashes and control characters escaped, invalid UTF-8 replaced by U+FFFD, and
// U+2028 and U+2029 escaped.
func appendString(b []byte, s string) []byte {
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
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
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
