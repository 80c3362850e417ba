// Package eposttest is an in-memory, stateful fake of Korea Post's contract-parcel OpenAPI and
// its two delivery-trace services, for tests of code built on package epost. One
// httptest.Server serves all three:
//
//	srv := eposttest.NewServer(eposttest.Options{})
//	defer srv.Close()
//	c, _ := srv.NewClient() // epost.NewClient(srv.Credentials(), srv.ClientOptions()...)
//	// … book, track, cancel; then srv.Requests("InsertOrder"), srv.Orders()
//
// The fake behaves like the service as the manual describes it:
//
//   - It checks key (ERR-111, ERR-123) and decrypts regData with its own security key. A
//     client with the wrong key gets the service's confusing answer: every item looks
//     missing, so ERR-211 "필수항목누락-고객번호(custNo)" (ERR-511 for GetCustNo).
//   - It validates required items, lengths (Options.LengthRule, UTF-8 bytes by default),
//     integers, enums and phones with the manual's error codes where it names them (ERR-122,
//     ERR-123, ERR-211, ERR-311, ERR-323, ERR-511, ERR-225, ERR-226), and ERR-x21 for lengths.
//   - InsertOrder issues unique 13-digit waybills, 6… for prepaid and 7… for collect parcels,
//     and keeps each booking's state: printYn=Y (or absent) starts at 운송장출력 (02),
//     printYn=N at 소포신청 (01), returns always at 01. testYn=Y answers TESTREGINOAPI and
//     stores nothing. SetStatus moves a booking on (02 printed, 03 picked up, 04 not picked
//     up); 03 also records a 접수 trace event.
//   - GetResCancelCmd applies the manual's cancel rules: a normal parcel can be cancelled up
//     to and including 운송장출력 (02) but not after 집하완료 (03); a return only up to 소포신청
//     (01). A refusal answers canceledYn=N with a notcancelReason. A cancel issues a new
//     waybill (the old one is never issued again) and, with delYn=Y, deletes the booking
//     (canceledYn=D) so GetResInfo no longer lists it; a cancelled booking is listed with
//     treatStusCd 05 and null resNo, resDate and vTelNo. Its answer uses the lower-case element
//     names working callers read (canceledyn, cancelregino, reqno, resno, notcancelReason).
//   - The public trace answers LongitudinalDomesticListResponse (a wrong ServiceKey gets the
//     data.go.kr gateway error, returnReasonCode 30; no events, returnCode 03); the
//     contract-customer trace answers <trace><itemlist><item>… (a wrong regkey ERR-123, a
//     malformed number ERR-321, no events <xsync><xsyncData><error_code>ERR-001). Events are
//     added with AddTraceEvent.
//   - InjectFault delays answers, answers 5xx or 429, truncated XML, an empty body or an HTML
//     page, or drops the connection after reading the request; with CarryOut the request is
//     processed first, so a booking exists although the client saw a failure. Faults have the
//     shape every fake server of this SDK shares (Fault{Call, Kind, Status, Delay, CarryOut,
//     Times}); Requests and TotalRequests count what arrived.
//
// Root element names of success answers are not documented; the fake uses <response>, which
// the client does not depend on.
package eposttest
