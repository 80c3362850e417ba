package alimtalk

import (
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/kshop-dev/kshop/internal/phone"
	"github.com/kshop-dev/kshop/internal/wire"
)

// Message is one AlimTalk to one recipient.
//
// Providers need either the final text (Ssoda, Lunasoft, Aligo, Bizppurio) or the variables
// (NHN, Solapi); a Message may carry both. Prepare renders Text from the template when Text
// is empty, checks it against the template when both are known, and checks Kakao's rules.
type Message struct {
	// To is the recipient's mobile number in any common form ("010-1234-5678",
	// "+82 10 1234 5678"); Prepare normalizes it to digits.
	To string
	// SenderKey is the Kakao sender-profile key (40 characters); empty means the client's
	// default.
	SenderKey string
	// TemplateCode is the approved template's code at the provider.
	TemplateCode string
	// Variables fill the template's #{name} placeholders (keys without #{ }).
	Variables map[string]string
	// Text is the final text. When empty and the template is known, Prepare renders it from
	// the template and Variables.
	Text string
	// Title is the emphasis title of TEXT-emphasis templates. When empty and the template
	// has a title, Prepare renders it from the template.
	Title string
	// Buttons are the message's buttons. When empty and the template has buttons, Prepare
	// copies them from the template with variables in their links filled (Kakao rejects a
	// message whose buttons differ from the template's: 3027; Lunasoft silently drops a
	// message whose template has link buttons but whose request has none).
	Buttons []Button
	// Failover is the SMS/LMS sent when the AlimTalk cannot be delivered; nil for none.
	Failover *Failover
	// ScheduledAt reserves the send (zero = now). Prepare converts it to KST and refuses a
	// time in the past (beyond Limits.ClockSkew) or more than Limits.ScheduleHorizon (60
	// days) ahead.
	ScheduledAt time.Time
	// Ref is the caller's correlation key, returned in Result.Ref and, where the provider
	// takes a client key (Lunasoft custom_key), sent to it for reconciliation.
	Ref string
}

// Validate checks m alone, without its template: the recipient, the text (which must then be
// given, and must not hold unfilled #{…} placeholders), lengths, buttons and failover. It
// returns nil or FieldErrors.
func (m Message) Validate(lim Limits) error {
	_, err := m.Prepare(nil, lim)
	return err
}

// Prepare returns the message ready for a provider, or FieldErrors listing every problem
// (each with its Go path in Field and its wire path in Key):
//
//   - To is normalized to digits and must be a Korean mobile number (Kakao delivers to
//     KakaoTalk accounts, which belong to mobile numbers; 050x, 070 and M2M numbers are
//     refused). A bad number is a *FieldError on "To" wrapping a *PhoneError.
//   - TemplateCode must be set; when tpl is given, it must equal tpl.Code and, if tpl
//     reports a lifecycle state, tpl.CanSend must allow sending ("TemplateCode",
//     ReasonNotSendable, wrapping a *StateError).
//   - Text is rendered from tpl when empty, or matched against tpl when given ("Text",
//     ReasonMismatch, wrapping a *MismatchError: Kakao 3016). Without tpl, Text is required
//     and must not hold unfilled placeholders. Its length is at most Limits.ContentRunes
//     (ItemListContentRunes for ITEM_LIST templates).
//   - Title is rendered or matched like Text for TEXT-emphasis (강조표기형) templates and at
//     most Limits.TitleRunes. It is refused for other templates, and when the template is not
//     known (tpl nil), since nothing then shows that it is an emphasis template.
//   - Buttons are copied from tpl when empty (links rendered), or compared with tpl's by
//     type and name ("Buttons[i].Name", ReasonMismatch: Kakao 3027), and checked for the
//     link rules of their types.
//   - Every variable missing from Text, Title and button links is listed once, in one
//     *FieldError on "Variables" wrapping a *MissingVariablesError.
//   - Texts (Text, Title, button names and links, failover content and subject, the
//     template code, the sender key and Ref) must be valid UTF-8 without control characters
//     (ReasonInvalidUTF8, ReasonControlChars); Text and failover content may hold line
//     breaks and tabs.
//   - Failover is resolved: content defaulted to Text, SMS or LMS
//     chosen, sender number normalized.
//   - SenderKey, when set, must be Limits.SenderKeyLength characters without spaces.
//   - ScheduledAt, when set, must lie between now minus Limits.ClockSkew and now plus
//     Limits.ScheduleHorizon (ReasonOutOfRange; "now" is Limits.Now); it is converted to
//     KST.
//
// Prepare never modifies m (nor its slices, maps or Failover). On error the returned Message
// is m unchanged.
func (m Message) Prepare(tpl *Template, lim Limits) (Message, error) {
	lim = lim.withDefaults()
	return m.prepare(tpl, &lim, nil)
}

