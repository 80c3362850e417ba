package lunasoft

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/kshop-dev/kshop/alimtalk"
	"github.com/kshop-dev/kshop/alimtalk/provider"
	"github.com/kshop-dev/kshop/internal/phone"
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
// WithChunkSize (1,000) messages, and sent by WithConcurrency (4) workers, the first as soon
// as its chunk is full. Each chunk is prepared just before it is sent, message by message, as
// alimtalk.Message.Prepare does (phone numbers normalized, texts rendered from or matched
// against the template, titles and buttons filled, reservation times checked against
// Limits.ScheduleHorizon, control characters refused), and encoded as it is prepared, so the
// memory a call holds beyond its Results grows with the concurrency times the chunk size, not
// with the batch. Lunasoft's
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

// chunk is messages of one template_id, by index in the caller's list: one request's worth
// once handed to a worker, or a template's group still filling up before that.
type chunk struct {
	id      int64
	indexes []int32
}

// sendAll is Send over n messages read through msg. The caller's goroutine makes one pass
// over the messages that settles every Ref (generated, or refused when repeated) and
// template_id and sorts the messages' indexes into template groups; each time a group fills a
// chunk, the chunk goes to a fixed pool of workers at once, and the groups' last chunks follow
// in order of first appearance. A worker prepares, checks, encodes and sends its chunk and
// writes its Results in place. Nothing per message is built ahead of its chunk, so what a call
// holds beyond its Results grows with the concurrency times the chunk size, not with the
// batch, and the first request starts after one chunk's pass rather than the whole batch's.
//
// msg reads the i-th message; ext, nil for plain alimtalk messages, its Lunasoft fields.
func (c *Client) sendAll(ctx context.Context, n int, msg func(int) *alimtalk.Message, ext func(int) *Message) ([]alimtalk.Result, error) {
	results := make([]alimtalk.Result, n)
	size := c.s.chunkSize
	p := &chunkPool{c: c, ctx: ctx, gate: provider.NewGate(ctx, "lunasoft"), msg: msg, ext: ext, results: results}
	var groups []*chunk
	var byID map[int64]*chunk // only once there are many groups
	var seen map[string]struct{}
	lastCode, lastID, lastOK := "", int64(0), false
	var last *chunk
	for i := range n {
		m := msg(i)
		ref := m.Ref
		if ref == "" {
			// Only a generated Ref is stored ahead; sendChunk takes the others from the message.
			ref = c.s.newRef()
			results[i].Ref = ref
		} else {
			if seen == nil {
				seen = make(map[string]struct{}, n-i)
			}
			// One map operation: the set grows unless the Ref was in it already.
			before := len(seen)
			if seen[ref] = struct{}{}; len(seen) == before {
				results[i] = c.invalidAlone(*m, ref, extOf(ext, i), alimtalk.FieldErrors{{Field: "Ref", Key: "custom_key", Reason: alimtalk.ReasonDuplicate,
					Detail: "another message in the call has the same ref (custom_key)"}})
				continue
			}
		}
		// Messages of a batch mostly share their template: resolve a code once per run.
		if i == 0 || m.TemplateCode != lastCode {
			lastCode, last = m.TemplateCode, nil
			lastID, lastOK = c.templateID(lastCode)
		}
		if !lastOK {
			results[i] = c.invalidAlone(*m, ref, extOf(ext, i), alimtalk.FieldErrors{{Field: "TemplateCode", Key: "template_id", Reason: alimtalk.ReasonInvalid,
				Detail: "Lunasoft template IDs are integers: give the ID, or an alias of the TemplateCatalog given with WithTemplates"}})
			continue
		}
		if last == nil {
			last = findGroup(&groups, &byID, lastID)
		}
		if last.indexes == nil {
			last.indexes = make([]int32, 0, min(size, n-i))
		}
		last.indexes = append(last.indexes, int32(i))
		if len(last.indexes) == size {
			// More chunks may follow: at most one per chunk of messages left, plus one per group.
			p.send(chunk{id: last.id, indexes: last.indexes}, (n-i-1+size-1)/size+len(groups))
			last.indexes = nil
		}
	}
	var rest []chunk
	for _, g := range groups {
		if len(g.indexes) > 0 {
			rest = append(rest, chunk{id: g.id, indexes: g.indexes})
		}
	}
	for k, ch := range rest {
		p.send(ch, len(rest)-k)
	}
	p.finish()
	return results, p.gate.Err()
}

