package happytalk

import (
	"strconv"
	"strings"
)

// BuildResult is a built link and what Build did to the values on the way.
type BuildResult struct {
	// URL is the chat link.
	URL string
	// Channel is the channel the link was built for (detected or given).
	Channel Channel
	// Truncated lists the wire keys of custom parameters cut to MaxParameterLen characters,
	// e.g. ["parameter3"]. Empty when nothing was cut.
	Truncated []string
	// Normalized lists the wire keys whose value was rewritten: "cus_extra_phone" when the
	// phone was reduced to digits.
	Normalized []string
	// UnverifiedPhone reports that CustomerPhone was not a valid Korean number and was sent as
	// its digits (only with WithRawPhoneDigits).
	UnverifiedPhone bool
}

// Build appends p to base, a chat URL copied from the Happytalk console, in the format of the
// URL's channel (or of p.Channel), and returns the link. Custom parameters longer than
// MaxParameterLen characters are cut silently, as Happytalk itself would show them; use a
// Builder to learn about cuts or to refuse them. Errors are a *LinkError for the base URL, and
// FieldErrors listing every refused field of p (errors.As finds each *FieldError, and a
// *PlaceholderIDError or *PhoneError inside one); nothing is built then.
func Build(base string, p Params) (string, error) {
	res, err := defaultBuilder.build(base, &p, &report{})
	return res.URL, err
}

// Build is the package-level Build with this Builder's rules, and it reports what it cut or
// normalized.
func (b *Builder) Build(base string, p Params) (BuildResult, error) {
	return b.build(base, &p, &report{collect: true})
}

func (b *Builder) build(base string, p *Params, rep *report) (BuildResult, error) {
	if !p.Channel.defined() {
		return BuildResult{}, FieldErrors{{Field: "Channel", Reason: "undefined channel " + p.Channel.String(), Err: ErrNotSupported}}
	}
	parts, err := b.split(base, p.Channel)
	if err != nil {
		return BuildResult{}, err
	}
	v, err := b.check(p, parts.channel, rep)
	if err != nil {
		return BuildResult{}, err
	}

	var storage [4 + MaxParameters + 8]assignment
	assignments := storage[:0]
	separator := "&"
	switch parts.channel {
	case KakaoTalk:
		assignments = b.kakaoAssignments(assignments, &v)
	case WebChatV1:
		assignments = webChatV1Assignments(assignments, &v)
	case WebChatV2:
		packed, err := packParams(make([]byte, 0, 128), parts.pairs, &v)
		if err != nil {
			return BuildResult{}, err
		}
		assignments = webChatV2Assignments(assignments, &v, packed)
	case NaverTalkTalk:
		assignments = naverAssignments(assignments, &v)
		separator = b.naverSeparator
	}

	// A strings.Builder hands its buffer over as the result without another copy.
	var out strings.Builder
	out.Grow(estimateLen(base, &v))
	out.WriteString(parts.prefix)
	if parts.channel == NaverTalkTalk {
		out.WriteString(separator)
	} else {
		out.WriteByte('?')
	}
	rewritePairs(&out, parts.pairs, separator, assignments)
	out.WriteString(parts.fragment)

	return BuildResult{
		URL:             out.String(),
		Channel:         parts.channel,
		Truncated:       rep.truncated,
		Normalized:      rep.normalized,
		UnverifiedPhone: rep.unverifiedPhone,
	}, nil
}

// estimateLen sizes the output buffer: the base plus every value at its worst (all escaped).
func estimateLen(base string, v *values) int {
	n := len(base) + 160 // keys, separators, IDs
	n += 3 * (len(v.siteUID) + len(v.name) + len(v.phone) + len(v.telephone) + len(v.email) + len(v.userParameter))
	for _, p := range v.parameters {
		n += 3*len(p) + 14
	}
	return n
}

