package alimtalk

import (
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/kshop-dev/kshop/internal/phone"
)

// Audience says who receives an event's message.
type Audience int

// Audiences. The zero value is AudienceCustomer.
const (
	// AudienceCustomer sends to the event's customer (Event.CustomerPhone).
	AudienceCustomer Audience = iota
	// AudienceOperator sends to every Config.OperatorPhones number.
	AudienceOperator
	// AudienceBoth sends to the customer and the operators.
	AudienceBoth
)

// String returns "customer", "operator" or "both".
func (a Audience) String() string {
	switch a {
	case AudienceCustomer:
		return "customer"
	case AudienceOperator:
		return "operator"
	case AudienceBoth:
		return "both"
	default:
		return "audience(" + strconv.Itoa(int(a)) + ")"
	}
}

func (a Audience) customers() bool { return a == AudienceCustomer || a == AudienceBoth }
func (a Audience) operators() bool { return a == AudienceOperator || a == AudienceBoth }

// EventConfig is the auto-send setting of one event (one row of Godomall's 발송 조건 tab).
type EventConfig struct {
	// Enabled turns the event on (Godomall's 발송 설정 checkbox).
	Enabled bool
	// TemplateCode is the template of the customer's message.
	TemplateCode string
	// OperatorTemplateCode is the template of the operators' copy; empty means TemplateCode.
	// Godomall keeps separate templates per audience ("주문취소_회원", "주문취소_운영자").
	OperatorTemplateCode string
	// Audience says who receives it.
	Audience Audience
	// Timing is immediate (즉시발송) or reserved (예약발송).
	Timing Timing
	// VariableNames renames fields for this event's templates (over Config.VariableNames).
	VariableNames map[Field]string
}

func (ec EventConfig) operatorTemplate() string {
	if ec.OperatorTemplateCode != "" {
		return ec.OperatorTemplateCode
	}
	return ec.TemplateCode
}

// Config is a shop's AlimTalk auto-send setup, modelled on Godomall's 카카오 알림톡 설정
// (kakaoAlrimLuna.kakaoAuto: useFlag, orderUseFlag, memberUseFlag, boardUseFlag and one entry
// per event).
type Config struct {
	// Enabled is the global switch (알림톡 사용 설정; kakaoAuto useFlag).
	Enabled bool
	// OrderEnabled, MemberEnabled and BoardEnabled switch the groups (orderUseFlag,
	// memberUseFlag, boardUseFlag).
	OrderEnabled, MemberEnabled, BoardEnabled bool

	// ShopName fills #{shopName}.
	ShopName string
	// ShopURL is the shop's address (http or https, with a host). Required: Godomall sends
	// nothing until the shop domain is set correctly, and templates link to it (#{shopUrl}).
	ShopURL string
	// SenderNumber is the registered SMS sender number used for failover (발신번호).
	// Required. Godomall requires the provider's sender number to equal the shop's SMS
	// sender number.
	SenderNumber string
	// SenderKey is the Kakao sender-profile key; empty means the Sender's default.
	SenderKey string
	// OperatorPhones receive operator copies (mobile numbers).
	OperatorPhones []string

	// Events configures each event; events absent from the map are off.
	Events map[EventKind]EventConfig
	// QuietHours holds night sends for the morning (zero value: none). See DefaultQuietHours.
	QuietHours QuietHours
	// VariableNames renames fields for every template (see Field, GodomallVariableNames).
	VariableNames map[Field]string

	// DisableFailover sends no SMS/LMS when the AlimTalk fails. By default every message
	// has a failover with the AlimTalk text, from SenderNumber (Godomall: "알림톡 발송 실패 시
	// SMS로 대체하여 전송").
	DisableFailover bool
	// FailoverSubject is the LMS subject of failovers ("" = the provider's default).
	FailoverSubject string
}

// groupEnabled reports whether g's switch is on.
func (c *Config) groupEnabled(g Group) bool {
	switch g {
	case GroupOrder:
		return c.OrderEnabled
	case GroupMember:
		return c.MemberEnabled
	case GroupBoard:
		return c.BoardEnabled
	}
	return false
}

// clone deep-copies the maps and slices, so the dispatcher is immune to later changes by the
// caller.
func (c Config) clone() Config {
	c.OperatorPhones = append([]string(nil), c.OperatorPhones...)
	c.VariableNames = cloneNames(c.VariableNames)
	if c.Events != nil {
		events := make(map[EventKind]EventConfig, len(c.Events))
		for k, ec := range c.Events {
			ec.VariableNames = cloneNames(ec.VariableNames)
			events[k] = ec
		}
		c.Events = events
	}
	return c
}