// findGroup returns id's group, adding it when it is new. A few groups are searched in place;
// a map indexes them once there are more.
func findGroup(groups *[]*chunk, byID *map[int64]*chunk, id int64) *chunk {
	const scan = 8
	if *byID != nil {
		if g := (*byID)[id]; g != nil {
			return g
		}
	} else {
		for _, g := range *groups {
			if g.id == id {
				return g
			}
		}
	}
	g := &chunk{id: id}
	*groups = append(*groups, g)
	if len(*groups) > scan {
		if *byID == nil {
			*byID = make(map[int64]*chunk, 2*scan)
			for _, grp := range *groups {
				(*byID)[grp.id] = grp
			}
		}
		(*byID)[id] = g
	}
	return g
}

// chunkPool runs a call's chunks on up to WithConcurrency workers, started with the first
// chunk that has others after it; a call of one chunk runs on the caller's goroutine.
type chunkPool struct {
	c       *Client
	ctx     context.Context
	gate    *provider.Gate
	msg     func(int) *alimtalk.Message
	ext     func(int) *Message
	results []alimtalk.Result

	jobs    chan chunk
	wg      sync.WaitGroup
	started bool
}

// send runs ch, which at most left-1 more chunks follow.
func (p *chunkPool) send(ch chunk, left int) {
	if !p.started {
		workers := min(p.c.s.concurrency, left)
		if workers <= 1 {
			var w chunkWorker
			p.c.sendChunk(p.ctx, p.gate, ch, p.msg, p.ext, p.results, &w)
			return
		}
		p.start(workers)
	}
	p.jobs <- ch
}

func (p *chunkPool) start(workers int) {
	p.started = true
	p.jobs = make(chan chunk)
	for range workers {
		p.wg.Go(func() {
			var w chunkWorker
			for ch := range p.jobs {
				p.c.sendChunk(p.ctx, p.gate, ch, p.msg, p.ext, p.results, &w)
			}
		})
	}
}

// finish waits for the workers.
func (p *chunkPool) finish() {
	if p.started {
		close(p.jobs)
		p.wg.Wait()
	}
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
	hasButtonURLs bool
}

// chunkWorker is what one worker reuses from chunk to chunk.
type chunkWorker struct {
	sent []int32 // the indexes of the messages in the request, in the order of their "no"
	tpl  templateInfo
	prep *alimtalk.Preparer
	// sampled is the size of the first messages of the current request, for sizing its body.
	sampled int
}

// templateInfo is what the checks need of a message's template, looked up once for a run of
// messages with the same TemplateCode.
type templateInfo struct {
	code    string
	valid   bool               // the fields below belong to code
	tpl     *alimtalk.Template // nil when unknown or without a template source
	unknown bool               // the client has a template source and it does not know code
	links   bool               // the template has link buttons (WL, AL)

	tracking               bool
	courierVar, waybillVar string
}

// template returns the templateInfo of code, looking it up only when code differs from the
// previous message's.
func (w *chunkWorker) template(c *Client, code string) *templateInfo {
	t := &w.tpl
	if t.valid && t.code == code {
		return t
	}
	*t = templateInfo{code: code, valid: true}
	if c.s.templates != nil && code != "" {
		if tpl, ok := c.s.templates.Template(code); ok {
			t.tpl = tpl
		} else {
			t.unknown = true
		}
	}
	t.links = t.tpl != nil && hasLinkButtons(t.tpl.Buttons)
	t.tracking, t.courierVar, t.waybillVar = c.trackingInfo(code, t.tpl)
	return t
}

