// Package epost is a client for Korea Post's contract-parcel OpenAPI (우체국 계약소포 OpenAPI,
// ship.epost.go.kr) and its two delivery-trace services, with the SEED-128 regData codec the
// API requires. epost/eposttest is a stateful fake of all three services for tests.
//
//	c, err := epost.NewClient(epost.Credentials{
//		APIKey: apiKey, SecurityKey: securityKey, CustomerNo: custNo, ApprovalNo: apprNo,
//	}, epost.WithTraceServiceKey(dataGoKrKey))
//	b, err := c.InsertOrder(ctx, epost.InsertOrderRequest{ /* … */ })
//	var unknown *epost.UnknownOrderError
//	if errors.As(err, &unknown) {
//		rec, err := c.ReconcileUnknown(ctx, unknown)
//		// err != nil: still unknown, ask later; rec.Booked: booked after all
//	}
//	tr, err := c.Track(ctx, b.RegiNo)
//
// # regData
//
// Every call but GetStoppedZipCd sends its items as regData: "k=v&k=v" in UTF-8 without any
// escaping, encrypted with SEED-128 in ECB mode under the first 16 bytes of the security key
// (보안키), zero-padded to whole blocks, written as lowercase hex, at most 4000 characters.
// EncryptRegData and DecryptRegData expose the codec; it reproduces the KISA reference
// vectors and the manual's own example (key 1234567890abcdefghijkl, 123abc가나다 →
// 8522ad534acc61cb88090b7e62c5183b). Because nothing is escaped, a value containing '&', '=',
// CR, LF or another control character is refused, unless WithSanitizeValues asks for spaces
// instead in free text; identifiers (orderNo, memberID, waybills) are never altered.
//
// The manual gives item lengths without saying whether they count bytes or characters. The
// client counts UTF-8 bytes by default (LengthUTF8Bytes, a Hangul syllable is 3), which can
// only be stricter than the real rule; WithLengthRule chooses EUC-KR bytes or characters.
// Phones are normalized to digits with the Korean numbering rules before their length is
// checked.
//
// # Fidelity
//
// "Manual" is the Korea Post 계약소포 OpenAPI manual (우체국 계약소포 OpenAPI 매뉴얼, 2023-12);
// "callers" means several working
// client implementations agree; "inferred" marks what neither shows, each configurable.
//
//	call             endpoint                                              class           source
//	GetCustNo        /api.GetCustNo.jparcel (regData)                      idempotent      manual
//	GetApprNo        /api.GetApprNo.jparcel (regData)                      idempotent      manual
//	GetStoppedZipCd  /api.GetStoppedZipCd.jparcel (key, zipCd in clear)    idempotent      manual
//	InsertOffice     /api.InsertOffice.jparcel (regData)                   non-idempotent  manual
//	GetOfficeInfo    /api.GetOfficeInfo.jparcel (regData)                  idempotent      manual
//	InsertOrder      /api.InsertOrder.jparcel (option, regData)            non-idempotent  manual
//	GetResInfo       /api.GetResInfo.jparcel (regData)                     idempotent      manual
//	GetResCancelCmd  /api.GetResCancelCmd.jparcel (regData)                non-idempotent  manual; lowercase answer names: callers
//	TrackPublic      openapi.epost.go.kr/trace/retrieveLongitudinalService/
//	                 retrieveLongitudinalService/getLongitudinalDomesticList idempotent      callers + sample XML; not-found code inferred
//	TrackBiz         biz.epost.go.kr/KpostPortal/openapi?target=trace      idempotent      callers; date/time layouts inferred
//
// Further facts and how they are handled:
//
//   - Scheme: the manual writes http://ship.epost.go.kr; one working client uses https,
//     which is the default here (inferred; WithBaseURL, and WithAllowHTTPHost to permit
//     http). The trace services are http only; exactly their two hosts are allowed over http.
//   - Method: the manual allows GET and POST. Encrypted calls are sent as a POST form
//     (key=…&regData=…, as Java and Python callers do), keeping regData out of URLs and access
//     logs; WithHTTPMethod(http.MethodGet) sends a query string instead.
//   - Answers: XML whose success root names are undocumented (the manual shows them as
//     images). Elements are looked up by name, case-insensitively, anywhere under the root;
//     CDATA is read, unknown elements are ignored and kept in each result's Raw map.
//   - Errors: <error><error_code>ERR-ABC</error_code><message>…</message></error> in an HTTP
//     200 body, and the trace services' <xsync><xsyncData><error_code> and data.go.kr
//     cmmMsgHeader forms, become *APIError with the code decoded by the manual's grammar
//     (ErrorCode: group A, kind B, detail C). Empty bodies, HTML pages, broken or truncated XML
//     (decoded strictly: a mismatched end tag is refused) and answers that do not prove a
//     result become *ResponseError. Both carry Op, HTTPStatus, VendorCode, Message and the
//     redacted raw Body (capped at 4 KiB), and implement kshop.APIError, so one errors.As
//     handles ePost and every other vendor alike.
//   - InsertOrder items, lengths and enums, treatStusCd, the cancel rules and the printYn
//     start states are from the manual. The orderNo the client generates when a request has
//     none is ours.
//
// # Retries and duplicates
//
// Lookups and traces are retried on transport errors, 429 and 5xx (WithRetry). InsertOrder,
// GetResCancelCmd and InsertOffice are retried only when the request provably never left
// (refused connection, DNS failure) or the server answered 429. Any other failure after the
// request was sent returns an error wrapping ErrOutcomeUnknown — for InsertOrder an
// *UnknownOrderError carrying OrderNo, ReqType and the dates the booking may carry — and
// ReconcileUnknown then tells whether the booking exists (GetResInfo; only ERR-225 means it
// does not; any other answer stays unknown, wrapping ErrOutcomeUnknown). Never book again
// before reconciling. This holds even when the answer arrives as ctx ends: a 5xx to a booking
// is unknown whatever the context's state.
//
// # Validation
//
// Requests are checked before anything is sent, by one item table per call that also writes
// the regData, and every problem is reported at once in a *kshop.ValidationError: Op is the
// call ("epost.InsertOrder"), and each *kshop.FieldError names the Go field ("RecMob"), the
// manual's item ("recMob"), the rule broken and the limit. Values never appear in errors. A
// nil context is refused the same way.
//
// # Tracking
//
// TrackPublic (data.go.kr ServiceKey, WithTraceServiceKey) and TrackBiz (contract-customer
// regkey, WithBizTraceKey) return the same *Trace: a TrackingStatus normalized after
// delivery-tracker's kr.epost model (information received, picked up, in transit, out for
// delivery, delivered, exception, unknown), the raw Korean text (접수, 발송, 도착, 배달준비,
// 배달완료, 미배달 …), and the events with KST times. Waybills are 13 digits (prepaid parcels
// start with 6, collect-on-delivery ones with 7); TESTREGINOAPI, the waybill of test orders,
// cannot be tracked. TrackMany tracks many numbers with bounded concurrency and a start-rate
// limit, one result per number, in input order.
//
// # Operational notes
//
//   - The API key (인증키) expires after 30 days without calls (store-management APIs: one
//     year). Renewing means cancelling and re-applying on the 오픈API신청결과 page, so a shop
//     that ships rarely should make a cheap call (GetApprNo) at least monthly.
//   - The manual recommends the headers Connection: keep-alive, Host and a User-Agent (any
//     value): without them Korea Post's firewall may block high-volume callers. The client
//     always sends them; the User-Agent is kshop-go/<version>, prefixed by WithUserAgent.
//   - ERR-211 ("필수항목누락-고객번호(custNo)") and ERR-511 ("memberID 값이 없습니다") usually
//     mean a wrong security key: the service could not decrypt regData, so every item looked
//     missing. The APIError's Hint says so.
//   - Test orders: InsertOrder with TestYn Yes answers regiNo TESTREGINOAPI and sends nothing
//     to the post office; Booking.Test is true. Test orders are not stored, so GetResInfo and
//     ReconcileOrder never find them.
//   - Keys, regData and service keys are passed to the transport as secrets: they never
//     appear in logs or error strings. Error strings never hold names, addresses or full
//     phone numbers; the Body of an error may, so do not log it.
package epost
