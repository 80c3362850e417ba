package reliability_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/alimtalk"
	"github.com/kshop-dev/kshop/epost"
	"github.com/kshop-dev/kshop/happytalk"
	"github.com/kshop-dev/kshop/ssoda"
	"github.com/kshop-dev/kshop/subscription"
)

// badEnv is what a bad-input case runs against: clients of a server that must receive nothing.
type badEnv struct {
	t  testing.TB
	sc *ssoda.Client // with the templates of badTemplates
	ec *epost.Client // with a public-trace key
	s  *faultServer
}

// badCase is one bad input: run must return an error matching kshop.ErrInvalid or one of the
// package's documented sentinels, never panic, and send nothing.
type badCase struct {
	pkg, name string
	run       func(ctx context.Context, e *badEnv) error
}

var nilCtx context.Context // a nil context, as a caller's bug would pass it

// Documented sentinels of each package, besides kshop.ErrInvalid.
var sentinels = map[string][]error{
	"ssoda": {ssoda.ErrInvalid},
	"epost": {epost.ErrInvalid, epost.ErrTestWaybill, epost.ErrSecurityKey, epost.ErrCiphertext, epost.ErrRegDataTooLong},
	"alimtalk": {alimtalk.ErrInvalid, alimtalk.ErrConfig, alimtalk.ErrMissingVariables, alimtalk.ErrTemplateMismatch,
		alimtalk.ErrInvalidPhone},
	"subscription": {subscription.ErrInvalid, subscription.ErrNotOffered, subscription.ErrPaymentMethod, subscription.ErrSetProduct,
		subscription.ErrBundleEventProduct, subscription.ErrProductNotEnabled, subscription.ErrNotEligible},
	"happytalk": {happytalk.ErrInvalidParams, happytalk.ErrInvalidLink, happytalk.ErrInvalidOption, happytalk.ErrPlaceholderID,
		happytalk.ErrInvalidPhone, happytalk.ErrInvalidEmail, happytalk.ErrInvalidText, happytalk.ErrTooLong,
		happytalk.ErrTooManyParameters, happytalk.ErrNotSupported, happytalk.ErrInvalidID, happytalk.ErrUnknownChannel},
}

const emphasisCode = "ORDER_EMPHASIS"

func badTemplates() alimtalk.TemplateSet {
	emph := template(emphasisCode)
	emph.Emphasis, emph.Title, emph.Subtitle = alimtalk.EmphasisText, "주문 안내", "주문접수"
	return alimtalk.NewTemplateSet(template(templateCode), emph)
}

// goodMessage is valid against badTemplates.
func goodMessage() alimtalk.Message {
	return alimtalk.Message{
		To: recipient, TemplateCode: templateCode, Ref: "bad-input",
		Variables: map[string]string{"name": "홍길동", "orderNo": "1001"},
	}
}

// sendErr turns a one-message send into the error to check: the call's error, or the
// message's when it is StatusInvalid (anything else is a failure of the case).
func sendErr(rs []alimtalk.Result, err error) error {
	if err != nil {
		return err
	}
	if len(rs) != 1 {
		return fmt.Errorf("got %d results", len(rs))
	}
	if rs[0].Status != alimtalk.StatusInvalid {
		return fmt.Errorf("status %v, want invalid (err: %v)", rs[0].Status, rs[0].Err)
	}
	return rs[0].Err
}

func sendWith(f func(m *alimtalk.Message)) func(ctx context.Context, e *badEnv) error {
	return func(ctx context.Context, e *badEnv) error {
		m := goodMessage()
		f(&m)
		return sendErr(e.sc.Send(ctx, []alimtalk.Message{m}))
	}
}

func friendWith(f func(m *ssoda.FriendTalkMessage)) func(ctx context.Context, e *badEnv) error {
	return func(ctx context.Context, e *badEnv) error {
		m := friendTalk("bad")
		f(&m)
		return sendErr(e.sc.SendFriendTalk(ctx, []ssoda.FriendTalkMessage{m}))
	}
}

func templateWith(f func(r *ssoda.AddTemplateRequest)) func(ctx context.Context, e *badEnv) error {
	return func(ctx context.Context, e *badEnv) error {
		r := ssoda.AddTemplateRequest{Template: template("NEW_TEMPLATE")}
		f(&r)
		_, err := e.sc.Templates.Add(ctx, r)
		return err
	}
}

func orderWith(f func(r *epost.InsertOrderRequest)) func(ctx context.Context, e *badEnv) error {
	return func(ctx context.Context, e *badEnv) error {
		r := order("ORD-BAD-1")
		f(&r)
		_, err := e.ec.InsertOrder(ctx, r)
		return err
	}
}

func cancelWith(f func(r *epost.GetResCancelCmdRequest)) func(ctx context.Context, e *badEnv) error {
	return func(ctx context.Context, e *badEnv) error {
		r := cancelReq()
		f(&r)
		_, err := e.ec.GetResCancelCmd(ctx, r)
		return err
	}
}

func officeWith(f func(r *epost.InsertOfficeRequest)) func(ctx context.Context, e *badEnv) error {
	return func(ctx context.Context, e *badEnv) error {
		r := office()
		f(&r)
		_, err := e.ec.InsertOffice(ctx, r)
		return err
	}
}

// subscriptionClock is the subscription cases' clock: 2028-01-20 09:00 KST.
type subscriptionClock struct{}

func (subscriptionClock) Now() time.Time {
	return time.Date(2028, 1, 20, 9, 0, 0, 0, kshop.KST())
}

func subscribeWith(f func(p *subscription.Plan, a *subscription.Application)) func(ctx context.Context, e *badEnv) error {
	return func(ctx context.Context, e *badEnv) error {
		rules, err := subscription.NewRules(subscription.WithTimeSource(subscriptionClock{}))
		if err != nil {
			return fmt.Errorf("rules: %v", err) // untyped: fails the case
		}
		plan := subscription.Plan{
			Name: "원두 정기배송", Cycles: []subscription.Cycle{subscription.Cycle1W, subscription.Cycle1M},
			RoundLimits: []int{0, 4}, DiscountUnit: subscription.DiscountPercent,
		}
		start, _ := subscription.ParseDate("2028-02-01")
		app := subscription.Application{
			ID:       "S-20280120-00000001",
			Customer: subscription.Customer{ID: "member-1", Name: "홍길동", Phone: "01022223333"},
			Receiver: subscription.Receiver{Name: "홍길동", Phone: "01022223333", Address1: "서울 중구 세종대로 110"},
			Start:    start, Cycle: subscription.Cycle1M,
			Items: []subscription.Item{{
				Product:  subscription.Product{ID: "bean", Kind: subscription.ProductRegular, SubscriptionEnabled: true},
				OptionID: "200g", Name: "원두 200g", Quantity: 2, UnitPrice: 15000,
			}},
			PaymentMethod: subscription.PaymentCard, BillingKeyRef: "bk_1",
		}
		f(&plan, &app)
		_, err = subscription.NewSubscription(plan, rules, app)
		return err
	}
}

