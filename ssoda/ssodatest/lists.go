package ssodatest

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/kshop-dev/kshop/alimtalk"
	"github.com/kshop-dev/kshop/internal/wire"
	"github.com/kshop-dev/kshop/ssoda"
)

// listHandler serves the sent lists (rows under top-level result[], as the confirmed AlimTalk
// list) and the reserved lists (same shape plus send_time), newest first, filtered by
// where/keyword and the KST days start_date–end_date, paged by page and limit.
func (s *Server) listHandler(kind ssoda.Kind, reserved bool) handler {
	return func(body map[string]any) (int, map[string]any) {
		start, end := str(body, "start_date"), str(body, "end_date")
		for _, d := range []string{start, end} {
			if _, err := wire.ParseKST(wire.LayoutDashDate, d); err != nil {
				return http.StatusOK, failure(CodeBadRequest, "start_date, end_date 는 YYYY-MM-DD 형식이어야 합니다.")
			}
		}
		page, limit := intField(body, "page", 1), intField(body, "limit", 100)
		where, keyword := str(body, "where"), str(body, "keyword")
		now := s.opts.Now()
		var rows []*Message
		for _, m := range s.messages {
			if m.Kind != kind {
				continue
			}
			isReservation := m.Status == StatusReserved || m.Status == StatusCancelled
			if isReservation != reserved {
				continue
			}
			day := wire.FormatKST(s.rowTime(m, reserved), wire.LayoutDashDate)
			if day < start || day > end || !matches(m, where, keyword) {
				continue
			}
			rows = append(rows, m)
		}
		sort.SliceStable(rows, func(i, j int) bool { return rows[i].ID > rows[j].ID })
		total := len(rows)
		from := (page - 1) * limit
		if from > len(rows) {
			from = len(rows)
		}
		rows = rows[from:min(from+limit, len(rows))]
		out := make([]any, len(rows))
		for i, m := range rows {
			out[i] = s.row(m, reserved, now)
		}
		env := success(nil)
		env["result"] = out
		env["total_count"] = total
		return http.StatusOK, env
	}
}

// rowTime is a row's datetime: the acceptance time of a reservation, the send time of a sent
// message.
func (s *Server) rowTime(m *Message, reserved bool) (t time.Time) {
	if reserved {
		return m.AcceptedAt
	}
	return m.sentAt()
}

func matches(m *Message, where, keyword string) bool {
	if keyword == "" {
		return true
	}
	switch where {
	case "dest_phone":
		return m.To == digitsOf(keyword)
	case "send_phone":
		return m.Failover != nil && m.Failover.From == digitsOf(keyword)
	case "msg_body":
		return strings.Contains(m.Text, keyword)
	case "msg_id":
		return m.ID == keyword
	}
	return true
}

func (s *Server) row(m *Message, reserved bool, now time.Time) map[string]any {
	status := "성공"
	switch m.Status {
	case StatusReserved:
		status = "예약대기"
	case StatusCancelled:
		status = "예약취소"
	case StatusFailed, StatusFailedOver:
		status = "실패"
	}
	if !reserved && s.opts.DeliveryDelay > 0 && now.Before(m.sentAt().Add(s.opts.DeliveryDelay)) {
		status = "대기중"
	}
	from := ""
	if m.Failover != nil {
		from = m.Failover.From
	}
	r := map[string]any{
		"msg_id": m.ID, "datetime": kst(s.rowTime(m, reserved)), "status": status,
		"error_msg": "", "failover_msg": "", "dest_phone": m.To, "send_phone": from, "msg_body": m.Text,
	}
	if status != "대기중" {
		r["error_msg"], r["failover_msg"] = m.ErrorMessage, m.FailoverText
	}
	if m.TemplateCode != "" {
		r["template_code"] = m.TemplateCode
	}
	if reserved {
		r["send_time"] = kst(m.ScheduledAt)
	}
	return r
}

// templateAdd is POST /kakao/template/add: a new template in REG.
func (s *Server) templateAdd(body map[string]any) (int, map[string]any) {
	key := str(body, "senderKey")
	if !s.knownSenderKey(key) {
		return http.StatusOK, failure(CodeUnknownSenderKey, "등록되지 않은 발신프로필입니다.")
	}
	t := decodeTemplateBody(body)
	if err := alimtalk.ValidateTemplateCode(t.Code); err != nil {
		return http.StatusOK, failure(CodeBadRequest, "템플릿 코드는 영문, 숫자, _, - 조합 5~30자입니다.")
	}
	if _, dup := s.templates[tplKey{key, t.Code}]; dup {
		return http.StatusOK, failure(CodeConflict, "이미 사용중인 템플릿 코드입니다.")
	}
	if t.Name == "" || t.CategoryCode == "" {
		return http.StatusOK, failure(CodeMissingField, "필수 파라미터 누락: templateName, categoryCode")
	}
	if err := t.Validate(alimtalk.Limits{}); err != nil {
		return http.StatusOK, failure(CodeBadRequest, "템플릿이 카카오 규칙에 맞지 않습니다: "+err.Error())
	}
	t.TemplateState = alimtalk.TemplateState{Inspection: alimtalk.InspectionRegistered, Service: alimtalk.ServiceReady}
	k := tplKey{key, t.Code}
	s.tplOrder = append(s.tplOrder, k)
	s.templates[k] = &storedTemplate{t: t, created: s.opts.Now()}
	return http.StatusOK, success(s.templateJSON(k))
}

