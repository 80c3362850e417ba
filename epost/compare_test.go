package epost_test

import (
	"context"
	"crypto/cipher"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/RyuaNerin/go-krypto/seed"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop/epost"
	"github.com/kshop-dev/kshop/epost/eposttest"
	"github.com/kshop-dev/kshop/internal/benchcmp"
)

// The comparisons run the SDK against a hand-written net/http + encoding/xml client doing the
// same job over the same *http.Client: build the same regData plaintext, SEED-ECB it with zero
// padding and lowercase hex, post it as a form, read the XML answer into a struct and check
// the waybill. "minimal" is a loopback server that answers Korea Post's success body and
// does nothing else, so the ratio is the client's own cost; "fake" is eposttest, end to end.
//
//	go test -run '^$' -bench '^BenchmarkCompare$' -benchmem ./epost/
//
// scripts/bench runs them in rounds and prints the paired ratios.

// compareCreds are the credentials of the minimal server.
var compareCreds = epost.Credentials{
	APIKey: "BENCHAPIKEY0000000000000000000", SecurityKey: eposttest.DefaultSecurityKey,
	CustomerNo: eposttest.DefaultCustomerNo, ApprovalNo: eposttest.DefaultApprovalNo,
}

// compareOrder is a realistic booking whose regData plaintext is about 600 bytes.
func compareOrder() epost.InsertOrderRequest {
	inq := "1588-1234"
	return epost.InsertOrderRequest{
		PayType: epost.PayPrepaid, ReqType: epost.ReqNormal, OfficeSer: eposttest.DefaultOfficeSer, Weight: 2, Volume: 60,
		MicroYn: epost.No, PackngMtrCd: epost.PackagingPaperBox, OrderNo: "20240501-000123-01", InsuYn: epost.Yes,
		InsuAmt: 300000, OrdCompNm: "케이샵 공식몰", InqTelCn: &inq, OrdNm: "김주문", OrdMob: "010-9876-5432",
		RecNm: "홍길동", RecZip: "58323", RecAddr1: "전라남도 나주시 정보화길 1", RecAddr2: "(빛가람동, 우정사업정보센터) 3층 301호",
		RecTel: "061-123-4567", RecMob: "010-1234-5678", ContCd: epost.ContentClothing,
		GoodsNm: "긴소매 셔츠 외 2건 (네이비/XL, 화이트/L)", GoodsSize: "XL", GoodsColor: "네이비", Qty: 3,
		DelivMsg: "부재 시 경비실에 맡겨주세요", SmsOrdCd: epost.SMSSenderOffice, PrintYn: epost.Yes,
	}
}

// baselineItems is compareOrder as a hand-written caller writes it: the manual's items in the
// manual's order, phones already as digits.
var baselineItems = [...]struct{ k, v string }{
	{"custNo", eposttest.DefaultCustomerNo}, {"apprNo", eposttest.DefaultApprovalNo}, {"payType", "1"}, {"reqType", "1"},
	{"officeSer", eposttest.DefaultOfficeSer}, {"weight", "2"}, {"volume", "60"}, {"microYn", "N"}, {"packngMtrCd", "01"},
	{"orderNo", "20240501-000123-01"}, {"insuYn", "Y"}, {"insuAmt", "300000"}, {"ordCompNm", "케이샵 공식몰"},
	{"inqTelCn", "1588-1234"}, {"ordNm", "김주문"}, {"ordMob", "01098765432"}, {"recNm", "홍길동"}, {"recZip", "58323"},
	{"recAddr1", "전라남도 나주시 정보화길 1"}, {"recAddr2", "(빛가람동, 우정사업정보센터) 3층 301호"}, {"recTel", "0611234567"},
	{"recMob", "01012345678"}, {"contCd", "025"}, {"goodsNm", "긴소매 셔츠 외 2건 (네이비/XL, 화이트/L)"}, {"goodsSize", "XL"},
	{"goodsColor", "네이비"}, {"qty", "3"}, {"delivMsg", "부재 시 경비실에 맡겨주세요"}, {"smsOrdCd", "1"}, {"printYn", "Y"},
}

// baselinePlaintext joins baselineItems as k=v&k=v, as the service parses it.
func baselinePlaintext() string {
	var sb strings.Builder
	for i, it := range baselineItems {
		if i > 0 {
			sb.WriteByte('&')
		}
		sb.WriteString(it.k)
		sb.WriteByte('=')
		sb.WriteString(it.v)
	}
	return sb.String()
}

