package alimtalk

import (
	"strconv"
	"strings"
)

// MessageType is a template's message type (templateMessageType).
type MessageType string

// Message types. The zero value is treated as MessageBasic.
const (
	MessageBasic     MessageType = "BA" // 기본형
	MessageExtraInfo MessageType = "EX" // 부가정보형: needs Extra
	MessageChannelAd MessageType = "AD" // 채널추가형: needs Ad and a first AC button
	MessageMixed     MessageType = "MI" // 복합형: needs Extra, Ad and a first AC button
)

// orDefault maps the zero value to BA.
func (t MessageType) orDefault() MessageType {
	if t == "" {
		return MessageBasic
	}
	return t
}

// Emphasis is a template's emphasis type (templateEmphasizeType).
type Emphasis string

// Emphasis types. The zero value is treated as EmphasisNone.
const (
	EmphasisNone     Emphasis = "NONE"      // plain text
	EmphasisText     Emphasis = "TEXT"      // 강조표기형: Title and Subtitle
	EmphasisImage    Emphasis = "IMAGE"     // 이미지형: ImageName and ImageURL
	EmphasisItemList Emphasis = "ITEM_LIST" // 아이템리스트형: ItemList (content ≤ 700)
)

func (e Emphasis) orDefault() Emphasis {
	if e == "" {
		return EmphasisNone
	}
	return e
}

// ItemList is the body of an ITEM_LIST template (kapi templateHeader, templateItemHighlight,
// templateItem). Texts may hold variables.
type ItemList struct {
	// Header is shown above the list (≤ 16).
	Header string
	// Highlight is the optional highlighted block.
	Highlight *ItemHighlight
	// Items are the rows: 2–10, title ≤ 6, description ≤ 23.
	Items []Item
	// Summary is the optional last row (title ≤ 6, description ≤ 14).
	Summary *Item
}

// ItemHighlight is an item list's highlight: title ≤ 30 (21 with a thumbnail), description
// ≤ 19 (13 with a thumbnail).
type ItemHighlight struct {
	// Title and Description are the highlighted texts (variables allowed).
	Title, Description string
	// ImageURL is the optional thumbnail.
	ImageURL string
}

// Item is one row of an item list, or its summary.
type Item struct {
	// Title and Description are the row's label and value.
	Title, Description string
}

// Template is a Kakao AlimTalk template as registered with Kakao through a provider. Only
// Content, Title and button URLs take #{…} variables at send time.
//
// Template is a plain value: Render, Match and Validate parse Content on every call (cheap:
// see the benchmarks) so a Template needs no compilation step and is safe to share between
// goroutines as long as nobody modifies it.
type Template struct {
	// Code identifies the template at the provider (template_code, tpl_code, template_id).
	Code string
	// Name is the display name (≤ 150).
	Name string
	// Content is the body with #{name} placeholders.
	Content string
	// MessageType is BA (default), EX, AD or MI.
	MessageType MessageType
	// Emphasis is NONE (default), TEXT, IMAGE or ITEM_LIST.
	Emphasis Emphasis
	// Title and Subtitle are the emphasis texts of TEXT templates (≤ 50 each). Title may
	// hold variables.
	Title, Subtitle string
	// ImageName and ImageURL are the image of IMAGE templates (and optionally ITEM_LIST).
	ImageName, ImageURL string
	// ItemList is the body of ITEM_LIST templates.
	ItemList *ItemList
	// Extra is the extra information of EX and MI templates.
	Extra string
	// Ad is the advertisement text of AD and MI templates.
	Ad string
	// Buttons are at most 5 (2 with quick replies).
	Buttons []Button
	// QuickReplies (바로연결) are at most 10 (NHN: 5; see Limits.QuickReplies).
	QuickReplies []Button
	// CategoryCode is Kakao's 6-digit template category ("001001"; NHN's default "999999").
	CategoryCode string
	// Security marks OTP-like templates whose text is hidden on secondary devices.
	Security bool
	// TemplateState is the review and service status.
	TemplateState

	// compiled is Content parsed once by NewTemplateSet and shared by every Preparer that
	// renders the template (a Preparer checks it still describes Content).
	compiled *compiledPattern
	// compiledLinks are the Buttons' link patterns parsed once by NewTemplateSet, one per
	// button, checked the same way before use.
	compiledLinks []buttonLinks
}

