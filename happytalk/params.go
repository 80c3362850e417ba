package happytalk

// Limits of the fixed and custom parameters, in characters (Unicode code points, i.e. Go
// runes — "홍길동" is 3, not 9), from Happytalk's parameter guide (해피톡 파라미터 관리).
const (
	// MaxSiteUIDLen is the length of site_uid (String 255). The Biz API documents 100 for the
	// same field; links follow the parameter guide.
	MaxSiteUIDLen = 255
	// MaxCustomerNameLen is the length of cus_extra_username (String 100).
	MaxCustomerNameLen = 100
	// MaxCustomerPhoneLen is the length of cus_extra_phone (String 100), counted after the
	// number is reduced to digits.
	MaxCustomerPhoneLen = 100
	// MaxCustomerEmailLen is the length of cus_extra_email (String 100).
	MaxCustomerEmailLen = 100
	// MaxUserParameterLen is the length of user_parameter (String 200).
	MaxUserParameterLen = 200
	// MaxParameterLen is the length of each custom parameter1…parameter10 (20). Happytalk
	// shows only the first 20 characters of a longer value; Build cuts it the same way.
	MaxParameterLen = 20
	// MaxParameters is the number of custom parameters, parameter1…parameter10.
	MaxParameters = 10
	// MaxClassificationID is the largest category_id / division_id: the guide types them
	// Int(11), a signed 32-bit database column.
	MaxClassificationID = 1<<31 - 1
)

// Params is what a chat link carries into the counselling room. Empty strings and zero IDs are
// "not set": Build does not send them and leaves any value the base URL already has for them,
// with one exception, SiteUID, which is always sent (empty for a visitor who is not logged in)
// so that a stale ID on a base URL can never attach a visitor to another customer.
//
// Values are sent as given, apart from CustomerPhone (reduced to digits) and Parameters (cut
// to MaxParameterLen characters); nothing is trimmed.
type Params struct {
	// Channel overrides the channel detected from the base URL (ChannelAuto, the zero value,
	// detects it). Give it for a chat URL on a host this package does not recognise. Parse sets
	// it to the link's channel.
	Channel Channel

	// SiteUID (site_uid; uid on web chat v1) is the shop's customer ID: login ID or member
	// number, at most MaxSiteUIDLen characters. Empty means "not logged in". Placeholders
	// such as "undefined", "guest" or "0" are refused with a *PlaceholderIDError.
	SiteUID string
	// CustomerName (cus_extra_username) is the customer's name, at most MaxCustomerNameLen.
	CustomerName string
	// CustomerPhone (cus_extra_phone) is a Korean phone number in any usual writing
	// ("010-1234-5678", "+82 10 1234 5678"); it is sent as digits ("01012345678"). A number
	// that does not parse is refused with a *FieldError holding a *PhoneError, unless the
	// Builder has WithRawPhoneDigits.
	CustomerPhone string
	// CustomerTelephone (cus_extra_tel_phone, 전화, beside cus_extra_phone's 휴대폰) is a
	// second, usually landline, Korean number, written and sent like CustomerPhone. Only web
	// chat v2 takes it (Happytalk's web chat SDK lists it among the params keys, and the chat
	// archive stores it); on other channels it is refused with ErrNotSupported.
	CustomerTelephone string
	// CustomerEmail (cus_extra_email) is a bare address, name@example.com, at most
	// MaxCustomerEmailLen characters.
	CustomerEmail string
	// UserParameter (user_parameter) is a free value of the counselling room, at most
	// MaxUserParameterLen characters: the place for what does not fit a custom parameter.
	UserParameter string
	// CategoryID (category_id; categoryId on web chat v2) is the counselling category
	// (대분류) ID from the console's classification settings. 0 means not set; negative
	// values are refused.
	CategoryID int
	// DivisionID (division_id; divisionId on web chat v2) is the sub-category (중분류) ID.
	// 0 means not set.
	DivisionID int
	// Parameters are the custom parameters: Parameters[0] is parameter1 … Parameters[9] is
	// parameter10. At most MaxParameters; an empty element is not sent. Values longer than
	// MaxParameterLen characters are cut (or refused with WithStrictTruncation).
	Parameters []string
	// BotStart asks the KakaoTalk channel to start with the Kakao i Open Builder chatbot
	// instead of a counsellor (bot_start=true; unconfirmed, see WithBotStartParameter).
	// Refused on other channels.
	BotStart bool
}

// The parameter names on the wire.
const (
	keySiteUID       = "site_uid"
	keyName          = "cus_extra_username"
	keyPhone         = "cus_extra_phone"
	keyTelephone     = "cus_extra_tel_phone"
	keyEmail         = "cus_extra_email"
	keyUserParameter = "user_parameter"
	keyCategory      = "category_id"
	keyDivision      = "division_id"
	keyCategoryV2    = "categoryId"
	keyDivisionV2    = "divisionId"
	keyParams        = "params"
	keyIsLogin       = "is_login"
	keyUID           = "uid"
)

var parameterKeys = [MaxParameters]string{
	"parameter1", "parameter2", "parameter3", "parameter4", "parameter5",
	"parameter6", "parameter7", "parameter8", "parameter9", "parameter10",
}

var parameterFields = [MaxParameters]string{
	"Parameters[0]", "Parameters[1]", "Parameters[2]", "Parameters[3]", "Parameters[4]",
	"Parameters[5]", "Parameters[6]", "Parameters[7]", "Parameters[8]", "Parameters[9]",
}

// parameterIndex returns i for the key "parameter{i+1}", or -1.
func parameterIndex(key string) int {
	for i, k := range parameterKeys {
		if k == key {
			return i
		}
	}
	return -1
}
