package ssoda

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/kshop-dev/kshop/alimtalk"
	"github.com/kshop-dev/kshop/internal/wire"
)

// TemplateInfo is a template as Ssoda describes it.
type TemplateInfo struct {
	// SenderKey is the sender profile the template belongs to ("" when the answer omits it).
	SenderKey string
	// Template holds the code, texts, types, buttons and category, and its TemplateState
	// decoded from the status fields (inspectionStatus / templateStatus / status, …).
	Template alimtalk.Template
	// RawInspection and RawStatus are the status texts as Ssoda wrote them.
	RawInspection, RawStatus string
	// Comments are the reviewer's comments (a rejection's reason), newest last, when given.
	Comments []string
	// CreatedAt and UpdatedAt are the registration and last-change times, when given (KST).
	CreatedAt, UpdatedAt time.Time
	// Raw is the template's JSON object (for an Add or RequestReview answer without one, the
	// whole answer).
	Raw json.RawMessage
}

// templateBody builds the add request from an alimtalk.Template. The camelCase names of the
// text fields, category and buttons {name, linkType, linkMo, linkPc} are confirmed; the image,
// item-list, quick-reply, app-link and security fields follow Bizppurio's kapi (inferred).
func (c *Client) templateBody(senderKey string, t *alimtalk.Template) *object {
	o := c.newBody()
	o.str("senderKey", senderKey)
	o.str("templateCode", t.Code)
	o.str("templateName", t.Name)
	mt := t.MessageType
	if mt == "" {
		mt = alimtalk.MessageBasic
	}
	o.str("templateMessageType", string(mt))
	em := t.Emphasis
	if em == "" {
		em = alimtalk.EmphasisNone
	}
	o.str("templateEmphasizeType", string(em))
	o.str("templateContent", t.Content)
	o.optStr("templateExtra", t.Extra)
	o.optStr("templateAd", t.Ad)
	o.optStr("templateTitle", t.Title)
	o.optStr("templateSubtitle", t.Subtitle)
	o.optStr("templateImageName", t.ImageName)
	o.optStr("templateImageUrl", t.ImageURL)
	o.str("categoryCode", t.CategoryCode)
	if t.Security {
		o.raw("securityFlag", []byte("true"))
	}
	if l := t.ItemList; l != nil {
		o.optStr("templateHeader", l.Header)
		if h := l.Highlight; h != nil {
			hl := newObject(3)
			hl.str("title", h.Title)
			hl.str("description", h.Description)
			hl.optStr("imageUrl", h.ImageURL)
			o.obj("templateItemHighlight", hl)
		}
		items := newObject(2)
		rows := make([]*object, len(l.Items))
		for i, it := range l.Items {
			r := newObject(2)
			r.str("title", it.Title)
			r.str("description", it.Description)
			rows[i] = r
		}
		items.array("list", rows)
		if s := l.Summary; s != nil {
			sum := newObject(2)
			sum.str("title", s.Title)
			sum.str("description", s.Description)
			items.obj("summary", sum)
		}
		o.obj("templateItem", items)
	}
	if len(t.Buttons) > 0 {
		o.array("buttons", templateButtons(t.Buttons))
	}
	if len(t.QuickReplies) > 0 {
		o.array("quickReplies", templateButtons(t.QuickReplies))
	}
	return o
}

func templateButtons(bs []alimtalk.Button) []*object {
	out := make([]*object, len(bs))
	for i, b := range bs {
		o := newObject(7)
		o.str("name", b.Name)
		o.str("linkType", string(b.Type))
		o.optStr("linkMo", b.URLMobile)
		o.optStr("linkPc", b.URLPC)
		o.optStr("linkAnd", b.SchemeAndroid)
		o.optStr("linkIos", b.SchemeIOS)
		o.optStr("pluginId", b.PluginID)
		o.optStr("bizFormId", b.BizFormID)
		o.optStr("telNumber", b.Phone)
		out[i] = o
	}
	return out
}

// decodeTemplate reads a template object permissively: Ssoda's answer field names were never
// published, so kapi's camelCase names and the variants working callers probe are all tried.
func decodeTemplate(raw json.RawMessage) (TemplateInfo, bool) {
	o, ok := wire.ParseObject(raw)
	if !ok {
		return TemplateInfo{}, false
	}
	t := alimtalk.Template{
		Code:         o.Str("templateCode", "template_code", "templtCode", "templt_code"),
		Name:         o.Str("templateName", "template_name", "templtName", "templt_name", "name"),
		Content:      rawText(o, "templateContent", "template_content", "templtContent", "templt_content", "content"),
		MessageType:  alimtalk.MessageType(strings.ToUpper(o.Str("templateMessageType", "messageType", "template_message_type"))),
		Emphasis:     alimtalk.Emphasis(strings.ToUpper(o.Str("templateEmphasizeType", "emphasizeType", "template_emphasize_type"))),
		Title:        rawText(o, "templateTitle", "template_title"),
		Subtitle:     rawText(o, "templateSubtitle", "template_subtitle"),
		Extra:        rawText(o, "templateExtra", "template_extra"),
		Ad:           rawText(o, "templateAd", "template_ad"),
		ImageName:    o.Str("templateImageName", "template_image_name"),
		ImageURL:     o.Str("templateImageUrl", "template_image_url"),
		CategoryCode: o.Str("categoryCode", "templateCategoryCode", "category_code"),
		Buttons:      decodeButtons(o, "buttons", "button"),
		QuickReplies: decodeButtons(o, "quickReplies", "quick_replies"),
	}
	if v, set := flag(o, "securityFlag", "security_flag"); set {
		t.Security = v
	}
	info := TemplateInfo{
		SenderKey:     o.Str("senderKey", "sender_key"),
		RawInspection: o.Str("inspectionStatus", "templateInspectionStatus", "templtInspectionStatus", "inspection_status", "templt_inspection_status"),
		RawStatus:     o.Str("status", "templateStatus", "serviceStatus", "templtStatus", "service_status", "template_status"),
		Raw:           append(json.RawMessage(nil), raw...),
	}
	t.TemplateState = parseTemplateState(info.RawInspection, info.RawStatus)
	if v, set := flag(o, "dormant", "isDormant", "templateDormant"); set {
		t.Dormant = v
	}
	if v, set := flag(o, "block", "blocked", "isBlock", "templateBlock"); set {
		t.Blocked = v
	}
	info.Template = t
	info.Comments = decodeComments(o)
	info.CreatedAt = parseTime(o.Str("createdAt", "created_at", "regDate", "reg_date", "createDate"))
	info.UpdatedAt = parseTime(o.Str("modifiedAt", "updatedAt", "updated_at", "modDate", "mod_date", "modifyDate"))
	return info, true
}

