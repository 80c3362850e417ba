package happytalk

import (
	"strconv"
	"strings"
)

// Parse reads the parameters back out of a chat link of any channel: the query parameters of
// KakaoTalk and web chat v1 links (uid becomes SiteUID), the packed params value and the
// categoryId/divisionId of web chat v2 links, and the separated pairs of Naver TalkTalk links.
// The channel is detected from the link and returned in Params.Channel.
//
// Parse reports what the link carries; it does not apply Build's rules (a link may hold a
// hyphenated phone or a placeholder ID). Values are percent-decoded, with '+' read as a space.
// The first occurrence of a parameter counts. Parameters that are not Happytalk's (yid,
// siteName, …) are skipped without being decoded. Custom parameters are returned up to the last
// one present (a gap reads as ""), parameters beyond parameter10 and unknown keys are ignored.
// For a link Build returned, Parse gives back the Params given to Build after Build's
// normalization: the detected Channel, CustomerPhone and CustomerTelephone as digits (the
// latter read from web chat v2's params only, the one channel that takes it), custom
// parameters cut to MaxParameterLen and without trailing empty ones (nil when none), and the
// base URL's own values for fields left unset.
//
// Errors are a *LinkError: an unrecognised URL (wrapping ErrUnknownChannel), an invalid
// percent-encoding, or a classification ID that is not a non-negative integer.
func Parse(link string) (Params, error) { return defaultBuilder.ParseAs(link, ChannelAuto) }

// ParseAs is Parse for a link whose channel is given (for hosts Parse does not recognise).
func ParseAs(link string, ch Channel) (Params, error) { return defaultBuilder.ParseAs(link, ch) }

// Parse is the package-level Parse with this Builder's Naver separator and bot-start parameter.
func (b *Builder) Parse(link string) (Params, error) { return b.ParseAs(link, ChannelAuto) }

// ParseAs is the package-level ParseAs with this Builder's Naver separator and bot-start
// parameter.
func (b *Builder) ParseAs(link string, ch Channel) (Params, error) {
	if !ch.defined() {
		return Params{}, &LinkError{Reason: "undefined channel " + ch.String(), Err: ErrNotSupported}
	}
	parts, err := b.split(link, ch)
	if err != nil {
		return Params{}, err
	}
	r := reader{builder: b, channel: parts.channel}
	separator := "&"
	if parts.channel == NaverTalkTalk {
		separator = b.naverSeparator
	}
	if err := r.readPairs(parts.pairs, separator); err != nil {
		return Params{}, err
	}
	if parts.channel == WebChatV2 && r.seen(keyParams) {
		if err := r.readPairs(r.packed, ","); err != nil {
			return Params{}, err
		}
	}
	return r.params(), nil
}

// reader collects the values of one link, keeping the first occurrence of each key.
type reader struct {
	builder    *Builder
	channel    Channel
	inPacked   bool // reading web chat v2's params pairs
	seenKeys   []string
	p          Params
	uid        string
	hasUID     bool
	packed     string
	parameters [MaxParameters]string
	lastParam  int // index+1 of the last custom parameter seen
}

func (r *reader) seen(key string) bool {
	for _, k := range r.seenKeys {
		if k == key {
			return true
		}
	}
	return false
}

func (r *reader) readPairs(raw, separator string) error {
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
		rawKey, rawValue := pair, ""
		if i := strings.IndexByte(pair, '='); i >= 0 {
			rawKey, rawValue = pair[:i], pair[i+1:]
		}
		key, value := rawKey, rawValue
		if !r.inPacked { // packed pairs were decoded with the params value
			var err error
			if key, err = unescape(rawKey); err != nil {
				continue // a name that does not decode is none of ours
			}
			if !isManagedKey(key) && key != r.builder.botStartKey {
				continue // other parameters are the base URL's business, whatever their encoding
			}
			if value, err = unescape(rawValue); err != nil {
				return &LinkError{Reason: "parameter " + key + " has an invalid percent-encoding"}
			}
		}
		scopedKey := key
		if r.inPacked {
			scopedKey = "params." + key
		}
		if r.seen(scopedKey) {
			continue
		}
		r.seenKeys = append(r.seenKeys, scopedKey)
		if err := r.set(key, value); err != nil {
			return err
		}
	}
	if r.channel == WebChatV2 && !r.inPacked {
		r.inPacked = true // the next readPairs call reads the packed params
	}
	return nil
}

// set stores one decoded pair according to the channel's parameter names.
func (r *reader) set(key, value string) error {
	switch {
	case r.channel == WebChatV2 && !r.inPacked:
		switch key {
		case keyCategoryV2:
			return r.setID(&r.p.CategoryID, key, value)
		case keyDivisionV2:
			return r.setID(&r.p.DivisionID, key, value)
		case keyParams:
			r.packed = value
		}
		return nil
	case r.channel == WebChatV1 && key == keyUID:
		r.uid, r.hasUID = value, true
		return nil
	case r.channel == KakaoTalk && key == r.builder.botStartKey:
		r.p.BotStart = strings.EqualFold(value, r.builder.botStartValue)
		return nil
	}
	switch key {
	case keySiteUID:
		r.p.SiteUID = value
	case keyName:
		r.p.CustomerName = value
	case keyPhone:
		r.p.CustomerPhone = value
	case keyTelephone:
		if r.inPacked { // web chat v2's params only, where Build puts it
			r.p.CustomerTelephone = value
		}
	case keyEmail:
		r.p.CustomerEmail = value
	case keyUserParameter:
		r.p.UserParameter = value
	case keyCategory:
		if r.channel != WebChatV2 {
			return r.setID(&r.p.CategoryID, key, value)
		}
	case keyDivision:
		if r.channel != WebChatV2 {
			return r.setID(&r.p.DivisionID, key, value)
		}
	default:
		if i := parameterIndex(key); i >= 0 {
			r.parameters[i] = value
			if value != "" && i+1 > r.lastParam {
				r.lastParam = i + 1
			}
		}
	}
	return nil
}

func (r *reader) setID(dst *int, key, value string) error {
	if value == "" {
		return nil
	}
	n, err := strconv.Atoi(value)
	if err != nil || n < 0 {
		return &LinkError{Reason: "parameter " + key + " is not a non-negative integer", Err: ErrInvalidID}
	}
	*dst = n
	return nil
}

func (r *reader) params() Params {
	p := r.p
	p.Channel = r.channel
	if r.channel == WebChatV1 && r.hasUID {
		p.SiteUID = r.uid // v1 carries the ID as uid; a site_uid is read only without one
	}
	if r.lastParam > 0 {
		p.Parameters = append([]string(nil), r.parameters[:r.lastParam]...)
	}
	return p
}
