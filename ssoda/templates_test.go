package ssoda_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/alimtalk"
	"github.com/kshop-dev/kshop/ssoda"
	"github.com/kshop-dev/kshop/ssoda/ssodatest"
)

func shippingTemplate(code string) alimtalk.Template {
	return alimtalk.Template{
		Code: code, Name: "배송 시작", CategoryCode: "002002",
		Content: "#{name}님, 주문하신 상품이 발송되었습니다.\n택배사: #{courier}\n송장번호: #{waybill}",
		Buttons: []alimtalk.Button{{Type: alimtalk.ButtonDelivery, Name: "배송 조회"}},
	}
}

func TestTemplateLifecycleOnTheFake(t *testing.T) {
	t.Parallel()
	srv := ssodatest.NewServer(ssodatest.Options{})
	defer srv.Close()
	c, err := srv.NewClient()
	require.NoError(t, err)
	ctx := t.Context()
	p := srv.Paths()

	tpl := shippingTemplate("SHIP_START_01")
	added, err := c.Templates.Add(ctx, ssoda.AddTemplateRequest{Template: tpl})
	require.NoError(t, err)
	assert.Equal(t, alimtalk.InspectionRegistered, added.Template.Inspection)
	assert.Equal(t, tpl.Content, added.Template.Content)
	assert.Equal(t, ssodatest.DefaultSenderKey, added.SenderKey)

	// Not sendable before approval: the client knows the fake's templates and their states
	// (ClientOptions), so the message fails its checks without a request.
	msg := alimtalk.Message{To: "010-1234-5678", TemplateCode: tpl.Code,
		Variables: map[string]string{"name": "홍길동", "courier": "우체국", "waybill": "6896000000001"}}
	res, err := c.Send(ctx, []alimtalk.Message{msg})
	require.NoError(t, err)
	assert.Equal(t, alimtalk.StatusInvalid, res[0].Status)
	assert.ErrorIs(t, res[0].Err, alimtalk.ErrNotAllowed)

	requested, err := c.Templates.RequestReview(ctx, ssoda.ReviewRequest{Code: tpl.Code, Comment: "배송 안내용입니다."})
	require.NoError(t, err)
	assert.Equal(t, alimtalk.InspectionRequested, requested.Template.Inspection)

	_, err = c.Templates.RequestReview(ctx, ssoda.ReviewRequest{Code: tpl.Code})
	var ae *ssoda.APIError
	require.ErrorAs(t, err, &ae, "a template under review cannot be submitted again")

	require.NoError(t, srv.ApproveTemplate(tpl.Code))
	detail, err := c.Templates.Detail(ctx, ssoda.TemplateRef{Code: tpl.Code})
	require.NoError(t, err)
	assert.Equal(t, alimtalk.InspectionApproved, detail.Template.Inspection)
	assert.Equal(t, alimtalk.ServiceActive, detail.Template.Service)
	assert.Equal(t, "APR", detail.RawInspection)
	require.NoError(t, detail.Template.CanSend())
	assert.Equal(t, tpl.Content, detail.Template.Content)
	require.Len(t, detail.Template.Buttons, 1)
	assert.Equal(t, alimtalk.ButtonDelivery, detail.Template.Buttons[0].Type)

	set, err := c.Templates.Load(ctx, ssoda.TemplateListRequest{})
	require.NoError(t, err)
	require.Contains(t, set, tpl.Code)
	res, err = c.Send(ctx, []alimtalk.Message{msg}) // the same client sees the approval
	require.NoError(t, err)
	assert.Equal(t, alimtalk.StatusAccepted, res[0].Status, "%v", res[0].Err)
	require.Len(t, srv.Sent(), 1)
	assert.Equal(t, "홍길동님, 주문하신 상품이 발송되었습니다.\n택배사: 우체국\n송장번호: 6896000000001", srv.Sent()[0].Text)

	assert.Equal(t, 1, srv.Requests(p.TemplateAdd))
	assert.Equal(t, 2, srv.Requests(p.TemplateRequest))
	assert.Equal(t, 1, srv.Requests(p.SendAlimTalk))
}

func TestTemplateRejection(t *testing.T) {
	t.Parallel()
	srv := ssodatest.NewServer(ssodatest.Options{})
	defer srv.Close()
	c, err := srv.NewClient()
	require.NoError(t, err)
	tpl := shippingTemplate("SHIP_REJ_01")
	_, err = c.Templates.Add(t.Context(), ssoda.AddTemplateRequest{Template: tpl})
	require.NoError(t, err)
	assert.Error(t, srv.RejectTemplate(tpl.Code, "no"), "Kakao answers only templates under review")
	_, err = c.Templates.RequestReview(t.Context(), ssoda.ReviewRequest{Code: tpl.Code})
	require.NoError(t, err)
	require.NoError(t, srv.RejectTemplate(tpl.Code, "변수 설명이 부족합니다."))
	d, err := c.Templates.Detail(t.Context(), ssoda.TemplateRef{Code: tpl.Code})
	require.NoError(t, err)
	assert.Equal(t, alimtalk.InspectionRejected, d.Template.Inspection)
	assert.Equal(t, []string{"변수 설명이 부족합니다."}, d.Comments)
	require.ErrorIs(t, srv.ApproveTemplate("NOPE_404"), ssodatest.ErrNoTemplate)
}