// Preparer prepares messages one after another as Message.Prepare does, with the same
// results and errors, for a sender that prepares many: its limits take their defaults once,
// and the content of the template it last saw stays parsed, with its literal text already
// checked, so that a run of messages of one template costs only their own values. A Preparer
// is not safe for concurrent use; give each goroutine its own. The zero Preparer is not
// usable: call NewPreparer.
type Preparer struct {
	lim     Limits
	content *compiledPattern // the last template's
}

// NewPreparer returns a Preparer for the limits lim (zero fields take the defaults).
func NewPreparer(lim Limits) *Preparer { return &Preparer{lim: lim.withDefaults()} }

// Prepare is m.Prepare(tpl, lim) with the Preparer's limits. tpl may change from one call to
// the next (the Preparer notices a different Content), but must not be modified during a call.
func (p *Preparer) Prepare(m Message, tpl *Template) (Message, error) {
	var cp *compiledPattern
	if tpl != nil {
		switch {
		case tpl.compiled != nil && tpl.compiled.src == tpl.Content:
			p.content = tpl.compiled // parsed once, when the template was put in its set
		case p.content == nil || p.content.src != tpl.Content:
			p.content = compilePattern(tpl.Content)
		}
		cp = p.content
	}
	return m.prepare(tpl, &p.lim, cp)
}

// prepare is Prepare with lim defaulted; content, when not nil, is tpl.Content compiled.
func (m Message) prepare(tpl *Template, lim *Limits, content *compiledPattern) (Message, error) {
	out := m
	var errs FieldErrors
	var missing []string

	if digits, fe := normalizeRecipient(m.To); fe != nil {
		errs = append(errs, fe)
	} else {
		out.To = digits
	}
	if m.SenderKey != "" {
		if n := runes(m.SenderKey); n != lim.SenderKeyLength || strings.IndexFunc(m.SenderKey, unicode.IsSpace) >= 0 {
			errs = append(errs, &FieldError{Key: "sender_key", Reason: ReasonInvalid,
				Detail: "must be " + strconv.Itoa(lim.SenderKeyLength) + " characters without spaces"})
		} else {
			errs = checkText("sender_key", m.SenderKey, false, errs)
		}
	}
	if strings.TrimSpace(m.TemplateCode) == "" {
		errs = append(errs, &FieldError{Key: "template_code", Reason: ReasonRequired})
	} else {
		errs = checkText("template_code", m.TemplateCode, false, errs)
	}
	errs = checkText("ref", m.Ref, false, errs)
	if tpl != nil {
		if tpl.Code != "" && m.TemplateCode != "" && tpl.Code != m.TemplateCode {
			errs = append(errs, &FieldError{Key: "template_code", Reason: ReasonMismatch,
				Detail: "the template given has code " + strconv.Quote(tpl.Code)})
		}
		if tpl.Inspection != "" {
			if err := tpl.CanSend(); err != nil {
				errs = append(errs, &FieldError{Key: "template_code", Reason: ReasonNotSendable, Err: err})
			}
		}
	}

	out.Text, missing, errs = prepareText(&m, tpl, content, lim, missing, errs)
	out.Title, missing, errs = prepareTitle(&m, tpl, lim, missing, errs)
	out.Buttons, missing, errs = prepareButtons(&m, tpl, lim, missing, errs)

	if len(missing) > 0 {
		errs = append(errs, &FieldError{Key: "variables", Reason: ReasonMissingVariables,
			Err: &MissingVariablesError{Names: missing}})
	}
	if m.Failover != nil {
		f, ferrs := m.Failover.resolve(out.Text, *lim, errs)
		errs = ferrs
		out.Failover = &f
	}
	if !m.ScheduledAt.IsZero() {
		errs = checkSchedule(m.ScheduledAt, *lim, errs)
		out.ScheduledAt = m.ScheduledAt.In(wire.KST)
	}
	if len(errs) > 0 {
		return m, named(errs)
	}
	return out, nil
}

