package lunasoft

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/alimtalk"
	"github.com/kshop-dev/kshop/internal/secret"
	"github.com/kshop-dev/kshop/internal/wire"
)

// Channel is what carried (or failed to carry) a message.
type Channel int

// Channels.
const (
	ChannelUnknown Channel = iota
	ChannelAlimTalk
	ChannelSMS
	ChannelLMS
	ChannelMMS
)

// String returns "AlimTalk", "SMS", "LMS", "MMS" or "unknown".
func (c Channel) String() string {
	switch c {
	case ChannelAlimTalk:
		return "AlimTalk"
	case ChannelSMS:
		return "SMS"
	case ChannelLMS:
		return "LMS"
	case ChannelMMS:
		return "MMS"
	default:
		return "unknown"
	}
}

// OutcomeStatus is what happened to a message, as Lunasoft's result webhook reports it.
type OutcomeStatus int

// Outcome statuses.
const (
	// OutcomeFailed: the channel failed (Code and Message say why). A failed AlimTalk whose
	// message had a failover is usually followed by the SMS/LMS's own result.
	OutcomeFailed OutcomeStatus = iota + 1
	// OutcomeDelivered: the AlimTalk was delivered.
	OutcomeDelivered
	// OutcomeDeliveredSMS: the failover SMS was delivered.
	OutcomeDeliveredSMS
	// OutcomeDeliveredLMS: the failover LMS (or MMS) was delivered.
	OutcomeDeliveredLMS
)

// String returns "failed", "delivered", "delivered by SMS" or "delivered by LMS".
func (s OutcomeStatus) String() string {
	switch s {
	case OutcomeFailed:
		return "failed"
	case OutcomeDelivered:
		return "delivered"
	case OutcomeDeliveredSMS:
		return "delivered by SMS"
	case OutcomeDeliveredLMS:
		return "delivered by LMS"
	default:
		return "unknown"
	}
}

// Delivered reports whether the customer got the message, by AlimTalk or by its failover.
func (s OutcomeStatus) Delivered() bool { return s >= OutcomeDelivered }

// Outcome is one delivery result from Lunasoft's webhook.
type Outcome struct {
	// Ref is the message's custom_key, which Send set to Result.Ref.
	Ref string
	// Status is what happened.
	Status OutcomeStatus
	// Channel is the channel the result is about.
	Channel Channel
	// Code is Lunasoft's result code as sent ("1000" is success in its failover
	// documentation).
	Code string
	// Message is Lunasoft's result text, if any.
	Message string
	// MessageID and GroupID are Lunasoft's message_id and message_group_id, if given.
	MessageID, GroupID string
	// At is the result time (response_dt, read in KST); zero when absent or unreadable.
	At time.Time
	// Raw is the delivery's payload as received (for a list, this entry of it).
	Raw []byte
	// Settled is the unknown Result this outcome settled (WebhookOptions.Pending), or nil
	// (also when the webhook arrived before Send returned the Result: the tracker then
	// settles it as it is added).
	Settled *alimtalk.Result
}

// Default webhook limits.
const (
	// DefaultWebhookMaxBody is the largest webhook body accepted (64 KiB).
	DefaultWebhookMaxBody = 64 << 10
	// DefaultWebhookMemory is how many delivered outcomes the handler remembers to answer
	// repeated deliveries without calling the callback again.
	DefaultWebhookMemory = 100000
	// DefaultSecretParam is the query parameter that carries WebhookOptions.Secret.
	DefaultSecretParam = "token"
	// SecretHeader is the header that may carry WebhookOptions.Secret instead.
	SecretHeader = "X-Webhook-Secret"
)

// DefaultSuccessCodes are the result codes read as success: "1000" (Lunasoft's failover
// documentation and its hub API's webhook), "0" and "0000" (its API answers). Inferred for
// jupiter, whose webhook format is not public; configurable with WebhookOptions.SuccessCodes.
var DefaultSuccessCodes = []string{"1000", "0", "0000", "LS0000"}

