package epost_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/epost"
	"github.com/kshop-dev/kshop/epost/eposttest"
)

// exampleNow is the examples' clock: 2024-05-01 10:00 KST.
func exampleNow() time.Time {
	return time.Date(2024, 5, 1, 10, 0, 0, 0, time.FixedZone("KST", 9*60*60))
}

// exampleFake starts a fake ePost and a client of it.
func exampleFake() (*eposttest.Server, *epost.Client) {
	srv := eposttest.NewServer(eposttest.Options{Now: exampleNow})
	c, err := srv.NewClient(epost.WithClock(exampleNow), epost.WithRetry(2, 0))
	if err != nil {
		panic(err)
	}
	return srv, c
}

func exampleOrder() epost.InsertOrderRequest {
	return epost.InsertOrderRequest{
		PayType:   epost.PayPrepaid,
		ReqType:   epost.ReqNormal,
		OfficeSer: eposttest.DefaultOfficeSer,
		MicroYn:   epost.No,
		OrderNo:   "ORD-1001",
		OrdCompNm: "케이샵",
		RecNm:     "홍길동",
		RecZip:    "58323",
		RecAddr1:  "전남 나주시 정보화길 1",
		RecAddr2:  "(빛가람동, 우정사업정보센터)",
		RecMob:    "010-1234-5678",
		ContCd:    epost.ContentClothing,
		GoodsNm:   "긴소매 셔츠",
	}
}

func ExampleEncryptRegData() {
	// The manual's own example: security key 1234567890abcdefghijkl, UTF-8 plaintext.
	regData, err := epost.EncryptRegData("1234567890abcdefghijkl", "123abc가나다")
	if err != nil {
		panic(err)
	}
	fmt.Println(regData)
	// Output: 8522ad534acc61cb88090b7e62c5183b
}

func ExampleDecryptRegData() {
	plain, err := epost.DecryptRegData("1234567890abcdefghijkl", "8522AD534ACC61CB88090B7E62C5183B")
	if err != nil {
		panic(err)
	}
	fmt.Println(plain)

	_, err = epost.DecryptRegData("abcdefghijkl1234567890", "8522ad534acc61cb88090b7e62c5183b")
	fmt.Println(errors.Is(err, epost.ErrCiphertext))
	// Output:
	// 123abc가나다
	// true
}

func ExampleNewClient() {
	c, err := epost.NewClient(epost.Credentials{
		APIKey:      "YOUR30CHARACTERAPIKEY000000000",
		SecurityKey: "YOUR22CHARSECURITYKEY0",
		CustomerNo:  "0001234567",
		ApprovalNo:  "1018680001",
	},
		epost.WithTraceServiceKey("your data.go.kr key"),
		epost.WithTimeout(20*time.Second),
		epost.WithUserAgent("myshop/1.0"),
	)
	fmt.Println(c != nil, err)

	// Every problem is reported at once; printing the error never shows a key.
	_, err = epost.NewClient(epost.Credentials{APIKey: "k", SecurityKey: "too-short", CustomerNo: "12ab"})
	var ve *kshop.ValidationError
	if errors.As(err, &ve) {
		for _, p := range ve.Problems {
			fmt.Println(p.Field, "-", p.Rule, "-", errors.Is(p, epost.ErrSecurityKey))
		}
	}
	// Output:
	// true <nil>
	// Credentials.SecurityKey - too short - true
	// Credentials.CustomerNo - invalid format - false
}

func ExampleClient_InsertOrder() {
	srv, c := exampleFake()
	defer srv.Close()

	b, err := c.InsertOrder(context.Background(), exampleOrder())
	if err != nil {
		panic(err)
	}
	fmt.Println("waybill:", b.RegiNo)
	fmt.Println("booked on:", b.ReqYmd, "fee:", b.Price)
	o, _ := srv.Order(b.RegiNo)
	fmt.Println("state:", o.Status) // printYn defaults to Y: the waybill counts as printed

	// Invalid input never leaves the process, and every problem is reported at once.
	bad := exampleOrder()
	bad.RecMob = "010-1234"
	bad.GoodsNm = ""
	bad.OrderNo = "ORD&1"
	_, err = c.InsertOrder(context.Background(), bad)
	var ve *kshop.ValidationError
	if errors.As(err, &ve) {
		for _, p := range ve.Problems {
			fmt.Printf("%s (%s): %s\n", p.Field, p.Key, p.Rule)
		}
	}
	fmt.Println("requests:", srv.Requests("InsertOrder"))
	// Output:
	// waybill: 6100000000003
	// booked on: 20240501 fee: 3300
	// state: waybill printed
	// OrderNo (orderNo): not allowed
	// RecMob (recMob): invalid format
	// GoodsNm (goodsNm): required
	// requests: 1
}