// normalizeRecipient parses a recipient number and requires a mobile number.
func normalizeRecipient(to string) (string, *FieldError) {
	if strings.TrimSpace(to) == "" {
		return "", &FieldError{Key: "to", Reason: ReasonRequired}
	}
	num, err := phone.Parse(to)
	if err != nil {
		return "", &FieldError{Key: "to", Reason: ReasonInvalid, Err: err}
	}
	if !num.IsMobile() {
		return "", &FieldError{Key: "to", Reason: ReasonInvalid,
			Detail: "AlimTalk goes to mobile numbers only; " + num.Masked() + " is a " + num.Kind().String() + " number"}
	}
	return num.DigitsOf(to), nil
}

// prepareText renders or checks the text. content, when not nil, is tpl.Content compiled.
func prepareText(m *Message, tpl *Template, content *compiledPattern, lim *Limits, missing []string, errs FieldErrors) (string, []string, FieldErrors) {
	text := m.Text
	scanned := false
	var n int
	var fault Reason
	switch {
	case text == "" && content != nil:
		text, missing, n, fault = content.render(m.Variables, missing)
		scanned = true
	case text == "" && tpl != nil:
		text, missing = renderPattern(tpl.Content, m.Variables, missing)
	case text == "":
		errs = append(errs, &FieldError{Key: "text", Reason: ReasonRequired,
			Detail: "give the text, or the template and its variables"})
	case content != nil:
		if mm := matchLiterals(content.lits, text); mm != nil {
			mm.TemplateCode = tpl.Code
			errs = append(errs, &FieldError{Key: "text", Reason: ReasonMismatch, Err: mm})
		}
	case tpl != nil:
		if mm := matchPattern(tpl.Content, text); mm != nil {
			mm.TemplateCode = tpl.Code
			errs = append(errs, &FieldError{Key: "text", Reason: ReasonMismatch, Err: mm})
		}
	default:
		if names := placeholderNames(text); len(names) > 0 {
			errs = append(errs, &FieldError{Key: "text", Reason: ReasonMissingVariables,
				Detail: "the text still holds placeholders", Err: &MissingVariablesError{Names: names}})
		}
	}
	limit := lim.ContentRunes
	if tpl != nil && tpl.Emphasis == EmphasisItemList {
		limit = lim.ItemListContentRunes
	}
	if !scanned {
		// One pass counts the characters and looks for control characters and bad UTF-8.
		n, fault = scanText(text, true)
	}
	if n > limit {
		errs = append(errs, &FieldError{Key: "text", Reason: ReasonTooLong, Limit: limit, Got: n})
	}
	if fault != 0 {
		fe := textFieldError("text", fault, true)
		if m.Text == "" {
			fe.Detail = "the rendered text; check the variables"
		}
		errs = append(errs, fe)
	}
	return text, missing, errs
}

