package ssoda_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop/alimtalk"
	"github.com/kshop-dev/kshop/ssoda"
	"github.com/kshop-dev/kshop/ssoda/ssodatest"
)

// The benchmarks compare the SDK with a hand-written net/http + encoding/json client sending
// the same AlimTalk to the same fake server over the same *http.Client, so the ratio
// SDK/baseline is what the SDK adds (validation, rendering, the transport's retry and trace
// machinery, redaction, permissive decoding). Run them together:
//
//	go test -run XXX -bench 'Send' -benchmem ./ssoda/

const benchBulk = 1000

func benchServer(b *testing.B) *ssodatest.Server {
	b.Helper()
	srv := ssodatest.NewServer(ssodatest.Options{Templates: []alimtalk.Template{orderTemplate()}, Points: 1e15})
	b.Cleanup(srv.Close)
	return srv
}

func benchClient(b *testing.B, srv *ssodatest.Server, concurrency int) *ssoda.Client {
	b.Helper()
	c, err := srv.NewClient(ssoda.WithConcurrency(concurrency))
	require.NoError(b, err)
	return c
}

// baselineButton and baselineBody are what a careful hand-written caller posts.
type baselineButton struct {
	Name      string `json:"name"`
	Type      string `json:"type"`
	URLMobile string `json:"url_mobile"`
}

type baselineBody struct {
	TokenKey     string           `json:"token_key"`
	SenderKey    string           `json:"sender_key"`
	TemplateCode string           `json:"template_code"`
	DestPhone    string           `json:"dest_phone"`
	MsgBody      string           `json:"msg_body"`
	Button       []baselineButton `json:"button"`
}

type baselineAnswer struct {
	Code    json.Number `json:"code"`
	Error   string      `json:"error"`
	Content struct {
		SentMessages []struct {
			MsgID string `json:"msg_id"`
		} `json:"sent_messages"`
	} `json:"content"`
}

// baselineSend posts one AlimTalk with net/http and encoding/json and returns its msg_id.
func baselineSend(ctx context.Context, hc *http.Client, url, to, orderNo string) (string, error) {
	body, err := json.Marshal(baselineBody{
		TokenKey: ssodatest.DefaultTokenKey, SenderKey: ssodatest.DefaultSenderKey, TemplateCode: "ORDER_RECEIVED",
		DestPhone: to, MsgBody: orderText(orderNo),
		Button: []baselineButton{{Name: "주문 확인", Type: "WL", URLMobile: "https://shop.example/orders/" + orderNo}},
	})
	if err != nil {
		return "", err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	req.Header.Set("x-api-key", ssodatest.DefaultAPIKey)
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	resp, err := hc.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	var a baselineAnswer
	if err := json.Unmarshal(raw, &a); err != nil {
		return "", err
	}
	if a.Code.String() != "200" || len(a.Content.SentMessages) == 0 {
		return "", fmt.Errorf("refused: %s %s", a.Code, a.Error)
	}
	return a.Content.SentMessages[0].MsgID, nil
}

func BenchmarkSendOneSDK(b *testing.B) {
	srv := benchServer(b)
	c := benchClient(b, srv, 1)
	msgs := []alimtalk.Message{orderMessage("010-1234-5678", "B-1")}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		res, err := c.Send(ctx, msgs)
		if err != nil || res[0].Status != alimtalk.StatusAccepted {
			b.Fatal(err, res[0].Err)
		}
	}
}

func BenchmarkSendOneBaseline(b *testing.B) {
	srv := benchServer(b)
	hc, url := srv.Client(), srv.URL()+srv.Paths().SendAlimTalk
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := baselineSend(ctx, hc, url, "01012345678", "B-1"); err != nil {
			b.Fatal(err)
		}
	}
}

func bulkMessages() []alimtalk.Message {
	msgs := make([]alimtalk.Message, benchBulk)
	for i := range msgs {
		msgs[i] = orderMessage(fmt.Sprintf("010-5%03d-%04d", i/1000, i%10000), fmt.Sprint("K-", i))
	}
	return msgs
}

// BenchmarkSendBulkSDK sends 1,000 messages per operation with 8 in flight.
func BenchmarkSendBulkSDK(b *testing.B) {
	srv := benchServer(b)
	c := benchClient(b, srv, 8)
	msgs := bulkMessages()
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		res, err := c.Send(ctx, msgs)
		if err != nil {
			b.Fatal(err)
		}
		for _, r := range res {
			if r.Status != alimtalk.StatusAccepted {
				b.Fatal(r.Err)
			}
		}
	}
	b.ReportMetric(float64(benchBulk*b.N)/b.Elapsed().Seconds(), "msgs/s")
}

// BenchmarkSendBulkBaseline is the fake's ceiling: the raw client posting the same 1,000
// messages per operation with the same 8 in flight.
func BenchmarkSendBulkBaseline(b *testing.B) {
	srv := benchServer(b)
	hc, url := srv.Client(), srv.URL()+srv.Paths().SendAlimTalk
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		var wg sync.WaitGroup
		next := make(chan int)
		errs := make(chan error, 8)
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range next {
					if _, err := baselineSend(ctx, hc, url, fmt.Sprintf("0105%03d%04d", i/1000, i%10000), fmt.Sprint("K-", i)); err != nil {
						errs <- err
						return
					}
				}
			}()
		}
		for i := range benchBulk {
			next <- i
		}
		close(next)
		wg.Wait()
		select {
		case err := <-errs:
			b.Fatal(err)
		default:
		}
	}
	b.ReportMetric(float64(benchBulk*b.N)/b.Elapsed().Seconds(), "msgs/s")
}
