package epost

import "strings"

// ErrorGroup is the A digit of an ERR-ABC code (대분류): what the error is about.
type ErrorGroup int

// The groups of the manual's 오류 분류 코드 table.
const (
	GroupUnknown   ErrorGroup = 0
	GroupAPI       ErrorGroup = 1 // API 및 우편물 기초정보: key, regData, parcel data
	GroupContract  ErrorGroup = 2 // 계약정보 및 발송인정보: custNo, apprNo, officeSer
	GroupRecipient ErrorGroup = 3 // 수취인정보
	GroupExport    ErrorGroup = 4 // 수출우편물정보
	GroupOther     ErrorGroup = 5 // 기타
)

// String names the group in English.
func (g ErrorGroup) String() string {
	switch g {
	case GroupAPI:
		return "API/parcel data"
	case GroupContract:
		return "contract/sender"
	case GroupRecipient:
		return "recipient"
	case GroupExport:
		return "export parcel"
	case GroupOther:
		return "other"
	default:
		return "unknown"
	}
}

// ErrorKind is the B digit of an ERR-ABC code (중분류).
type ErrorKind int

// The kinds of the manual's table.
const (
	KindUnknown     ErrorKind = 0
	KindMissing     ErrorKind = 1 // 필수값 누락 오류
	KindConsistency ErrorKind = 2 // 정합성 오류
	KindSystem      ErrorKind = 3 // 시스템 오류: transient, retryable
)

// String names the kind in English.
func (k ErrorKind) String() string {
	switch k {
	case KindMissing:
		return "required value missing"
	case KindConsistency:
		return "consistency"
	case KindSystem:
		return "system"
	default:
		return "unknown"
	}
}

// ErrorDetail is the C digit of an ERR-ABC code (소분류), whose meaning depends on the kind.
type ErrorDetail int

// The details of the manual's table, one constant per (kind, C) pair.
const (
	DetailUnknown       ErrorDetail = iota
	DetailNotEntered                // B=1, C=1: 미입력
	DetailLength                    // B=2, C=1: 데이터 길이 오류
	DetailType                      // B=2, C=2: 데이터 타입 오류
	DetailValue                     // B=2, C=3: 데이터 유효값 오류
	DetailEncryption                // B=2, C=4: 암호화값 오류
	DetailNoData                    // B=2, C=5: 조건 입력 후 데이터 미존재
	DetailAlreadyExists             // B=2, C=6: 이미 등록한 데이터
	DetailSystemFailure             // B=3, C=1: 시스템 장애 오류
)

// String names the detail in English.
func (d ErrorDetail) String() string {
	switch d {
	case DetailNotEntered:
		return "not entered"
	case DetailLength:
		return "length"
	case DetailType:
		return "type"
	case DetailValue:
		return "invalid value"
	case DetailEncryption:
		return "encryption"
	case DetailNoData:
		return "no data for the condition"
	case DetailAlreadyExists:
		return "already registered"
	case DetailSystemFailure:
		return "system failure"
	default:
		return "unknown"
	}
}

// ErrorCode is a Korea Post ERR-ABC code decoded by the manual's grammar. Codes outside the
// grammar (ERR-001 of the trace service, data.go.kr codes) keep Raw and have Valid false.
type ErrorCode struct {
	Raw    string      // the code as sent, trimmed
	Valid  bool        // the code follows the ERR-ABC grammar
	Group  ErrorGroup  // A: what it is about
	Kind   ErrorKind   // B: missing value, consistency or system
	Detail ErrorDetail // C: the detail within the kind
}

// ParseErrorCode decodes "ERR-ABC" (case-insensitive, surrounding space ignored). It never
// fails: an unknown shape gives Valid false and zero parts.
func ParseErrorCode(s string) ErrorCode {
	raw := strings.TrimSpace(s)
	ec := ErrorCode{Raw: raw}
	if len(raw) != 7 || !strings.EqualFold(raw[:4], "ERR-") {
		return ec
	}
	a, b, c := raw[4], raw[5], raw[6]
	if a < '1' || a > '5' || b < '1' || b > '3' || c < '0' || c > '9' {
		return ec
	}
	ec.Valid = true
	ec.Group = ErrorGroup(a - '0')
	ec.Kind = ErrorKind(b - '0')
	ec.Detail = detailOf(ec.Kind, int(c-'0'))
	return ec
}

func detailOf(k ErrorKind, c int) ErrorDetail {
	switch k {
	case KindMissing:
		if c == 1 {
			return DetailNotEntered
		}
	case KindConsistency:
		if c >= 1 && c <= 6 {
			return []ErrorDetail{DetailLength, DetailType, DetailValue, DetailEncryption, DetailNoData, DetailAlreadyExists}[c-1]
		}
	case KindSystem:
		if c == 1 {
			return DetailSystemFailure
		}
	}
	return DetailUnknown
}

// String describes the code: "ERR-211 (contract/sender, required value missing, not entered)".
func (c ErrorCode) String() string {
	if !c.Valid {
		return c.Raw
	}
	return c.Raw + " (" + c.Group.String() + ", " + c.Kind.String() + ", " + c.Detail.String() + ")"
}

// hintFor returns advice for codes whose message misleads.
func hintFor(code ErrorCode, message string) string {
	switch {
	case strings.EqualFold(code.Raw, "ERR-211"), strings.EqualFold(code.Raw, "ERR-511"):
		return "ERR-211/ERR-511 usually mean the security key (보안키) is wrong, so regData could not be decrypted and every item looked missing; check Credentials.SecurityKey"
	case code.Valid && code.Detail == DetailEncryption:
		return "the regData could not be decrypted; check Credentials.SecurityKey"
	case strings.EqualFold(code.Raw, "ERR-123") && strings.Contains(message, "인증키"):
		return "the API key (인증키) is unknown or expired; it expires after 30 days without calls and must then be re-applied for"
	}
	return ""
}