func ExampleClient_ReconcileOrder() {
	srv, c := exampleFake()
	defer srv.Close()

	// Korea Post books the parcel, then the answer is lost (a 500).
	srv.InjectFault(eposttest.Fault{Call: "InsertOrder", Kind: eposttest.FaultStatus, Status: 500, CarryOut: true})
	_, err := c.InsertOrder(context.Background(), exampleOrder())

	var unknown *epost.UnknownOrderError
	if errors.As(err, &unknown) {
		fmt.Println("outcome unknown:", errors.Is(err, epost.ErrOutcomeUnknown))
		rec, err := c.ReconcileOrder(context.Background(), unknown.OrderNo, unknown.ReqYmd)
		if err != nil {
			panic(err) // still unknown (errors.Is(err, epost.ErrOutcomeUnknown)): ask again later
		}
		fmt.Println("booked:", rec.Booked, rec.Reservation.RegiNo, rec.Reservation.Status)
	}
	fmt.Println("requests:", srv.Requests("InsertOrder"))
	// Output:
	// outcome unknown: true
	// booked: true 6100000000003 waybill printed
	// requests: 1
}

func ExampleClient_ReconcileUnknown() {
	srv, c := exampleFake()
	defer srv.Close()

	// The connection drops after Korea Post read the request, before it booked anything.
	srv.InjectFault(eposttest.Fault{Call: "InsertOrder", Kind: eposttest.FaultDrop})
	_, err := c.InsertOrder(context.Background(), exampleOrder())

	var unknown *epost.UnknownOrderError
	if errors.As(err, &unknown) {
		rec, err := c.ReconcileUnknown(context.Background(), unknown)
		switch {
		case err != nil:
			fmt.Println("still unknown; ask again later")
		case rec.Booked:
			fmt.Println("booked after all:", rec.Reservation.RegiNo)
		default:
			fmt.Println("not booked (ERR-225): safe to book again")
		}
	}
	// Output: not booked (ERR-225): safe to book again
}

func ExampleClient_GetResInfo() {
	srv, c := exampleFake()
	defer srv.Close()
	b, _ := c.InsertOrder(context.Background(), exampleOrder())
	_ = srv.SetStatus(b.RegiNo, epost.TreatPickedUp)

	list, err := c.GetResInfo(context.Background(), epost.GetResInfoRequest{ReqType: b.ReqType, OrderNo: b.OrderNo, ReqYmd: b.ReqYmd})
	if err != nil {
		panic(err)
	}
	fmt.Println(list[0].RegiNo, list[0].StatusCode, list[0].Status)
	// Output: 6100000000003 03 picked up
}

func ExampleClient_GetResCancelCmd() {
	srv, c := exampleFake()
	defer srv.Close()
	b, _ := c.InsertOrder(context.Background(), exampleOrder())

	res, err := c.GetResCancelCmd(context.Background(), b.CancelRequest(false))
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Outcome == epost.CancelDone, res.CancelRegiNo, "->", res.RegiNo)

	// Once picked up, a normal parcel cannot be cancelled.
	b2, _ := c.InsertOrder(context.Background(), exampleOrder())
	_ = srv.SetStatus(b2.RegiNo, epost.TreatPickedUp)
	_, err = c.GetResCancelCmd(context.Background(), b2.CancelRequest(false))
	fmt.Println(errors.Is(err, epost.ErrCancelRefused), err)
	// Output:
	// true 6100000000003 -> 6100000000005
	// true epost: GetResCancelCmd: cancel refused: 집하 완료
}

