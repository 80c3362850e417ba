package lunasoft

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/alimtalk"
	"github.com/kshop-dev/kshop/alimtalk/provider"
	"github.com/kshop-dev/kshop/internal/wire"
)

// Lunasoft's field lengths, from its manual's request table (characters).
const (
	maxCustomKey = 40   // custom_key text(40)
	maxAppUserID = 50   // app_user_id text(50)
	maxSMSText   = 1000 // sms_content text(1000)
	maxInvoice   = 30   // invoice_number text(30)
	maxButtonURL = 100  // btn_url fields text(100)
)

// Message is an AlimTalk with the fields only Lunasoft takes. Send takes plain
// alimtalk.Messages; SendMessages takes these.
type Message struct {
	alimtalk.Message
	// AppUserID is the recipient's app user ID (app_user_id, ≤ 50 characters), for messages
	// without a phone number (To empty). When both are given Lunasoft uses the phone number.
	AppUserID string
	// Carrier is the courier's carrier_code for delivery-tracking templates. Zero means
	// Courier, or the template's courier variable, looked up in the client's CourierTable.
	Carrier Carrier
	// Courier is the courier's name ("우체국택배", "CJ대한통운") or code, used when Carrier is
	// zero.
	Courier string
	// InvoiceNumber is the waybill number (invoice_number, ≤ 30 characters). Empty means the
	// template's waybill variable.
	InvoiceNumber string
	// Price and Currency are the amount shown by templates that carry one (price, an integer;
	// currency_code, "KRW", "USD", "EUR"). Price is sent when it is not zero or when Currency
	// is set.
	Price    int64
	Currency string
}

// Send sends AlimTalk messages through POST /api/AlimTalk/message/send (endpoint and body
// from Lunasoft's manual table; see the package documentation for each field's source). It
// implements alimtalk.Sender; SendMessages does the same with Lunasoft's own fields.
//
// Messages are grouped by template (one request carries one template_id, a JSON number: a
// TemplateCode that is neither an integer nor an alias of the TemplateCatalog given with
// WithTemplates makes its message StatusInvalid), split into requests of at most
// WithChunkSize (1,000) messages, and sent by WithConcurrency (4) workers. Each chunk is
// prepared just before it is sent (provider.PrepareBatch: phone numbers normalized, texts
// rendered from or matched against the template, titles and buttons filled, reservation
// times checked against Limits.ScheduleHorizon, control characters refused), so the memory a
// call holds grows with the concurrency times the chunk size, not with the batch. Lunasoft's
// own rules are checked too: custom_key ≤ 40, sms_content ≤ 1,000, btn_url fields ≤ 100,
// carrier_code and invoice_number for delivery-tracking templates, every link button's URLs.
// A message that fails alone gets StatusInvalid and is never sent; the others go on.
//
// Every message carries its Ref as custom_key, the key of Lunasoft's result webhook; a
// message without a Ref gets a generated one, returned in Result.Ref. Refs must be unique in a
// call: a Ref seen before in the same call makes its message StatusInvalid. sms_content is
// always sent (the failover text, else the AlimTalk text), with use_sms "1" when the message
// has a Failover; Lunasoft picks SMS or LMS itself and sends from the account's registered
// number, so Failover.From and Subject are not sent.
//
// Results come back one per message, in the caller's order, each with Ref, To, the rendered
// Text and SentAt: Accepted (Reserved when ScheduledAt was set) when Lunasoft answered code 0
// and, if it listed per-message results, result_code 0 for the message; Rejected with an
// *APIError when it refused the request or the message; Unknown when the request may have
// reached Lunasoft but no conclusive answer came — a timeout, a reset, a 5xx (whether or not
// ctx ended at the same moment), an answer that cannot be read as a plain success or refusal.
// Lunasoft has no history or result API, so such a message cannot be reconciled by a call:
// only its result webhook settles it (Handler, matched by custom_key = Result.Ref; a
// PendingTracker given with WithPendingTracker does the bookkeeping). Never send it again
// blindly. NotSent when it certainly never arrived. A send is never retried after its request
// may have been written.
//
// The error is non-nil only when the whole call stopped: when Lunasoft refused the userid or
// api_key (the requests not yet started get StatusNotSent; the error matches
// ErrUnauthorized), or when ctx ended before every request was started (those messages get
// StatusNotSent; requests in flight keep the transport's verdict). A nil ctx is refused with
// a *kshop.ValidationError.
func (c *Client) Send(ctx context.Context, msgs []alimtalk.Message) ([]alimtalk.Result, error) {
	if err := wire.CheckContext(ctx, "lunasoft.Send"); err != nil {
		return nil, err
	}
	return c.sendAll(ctx, len(msgs), func(i int) *alimtalk.Message { return &msgs[i] }, nil)
}

