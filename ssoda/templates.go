package ssoda

import (
	"context"
	"encoding/json"
	"errors"
	"iter"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/alimtalk"
	"github.com/kshop-dev/kshop/internal/transport"
	"github.com/kshop-dev/kshop/internal/wire"
)

// MaxReviewCommentRunes is the longest review-request comment (kapi: 500).
const MaxReviewCommentRunes = 500

// DefaultTemplatePageSize is the template page size asked for when none is given (what the
// working caller asks for).
const DefaultTemplatePageSize = 100

// AddTemplateRequest registers a template.
type AddTemplateRequest struct {
	// SenderKey is the sender profile; empty means Credentials.SenderKey.
	SenderKey string
	// Template is the template to register. Its TemplateState is ignored.
	Template alimtalk.Template
}

// Add registers a template for review: POST /kakao/template/add (confirmed; camelCase body:
// senderKey, templateCode, templateName, templateMessageType, templateEmphasizeType,
// templateContent, templateExtra, templateAd, templateTitle, templateSubtitle, categoryCode,
// buttons [{name, linkType, linkMo, linkPc}]; the image, item-list, quick-reply, app-link and
// security fields use kapi's names, inferred).
//
// The template is checked before anything is sent: Kakao's rules (alimtalk.Template.Validate
// with the client's Limits), Ssoda's code rule (5–30 of [A-Za-z0-9_-]), and a name and a
// category code, which Ssoda's console requires. The error is then a *kshop.ValidationError
// listing every problem (Field "Template.Content", …; each Err is alimtalk's *FieldError).
//
// A new template is in REG (registered, not submitted): call RequestReview next. The returned
// state is the answer's when it has one, else REG.
func (s *TemplatesService) Add(ctx context.Context, req AddTemplateRequest) (*TemplateInfo, error) {
	const call = "Templates.Add"
	if err := wire.CheckContext(ctx, "ssoda."+call); err != nil {
		return nil, err
	}
	ch := newChecker(call)
	key := s.c.senderKey(ch, req.SenderKey)
	t := req.Template
	t.TemplateState = alimtalk.TemplateState{}
	s.c.validateTemplate(ch, &t)
	if err := ch.err(); err != nil {
		return nil, err
	}
	a, err := s.c.post(ctx, call, s.c.s.paths.TemplateAdd, transport.NonIdempotent, s.c.templateBody(key, &t))
	if err != nil {
		return nil, err
	}
	return ackTemplate(a, key, t, alimtalk.InspectionRegistered), nil
}

// validateTemplate checks t against alimtalk's rules plus Ssoda's code rule and required
// fields, into ch (fields under "Template.").
func (c *Client) validateTemplate(ch *checker, t *alimtalk.Template) {
	c.checkCode(ch, "Template.Code", t.Code)
	if strings.TrimSpace(t.Name) == "" {
		ch.problem("Template.Name", "templateName", kshop.RuleRequired, "")
	}
	if t.CategoryCode == "" {
		ch.problem("Template.CategoryCode", "categoryCode", kshop.RuleRequired, "6 digits; Templates.Categories lists them")
	} else {
		ch.ident("Template.CategoryCode", "categoryCode", t.CategoryCode, true, MaxCategoryCodeLength)
	}
	ch.fieldErrors("Template", t.Validate(c.limits))
}

// ackTemplate builds the result of an add or review request: the template from the answer
// when it holds one, else the request's template in the state the call implies.
func ackTemplate(a *answer, key string, t alimtalk.Template, implied alimtalk.InspectionStatus) *TemplateInfo {
	if raw, ok := findTemplateObject(json.RawMessage(a.raw), t.Code, 0); ok {
		if info, ok := decodeTemplate(raw); ok {
			if info.Template.Content == "" {
				st := info.Template.TemplateState
				info.Template = t
				info.Template.TemplateState = st
			}
			if info.Template.Inspection == "" {
				info.Template.Inspection = implied
			}
			if info.SenderKey == "" {
				info.SenderKey = key
			}
			return &info
		}
	}
	t.TemplateState = alimtalk.TemplateState{Inspection: implied}
	return &TemplateInfo{SenderKey: key, Template: t, Raw: json.RawMessage(a.raw)}
}

// TemplateRef names one template.
type TemplateRef struct {
	// SenderKey is the sender profile; empty means Credentials.SenderKey.
	SenderKey string
	// Code is the template code.
	Code string
}