// templateRequest is POST /kakao/template/request: REG → REQ.
func (s *Server) templateRequest(body map[string]any) (int, map[string]any) {
	k := tplKey{str(body, "senderKey"), str(body, "templateCode")}
	st, ok := s.templates[k]
	if !ok {
		return http.StatusOK, failure(CodeTemplateNotFound, "템플릿을 찾을 수 없습니다.")
	}
	if len([]rune(str(body, "comment"))) > 500 {
		return http.StatusOK, failure(CodeBadRequest, "comment 는 500자 이하입니다.")
	}
	next, err := st.t.TemplateState.Apply(alimtalk.ActionRequestReview)
	if err != nil {
		return http.StatusOK, failure(CodeConflict, fmt.Sprintf("검수 요청할 수 없는 상태입니다. (%s)", st.t.Inspection))
	}
	st.t.TemplateState = next
	return http.StatusOK, success(s.templateJSON(k))
}

// templateList is POST /kakao/template/list: rows under content.list, paged by page and
// count.
func (s *Server) templateList(body map[string]any) (int, map[string]any) {
	key := str(body, "senderKey")
	if !s.knownSenderKey(key) {
		return http.StatusOK, failure(CodeUnknownSenderKey, "등록되지 않은 발신프로필입니다.")
	}
	page, count := intField(body, "page", 1), intField(body, "count", 30)
	var keys []tplKey
	for _, k := range s.tplOrder {
		if k.senderKey == key {
			keys = append(keys, k)
		}
	}
	total := len(keys)
	from := min((page-1)*count, len(keys))
	keys = keys[from:min(from+count, len(keys))]
	list := make([]any, len(keys))
	for i, k := range keys {
		list[i] = s.templateJSON(k)
	}
	return http.StatusOK, success(map[string]any{"list": list, "totalCount": total})
}

// templateDetail is POST /kakao/template/detail: the template under content.
func (s *Server) templateDetail(body map[string]any) (int, map[string]any) {
	k := tplKey{str(body, "senderKey"), str(body, "templateCode")}
	if _, ok := s.templates[k]; !ok {
		return http.StatusOK, failure(CodeTemplateNotFound, "템플릿을 찾을 수 없습니다.")
	}
	return http.StatusOK, success(s.templateJSON(k))
}

// templateCodeCheck is POST /kakao/template/codeCheck: 200 when the code is free.
func (s *Server) templateCodeCheck(body map[string]any) (int, map[string]any) {
	code := str(body, "templateCode")
	if alimtalk.ValidateTemplateCode(code) != nil {
		return http.StatusOK, failure(CodeBadRequest, "템플릿 코드는 영문, 숫자, _, - 조합 5~30자입니다.")
	}
	if _, dup := s.templates[tplKey{str(body, "senderKey"), code}]; dup {
		return http.StatusOK, failure(CodeConflict, "이미 사용중인 템플릿 코드입니다.")
	}
	return http.StatusOK, success(map[string]any{"message": "사용 가능한 템플릿 코드입니다."})
}

// templateCategories is POST /kakao/template/category/all: items under top-level category.
func (s *Server) templateCategories(map[string]any) (int, map[string]any) {
	env := success(nil)
	env["category"] = []any{
		map[string]any{"code": "001001", "name": "회원가입", "groupName": "회원", "inclusion": "가입 완료 안내", "exclusion": "광고성 혜택 안내"},
		map[string]any{"code": "002001", "name": "주문/예약", "groupName": "구매", "Inclusion": "주문 접수, 결제 완료", "exclusion": "재구매 유도"},
		map[string]any{"code": "002002", "name": "배송", "groupName": "구매", "inclusion": "배송 시작, 배송 완료", "exclusion": ""},
		map[string]any{"code": "999999", "name": "기타", "groupName": "기타", "inclusion": "", "exclusion": ""},
	}
	return http.StatusOK, env
}

