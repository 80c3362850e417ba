// Package happytalk builds the Happytalk (해피톡) chat links a shop puts behind its chat
// buttons, carrying the customer's data into the counselling room, and reads them back. It is
// pure Go: no network, no global mutable state.
//
//	link, err := happytalk.Build(base, happytalk.Params{
//		SiteUID:       "loginid",       // "" for a visitor who is not logged in
//		CustomerName:  "홍길동",
//		CustomerPhone: "010-1234-5678", // sent as 01012345678
//		Parameters:    []string{"이벤트"}, // parameter1
//	})
//
// base is the chat URL copied from the console ([서비스설정] > [기본 설정] > [채팅 버튼 설정]);
// its channel is detected from its host and path, or given in Params.Channel. Build cuts
// custom parameters longer than 20 characters silently; a Builder (NewBuilder) reports the
// cuts in BuildResult, or refuses them (WithStrictTruncation), and takes the other options.
// Parse reads any channel's link back into Params.
//
// # Channels and the links Build writes
//
// KakaoTalk channel (api.happytalk.io/api/kakao/chat_open): every parameter is its own query
// parameter, "&key=value".
//
//	https://api.happytalk.io/api/kakao/chat_open?yid=%40shop&site_id=4000000001&category_id=74133&division_id=74134&site_uid=loginid&cus_extra_username=%ED%99%8D%EA%B8%B8%EB%8F%99&cus_extra_phone=01012345678&parameter1=%EC%9D%B4%EB%B2%A4%ED%8A%B8
//
// Web chat v2 (design.happytalkio.com/chatting): the customer parameters are packed into the
// one params value as key=value pairs joined by ',' without quotes, and that whole string is
// percent-encoded once as a query value (',' becomes %2C, '=' %3D). A value containing ',' or
// '=' cannot be packed and is refused (ErrReservedCharacter). The classification IDs are the
// URL's own camelCase categoryId and divisionId.
//
//	https://design.happytalkio.com/chatting?siteId=4000000001&siteName=shop&categoryId=74133&divisionId=74134&partnerId=&shopId=&params=site_uid%3Dloginid%2Ccus_extra_username%3D%ED%99%8D%EA%B8%B8%EB%8F%99%2Ccus_extra_phone%3D01012345678%2Cparameter1%3D%EC%9D%B4%EB%B2%A4%ED%8A%B8
//
// Web chat v1 (customer.happytalk.io/public_v1/…, the legacy popup): the ID goes as uid with
// is_login=Y, the other parameters as query parameters.
//
//	https://customer.happytalk.io/public_v1/chat_v4/public_point?go=C&is_login=Y&uid=loginid&site_id=4000000001&category_id=74133&division_id=74134&usergb=W&cus_extra_username=%ED%99%8D%EA%B8%B8%EB%8F%99&cus_extra_phone=01012345678&parameter1=%EC%9D%B4%EB%B2%A4%ED%8A%B8
//
// Naver TalkTalk (talk.naver.com/…): the pairs follow the URL, each introduced by the separator
// ("|" by default, WithNaverSeparator), before any #fragment, exactly as the parameter guide
// writes it: <URL before any '#'>|key=value|key=value[#fragment]. If the URL already contains
// the separator, the text after its first occurrence is read as pairs. The URL must have a
// path (/ct/<id>), or the pairs would run into the host name.
//
//	https://talk.naver.com/ct/wc1234|site_uid=loginid|cus_extra_username=%ED%99%8D%EA%B8%B8%EB%8F%99|cus_extra_phone=01012345678|parameter1=%EC%9D%B4%EB%B2%A4%ED%8A%B8
//
// An unrecognised base URL is refused (a *LinkError wrapping ErrUnknownChannel) unless
// Params.Channel names the channel. Only absolute http and https URLs without spaces, control
// characters or user information are accepted.
//
// # The base URL's own parameters
//
// The parameters already on the base URL (yid, site_id, siteId, siteName, partnerId, shopId,
// usergb, title, …) are copied byte for byte, in their order; they are not decoded or
// re-encoded. A parameter Build sets that the base already has is replaced where it stands (a
// repeated one is dropped after the first), never duplicated, so building on a built link
// gives the same link. Fields left empty or zero in Params are not sent and leave the base's
// value alone (a console URL's category_id stays), except SiteUID, which always overwrites:
// see below. Empty pairs ("&&") are dropped.
//
// # What each parameter does in the counselling console
//
//   - SiteUID, site_uid (uid on web chat v1): the customer ID (고객정보 > ID). It links customer
//     information and counselling history: every visitor arriving with the same ID is one
//     customer, across channels, and the latest values overwrite the customer record. On web
//     chat the counselling room itself is keyed on it (고객식별번호 "siteID_customerID"), so the
//     same ID opens the same room in any browser; KakaoTalk and Naver TalkTalk rooms stay per
//     messenger account even with the same site_uid, but their histories are merged.
//   - CustomerName, cus_extra_username: 이름.
//   - CustomerPhone, cus_extra_phone: 전화 (editable), not 휴대폰, which holds only numbers
//     verified by SMS or Kakao Sync. Sent as digits, the guide's sample form.
//   - CustomerTelephone, cus_extra_tel_phone (web chat v2 only): 전화, a second number beside
//     cus_extra_phone's 휴대폰, as Happytalk's web chat SDK lists the params keys and its chat
//     archive stores them. Parsed and sent as digits like CustomerPhone; refused on the other
//     channels (ErrNotSupported), which document no such key.
//   - CustomerEmail, cus_extra_email: 이메일.
//   - UserParameter, user_parameter: a value of the counselling room (대화방), not of the
//     customer, for custom work; up to 200 characters.
//   - CategoryID, DivisionID: the room's counselling classification (대분류, 중분류), used to
//     classify the room and to route it to the counsellors assigned to that classification.
//   - Parameters, parameter1…parameter10: room information shown under 고객정보 > 추가 정보 and
//     in 상담관리 for that room; they describe one visit (e.g. the entry path), so they must be
//     sent on every visit. Named and enabled in [고급 설정] > [파라미터 관리].
//   - BotStart, bot_start=true (KakaoTalk only): start with the Kakao i Open Builder chatbot.
//
// # Customers who are not logged in
//
// A visitor whose ID is unknown must be sent with an empty site_uid: Happytalk merges every
// visitor sent with the same ID into one customer and one counselling history, so a stand-in
// ID such as "undefined" joins all anonymous visitors together. Build therefore refuses
// placeholder IDs with a *PlaceholderIDError: undefined, null, nil, none, NaN, false,
// anonymous, guest, unknown, 0, -1, 비회원, 게스트, 손님, 익명 and the like (ignoring case and
// surrounding spaces), blank strings, and unfilled template variables such as "{고객ID}" or
// "${userId}"; WithPlaceholderIDs adds the shop's own. For an empty SiteUID Build writes:
//
//   - KakaoTalk and Naver TalkTalk: site_uid= with an empty value, as the guide shows
//     ("채팅URL&site_uid=&다른 파라미터").
//   - Web chat v2: site_uid= with an empty value inside params, as the official snippet
//     ('site_uid=' + userId) sends it.
//   - Web chat v1: is_login=N&uid= (and a site_uid already on the base is emptied).
//
// Because SiteUID is always written, a base URL that still carries a previous customer's ID
// can never attach a visitor to that customer.
//
// # Lengths, values and encoding
//
// Lengths are counted in characters, that is Unicode code points (runes): "홍길동" is 3. The
// limits are the guide's: site_uid 255, cus_extra_username 100, cus_extra_phone 100 (digits),
// cus_extra_email 100, user_parameter 200, parameter1…10 20 each, at most 10 custom parameters
// (more is ErrTooManyParameters), category_id and division_id non-negative Int(11) values. An
// over-long fixed parameter is refused (ErrTooLong): a cut ID, phone or address would be wrong
// data. A custom parameter is cut after its 20th rune, never inside a character, as Happytalk
// itself shows only 20 characters (decomposed Hangul or emoji sequences may be split between
// code points); BuildResult.Truncated names it, and WithStrictTruncation makes it an error.
//
// Values are sent as given: nothing is trimmed. Values must be valid UTF-8 without control
// characters (ErrInvalidText). The phones are parsed as Korean numbers and reduced to their
// digits; a number that does not parse is refused (a *FieldError holding a *PhoneError,
// whose text is masked) unless WithRawPhoneDigits sends its digits anyway. The e-mail must be
// a bare address as net/mail reads it (name@example.com: no display name, brackets, comments
// or spaces).
//
// Every value is percent-encoded as UTF-8, so Korean text survives servers and browsers of the
// Internet Explorer era (the guide's warning). Only A–Z a–z 0–9 - . _ ~ stay as they are; a
// space is written %20, never '+', which only form decoders read as a space. Parse accepts
// both.
//
// # Errors
//
// Build checks every field before writing anything and reports every problem at once in
// FieldErrors: each *FieldError names the Params field (Field), its wire key (Key), the reason
// and the limit broken (Limit, Got). errors.Is matches ErrInvalidParams, kshop.ErrInvalid and
// the specific sentinel (ErrTooLong, ErrInvalidEmail, …); errors.As finds a *PhoneError or
// *PlaceholderIDError inside.
//
// # Fidelity
//
// Confirmed (Happytalk's parameter guide and URLs of working sites):
//
//   - the fixed parameter names, their lengths, and the 20-character custom parameters;
//   - the KakaoTalk URL (yid, site_id, category_id, division_id) with "&" parameters;
//   - the web chat v2 URL (siteId, siteName, categoryId, divisionId, partnerId, shopId, params)
//     and the unquoted "site_uid=abcd1234,parameter1=param1" params syntax;
//   - web chat v1's is_login=Y/N and uid;
//   - cus_extra_tel_phone among web chat v2's params keys (Happytalk's web chat SDK, and the
//     chat-archive schema);
//   - an empty site_uid for visitors who are not logged in.
//
// Inferred or unconfirmed (configurable where it matters):
//
//   - Naver TalkTalk's "|"-joined pairs appear only in the guide; no public link or code shows
//     them (WithNaverSeparator).
//   - bot_start=true appears only in the guide; Kakao's own chat URL uses bot=true
//     (WithBotStartParameter).
//   - The guide's v2 sample quotes values (site_uid=('고객ID')); no public source does, and
//     Build does not.
//   - Whether v2 servers need ',' and '=' encoded inside params: Build encodes them (the safe
//     choice); Parse reads both.
//   - Sending user_parameter inside v2's params, cus_extra_* on v1 URLs and category_id /
//     division_id on Naver links follows the guide's generic table, not a channel-specific
//     source.
//   - site_uid's limit is 255 in the guide but 100 in the Biz API; links follow the guide.
package happytalk
