package lunasoft_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/kshop-dev/kshop/alimtalk"
	"github.com/kshop-dev/kshop/internal/benchcmp"
	"github.com/kshop-dev/kshop/lunasoft"
	"github.com/kshop-dev/kshop/lunasoft/lunasofttest"
)

// BenchmarkCompare sends 10,000 messages through Send against a minimal loopback server (it
// reads the request and answers Lunasoft's success) and, as the ceiling, through a
// hand-written net/http + encoding/json client doing the same job at the same concurrency
// (4 requests of up to 1,000 messages in flight): the same JSON fields, the text rendered and
// the phone stripped as any caller must, one typed decode of the answer.
//
//	go test -run '^$' -bench BenchmarkCompare -benchmem -benchtime=3x ./lunasoft/
//
// It reports msg/s, peak-live-B and result-B: before the timed loop, one batch runs while a
// sampler forces a GC every 2 ms and reads /gc/heap/live:bytes; peak-live-B is the highest
// sample minus the live heap before the batch (the caller's messages are already there), so
// it counts what the call holds, its Results included, and result-B is the live heap right
// after the call, its Results still referenced, minus the same starting point.
// TestCompareBaselineSendsWhatTheSDKSends keeps the two sides doing the same job.
//
// "@fake" runs the same comparison end to end against lunasofttest, which checks credentials,
// the template and each message, with 1,000 messages (the fake keeps what it accepted).
func BenchmarkCompare(b *testing.B) {
	const n, conc = 10000, 4
	benchcmp.Pair(b, "lunasoft.Send10000@minimal", sdkBulk(minimalServer, n, conc), baselineBulk(minimalServer, n, conc))
	benchcmp.Pair(b, "lunasoft.Send1000@fake", sdkBulk(fakeServer, 1000, conc), baselineBulk(fakeServer, 1000, conc))
}

// benchServer starts a server for one side of a comparison and returns its base URL and the
// client to reach it with.
type benchServer func(b *testing.B) (string, *http.Client)

// fakeServer starts lunasofttest with the benchmark's template and credentials.
func fakeServer(b *testing.B) (string, *http.Client) {
	srv := lunasofttest.NewServer(lunasofttest.Options{UserID: testUserID, APIKey: testAPIKey,
		Templates: []lunasoft.CatalogTemplate{{ID: orderID, Alias: "ORDER_RECEIVED", Template: alimtalk.Template{Content: benchText}}}})
	b.Cleanup(srv.Close)
	return srv.URL(), srv.Client()
}

const benchAnswer = `{"code":0,"msg":"success"}`

func minimalServer(b *testing.B) (string, *http.Client) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, benchAnswer)
	}))
	b.Cleanup(srv.Close)
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns, tr.MaxIdleConnsPerHost = 64, 64
	b.Cleanup(tr.CloseIdleConnections)
	return srv.URL, &http.Client{Transport: tr}
}

const benchText = "#{customerName}님의 주문 #{orderNo}이(가) 접수되었습니다."

func benchMessages(n int) []alimtalk.Message {
	msgs := make([]alimtalk.Message, n)
	for i := range msgs {
		msgs[i] = alimtalk.Message{To: fmt.Sprintf("010-%04d-%04d", 1000+i/10000, i%10000), TemplateCode: "ORDER_RECEIVED",
			Ref: fmt.Sprintf("bench-%d", i), Variables: map[string]string{"customerName": "홍길동", "orderNo": fmt.Sprint(i)}}
	}
	return msgs
}

