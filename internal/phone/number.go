package phone

import "log/slog"

// Number is a valid Korean phone number. Build one with Parse; the zero Number is "no number".
// Number is a small value type: compare with ==, copy freely, use as a map key.
//
// String and LogValue return the masked form, so printing or logging a Number never leaks it;
// call Digits, Format or E164 for the real value.
type Number struct {
	national  [maxNational]byte // national digits, trunk 0 included (none for Representative)
	length    uint8
	prefixLen uint8 // size of the first group when formatted
	kind      Kind
}

func numberFrom(r *resolution) Number {
	return Number{national: r.national, length: uint8(r.length), prefixLen: uint8(r.prefixLen), kind: r.kind}
}

func (n Number) digits() []byte { return n.national[:n.length] }

// Digits returns the national digits, e.g. "01012345678", "0212345678", "15881234".
func (n Number) Digits() string { return string(n.digits()) }

// DigitsOf returns Digits, or s itself when s already is exactly those digits, so that input
// stored normalized costs no allocation.
func (n Number) DigitsOf(s string) string {
	if string(n.digits()) == s { // compared in place, without a conversion
		return s
	}
	return n.Digits()
}

// Kind returns the class of the number (Unknown for the zero Number).
func (n Number) Kind() Kind { return n.kind }

// IsMobile reports whether the number is a cellphone that can receive SMS and KakaoTalk
// (Mobile; not M2M, not a 050x safe number).
func (n Number) IsMobile() bool { return n.kind == Mobile }

// IsZero reports whether n is the zero Number.
func (n Number) IsZero() bool { return n.length == 0 }

// Format returns the number with hyphens the way Koreans write it: 010-1234-5678,
// 011-123-4567, 02-123-4567, 031-1234-5678, 070-1234-5678, 0505-123-4567, 0504-1234-5678,
// 1588-1234, 080-123-4567, 060-234-5678. It returns "" for the zero Number.
func (n Number) Format() string { return n.groups(false) }

// Masked returns Format with the middle group hidden, for logs: 010-****-5678, 02-***-4567,
// 0505-***-4567. A representative number has no middle group, so its last group is hidden
// instead: 1588-****. It returns "" for the zero Number.
func (n Number) Masked() string { return n.groups(true) }

// groups writes prefix-middle-last4 (prefix-last4 for representative numbers).
func (n Number) groups(mask bool) string {
	if n.IsZero() {
		return ""
	}
	d := n.digits()
	var buf [maxNational + 2]byte
	out := append(buf[:0], d[:n.prefixLen]...)
	out = append(out, '-')
	middle := d[n.prefixLen : len(d)-4]
	last := d[len(d)-4:]
	if len(middle) > 0 {
		out = appendMasked(out, middle, mask)
		out = append(out, '-')
		out = append(out, last...)
	} else {
		out = appendMasked(out, last, mask)
	}
	return string(out)
}

func appendMasked(out, d []byte, mask bool) []byte {
	if !mask {
		return append(out, d...)
	}
	for range d {
		out = append(out, '*')
	}
	return out
}

// E164 returns the international form without separators, e.g. "+821012345678",
// "+8215881234"; "" for the zero Number.
func (n Number) E164() string {
	if n.IsZero() {
		return ""
	}
	d := n.digits()
	if d[0] == '0' {
		d = d[1:] // the trunk 0 is not dialled from abroad
	}
	var buf [3 + maxNational]byte
	return string(append(append(buf[:0], "+82"...), d...))
}

// String returns Masked, so that fmt and %v never print the full number.
func (n Number) String() string { return n.Masked() }

// LogValue implements slog.LogValuer with the masked form.
func (n Number) LogValue() slog.Value { return slog.StringValue(n.Masked()) }