// sendChunk prepares and checks each message of one chunk (alimtalk.Message.Prepare, through
// the worker's Preparer, then the Lunasoft rules), writes its Result, appends the valid ones to the request body as it goes,
// and sends the request.
func (c *Client) sendChunk(ctx context.Context, gate *provider.Gate, ch chunk, msg func(int) *alimtalk.Message, ext func(int) *Message,
	results []alimtalk.Result, w *chunkWorker) {
	w.tpl.valid = false // the template source may answer differently from one call to the next
	if w.prep == nil {
		w.sent = make([]int32, 0, c.s.chunkSize)
		w.prep = alimtalk.NewPreparer(c.limits)
	}
	sent := w.sent[:0]
	// The body starts with room for a few messages; once they are written, their size tells
	// the size of the rest, and the body is allocated once more, at about its final size.
	const sample = 16
	body := make([]byte, 0, len(*c.prefix)+64+min(len(ch.indexes), sample)*512)
	body = append(body, *c.prefix...)
	body = append(body, `"template_id":`...)
	body = strconv.AppendInt(body, ch.id, 10)
	body = append(body, `,"messages":[`...)
	for _, k := range ch.indexes {
		i := int(k)
		r := &results[i]
		x := extOf(ext, i)
		appUser := x.appUserOnly()
		m := *msg(i)
		if r.Ref != "" {
			m.Ref = r.Ref // generated
		}
		if appUser {
			m.To = placeholderTo
		}
		t := w.template(c, m.TemplateCode)
		var p alimtalk.Message
		err := error(nil)
		if t.unknown && m.Text == "" {
			err = alimtalk.FieldErrors{{Field: "TemplateCode", Key: "template_code", Reason: alimtalk.ReasonInvalid,
				Detail: "unknown template: give the text or register the template"}}
		} else {
			p, err = w.prep.Prepare(m, t.tpl)
		}
		if err != nil {
			*r = alimtalk.Result{Ref: m.Ref, Status: alimtalk.StatusInvalid, Err: err}
			if !appUser {
				r.To = recipientDigits(m.To)
			}
			continue
		}
		// r is zero but for a generated Ref: set only what the message has.
		r.Ref = p.Ref
		if !appUser {
			r.To = p.To
		}
		if !p.ScheduledAt.IsZero() {
			r.ScheduledAt = p.ScheduledAt
		}
		wm, errs := c.resolve(&p, x, t)
		if len(errs) > 0 {
			r.Status, r.Err = alimtalk.StatusInvalid, errs
			continue
		}
		r.Text = p.Text
		if len(sent) > 0 {
			body = append(body, ',')
		}
		start := len(body)
		body = appendMessage(body, len(sent), &wm)
		sent = append(sent, k)
		if len(sent) == sample {
			w.sampled += len(body) - start
			body = sizeFor(body, len(ch.indexes)-(len(sent)), w.sampled/sample)
		} else if len(sent) < sample {
			w.sampled += len(body) - start
		}
	}
	body = append(body, "]}"...)
	w.sent, w.sampled = sent, 0
	if len(sent) == 0 {
		return
	}
	c.sendRequest(ctx, gate, body, sent, results)
	if c.s.pending != nil {
		for _, i := range sent {
			if results[i].Status == alimtalk.StatusUnknown {
				c.s.pending.Add(results[i])
			}
		}
	}
}

// recipientDigits returns the normalized mobile number of a message refused before sending,
// or "" when it is not one (the Result's To).
func recipientDigits(to string) string {
	num, err := phone.Parse(to)
	if err != nil || !num.IsMobile() {
		return ""
	}
	return num.DigitsOf(to)
}

