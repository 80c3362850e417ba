// Package ssoda is a client for the Ssoda (쏘다, ssodaa.com) REST API: Kakao AlimTalk and
// FriendTalk sends, reservations, sent lists, templates, sender profiles and the account. Its
// *Client implements alimtalk.Sender, so the alimtalk Dispatcher can send through it; package
// ssodatest is an in-memory fake of the API for tests.
//
// # Getting started
//
// The Ssoda console's API 연동 안내 > API 토큰 관리 page issues a token key together with an API
// key, and lists the server IP addresses allowed to use the token:
//
//	c, err := ssoda.NewClient(ssoda.Credentials{APIKey: apiKey, TokenKey: tokenKey, SenderKey: senderKey},
//		ssoda.WithTemplates(templates)) // to render messages from variables
//	report, err := c.CheckAccess(ctx)   // key, token and this server's IP registered?
//	results, err := c.Send(ctx, []alimtalk.Message{{
//		To: "010-1234-5678", TemplateCode: "ORDER_RECEIVED", Ref: "order-1001",
//		Variables: map[string]string{"name": "홍길동", "orderNo": "1001"},
//		Failover:  &alimtalk.Failover{From: "02-1234-5678"},
//	}})
//
// Every request is a POST with the x-api-key header and token_key in its JSON body
// (application/json; charset=utf-8). Answers are {"code": "200", "error": "…", "content": …};
// the code is read whether it comes as a string or a number, and an HTTP 200 whose code is not
// "200" is an error (*APIError).
//
// # The IP allow-list, the first thing that fails
//
// Ssoda accepts calls only from the server IPs registered for the token, and answers anything
// else with "token에 등록되지 않은 발송서버 ip입니다. (1.2.3.4)". That is the most common reason
// a first integration fails, especially from serverless platforms whose egress IP changes.
// CheckAccess reads the remaining points and reports whether the API key, the token and the IP
// are accepted, with the IP Ssoda saw (register exactly that one: behind NAT it is not the
// machine's own). Every call's error matches ErrIPNotAllowed in that case, and
// errors.As(err, new(*ssoda.IPNotAllowedError)) gives the IP. ErrUnauthorized matches refused
// keys (HTTP 401/403, or a message about the api key or the token).
//
// # Sending without duplicates
//
// Ssoda takes one recipient per AlimTalk request and offers no idempotency key, so Send makes
// one request per message, a few at a time (WithConcurrency, default 4), and never repeats a
// request that may have reached Ssoda: only refused connections and HTTP 429 are retried.
// Each message gets its own Result — Accepted or Reserved with Ssoda's msg_id, Rejected with
// the *APIError, Invalid when it failed the checks before sending (the phone, the template
// match, Ssoda's template-code rule), NotSent when it certainly never arrived — and one bad
// recipient never stops the others. A timeout, reset or 5xx after the request was written
// gives StatusUnknown with an error wrapping ErrOutcomeUnknown: the message may have gone out.
// A 5xx is unknown even when the context ends at the moment it arrives, and so is an answer
// that is neither a plain success nor a plain refusal. Do not send it again; call
// ReconcileResult with its Result, which lists the recipient's messages around the send time
// and matches the text (Ssoda has no webhook; a message can take a moment to be listed, so
// call again, or poll with Reconcile's Attempts). Only an answer holding the list counts as
// "not found".
//
// # Errors
//
// Every failure has the shape every kshop vendor package shares: *APIError when Ssoda refused
// (Op, HTTPStatus, VendorCode, Message, Body), *ResponseError when its answer could not be
// understood (it wraps ErrBadResponse), both implementing kshop.APIError with OutcomeUnknown;
// *kshop.ValidationError, listing every problem at once, for bad input refused before any
// request (identifiers with spaces or control characters, over their length, …). A transport
// failure without any answer wraps ErrOutcomeUnknown or ErrNotSent.
//
// # Templates
//
// Send renders messages from templates given with WithTemplates (a fixed set, e.g. from
// Templates.Load) or WithTemplateRefresh (a TemplateCache that reloads the profile's
// templates when they are older than its TTL, when a message names one it lacks, or on
// Refresh), so templates approved after the client was built are used without a new client.
//
// When Ssoda refuses the key, the token or the IP, Send stops: the messages not yet started get
// StatusNotSent and Send returns the error. It also returns the context's error when ctx ends
// before every message was started.
//
// # Fidelity
//
// No public copy of Ssoda's API manual exists. What this package sends comes from working
// third-party callers, the Ssoda API guide (Ssoda's product guide), and, where neither says,
// Bizppurio's documented Kakao API, which Ssoda's template and profile calls
// mirror one-for-one minus its /v3 prefix. Inferred paths can be changed with WithPaths and
// inferred field names with WithFieldNames; list, cancel, FriendTalk and profile requests also
// take Extra fields.
//
//	endpoint                               path                              status
//	AlimTalk send                          /kakao/send/alimtalk              confirmed (callers)
//	  sender_key template_code dest_phone msg_body                           confirmed
//	  button [{name type url_mobile url_pc}]                                 confirmed
//	  button scheme_android / scheme_ios (AL)                                inferred (Bizppurio)
//	  failover {use:"Y", msg_body}                                           confirmed
//	  failover subject, send_phone                                           inferred (SMS API)
//	  emphasis title                                                         inferred (Bizppurio)
//	  send_time "yyyy-MM-dd HH:mm:ss" KST                                    inferred (SMS API)
//	  answer content.sent_messages[0].msg_id                                 confirmed (one caller)
//	FriendTalk send                        /kakao/send/friendtalk            inferred (guide names it)
//	AlimTalk sent list                     /kakao/alimtalk/sent/list         confirmed (callers)
//	  where keyword start_date end_date page limit; rows result[]            confirmed
//	FriendTalk sent list                   /kakao/friendtalk/sent/list       inferred (guide names it)
//	AlimTalk / FriendTalk reserved lists   /kakao/{alimtalk,friendtalk}/reserve/list   inferred (guide names them)
//	reservation cancel (msg_id)            /kakao/{alimtalk,friendtalk}/reserve/cancel inferred (console only in guide)
//	template add (camelCase)               /kakao/template/add               confirmed (callers, guide)
//	template review request                /kakao/template/request           confirmed
//	template list (page, count strings)    /kakao/template/list              confirmed request; rows inferred
//	template detail                        /kakao/template/detail            confirmed request; fields inferred (kapi)
//	template code check                    /kakao/template/codeCheck         confirmed request; meaning inferred
//	template categories                    /kakao/template/category/all      confirmed
//	profile token (yellowId, phoneNumber)  /kakao/profile/token              inferred (kapi; guide names it)
//	profile categories                     /kakao/profile/category/all       inferred (kapi; guide names it)
//	profile create                         /kakao/profile/create             path confirmed (guide); fields inferred (kapi)
//	remaining points                       /sms/remaining/amount             path confirmed; amount field probed
//	SMS sender numbers                     /sms/sendphone/list               confirmed (content.sendphones[])
//	x-forwarded-for header                 —                                 seen twice, meaning unknown: off (WithForwardedFor)
//
// Answers are decoded permissively wherever their field names were never published (template
// status fields, list rows, the points amount): several likely names are tried, and every
// result keeps the raw JSON.
//
// # Calls that are POSTs but read-only
//
// Lists, lookups, the code check and the categories are POSTs but change nothing, so they are
// retried on 5xx and transport errors like any idempotent call. Sends, cancels, template
// registration and review requests, and profile calls are not.
package ssoda
