// Package lunasofttest is an in-memory fake of Lunasoft's jupiter AlimTalk API and of its
// result webhook, for tests and the quickstart: a stateful httptest server that enforces the
// rules a real integration meets.
//
//	srv := lunasofttest.NewServer(lunasofttest.Options{Templates: templates, WebhookURL: hook.URL})
//	defer srv.Close()
//	c, err := srv.NewClient() // a lunasoft.Client pointed at the fake, with its TemplateCatalog
//	res, err := c.Send(ctx, msgs)
//	srv.Requests(lunasofttest.CallSend) // how many send requests arrived
//	srv.Sent()                          // what was accepted
//	srv.FlushWebhooks()                 // wait until every result was posted
//
// What it enforces:
//
//   - Credentials: userid and api_key in the body (code 1002 or 1003 otherwise).
//   - One integer template_id per request, known to the server (3015 otherwise), and 1 to
//     1,000 messages (1099 otherwise); a message naming another template_id is refused.
//   - Per message (a failed message fails alone, with its result_code, beside code 0):
//     tel_num in digits (a mobile number) or app_user_id; msg_content matching the template
//     exactly (3016); the emphasis title; one btn_url entry per template button, every link
//     button's URLs present and matching the template's patterns (3027); carrier_code and
//     invoice_number for delivery-tracking templates; use_sms "1" or "0"; sms_content;
//     reserve_time in yyyy-MM-dd HH:mm:ss.
//   - Results go to the registered webhook (Options.WebhookURL, SetWebhookURL) as
//     {type, message_group_id, message_id, custom_key, code, msg, response_dt}, with code
//     "1000" for success. Recipients marked with SetNonKakaoUser get an AlimTalk failure
//     (3018) followed, when use_sms is "1", by an SMS or LMS success (LMS above 90 EUC-KR
//     bytes). SetDuplicateWebhooks repeats every post. Reservations are posted once due.
//
// Faults (InjectFault) use the Fault shape every kshop fake shares: a delay, a 5xx, a 429, an
// HTML page, an empty or truncated body, a dropped connection — each after carrying the
// request out (CarryOut: the messages are recorded and their webhooks posted, as a server
// that did the work and crashed) or not. That is how a test gets a StatusUnknown send that
// its webhook then settles.
//
// The codes other than Kakao's are illustrative: Lunasoft publishes no code table for this
// API. Everything is safe for concurrent use.
package lunasofttest
