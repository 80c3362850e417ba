package epost

import (
	"encoding/xml"
	"testing"
)

// The SDK-against-baseline comparisons (InsertOrder, EncryptRegData) are BenchmarkCompare in
// compare_test.go; these benchmarks measure the parts on their own.

// benchPlaintext is the regData plaintext of a realistic InsertOrder, about 600 bytes.
func benchPlaintext(tb testing.TB) string {
	tb.Helper()
	c, err := NewClient(Credentials{APIKey: "APIKEY", SecurityKey: manualKey, CustomerNo: "0001234567", ApprovalNo: "1018680001"})
	if err != nil {
		tb.Fatal(err)
	}
	inq := "1588-1234"
	req := InsertOrderRequest{
		CustNo: "0001234567", ApprNo: "1018680001",
		PayType: PayPrepaid, ReqType: ReqNormal, OfficeSer: "01", Weight: 2, Volume: 60, MicroYn: No,
		PackngMtrCd: PackagingPaperBox, OrderNo: "20240501-000123-01", InsuYn: Yes, InsuAmt: 300000,
		OrdCompNm: "케이샵 공식몰", InqTelCn: &inq, OrdNm: "김주문", OrdMob: "010-9876-5432", RecNm: "홍길동", RecZip: "58323",
		RecAddr1: "전라남도 나주시 정보화길 1", RecAddr2: "(빛가람동, 우정사업정보센터) 3층 301호", RecTel: "061-123-4567",
		RecMob: "010-1234-5678", ContCd: ContentClothing, GoodsNm: "긴소매 셔츠 외 2건 (네이비/XL, 화이트/L)",
		GoodsSize: "XL", GoodsColor: "네이비", Qty: 3,
		DelivMsg: "부재 시 경비실에 맡겨주세요", SmsOrdCd: SMSSenderOffice, PrintYn: Yes,
	}
	var p problems
	items, _ := orderSpec.build(c, &req, &p)
	if err := p.err("bench"); err != nil {
		tb.Fatal(err)
	}
	return items.plaintext()
}

func TestBenchPlaintextIsRealistic(t *testing.T) {
	t.Parallel()
	n := len(benchPlaintext(t))
	if n < 550 || n > 700 {
		t.Fatalf("benchmark plaintext is %d bytes, want about 600", n)
	}
}

// BenchmarkClientRegData is what a Client does per call: the key schedule is cached.
// EncryptRegData600B in BenchmarkCompare is the public codec, key schedule included.
func BenchmarkClientRegData(b *testing.B) {
	plain := benchPlaintext(b)
	codec, err := newRegDataCodec(manualKey)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(plain)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := codec.encrypt(plain); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeBooking is the answer side of InsertOrder: parse, error check, booking.
func BenchmarkDecodeBooking(b *testing.B) {
	parseBenchBody := readFixture(b, "insertorder_minimal.xml")
	c := &Client{clientCore: &clientCore{s: &settings{}}}
	b.ReportAllocs()
	for b.Loop() {
		root, p, _ := parseXML(parseBenchBody)
		if p != 0 {
			b.Fatal(p)
		}
		if err := c.vendorError(ServiceContract, "InsertOrder", 200, root, parseBenchBody, true); err != nil {
			b.Fatal(err)
		}
		root.raw = parseBenchBody
		if _, err := decodeBooking(root, false, func(b []byte) []byte { return b }); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseXML(b *testing.B) {
	parseBenchBody := readFixture(b, "insertorder_minimal.xml")
	b.ReportAllocs()
	for b.Loop() {
		if _, p, _ := parseXML(parseBenchBody); p != 0 {
			b.Fatal(p)
		}
	}
}

// BenchmarkXMLUnmarshal is what a hand-written caller pays for the same answer.
func BenchmarkXMLUnmarshal(b *testing.B) {
	parseBenchBody := readFixture(b, "insertorder_minimal.xml")
	var a struct {
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
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := xml.Unmarshal(parseBenchBody, &a); err != nil {
			b.Fatal(err)
		}
	}
}