// SendMessages is Send for messages with Lunasoft's own fields (app user IDs, couriers and
// waybills, prices).
func (c *Client) SendMessages(ctx context.Context, msgs []Message) ([]alimtalk.Result, error) {
	if err := wire.CheckContext(ctx, "lunasoft.SendMessages"); err != nil {
		return nil, err
	}
	return c.sendAll(ctx, len(msgs), func(i int) *alimtalk.Message { return &msgs[i].Message }, func(i int) *Message { return &msgs[i] })
}

// group is the messages of one template_id, by index in the caller's list.
type group struct {
	id      int64
	indexes []int
}

// chunk is one request's worth of messages of a group.
type chunk struct {
	id      int64
	indexes []int
}

// sendAll is Send over n messages read through get. The caller's goroutine sorts the
// messages into template groups (a pass that keeps only indexes), then hands chunks, in order
// of first appearance, to a fixed pool of workers, each of which prepares, checks, encodes
// and sends its chunk and writes its Results in place.
//
// msg reads the i-th message; ext, nil for plain alimtalk messages, its Lunasoft fields.
func (c *Client) sendAll(ctx context.Context, n int, msg func(int) *alimtalk.Message, ext func(int) *Message) ([]alimtalk.Result, error) {
	results := make([]alimtalk.Result, n)
	refs := make([]string, n) // generated Refs; "" where the caller gave one
	var groups []*group
	byID := map[int64]*group{}
	seen := make(map[string]struct{}, n)
	for i := range n {
		m := msg(i)
		ref := m.Ref
		if ref == "" {
			refs[i] = c.s.newRef()
			ref = refs[i]
		} else if _, dup := seen[ref]; dup {
			results[i] = c.invalidAlone(*m, ref, extOf(ext, i), alimtalk.FieldErrors{{Field: "Ref", Key: "custom_key", Reason: alimtalk.ReasonDuplicate,
				Detail: "another message in the call has the same ref (custom_key)"}})
			continue
		} else {
			seen[ref] = struct{}{}
		}
		id, ok := c.templateID(m.TemplateCode)
		if !ok {
			results[i] = c.invalidAlone(*m, ref, extOf(ext, i), alimtalk.FieldErrors{{Field: "TemplateCode", Key: "template_id", Reason: alimtalk.ReasonInvalid,
				Detail: "Lunasoft template IDs are integers: give the ID, or an alias of the TemplateCatalog given with WithTemplates"}})
			continue
		}
		g := byID[id]
		if g == nil {
			g = &group{id: id}
			byID[id] = g
			groups = append(groups, g)
		}
		g.indexes = append(g.indexes, i)
	}

	gate := newBatchGate(ctx)
	run := func(ch chunk) { c.sendChunk(ctx, gate, ch, msg, ext, refs, results) }
	workers := c.s.concurrency
	var jobs chan chunk
	var wg sync.WaitGroup
	started := false
	for _, g := range groups {
		for off := 0; off < len(g.indexes); off += c.s.chunkSize {
			ch := chunk{id: g.id, indexes: g.indexes[off:min(off+c.s.chunkSize, len(g.indexes))]}
			if !started && workers > 1 {
				started = true
				jobs = make(chan chunk)
				for range workers {
					wg.Go(func() {
						for ch := range jobs {
							run(ch)
						}
					})
				}
			}
			if jobs != nil {
				jobs <- ch
			} else {
				run(ch)
			}
		}
	}
	if jobs != nil {
		close(jobs)
		wg.Wait()
	}
	return results, gate.err()
}