// benchClient is the SDK side: a client with the benchmark's template, sending to base.
func benchClient(tb testing.TB, base string, hc *http.Client, conc int) *lunasoft.Client {
	tb.Helper()
	cat, err := lunasoft.NewTemplateCatalog(lunasoft.CatalogTemplate{ID: orderID, Alias: "ORDER_RECEIVED",
		Template: alimtalk.Template{Content: benchText}})
	if err != nil {
		tb.Fatal(err)
	}
	c, err := lunasoft.NewClient(lunasoft.Credentials{UserID: testUserID, APIKey: testAPIKey}, lunasoft.WithBaseURL(base),
		lunasoft.WithHTTPClient(hc), lunasoft.WithTemplates(cat), lunasoft.WithConcurrency(conc))
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

func sdkBulk(server benchServer, n, conc int) func(b *testing.B) {
	return func(b *testing.B) {
		base, hc := server(b)
		c := benchClient(b, base, hc, conc)
		msgs := benchMessages(n)
		run := func() any {
			res, err := c.Send(context.Background(), msgs)
			if err != nil || res[n-1].Status != alimtalk.StatusAccepted {
				b.Fatalf("send: %v %v", err, res[n-1].Err)
			}
			return res
		}
		bulkLoop(b, n, run)
	}
}

type baseMessage struct {
	No         string `json:"no"`
	TelNum     string `json:"tel_num"`
	CustomKey  string `json:"custom_key"`
	MsgContent string `json:"msg_content"`
	SMSContent string `json:"sms_content"`
	UseSMS     string `json:"use_sms"`
}

type baseBody struct {
	UserID     string        `json:"userid"`
	APIKey     string        `json:"api_key"`
	TemplateID int64         `json:"template_id"`
	Messages   []baseMessage `json:"messages"`
}

// baseAnswer is the answer as a careful caller reads it: code 0 does not mean every message
// was taken, so each message's result_code is checked too (the fake answers with them; the
// minimal server with none).
type baseAnswer struct {
	Code     json.Number `json:"code"`
	Msg      any         `json:"msg"`
	Messages []struct {
		No         string      `json:"no"`
		ResultCode json.Number `json:"result_code"`
		ResultMsg  string      `json:"result_msg"`
	} `json:"messages"`
}

var errBaseRefused = errors.New("refused")

// baselineSend is the hand-written client's request for one chunk of messages: the text
// rendered, the phone's hyphens stripped, the body built as structs and marshalled, the answer
// decoded once.
func baselineSend(hc *http.Client, url string, tpl *alimtalk.Template, part []alimtalk.Message) error {
	body := baseBody{UserID: testUserID, APIKey: testAPIKey, TemplateID: orderID, Messages: make([]baseMessage, len(part))}
	for i, m := range part {
		text, err := tpl.Render(m.Variables)
		if err != nil {
			return err
		}
		body.Messages[i] = baseMessage{No: fmt.Sprint(i), TelNum: strings.ReplaceAll(m.To, "-", ""), CustomKey: m.Ref,
			MsgContent: text, SMSContent: text, UseSMS: "0"}
	}
	raw, err := json.Marshal(body)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, url, bytes.NewReader(raw))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json; charset=UTF-8")
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var a baseAnswer
	if err := json.NewDecoder(resp.Body).Decode(&a); err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK || a.Code.String() != "0" {
		return errBaseRefused
	}
	for _, m := range a.Messages {
		if m.ResultCode.String() != "0" {
			return fmt.Errorf("%w: message %s: %s", errBaseRefused, m.No, m.ResultMsg)
		}
	}
	return nil
}

// baselineBatch sends msgs in chunks of 1,000 with a tight pool of conc workers.
func baselineBatch(hc *http.Client, url string, tpl *alimtalk.Template, msgs []alimtalk.Message, conc int) error {
	n := len(msgs)
	var next atomic.Int64
	var failed atomic.Value
	var wg sync.WaitGroup
	chunks := (n + 999) / 1000
	for range conc {
		wg.Go(func() {
			for {
				k := int(next.Add(1) - 1)
				if k >= chunks {
					return
				}
				if err := baselineSend(hc, url, tpl, msgs[k*1000:min(n, (k+1)*1000)]); err != nil {
					failed.Store(err)
				}
			}
		})
	}
	wg.Wait()
	err, _ := failed.Load().(error)
	return err
}

func baselineBulk(server benchServer, n, conc int) func(b *testing.B) {
	return func(b *testing.B) {
		base, hc := server(b)
		url := base + lunasoft.SendPath
		msgs := benchMessages(n)
		tpl := alimtalk.Template{Content: benchText}
		run := func() any {
			if err := baselineBatch(hc, url, &tpl, msgs, conc); err != nil {
				b.Fatal(err)
			}
			return nil
		}
		bulkLoop(b, n, run)
	}
}

// bulkLoop times run (one batch of n messages per operation) and reports msg/s, the peak
// live heap of one extra batch (peak-live-B) and, of that, what the call still holds when it
// returns: its Results (result-B; 0 for the baseline, which returns none). peak-live-B minus
// result-B is the call's working memory, which must grow with the concurrency times the
// chunk size, not with the batch.
func bulkLoop(b *testing.B, n int, run func() any) {
	peak, kept := benchcmp.PeakLive(run)
	b.ReportAllocs()
	for b.Loop() {
		run()
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "msg/s")
	b.ReportMetric(float64(peak), "peak-live-B")
	b.ReportMetric(float64(kept), "result-B")
}
