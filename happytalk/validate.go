package happytalk

import (
	"errors"
	"net/mail"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kshop-dev/kshop/internal/phone"
)

// values are Params after validation and normalization: what goes on the wire.
type values struct {
	siteUID       string
	name          string
	phone         string
	telephone     string
	email         string
	userParameter string
	categoryID    int
	divisionID    int
	parameters    [MaxParameters]string
	botStart      bool
}

// report collects what Build changed, for BuildResult. collect is false for the plain Build,
// which has nowhere to put it.
type report struct {
	collect         bool
	truncated       []string
	normalized      []string
	unverifiedPhone bool
}

// check validates p for channel ch and returns the values to send, or FieldErrors listing
// every problem in field order.
func (b *Builder) check(p *Params, ch Channel, rep *report) (values, error) {
	var v values
	var errs FieldErrors
	add := func(err error) {
		if err == nil {
			return // before fe: errors.As would move it to the heap on every call
		}
		var fe *FieldError
		if errors.As(err, &fe) {
			errs = append(errs, fe)
		}
	}
	// Web chat v2 packs pairs into one value, so its values may not hold the pair syntax.
	packed := ch == WebChatV2

	if p.SiteUID != "" {
		if isPlaceholderID(p.SiteUID, b.placeholders) {
			perr := &PlaceholderIDError{Field: "SiteUID", Value: p.SiteUID}
			add(&FieldError{Field: "SiteUID", Key: keySiteUID, Reason: perr.placeholderReason(), Err: perr})
		} else {
			add(checkText("SiteUID", keySiteUID, p.SiteUID, MaxSiteUIDLen, packed))
		}
	}
	v.siteUID = p.SiteUID

	add(checkText("CustomerName", keyName, p.CustomerName, MaxCustomerNameLen, packed))
	v.name = p.CustomerName

	digits, err := b.normalizePhone("CustomerPhone", keyPhone, p.CustomerPhone, rep)
	add(err)
	v.phone = digits

	if p.CustomerTelephone != "" && ch != WebChatV2 {
		add(&FieldError{Field: "CustomerTelephone", Key: keyTelephone,
			Reason: "the telephone parameter exists on web chat v2 only, not on " + ch.String(), Err: ErrNotSupported})
	} else {
		digits, err = b.normalizePhone("CustomerTelephone", keyTelephone, p.CustomerTelephone, rep)
		add(err)
		v.telephone = digits
	}

	add(checkEmail(p.CustomerEmail, packed))
	v.email = p.CustomerEmail

	add(checkText("UserParameter", keyUserParameter, p.UserParameter, MaxUserParameterLen, packed))
	v.userParameter = p.UserParameter

	add(checkID("CategoryID", keyCategory, p.CategoryID))
	v.categoryID = p.CategoryID
	add(checkID("DivisionID", keyDivision, p.DivisionID))
	v.divisionID = p.DivisionID

	parameters := p.Parameters
	if len(parameters) > MaxParameters {
		add(&FieldError{Field: "Parameters", Reason: strconv.Itoa(len(p.Parameters)) +
			" custom parameters; Happytalk has parameter1 to parameter10", Limit: MaxParameters, Got: len(p.Parameters),
			Err: ErrTooManyParameters})
		parameters = parameters[:MaxParameters]
	}
	for i, value := range parameters {
		cut, err := b.checkParameter(i, value, packed, rep)
		add(err)
		v.parameters[i] = cut
	}

	if p.BotStart && ch != KakaoTalk {
		add(&FieldError{Field: "BotStart", Key: b.botStartKey,
			Reason: "the chatbot start parameter exists on KakaoTalk only, not on " + ch.String(), Err: ErrNotSupported})
	}
	v.botStart = p.BotStart
	return v, errs.err()
}

// checkText checks a value against its length limit in runes, the UTF-8 and control-character
// rules and, for web chat v2, the pair separators.
func checkText(field, key, s string, limit int, packed bool) error {
	runes, err := scanText(field, key, s, packed)
	if err != nil {
		return err
	}
	if runes > limit {
		return tooLong(field, key, runes, limit)
	}
	return nil
}

// scanText counts the runes of s and refuses invalid UTF-8, control characters (never part
// of a name, an ID or a note, and harmful in consoles and logs) and, when packed, ',' and '='.
func scanText(field, key, s string, packed bool) (runes int, err error) {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			runes++
			switch {
			case c < ' ' || c == 0x7f:
				return 0, &FieldError{Field: field, Key: key, Reason: "contains a control character", Err: ErrInvalidText}
			case packed && (c == ',' || c == '='):
				return 0, &FieldError{Field: field, Key: key,
					Reason: "contains '" + string(c) + "', which web chat v2 uses to separate its params pairs",
					Err:    ErrReservedCharacter}
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			return 0, &FieldError{Field: field, Key: key, Reason: reasonInvalidUTF8, Err: ErrInvalidText}
		}
		if unicode.IsControl(r) {
			return 0, &FieldError{Field: field, Key: key, Reason: "contains a control character", Err: ErrInvalidText}
		}
		i += size
		runes++
	}
	return runes, nil
}