// invalidAlone is the Result of a message refused before it joined a chunk, with every other
// problem Prepare finds in it too.
func (c *Client) invalidAlone(m alimtalk.Message, ref string, x *Message, errs alimtalk.FieldErrors) alimtalk.Result {
	var tpl *alimtalk.Template
	if c.s.templates != nil {
		tpl, _ = c.s.templates.Template(m.TemplateCode)
	}
	r := alimtalk.Result{Ref: ref, Status: alimtalk.StatusInvalid}
	msg := m
	msg.Ref = ref
	appUser := x.appUserOnly()
	if appUser {
		msg.To = placeholderTo
	}
	prepared, err := msg.Prepare(tpl, c.limits)
	var more alimtalk.FieldErrors
	if errors.As(err, &more) {
		errs = append(errs, more...)
	} else if !appUser {
		r.To = prepared.To
	}
	r.Err = errs
	return r
}

// templateID returns the template_id of a message's TemplateCode: the catalog's ID for an
// alias, or the code itself when it is a positive integer.
func (c *Client) templateID(code string) (int64, bool) {
	if cat, ok := c.s.templates.(*TemplateCatalog); ok {
		if e := cat.entry(code); e != nil {
			return e.ID, true
		}
	}
	id, err := strconv.ParseInt(strings.TrimSpace(code), 10, 64)
	return id, err == nil && id > 0
}

// trackingInfo says whether code names a delivery-tracking template, and which variables
// carry its courier and waybill number.
func (c *Client) trackingInfo(code string, tpl *alimtalk.Template) (tracking bool, courierVar, waybillVar string) {
	if cat, ok := c.s.templates.(*TemplateCatalog); ok {
		if e := cat.entry(code); e != nil {
			return e.tracking(), e.CourierVariable, e.WaybillVariable
		}
	}
	if tpl != nil {
		for _, b := range tpl.Buttons {
			if b.Type == alimtalk.ButtonDelivery {
				return true, DefaultCourierVariable, DefaultWaybillVariable
			}
		}
	}
	return false, DefaultCourierVariable, DefaultWaybillVariable
}

// placeholderTo stands in for the phone number of a message sent to an app user ID alone,
// while alimtalk prepares it; it is never sent or returned.
const placeholderTo = "01012345678"

// wireMessage is a prepared message with the Lunasoft fields resolved.
type wireMessage struct {
	m             *alimtalk.Message
	appUserID     string
	appUserOnly   bool
	carrier       Carrier
	invoice       string
	price         int64
	sendPrice     bool
	currency      string
	pos           int // index in the chunk
	hasButtonURLs bool
}

// sendChunk prepares, checks and sends one chunk and writes its Results.
func (c *Client) sendChunk(ctx context.Context, gate *batchGate, ch chunk, msg func(int) *alimtalk.Message, ext func(int) *Message,
	refs []string, results []alimtalk.Result) {
	msgs := make([]alimtalk.Message, len(ch.indexes))
	for k, i := range ch.indexes {
		msgs[k] = *msg(i)
		if refs[i] != "" {
			msgs[k].Ref = refs[i]
		}
		if extOf(ext, i).appUserOnly() {
			msgs[k].To = placeholderTo
		}
	}
	b := provider.PrepareBatch(msgs, c.s.templates, c.limits)
	sent := make([]alimtalk.Result, len(b.Ready))
	var wms []wireMessage
	for j := range b.Ready {
		k := b.Position(j)
		wm, errs := c.resolve(&b.Ready[j], extOf(ext, ch.indexes[k]))
		if len(errs) > 0 {
			sent[j] = alimtalk.Result{Status: alimtalk.StatusInvalid, Err: errs}
			continue
		}
		wm.pos = j
		wms = append(wms, wm)
	}
	if len(wms) > 0 {
		c.sendRequest(ctx, gate, ch.id, wms, sent)
	}
	out, _ := b.Complete(sent, nil)
	for k, r := range out {
		if extOf(ext, ch.indexes[k]).appUserOnly() {
			r.To = ""
		}
		results[ch.indexes[k]] = r
		if r.Status == alimtalk.StatusUnknown && c.s.pending != nil {
			c.s.pending.Add(r)
		}
	}
}

