package ssoda

import (
	"reflect"
	"strings"

	"github.com/kshop-dev/kshop"
)

// DefaultBaseURL is Ssoda's API host (Ssoda's product guide and every working caller).
const DefaultBaseURL = "https://apis.ssodaa.com"

// Paths are the endpoint paths the client calls. Paths marked inferred in DefaultPaths were
// never seen in a working caller; when Ssoda's real path differs, set it with WithPaths (and
// ssodatest.Options.Paths, so the fake agrees).
type Paths struct {
	// SendAlimTalk is 알림톡 발송 (confirmed).
	SendAlimTalk string
	// SendFriendTalk is 친구톡 발송 (inferred).
	SendFriendTalk string
	// AlimTalkSentList is 알림톡 발송 내역 리스트 (confirmed).
	AlimTalkSentList string
	// FriendTalkSentList is 친구톡 발송 내역 리스트 (inferred).
	FriendTalkSentList string
	// AlimTalkReservedList is 알림톡 예약 발송 내역 리스트 (inferred).
	AlimTalkReservedList string
	// FriendTalkReservedList is 친구톡 예약 발송 내역 리스트 (inferred).
	FriendTalkReservedList string
	// CancelAlimTalkReservation and CancelFriendTalkReservation cancel a reserved message
	// (inferred: the guide shows cancelling only in the console).
	CancelAlimTalkReservation, CancelFriendTalkReservation string
	// TemplateAdd, TemplateRequest, TemplateList, TemplateDetail, TemplateCodeCheck and
	// TemplateCategories manage AlimTalk templates (confirmed).
	TemplateAdd, TemplateRequest, TemplateList, TemplateDetail, TemplateCodeCheck, TemplateCategories string
	// ProfileToken is 발신프로필 인증토큰 요청 (inferred, kapi analogy).
	ProfileToken string
	// ProfileCategories is 발신프로필 카테고리 전체 조회 (inferred, kapi analogy).
	ProfileCategories string
	// ProfileCreate registers a sender profile (path named in a caller's guide; fields inferred).
	ProfileCreate string
	// RemainingPoints is 잔여 포인트 조회 (confirmed path).
	RemainingPoints string
	// SenderNumbers lists registered SMS sender numbers (confirmed).
	SenderNumbers string
}

// DefaultPaths returns the paths the client uses without WithPaths.
func DefaultPaths() Paths {
	return Paths{
		SendAlimTalk:                "/kakao/send/alimtalk",
		SendFriendTalk:              "/kakao/send/friendtalk",
		AlimTalkSentList:            "/kakao/alimtalk/sent/list",
		FriendTalkSentList:          "/kakao/friendtalk/sent/list",
		AlimTalkReservedList:        "/kakao/alimtalk/reserve/list",
		FriendTalkReservedList:      "/kakao/friendtalk/reserve/list",
		CancelAlimTalkReservation:   "/kakao/alimtalk/reserve/cancel",
		CancelFriendTalkReservation: "/kakao/friendtalk/reserve/cancel",
		TemplateAdd:                 "/kakao/template/add",
		TemplateRequest:             "/kakao/template/request",
		TemplateList:                "/kakao/template/list",
		TemplateDetail:              "/kakao/template/detail",
		TemplateCodeCheck:           "/kakao/template/codeCheck",
		TemplateCategories:          "/kakao/template/category/all",
		ProfileToken:                "/kakao/profile/token",
		ProfileCategories:           "/kakao/profile/category/all",
		ProfileCreate:               "/kakao/profile/create",
		RemainingPoints:             "/sms/remaining/amount",
		SenderNumbers:               "/sms/sendphone/list",
	}
}

// WithDefaults returns p with every empty path replaced by its default.
func (p Paths) WithDefaults() Paths {
	fillStrings(&p, DefaultPaths())
	return p
}

// check validates every path: it must start with '/', and hold no query, fragment, "..",
// spaces or control characters.
func (p Paths) check() error {
	v := reflect.ValueOf(p)
	for i := 0; i < v.NumField(); i++ {
		s := v.Field(i).String()
		name := v.Type().Field(i).Name
		if !strings.HasPrefix(s, "/") || strings.ContainsAny(s, "?#% \t\r\n\\") || strings.Contains(s, "..") {
			return invalid("WithPaths", "Paths."+name, kshop.RuleFormat, "must start with / and hold no query, fragment, '..', '%', backslash or spaces")
		}
	}
	return nil
}

