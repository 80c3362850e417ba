// Package lunasoft sends Kakao AlimTalk through Lunasoft (루나소프트, now 블룸에이아이 / Blumn
// AI), the provider Godomall's 카카오 알림톡 app uses with a "Luna userid" and api_key. Its
// Client implements alimtalk.Sender, so a shop switches from Ssoda by building its
// alimtalk.Dispatcher with a lunasoft.Client instead and nothing else:
//
//	cat, err := lunasoft.LoadTemplateCatalogFile("lunasoft-templates.json")
//	c, err := lunasoft.NewClient(lunasoft.Credentials{UserID: id, APIKey: key},
//		lunasoft.WithTemplates(cat), lunasoft.WithPendingTracker(tracker))
//	d, err := alimtalk.NewDispatcher(cfg, c, cat)
//
// # Sending
//
// Send takes messages carrying their final Text, or a TemplateCode and Variables rendered
// from the templates given with WithTemplates. Lunasoft's requests carry one integer
// template_id and at most 1,000 messages: Send groups the messages by template, splits the
// groups into requests (WithChunkSize), sends them with bounded concurrency
// (WithConcurrency) and returns one alimtalk.Result per message in the caller's order. Every
// message is checked before anything is sent, all problems at once: the phone number (or
// app user ID, with SendMessages), lengths, the emphasis title, the URLs of link buttons
// (without them Lunasoft accepts the request and delivers nothing), the reservation time
// (in the future and within alimtalk.Limits.ScheduleHorizon), the courier and waybill of
// delivery-tracking templates, control characters.
//
// Couriers are Lunasoft's carrier_code numbers (Carrier, CourierTable): a Korea Post waybill
// from package epost goes out as carrier_code 2 with its number as invoice_number, from the
// Dispatcher's #{courier} ("우체국택배") and #{waybillNo} variables, without the caller
// knowing the code.
//
// # Unknown outcomes and the result webhook
//
// A send is never retried once its request may have reached Lunasoft; its messages then end
// StatusUnknown (their errors wrap ErrOutcomeUnknown). Lunasoft has no history or result
// API, so no call can settle them: only its result webhook can. Register a Handler's URL with
// Lunasoft; it decodes each delivery result (AlimTalk, and the failover SMS/LMS), matches it
// to the message by custom_key (Send sets it to Result.Ref, generating a Ref when the message
// has none) and calls back with a typed Outcome. A PendingTracker given to both the client
// (WithPendingTracker) and the Handler (WebhookOptions.Pending) keeps the unknown messages
// until their webhook arrives and reports those still unknown after its window (Overdue).
//
// # Templates
//
// Templates are registered and reviewed in the Lunasoft console; the jupiter API can neither
// list nor edit them (Godomall's integration only lists them), so the alimtalk lifecycle's
// edit, delete and review actions have no Lunasoft call: a Lunasoft template cannot be
// edited from the shop. A TemplateCatalog holds the approved templates by ID, loaded from
// code (NewTemplateCatalog) or from a JSON file (LoadTemplateCatalog) in this schema:
//
//	{
//	  "templates": [                            // required
//	    {
//	      "id": 50034,                          // required: Lunasoft's template ID (integer or numeric string)
//	      "alias": "ORDER_RECEIVED",            // optional: a second, non-numeric code for the same template
//	      "name": "주문접수",                      // optional
//	      "content": "#{customerName}님의 주문 …", // required: the approved text with #{variables}
//	      "message_type": "BA",                 // optional: BA, EX, AD, MI
//	      "emphasis": "TEXT",                   // optional: NONE, TEXT, IMAGE, ITEM_LIST
//	      "title": "#{point}P 적립",             // TEXT emphasis: the title (may hold variables)
//	      "subtitle": "포인트 안내",                // TEXT emphasis: the subtitle
//	      "extra": "", "ad": "",                // EX/MI extra text, AD/MI advertisement text
//	      "buttons": [                          // in Lunasoft's order
//	        {"type": "WL", "name": "주문 확인",
//	         "url_mobile": "https://shop.example/o/#{orderNo}", "url_pc": "",
//	         "scheme_android": "", "scheme_ios": ""}
//	      ],
//	      "tracking": {                         // delivery-tracking templates only
//	        "courier_variable": "courier",      // default "courier"
//	        "waybill_variable": "waybillNo"     // default "waybillNo"
//	      }
//	    }
//	  ]
//	}
//
// Unknown fields are refused, so a typo does not silently drop a button.
//
// # Errors
//
// Errors follow the shape every kshop vendor package shares: ErrOutcomeUnknown, ErrNotSent,
// ErrBadResponse and ErrInvalid are the kshop values; *APIError (a refusal) and
// *ResponseError (an answer that could not be understood) carry Op, HTTPStatus, VendorCode,
// Message and a capped, redacted Body, and implement kshop.APIError. Bad input is a
// *kshop.ValidationError (options, credentials, catalogs) or the message's own
// alimtalk.FieldErrors in its Result. The api_key never appears in logs, errors, any fmt verb,
// JSON or slog value of Credentials or Client.
//
// # Fidelity
//
// No official Lunasoft document for the jupiter API is public. "Manual table" below is the
// request table of Lunasoft's manual, as copied into a working caller's source; "callers" is
// agreement between about fifteen independent working clients; "inferred" is our reading,
// kept configurable where it could be wrong.
//
//	fact                                                     source          status
//	POST https://jupiter.lunasoft.co.kr/api/AlimTalk/message/send, JSON   callers   confirmed
//	userid + api_key in the body, no header auth             manual table    confirmed
//	one template_id per request (integer), ≤ 1,000 messages  manual table    confirmed
//	no, tel_num | app_user_id, msg_content ≤ 1,000           manual table    confirmed
//	sms_content always sent, use_sms "1"/"0"                 manual table, callers  confirmed ("1" as a string: callers)
//	reserve_time yyyy-MM-dd HH:mm:ss (KST)                   manual table    confirmed; KST inferred
//	custom_key ≤ 40, the webhook's key                       manual table    confirmed
//	title (emphasis), price, currency_code                   manual table    confirmed
//	carrier_code, invoice_number ≤ 30 (tracking templates)   manual table    confirmed
//	carrier_code table (1 CJ대한통운, 2 우체국, …)              Lunasoft's tracking page doc   inferred for jupiter; CourierTable.Set
//	btn_url [{url_pc, url_mobile, scheme_android, scheme_ios}] ≤ 100 each, template order   manual table   confirmed; one entry per button: inferred
//	link template without btn_url: accepted, nothing delivered   one caller   refused before sending
//	answer {code, msg}, code 0 (string or number) = accepted callers         confirmed
//	per-message messages[] (top or under msg), result_code   callers         partly; decoded tolerantly
//	msg may be an object                                     callers         confirmed
//	codes 1002/1003 = bad userid/api_key                     Lunasoft FriendTalk API   inferred
//	no history or result-lookup API                          callers         confirmed (none exists in any caller)
//	webhook body {type, message_group_id, message_id, code, response_dt}   Lunasoft hub API   inferred for jupiter; decoded tolerantly
//	webhook success code "1000"                              Lunasoft failover doc   inferred; WebhookOptions.SuccessCodes
//	failover SMS above 90 EUC-KR bytes becomes LMS           Lunasoft failover doc   confirmed (Lunasoft decides)
//	reservation horizon 60 days                              —               inferred; alimtalk.Limits.ScheduleHorizon
//
// Package lunasofttest is a stateful fake of the API and its webhook for tests and the
// quickstart.
package lunasoft
