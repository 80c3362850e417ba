package reliability_test

import (
	"bytes"
	"compress/gzip"
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
	"github.com/kshop-dev/kshop/ssoda"
)

// hostile is an answer built to break a decoder.
type hostile struct {
	name    string
	ctype   string
	body    func() string
	headers []string
	// mayBeTrue marks answers whose content is a genuine answer in an unusual wrapping (a
	// byte-order mark): the call may succeed, but then with exactly the answer's values.
	mayBeTrue bool
	// big marks answers of several megabytes: they test the transport's size limit, which
	// lists and sends share, so they run against the sends only (each costs seconds under
	// -race).
	big bool
}

func lit(s string) func() string { return func() string { return s } }

const bomb = 32 << 20 // bytes a gzip bomb expands to: 8 times the SDK's 4 MiB answer limit

var gzipBombs sync.Map // prefix → compressed body

// gzipBomb returns prefix followed by 32 MiB of zeros, gzip-compressed (about 32 KiB).
func gzipBomb(prefix string) func() string {
	return func() string {
		if v, ok := gzipBombs.Load(prefix); ok {
			return v.(string)
		}
		var b bytes.Buffer
		w, _ := gzip.NewWriterLevel(&b, gzip.BestSpeed)
		_, _ = w.Write([]byte(prefix))
		zeros := make([]byte, 1<<20)
		for i := range zeros {
			zeros[i] = '0'
		}
		for i := 0; i < bomb>>20; i++ {
			_, _ = w.Write(zeros)
		}
		_ = w.Close()
		gzipBombs.Store(prefix, b.String())
		return b.String()
	}
}

func deepJSON(depth int) func() string {
	return func() string {
		return `{"code":"200","content":` + strings.Repeat(`{"a":[`, depth) + `1` + strings.Repeat(`]}`, depth) + `}`
	}
}

func deepXML(depth int, inner string) func() string {
	return func() string {
		return `<?xml version="1.0" encoding="UTF-8"?><response>` + inner + strings.Repeat("<a>", depth) + strings.Repeat("</a>", depth) + `</response>`
	}
}

func huge(prefix, suffix string) func() string {
	return func() string { return prefix + strings.Repeat("x", 10<<20) + suffix }
}

const okMessage = `"sent_messages":[{"msg_id":"100000001","reserv":"N"}]`

var hostileJSON = []hostile{
	{name: "deep nesting", body: deepJSON(20000)},
	{name: "10 MB body", big: true, body: huge(`{"code":"200","content":{`+okMessage+`,"pad":"`, `"}}`)},
	{name: "gzip bomb", big: true, headers: []string{"Content-Encoding", "gzip"}, body: gzipBomb(`{"code":"200","content":{` + okMessage + `,"pad":"`)},
	{name: "code is an array", body: lit(`{"code":["200"],"content":{` + okMessage + `}}`)},
	{name: "code is an object", body: lit(`{"code":{"value":"200"},"content":{` + okMessage + `}}`)},
	{name: "code is a boolean", body: lit(`{"code":true,"content":{` + okMessage + `}}`)},
	{name: "code is null", body: lit(`{"code":null,"content":{` + okMessage + `}}`)},
	{name: "code is 200.5", body: lit(`{"code":200.5,"content":{` + okMessage + `}}`)},
	{name: "code overflows", body: lit(`{"code":1e999,"content":{` + okMessage + `}}`)},
	{name: "no code", body: lit(`{"error":"","content":{` + okMessage + `}}`)},
	{name: "duplicate code keys (500 then 200)", body: lit(`{"code":"500","code":"200","content":{` + okMessage + `}}`)},
	{name: "duplicate code keys (200 then 500)", body: lit(`{"code":"200","code":"500","content":{` + okMessage + `}}`)},
	{name: "two documents", body: lit(`{"code":"200","content":{` + okMessage + `}}{"code":"500","error":"x"}`)},
	{name: "trailing garbage", body: lit(`{"code":"200","content":{` + okMessage + `}}<html>`)},
	{name: "invalid UTF-8", body: lit("{\"code\":\"200\xff\xfe\",\"content\":{" + okMessage + "}}")},
	{name: "NUL inside", body: lit("{\"code\":\"200\"\x00,\"content\":{" + okMessage + "}}")},
	{name: "XML instead of JSON", ctype: xmlType, body: lit(`<?xml version="1.0"?><response><code>200</code></response>`)},
	{name: "UTF-8 BOM", body: lit("\uFEFF" + ssodaSendOK), mayBeTrue: true},
}