const happyBase = "https://api.happytalk.io/api/kakao/chat_open?yid=%40shop&site_id=4000000001"

func happyWith(base string, p happytalk.Params) func(ctx context.Context, e *badEnv) error {
	return func(ctx context.Context, e *badEnv) error {
		_, err := happytalk.Build(base, p)
		return err
	}
}

func dispatcherWith(f func(c *alimtalk.Config)) func(ctx context.Context, e *badEnv) error {
	return func(ctx context.Context, e *badEnv) error {
		cfg := alimtalk.Config{
			Enabled: true, OrderEnabled: true, ShopURL: "https://shop.example.com", SenderNumber: "02-1234-5678",
			Events: map[alimtalk.EventKind]alimtalk.EventConfig{alimtalk.EventOrderReceived: {Enabled: true, TemplateCode: templateCode}},
		}
		f(&cfg)
		_, err := alimtalk.NewDispatcher(cfg, e.sc, dispatchTemplate())
		return err
	}
}

func dispatchWith(ctxOverride bool, ev alimtalk.Event) func(ctx context.Context, e *badEnv) error {
	return func(ctx context.Context, e *badEnv) error {
		d := newDispatcher(e.t, e.sc)
		if ctxOverride {
			ctx = nilCtx
		}
		_, err := d.Dispatch(ctx, ev)
		return err
	}
}

var (
	mib        = strings.Repeat("7", 1<<20)
	badPhones  = []string{"", "010", "0101234", "010-1234", "01012345678901", "abc", "010-abcd-efgh", "02-123-4567", "031-123-4567", "070-1234-5678", "0505-123-4567", "1588-1234", "080-123-4567", "+1 415 555 0100", "+82 2 123 4567", "010-9876-543x", "010-9876-5432; 010-1111-2222", "012-3456-7890", "060-123-4567", "010 9876 5432 1"}
	c0Controls = map[string]string{"NUL": "\x00", "ESC": "\x1b", "BEL": "\a", "US": "\x1f", "BS": "\b"}
	year1990   = time.Date(1990, 1, 1, 9, 0, 0, 0, kshop.KST())
	year3000   = time.Date(3000, 1, 1, 9, 0, 0, 0, kshop.KST())
)