func tooLong(field, key string, runes, limit int) error {
	return &FieldError{Field: field, Key: key,
		Reason: strconv.Itoa(runes) + " characters; Happytalk stores at most " + strconv.Itoa(limit),
		Limit:  limit, Got: runes, Err: ErrTooLong}
}

// checkParameter validates custom parameter i and returns it cut to MaxParameterLen runes. The
// whole value is checked first: a ',' past the cut is still a caller bug worth reporting.
func (b *Builder) checkParameter(i int, value string, packed bool, rep *report) (string, error) {
	field, key := parameterFields[i], parameterKeys[i]
	runes, err := scanText(field, key, value, packed)
	if err != nil {
		return "", err
	}
	if runes <= MaxParameterLen {
		return value, nil
	}
	if b.strictTruncation {
		return "", tooLong(field, key, runes, MaxParameterLen)
	}
	if rep.collect {
		rep.truncated = append(rep.truncated, key)
	}
	return cutRunes(value, MaxParameterLen), nil
}

// cutRunes returns the first n runes of s. It cuts between code points, never inside one.
func cutRunes(s string, n int) string {
	count := 0
	for i := range s {
		if count == n {
			return s[:i]
		}
		count++
	}
	return s
}

// normalizePhone reduces the phone number of field (wire key key) to its national digits with
// internal/phone, or, with WithRawPhoneDigits, a number it refuses to its ASCII digits.
func (b *Builder) normalizePhone(field, key, s string, rep *report) (string, error) {
	if s == "" {
		return "", nil
	}
	digits, err := phone.Normalize(s)
	if err != nil {
		var perr *phone.Error
		if !errors.As(err, &perr) {
			perr = &phone.Error{Reason: 0, Masked: phone.Mask(s)}
		}
		if !b.rawPhoneDigits {
			return "", &FieldError{Field: field, Key: key, Reason: perr.Reason.String(), Err: perr}
		}
		digits = asciiDigits(s)
		if digits == "" {
			return "", &FieldError{Field: field, Key: key, Reason: "no digits", Err: perr}
		}
		rep.unverifiedPhone = true
	}
	if len(digits) > MaxCustomerPhoneLen {
		return "", tooLong(field, key, len(digits), MaxCustomerPhoneLen)
	}
	if digits != s && rep.collect {
		rep.normalized = append(rep.normalized, key)
	}
	return digits, nil
}

func asciiDigits(s string) string {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= '0' && c <= '9' {
			out = append(out, c)
		}
	}
	return string(out)
}

// checkEmail accepts a bare RFC 5322 address as net/mail reads it ("name@example.com"): no
// display name, no angle brackets, no comments and no surrounding spaces.
func checkEmail(s string, packed bool) error {
	if s == "" {
		return nil
	}
	if err := checkText("CustomerEmail", keyEmail, s, MaxCustomerEmailLen, packed); err != nil {
		return err
	}
	if isPlainAddress(s) {
		return nil // the common case, accepted by net/mail too, without its allocations
	}
	addr, err := mail.ParseAddress(s)
	if err != nil || addr.Name != "" || addr.Address != s {
		return &FieldError{Field: "CustomerEmail", Key: keyEmail,
			Reason: "not a bare e-mail address such as name@example.com", Err: ErrInvalidEmail}
	}
	return nil
}

// isPlainAddress reports whether s is an ASCII dot-atom address, local@domain, with domain
// labels of letters, digits and hyphens: a subset of what net/mail accepts as a bare address
// (a fuzz test checks that).
func isPlainAddress(s string) bool {
	at := strings.IndexByte(s, '@')
	if at <= 0 || at == len(s)-1 {
		return false
	}
	return isDotAtom(s[:at], isAtext) && isDotAtom(s[at+1:], isLabelChar)
}

func isDotAtom(s string, allowed func(byte) bool) bool {
	if s == "" || s[0] == '.' || s[len(s)-1] == '.' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '.' {
			if s[i-1] == '.' {
				return false
			}
			continue
		}
		if !allowed(c) {
			return false
		}
	}
	return true
}

// isAtext: RFC 5322 atext, ASCII only.
func isAtext(c byte) bool {
	return isAlphaNum(c) || strings.IndexByte("!#$%&'*+-/=?^_`{|}~", c) >= 0
}

func isLabelChar(c byte) bool { return isAlphaNum(c) || c == '-' }

func checkID(field, key string, id int) error {
	switch {
	case id < 0:
		return &FieldError{Field: field, Key: key, Reason: "negative", Err: ErrInvalidID}
	case id > MaxClassificationID:
		return &FieldError{Field: field, Key: key, Reason: "larger than " + strconv.Itoa(MaxClassificationID),
			Limit: MaxClassificationID, Err: ErrInvalidID}
	}
	return nil
}