// buttonLinks are a button's four link patterns, parsed.
type buttonLinks struct {
	mobile, pc, android, ios *compiledPattern
}

// compileLinks parses the link patterns of buttons.
func compileLinks(buttons []Button) []buttonLinks {
	if len(buttons) == 0 {
		return nil
	}
	out := make([]buttonLinks, len(buttons))
	for i := range buttons {
		b := &buttons[i]
		out[i] = buttonLinks{compilePattern(b.URLMobile), compilePattern(b.URLPC),
			compilePattern(b.SchemeAndroid), compilePattern(b.SchemeIOS)}
	}
	return out
}

// linksOf returns the parsed link patterns of button i when they still describe it, else nil.
func (t *Template) linksOf(i int, b *Button) *buttonLinks {
	if i >= len(t.compiledLinks) {
		return nil
	}
	l := &t.compiledLinks[i]
	if l.mobile.src != b.URLMobile || l.pc.src != b.URLPC || l.android.src != b.SchemeAndroid || l.ios.src != b.SchemeIOS {
		return nil
	}
	return l
}

// Variables returns the distinct placeholder names of Content in order of first appearance
// (without #{ }).
func (t *Template) Variables() []string { return placeholderNames(t.Content) }

// Render fills Content's placeholders from vars. Every absent variable is reported at once in
// a *MissingVariablesError; an empty string counts as given. Entries of vars that the
// template does not use are ignored, so one map can serve several templates (the dispatcher
// relies on that). Values are inserted verbatim: they may hold anything, newlines included.
func (t *Template) Render(vars map[string]string) (string, error) {
	out, missing := renderPattern(t.Content, vars, nil)
	if len(missing) > 0 {
		return "", &MissingVariablesError{Names: missing}
	}
	return out, nil
}

// Match reports whether text is exactly Content with each placeholder replaced by some value,
// newlines included: the check Kakao makes before delivering (result 3016 otherwise). Values
// may be empty and may contain anything, including "#{" and copies of the template's own
// wording. The error is a *MismatchError locating the first divergence (best effort: when a
// literal part is missing, it points after the longest piece of that part found).
func (t *Template) Match(text string) error {
	if m := matchPattern(t.Content, text); m != nil {
		m.TemplateCode = t.Code
		return m
	}
	return nil
}

// Validate checks the template against Kakao's rules with the limits lim (zero fields take
// the defaults): content length (content plus extra text; 700 for ITEM_LIST), the number of
// variables, texts that are not valid UTF-8 or hold control characters (line breaks and tabs
// are allowed in the content, extra and ad texts), a "#{" in the content or title that opens
// no variable (an unclosed "#{name"), the message-type and emphasis combinations, buttons and
// quick replies, the category code and the status values. It returns nil or FieldErrors
// listing every problem. Template codes are not checked here; see ValidateTemplateCode.
func (t *Template) Validate(lim Limits) error {
	lim = lim.withDefaults()
	var errs FieldErrors
	add := func(field string, r Reason, detail string) {
		errs = append(errs, &FieldError{Key: field, Reason: r, Detail: detail})
	}
	tooLong := func(field, value string, limit int) {
		if n := runes(value); n > limit {
			errs = append(errs, &FieldError{Key: field, Reason: ReasonTooLong, Limit: limit, Got: n})
		}
	}

	tooLong("name", t.Name, lim.TemplateNameRunes)

	emphasis := t.Emphasis.orDefault()
	contentLimit := lim.ContentRunes
	if emphasis == EmphasisItemList {
		contentLimit = lim.ItemListContentRunes
	}
	if strings.TrimSpace(t.Content) == "" {
		add("content", ReasonRequired, "")
	} else if n := runes(t.Content) + runes(t.Extra); n > contentLimit {
		fe := &FieldError{Key: "content", Reason: ReasonTooLong, Limit: contentLimit, Got: n}
		if t.Extra != "" {
			fe.Detail = "content and extra text together"
		}
		errs = append(errs, fe)
	}
	errs = checkText("name", t.Name, false, errs)
	errs = checkPattern("content", t.Content, true, errs)
	errs = checkPattern("title", t.Title, false, errs)
	errs = checkText("subtitle", t.Subtitle, false, errs)
	errs = checkText("extra", t.Extra, true, errs)
	errs = checkText("ad", t.Ad, true, errs)
	if n := placeholderCount(t.Content); n > lim.Variables {
		errs = append(errs, &FieldError{Key: "content", Reason: ReasonTooMany, Limit: lim.Variables, Got: n,
			Detail: "too many #{…} variables"})
	}

	errs = t.validateMessageType(lim, errs)
	errs = t.validateEmphasis(emphasis, lim, errs)
	errs = validateButtonList(t.Buttons, len(t.QuickReplies) > 0, &lim, errs)
	errs = validateQuickReplies(t.QuickReplies, &lim, errs)

	if t.CategoryCode != "" && !isDigits(t.CategoryCode, 6) {
		add("category_code", ReasonInvalid, "must be 6 digits")
	}
	if t.Inspection != "" && !t.Inspection.Known() {
		add("inspection_status", ReasonInvalid, "must be REG, REQ, APR or REJ")
	}
	if t.Service != "" && !t.Service.Known() {
		add("status", ReasonInvalid, "must be R, A or S")
	}
	return errs.err()
}