func TestTemplateAddValidatesBeforeSending(t *testing.T) {
	t.Parallel()
	c, mt := newMock(t)
	good := shippingTemplate("GOOD_CODE")
	cases := []struct {
		name  string
		edit  func(*alimtalk.Template)
		field string
	}{
		{"code too short", func(t *alimtalk.Template) { t.Code = "AB" }, "Template.Code"},
		{"code with a space", func(t *alimtalk.Template) { t.Code = "BAD CODE" }, "Template.Code"},
		{"no name", func(t *alimtalk.Template) { t.Name = "" }, "Template.Name"},
		{"no category", func(t *alimtalk.Template) { t.CategoryCode = "" }, "Template.CategoryCode"},
		{"TEXT emphasis without title", func(t *alimtalk.Template) { t.Emphasis = alimtalk.EmphasisText }, "Template.Title"},
		{"button name too long", func(t *alimtalk.Template) { t.Buttons[0].Name = strings.Repeat("가", 15) }, "Template.Buttons[0].Name"},
	}
	for _, tc := range cases {
		tpl := good
		tpl.Buttons = append([]alimtalk.Button(nil), good.Buttons...)
		tc.edit(&tpl)
		_, err := c.Templates.Add(t.Context(), ssoda.AddTemplateRequest{Template: tpl})
		var ve *kshop.ValidationError
		require.ErrorAs(t, err, &ve, tc.name)
		assert.NotNil(t, ve.Field(tc.field), "%s: %v", tc.name, err)
		assert.ErrorIs(t, err, ssoda.ErrInvalid)
	}
	_, err := c.Templates.Add(t.Context(), ssoda.AddTemplateRequest{Template: good, SenderKey: "short"})
	require.ErrorIs(t, err, ssoda.ErrInvalid)
	_, err = c.Templates.RequestReview(t.Context(), ssoda.ReviewRequest{Code: "GOOD_CODE", Comment: strings.Repeat("가", 501)})
	require.ErrorIs(t, err, ssoda.ErrInvalid)
	assert.Zero(t, mt.GetTotalCallCount())
}

func TestTemplateAddBodyOnTheWire(t *testing.T) {
	t.Parallel()
	c, mt := newMock(t)
	var body map[string]any
	mt.RegisterResponder(http.MethodPost, mockBase+"/kakao/template/add", func(r *http.Request) (*http.Response, error) {
		raw, _ := io.ReadAll(r.Body)
		require.NoError(t, json.Unmarshal(raw, &body))
		return httpmock.NewStringResponse(200, `{"code":"200","error":""}`), nil
	})
	tpl := alimtalk.Template{
		Code: "PROMO_WEEK_1", Name: "이벤트", CategoryCode: "999999", MessageType: alimtalk.MessageExtraInfo,
		Emphasis: alimtalk.EmphasisText, Title: "#{discount} 할인", Subtitle: "이번 주만",
		Content: "#{name}님, 쿠폰이 발급되었습니다.", Extra: "쿠폰은 마이페이지에서 확인하세요.",
		Buttons: []alimtalk.Button{
			{Type: alimtalk.ButtonWebLink, Name: "쿠폰 보기", URLMobile: "https://m.shop.example/c", URLPC: "https://shop.example/c"},
			{Type: alimtalk.ButtonAppLink, Name: "앱 열기", SchemeAndroid: "shop://c", SchemeIOS: "shop://c"},
		},
	}
	info, err := c.Templates.Add(t.Context(), ssoda.AddTemplateRequest{Template: tpl})
	require.NoError(t, err)
	assert.Equal(t, alimtalk.InspectionRegistered, info.Template.Inspection, "assumed when the answer does not say")
	assert.Equal(t, map[string]any{
		"token_key": testTokenKey, "senderKey": testSenderKey, "templateCode": "PROMO_WEEK_1", "templateName": "이벤트",
		"templateMessageType": "EX", "templateEmphasizeType": "TEXT",
		"templateContent": "#{name}님, 쿠폰이 발급되었습니다.", "templateExtra": "쿠폰은 마이페이지에서 확인하세요.",
		"templateTitle": "#{discount} 할인", "templateSubtitle": "이번 주만", "categoryCode": "999999",
		"buttons": []any{
			map[string]any{"name": "쿠폰 보기", "linkType": "WL", "linkMo": "https://m.shop.example/c", "linkPc": "https://shop.example/c"},
			map[string]any{"name": "앱 열기", "linkType": "AL", "linkAnd": "shop://c", "linkIos": "shop://c"},
		},
	}, body)
	assert.Equal(t, 1, calls(mt, "/kakao/template/add"))
}