func ExampleClient_Track() {
	srv, c := exampleFake()
	defer srv.Close()
	b, _ := c.InsertOrder(context.Background(), exampleOrder())
	_ = srv.SetStatus(b.RegiNo, epost.TreatPickedUp) // records 접수
	srv.AddTraceEvent(b.RegiNo, eposttest.TraceEvent{Time: exampleNow().Add(3 * time.Hour), Place: "광주우편집중국", Status: "발송"})
	srv.AddTraceEvent(b.RegiNo, eposttest.TraceEvent{Time: exampleNow().Add(20 * time.Hour), Place: "서울광진우체국", Status: "배달준비"})

	tr, err := c.Track(context.Background(), b.RegiNo)
	if err != nil {
		panic(err)
	}
	fmt.Println(tr.Status, tr.StatusText, tr.RecipientName)
	for _, e := range tr.Events {
		fmt.Println(e.Time.Format("01-02 15:04"), e.Place, e.StatusText, e.Status)
	}
	// Output:
	// OUT_FOR_DELIVERY 배달준비 홍*동
	// 05-01 10:00 나주우체국 접수 AT_PICKUP
	// 05-01 13:00 광주우편집중국 발송 IN_TRANSIT
	// 05-02 06:00 서울광진우체국 배달준비 OUT_FOR_DELIVERY
}

func ExampleClient_TrackPublic() {
	srv, c := exampleFake()
	defer srv.Close()
	srv.AddTraceEvent("6012345678901", eposttest.TraceEvent{Time: exampleNow(), Place: "서울광진우체국", Status: "배달완료", Detail: "배달(수령인:본인)"})

	tr, err := c.TrackPublic(context.Background(), "6012-3456-78901")
	if err != nil {
		panic(err)
	}
	fmt.Println(tr.Source, tr.Waybill, tr.Delivered(), tr.DeliveredAt.Format("2006-01-02 15:04"))

	_, err = c.TrackPublic(context.Background(), "6012345678902")
	fmt.Println(errors.Is(err, epost.ErrNotFound))
	// Output:
	// public 6012345678901 true 2024-05-01 10:00
	// true
}

func ExampleClient_TrackBiz() {
	srv, c := exampleFake()
	defer srv.Close()
	srv.AddTraceEvent("7012345678902", eposttest.TraceEvent{Time: exampleNow(), Place: "부산해운대우체국", Status: "미배달", Detail: "수취인부재"})

	tr, err := c.TrackBiz(context.Background(), "7012345678902")
	if err != nil {
		panic(err)
	}
	last, _ := tr.Latest()
	fmt.Println(tr.Source, tr.Status, last.Detail)
	// Output: biz EXCEPTION 수취인부재
}

func ExampleClient_TrackMany() {
	srv, c := exampleFake()
	defer srv.Close()
	srv.AddTraceEvent("6000000000001", eposttest.TraceEvent{Place: "나주우체국", Status: "접수"})
	srv.AddTraceEvent("6000000000002", eposttest.TraceEvent{Place: "서울광진우체국", Status: "배달완료"})

	results := c.TrackMany(context.Background(),
		[]string{"6000000000001", "6000000000002", "6000000000003", "12345", epost.TestWaybill},
		epost.TrackManyOptions{Concurrency: 2, Interval: 10 * time.Millisecond})
	for _, r := range results {
		switch {
		case r.Err == nil:
			fmt.Println(r.Waybill, r.Trace.Status)
		case errors.Is(r.Err, epost.ErrNotFound):
			fmt.Println(r.Waybill, "not scanned yet")
		default:
			fmt.Println(r.Waybill, "invalid")
		}
	}
	// Output:
	// 6000000000001 AT_PICKUP
	// 6000000000002 DELIVERED
	// 6000000000003 not scanned yet
	// 12345 invalid
	// TESTREGINOAPI invalid
}

func ExampleClient_GetCustNo() {
	srv, c := exampleFake()
	defer srv.Close()
	custNo, err := c.GetCustNo(context.Background(), eposttest.DefaultMemberID)
	fmt.Println(custNo, err)
	// Output: 0001234567 <nil>
}

func ExampleClient_GetApprNo() {
	srv, c := exampleFake()
	defer srv.Close()
	contracts, err := c.GetApprNo(context.Background(), epost.GetApprNoRequest{})
	if err != nil {
		panic(err)
	}
	for _, k := range contracts {
		fmt.Println(k.ApprNo, k.PayTypeNm, k.StatusNm)
	}
	// Output: 1018680001 후납 승인
}