// baselineSeal is SEED-128 ECB with zero padding, written as lowercase hex, into a fresh
// output: the whole codec, without the SDK's checks.
func baselineSeal(block cipher.Block, plain string) string {
	n := (len(plain) + 15) / 16 * 16
	if n == 0 {
		n = 16
	}
	buf := make([]byte, n)
	copy(buf, plain)
	for off := 0; off < n; off += 16 {
		block.Encrypt(buf[off:off+16], buf[off:off+16])
	}
	return hex.EncodeToString(buf)
}

// baselineAnswer is InsertOrder's answer as a hand-written caller reads it.
type baselineAnswer struct {
	ErrorCode    string `xml:"error_code"`
	Message      string `xml:"message"`
	ReqNo        string `xml:"reqNo"`
	ResNo        string `xml:"resNo"`
	RegiNo       string `xml:"regiNo"`
	OrderNo      string `xml:"orderNo"`
	RegiPoNm     string `xml:"regipoNm"`
	ResDate      string `xml:"resDate"`
	Price        string `xml:"price"`
	VTelNo       string `xml:"vTelNo"`
	ArrCnpoNm    string `xml:"arrCnpoNm"`
	DelivPoNm    string `xml:"delivPoNm"`
	DelivAreaCd  string `xml:"delivAreaCd"`
	CourseNo     string `xml:"courseNo"`
	InsuFee      string `xml:"insuFee"`
	IslandAddFee string `xml:"islandAddFee"`
	NotifyMsg    string `xml:"notifyMsg"`
	NoticeCont   string `xml:"noticeCont"`
}

// baselineInsertOrder books the order with net/http and encoding/xml and returns its waybill.
func baselineInsertOrder(ctx context.Context, hc *http.Client, endpoint, apiKey string, block cipher.Block) (string, int64, error) {
	form := url.Values{"key": {apiKey}, "regData": {baselineSeal(block, baselinePlaintext())}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(form.Encode()))
	if err != nil {
		return "", 0, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
	req.Header.Set("Accept", "application/xml")
	resp, err := hc.Do(req)
	if err != nil {
		return "", 0, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", 0, err
	}
	if resp.StatusCode != http.StatusOK {
		return "", 0, fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	var a baselineAnswer
	if err := xml.Unmarshal(raw, &a); err != nil {
		return "", 0, err
	}
	if a.ErrorCode != "" {
		return "", 0, fmt.Errorf("refused: %s %s", a.ErrorCode, a.Message)
	}
	if len(a.RegiNo) != 13 {
		return "", 0, errors.New("no waybill")
	}
	price, _ := strconv.ParseInt(a.Price, 10, 64)
	return a.RegiNo, price, nil
}

// minimalServer answers every request with Korea Post's success body for InsertOrder
// (testdata/insertorder_minimal.xml, CDATA as the service writes it); last keeps the last form
// it read.
type minimalServer struct {
	*httptest.Server
	mu   sync.Mutex
	last url.Values
}

func newMinimalServer(tb testing.TB, record bool) *minimalServer {
	tb.Helper()
	m := &minimalServer{}
	body, err := os.ReadFile(filepath.Join("testdata", "insertorder_minimal.xml"))
	if err != nil {
		tb.Fatal(err)
	}
	m.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if record {
			_ = r.ParseForm()
			m.mu.Lock()
			m.last = r.PostForm
			m.mu.Unlock()
		} else {
			_, _ = io.Copy(io.Discard, r.Body)
		}
		w.Header().Set("Content-Type", "text/xml;charset=UTF-8")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		_, _ = w.Write(body)
	}))
	tb.Cleanup(m.Close)
	return m
}

// benchHTTPClient is the *http.Client both sides share, its idle connections closed at the end.
func benchHTTPClient(tb testing.TB) *http.Client {
	tb.Helper()
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tb.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr}
}