// ReviewRequest asks Kakao to review a registered template.
type ReviewRequest struct {
	// SenderKey is the sender profile; empty means Credentials.SenderKey.
	SenderKey string
	// Code is the template code.
	Code string
	// Comment is an optional note to the reviewer (at most 500 characters).
	Comment string
}

// RequestReview submits a registered (REG) template to Kakao's review: POST
// /kakao/template/request (confirmed: senderKey, templateCode, comment ≤ 500). The template
// moves to REQ; Kakao answers in about two business days with APR or REJ (see Detail). The
// returned state is the answer's when it has one, else REQ.
func (s *TemplatesService) RequestReview(ctx context.Context, req ReviewRequest) (*TemplateInfo, error) {
	const call = "Templates.RequestReview"
	if err := wire.CheckContext(ctx, "ssoda."+call); err != nil {
		return nil, err
	}
	ch := newChecker(call)
	key := s.c.senderKey(ch, req.SenderKey)
	s.c.checkCode(ch, "Code", req.Code)
	if n := utf8.RuneCountInString(req.Comment); n > MaxReviewCommentRunes {
		ch.add(&kshop.FieldError{Field: "Comment", Key: "comment", Rule: kshop.RuleTooLong, Limit: MaxReviewCommentRunes, Got: n})
	} else {
		ch.text("Comment", "comment", req.Comment, "\n\r\t")
	}
	if err := ch.err(); err != nil {
		return nil, err
	}
	o := s.c.newBody()
	o.str("senderKey", key)
	o.str("templateCode", req.Code)
	o.optStr("comment", req.Comment)
	a, err := s.c.post(ctx, call, s.c.s.paths.TemplateRequest, transport.NonIdempotent, o)
	if err != nil {
		return nil, err
	}
	return ackTemplate(a, key, alimtalk.Template{Code: req.Code}, alimtalk.InspectionRequested), nil
}

// checkCode checks a template code against Ssoda's rule (5–30 of [A-Za-z0-9_-]), into ch.
func (c *Client) checkCode(ch *checker, field, code string) {
	if err := c.limits.ValidateTemplateCode(code); err != nil {
		rule := kshop.RuleFormat
		var fe *alimtalk.FieldError
		if errors.As(err, &fe) {
			rule = fe.Reason.Rule()
		}
		ch.add(&kshop.FieldError{Field: field, Key: "templateCode", Rule: rule, Detail: "not a valid Ssoda template code", Err: err})
	}
}

// Detail reads one template: POST /kakao/template/detail (confirmed request: senderKey,
// templateCode; the answer's field names are not published and are decoded permissively,
// kapi's names first). It is read-only, hence Idempotent (retried) although it is a POST.
func (s *TemplatesService) Detail(ctx context.Context, ref TemplateRef) (*TemplateInfo, error) {
	const call = "Templates.Detail"
	if err := wire.CheckContext(ctx, "ssoda."+call); err != nil {
		return nil, err
	}
	ch := newChecker(call)
	key := s.c.senderKey(ch, ref.SenderKey)
	s.c.checkCode(ch, "Code", ref.Code)
	if err := ch.err(); err != nil {
		return nil, err
	}
	o := s.c.newBody()
	o.str("senderKey", key)
	o.str("templateCode", ref.Code)
	a, err := s.c.post(ctx, call, s.c.s.paths.TemplateDetail, transport.Idempotent, o)
	if err != nil {
		return nil, err
	}
	raw, ok := findTemplateObject(json.RawMessage(a.raw), ref.Code, 0)
	if !ok {
		return nil, s.c.badAnswer(call, a.status, nil, a.raw, "the answer holds no template with the code asked for", false, nil)
	}
	info, _ := decodeTemplate(raw)
	if info.SenderKey == "" {
		info.SenderKey = key
	}
	return &info, nil
}

// TemplateListRequest pages through a sender profile's templates.
type TemplateListRequest struct {
	// SenderKey is the sender profile; empty means Credentials.SenderKey.
	SenderKey string
	// Page is the 1-based page (default 1); All ignores it.
	Page int
	// Count is the page size, 1–1000 (default 100).
	Count int
	// Extra adds body fields (kapi also takes templateStatus, keyword, startDate, endDate;
	// unconfirmed at Ssoda).
	Extra map[string]any
}