var hostileXML = []hostile{
	{name: "deep nesting", body: deepXML(20000, `<regiNo>6012345678901</regiNo>`)},
	{name: "10 MB body", big: true, body: huge(strings.TrimSuffix(epostOrderOK, "</response>")+"<pad>", "</pad></response>")},
	{name: "gzip bomb", big: true, headers: []string{"Content-Encoding", "gzip"}, body: gzipBomb(strings.TrimSuffix(epostOrderOK, "</response>") + "<pad>")},
	{name: "billion laughs", body: lit(`<?xml version="1.0"?><!DOCTYPE response [<!ENTITY a "aaaaaaaaaa">` +
		`<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">` +
		`<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">` +
		`<!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;"><!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">]>` +
		`<response><regiNo>6012345678901</regiNo><resNo>&g;</resNo></response>`)},
	{name: "external entity", body: lit(`<?xml version="1.0"?><!DOCTYPE response [<!ENTITY x SYSTEM "file:///etc/passwd">]>` +
		`<response><regiNo>&x;</regiNo></response>`)},
	{name: "waybill only through an entity", body: lit(`<?xml version="1.0"?><!DOCTYPE response [<!ENTITY n "6012345678901">]>` +
		`<response><reqNo>202405010000000001</reqNo><resNo>2024050100000001</resNo><regiNo>&n;</regiNo></response>`)},
	{name: "mismatched end tag", body: lit(`<?xml version="1.0" encoding="UTF-8"?><response><regiNo>6012345678901</regiNo></reponse>`)},
	{name: "unclosed root", body: lit(`<?xml version="1.0" encoding="UTF-8"?><response><regiNo>6012345678901</regiNo>`)},
	{name: "two different waybills", body: lit(`<?xml version="1.0" encoding="UTF-8"?><response><reqNo>202405010000000001</reqNo>` +
		`<resNo>2024050100000001</resNo><regiNo>6012345678901</regiNo><regiNo>6012345678918</regiNo></response>`)},
	{name: "test waybill for a real order", body: lit(`<?xml version="1.0" encoding="UTF-8"?><response><reqNo>202405010000000001</reqNo>` +
		`<resNo>2024050100000001</resNo><regiNo>TESTREGINOAPI</regiNo></response>`)},
	{name: "booking and error_code", body: lit(`<?xml version="1.0" encoding="UTF-8"?><response><reqNo>202405010000000001</reqNo>` +
		`<resNo>2024050100000001</resNo><regiNo>6012345678901</regiNo><error_code>ERR-211</error_code><message>필수항목누락</message></response>`)},
	{name: "invalid UTF-8", body: lit("<?xml version=\"1.0\" encoding=\"UTF-8\"?><response><regiNo>60123456789\xff\xfe</regiNo></response>")},
	{name: "JSON instead of XML", ctype: jsonType, body: lit(`{"regiNo":"6012345678901"}`)},
	{name: "UTF-8 BOM", body: lit("\uFEFF" + epostOrderOK), mayBeTrue: true},
}

// within runs f, failing the test if it does not return within d: a hang must not stall the
// suite silently.
func within(t *testing.T, d time.Duration, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
	case <-time.After(d):
		t.Fatalf("the call did not return within %s", d)
	}
}

func serveHostile(t *testing.T, h hostile, def string) *faultServer {
	body := h.body()
	return startServer(t, func(x *exchange) { x.reply(200, ctypeOr(h.ctype, def), body, h.headers...) })
}