func (t *Template) validateMessageType(lim Limits, errs FieldErrors) FieldErrors {
	add := func(field string, r Reason, detail string) {
		errs = append(errs, &FieldError{Key: field, Reason: r, Detail: detail})
	}
	mt := t.MessageType.orDefault()
	needExtra, needAd := false, false
	switch mt {
	case MessageBasic:
	case MessageExtraInfo:
		needExtra = true
	case MessageChannelAd:
		needAd = true
	case MessageMixed:
		needExtra, needAd = true, true
	default:
		add("message_type", ReasonInvalid, "must be BA, EX, AD or MI")
		return errs
	}
	switch {
	case needExtra && strings.TrimSpace(t.Extra) == "":
		add("extra", ReasonRequired, string(mt)+" templates need extra information")
	case !needExtra && t.Extra != "":
		add("extra", ReasonNotAllowed, "only EX and MI templates carry extra information")
	}
	switch {
	case needAd && strings.TrimSpace(t.Ad) == "":
		add("ad", ReasonRequired, string(mt)+" templates need the advertisement text")
	case !needAd && t.Ad != "":
		add("ad", ReasonNotAllowed, "only AD and MI templates carry advertisement text")
	}
	if n := runes(t.Extra); n > lim.ExtraRunes {
		errs = append(errs, &FieldError{Key: "extra", Reason: ReasonTooLong, Limit: lim.ExtraRunes, Got: n})
	}
	if n := runes(t.Ad); n > lim.AdRunes {
		errs = append(errs, &FieldError{Key: "ad", Reason: ReasonTooLong, Limit: lim.AdRunes, Got: n})
	}
	hasAC := len(t.Buttons) > 0 && t.Buttons[0].Type == ButtonChannelAdd
	switch {
	case needAd && !hasAC:
		add("buttons[0].type", ReasonRequired, string(mt)+" templates need a channel-add (AC) button first")
	case !needAd && hasAC:
		add("buttons[0].type", ReasonNotAllowed, "channel-add (AC) buttons only in AD and MI templates")
	}
	return errs
}

