package epost

// YesNo is a Y/N item. The zero value "" leaves an optional item out, so the service applies
// its default.
type YesNo string

// Y/N values.
const (
	Yes YesNo = "Y"
	No  YesNo = "N"
)

var yesNos = []string{string(Yes), string(No)}

// YesNoOf converts a bool.
func YesNoOf(b bool) YesNo {
	if b {
		return Yes
	}
	return No
}

// PayType is payType (요금 납부구분).
type PayType string

// Pay types.
const (
	// PayPrepaid is "1", 일반 (즉납 or 후납): the sender pays, ≈ 선불. Waybills start with 6.
	PayPrepaid PayType = "1"
	// PayCollect is "2", 수취인 부담: the recipient pays, ≈ 착불. Waybills start with 7.
	PayCollect PayType = "2"
)

var payTypes = []string{string(PayPrepaid), string(PayCollect)}

// ReqType is reqType (소포신청 구분).
type ReqType string

// Request types.
const (
	// ReqNormal is "1", 일반소포: a parcel from the office (공급지) to the recipient.
	ReqNormal ReqType = "1"
	// ReqReturn is "2", 반품소포: a return pickup from the recipient (반품인) back to the office.
	ReqReturn ReqType = "2"
)

var reqTypes = []string{string(ReqNormal), string(ReqReturn)}

// Packaging is packngMtrCd (포장재 코드).
type Packaging string

// Packaging codes.
const (
	PackagingPaperBox Packaging = "01" // 종이상자 (the service's default)
	PackagingPolyBag  Packaging = "03" // 폴리백
	PackagingIceBox   Packaging = "05" // 아이스박스 (스티로폼)
	PackagingOther    Packaging = "09" // 기타
)

var packagings = []string{string(PackagingPaperBox), string(PackagingPolyBag), string(PackagingIceBox), string(PackagingOther)}

// ContentCode is contCd (주요 내용품코드).
type ContentCode string

// Content codes.
const (
	ContentFarmGeneral ContentCode = "021" // 농/수/축산물 (일반)
	ContentFarmChilled ContentCode = "022" // 농/수/축산물 (냉동/냉장)
	ContentElectronics ContentCode = "023" // 전자제품
	ContentBooks       ContentCode = "024" // 서적
	ContentClothing    ContentCode = "025" // 의류/패션잡화
	ContentCosmetics   ContentCode = "026" // 미용/화장품
	ContentHealth      ContentCode = "027" // 의료/건강식품
	ContentHousehold   ContentCode = "028" // 생활용품
	ContentOther       ContentCode = "029" // 기타
)

var contentCodes = []string{
	string(ContentFarmGeneral), string(ContentFarmChilled), string(ContentElectronics), string(ContentBooks), string(ContentClothing),
	string(ContentCosmetics), string(ContentHealth), string(ContentHousehold), string(ContentOther),
}

// SMSSender is smsOrdCd: whose name the delivery-notice SMS shows as sender.
type SMSSender string

// SMS sender choices.
const (
	SMSSenderOffice  SMSSender = "1" // 공급지 담당자명 (the service's default)
	SMSSenderOrderer SMSSender = "2" // 주문자명
)

var smsSenders = []string{string(SMSSenderOffice), string(SMSSenderOrderer)}

// OutputOption is InsertOrder's URL-level option item, which adds items to the answer.
type OutputOption string

// Output options.
const (
	// OptionNotice ("000") adds noticeCont, the API notice.
	OptionNotice OutputOption = "000"
	// OptionNoticeAndNotify ("001") adds noticeCont and notifyMsg (Saturday-delivery
	// holidays and similar notices).
	OptionNoticeAndNotify OutputOption = "001"
)

var outputOptions = []string{string(OptionNotice), string(OptionNoticeAndNotify)}

// TreatStatus is GetResInfo's treatStusCd (소포 처리상태), decoded.
type TreatStatus int

// Treat statuses. Codes the manual leaves unnamed ("⁝") decode as TreatUnknown; the raw code
// stays in Reservation.StatusCode.
const (
	TreatUnknown     TreatStatus = iota
	TreatPreparing               // 00 신청준비 (등록)
	TreatBooked                  // 01 소포신청 (예약)
	TreatPrinted                 // 02 운송장출력
	TreatPickedUp                // 03 집하완료
	TreatNotPickedUp             // 04 미집하
	TreatCancelled               // 05 신청취소
)

var treatCodes = [...]string{"", "00", "01", "02", "03", "04", "05"}

// ParseTreatStatus decodes a treatStusCd; unknown codes give TreatUnknown.
func ParseTreatStatus(code string) TreatStatus {
	for i := 1; i < len(treatCodes); i++ {
		if code == treatCodes[i] {
			return TreatStatus(i)
		}
	}
	return TreatUnknown
}

// Code returns the two-digit treatStusCd, or "" for TreatUnknown.
func (s TreatStatus) Code() string {
	if s <= TreatUnknown || int(s) >= len(treatCodes) {
		return ""
	}
	return treatCodes[s]
}

// String names the status.
func (s TreatStatus) String() string {
	switch s {
	case TreatPreparing:
		return "preparing"
	case TreatBooked:
		return "booked"
	case TreatPrinted:
		return "waybill printed"
	case TreatPickedUp:
		return "picked up"
	case TreatNotPickedUp:
		return "not picked up"
	case TreatCancelled:
		return "cancelled"
	default:
		return "unknown"
	}
}

// Cancellable reports whether the manual allows GetResCancelCmd in this status: a normal
// parcel up to and including 운송장출력 (02), a return parcel up to 소포신청 (01).
func (s TreatStatus) Cancellable(t ReqType) bool {
	switch s {
	case TreatPreparing, TreatBooked:
		return true
	case TreatPrinted:
		return t != ReqReturn
	}
	return false
}

// CancelOutcome is GetResCancelCmd's canceledYn.
type CancelOutcome string

// Cancel outcomes.
const (
	CancelDone    CancelOutcome = "Y" // 취소
	CancelRefused CancelOutcome = "N" // 미취소
	CancelDeleted CancelOutcome = "D" // 삭제 (cancelled and deleted)
)

// ContractStatusFilter is GetApprNo's statusCd.
type ContractStatusFilter string

// Contract status filters.
const (
	ContractApproved   ContractStatusFilter = "1" // 승인 (the service's default)
	ContractTerminated ContractStatusFilter = "4" // 해지
	ContractAnyStatus  ContractStatusFilter = "A" // both
)

var contractStatusFilters = []string{string(ContractApproved), string(ContractTerminated), string(ContractAnyStatus)}

// ExpiryFilter is GetApprNo's expiredYn.
type ExpiryFilter string

// Expiry filters.
const (
	ExpiredOnly    ExpiryFilter = "Y"
	NotExpiredOnly ExpiryFilter = "N"
	AnyExpiry      ExpiryFilter = "A" // the service's default
)

var expiryFilters = []string{string(ExpiredOnly), string(NotExpiredOnly), string(AnyExpiry)}

// OfficeDiv is officeDivCd (공급지 구분 코드). GetOfficeInfo's officeDivReqCd is a sum of them.
type OfficeDiv int

// Office kinds.
const (
	OfficeSenderAndReturn OfficeDiv = 1 // 발송지와 회수도착지 동일 (default)
	OfficeSender          OfficeDiv = 2 // 발송지
	OfficeReturn          OfficeDiv = 4 // 회수도착지
)

var officeDivs = []string{"1", "2", "4"}