// sizeFor returns body with room for up to more messages of about per bytes each (an eighth
// more, for longer ones) and the closing brackets: body itself when it has the room, else a
// copy, the one growth of a request body.
func sizeFor(body []byte, more, per int) []byte {
	need := len(body) + more*(per+per/8+1) + 8
	if cap(body) >= need {
		return body
	}
	grown := make([]byte, len(body), need)
	copy(grown, body)
	return grown
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

// resolve checks the Lunasoft rules Prepare does not know and resolves the Lunasoft fields of
// the prepared message m, whose template is t.
func (c *Client) resolve(m *alimtalk.Message, x *Message, t *templateInfo) (wireMessage, alimtalk.FieldErrors) {
	wm := wireMessage{m: m, appUserID: x.AppUserID, appUserOnly: x.appUserOnly(), invoice: x.InvoiceNumber,
		price: x.Price, currency: x.Currency}
	var errs alimtalk.FieldErrors
	add := func(field, key string, r alimtalk.Reason, limit, got int, detail string) {
		errs = append(errs, &alimtalk.FieldError{Field: field, Key: key, Reason: r, Limit: limit, Got: got, Detail: detail})
	}
	if n, over := longer(m.Ref, maxCustomKey); over {
		add("Ref", "custom_key", alimtalk.ReasonTooLong, maxCustomKey, n, "Lunasoft's custom_key, the webhook's key")
	}
	if x.AppUserID != "" {
		if n, over := longer(x.AppUserID, maxAppUserID); over {
			add("AppUserID", "app_user_id", alimtalk.ReasonTooLong, maxAppUserID, n, "")
		}
		errs = checkPlain("AppUserID", "app_user_id", x.AppUserID, errs)
	}
	sms := m.Text
	if m.Failover != nil {
		sms = m.Failover.Content
	}
	if n, over := longer(sms, maxSMSText); over {
		add("Failover.Content", "sms_content", alimtalk.ReasonTooLong, maxSMSText, n, "Lunasoft's sms_content")
	}
	for i, bt := range m.Buttons {
		for _, u := range [...]struct{ field, key, v string }{
			{"URLPC", "url_pc", bt.URLPC}, {"URLMobile", "url_mobile", bt.URLMobile},
			{"SchemeAndroid", "scheme_android", bt.SchemeAndroid}, {"SchemeIOS", "scheme_ios", bt.SchemeIOS},
		} {
			if u.v != "" {
				wm.hasButtonURLs = true
			}
			if n, over := longer(u.v, maxButtonURL); over {
				at := "[" + strconv.Itoa(i) + "]."
				add("Buttons"+at+u.field, "btn_url"+at+u.key, alimtalk.ReasonTooLong, maxButtonURL, n, "")
			}
		}
	}
	if t.links && !wm.hasButtonURLs {
		// Lunasoft takes such a request and delivers nothing: refuse it here.
		add("Buttons", "btn_url", alimtalk.ReasonRequired, 0, 0, "the template has link buttons; without their URLs Lunasoft delivers nothing")
	}
	tracking, courierVar, waybillVar := t.tracking, t.courierVar, t.waybillVar
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
	switch n, over := longer(wm.invoice, maxInvoice); {
	case wm.invoice == "" && tracking:
		add("InvoiceNumber", "invoice_number", alimtalk.ReasonRequired, 0, 0,
			"a delivery-tracking template needs the waybill number (InvoiceNumber or the #{"+waybillVar+"} variable)")
	case over:
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

// longer reports whether s has more than limit characters, and how many it has then. A string
// of at most limit bytes is not counted: it cannot have more characters than bytes.
func longer(s string, limit int) (int, bool) {
	if len(s) <= limit {
		return 0, false
	}
	n := utf8.RuneCountInString(s)
	return n, n > limit
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

// sendRequest sends one chunk's request body, unless the gate says the batch may start no
// more requests, and fills the Results of its messages (sent, by index in results, in the
// order of their "no"), whose Ref, To, ScheduledAt and Text are set already.
func (c *Client) sendRequest(ctx context.Context, gate *provider.Gate, body []byte, sent []int32, results []alimtalk.Result) {
	if err := gate.Blocked(len(sent)); err != nil {
		for _, i := range sent {
			results[i].Status, results[i].Err = alimtalk.StatusNotSent, err
		}
		return
	}
	sentAt := c.s.now()
	a, err := c.post(ctx, body)
	if err != nil {
		status := provider.StatusOf(err)
		for _, i := range sent {
			r := &results[i]
			r.Status, r.Err = status, err
			if status != alimtalk.StatusNotSent {
				r.SentAt = sentAt
			}
		}
		if status == alimtalk.StatusRejected && errors.Is(err, ErrUnauthorized) {
			gate.Stop(err)
		}
		return
	}
	c.perMessage(a, sent, results, sentAt)
}

// Entry markers of perMessage: no entry for the message, or two that disagree.
const (
	entryMissing = -1
	entryTwice   = -2
)

// perMessage maps an accepted request's answer onto its messages: each is Accepted (Reserved
// when scheduled) unless the answer lists per-message results and its entry has a
// result_code other than 0 (Rejected, with an *APIError). Whatever does not say for certain
// which message an entry is leaves that message Unknown, never Rejected (a Rejected message
// may be sent again): no entry for it, two entries with its "no", or a refusal matched only by
// position (entries without "no": nothing says Lunasoft keeps the request's order).
func (c *Client) perMessage(a *answer, sent []int32, results []alimtalk.Result, sentAt time.Time) {
	listed := a.hasMessages && len(a.messages) > 0
	// entries[n] is the answer's entry for the message with "no" n, or a marker: matched by
	// "no" when the entries carry one, else by position when the counts agree.
	var entries []int
	positional := false
	if listed {
		entries = make([]int, len(sent))
		for n := range entries {
			entries[n] = entryMissing
		}
		positional = len(a.messages) == len(sent)
		for k, mr := range a.messages {
			if mr.no == "" {
				continue
			}
			positional = false
			if no, ok := plainNo(mr.no); ok && no < len(sent) {
				if entries[no] != entryMissing {
					entries[no] = entryTwice
				} else {
					entries[no] = k
				}
			}
		}
		if positional {
			for n := range entries {
				entries[n] = n
			}
		}
	}
	for n, i := range sent {
		r := &results[i]
		r.SentAt = sentAt
		switch {
		case !listed:
			r.Status = accepted(r)
		case entries[n] == entryMissing:
			r.Status = alimtalk.StatusUnknown
			r.Err = c.badAnswer("Send", a.status, nil, nil, "the answer lists per-message results but not this message", true, nil)
		case entries[n] == entryTwice:
			r.Status = alimtalk.StatusUnknown
			r.Err = c.badAnswer("Send", a.status, nil, nil, "the answer lists this message twice", true, nil)
		case a.messages[entries[n]].ok():
			r.Status, r.MessageID = accepted(r), a.messages[entries[n]].messageID
		case positional:
			r.Status = alimtalk.StatusUnknown
			r.Err = c.badAnswer("Send", a.status, nil, nil, "a refusal without \"no\" cannot be matched to its message", true, nil)
		default:
			mr := a.messages[entries[n]]
			red := c.tr.Redactor()
			r.Status = alimtalk.StatusRejected
			r.MessageID = mr.messageID
			r.Err = &APIError{Op: "Send", HTTPStatus: a.status, VendorCode: red.Text(mr.code), Message: red.Text(mr.text)}
		}
	}
}

// plainNo reads an entry's "no" as the plain decimal Send writes ("0", "17"); a no written
// otherwise ("01", " 1", "+1") matches no message, as comparing the texts would have it.
func plainNo(s string) (int, bool) {
	if s == "" || len(s) > 9 || (len(s) > 1 && s[0] == '0') {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

// accepted is the status of an accepted message: Reserved when it was scheduled.
func accepted(r *alimtalk.Result) alimtalk.Status {
	if r.ScheduledAt.IsZero() {
		return alimtalk.StatusAccepted
	}
	return alimtalk.StatusReserved
}

// randomRef generates a custom_key: "ls" and 32 random hex digits.
func randomRef() string {
	var raw [16]byte
	_, _ = rand.Read(raw[:])
	var b [2 + 2*len(raw)]byte
	b[0], b[1] = 'l', 's'
	hex.Encode(b[2:], raw[:])
	return string(b[:])
}