func TestCompareBaselineSendsWhatTheSDKSends(t *testing.T) {
	t.Parallel()
	srv := newMinimalServer(t, true)
	hc := benchHTTPClient(t)
	c, err := epost.NewClient(compareCreds, epost.WithBaseURL(srv.URL), epost.WithHTTPClient(hc))
	require.NoError(t, err)
	b, err := c.InsertOrder(context.Background(), compareOrder())
	require.NoError(t, err)
	assert.Equal(t, "6013082362377", b.RegiNo)
	assert.Equal(t, int64(4300), b.Price)
	sdkForm := srv.last
	sdkPlain, err := epost.DecryptRegData(compareCreds.SecurityKey, sdkForm.Get("regData"))
	require.NoError(t, err)

	block, err := seed.NewCipher([]byte(compareCreds.SecurityKey[:16]))
	require.NoError(t, err)
	regiNo, price, err := baselineInsertOrder(context.Background(), hc, srv.URL+"/api.InsertOrder.jparcel", compareCreds.APIKey, block)
	require.NoError(t, err)
	assert.Equal(t, "6013082362377", regiNo)
	assert.Equal(t, int64(4300), price)
	assert.Equal(t, sdkPlain, baselinePlaintext(), "both sides must send the same items")
	assert.Equal(t, sdkForm.Get("regData"), srv.last.Get("regData"))
	assert.Equal(t, sdkForm.Get("key"), srv.last.Get("key"))
	assert.InDelta(t, 600, len(sdkPlain), 60, "the plaintext is about 600 bytes")

	want, err := epost.EncryptRegData(compareCreds.SecurityKey, baselinePlaintext())
	require.NoError(t, err)
	assert.Equal(t, want, baselineSeal(block, baselinePlaintext()), "the SEED baseline is the same codec")
}

// BenchmarkCompare pairs the SDK with its hand-written baseline on each measured path.
func BenchmarkCompare(b *testing.B) {
	benchcmp.Pair(b, "epost.InsertOrder@minimal", func(b *testing.B) {
		srv := newMinimalServer(b, false)
		c, err := epost.NewClient(compareCreds, epost.WithBaseURL(srv.URL), epost.WithHTTPClient(benchHTTPClient(b)))
		if err != nil {
			b.Fatal(err)
		}
		benchSDKInsertOrder(b, c)
	}, func(b *testing.B) {
		srv := newMinimalServer(b, false)
		benchBaselineInsertOrder(b, benchHTTPClient(b), srv.URL, compareCreds.APIKey, compareCreds.SecurityKey)
	})
	benchcmp.Pair(b, "epost.InsertOrder@fake", func(b *testing.B) {
		srv := eposttest.NewServer(eposttest.Options{})
		b.Cleanup(srv.Close)
		c, err := srv.NewClient(epost.WithHTTPClient(benchHTTPClient(b)))
		if err != nil {
			b.Fatal(err)
		}
		benchSDKInsertOrder(b, c)
	}, func(b *testing.B) {
		srv := eposttest.NewServer(eposttest.Options{})
		b.Cleanup(srv.Close)
		cr := srv.Credentials()
		benchBaselineInsertOrder(b, benchHTTPClient(b), srv.URL(), cr.APIKey, cr.SecurityKey)
	})
	benchcmp.Pair(b, "epost.EncryptRegData600B@none", func(b *testing.B) {
		plain := baselinePlaintext()
		b.SetBytes(int64(len(plain)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := epost.EncryptRegData(compareCreds.SecurityKey, plain); err != nil {
				b.Fatal(err)
			}
		}
	}, func(b *testing.B) {
		// The public codec expands the key on every call, so the baseline does as well.
		plain := baselinePlaintext()
		b.SetBytes(int64(len(plain)))
		b.ReportAllocs()
		for b.Loop() {
			block, err := seed.NewCipher([]byte(compareCreds.SecurityKey[:16]))
			if err != nil {
				b.Fatal(err)
			}
			benchSink = baselineSeal(block, plain)
		}
	})
}

var benchSink string

func benchSDKInsertOrder(b *testing.B, c *epost.Client) {
	req := compareOrder()
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		bk, err := c.InsertOrder(ctx, req)
		if err != nil {
			b.Fatal(err)
		}
		benchSink = bk.RegiNo
	}
}

func benchBaselineInsertOrder(b *testing.B, hc *http.Client, base, apiKey, securityKey string) {
	block, err := seed.NewCipher([]byte(securityKey[:16])) // once, as the SDK's client does
	if err != nil {
		b.Fatal(err)
	}
	endpoint := base + "/api.InsertOrder.jparcel"
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		regiNo, _, err := baselineInsertOrder(ctx, hc, endpoint, apiKey, block)
		if err != nil {
			b.Fatal(err)
		}
		benchSink = regiNo
	}
}