// WebhookOptions configure a Handler. Zero fields take defaults.
type WebhookOptions struct {
	// Secret, when set, must arrive as the query parameter SecretParam (register the webhook
	// URL with Lunasoft as https://shop.example/lunasoft?token=…) or in the X-Webhook-Secret
	// header; other deliveries get 401. Compared in constant time.
	Secret string
	// SecretParam names the query parameter (default "token").
	SecretParam string
	// AllowedNetworks, when set, lists the IP addresses or CIDR ranges deliveries may come
	// from (the connection's address; headers are not trusted); others get 403.
	AllowedNetworks []string
	// MaxBodyBytes bounds a delivery's body (default 64 KiB); a larger one gets 413.
	MaxBodyBytes int64
	// SuccessCodes are the result codes read as success (default DefaultSuccessCodes).
	SuccessCodes []string
	// Pending, when set, is settled by every outcome whose Ref it holds (see PendingTracker).
	Pending *PendingTracker
	// Memory bounds how many handled deliveries are remembered for deduplication (default
	// DefaultWebhookMemory).
	Memory int
}

// Handler is the http.Handler of Lunasoft's result webhook (AlimTalk results and the
// failover SMS/LMS results). Register its URL with Lunasoft; it calls the callback once per
// result, matched to the message by custom_key (Outcome.Ref).
//
// Lunasoft does not publish the jupiter webhook's body, so the handler decodes tolerantly:
// JSON (an object, a list of objects, or an object holding one under "data", "results",
// "messages" or "list") or a form, with keys matched without case, "_" or "-"
// (custom_key, customKey, CUSTOM_KEY). It reads the shape of Lunasoft's published hub webhook
// — {type, message_group_id, message_id, code ("1000" = success), response_dt} — and close
// variants: the key from custom_key, cmid or client_key; the channel from type, message_type
// or msg_type ("AT", "ALIMTALK", "SMS", "LMS", "MMS"); the code from code, result_code or
// status; the text from msg, message or result_msg; the time from response_dt, report_dt or
// done_dt.
//
// It answers 200 only after the callback returned nil for every result of the delivery; a
// callback error gets 500 (Lunasoft may deliver again) and a panic is recovered as 500. It
// answers 400 for a malformed body or a result with neither custom_key nor message_id, 413
// for a body over MaxBodyBytes, 405 for a method other than POST, 401 or 403 for a missing
// secret or a source outside AllowedNetworks. Repeated deliveries of a result already handled
// get 200 without calling the callback again; a repeat that arrives while the first is being
// handled waits for it. It is safe for concurrent use.
type Handler struct {
	callback func(context.Context, Outcome) error
	opts     WebhookOptions
	nets     []*net.IPNet

	mu    sync.Mutex
	done  map[string]bool
	busy  map[string]chan struct{}
	order []string
}

// NewHandler returns a webhook handler calling callback for every result. It refuses a nil
// callback and a malformed AllowedNetworks entry with a *kshop.ValidationError.
func NewHandler(callback func(ctx context.Context, o Outcome) error, opts WebhookOptions) (*Handler, error) {
	var problems []*kshop.FieldError
	if callback == nil {
		problems = append(problems, &kshop.FieldError{Field: "callback", Rule: kshop.RuleRequired})
	}
	h := &Handler{callback: callback, opts: opts, done: map[string]bool{}, busy: map[string]chan struct{}{}}
	for i, n := range opts.AllowedNetworks {
		n = strings.TrimSpace(n)
		if !strings.Contains(n, "/") {
			if ip := net.ParseIP(n); ip != nil {
				bits := 32
				if ip.To4() == nil {
					bits = 128
				}
				n = ip.String() + "/" + fmt.Sprint(bits)
			}
		}
		_, ipnet, err := net.ParseCIDR(n)
		if err != nil {
			problems = append(problems, &kshop.FieldError{Field: fmt.Sprintf("AllowedNetworks[%d]", i), Rule: kshop.RuleFormat,
				Detail: "an IP address or a CIDR range"})
			continue
		}
		h.nets = append(h.nets, ipnet)
	}
	if err := kshop.NewValidationError("lunasoft.NewHandler", problems); err != nil {
		return nil, err
	}
	if h.opts.SecretParam == "" {
		h.opts.SecretParam = DefaultSecretParam
	}
	if h.opts.MaxBodyBytes <= 0 {
		h.opts.MaxBodyBytes = DefaultWebhookMaxBody
	}
	if h.opts.Memory <= 0 {
		h.opts.Memory = DefaultWebhookMemory
	}
	return h, nil
}