// appUserOnly reports a message addressed by app user ID alone (false for nil).
func (m *Message) appUserOnly() bool { return m != nil && m.To == "" && m.AppUserID != "" }

// noExtras are the Lunasoft fields of a plain alimtalk.Message: none.
var noExtras = &Message{}

// extOf returns the Lunasoft fields of message i, never nil.
func extOf(ext func(int) *Message, i int) *Message {
	if ext == nil {
		return noExtras
	}
	return ext(i)
}

// resolve checks the Lunasoft rules Prepare does not know and resolves the Lunasoft fields.
func (c *Client) resolve(m *alimtalk.Message, x *Message) (wireMessage, alimtalk.FieldErrors) {
	wm := wireMessage{m: m, appUserID: x.AppUserID, appUserOnly: x.appUserOnly(), invoice: x.InvoiceNumber,
		price: x.Price, currency: x.Currency}
	var errs alimtalk.FieldErrors
	add := func(field, key string, r alimtalk.Reason, limit, got int, detail string) {
		errs = append(errs, &alimtalk.FieldError{Field: field, Key: key, Reason: r, Limit: limit, Got: got, Detail: detail})
	}
	if n := utf8.RuneCountInString(m.Ref); n > maxCustomKey {
		add("Ref", "custom_key", alimtalk.ReasonTooLong, maxCustomKey, n, "Lunasoft's custom_key, the webhook's key")
	}
	if x.AppUserID != "" {
		if n := utf8.RuneCountInString(x.AppUserID); n > maxAppUserID {
			add("AppUserID", "app_user_id", alimtalk.ReasonTooLong, maxAppUserID, n, "")
		}
		errs = checkPlain("AppUserID", "app_user_id", x.AppUserID, errs)
	}
	sms := m.Text
	if m.Failover != nil {
		sms = m.Failover.Content
	}
	if n := utf8.RuneCountInString(sms); n > maxSMSText {
		add("Failover.Content", "sms_content", alimtalk.ReasonTooLong, maxSMSText, n, "Lunasoft's sms_content")
	}
	for i, bt := range m.Buttons {
		for _, u := range []struct{ field, key, v string }{
			{"URLPC", "url_pc", bt.URLPC}, {"URLMobile", "url_mobile", bt.URLMobile},
			{"SchemeAndroid", "scheme_android", bt.SchemeAndroid}, {"SchemeIOS", "scheme_ios", bt.SchemeIOS},
		} {
			if u.v != "" {
				wm.hasButtonURLs = true
			}
			if n := utf8.RuneCountInString(u.v); n > maxButtonURL {
				at := "[" + strconv.Itoa(i) + "]."
				add("Buttons"+at+u.field, "btn_url"+at+u.key, alimtalk.ReasonTooLong, maxButtonURL, n, "")
			}
		}
	}
	var tpl *alimtalk.Template
	if c.s.templates != nil {
		tpl, _ = c.s.templates.Template(m.TemplateCode)
	}
	if tpl != nil && hasLinkButtons(tpl.Buttons) && !wm.hasButtonURLs {
		// Lunasoft takes such a request and delivers nothing: refuse it here.
		add("Buttons", "btn_url", alimtalk.ReasonRequired, 0, 0, "the template has link buttons; without their URLs Lunasoft delivers nothing")
	}
	tracking, courierVar, waybillVar := c.trackingInfo(m.TemplateCode, tpl)
	wm.carrier = x.Carrier
	courier := x.Courier
	if courier == "" && tracking {
		courier = m.Variables[courierVar]
	}
	switch {
	case wm.carrier != 0:
		if !wm.carrier.Valid() {
			add("Carrier", "carrier_code", alimtalk.ReasonInvalid, 0, 0, "carrier codes are 1 to 99")
		}
	case courier != "":
		cr, ok := c.s.couriers.Lookup(courier)
		if !ok {
			add("Courier", "carrier_code", alimtalk.ReasonInvalid, 0, 0, "unknown courier: give Carrier, or add the name with CourierTable.Set")
		}
		wm.carrier = cr
	case tracking:
		add("Carrier", "carrier_code", alimtalk.ReasonRequired, 0, 0,
			"a delivery-tracking template needs the courier (Carrier, Courier or the #{"+courierVar+"} variable)")
	}
	if wm.invoice == "" && tracking {
		wm.invoice = m.Variables[waybillVar]
	}
	switch n := utf8.RuneCountInString(wm.invoice); {
	case n == 0 && tracking:
		add("InvoiceNumber", "invoice_number", alimtalk.ReasonRequired, 0, 0,
			"a delivery-tracking template needs the waybill number (InvoiceNumber or the #{"+waybillVar+"} variable)")
	case n > maxInvoice:
		add("InvoiceNumber", "invoice_number", alimtalk.ReasonTooLong, maxInvoice, n, "")
	}
	errs = checkPlain("InvoiceNumber", "invoice_number", wm.invoice, errs)
	wm.sendPrice = x.Price != 0 || x.Currency != ""
	if x.Currency != "" && !isCurrency(x.Currency) {
		add("Currency", "currency_code", alimtalk.ReasonInvalid, 0, 0, "three capital letters: KRW, USD, EUR")
	}
	if x.Price < 0 {
		add("Price", "price", alimtalk.ReasonOutOfRange, 0, 0, "must not be negative")
	}
	return wm, errs
}

