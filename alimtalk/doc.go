// Package alimtalk is the provider-neutral Kakao AlimTalk (알림톡) domain of kshop: templates
// and their #{variable} rendering, Kakao's message rules, buttons, SMS/LMS failover, the
// template lifecycle, the Sender interface that provider clients implement (ssoda; other providers alike),
// and the shop's auto-send Dispatcher (event → template → provider). It is pure Go: no
// network, no global state.
//
// # Templates
//
// A Template holds Content with #{name} placeholders. Names may be Korean, contain spaces and
// punctuation; they never contain a brace or a line break (a "#{" that does not open a valid
// placeholder is literal text). Render fills the placeholders and reports every missing
// variable at once (*MissingVariablesError); variables the template does not use are ignored,
// so one map can serve several templates. Match checks that a final text is the template
// with some values filled in, newlines included — the check Kakao makes before delivering
// (result 3016) — and says where it diverges (*MismatchError, by line and column, quoting only
// the template). Values may hold anything, including "#{" and the template's own words; the
// matcher anchors the first and last literal parts and places the others leftmost, which is
// exact for this pattern language, so Render followed by Match always agrees (fuzzed).
//
// Validate checks a template against Kakao's rules: lengths, ≤ 40 variables, message types
// (BA; EX with extra text; AD with ad text and a first "채널 추가" AC button; MI with both),
// emphasis (TEXT with title and subtitle, IMAGE with an image, ITEM_LIST with 2–10 items and an
// image, header or highlight), buttons and quick replies, the 6-digit category code.
// ValidateTemplateCode checks the 5–30 [A-Za-z0-9_-] code rule that some providers impose.
//
// # Lifecycle
//
// TemplateState holds the inspection status (REG → REQ → APR | REJ), the service status
// (R/A/S) and the dormant and blocked flags. CanEdit, CanDelete, CanRequestReview,
// CanCancelReview and CanSend say whether an action is allowed and, if not, why
// (*StateError); Apply returns the state after an action.
//
// # Messages, results, providers
//
// A Message is one AlimTalk to one recipient. Message.Prepare is what a provider client calls
// before sending: it normalizes the phone number (a Korean mobile number; a *PhoneError
// otherwise), renders Text from the template when empty or matches it when given, fills the
// title and button links from the template, checks every rule with configurable Limits
// (NHN accepts 1,300 characters where Kakao says 1,000), and resolves the Failover (SMS up
// to 90 EUC-KR bytes, LMS above). It refuses, before anything is sent, texts that are not
// valid UTF-8 or hold control characters (line breaks and tabs are kept in the message and
// SMS/LMS text), a title without a known TEXT-emphasis template, and a reservation time in the
// past or beyond Limits.ScheduleHorizon (60 days). Every problem is reported at once in
// FieldErrors; each *FieldError names the Go field ("Buttons[2].URLMobile") and its wire key
// ("buttons[2].url_mobile"). Provider clients prepare lists of messages with package
// alimtalk/provider, so one bad number fails alone (StatusInvalid) and the rest are sent.
//
// Result.Status is accepted, reserved, rejected, invalid, not sent, unknown or duplicate.
// StatusUnknown means the provider may have taken the message (its Err wraps
// ErrOutcomeUnknown, the same value as kshop.ErrOutcomeUnknown): reconcile by Ref, never send
// blindly again.
//
// # Dispatcher
//
// The Dispatcher is Godomall's 카카오 알림톡 자동발송 as a library (Godomall 카카오 알림톡 app
// guide). Config has a global
// switch, one switch per group (order/shipping, member, board) and one EventConfig per event:
// on/off, template code (and an operator template), audience (customer, operator, both),
// timing (immediate, after a delay, or at a time of day) and variable names. QuietHours hold
// night sends (for example 21:00–08:00 KST) for the morning. NewDispatcher refuses a config
// without a valid shop URL or sender number, as Godomall sends nothing without its shop
// domain; exactly one Sender is active at a time. Dispatch maps event data to variables,
// renders, sends with one Sender call, and returns one Delivery per recipient. Every message
// gets a deterministic Ref (DeliveryRef: event kind and ID, audience, recipient), so a retried
// Dispatch of the same event yields the same Refs, and the Ledger (in memory by default)
// skips Refs already sent.
//
// Event data reaches templates under these default names (Field); Config.VariableNames or
// EventConfig.VariableNames rename them, and GodomallVariableNames gives the names of
// Godomall's own macros:
//
//	variable                 value                              Godomall macro
//	#{shopName}              Config.ShopName                    [rc_mallNm]
//	#{shopUrl}               Config.ShopURL                     [shopUrl]
//	#{customerName}          Event.CustomerName                 [orderName]
//	#{orderNo}               Event.OrderNo                      [orderNo]
//	#{amount}                Event.Amount as "7,500원"
//	#{amountNumber}          Event.Amount as "7,500"            [settlePrice]
//	#{productName}           Event.ProductName
//	#{bankName} #{bankAccount} #{accountHolder}
//	#{depositInfo}           "bank/account/holder"
//	#{dueDate}               Event.DueDate as 2006-01-02
//	#{courier} #{waybillNo}  shipping
//	#{boardName} #{postTitle}
//	#{eventDate}             Event.OccurredAt as 2006-01-02 15:04
//	#{eventName}             the event's Korean label
//	#{customerPhoneMasked}   010-****-5678, for operator copies
//
// # Fidelity
//
//	rule                                                     source                          status
//	#{var} syntax; exact match incl. newlines (3016)         NHN guide, Aligo sample         confirmed
//	body 1,000 chars, ITEM_LIST 700, NHN 1,300               NHN overview, API v2.3          confirmed
//	≤ 40 variables                                           NHN overview                    confirmed; repeats counted: inferred
//	≤ 5 buttons, 2 with quick replies; name 14; URL 500      NHN v2.3, kapi                  confirmed
//	quick replies ≤ 10 (NHN 5)                               kapi, NHN                       confirmed, configurable
//	AL: two of android scheme, iOS scheme, mobile URL        kapi, several provider docs     confirmed
//	AC first, "채널 추가", AD/MI only                          kapi, NHN                       confirmed
//	no DS or AC button together with quick replies           one provider's guide (U+)       inferred
//	P1–P3 plugin ID, BF form ID, TN phone                    kapi, NHN                       confirmed
//	TEXT: title+subtitle ≤ 50; ITEM_LIST limits              kapi                            confirmed
//	extra ≤ 500, ad ≤ 80, LMS subject ≤ 40 bytes             —                               inferred, configurable
//	REG→REQ→APR|REJ; edit in R+REG/REJ; request in REG       kapi, Aligo                     confirmed
//	send needs APR and service A                             kapi status values              inferred (an unset service status is accepted)
//	SMS ≤ 90 EUC-KR bytes, else LMS; LMS 2,000 chars         Lunasoft failover doc; Ssoda    confirmed
//	template code 5–30 [A-Za-z0-9_-]                         Ssoda guide, Bizppurio          confirmed
//	sender key 40 chars                                      NHN                             confirmed, configurable
//	reservation ≤ 60 days ahead, not in the past             NHN AlimTalk API v2.3           confirmed there; other providers inferred, configurable
//	no control characters; line breaks in text only          —                               inferred
//	auto-send groups, immediate/reserved, shop URL needed    Godomall 알림톡 app guide         confirmed; event list inferred
package alimtalk