// String describes the options with the secret masked.
func (o WebhookOptions) String() string {
	return fmt.Sprintf("lunasoft.WebhookOptions{Secret: %s, SecretParam: %q, AllowedNetworks: %v, MaxBodyBytes: %d, SuccessCodes: %v, Memory: %d}",
		secret.Mask(o.Secret), o.SecretParam, o.AllowedNetworks, o.MaxBodyBytes, o.SuccessCodes, o.Memory)
}

// GoString is String, for %#v.
func (o WebhookOptions) GoString() string { return o.String() }

// Format prints String for every verb, so the secret is never reached by reflection.
func (o WebhookOptions) Format(f fmt.State, verb rune) { secret.Format(f, verb, o.String()) }

// MarshalJSON encodes the options with the secret masked.
func (o WebhookOptions) MarshalJSON() ([]byte, error) {
	type plain WebhookOptions
	p := plain(o)
	p.Secret, p.Pending = secret.Mask(o.Secret), nil
	return json.Marshal(p)
}

// LogValue keeps the secret out of slog output.
func (o WebhookOptions) LogValue() slog.Value {
	return slog.GroupValue(slog.String("secret", secret.Mask(o.Secret)), slog.String("secret_param", o.SecretParam))
}

// String describes the handler by its options, the secret masked.
func (h *Handler) String() string { return "lunasoft.Handler{" + h.opts.String() + "}" }

// Format prints String for every verb, so %v of a handler never reaches the secret.
func (h *Handler) Format(f fmt.State, verb rune) { secret.Format(f, verb, h.String()) }

// LogValue keeps the secret out of slog output.
func (h *Handler) LogValue() slog.Value { return h.opts.LogValue() }

// ServeHTTP handles one delivery.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	if !h.allowedSource(r) {
		http.Error(w, "source not allowed", http.StatusForbidden)
		return
	}
	if !h.authorized(r) {
		http.Error(w, "missing or wrong secret", http.StatusUnauthorized)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, h.opts.MaxBodyBytes+1))
	if err != nil {
		http.Error(w, "cannot read the body", http.StatusBadRequest)
		return
	}
	if int64(len(body)) > h.opts.MaxBodyBytes {
		http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
		return
	}
	outcomes, err := ParseOutcomes(r.Header.Get("Content-Type"), body, h.opts.SuccessCodes...)
	if err != nil {
		http.Error(w, "malformed result: "+err.Error(), http.StatusBadRequest)
		return
	}
	for _, o := range outcomes {
		if err := h.handle(r.Context(), o); err != nil {
			http.Error(w, "callback failed", http.StatusInternalServerError)
			return
		}
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, _ = io.WriteString(w, `{"code":0,"msg":"ok"}`)
}

