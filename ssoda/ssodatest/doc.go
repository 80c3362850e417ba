// Package ssodatest is an in-memory fake of the Ssoda (쏘다) API for tests and the quickstart:
// a stateful httptest server that enforces the rules a real integration meets, so code that
// works against it fails against Ssoda only where Ssoda's undocumented details differ.
//
//	srv := ssodatest.NewServer(ssodatest.Options{Templates: []alimtalk.Template{tpl}})
//	defer srv.Close()
//	c, err := srv.NewClient() // a ssoda.Client pointed at the fake, with its templates
//	res, err := c.Send(ctx, []alimtalk.Message{{To: "010-1234-5678", TemplateCode: tpl.Code,
//		Variables: map[string]string{"name": "홍길동"}}})
//	srv.Requests(ssodatest.CallSend) // how many send requests arrived
//	srv.Sent()                       // what went out
//
// (the package's Example runs exactly this). NewClient and ClientOptions give the client the
// server's templates, so Variables render without WithTemplates.
//
// What it enforces:
//
//   - Authentication: the x-api-key header (HTTP 401 otherwise) and token_key in the body
//     (code "401"), and the IP allow-list: a call from an address not in Options.AllowedIPs
//     gets Ssoda's own message, "token에 등록되지 않은 발송서버 ip입니다. (127.0.0.1)". Loopback
//     is allowed by default.
//   - Templates go through Kakao's review: add → REG, request → REQ, then ApproveTemplate
//     (APR, service A) or RejectTemplate (REJ with the reason as a comment). Codes must follow
//     the 5–30 [A-Za-z0-9_-] rule and be unique per sender key.
//   - A send is accepted only for an approved template of a registered sender key whose
//     text matches the template exactly (alimtalk.Template.Match; Kakao 3016 otherwise),
//     with the template's buttons (3027); an unknown or unapproved template is 3015.
//     Recipients must be mobile numbers in digits. A failover sender number must be
//     registered, approved and not blocked.
//   - Points: each accepted message costs Prices (AlimTalk 8, FriendTalk 15); a send without
//     enough points is refused; a cancelled reservation is refunded.
//   - Recipients marked with SetNonKakaoUser cannot get KakaoTalk: the message fails, and
//     goes out as its failover SMS/LMS when it has one (the sent list shows 실패 with
//     failover_msg).
//   - Reservations (send_time in the future by Options.Now) wait until their time and can be
//     cancelled before it; the sent and reserved lists page with page and limit.
//   - Sender profiles: RequestToken "texts" Options.ProfileToken, Create checks it and issues
//     a new sender key.
//
// Faults (InjectFault) reproduce what makes sends ambiguous, with the Fault shape every kshop
// fake shares: a delay (the request is carried out, the answer held), a 5xx, a 429, an HTML
// page, an empty or truncated body, and a dropped connection — each after carrying the request
// out (CarryOut: the message is recorded as sent, as a real server that did the work and
// crashed would) or not. Fault.Call names the call (CallSend, CallTemplatesAdd, …) or a path.
//
// Answers use Ssoda's envelope ({"code": "200", "error": "", "content": {…}}) and, where Ssoda
// never published a format, the shapes the ssoda package decodes first; the result codes
// that are not Kakao's are illustrative. Everything is safe for concurrent use.
package ssodatest