func ExampleClient_GetStoppedZipCd() {
	srv := eposttest.NewServer(eposttest.Options{StoppedZips: []epost.StoppedZipRange{
		{AreaNm: "경북 울릉", StartZip: "40200", EndZip: "40240", StartYmd: "20240425", EndYmd: "20240505", Reason: "기상 악화"},
	}})
	defer srv.Close()
	c, _ := srv.NewClient()

	stops, err := c.GetStoppedZipCd(context.Background(), "40210")
	if err != nil {
		panic(err)
	}
	for _, s := range stops {
		fmt.Println(s.AreaNm, s.Contains("40210"), s.ActiveOn("20240501"), s.Reason)
	}
	none, err := c.GetStoppedZipCd(context.Background(), "06236")
	fmt.Println(len(none), err)
	// Output:
	// 경북 울릉 true true 기상 악화
	// 0 <nil>
}

func ExampleClient_InsertOffice() {
	srv, c := exampleFake()
	defer srv.Close()
	res, err := c.InsertOffice(context.Background(), epost.InsertOfficeRequest{
		OfficeSer: "RET01", OfficeNm: "반품센터", OfficeZip: "30114", OfficeAddr1: "세종시 도움5로 19",
		OfficeAddr2: "(어진동)", OfficeTelno: "044 123 4567", ContactNm: "김담당", OfficeDivCd: epost.OfficeReturn,
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(res.ChkResult, res.OfficeSer, res.RegiPoNm)

	_, err = c.InsertOffice(context.Background(), epost.InsertOfficeRequest{
		OfficeSer: "RET01", OfficeNm: "반품센터", OfficeZip: "30114", OfficeAddr1: "세종시 도움5로 19",
		OfficeAddr2: "(어진동)", OfficeTelno: "044-123-4567", ContactNm: "김담당",
	})
	var apiErr *epost.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.Code(), apiErr.Parsed.Detail)
	}
	// Output:
	// Y RET01 나주우체국
	// ERR-226 already registered
}

func ExampleClient_GetOfficeInfo() {
	srv, c := exampleFake()
	defer srv.Close()
	offices, err := c.GetOfficeInfo(context.Background(), epost.OfficeSender|epost.OfficeSenderAndReturn)
	if err != nil {
		panic(err)
	}
	for _, o := range offices {
		fmt.Println(o.OfficeSer, o.OfficeNm, o.OfficeDivCd)
	}
	// Output: 01 kshop 물류센터 1
}

func ExampleParseErrorCode() {
	code := epost.ParseErrorCode("ERR-323")
	fmt.Println(code.Group, "/", code.Kind, "/", code.Detail)
	fmt.Println(epost.ParseErrorCode("ERR-131").Kind == epost.KindSystem)
	// Output:
	// recipient / consistency / invalid value
	// true
}

func ExampleNormalizeStatus() {
	for _, s := range []string{"접수", "발송", "도착", "배달준비", "배달완료", "미배달"} {
		fmt.Println(s, epost.NormalizeStatus(s))
	}
	// Output:
	// 접수 AT_PICKUP
	// 발송 IN_TRANSIT
	// 도착 IN_TRANSIT
	// 배달준비 OUT_FOR_DELIVERY
	// 배달완료 DELIVERED
	// 미배달 EXCEPTION
}

func ExampleNormalizeWaybill() {
	w, err := epost.NormalizeWaybill("6012-3456-78901")
	fmt.Println(w, err)
	_, err = epost.NormalizeWaybill(epost.TestWaybill)
	fmt.Println(errors.Is(err, epost.ErrTestWaybill))
	// Output:
	// 6012345678901 <nil>
	// true
}

func ExampleFormatDate() {
	fmt.Println(epost.FormatDate(time.Date(2024, 4, 30, 16, 30, 0, 0, time.UTC))) // 01:30 KST on May 1
	// Output: 20240501
}

func ExampleParseTreatStatus() {
	for _, code := range []string{"01", "02", "03", "05", "07"} {
		s := epost.ParseTreatStatus(code)
		fmt.Println(code, s, s.Cancellable(epost.ReqNormal), s.Cancellable(epost.ReqReturn))
	}
	// Output:
	// 01 booked true true
	// 02 waybill printed true false
	// 03 picked up false false
	// 05 cancelled false false
	// 07 unknown false false
}

func ExampleYesNoOf() {
	req := exampleOrder()
	req.TestYn = epost.YesNoOf(true) // a test order: regiNo TESTREGINOAPI, nothing booked
	srv, c := exampleFake()
	defer srv.Close()
	b, err := c.InsertOrder(context.Background(), req)
	if err != nil {
		panic(err)
	}
	fmt.Println(b.RegiNo, b.Test, len(srv.Orders()))
	// Output: TESTREGINOAPI true 0
}