// handle runs the callback for one outcome, once per distinct result.
func (h *Handler) handle(ctx context.Context, o Outcome) (err error) {
	key := o.Ref + "\x00" + o.MessageID + "\x00" + o.Channel.String() + "\x00" + o.Code
	for {
		h.mu.Lock()
		if h.done[key] {
			h.mu.Unlock()
			return nil
		}
		wait, busy := h.busy[key]
		if !busy {
			h.busy[key] = make(chan struct{})
			h.mu.Unlock()
			break
		}
		h.mu.Unlock()
		select {
		case <-wait:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("lunasoft: webhook callback panicked: %v", p)
		}
		h.mu.Lock()
		close(h.busy[key])
		delete(h.busy, key)
		if err == nil {
			h.remember(key)
		}
		h.mu.Unlock()
	}()
	if h.opts.Pending != nil && o.Ref != "" {
		if p, ok := h.opts.Pending.Lookup(o.Ref); ok {
			o.Settled = &p.Result
		}
	}
	if err := h.callback(ctx, o); err != nil {
		return err
	}
	if h.opts.Pending != nil && o.Ref != "" {
		h.opts.Pending.Settle(o.Ref) // remembered even when Send has not returned it yet
	}
	return nil
}

// remember marks key handled, forgetting the oldest beyond the memory bound.
func (h *Handler) remember(key string) {
	h.done[key] = true
	h.order = append(h.order, key)
	for len(h.order) > h.opts.Memory {
		delete(h.done, h.order[0])
		h.order = h.order[1:]
	}
}

func (h *Handler) allowedSource(r *http.Request) bool {
	if len(h.nets) == 0 {
		return true
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	ip := net.ParseIP(host)
	if ip == nil {
		return false
	}
	for _, n := range h.nets {
		if n.Contains(ip) {
			return true
		}
	}
	return false
}

func (h *Handler) authorized(r *http.Request) bool {
	if h.opts.Secret == "" {
		return true
	}
	got := r.Header.Get(SecretHeader)
	if got == "" {
		got = r.URL.Query().Get(h.opts.SecretParam)
	}
	return subtle.ConstantTimeCompare([]byte(got), []byte(h.opts.Secret)) == 1
}

// ErrMalformedOutcome is matched by the errors of ParseOutcomes.
var ErrMalformedOutcome = errors.New("lunasoft: malformed webhook result")

// ParseOutcomes decodes a webhook body (see Handler for the shapes it reads) into one
// Outcome per result. contentType picks form decoding for
// application/x-www-form-urlencoded; anything else is read as JSON. successCodes replace
// DefaultSuccessCodes when given. It never panics; a body that holds no result, or a result
// without custom_key and message_id, is an error matching ErrMalformedOutcome.
func ParseOutcomes(contentType string, body []byte, successCodes ...string) ([]Outcome, error) {
	success := map[string]bool{}
	if len(successCodes) == 0 {
		successCodes = DefaultSuccessCodes
	}
	for _, c := range successCodes {
		success[strings.ToUpper(strings.TrimSpace(c))] = true
	}
	items, raws, err := decodeItems(contentType, body)
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return nil, fmt.Errorf("%w: no result in the body", ErrMalformedOutcome)
	}
	out := make([]Outcome, 0, len(items))
	for i, it := range items {
		o := Outcome{
			Ref:       it.get("customkey", "cmid", "clientkey", "customid", "refkey"),
			Code:      it.get("code", "resultcode", "result", "status", "reportcode"),
			Message:   it.get("msg", "message", "resultmsg", "resultmessage", "errormsg", "description"),
			MessageID: it.get("messageid", "msgid", "messagekey", "mid"),
			GroupID:   it.get("messagegroupid", "groupid"),
			Channel:   parseChannel(it.get("type", "messagetype", "msgtype", "channel", "sendtype")),
			Raw:       raws[i],
		}
		if o.Ref == "" && o.MessageID == "" {
			return nil, fmt.Errorf("%w: a result has neither custom_key nor message_id", ErrMalformedOutcome)
		}
		if t := it.get("responsedt", "responsetime", "reportdt", "donedt", "resultdt", "receivedt", "senddt"); t != "" {
			if at, err := wire.ParseKSTAny(t); err == nil {
				o.At = at
			}
		}
		ok := success[strings.ToUpper(o.Code)]
		switch {
		case !ok:
			o.Status = OutcomeFailed
		case o.Channel == ChannelSMS:
			o.Status = OutcomeDeliveredSMS
		case o.Channel == ChannelLMS || o.Channel == ChannelMMS:
			o.Status = OutcomeDeliveredLMS
		default:
			o.Status = OutcomeDelivered
		}
		out = append(out, o)
	}
	return out, nil
}