func TestTemplateListPagesAndDuplicates(t *testing.T) {
	t.Parallel()
	srv := ssodatest.NewServer(ssodatest.Options{})
	defer srv.Close()
	c, err := srv.NewClient()
	require.NoError(t, err)
	for i := range 5 {
		_, err := c.Templates.Add(t.Context(), ssoda.AddTemplateRequest{Template: shippingTemplate(fmt.Sprintf("SHIP_%02d", i))})
		require.NoError(t, err)
	}
	_, err = c.Templates.Add(t.Context(), ssoda.AddTemplateRequest{Template: shippingTemplate("SHIP_00")})
	var ae *ssoda.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, ssodatest.CodeConflict, ae.Code())

	page, err := c.Templates.List(t.Context(), ssoda.TemplateListRequest{Count: 2, Page: 3})
	require.NoError(t, err)
	require.Len(t, page.Templates, 1)
	assert.Equal(t, "SHIP_04", page.Templates[0].Template.Code)
	assert.Equal(t, 5, page.Total)

	var codes []string
	for info, err := range c.Templates.All(t.Context(), ssoda.TemplateListRequest{Count: 2}) {
		require.NoError(t, err)
		codes = append(codes, info.Template.Code)
	}
	assert.Equal(t, []string{"SHIP_00", "SHIP_01", "SHIP_02", "SHIP_03", "SHIP_04"}, codes)
	assert.Equal(t, 1+3, srv.Requests(srv.Paths().TemplateList))

	free, err := c.Templates.CheckCode(t.Context(), ssoda.TemplateRef{Code: "SHIP_99"})
	require.NoError(t, err)
	assert.True(t, free.Available)
	taken, err := c.Templates.CheckCode(t.Context(), ssoda.TemplateRef{Code: "SHIP_01"})
	require.NoError(t, err)
	assert.False(t, taken.Available)
	assert.Contains(t, taken.Message, "이미")
	_, err = c.Templates.CheckCode(t.Context(), ssoda.TemplateRef{Code: "x"})
	require.ErrorIs(t, err, ssoda.ErrInvalid)
	assert.Equal(t, 2, srv.Requests(srv.Paths().TemplateCodeCheck))
}

func TestTemplateCategories(t *testing.T) {
	t.Parallel()
	srv := ssodatest.NewServer(ssodatest.Options{})
	defer srv.Close()
	c, err := srv.NewClient()
	require.NoError(t, err)
	cats, err := c.Templates.Categories(t.Context())
	require.NoError(t, err)
	require.Len(t, cats, 4)
	assert.Equal(t, ssoda.TemplateCategory{Code: "002001", Name: "주문/예약", GroupName: "구매", Inclusion: "주문 접수, 결제 완료", Exclusion: "재구매 유도"}, cats[1],
		"Inclusion with a capital I is read too")

	m, mt := newMock(t)
	respond(mt, "/kakao/template/category/all", 200, `{"code":"200","content":{"category":[{"code":"001001","name":"회원가입","groupName":"회원"},{"name":"no code"}]}}`)
	cats, err = m.Templates.Categories(t.Context())
	require.NoError(t, err)
	require.Len(t, cats, 1)
	assert.Equal(t, "001001", cats[0].Code)
	assert.Equal(t, 1, calls(mt, "/kakao/template/category/all"))
}

func TestTemplateStatusDecodingIsPermissive(t *testing.T) {
	t.Parallel()
	cases := []struct {
		fields string
		want   alimtalk.TemplateState
	}{
		{`"inspectionStatus":"APR","status":"A"`, alimtalk.TemplateState{Inspection: "APR", Service: "A"}},
		{`"templateInspectionStatus":"REQ","templateStatus":"R"`, alimtalk.TemplateState{Inspection: "REQ", Service: "R"}},
		{`"status":"APR"`, alimtalk.TemplateState{Inspection: "APR"}},
		{`"inspectionStatus":"TSC03","serviceStatus":"정상"`, alimtalk.TemplateState{Inspection: "APR", Service: "A"}},
		{`"inspectionStatus":"반려","dormant":"Y","block":true`, alimtalk.TemplateState{Inspection: "REJ", Dormant: true, Blocked: true}},
		{`"inspectionStatus":"???"`, alimtalk.TemplateState{}},
	}
	for _, tc := range cases {
		c, mt := newMock(t)
		respond(mt, "/kakao/template/detail", 200, `{"code":"200","data":{"templateCode":"CODE_1","templateContent":"안녕 #{x}",`+tc.fields+`}}`)
		d, err := c.Templates.Detail(t.Context(), ssoda.TemplateRef{Code: "CODE_1"})
		require.NoError(t, err, tc.fields)
		assert.Equal(t, tc.want, d.Template.TemplateState, tc.fields)
		assert.Equal(t, "안녕 #{x}", d.Template.Content)
		assert.Contains(t, string(d.Raw), "CODE_1")
	}
	c, mt := newMock(t)
	respond(mt, "/kakao/template/detail", 200, `{"code":"200","content":{"templateCode":"OTHER"}}`)
	_, err := c.Templates.Detail(t.Context(), ssoda.TemplateRef{Code: "CODE_1"})
	var re *ssoda.ResponseError
	require.ErrorAs(t, err, &re, "the answer is about another template")
	assert.Equal(t, 1, calls(mt, "/kakao/template/detail"))
}