func cloneNames(m map[Field]string) map[Field]string {
	if m == nil {
		return nil
	}
	out := make(map[Field]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// validate checks c and returns the normalized operator numbers and every problem.
func (c *Config) validate(templates TemplateSource, lim Limits) ([]string, []*FieldError) {
	var errs []*FieldError
	add := func(field string, r Reason, detail string, err error) {
		errs = append(errs, &FieldError{Key: field, Reason: r, Detail: detail, Err: err})
	}

	if strings.TrimSpace(c.ShopURL) == "" {
		add("shop_url", ReasonRequired, "set the shop's domain: nothing is sent without it", nil)
	} else if u, err := url.Parse(c.ShopURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
		strings.ContainsAny(c.ShopURL, " \t\r\n") {
		add("shop_url", ReasonInvalid, "must be an absolute http or https URL such as https://shop.example.com", nil)
	}

	if strings.TrimSpace(c.SenderNumber) == "" {
		add("sender_number", ReasonRequired, "set the registered SMS sender number", nil)
	} else if num, err := phone.Parse(c.SenderNumber); err != nil {
		add("sender_number", ReasonInvalid, "", err)
	} else if !isSenderNumberKind(num.Kind()) {
		add("sender_number", ReasonInvalid, "a "+num.Kind().String()+" number cannot be an SMS sender number", nil)
	}

	if c.SenderKey != "" && runes(c.SenderKey) != lim.SenderKeyLength {
		add("sender_key", ReasonInvalid, "must be "+strconv.Itoa(lim.SenderKeyLength)+" characters", nil)
	}

	var operators []string
	for i, p := range c.OperatorPhones {
		field := "operator_phones[" + strconv.Itoa(i) + "]"
		digits, fe := normalizeRecipient(p)
		if fe != nil {
			fe.Key = field
			errs = append(errs, fe)
			continue
		}
		if containsString(operators, digits) {
			add(field, ReasonDuplicate, "the number is listed twice", nil)
			continue
		}
		operators = append(operators, digits)
	}

	errs = validateNames("variable_names", c.VariableNames, errs)
	if !c.QuietHours.Start.valid() {
		add("quiet_hours.start", ReasonInvalid, "hour 0-23, minute 0-59", nil)
	}
	if !c.QuietHours.End.valid() {
		add("quiet_hours.end", ReasonInvalid, "hour 0-23, minute 0-59", nil)
	}

	kinds := make([]EventKind, 0, len(c.Events))
	for k := range c.Events {
		kinds = append(kinds, k)
	}
	sort.Slice(kinds, func(i, j int) bool { return kinds[i] < kinds[j] })
	for _, k := range kinds {
		ec := c.Events[k]
		field := "events[" + string(k) + "]"
		if !k.Known() {
			add(field, ReasonInvalid, "unknown event kind", nil)
			continue
		}
		errs = validateNames(field+".variable_names", ec.VariableNames, errs)
		errs = ec.Timing.validate(field+".timing", errs)
		if ec.Audience < AudienceCustomer || ec.Audience > AudienceBoth {
			add(field+".audience", ReasonInvalid, "", nil)
			continue
		}
		if !ec.Enabled {
			continue
		}
		if ec.Audience.customers() {
			errs = checkEventTemplate(field+".template_code", ec.TemplateCode, templates, errs)
		}
		if ec.Audience.operators() {
			if ec.OperatorTemplateCode != "" {
				errs = checkEventTemplate(field+".operator_template_code", ec.OperatorTemplateCode, templates, errs)
			} else if !ec.Audience.customers() {
				errs = checkEventTemplate(field+".template_code", ec.TemplateCode, templates, errs)
			}
			if len(c.OperatorPhones) == 0 {
				add("operator_phones", ReasonRequired, "event "+string(k)+" sends to operators", nil)
			}
		}
	}
	return operators, errs
}

func checkEventTemplate(field, code string, templates TemplateSource, errs []*FieldError) []*FieldError {
	if strings.TrimSpace(code) == "" {
		return append(errs, &FieldError{Key: field, Reason: ReasonRequired})
	}
	if templates != nil {
		if _, ok := templates.Template(code); !ok {
			return append(errs, &FieldError{Key: field, Reason: ReasonInvalid, Detail: "unknown template " + strconv.Quote(code)})
		}
	}
	return errs
}

func validateNames(field string, names map[Field]string, errs []*FieldError) []*FieldError {
	fields := make([]Field, 0, len(names))
	for f := range names {
		fields = append(fields, f)
	}
	sort.Slice(fields, func(i, j int) bool { return fields[i] < fields[j] })
	for _, f := range fields {
		p := placeholderOpen + names[f] + "}"
		if _, end, ok := placeholderAt(p, 0); !ok || end != len(p) {
			errs = append(errs, &FieldError{Key: field + "[" + string(f) + "]", Reason: ReasonInvalid,
				Detail: "a variable name holds no braces or line breaks and is not blank"})
		}
	}
	return errs
}