// hasLinkButtons reports whether buttons include one that carries URLs (WL, AL).
func hasLinkButtons(bs []alimtalk.Button) bool {
	for _, b := range bs {
		if b.Type == alimtalk.ButtonWebLink || b.Type == alimtalk.ButtonAppLink {
			return true
		}
	}
	return false
}

// checkPlain refuses invalid UTF-8 and control characters in a one-line value.
func checkPlain(field, key, v string, errs alimtalk.FieldErrors) alimtalk.FieldErrors {
	switch {
	case !utf8.ValidString(v):
		errs = append(errs, &alimtalk.FieldError{Field: field, Key: key, Reason: alimtalk.ReasonInvalidUTF8})
	case strings.IndexFunc(v, unicode.IsControl) >= 0:
		errs = append(errs, &alimtalk.FieldError{Field: field, Key: key, Reason: alimtalk.ReasonControlChars})
	}
	return errs
}

func isCurrency(s string) bool {
	if len(s) != 3 {
		return false
	}
	for i := 0; i < 3; i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

// sendRequest sends the prepared messages of one chunk in one request, unless the gate says
// the batch may start no more requests, and fills their Results in sent.
func (c *Client) sendRequest(ctx context.Context, gate *batchGate, id int64, wms []wireMessage, sent []alimtalk.Result) {
	for _, wm := range wms {
		sent[wm.pos] = alimtalk.Result{Text: wm.m.Text}
	}
	if err := gate.blocked(len(wms)); err != nil {
		for _, wm := range wms {
			sent[wm.pos].Status, sent[wm.pos].Err = alimtalk.StatusNotSent, err
		}
		return
	}
	body := c.encode(id, wms)
	sentAt := c.s.now()
	a, err := c.post(ctx, body)
	if err != nil {
		status := sendStatus(err)
		for _, wm := range wms {
			r := &sent[wm.pos]
			r.Status, r.Err = status, err
			if status != alimtalk.StatusNotSent {
				r.SentAt = sentAt
			}
		}
		if status == alimtalk.StatusRejected && errors.Is(err, ErrUnauthorized) {
			gate.stop(err)
		}
		return
	}
	c.perMessage(a, wms, sent, sentAt)
}

// perMessage maps an accepted request's answer onto its messages: each is Accepted (Reserved
// when scheduled) unless the answer lists per-message results and its entry has a
// result_code other than 0 (Rejected, with an *APIError) — or the list leaves it out, which
// leaves it Unknown.
func (c *Client) perMessage(a *answer, wms []wireMessage, sent []alimtalk.Result, sentAt time.Time) {
	byNo := make(map[string]int, len(a.messages))
	positional := len(a.messages) == len(wms)
	for k, mr := range a.messages {
		if mr.no != "" {
			byNo[mr.no] = k
			positional = false
		}
	}
	for n, wm := range wms {
		r := &sent[wm.pos]
		r.SentAt = sentAt
		entry := -1
		if k, ok := byNo[strconv.Itoa(n)]; ok {
			entry = k
		} else if positional {
			entry = n
		}
		switch {
		case !a.hasMessages || len(a.messages) == 0:
			r.Status = accepted(*wm.m)
		case entry < 0:
			r.Status = alimtalk.StatusUnknown
			r.Err = c.badAnswer("Send", a.status, nil, nil, "the answer lists per-message results but not this message", true, nil)
		case a.messages[entry].ok():
			r.Status, r.MessageID = accepted(*wm.m), a.messages[entry].messageID
		default:
			mr := a.messages[entry]
			red := c.tr.Redactor()
			r.Status = alimtalk.StatusRejected
			r.MessageID = mr.messageID
			r.Err = &APIError{Op: "Send", HTTPStatus: a.status, VendorCode: red.Text(mr.code), Message: red.Text(mr.text)}
		}
	}
}

func accepted(m alimtalk.Message) alimtalk.Status {
	if m.ScheduledAt.IsZero() {
		return alimtalk.StatusAccepted
	}
	return alimtalk.StatusReserved
}

// sendStatus classifies a failed request. It reads only the error, never the context.
func sendStatus(err error) alimtalk.Status {
	if errors.Is(err, ErrOutcomeUnknown) {
		return alimtalk.StatusUnknown
	}
	var ae kshop.APIError
	if errors.As(err, &ae) {
		switch {
		case ae.OutcomeUnknown():
			return alimtalk.StatusUnknown
		case ae.HTTPStatusCode() == http.StatusTooManyRequests:
			return alimtalk.StatusNotSent
		}
		return alimtalk.StatusRejected
	}
	// No answer and no outcome-unknown flag: the transport guarantees nothing was written.
	return alimtalk.StatusNotSent
}

// randomRef generates a custom_key: "ls" and 32 random hex digits.
func randomRef() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return "ls" + hex.EncodeToString(b[:])
}