// badCases is the table: every package, every kind of bad input.
func badCases() []badCase {
	var cs []badCase
	add := func(pkg, name string, run func(ctx context.Context, e *badEnv) error) {
		cs = append(cs, badCase{pkg: pkg, name: name, run: run})
	}

	// ssoda: AlimTalk sends.
	add("ssoda", "Send nil context", func(ctx context.Context, e *badEnv) error {
		return sendErr(e.sc.Send(nilCtx, []alimtalk.Message{goodMessage()}))
	})
	for _, p := range badPhones {
		add("ssoda", fmt.Sprintf("Send To %q", p), sendWith(func(m *alimtalk.Message) { m.To = p }))
	}
	for name, c := range c0Controls {
		add("ssoda", "Send text with "+name, sendWith(func(m *alimtalk.Message) { m.Variables["name"] = "홍" + c + "길동" }))
		add("ssoda", "Send final text with "+name, sendWith(func(m *alimtalk.Message) {
			m.Text = "홍길동" + c + "님, 주문 1001 이(가) 접수되었습니다."
		}))
	}
	add("ssoda", "Send text with invalid UTF-8", sendWith(func(m *alimtalk.Message) { m.Variables["name"] = "홍\xff\xfe" }))
	add("ssoda", "Send text over 1,000 characters", sendWith(func(m *alimtalk.Message) { m.Variables["name"] = strings.Repeat("가", 1001) }))
	add("ssoda", "Send Title without an emphasis template", sendWith(func(m *alimtalk.Message) { m.Title = "주문 안내" }))
	add("ssoda", "Send Title with NUL", sendWith(func(m *alimtalk.Message) { m.TemplateCode, m.Title = emphasisCode, "주문\x00안내" }))
	add("ssoda", "Send ScheduledAt 1990", sendWith(func(m *alimtalk.Message) { m.ScheduledAt = year1990 }))
	add("ssoda", "Send ScheduledAt 3000", sendWith(func(m *alimtalk.Message) { m.ScheduledAt = year3000 }))
	add("ssoda", "Send ScheduledAt a day ago", sendWith(func(m *alimtalk.Message) { m.ScheduledAt = testNow().Add(-24 * time.Hour) }))
	add("ssoda", "Send empty template code", sendWith(func(m *alimtalk.Message) { m.TemplateCode = "" }))
	add("ssoda", "Send template code too short", sendWith(func(m *alimtalk.Message) { m.TemplateCode = "abc" }))
	add("ssoda", "Send template code with CR/LF", sendWith(func(m *alimtalk.Message) { m.TemplateCode = "ORDER\r\nRECEIVED" }))
	add("ssoda", "Send template code 1 MiB", sendWith(func(m *alimtalk.Message) { m.TemplateCode = mib }))
	add("ssoda", "Send sender key of 39 characters", sendWith(func(m *alimtalk.Message) { m.SenderKey = ssodaSenderKey[:39] }))
	add("ssoda", "Send sender key with a space", sendWith(func(m *alimtalk.Message) { m.SenderKey = "SENDER KEY" + ssodaSenderKey[10:] }))
	add("ssoda", "Send missing variable", sendWith(func(m *alimtalk.Message) { delete(m.Variables, "orderNo") }))
	add("ssoda", "Send text not matching the template", sendWith(func(m *alimtalk.Message) { m.Text = "전혀 다른 문구입니다." }))
	add("ssoda", "Send 6 buttons", sendWith(func(m *alimtalk.Message) {
		for i := 0; i < 6; i++ {
			m.Buttons = append(m.Buttons, alimtalk.Button{Type: alimtalk.ButtonType("WL"), Name: fmt.Sprintf("버튼%d", i), URLMobile: "https://shop.example.com"})
		}
	}))
	add("ssoda", "Send failover From \"12\"", sendWith(func(m *alimtalk.Message) { m.Failover = &alimtalk.Failover{From: "12"} }))
	add("ssoda", "Send failover From premium 060", sendWith(func(m *alimtalk.Message) { m.Failover = &alimtalk.Failover{From: "060-123-4567"} }))
	add("ssoda", "Send failover content with NUL", sendWith(func(m *alimtalk.Message) {
		m.Failover = &alimtalk.Failover{From: "02-1234-5678", Content: "대체\x00문자"}
	}))

	// ssoda: FriendTalk.
	add("ssoda", "SendFriendTalk nil context", func(ctx context.Context, e *badEnv) error {
		return sendErr(e.sc.SendFriendTalk(nilCtx, []ssoda.FriendTalkMessage{friendTalk("x")}))
	})
	add("ssoda", "SendFriendTalk To empty", friendWith(func(m *ssoda.FriendTalkMessage) { m.To = "" }))
	add("ssoda", "SendFriendTalk To landline", friendWith(func(m *ssoda.FriendTalkMessage) { m.To = "02-123-4567" }))
	add("ssoda", "SendFriendTalk empty text", friendWith(func(m *ssoda.FriendTalkMessage) { m.Text = "" }))
	add("ssoda", "SendFriendTalk text with NUL", friendWith(func(m *ssoda.FriendTalkMessage) { m.Text = "소식\x00" }))
	add("ssoda", "SendFriendTalk text with ESC", friendWith(func(m *ssoda.FriendTalkMessage) { m.Text = "소식\x1b[31m" }))
	add("ssoda", "SendFriendTalk invalid UTF-8", friendWith(func(m *ssoda.FriendTalkMessage) { m.Text = "소식\xff" }))
	add("ssoda", "SendFriendTalk text over 1,000", friendWith(func(m *ssoda.FriendTalkMessage) { m.Text = strings.Repeat("가", 1001) }))
	add("ssoda", "SendFriendTalk image text over 400", friendWith(func(m *ssoda.FriendTalkMessage) {
		m.ImageURL, m.Text = "https://mud-kage.kakao.com/x.jpg", strings.Repeat("가", 401)
	}))
	add("ssoda", "SendFriendTalk wide image with 2 buttons", friendWith(func(m *ssoda.FriendTalkMessage) {
		m.ImageURL, m.WideImage, m.Text = "https://mud-kage.kakao.com/x.jpg", true, "짧은 글"
		for i := 0; i < 2; i++ {
			m.Buttons = append(m.Buttons, alimtalk.Button{Type: alimtalk.ButtonType("WL"), Name: fmt.Sprintf("버튼%d", i), URLMobile: "https://shop.example.com"})
		}
	}))
	add("ssoda", "SendFriendTalk ScheduledAt 1990", friendWith(func(m *ssoda.FriendTalkMessage) { m.ScheduledAt = year1990 }))
	add("ssoda", "SendFriendTalk ScheduledAt 3000", friendWith(func(m *ssoda.FriendTalkMessage) { m.ScheduledAt = year3000 }))
	add("ssoda", "SendFriendTalk sender key of 12", friendWith(func(m *ssoda.FriendTalkMessage) { m.SenderKey = "SHORTSENDER1" }))

	// ssoda: reservation cancel.
	cancel := func(ctx context.Context, e *badEnv, r ssoda.CancelRequest) error {
		_, err := e.sc.Reservations.Cancel(ctx, r)
		return err
	}
	add("ssoda", "Cancel nil context", func(ctx context.Context, e *badEnv) error {
		return cancel(nilCtx, e, ssoda.CancelRequest{MessageID: "100000001"})
	})
	for name, id := range map[string]string{
		"empty": "", "CR": "1000\r0001", "LF": "1000\n0001", "header injection": "1\r\nX-Evil: 1", "1 MiB": mib,
		"NUL": "1000\x000001", "invalid UTF-8": "1000\xff", "space": "1000 0001",
	} {
		add("ssoda", "Cancel message ID "+name, func(ctx context.Context, e *badEnv) error {
			return cancel(ctx, e, ssoda.CancelRequest{MessageID: id})
		})
	}
	add("ssoda", "Cancel unknown kind", func(ctx context.Context, e *badEnv) error {
		return cancel(ctx, e, ssoda.CancelRequest{Kind: ssoda.Kind(99), MessageID: "100000001"})
	})

	// ssoda: templates.
	add("ssoda", "Templates.Add nil context", func(ctx context.Context, e *badEnv) error {
		_, err := e.sc.Templates.Add(nilCtx, ssoda.AddTemplateRequest{Template: template("NEW_TEMPLATE")})
		return err
	})
	add("ssoda", "Templates.Add unclosed #{name", templateWith(func(r *ssoda.AddTemplateRequest) { r.Template.Content = "#{name 님 주문이 접수되었습니다." }))
	add("ssoda", "Templates.Add unclosed #{ at the end", templateWith(func(r *ssoda.AddTemplateRequest) { r.Template.Content = "주문이 접수되었습니다. #{orderNo" }))
	add("ssoda", "Templates.Add invalid UTF-8", templateWith(func(r *ssoda.AddTemplateRequest) { r.Template.Content = "주문\xff #{name}" }))
	add("ssoda", "Templates.Add content with NUL", templateWith(func(r *ssoda.AddTemplateRequest) { r.Template.Content = "주문\x00 #{name}" }))
	add("ssoda", "Templates.Add content with ESC", templateWith(func(r *ssoda.AddTemplateRequest) { r.Template.Content = "주문\x1b #{name}" }))
	add("ssoda", "Templates.Add empty code", templateWith(func(r *ssoda.AddTemplateRequest) { r.Template.Code = "" }))
	add("ssoda", "Templates.Add code of 2", templateWith(func(r *ssoda.AddTemplateRequest) { r.Template.Code = "ab" }))
	add("ssoda", "Templates.Add code with CR/LF", templateWith(func(r *ssoda.AddTemplateRequest) { r.Template.Code = "NEW\r\nCODE" }))
	add("ssoda", "Templates.Add code 1 MiB", templateWith(func(r *ssoda.AddTemplateRequest) { r.Template.Code = mib }))
	add("ssoda", "Templates.Add code with a space", templateWith(func(r *ssoda.AddTemplateRequest) { r.Template.Code = "NEW CODE" }))
	add("ssoda", "Templates.Add no name", templateWith(func(r *ssoda.AddTemplateRequest) { r.Template.Name = "" }))
	add("ssoda", "Templates.Add no category", templateWith(func(r *ssoda.AddTemplateRequest) { r.Template.CategoryCode = "" }))
	add("ssoda", "Templates.Add category of 2 digits", templateWith(func(r *ssoda.AddTemplateRequest) { r.Template.CategoryCode = "12" }))
	add("ssoda", "Templates.Add content over 1,000", templateWith(func(r *ssoda.AddTemplateRequest) { r.Template.Content = strings.Repeat("가", 1001) }))
	add("ssoda", "Templates.Add TEXT emphasis without title", templateWith(func(r *ssoda.AddTemplateRequest) { r.Template.Emphasis = alimtalk.EmphasisText }))
	add("ssoda", "Templates.Add 41 variables", templateWith(func(r *ssoda.AddTemplateRequest) {
		var b strings.Builder
		for i := 0; i < 41; i++ {
			fmt.Fprintf(&b, "#{v%d} ", i)
		}
		r.Template.Content = b.String()
	}))
	add("ssoda", "Templates.Add 6 buttons", templateWith(func(r *ssoda.AddTemplateRequest) {
		for i := 0; i < 6; i++ {
			r.Template.Buttons = append(r.Template.Buttons, alimtalk.Button{Type: alimtalk.ButtonType("WL"), Name: fmt.Sprintf("버튼%d", i), URLMobile: "https://shop.example.com"})
		}
	}))
	add("ssoda", "Templates.Add button name of 15", templateWith(func(r *ssoda.AddTemplateRequest) {
		r.Template.Buttons = []alimtalk.Button{{Type: alimtalk.ButtonType("WL"), Name: strings.Repeat("가", 15), URLMobile: "https://shop.example.com"}}
	}))
	add("ssoda", "Templates.Add sender key of 12", templateWith(func(r *ssoda.AddTemplateRequest) { r.SenderKey = "SHORTSENDER1" }))
	review := func(ctx context.Context, e *badEnv, r ssoda.ReviewRequest) error {
		_, err := e.sc.Templates.RequestReview(ctx, r)
		return err
	}
	add("ssoda", "RequestReview nil context", func(ctx context.Context, e *badEnv) error {
		return review(nilCtx, e, ssoda.ReviewRequest{Code: templateCode})
	})
	for name, r := range map[string]ssoda.ReviewRequest{
		"empty code": {}, "code with CR/LF": {Code: "ORDER\r\nX"}, "code 1 MiB": {Code: mib},
		"comment over 500": {Code: templateCode, Comment: strings.Repeat("가", 501)},
		"comment with NUL": {Code: templateCode, Comment: "검수\x00"}, "comment invalid UTF-8": {Code: templateCode, Comment: "검수\xff"},
	} {
		add("ssoda", "RequestReview "+name, func(ctx context.Context, e *badEnv) error { return review(ctx, e, r) })
	}

	// ssoda: profiles.
	create := func(ctx context.Context, e *badEnv, f func(r *ssoda.CreateProfileRequest)) error {
		r := ssoda.CreateProfileRequest{Token: "123456", AdminPhone: "010-2222-3333", ChannelID: "@kshop", CategoryCode: "00200020001"}
		f(&r)
		_, err := e.sc.Profiles.Create(ctx, r)
		return err
	}
	add("ssoda", "Profiles.Create nil context", func(ctx context.Context, e *badEnv) error {
		return create(nilCtx, e, func(*ssoda.CreateProfileRequest) {})
	})
	for name, f := range map[string]func(r *ssoda.CreateProfileRequest){
		"no token":            func(r *ssoda.CreateProfileRequest) { r.Token = "" },
		"token with CR/LF":    func(r *ssoda.CreateProfileRequest) { r.Token = "12\r\n3456" },
		"no admin phone":      func(r *ssoda.CreateProfileRequest) { r.AdminPhone = "" },
		"admin phone \"123\"": func(r *ssoda.CreateProfileRequest) { r.AdminPhone = "123" },
		"no channel":          func(r *ssoda.CreateProfileRequest) { r.ChannelID = "" },
		"channel with NUL":    func(r *ssoda.CreateProfileRequest) { r.ChannelID = "@k\x00shop" },
		"no category":         func(r *ssoda.CreateProfileRequest) { r.CategoryCode = "" },
	} {
		add("ssoda", "Profiles.Create "+name, func(ctx context.Context, e *badEnv) error { return create(ctx, e, f) })
	}
	token := func(ctx context.Context, e *badEnv, r ssoda.ProfileTokenRequest) error {
		_, err := e.sc.Profiles.RequestToken(ctx, r)
		return err
	}
	add("ssoda", "Profiles.RequestToken nil context", func(ctx context.Context, e *badEnv) error {
		return token(nilCtx, e, ssoda.ProfileTokenRequest{ChannelID: "@kshop", AdminPhone: "010-2222-3333"})
	})
	add("ssoda", "Profiles.RequestToken bad phone", func(ctx context.Context, e *badEnv) error {
		return token(ctx, e, ssoda.ProfileTokenRequest{ChannelID: "@kshop", AdminPhone: "02-12"})
	})
	add("ssoda", "Profiles.RequestToken no channel", func(ctx context.Context, e *badEnv) error {
		return token(ctx, e, ssoda.ProfileTokenRequest{AdminPhone: "010-2222-3333"})
	})

	// ssoda: reconciliation and lists.
	reconcile := func(ctx context.Context, e *badEnv, f func(r *ssoda.ReconcileRequest)) error {
		r := ssoda.ReconcileRequest{Phone: recipient, SentAt: testNow(), Attempts: 1}
		f(&r)
		_, err := e.sc.Reconcile(ctx, r)
		return err
	}
	add("ssoda", "Reconcile nil context", func(ctx context.Context, e *badEnv) error {
		return reconcile(nilCtx, e, func(*ssoda.ReconcileRequest) {})
	})
	for name, f := range map[string]func(r *ssoda.ReconcileRequest){
		"no phone":        func(r *ssoda.ReconcileRequest) { r.Phone = "" },
		"bad phone":       func(r *ssoda.ReconcileRequest) { r.Phone = "010-98" },
		"no send time":    func(r *ssoda.ReconcileRequest) { r.SentAt = time.Time{} },
		"21 attempts":     func(r *ssoda.ReconcileRequest) { r.Attempts = ssoda.MaxReconcileAttempts + 1 },
		"negative window": func(r *ssoda.ReconcileRequest) { r.Window = -time.Minute },
	} {
		add("ssoda", "Reconcile "+name, func(ctx context.Context, e *badEnv) error { return reconcile(ctx, e, f) })
	}
	list := func(ctx context.Context, e *badEnv, r ssoda.ListRequest) error {
		_, err := e.sc.History.AlimTalk(ctx, r)
		return err
	}
	add("ssoda", "History.AlimTalk nil context", func(ctx context.Context, e *badEnv) error { return list(nilCtx, e, ssoda.ListRequest{}) })
	add("ssoda", "History.AlimTalk limit 1001", func(ctx context.Context, e *badEnv) error { return list(ctx, e, ssoda.ListRequest{Limit: 1001}) })
	add("ssoda", "History.AlimTalk limit -1", func(ctx context.Context, e *badEnv) error { return list(ctx, e, ssoda.ListRequest{Limit: -1}) })
	add("ssoda", "History.AlimTalk page -1", func(ctx context.Context, e *badEnv) error { return list(ctx, e, ssoda.ListRequest{Page: -1}) })
	add("ssoda", "History.AlimTalk keyword with CR/LF", func(ctx context.Context, e *badEnv) error {
		return list(ctx, e, ssoda.ListRequest{Where: ssoda.SearchText, Keyword: "a\r\nb"})
	})

	// ssoda: construction.
	newSsoda := func(cr ssoda.Credentials, opts ...ssoda.Option) func(ctx context.Context, e *badEnv) error {
		return func(ctx context.Context, e *badEnv) error {
			_, err := ssoda.NewClient(cr, append([]ssoda.Option{ssoda.WithBaseURL(e.s.url)}, opts...)...)
			return err
		}
	}
	good := ssoda.Credentials{APIKey: ssodaAPIKey, TokenKey: ssodaTokenKey}
	add("ssoda", "NewClient no credentials", newSsoda(ssoda.Credentials{}))
	add("ssoda", "NewClient API key with a space", newSsoda(ssoda.Credentials{APIKey: "API KEY", TokenKey: ssodaTokenKey}))
	add("ssoda", "NewClient token with LF", newSsoda(ssoda.Credentials{APIKey: ssodaAPIKey, TokenKey: "TOKEN\nKEY"}))
	add("ssoda", "NewClient sender key of 39", newSsoda(ssoda.Credentials{APIKey: ssodaAPIKey, TokenKey: ssodaTokenKey, SenderKey: ssodaSenderKey[:39]}))
	add("ssoda", "NewClient plain http to a remote host", newSsoda(good, ssoda.WithBaseURL("http://apis.ssodaa.com")))
	add("ssoda", "NewClient concurrency 0", newSsoda(good, ssoda.WithConcurrency(0)))
	add("ssoda", "NewClient concurrency 65", newSsoda(good, ssoda.WithConcurrency(65)))
	add("ssoda", "NewClient retry -1", newSsoda(good, ssoda.WithRetry(-1, 0)))
	add("ssoda", "NewClient negative timeout", newSsoda(good, ssoda.WithTimeout(-time.Second)))

	// epost: bookings.
	add("epost", "InsertOrder nil context", func(ctx context.Context, e *badEnv) error {
		_, err := e.ec.InsertOrder(nilCtx, order("ORD-BAD-1"))
		return err
	})
	add("epost", "InsertOrder empty request", func(ctx context.Context, e *badEnv) error {
		_, err := e.ec.InsertOrder(ctx, epost.InsertOrderRequest{})
		return err
	})
	for name, f := range map[string]func(r *epost.InsertOrderRequest){
		"no payType": func(r *epost.InsertOrderRequest) { r.PayType = "" }, "no reqType": func(r *epost.InsertOrderRequest) { r.ReqType = "" },
		"no officeSer": func(r *epost.InsertOrderRequest) { r.OfficeSer = "" }, "no microYn": func(r *epost.InsertOrderRequest) { r.MicroYn = "" },
		"no ordCompNm": func(r *epost.InsertOrderRequest) { r.OrdCompNm = "" }, "no recNm": func(r *epost.InsertOrderRequest) { r.RecNm = "" },
		"no recZip": func(r *epost.InsertOrderRequest) { r.RecZip = "" }, "no recAddr1": func(r *epost.InsertOrderRequest) { r.RecAddr1 = "" },
		"no recAddr2": func(r *epost.InsertOrderRequest) { r.RecAddr2 = "" }, "no recipient phone": func(r *epost.InsertOrderRequest) { r.RecMob, r.RecTel = "", "" },
		"no contCd": func(r *epost.InsertOrderRequest) { r.ContCd = "" }, "no goodsNm": func(r *epost.InsertOrderRequest) { r.GoodsNm = "" },
		"recZip of 4": func(r *epost.InsertOrderRequest) { r.RecZip = "1234" }, "recZip letters": func(r *epost.InsertOrderRequest) { r.RecZip = "abcde" },
		"recMob \"010-12\"": func(r *epost.InsertOrderRequest) { r.RecMob = "010-12" }, "recMob letters": func(r *epost.InsertOrderRequest) { r.RecMob = "010-abcd-efgh" },
		"recMob foreign":               func(r *epost.InsertOrderRequest) { r.RecMob = "+1 415 555 0100" },
		"recMob 20 digits":             func(r *epost.InsertOrderRequest) { r.RecMob = "01098765432109876543" },
		"recMob with a letter":         func(r *epost.InsertOrderRequest) { r.RecMob = "010-9876-543x" },
		"ordMob malformed":             func(r *epost.InsertOrderRequest) { r.OrdMob = "12-34" },
		"recNm with &":                 func(r *epost.InsertOrderRequest) { r.RecNm = "김&비밀" },
		"recNm with =":                 func(r *epost.InsertOrderRequest) { r.RecNm = "김=비밀" },
		"recAddr2 with CR":             func(r *epost.InsertOrderRequest) { r.RecAddr2 = "비밀로\r77" },
		"goodsNm with LF":              func(r *epost.InsertOrderRequest) { r.GoodsNm = "셔츠\n바지" },
		"recNm with NUL":               func(r *epost.InsertOrderRequest) { r.RecNm = "김\x00비밀" },
		"recNm with ESC":               func(r *epost.InsertOrderRequest) { r.RecNm = "김\x1b비밀" },
		"recNm invalid UTF-8":          func(r *epost.InsertOrderRequest) { r.RecNm = "김\xff" },
		"recNm 41 bytes":               func(r *epost.InsertOrderRequest) { r.RecNm = strings.Repeat("a", 41) },
		"goodsNm 401 bytes":            func(r *epost.InsertOrderRequest) { r.GoodsNm = strings.Repeat("a", 401) },
		"weight 31":                    func(r *epost.InsertOrderRequest) { r.Weight = 31 },
		"weight -1":                    func(r *epost.InsertOrderRequest) { r.Weight = -1 },
		"volume 161":                   func(r *epost.InsertOrderRequest) { r.Volume = 161 },
		"qty 100000":                   func(r *epost.InsertOrderRequest) { r.Qty = 100000 },
		"insured without amount":       func(r *epost.InsertOrderRequest) { r.InsuYn = epost.Yes },
		"insured 50,000":               func(r *epost.InsertOrderRequest) { r.InsuYn, r.InsuAmt = epost.Yes, 50000 },
		"insured 100,001":              func(r *epost.InsertOrderRequest) { r.InsuYn, r.InsuAmt = epost.Yes, 100001 },
		"amount not insured":           func(r *epost.InsertOrderRequest) { r.InsuAmt = 200000 },
		"payType 3":                    func(r *epost.InsertOrderRequest) { r.PayType = "3" },
		"reqType 9":                    func(r *epost.InsertOrderRequest) { r.ReqType = "9" },
		"contCd 030":                   func(r *epost.InsertOrderRequest) { r.ContCd = "030" },
		"microYn X":                    func(r *epost.InsertOrderRequest) { r.MicroYn = "X" },
		"retReason on a normal parcel": func(r *epost.InsertOrderRequest) { r.RetReason = "단순 변심" },
		"orderNo of 51":                func(r *epost.InsertOrderRequest) { r.OrderNo = strings.Repeat("9", 51) },
		"orderNo with CR/LF":           func(r *epost.InsertOrderRequest) { r.OrderNo = "ORD\r\n1" },
		"orderNo 1 MiB":                func(r *epost.InsertOrderRequest) { r.OrderNo = mib },
		"return visit date 20241301":   func(r *epost.InsertOrderRequest) { r.ReqType, r.RetVisitYmd = epost.ReqReturn, "20241301" },
		"return original waybill 123":  func(r *epost.InsertOrderRequest) { r.ReqType, r.RetOrigRegiNo = epost.ReqReturn, "123" },
		"custNo with letters":          func(r *epost.InsertOrderRequest) { r.CustNo = "12ab" },
	} {
		add("epost", "InsertOrder "+name, orderWith(f))
	}

	// epost: cancels.
	add("epost", "GetResCancelCmd nil context", func(ctx context.Context, e *badEnv) error {
		_, err := e.ec.GetResCancelCmd(nilCtx, cancelReq())
		return err
	})
	for name, f := range map[string]func(r *epost.GetResCancelCmdRequest){
		"empty":             func(r *epost.GetResCancelCmdRequest) { *r = epost.GetResCancelCmdRequest{} },
		"reqNo of 17":       func(r *epost.GetResCancelCmdRequest) { r.ReqNo = r.ReqNo[:17] },
		"reqNo with CR":     func(r *epost.GetResCancelCmdRequest) { r.ReqNo = "20240501000000\r001" },
		"resNo letters":     func(r *epost.GetResCancelCmdRequest) { r.ResNo = "ABCD050100000001" },
		"regiNo of 12":      func(r *epost.GetResCancelCmdRequest) { r.RegiNo = "601234567890" },
		"test waybill":      func(r *epost.GetResCancelCmdRequest) { r.RegiNo = epost.TestWaybill },
		"regiNo 1 MiB":      func(r *epost.GetResCancelCmdRequest) { r.RegiNo = mib },
		"reqYmd 2024-05-01": func(r *epost.GetResCancelCmdRequest) { r.ReqYmd = "2024-05-01" },
		"no reqType":        func(r *epost.GetResCancelCmdRequest) { r.ReqType = "" },
	} {
		add("epost", "GetResCancelCmd "+name, cancelWith(f))
	}

	// epost: offices.
	add("epost", "InsertOffice nil context", func(ctx context.Context, e *badEnv) error {
		_, err := e.ec.InsertOffice(nilCtx, office())
		return err
	})
	for name, f := range map[string]func(r *epost.InsertOfficeRequest){
		"empty":               func(r *epost.InsertOfficeRequest) { *r = epost.InsertOfficeRequest{} },
		"officeSer Hangul":    func(r *epost.InsertOfficeRequest) { r.OfficeSer = "물류센터" },
		"officeSer of 21":     func(r *epost.InsertOfficeRequest) { r.OfficeSer = strings.Repeat("A", 21) },
		"officeZip of 4":      func(r *epost.InsertOfficeRequest) { r.OfficeZip = "1234" },
		"officeTelno letters": func(r *epost.InsertOfficeRequest) { r.OfficeTelno = "abc" },
		"email malformed":     func(r *epost.InsertOfficeRequest) { r.ChrgPrsnEmail = "not-an-email" },
		"officeNm with &":     func(r *epost.InsertOfficeRequest) { r.OfficeNm = "케이샵&물류" },
		"officeAddr2 with LF": func(r *epost.InsertOfficeRequest) { r.OfficeAddr2 = "2층\n3층" },
		"officeDivCd 3":       func(r *epost.InsertOfficeRequest) { r.OfficeDivCd = 3 },
		"no contact":          func(r *epost.InsertOfficeRequest) { r.ContactNm = "" },
	} {
		add("epost", "InsertOffice "+name, officeWith(f))
	}

	// epost: lookups, tracking, codec, construction.
	recon := func(ctx context.Context, e *badEnv, orderNo, ymd string) error {
		_, err := e.ec.ReconcileOrder(ctx, orderNo, ymd)
		return err
	}
	add("epost", "ReconcileOrder nil context", func(ctx context.Context, e *badEnv) error { return recon(nilCtx, e, "ORD-1", "20240501") })
	add("epost", "ReconcileOrder no orderNo", func(ctx context.Context, e *badEnv) error { return recon(ctx, e, "", "20240501") })
	add("epost", "ReconcileOrder orderNo with CR/LF", func(ctx context.Context, e *badEnv) error { return recon(ctx, e, "ORD\r\n1", "20240501") })
	add("epost", "ReconcileOrder reqYmd 20241301", func(ctx context.Context, e *badEnv) error { return recon(ctx, e, "ORD-1", "20241301") })
	add("epost", "ReconcileOrder reqYmd yesterday", func(ctx context.Context, e *badEnv) error { return recon(ctx, e, "ORD-1", "yesterday") })
	add("epost", "GetResInfo reqType 7", func(ctx context.Context, e *badEnv) error {
		_, err := e.ec.GetResInfo(ctx, epost.GetResInfoRequest{ReqType: "7", OrderNo: "ORD-1", ReqYmd: "20240501"})
		return err
	})
	add("epost", "TrackPublic waybill 123", func(ctx context.Context, e *badEnv) error {
		_, err := e.ec.TrackPublic(ctx, "123")
		return err
	})
	add("epost", "TrackPublic test waybill", func(ctx context.Context, e *badEnv) error {
		_, err := e.ec.TrackPublic(ctx, epost.TestWaybill)
		return err
	})
	add("epost", "TrackPublic nil context", func(ctx context.Context, e *badEnv) error {
		_, err := e.ec.TrackPublic(nilCtx, "6012345678901")
		return err
	})
	add("epost", "NormalizeWaybill 12345", func(ctx context.Context, e *badEnv) error {
		_, err := epost.NormalizeWaybill("12345")
		return err
	})
	add("epost", "EncryptRegData short key", func(ctx context.Context, e *badEnv) error {
		_, err := epost.EncryptRegData("short", "a=1")
		return err
	})
	add("epost", "EncryptRegData NUL", func(ctx context.Context, e *badEnv) error {
		_, err := epost.EncryptRegData(epostSecKey, "a=\x00")
		return err
	})
	add("epost", "EncryptRegData over 4000", func(ctx context.Context, e *badEnv) error {
		_, err := epost.EncryptRegData(epostSecKey, strings.Repeat("a", 2100))
		return err
	})
	add("epost", "DecryptRegData not hex", func(ctx context.Context, e *badEnv) error {
		_, err := epost.DecryptRegData(epostSecKey, "zz")
		return err
	})
	newEpost := func(cr epost.Credentials, opts ...epost.Option) func(ctx context.Context, e *badEnv) error {
		return func(ctx context.Context, e *badEnv) error {
			_, err := epost.NewClient(cr, append([]epost.Option{epost.WithBaseURL(e.s.url)}, opts...)...)
			return err
		}
	}
	goodE := epost.Credentials{APIKey: epostAPIKey, SecurityKey: epostSecKey, CustomerNo: epostCustNo, ApprovalNo: epostApprNo}
	add("epost", "NewClient no credentials", newEpost(epost.Credentials{}))
	add("epost", "NewClient security key of 10", newEpost(epost.Credentials{APIKey: epostAPIKey, SecurityKey: "0123456789"}))
	add("epost", "NewClient customer number letters", newEpost(epost.Credentials{APIKey: epostAPIKey, SecurityKey: epostSecKey, CustomerNo: "12ab"}))
	add("epost", "NewClient plain http to a remote host", newEpost(goodE, epost.WithBaseURL("http://ship.epost.go.kr")))
	add("epost", "NewClient HTTP method PUT", newEpost(goodE, epost.WithHTTPMethod("PUT")))

	// alimtalk.
	add("alimtalk", "Template.Validate TEXT without title", func(ctx context.Context, e *badEnv) error {
		tpl := template(templateCode)
		tpl.Emphasis = alimtalk.EmphasisText
		return tpl.Validate(alimtalk.Limits{})
	})
	add("alimtalk", "Template.Validate unclosed #{", func(ctx context.Context, e *badEnv) error {
		tpl := template(templateCode)
		tpl.Content = "#{name 님"
		return tpl.Validate(alimtalk.Limits{})
	})
	add("alimtalk", "ValidateTemplateCode ab", func(ctx context.Context, e *badEnv) error { return alimtalk.ValidateTemplateCode("ab") })
	add("alimtalk", "ValidateTemplateCode CR/LF", func(ctx context.Context, e *badEnv) error {
		return alimtalk.ValidateTemplateCode("ORDER\r\nX")
	})
	add("alimtalk", "Message.Validate bad phone", func(ctx context.Context, e *badEnv) error {
		m := message("v")
		m.To = "02-123-4567"
		return m.Validate(alimtalk.Limits{})
	})
	add("alimtalk", "Message.Validate NUL", func(ctx context.Context, e *badEnv) error {
		m := message("v")
		m.Text = "a\x00b"
		return m.Validate(alimtalk.Limits{})
	})
	add("alimtalk", "Message.Prepare ScheduledAt 1990", func(ctx context.Context, e *badEnv) error {
		m := goodMessage()
		m.ScheduledAt = year1990
		tpl := template(templateCode)
		_, err := m.Prepare(&tpl, alimtalk.Limits{})
		return err
	})
	add("alimtalk", "Template.Render missing variable", func(ctx context.Context, e *badEnv) error {
		tpl := template(templateCode)
		_, err := tpl.Render(map[string]string{"name": "홍길동"})
		return err
	})
	add("alimtalk", "Template.Match mismatch", func(ctx context.Context, e *badEnv) error {
		tpl := template(templateCode)
		return tpl.Match("다른 문구")
	})
	add("alimtalk", "NewDispatcher empty config", func(ctx context.Context, e *badEnv) error {
		_, err := alimtalk.NewDispatcher(alimtalk.Config{}, e.sc, dispatchTemplate())
		return err
	})
	add("alimtalk", "NewDispatcher shop URL ftp", dispatcherWith(func(c *alimtalk.Config) { c.ShopURL = "ftp://shop.example.com" }))
	add("alimtalk", "NewDispatcher sender number 12", dispatcherWith(func(c *alimtalk.Config) { c.SenderNumber = "12" }))
	add("alimtalk", "NewDispatcher unknown template", dispatcherWith(func(c *alimtalk.Config) {
		c.Events = map[alimtalk.EventKind]alimtalk.EventConfig{alimtalk.EventOrderReceived: {Enabled: true, TemplateCode: "NO_SUCH_TEMPLATE"}}
	}))
	add("alimtalk", "NewDispatcher operator phone landline", dispatcherWith(func(c *alimtalk.Config) { c.OperatorPhones = []string{"02-123-4567"} }))
	add("alimtalk", "Dispatch nil context", dispatchWith(true, orderEvent("E-1")))
	add("alimtalk", "Dispatch unknown kind", dispatchWith(false, alimtalk.Event{Kind: "order.unknown", ID: "E-1"}))
	add("alimtalk", "Dispatch empty ID", dispatchWith(false, alimtalk.Event{Kind: alimtalk.EventOrderReceived}))

	// subscription.
	add("subscription", "ParseCycle 7D", func(ctx context.Context, e *badEnv) error { _, err := subscription.ParseCycle("7D"); return err })
	add("subscription", "ParseCycle empty", func(ctx context.Context, e *badEnv) error { _, err := subscription.ParseCycle(""); return err })
	add("subscription", "ParseDate 2024-02-30", func(ctx context.Context, e *badEnv) error { _, err := subscription.ParseDate("2024-02-30"); return err })
	add("subscription", "ParseDate 2024-13-01", func(ctx context.Context, e *badEnv) error { _, err := subscription.ParseDate("2024-13-01"); return err })
	add("subscription", "NewDate month 13", func(ctx context.Context, e *badEnv) error { _, err := subscription.NewDate(2024, 13, 1); return err })
	for name, f := range map[string]func(p *subscription.Plan, a *subscription.Application){
		"empty ID":        func(p *subscription.Plan, a *subscription.Application) { a.ID = "" },
		"ID with a space": func(p *subscription.Plan, a *subscription.Application) { a.ID = "S 1" },
		"ID with CR/LF":   func(p *subscription.Plan, a *subscription.Application) { a.ID = "S\r\n1" },
		"ID of 65":        func(p *subscription.Plan, a *subscription.Application) { a.ID = strings.Repeat("S", 65) },
		"start too early": func(p *subscription.Plan, a *subscription.Application) {
			a.Start, _ = subscription.ParseDate("2028-01-20")
		},
		"cycle not offered":       func(p *subscription.Plan, a *subscription.Application) { a.Cycle = subscription.Cycle2W },
		"round limit not offered": func(p *subscription.Plan, a *subscription.Application) { a.RoundLimit = 5 },
		"quantity 0":              func(p *subscription.Plan, a *subscription.Application) { a.Items[0].Quantity = 0 },
		"quantity 10000":          func(p *subscription.Plan, a *subscription.Application) { a.Items[0].Quantity = 10000 },
		"negative price":          func(p *subscription.Plan, a *subscription.Application) { a.Items[0].UnitPrice = -1 },
		"no items":                func(p *subscription.Plan, a *subscription.Application) { a.Items = nil },
		"101 items": func(p *subscription.Plan, a *subscription.Application) {
			for i := 0; i < 100; i++ {
				it := a.Items[0]
				it.OptionID = fmt.Sprintf("opt-%d", i)
				a.Items = append(a.Items, it)
			}
		},
		"bank transfer": func(p *subscription.Plan, a *subscription.Application) {
			a.PaymentMethod = subscription.PaymentBankTransfer
		},
		"set product": func(p *subscription.Plan, a *subscription.Application) {
			a.Items[0].Product.Kind = subscription.ProductSet
		},
		"1+N event product": func(p *subscription.Plan, a *subscription.Application) {
			a.Items[0].Product.Kind = subscription.ProductBundleEvent
		},
		"product not enabled": func(p *subscription.Plan, a *subscription.Application) {
			a.Items[0].Product.SubscriptionEnabled = false
		},
		"receiver phone malformed": func(p *subscription.Plan, a *subscription.Application) { a.Receiver.Phone = "010-12" },
		"plan without cycles":      func(p *subscription.Plan, a *subscription.Application) { p.Cycles = nil },
	} {
		add("subscription", "NewSubscription "+name, subscribeWith(f))
	}

	// happytalk.
	for name, p := range map[string]happytalk.Params{
		"placeholder ID undefined": {SiteUID: "undefined"},
		"placeholder ID guest":     {SiteUID: "guest"},
		"phone 123":                {SiteUID: "member1", CustomerPhone: "123"},
		"phone with letters":       {SiteUID: "member1", CustomerPhone: "010-abcd-efgh"},
		"e-mail malformed":         {SiteUID: "member1", CustomerEmail: "nope"},
		"negative category":        {SiteUID: "member1", CategoryID: -1},
		"11 parameters":            {SiteUID: "member1", Parameters: make([]string, 11)},
		"name with NUL":            {SiteUID: "member1", CustomerName: "홍\x00길동"},
		"name invalid UTF-8":       {SiteUID: "member1", CustomerName: "홍\xff"},
		"site UID of 256":          {SiteUID: strings.Repeat("u", 256)},
	} {
		add("happytalk", "Build "+name, happyWith(happyBase, p))
	}
	add("happytalk", "Build bot start on web chat v2", happyWith("https://design.happytalkio.com/chatting?siteId=4000000001&params=", happytalk.Params{SiteUID: "member1", BotStart: true}))
	add("happytalk", "Build base URL ftp", happyWith("ftp://api.happytalk.io/x", happytalk.Params{SiteUID: "member1"}))
	add("happytalk", "Build empty base URL", happyWith("", happytalk.Params{SiteUID: "member1"}))
	add("happytalk", "NewBuilder empty Naver separator", func(ctx context.Context, e *badEnv) error {
		_, err := happytalk.NewBuilder(happytalk.WithNaverSeparator(""))
		return err
	})
	add("happytalk", "Parse not a URL", func(ctx context.Context, e *badEnv) error { _, err := happytalk.Parse("::not a url"); return err })
	return cs
}