func prepareTitle(m *Message, tpl *Template, lim *Limits, missing []string, errs FieldErrors) (string, []string, FieldErrors) {
	title := m.Title
	if tpl == nil && title != "" {
		errs = append(errs, &FieldError{Key: "title", Reason: ReasonNotAllowed,
			Detail: "a title belongs to TEXT-emphasis (강조표기형) templates only, and the template is not known: give the provider the template"})
	}
	if tpl != nil {
		emphasized := tpl.Emphasis == EmphasisText
		switch {
		case !emphasized && title != "":
			errs = append(errs, &FieldError{Key: "title", Reason: ReasonNotAllowed,
				Detail: "the template has no TEXT emphasis"})
		case emphasized && title == "":
			title, missing = renderPattern(tpl.Title, m.Variables, missing)
			if title == "" && len(missing) == 0 {
				errs = append(errs, &FieldError{Key: "title", Reason: ReasonRequired,
					Detail: "TEXT-emphasis templates need a title"})
			}
		case emphasized && tpl.Title != "":
			if mm := matchPattern(tpl.Title, title); mm != nil {
				mm.TemplateCode = tpl.Code
				errs = append(errs, &FieldError{Key: "title", Reason: ReasonMismatch, Err: mm})
			}
		}
	}
	if n := runes(title); n > lim.TitleRunes {
		errs = append(errs, &FieldError{Key: "title", Reason: ReasonTooLong, Limit: lim.TitleRunes, Got: n})
	}
	errs = checkText("title", title, false, errs)
	return title, missing, errs
}

func prepareButtons(m *Message, tpl *Template, lim *Limits, missing []string, errs FieldErrors) ([]Button, []string, FieldErrors) {
	buttons := m.Buttons
	switch {
	case len(buttons) == 0 && tpl != nil && len(tpl.Buttons) > 0:
		buttons = make([]Button, len(tpl.Buttons))
		for i, b := range tpl.Buttons {
			if l := tpl.linksOf(i, &b); l != nil {
				// Parsed once, when the template was put in its set.
				b.URLMobile, missing, _, _ = l.mobile.render(m.Variables, missing)
				b.URLPC, missing, _, _ = l.pc.render(m.Variables, missing)
				b.SchemeAndroid, missing, _, _ = l.android.render(m.Variables, missing)
				b.SchemeIOS, missing, _, _ = l.ios.render(m.Variables, missing)
			} else {
				b.URLMobile, missing = renderPattern(b.URLMobile, m.Variables, missing)
				b.URLPC, missing = renderPattern(b.URLPC, m.Variables, missing)
				b.SchemeAndroid, missing = renderPattern(b.SchemeAndroid, m.Variables, missing)
				b.SchemeIOS, missing = renderPattern(b.SchemeIOS, m.Variables, missing)
			}
			buttons[i] = b
		}
		if len(missing) > 0 {
			// The links are incomplete; the missing-variables error says why, and checking
			// the emptied links would only add noise.
			return buttons, missing, errs
		}
	case tpl != nil:
		if len(buttons) != len(tpl.Buttons) {
			errs = append(errs, &FieldError{Key: "buttons", Reason: ReasonMismatch, Got: len(buttons),
				Detail: "the template has " + strconv.Itoa(len(tpl.Buttons)) + " buttons"})
		} else {
			for i, b := range buttons {
				want := tpl.Buttons[i]
				p := "buttons[" + strconv.Itoa(i) + "]"
				if b.Type != want.Type {
					errs = append(errs, &FieldError{Key: p + ".type", Reason: ReasonMismatch,
						Detail: "the template has " + string(want.Type)})
				}
				if b.Name != want.Name {
					errs = append(errs, &FieldError{Key: p + ".name", Reason: ReasonMismatch,
						Detail: "the template names it " + strconv.Quote(want.Name)})
				}
			}
		}
	}
	return buttons, missing, validateButtonList(buttons, false, lim, errs)
}