// assignment is one parameter Build sets.
type assignment struct {
	key   string
	value string
	// packed, when non-nil, is the value instead of value (web chat v2's params).
	packed []byte
	// number, when isNumber, is the value instead of value (classification IDs).
	number   int
	isNumber bool
	// replaceOnly: overwrite the key where the base has it, but do not add it otherwise.
	replaceOnly bool
	// written: the key was already written in place of the base's parameter.
	written bool
}

func (a *assignment) writeTo(out *strings.Builder) {
	out.WriteString(a.key)
	out.WriteByte('=')
	switch {
	case a.packed != nil:
		writeEscaped(out, a.packed)
	case a.isNumber:
		var digits [20]byte
		out.Write(strconv.AppendInt(digits[:0], int64(a.number), 10))
	default:
		writeEscaped(out, a.value)
	}
}

func text(key, value string) assignment   { return assignment{key: key, value: value} }
func number(key string, n int) assignment { return assignment{key: key, number: n, isNumber: true} }

// appendCustomerAssignments adds the customer fields that are set, in the guide's order. The
// site_uid is always there: empty is the documented value for a visitor who is not logged in.
func appendCustomerAssignments(as []assignment, v *values) []assignment {
	as = append(as, text(keySiteUID, v.siteUID))
	return appendCustomerDetails(as, v)
}

func appendCustomerDetails(as []assignment, v *values) []assignment {
	if v.name != "" {
		as = append(as, text(keyName, v.name))
	}
	if v.phone != "" {
		as = append(as, text(keyPhone, v.phone))
	}
	if v.telephone != "" { // set on web chat v2 only: check refuses it elsewhere
		as = append(as, text(keyTelephone, v.telephone))
	}
	if v.email != "" {
		as = append(as, text(keyEmail, v.email))
	}
	if v.userParameter != "" {
		as = append(as, text(keyUserParameter, v.userParameter))
	}
	return as
}

func appendClassification(as []assignment, v *values, categoryKey, divisionKey string) []assignment {
	if v.categoryID > 0 {
		as = append(as, number(categoryKey, v.categoryID))
	}
	if v.divisionID > 0 {
		as = append(as, number(divisionKey, v.divisionID))
	}
	return as
}

func appendCustomParameters(as []assignment, v *values) []assignment {
	for i, p := range v.parameters {
		if p != "" {
			as = append(as, text(parameterKeys[i], p))
		}
	}
	return as
}

func (b *Builder) kakaoAssignments(as []assignment, v *values) []assignment {
	as = appendCustomerAssignments(as, v)
	as = appendClassification(as, v, keyCategory, keyDivision)
	as = appendCustomParameters(as, v)
	if v.botStart {
		as = append(as, text(b.botStartKey, b.botStartValue))
	}
	return as
}

func naverAssignments(as []assignment, v *values) []assignment {
	as = appendCustomerAssignments(as, v)
	as = appendClassification(as, v, keyCategory, keyDivision)
	return appendCustomParameters(as, v)
}

// webChatV1Assignments: the legacy popup takes the ID as uid with is_login=Y, or is_login=N
// and an empty uid (guide). A site_uid the base already carries is overwritten with the same
// ID rather than left stale.
func webChatV1Assignments(as []assignment, v *values) []assignment {
	login := "N"
	if v.siteUID != "" {
		login = "Y"
	}
	as = append(as, text(keyIsLogin, login), text(keyUID, v.siteUID))
	site := text(keySiteUID, v.siteUID)
	site.replaceOnly = true
	as = append(as, site)
	as = appendCustomerDetails(as, v)
	as = appendClassification(as, v, keyCategory, keyDivision)
	return appendCustomParameters(as, v)
}

// webChatV2Assignments: categoryId and divisionId are top-level query parameters of the v2 URL;
// everything else travels in params.
func webChatV2Assignments(as []assignment, v *values, packed []byte) []assignment {
	as = appendClassification(as, v, keyCategoryV2, keyDivisionV2)
	return append(as, assignment{key: keyParams, packed: packed})
}