// TestBadInput runs the table: each case gets a typed error, never panics, and sends nothing.
func TestBadInput(t *testing.T) {
	t.Parallel()
	cases := badCases()
	var mu sync.Mutex
	perPkg := map[string]int{}
	kshopTyped, typed := 0, 0
	t.Run("cases", func(t *testing.T) {
		fanRun(t, 16, len(cases), func(i int) string { return cases[i].pkg + "/" + cases[i].name }, func(t *testing.T, i int) {
			isKshop, isTyped := runBadCase(t, cases[i])
			mu.Lock()
			defer mu.Unlock()
			perPkg[cases[i].pkg]++
			if isTyped {
				typed++
			}
			if isKshop {
				kshopTyped++
			}
		})
	})
	assert.GreaterOrEqual(t, len(cases), 150)
	t.Logf("%d bad inputs %v: %d typed (%d also match kshop.ErrInvalid)", len(cases), perPkg, typed, kshopTyped)
	summary.set("bad inputs", fmt.Sprintf("%d cases %v: %d typed, %d match kshop.ErrInvalid, 0 requests expected", len(cases), perPkg, typed, kshopTyped))
}

// runBadCase runs one case and reports whether its error matched kshop.ErrInvalid, and
// whether it was typed at all (kshop.ErrInvalid or a documented sentinel of the package).
func runBadCase(t *testing.T, bc badCase) (isKshop, typed bool) {
	s := startServer(t, func(x *exchange) { x.reply(200, jsonType, ssodaSendOK) })
	tc, err := epost.NewClient(epost.Credentials{APIKey: epostAPIKey, SecurityKey: epostSecKey, CustomerNo: epostCustNo, ApprovalNo: epostApprNo},
		epost.WithBaseURL(s.url), epost.WithPublicTraceBaseURL(s.url), epost.WithBizTraceBaseURL(s.url),
		epost.WithTraceServiceKey("TRACEKEY-0f1e2d3c4b5a"), epost.WithLogger(suiteLogger), epost.WithClock(testNow))
	if !assert.NoError(t, err) {
		return false, false
	}
	e := &badEnv{t: t, s: s, ec: tc, sc: ssodaClient(t, s.url, nil, ssoda.WithTemplates(badTemplates()))}
	ctx, cancel := context.WithTimeout(context.Background(), defaultCellTimeout)
	defer cancel()
	var got error
	func() {
		defer func() {
			if r := recover(); r != nil {
				got = fmt.Errorf("panic: %v", r)
				t.Errorf("panicked: %v", r)
			}
		}()
		got = bc.run(ctx, e)
	}()
	_ = observe("bad input "+bc.name, got)
	// No settle: a call returns only after its answer, so anything sent is counted.
	assert.Zero(t, s.Received(), "bad input reached the server")
	if !assert.Error(t, got, "bad input accepted") {
		return false, false
	}
	isKshop = errors.Is(got, kshop.ErrInvalid)
	isPkg := false
	for _, sen := range sentinels[bc.pkg] {
		isPkg = isPkg || errors.Is(got, sen)
	}
	assert.True(t, isKshop || isPkg, "untyped error %T: %v", got, got)
	if !isKshop && isPkg {
		t.Logf("typed by the package's own sentinel only: %T: %v", got, got)
	}
	return isKshop, isKshop || isPkg
}