// batchGate decides, request by request, whether a batch may still start the next one: not
// once its context has ended or the credentials were refused.
type batchGate struct {
	ctx        context.Context
	initialErr error

	mu         sync.Mutex
	stopErr    error
	notStarted int
}

func newBatchGate(ctx context.Context) *batchGate { return &batchGate{ctx: ctx, initialErr: ctx.Err()} }

// blocked returns the error of a request of n messages that may not be started, or nil.
func (g *batchGate) blocked(n int) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	var err error
	switch {
	case g.stopErr != nil:
		err = fmt.Errorf("lunasoft: not sent, the batch stopped: %w", g.stopErr)
	case g.ctx.Err() != nil:
		err = fmt.Errorf("lunasoft: not sent: %w", g.ctx.Err())
	default:
		return nil
	}
	g.notStarted += n
	return err
}

// stop records the first stop error.
func (g *batchGate) stop(err error) {
	g.mu.Lock()
	if g.stopErr == nil {
		g.stopErr = err
	}
	g.mu.Unlock()
}

// err is the call-level error once every request was handled.
func (g *batchGate) err() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	switch {
	case g.stopErr != nil:
		return g.stopErr
	case g.notStarted == 0:
		return nil
	case g.initialErr != nil:
		return fmt.Errorf("lunasoft: nothing sent: %w", g.initialErr)
	}
	err := g.ctx.Err()
	if err == nil {
		err = context.Canceled
	}
	return fmt.Errorf("lunasoft: batch interrupted, %d messages not sent: %w", g.notStarted, err)
}