// rewritePairs writes the base's pairs (raw, split on separator) followed by the assignments.
// A base pair whose key is assigned is replaced in place by the first occurrence and dropped
// after that; every other pair is copied byte for byte, in order. Empty pairs ("&&") are
// dropped. Separators go between pairs only; the caller has written the one before the first.
func rewritePairs(out *strings.Builder, raw, separator string, as []assignment) {
	first := true
	writeSeparator := func() {
		if !first {
			out.WriteString(separator)
		}
		first = false
	}
	for raw != "" {
		pair := raw
		if i := strings.Index(raw, separator); i >= 0 {
			pair, raw = raw[:i], raw[i+len(separator):]
		} else {
			raw = ""
		}
		if pair == "" {
			continue
		}
		k := findAssignment(as, pairKey(pair))
		if k < 0 {
			writeSeparator()
			out.WriteString(pair)
			continue
		}
		if !as[k].written {
			writeSeparator()
			as[k].writeTo(out)
			as[k].written = true
		}
	}
	for k := range as {
		if as[k].written || as[k].replaceOnly {
			continue
		}
		writeSeparator()
		as[k].writeTo(out)
	}
}

func findAssignment(as []assignment, key string) int {
	for k := range as {
		if as[k].key == key {
			return k
		}
	}
	return -1
}

// pairKey returns the decoded key of a raw "key=value" pair ("key" alone counts too).
func pairKey(pair string) string {
	key := pair
	if i := strings.IndexByte(pair, '='); i >= 0 {
		key = pair[:i]
	}
	if decoded, err := unescape(key); err == nil {
		return decoded
	}
	return key
}

// packParams builds web chat v2's params value: "key=value" pairs joined by ',', without
// quotes, unescaped (the whole value is escaped once as a query value). Pairs already in the
// base's params are kept in order, those we set are replaced in place, the rest are appended.
func packParams(dst []byte, rawQuery string, v *values) ([]byte, error) {
	existing, err := baseParams(rawQuery)
	if err != nil {
		return nil, err
	}
	var storage [6 + MaxParameters]assignment
	as := appendCustomerAssignments(storage[:0], v)
	as = appendCustomParameters(as, v)

	first := true
	writeComma := func() {
		if !first {
			dst = append(dst, ',')
		}
		first = false
	}
	writePair := func(a *assignment) {
		writeComma()
		dst = append(dst, a.key...)
		dst = append(dst, '=')
		dst = append(dst, a.value...)
	}
	for existing != "" {
		pair := existing
		if i := strings.IndexByte(existing, ','); i >= 0 {
			pair, existing = existing[:i], existing[i+1:]
		} else {
			existing = ""
		}
		if pair == "" {
			continue
		}
		key := pair
		if i := strings.IndexByte(pair, '='); i >= 0 {
			key = pair[:i]
		}
		k := findAssignment(as, key)
		switch {
		case k < 0:
			writeComma()
			dst = append(dst, pair...)
		case !as[k].written:
			writePair(&as[k])
			as[k].written = true
		}
	}
	for k := range as {
		if !as[k].written {
			writePair(&as[k])
		}
	}
	return dst, nil
}

// baseParams returns the decoded value of the first params parameter of a raw query, or "".
func baseParams(rawQuery string) (string, error) {
	for rawQuery != "" {
		pair := rawQuery
		if i := strings.IndexByte(rawQuery, '&'); i >= 0 {
			pair, rawQuery = rawQuery[:i], rawQuery[i+1:]
		} else {
			rawQuery = ""
		}
		if pairKey(pair) != keyParams {
			continue
		}
		value := ""
		if i := strings.IndexByte(pair, '='); i >= 0 {
			value = pair[i+1:]
		}
		decoded, err := unescape(value)
		if err != nil {
			return "", &LinkError{Reason: "the base URL's params value has an invalid percent-encoding"}
		}
		return decoded, nil
	}
	return "", nil
}
