package alimtalk

import (
	"strings"
	"unicode/utf8"

	"github.com/kshop-dev/kshop/internal/phone"
	"github.com/kshop-dev/kshop/internal/wire"
)

// FailoverKind says which text message replaces an AlimTalk that cannot be delivered.
type FailoverKind int

// Failover kinds. The zero value, FailoverAuto, picks SMS or LMS by length.
const (
	// FailoverAuto sends SMS when the text fits Limits.SMSBytes (90) EUC-KR bytes, else LMS.
	FailoverAuto FailoverKind = iota
	// FailoverSMS forces SMS; a longer text is an error, never silently cut.
	FailoverSMS
	// FailoverLMS forces LMS (up to Limits.LMSRunes, 2,000 characters, with a subject).
	FailoverLMS
)

// String returns "auto", "SMS" or "LMS".
func (k FailoverKind) String() string {
	switch k {
	case FailoverAuto:
		return "auto"
	case FailoverSMS:
		return "SMS"
	case FailoverLMS:
		return "LMS"
	default:
		return "invalid"
	}
}

// Failover is the SMS/LMS sent by the provider when the AlimTalk cannot be delivered (the
// recipient has no KakaoTalk, blocked the channel, …).
type Failover struct {
	// Kind is Auto (by length), SMS or LMS. After Message.Prepare it is never Auto.
	Kind FailoverKind
	// Content is the SMS/LMS text. Empty means "the AlimTalk text" (Message.Text after
	// rendering), which is what shop platforms such as Godomall send.
	Content string
	// Subject is the LMS title; ignored (cleared by Prepare) for SMS.
	Subject string
	// From is the registered sender number (발신번호). Carriers deliver only from numbers
	// pre-registered with the provider; Godomall requires it to equal the shop's SMS sender
	// number. Mobile, landline, 070, 050x, 15xx/16xx/18xx and 080 numbers are accepted; M2M
	// (012) and premium-rate (060) numbers are not (inferred). Empty means the provider
	// account's default, where the provider has one (Lunasoft takes no sender number per
	// message). Prepare normalizes it to digits.
	From string
}

// kindForLength returns FailoverSMS when content of euckr bytes in EUC-KR
// (wire.EUCKRLenLenient) fits lim.SMSBytes (90), and FailoverLMS otherwise. A character
// EUC-KR cannot encode (an emoji, a rare Hanja) counts as 2 bytes instead of being an error:
// the AlimTalk itself can carry it, so refusing the whole notification over its fallback text
// would cost more than a carrier's substitute glyph, and counting it conservatively moves
// borderline texts to LMS.
func kindForLength(euckr int, lim Limits) FailoverKind {
	if euckr <= lim.SMSBytes {
		return FailoverSMS
	}
	return FailoverLMS
}

// euckrLenAndRunes returns wire.EUCKRLenLenient(s) and utf8.RuneCountInString(s) in one pass
// over s, which a long LMS text needs both of: every character counts 1 byte when ASCII and 2
// otherwise (an invalid byte is one character, like U+FFFD).
func euckrLenAndRunes(s string) (euckr, runes int) {
	for i := 0; i < len(s); runes++ {
		if s[i] < utf8.RuneSelf {
			i++
			euckr++
			continue
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
		euckr += 2
	}
	return euckr, runes
}

// resolve returns the failover ready for a provider: Content defaulted to text, Kind resolved
// from Auto, From normalized to digits, Subject cleared for SMS. It checks the length rules
// (a forced SMS over lim.SMSBytes, an LMS over lim.LMSRunes, a subject over
// lim.LMSSubjectBytes), the texts and the sender number, appending problems ("failover.…")
// to errs. lim has its defaults.
func (f Failover) resolve(text string, lim Limits, errs FieldErrors) (Failover, FieldErrors) {
	if f.Content == "" {
		f.Content = text
	} else {
		// The default, the AlimTalk text, is checked as Text already.
		errs = checkText("failover.content", f.Content, true, errs)
	}
	errs = checkText("failover.subject", f.Subject, false, errs)
	if strings.TrimSpace(f.Content) == "" {
		errs = append(errs, &FieldError{Key: "failover.content", Reason: ReasonRequired})
	}
	if f.From != "" {
		num, err := phone.Parse(f.From)
		switch {
		case err != nil:
			errs = append(errs, &FieldError{Key: "failover.from", Reason: ReasonInvalid, Err: err})
		case !isSenderNumberKind(num.Kind()):
			errs = append(errs, &FieldError{Key: "failover.from", Reason: ReasonInvalid,
				Detail: "a " + num.Kind().String() + " number cannot be an SMS sender number"})
		default:
			f.From = num.DigitsOf(f.From)
		}
	}
	bytes, contentRunes := euckrLenAndRunes(f.Content)
	switch f.Kind {
	case FailoverAuto:
		f.Kind = kindForLength(bytes, lim)
	case FailoverSMS:
		if bytes > lim.SMSBytes {
			errs = append(errs, &FieldError{Key: "failover.content", Reason: ReasonTooLong, Limit: lim.SMSBytes, Got: bytes,
				Detail: "EUC-KR bytes for a forced SMS; use FailoverAuto or FailoverLMS"})
		}
	case FailoverLMS:
	default:
		errs = append(errs, &FieldError{Key: "failover.kind", Reason: ReasonInvalid, Detail: "must be auto, SMS or LMS"})
	}
	if f.Kind == FailoverSMS {
		f.Subject = ""
	}
	if f.Kind == FailoverLMS {
		if contentRunes > lim.LMSRunes {
			errs = append(errs, &FieldError{Key: "failover.content", Reason: ReasonTooLong, Limit: lim.LMSRunes, Got: contentRunes})
		}
		if n := wire.EUCKRLenLenient(f.Subject); n > lim.LMSSubjectBytes {
			errs = append(errs, &FieldError{Key: "failover.subject", Reason: ReasonTooLong, Limit: lim.LMSSubjectBytes, Got: n,
				Detail: "EUC-KR bytes"})
		}
	}
	return f, errs
}

// isSenderNumberKind reports whether a number of kind k may be registered as an SMS sender
// number: mobile, landline, 070, 050x, 15xx/16xx/18xx and 080. M2M (012) and premium-rate
// (060) numbers may not (inferred from the carriers' sender-number rules; no provider lists
// them).
func isSenderNumberKind(k phone.Kind) bool {
	switch k {
	case phone.Mobile, phone.Landline, phone.VoIP, phone.Personal, phone.Representative, phone.TollFree:
		return true
	}
	return false
}
