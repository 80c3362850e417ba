package shipping

import (
	"errors"

	"github.com/kshop-dev/kshop/epost"
)

// Cause is why a line's status changed.
type Cause string

// Causes of transitions.
const (
	// CauseReservation: the waybill was reserved with Korea Post (예약하기): a payment-group line
	// moves to 상품준비중.
	CauseReservation Cause = "reservation"
	// CausePrint: the waybill was printed (운송장 출력): the line moves to 배송중.
	CausePrint Cause = "print"
	// CauseTracking: Korea Post's tracking moved the parcel on: 배송중 when it left, 배송완료
	// when it was delivered.
	CauseTracking Cause = "tracking"
	// CauseManual: an operator set the status by hand; the line is unlinked from its waybill.
	CauseManual Cause = "manual"
)

// ErrRefused is matched by every *TransitionError.
var ErrRefused = errors.New("shipping: transition refused")

// TransitionError reports a transition the workflow does not allow, such as printing a
// cancelled line or a reservation for a line that is already 배송중.
type TransitionError struct {
	From   Status
	Cause  Cause
	Reason string
}

// Error describes the refusal.
func (e *TransitionError) Error() string {
	return "shipping: " + string(e.Cause) + " cannot move a line in " + e.From.String() + ": " + e.Reason
}

// Is makes errors.Is(err, ErrRefused) true.
func (e *TransitionError) Is(target error) bool { return target == ErrRefused }

// Transition is the workflow as a pure function: the status a line in from moves to for an
// automatic cause (reservation, print, tracking with the parcel's status). to == from means the
// cause leaves the line as it is (a goods-group line keeps its status at reservation, a
// reprinted label, a parcel still in transit). A refusal is a *TransitionError: closed families
// (cancel, failure, return, exchange, refund), 구매확정, unknown codes, and every move backwards.
// CauseManual is not decided here: an operator may set any known status.
//
//	cause        from                        to
//	reservation  payment group (p1)          g1 상품준비중
//	reservation  goods group (g1–g4 in use)  unchanged
//	print        payment or goods group      d1 배송중
//	print        d1                          unchanged (reprint)
//	tracking     goods group, picked up …    d1 배송중
//	tracking     payment/goods group, d1,    d2 배송완료 when delivered
//	tracking     d1 not delivered, d2        unchanged
func Transition(cfg StatusConfig, from Status, cause Cause, tracked epost.TrackingStatus) (Status, error) {
	refuse := func(reason string) (Status, error) {
		return from, &TransitionError{From: from, Cause: cause, Reason: reason}
	}
	switch {
	case !from.Known():
		return refuse("unknown status")
	case from.Family().Closed():
		return refuse("the line is in a closed family (" + from.Family().String() + ")")
	case from == StatusConfirmed:
		return refuse("the purchase is confirmed")
	}
	eligible := cfg.Eligible(from)
	switch cause {
	case CauseReservation:
		switch {
		case cfg.InPayment(from):
			return StatusPreparing, nil
		case cfg.InGoods(from):
			return from, nil
		}
		return refuse("only payment- and goods-group lines can be reserved")
	case CausePrint:
		switch {
		case eligible:
			return StatusShipping, nil
		case from == StatusShipping:
			return from, nil
		}
		return refuse("only lines before 배송중 can be printed")
	case CauseTracking:
		switch {
		case from == StatusDelivered:
			return from, nil
		case tracked == epost.StatusDelivered && (eligible || from == StatusShipping):
			return StatusDelivered, nil
		case from == StatusShipping:
			return from, nil
		case !eligible:
			return refuse("tracking moves lines before 배송완료 only")
		}
		switch tracked {
		case epost.StatusPickedUp, epost.StatusInTransit, epost.StatusOutForDelivery:
			return StatusShipping, nil
		}
		return from, nil
	case CauseManual:
		return refuse("manual changes are not automatic transitions")
	}
	return refuse("unknown cause")
}