// TemplatePage is one page of templates.
type TemplatePage struct {
	// Templates are the page's templates.
	Templates []TemplateInfo
	// Page and Count are what was asked.
	Page, Count int
	// Total is the number of templates when the answer says, else -1.
	Total int
	// Raw is the whole answer.
	Raw json.RawMessage
}

// List reads one page of templates: POST /kakao/template/list (confirmed request: senderKey,
// page and count as strings; where the answer keeps the rows is not published, so list,
// templates, result and data are tried, at the top and inside content). Idempotent.
func (s *TemplatesService) List(ctx context.Context, req TemplateListRequest) (*TemplatePage, error) {
	const call = "Templates.List"
	if err := wire.CheckContext(ctx, "ssoda."+call); err != nil {
		return nil, err
	}
	ch := newChecker(call)
	key := s.c.senderKey(ch, req.SenderKey)
	page, count := req.Page, req.Count
	if page == 0 {
		page = 1
	}
	if count == 0 {
		count = DefaultTemplatePageSize
	}
	if page < 1 || page > maxPages {
		ch.add(&kshop.FieldError{Field: "Page", Key: "page", Rule: kshop.RuleRange, Limit: maxPages, Detail: "must be 1 to 10000"})
	}
	if count < 1 || count > MaxListLimit {
		ch.add(&kshop.FieldError{Field: "Count", Key: "count", Rule: kshop.RuleRange, Limit: MaxListLimit, Detail: "must be 1 to 1000"})
	}
	if err := ch.err(); err != nil {
		return nil, err
	}
	o := s.c.newBody()
	o.str("senderKey", key)
	o.str("page", strconv.Itoa(page))
	o.str("count", strconv.Itoa(count))
	if err := o.extra(call, req.Extra); err != nil {
		return nil, err
	}
	a, err := s.c.post(ctx, call, s.c.s.paths.TemplateList, transport.Idempotent, o)
	if err != nil {
		return nil, err
	}
	rows, found := findRows(a, "list", "templates", "templateList", "template", "result", "data")
	if !found {
		// An answer with no list says nothing about the templates: zero of them would empty
		// the template cache, and a send would then find none.
		return nil, s.c.badAnswer(call, a.status, nil, a.raw, "no template list in the answer", false, nil)
	}
	out := &TemplatePage{Page: page, Count: count, Total: total(a), Raw: json.RawMessage(a.raw)}
	for _, raw := range rows {
		if info, ok := decodeTemplate(raw); ok && info.Template.Code != "" {
			if info.SenderKey == "" {
				info.SenderKey = key
			}
			out.Templates = append(out.Templates, info)
		}
	}
	return out, nil
}

// All iterates over every template page by page (stopping at the first page shorter than
// Count; ErrPagingStalled if Ssoda repeats a page).
func (s *TemplatesService) All(ctx context.Context, req TemplateListRequest) iter.Seq2[TemplateInfo, error] {
	count := req.Count
	if count == 0 {
		count = DefaultTemplatePageSize
	}
	return paginate(ctx, "Templates.All", count, func(ctx context.Context, page int) ([]TemplateInfo, error) {
		r := req
		r.Page = page
		p, err := s.List(ctx, r)
		if err != nil {
			return nil, err
		}
		return p.Templates, nil
	}, func(t TemplateInfo) string { return string(t.Raw) })
}

// Load reads every template of a sender profile (All, plus Detail for those the list shows
// without their content) into an alimtalk.TemplateSet for WithTemplates, so Send can render
// messages from variables and catch a text that would not match (Kakao 3016) before sending.
func (s *TemplatesService) Load(ctx context.Context, req TemplateListRequest) (alimtalk.TemplateSet, error) {
	if err := wire.CheckContext(ctx, "ssoda.Templates.Load"); err != nil {
		return nil, err
	}
	var list []alimtalk.Template
	for info, err := range s.All(ctx, req) {
		if err != nil {
			return nil, err
		}
		if info.Template.Content == "" {
			d, err := s.Detail(ctx, TemplateRef{SenderKey: info.SenderKey, Code: info.Template.Code})
			if err != nil {
				return nil, err
			}
			info = *d
		}
		list = append(list, info.Template)
	}
	// NewTemplateSet parses each text once for every send that renders it.
	return alimtalk.NewTemplateSet(list...), nil
}