// parseChannel reads the channel of a result; an absent type means AlimTalk (inferred).
func parseChannel(s string) Channel {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "", "AT", "ALIMTALK", "ALT", "KAKAO", "KA", "K", "ATA", "ALIM":
		return ChannelAlimTalk
	case "SMS", "S":
		return ChannelSMS
	case "LMS", "L":
		return ChannelLMS
	case "MMS", "M":
		return ChannelMMS
	}
	return ChannelUnknown
}

// flatItem is one result's fields, keyed without case, "_" or "-".
type flatItem map[string]string

func (f flatItem) get(keys ...string) string {
	for _, k := range keys {
		if v := strings.TrimSpace(f[k]); v != "" {
			return v
		}
	}
	return ""
}

func flatKey(k string) string {
	k = strings.ToLower(k)
	return strings.NewReplacer("_", "", "-", "", " ", "").Replace(k)
}

// decodeItems splits a body into results.
func decodeItems(contentType string, body []byte) ([]flatItem, [][]byte, error) {
	mt, _, _ := mime.ParseMediaType(contentType)
	trimmed := bytes.TrimSpace(bytes.TrimPrefix(body, []byte("\xef\xbb\xbf")))
	if len(trimmed) == 0 {
		return nil, nil, fmt.Errorf("%w: empty body", ErrMalformedOutcome)
	}
	if mt == "application/x-www-form-urlencoded" || (trimmed[0] != '{' && trimmed[0] != '[' && bytes.Contains(trimmed, []byte("="))) {
		vals, err := url.ParseQuery(string(trimmed))
		if err != nil {
			return nil, nil, fmt.Errorf("%w: malformed form", ErrMalformedOutcome)
		}
		it := flatItem{}
		for k, v := range vals {
			if len(v) > 0 {
				it[flatKey(k)] = v[0]
			}
		}
		return []flatItem{it}, [][]byte{append([]byte(nil), body...)}, nil
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return nil, nil, fmt.Errorf("%w: malformed JSON", ErrMalformedOutcome)
	}
	if dec.More() {
		return nil, nil, fmt.Errorf("%w: text after the JSON value", ErrMalformedOutcome)
	}
	var list []any
	switch t := v.(type) {
	case []any:
		list = t
	case map[string]any:
		list = []any{t}
		for key, inner := range t {
			if !wrapperKeys[flatKey(key)] {
				continue
			}
			if l, ok := inner.([]any); ok {
				list = l
			} else if o, ok := inner.(map[string]any); ok && o != nil {
				list = []any{o}
			}
			break
		}
	default:
		return nil, nil, fmt.Errorf("%w: not a JSON object or list", ErrMalformedOutcome)
	}
	items := make([]flatItem, 0, len(list))
	raws := make([][]byte, 0, len(list))
	for _, e := range list {
		o, ok := e.(map[string]any)
		if !ok {
			return nil, nil, fmt.Errorf("%w: a result is not an object", ErrMalformedOutcome)
		}
		it := flatItem{}
		for k, val := range o {
			switch x := val.(type) {
			case string:
				it[flatKey(k)] = x
			case json.Number:
				it[flatKey(k)] = x.String()
			case bool:
				it[flatKey(k)] = fmt.Sprint(x)
			}
		}
		raw, _ := json.Marshal(o)
		if len(list) == 1 {
			raw = append([]byte(nil), body...)
		}
		items = append(items, it)
		raws = append(raws, raw)
	}
	return items, raws, nil
}

// wrapperKeys are the keys under which a body may hold its results.
var wrapperKeys = map[string]bool{"data": true, "results": true, "messages": true, "list": true}
