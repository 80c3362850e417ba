package epost

import (
	"testing"

	"github.com/RyuaNerin/go-krypto/seed"
)

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

// BenchmarkEncryptRegData is the public codec: key check and schedule, padding, SEED-ECB,
// lowercase hex.
func BenchmarkEncryptRegData(b *testing.B) {
	plain := benchPlaintext(b)
	b.SetBytes(int64(len(plain)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := EncryptRegData(manualKey, plain); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkClientRegData is what a Client does per call: the key schedule is cached.
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

// BenchmarkSEEDBlockLoop is the baseline: go-krypto's NewCipher and Encrypt over each
// 16-byte block of the same (zero-padded) input, no checks, no hex.
func BenchmarkSEEDBlockLoop(b *testing.B) {
	plain := benchPlaintext(b)
	padded := make([]byte, (len(plain)+15)/16*16)
	copy(padded, plain)
	dst := make([]byte, len(padded))
	key := []byte(manualKey[:16])
	b.SetBytes(int64(len(plain)))
	b.ReportAllocs()
	for b.Loop() {
		block, err := seed.NewCipher(key)
		if err != nil {
			b.Fatal(err)
		}
		for off := 0; off < len(padded); off += 16 {
			block.Encrypt(dst[off:off+16], padded[off:off+16])
		}
	}
}