// TestHostileAnswers: hostile answers to sends, bookings and reconciliations give no panic, no
// hang and no false success.
func TestHostileAnswers(t *testing.T) {
	t.Parallel()
	for _, h := range hostileJSON {
		t.Run("ssoda.Send/"+h.name, func(t *testing.T) {
			t.Parallel()
			s := serveHostile(t, h, jsonType)
			var o outcome
			within(t, 20*time.Second, func() {
				ctx, cancel := context.WithTimeout(context.Background(), defaultCellTimeout)
				defer cancel()
				rs, err := ssodaClient(t, s.url, nil, ssoda.WithTimeout(defaultCellTimeout)).Send(ctx, []alimtalk.Message{message("hostile")})
				o = sendOutcome(rs, err)
			})
			_ = observe("hostile send "+h.name, o.err)
			assert.Equal(t, 1, s.Received())
			if h.mayBeTrue && o.status == alimtalk.StatusAccepted {
				return
			}
			assert.Equal(t, alimtalk.StatusUnknown, o.status, "a hostile answer to a send (err: %v)", o.err)
			assert.ErrorIs(t, o.err, kshop.ErrOutcomeUnknown)
			if h.big && o.err != nil {
				assertSaysTooLarge(t, o.err)
			}
		})
		t.Run("ssoda.Reconcile/"+h.name, func(t *testing.T) {
			if h.big {
				return
			}
			t.Parallel()
			s := serveHostile(t, hostile{name: h.name, ctype: h.ctype, headers: h.headers, body: listVariant(h)}, jsonType)
			within(t, 20*time.Second, func() {
				rec, err := ssodaReconcile(t, s.url)
				_ = observe("hostile reconcile "+h.name, err)
				if h.mayBeTrue && err == nil {
					assert.False(t, rec.Found, "the answer is the documented empty list")
					return
				}
				assert.Error(t, err, "a hostile list answer read as %+v", rec)
			})
		})
	}
	for _, h := range hostileXML {
		t.Run("epost.InsertOrder/"+h.name, func(t *testing.T) {
			t.Parallel()
			s := serveHostile(t, h, xmlType)
			within(t, 20*time.Second, func() {
				ctx, cancel := context.WithTimeout(context.Background(), defaultCellTimeout)
				defer cancel()
				b, err := epostClient(t, s.url, nil, epost.WithTimeout(defaultCellTimeout)).InsertOrder(ctx, order("ORD-HOSTILE"))
				_ = observe("hostile InsertOrder "+h.name, err)
				assert.Equal(t, 1, s.Received())
				if h.mayBeTrue && err == nil {
					assert.Equal(t, "6012345678901", b.RegiNo)
					return
				}
				if !assert.Error(t, err, "a hostile answer booked %+v", b) {
					return
				}
				var uoe *epost.UnknownOrderError
				assert.True(t, errors.As(err, &uoe), "not an *UnknownOrderError: %T %v", err, err)
				assert.ErrorIs(t, err, kshop.ErrOutcomeUnknown)
				if h.big {
					assertSaysTooLarge(t, err)
				}
			})
		})
		t.Run("epost.ReconcileOrder/"+h.name, func(t *testing.T) {
			if h.big {
				return
			}
			t.Parallel()
			s := serveHostile(t, hostile{name: h.name, ctype: h.ctype, headers: h.headers, body: resInfoVariant(h)}, xmlType)
			within(t, 20*time.Second, func() {
				rec, err := epostReconcile(t, s.url)
				_ = observe("hostile ReconcileOrder "+h.name, err)
				if h.mayBeTrue && err == nil {
					assert.False(t, rec.Booked, "the answer is ERR-225")
					return
				}
				if assert.Error(t, err, "a hostile answer reconciled as %+v", rec) {
					assert.False(t, errors.Is(err, epost.ErrNotFound), "a hostile answer matched ErrNotFound")
				}
			})
		})
	}
	summary.set("hostile", fmt.Sprintf("%d JSON and %d XML answers against a send or booking, and all but the 2 multi-megabyte ones against a reconciliation",
		len(hostileJSON), len(hostileXML)))
}

// assertSaysTooLarge checks that the error of an oversize answer says so, rather than
// "malformed" or "OK".
func assertSaysTooLarge(t *testing.T, err error) {
	t.Helper()
	msg := strings.ToLower(err.Error())
	assert.True(t, strings.Contains(msg, "limit") || strings.Contains(msg, "too large") || strings.Contains(msg, "too long"),
		"the error of an oversize answer does not say so: %v", err)
}

// listVariant turns a hostile send answer into a hostile sent-list answer: the same attack,
// around the documented empty list (which alone would mean "not found").
func listVariant(h hostile) func() string {
	return func() string {
		if h.mayBeTrue {
			return "\uFEFF" + `{"code":"200","error":"","result":[],"total_count":0}`
		}
		b := h.body()
		if h.headers != nil { // compressed: keep as is
			return b
		}
		return strings.ReplaceAll(b, `"content":{`+okMessage, `"result":[],"content":{"x":1`)
	}
}

// resInfoVariant turns a hostile booking answer into a hostile GetResInfo answer around
// ERR-225, the only documented "not booked".
func resInfoVariant(h hostile) func() string {
	return func() string {
		if h.mayBeTrue {
			return "\uFEFF" + `<?xml version="1.0" encoding="UTF-8"?><error><error_code>ERR-225</error_code><message>조회결과가 없습니다</message></error>`
		}
		b := h.body()
		if h.headers != nil {
			return b
		}
		return strings.Replace(b, "<response>", "<error><error_code>ERR-225</error_code></error><response>", 1)
	}
}