func (t *Template) validateEmphasis(e Emphasis, lim Limits, errs FieldErrors) FieldErrors {
	add := func(field string, r Reason, detail string) {
		errs = append(errs, &FieldError{Key: field, Reason: r, Detail: detail})
	}
	limited := func(field, value string, limit int, required bool) {
		switch n := runes(value); {
		case required && strings.TrimSpace(value) == "":
			add(field, ReasonRequired, "")
		case n > limit:
			errs = append(errs, &FieldError{Key: field, Reason: ReasonTooLong, Limit: limit, Got: n})
		}
	}
	notAllowed := func(field string, set bool) {
		if set {
			add(field, ReasonNotAllowed, "not used with emphasis "+string(e))
		}
	}
	switch e {
	case EmphasisNone:
		notAllowed("title", t.Title != "")
		notAllowed("subtitle", t.Subtitle != "")
		notAllowed("image_url", t.ImageURL != "" || t.ImageName != "")
		notAllowed("item_list", t.ItemList != nil)
	case EmphasisText:
		limited("title", t.Title, lim.TitleRunes, true)
		limited("subtitle", t.Subtitle, lim.SubtitleRunes, true)
		notAllowed("image_url", t.ImageURL != "" || t.ImageName != "")
		notAllowed("item_list", t.ItemList != nil)
	case EmphasisImage:
		limited("image_name", t.ImageName, lim.URLRunes, true)
		limited("image_url", t.ImageURL, lim.URLRunes, true)
		notAllowed("title", t.Title != "")
		notAllowed("subtitle", t.Subtitle != "")
		notAllowed("item_list", t.ItemList != nil)
	case EmphasisItemList:
		notAllowed("title", t.Title != "")
		notAllowed("subtitle", t.Subtitle != "")
		limited("image_url", t.ImageURL, lim.URLRunes, false)
		errs = t.validateItemList(lim, errs)
	default:
		add("emphasis", ReasonInvalid, "must be NONE, TEXT, IMAGE or ITEM_LIST")
	}
	return errs
}

func (t *Template) validateItemList(lim Limits, errs FieldErrors) FieldErrors {
	l := t.ItemList
	if l == nil {
		return append(errs, &FieldError{Key: "item_list", Reason: ReasonRequired, Detail: "ITEM_LIST templates need items"})
	}
	check := func(field, value string, limit int) {
		switch n := runes(value); {
		case strings.TrimSpace(value) == "":
			errs = append(errs, &FieldError{Key: field, Reason: ReasonRequired})
		case n > limit:
			errs = append(errs, &FieldError{Key: field, Reason: ReasonTooLong, Limit: limit, Got: n})
		}
	}
	if n := runes(l.Header); n > lim.HeaderRunes {
		errs = append(errs, &FieldError{Key: "item_list.header", Reason: ReasonTooLong, Limit: lim.HeaderRunes, Got: n})
	}
	if h := l.Highlight; h != nil {
		titleLimit, descLimit := lim.HighlightTitleRunes, lim.HighlightDescriptionRunes
		if h.ImageURL != "" {
			titleLimit, descLimit = lim.HighlightTitleWithImageRunes, lim.HighlightDescriptionWithImageRunes
		}
		check("item_list.highlight.title", h.Title, titleLimit)
		check("item_list.highlight.description", h.Description, descLimit)
		if n := runes(h.ImageURL); n > lim.URLRunes {
			errs = append(errs, &FieldError{Key: "item_list.highlight.image_url", Reason: ReasonTooLong, Limit: lim.URLRunes, Got: n})
		}
	}
	if l.Header == "" && l.Highlight == nil && t.ImageURL == "" {
		errs = append(errs, &FieldError{Key: "item_list", Reason: ReasonRequired,
			Detail: "an item list needs an image, a header or a highlight"})
	}
	switch n := len(l.Items); {
	case n < lim.ItemsMin:
		errs = append(errs, &FieldError{Key: "item_list.items", Reason: ReasonTooFew, Limit: lim.ItemsMin, Got: n})
	case n > lim.ItemsMax:
		errs = append(errs, &FieldError{Key: "item_list.items", Reason: ReasonTooMany, Limit: lim.ItemsMax, Got: n})
	}
	for i, it := range l.Items {
		p := "item_list.items[" + strconv.Itoa(i) + "]"
		check(p+".title", it.Title, lim.ItemTitleRunes)
		check(p+".description", it.Description, lim.ItemDescriptionRunes)
	}
	if s := l.Summary; s != nil {
		check("item_list.summary.title", s.Title, lim.SummaryTitleRunes)
		check("item_list.summary.description", s.Description, lim.SummaryDescriptionRunes)
	}
	return errs
}

// isDigits reports whether s is exactly n ASCII digits.
func isDigits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