// templateJSON writes a stored template with kapi-style names.
func (s *Server) templateJSON(k tplKey) map[string]any {
	st := s.templates[k]
	t := st.t
	buttons := make([]any, len(t.Buttons))
	for i, b := range t.Buttons {
		buttons[i] = map[string]any{"ordering": i + 1, "name": b.Name, "linkType": string(b.Type), "linkMo": b.URLMobile, "linkPc": b.URLPC}
	}
	comments := make([]any, len(st.comments))
	for i, c := range st.comments {
		comments[i] = map[string]any{"content": c, "status": "REJ"}
	}
	mt, em := t.MessageType, t.Emphasis
	if mt == "" {
		mt = alimtalk.MessageBasic
	}
	if em == "" {
		em = alimtalk.EmphasisNone
	}
	return map[string]any{
		"senderKey": k.senderKey, "templateCode": t.Code, "templateName": t.Name,
		"templateMessageType": string(mt), "templateEmphasizeType": string(em),
		"templateContent": t.Content, "templateExtra": t.Extra, "templateAd": t.Ad,
		"templateTitle": t.Title, "templateSubtitle": t.Subtitle, "categoryCode": t.CategoryCode,
		"inspectionStatus": string(t.Inspection), "status": string(t.Service),
		"dormant": t.Dormant, "block": t.Blocked,
		"buttons": buttons, "comments": comments, "createdAt": kst(st.created),
	}
}

// decodeTemplateBody reads an add request (camelCase, confirmed names).
func decodeTemplateBody(body map[string]any) alimtalk.Template {
	t := alimtalk.Template{
		Code: str(body, "templateCode"), Name: str(body, "templateName"), Content: str(body, "templateContent"),
		MessageType: alimtalk.MessageType(str(body, "templateMessageType")),
		Emphasis:    alimtalk.Emphasis(str(body, "templateEmphasizeType")),
		Extra:       str(body, "templateExtra"), Ad: str(body, "templateAd"),
		Title: str(body, "templateTitle"), Subtitle: str(body, "templateSubtitle"),
		ImageName: str(body, "templateImageName"), ImageURL: str(body, "templateImageUrl"),
		CategoryCode: str(body, "categoryCode"),
	}
	list, _ := body["buttons"].([]any)
	for _, item := range list {
		b, ok := item.(map[string]any)
		if !ok {
			continue
		}
		t.Buttons = append(t.Buttons, alimtalk.Button{
			Type: alimtalk.ButtonType(str(b, "linkType")), Name: str(b, "name"),
			URLMobile: str(b, "linkMo"), URLPC: str(b, "linkPc"),
			SchemeAndroid: str(b, "linkAnd"), SchemeIOS: str(b, "linkIos"),
		})
	}
	return t
}

// profileToken is the (inferred) POST /kakao/profile/token: "texts" ProfileToken.
func (s *Server) profileToken(body map[string]any) (int, map[string]any) {
	id, ph := str(body, "yellowId"), str(body, "phoneNumber")
	if id == "" || ph == "" {
		return http.StatusOK, failure(CodeMissingField, "필수 파라미터 누락: yellowId, phoneNumber")
	}
	s.tokens[id+"|"+digitsOf(ph)] = s.opts.ProfileToken
	return http.StatusOK, success(map[string]any{"message": "인증번호가 발송되었습니다."})
}

// profileCategories is the (inferred) POST /kakao/profile/category/all.
func (s *Server) profileCategories(map[string]any) (int, map[string]any) {
	return http.StatusOK, success(map[string]any{"category": []any{
		map[string]any{"code": "00100010001", "name": "건강,병원,종합병원"},
		map[string]any{"code": "00200020001", "name": "쇼핑,종합몰"},
		map[string]any{"code": "00200020002", "name": "쇼핑,패션"},
	}})
}

// profileCreate is POST /kakao/profile/create (inferred fields): a new sender key.
func (s *Server) profileCreate(body map[string]any) (int, map[string]any) {
	id, ph, token := str(body, "yellowId"), digitsOf(str(body, "phoneNumber")), str(body, "token")
	if str(body, "categoryCode") == "" {
		return http.StatusOK, failure(CodeMissingField, "필수 파라미터 누락: categoryCode")
	}
	want, ok := s.tokens[id+"|"+ph]
	if !ok || token != want {
		return http.StatusOK, failure(CodeBadRequest, "인증번호가 일치하지 않습니다.")
	}
	delete(s.tokens, id+"|"+ph)
	s.seq++
	key := fmt.Sprintf("%040x", 0xfeed0000+s.seq)
	s.senderKeys = append(s.senderKeys, key)
	return http.StatusOK, success(map[string]any{"senderKey": key, "yellowId": id, "status": "A"})
}

// remainingPoints is POST /sms/remaining/amount.
func (s *Server) remainingPoints(map[string]any) (int, map[string]any) {
	return http.StatusOK, success(map[string]any{"amount": s.points})
}

// senderNumberList is POST /sms/sendphone/list (content.sendphones, confirmed shape).
func (s *Server) senderNumberList(map[string]any) (int, map[string]any) {
	list := make([]any, 0, len(s.numberOrder))
	for _, d := range s.numberOrder {
		n := s.senderNumbers[d]
		list = append(list, map[string]any{
			"number": n.number, "auth_type": "mobile",
			"request_date": kst(n.requested), "confirm_date": kst(n.confirmed), "blocked_date": kst(n.blocked),
		})
	}
	return http.StatusOK, success(map[string]any{"sendphones": list})
}