// FieldNames are the JSON field names the client uses where Ssoda's name was never seen in a
// working caller (every one is inferred, mostly from the SMS API and Bizppurio, the likely
// upstream). Set one with WithFieldNames when Ssoda's real name differs; "-" stops the field
// from being sent. Confirmed fields (sender_key, template_code, dest_phone, msg_body, button
// name/type/url_mobile/url_pc, failover use/msg_body, …) are not configurable.
type FieldNames struct {
	// SendTime is the reservation time, "yyyy-MM-dd HH:mm:ss" KST (SMS API: send_time).
	SendTime string
	// Title is the emphasis title of TEXT-emphasis templates (Bizppurio: title).
	Title string
	// FailoverSubject is the LMS subject inside "failover" (SMS API: subject).
	FailoverSubject string
	// FailoverFrom is the failover sender number inside "failover" (SMS API: send_phone).
	FailoverFrom string
	// FailoverKind is the failover message type inside "failover", sent as "sms" or "lms"
	// (SMS API: msg_type). Default "-": not sent, Ssoda picks by length.
	FailoverKind string
	// ButtonSchemeAndroid and ButtonSchemeIOS are the app-link fields of a button
	// (Bizppurio: scheme_android, scheme_ios).
	ButtonSchemeAndroid, ButtonSchemeIOS string
	// FriendTalkImageURL and FriendTalkImageLink are a FriendTalk's image and the page the
	// image opens (Bizppurio: imgurl/imglink; snake_case guessed).
	FriendTalkImageURL, FriendTalkImageLink string
	// FriendTalkAd is the advertisement flag "Y"/"N" of a FriendTalk (Bizppurio adflag).
	FriendTalkAd string
	// FriendTalkWideImage marks a wide-image FriendTalk "Y" (Bizppurio wide).
	FriendTalkWideImage string
	// MessageID names the message to cancel in a reservation cancel (send answer: msg_id).
	MessageID string
	// SenderKeyInLists adds the sender key to list and cancel calls ("-" by default: the
	// confirmed sent-list call has none).
	SenderKeyInLists string
}

// DefaultFieldNames returns the names the client uses without WithFieldNames.
func DefaultFieldNames() FieldNames {
	return FieldNames{
		SendTime:            "send_time",
		Title:               "title",
		FailoverSubject:     "subject",
		FailoverFrom:        "send_phone",
		FailoverKind:        "-",
		ButtonSchemeAndroid: "scheme_android",
		ButtonSchemeIOS:     "scheme_ios",
		FriendTalkImageURL:  "image_url",
		FriendTalkImageLink: "image_link",
		FriendTalkAd:        "ad_flag",
		FriendTalkWideImage: "wide",
		MessageID:           "msg_id",
		SenderKeyInLists:    "-",
	}
}

// WithDefaults returns f with every empty name replaced by its default.
func (f FieldNames) WithDefaults() FieldNames {
	fillStrings(&f, DefaultFieldNames())
	return f
}

func (f FieldNames) check() error {
	v := reflect.ValueOf(f)
	for i := 0; i < v.NumField(); i++ {
		s := v.Field(i).String()
		if s == "-" {
			continue
		}
		if strings.ContainsAny(s, "\"\\ \t\r\n") || strings.IndexFunc(s, func(r rune) bool { return r < 0x20 }) >= 0 {
			return invalid("WithFieldNames", "FieldNames."+v.Type().Field(i).Name, kshop.RuleFormat, "must be a plain JSON name or \"-\"")
		}
	}
	return nil
}

// fillStrings copies every string field of def into the empty string fields of dst (both
// pointers to the same struct type).
func fillStrings[T any](dst *T, def T) {
	d := reflect.ValueOf(dst).Elem()
	s := reflect.ValueOf(def)
	for i := 0; i < d.NumField(); i++ {
		if d.Field(i).Kind() == reflect.String && d.Field(i).String() == "" {
			d.Field(i).SetString(s.Field(i).String())
		}
	}
}