// rawText reads a text field without trimming (template texts are matched exactly).
func rawText(o wire.Object, keys ...string) string {
	for _, k := range keys {
		if raw, ok := o[k]; ok {
			var s string
			if err := json.Unmarshal(raw, &s); err == nil && s != "" {
				return s
			}
		}
	}
	return ""
}

func decodeButtons(o wire.Object, keys ...string) []alimtalk.Button {
	rows, _ := o.Arr(keys...)
	var out []alimtalk.Button
	for _, raw := range rows {
		b, ok := wire.ParseObject(raw)
		if !ok {
			continue
		}
		out = append(out, alimtalk.Button{
			Type:          alimtalk.ButtonType(strings.ToUpper(b.Str("linkType", "type", "buttonType"))),
			Name:          b.Str("name", "buttonName"),
			URLMobile:     b.Str("linkMo", "url_mobile", "linkMobile", "linkM"),
			URLPC:         b.Str("linkPc", "url_pc", "linkP"),
			SchemeAndroid: b.Str("linkAnd", "scheme_android", "schemeAndroid", "linkA"),
			SchemeIOS:     b.Str("linkIos", "scheme_ios", "schemeIos", "linkI"),
			PluginID:      b.Str("pluginId", "plugin_id"),
			BizFormID:     b.Str("bizFormId", "biz_form_id"),
			Phone:         b.Str("telNumber", "tel_number", "phone"),
		})
	}
	return out
}

func decodeComments(o wire.Object) []string {
	var out []string
	if rows, ok := o.Arr("comments", "comment", "templateComments"); ok {
		for _, raw := range rows {
			if c, ok := wire.ParseObject(raw); ok {
				if s := c.Str("content", "comment", "commentContent", "message"); s != "" {
					out = append(out, s)
				}
				continue
			}
			var s string
			if json.Unmarshal(raw, &s) == nil && s != "" {
				out = append(out, s)
			}
		}
	}
	if s := o.Str("rejectReason", "reject_reason", "rejectedReason"); s != "" {
		out = append(out, s)
	}
	return out
}

// parseTemplateState maps status texts onto alimtalk's lifecycle: REG/REQ/APR/REJ (kapi),
// their Korean names, NHN's TSC01–TSC04; service R/A/S, their Korean and English names. A
// status field holding an inspection value (some answers have only "status") counts as the
// inspection.
func parseTemplateState(inspection, status string) alimtalk.TemplateState {
	var st alimtalk.TemplateState
	st.Inspection = parseInspection(inspection)
	svc, ok := parseService(status)
	switch {
	case ok:
		st.Service = svc
	case st.Inspection == "":
		st.Inspection = parseInspection(status)
	}
	return st
}

func parseInspection(s string) alimtalk.InspectionStatus {
	switch strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(s), " ", "")) {
	case "REG", "등록", "TSC01", "REGISTERED":
		return alimtalk.InspectionRegistered
	case "REQ", "검수요청", "검수중", "TSC02", "REQUESTED", "INSPECTING":
		return alimtalk.InspectionRequested
	case "APR", "승인", "검수완료", "TSC03", "APPROVED":
		return alimtalk.InspectionApproved
	case "REJ", "반려", "TSC04", "REJECTED":
		return alimtalk.InspectionRejected
	}
	return ""
}

func parseService(s string) (alimtalk.ServiceStatus, bool) {
	switch strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(s), " ", "")) {
	case "R", "대기", "발송전", "READY":
		return alimtalk.ServiceReady, true
	case "A", "정상", "ACTIVE":
		return alimtalk.ServiceActive, true
	case "S", "중지", "STOP", "STOPPED":
		return alimtalk.ServiceStopped, true
	}
	return "", false
}

func parseTime(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	if t, err := wire.ParseKSTAny(s); err == nil {
		return t
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t
	}
	return time.Time{}
}

// findTemplateObject returns the first object under raw (depth-first, at most 5 levels) whose
// template code is code; with code "", the first object that has a template code.
func findTemplateObject(raw json.RawMessage, code string, depth int) (json.RawMessage, bool) {
	if depth > 5 {
		return nil, false
	}
	if o, ok := wire.ParseObject(raw); ok {
		if c := o.Str("templateCode", "template_code", "templtCode", "templt_code"); c != "" && (code == "" || c == code) {
			return raw, true
		}
		for _, v := range o {
			if found, ok := findTemplateObject(v, code, depth+1); ok {
				return found, true
			}
		}
		return nil, false
	}
	if a, ok := wire.ParseArray(raw); ok {
		for _, v := range a {
			if found, ok := findTemplateObject(v, code, depth+1); ok {
				return found, true
			}
		}
	}
	return nil, false
}