// CodeCheck is the answer of CheckCode.
type CodeCheck struct {
	// Code is the code checked.
	Code string
	// Available is true when the code can be used for a new template.
	Available bool
	// Message is Ssoda's text, if any.
	Message string
	// Raw is the whole answer.
	Raw json.RawMessage
}

// duplicateMessage recognizes a refusal that means "this code is taken".
var duplicateMessage = regexp.MustCompile(`(?i)(중복|이미|사용\s*중|존재하는|exist|duplicat|already|in use|taken)`)

// CheckCode asks whether a template code is free: POST /kakao/template/codeCheck (confirmed
// request: senderKey, templateCode). The code is first checked against the 5–30
// [A-Za-z0-9_-] rule. The answer's meaning is inferred: a success, or an explicit
// available/duplicate flag, means free; a refusal that says the code exists or is a duplicate
// means taken (Available false, no error); other refusals are errors. Idempotent.
func (s *TemplatesService) CheckCode(ctx context.Context, ref TemplateRef) (*CodeCheck, error) {
	const call = "Templates.CheckCode"
	if err := wire.CheckContext(ctx, "ssoda."+call); err != nil {
		return nil, err
	}
	ch := newChecker(call)
	key := s.c.senderKey(ch, ref.SenderKey)
	s.c.checkCode(ch, "Code", ref.Code)
	if err := ch.err(); err != nil {
		return nil, err
	}
	o := s.c.newBody()
	o.str("senderKey", key)
	o.str("templateCode", ref.Code)
	a, err := s.c.post(ctx, call, s.c.s.paths.TemplateCodeCheck, transport.Idempotent, o)
	if err != nil {
		var ae *APIError
		if errors.As(err, &ae) && ae.ip == nil && !ae.unauthorized && ae.HTTPStatus < 500 && duplicateMessage.MatchString(ae.Message) {
			return &CodeCheck{Code: ref.Code, Available: false, Message: ae.Message, Raw: ae.Body}, nil
		}
		return nil, err
	}
	res := &CodeCheck{Code: ref.Code, Available: true, Raw: json.RawMessage(a.raw)}
	for _, obj := range []wire.Object{a.contentObject(), a.root} {
		if v, set := flag(obj, "available", "isAvailable", "usable", "isUsable", "possible"); set {
			res.Available = v
			break
		}
		if v, set := flag(obj, "duplicate", "isDuplicate", "duplicated", "exist", "exists", "isExist"); set {
			res.Available = !v
			break
		}
	}
	res.Message = a.contentObject().Str("message", "msg")
	if res.Message == "" {
		res.Message = a.root.Str("message", "msg")
	}
	return res, nil
}

// TemplateCategory is one of Kakao's template categories.
type TemplateCategory struct {
	// Code is the 6-digit category code for alimtalk.Template.CategoryCode.
	Code string
	// Name and GroupName describe it ("주문/예약" in group "거래").
	Name, GroupName string
	// Inclusion and Exclusion say what belongs in it and what does not.
	Inclusion, Exclusion string
}

// Categories lists Kakao's template categories: POST /kakao/template/category/all
// (confirmed; items {code, name, groupName, inclusion (or Inclusion), exclusion} under
// category, at the top or inside content). Idempotent.
func (s *TemplatesService) Categories(ctx context.Context) ([]TemplateCategory, error) {
	if err := wire.CheckContext(ctx, "ssoda.Templates.Categories"); err != nil {
		return nil, err
	}
	a, err := s.c.post(ctx, "Templates.Categories", s.c.s.paths.TemplateCategories, transport.Idempotent, s.c.newBody())
	if err != nil {
		return nil, err
	}
	rows, _ := findRows(a, "category", "categories", "list", "data")
	out := make([]TemplateCategory, 0, len(rows))
	for _, raw := range rows {
		o, ok := wire.ParseObject(raw)
		if !ok {
			continue
		}
		c := TemplateCategory{
			Code:      o.Str("code", "categoryCode"),
			Name:      o.Str("name", "categoryName"),
			GroupName: o.Str("groupName", "group_name"),
			Inclusion: o.Str("inclusion", "Inclusion"),
			Exclusion: o.Str("exclusion", "Exclusion"),
		}
		if c.Code != "" {
			out = append(out, c)
		}
	}
	return out, nil
}
