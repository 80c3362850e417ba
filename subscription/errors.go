package subscription

import (
	"errors"
	"fmt"
	"strings"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/internal/phone"
)

// Sentinel errors. Match them with errors.Is. Bad input comes back as one
// *kshop.ValidationError listing every problem; a problem with a more specific cause carries
// one of these sentinels in its kshop.FieldError.Err, so errors.Is(err, ErrNotOffered) works on
// the whole error.
var (
	// ErrInvalid is kshop.ErrInvalid, matched by every validation error.
	ErrInvalid = kshop.ErrInvalid
	// ErrNotOffered: the chosen cycle or round limit is not one of the plan's options.
	ErrNotOffered = errors.New("not offered by the plan")

	// ErrNotEligible is matched by ErrSetProduct, ErrBundleEventProduct and
	// ErrProductNotEnabled: the product cannot be sold by subscription.
	ErrNotEligible = errors.New("product not eligible for recurring delivery")
	// ErrSetProduct: set products (세트상품) cannot be sold by subscription (Cafe24
	// 정기배송(정기결제) FAQ).
	ErrSetProduct error = &notEligible{"set products cannot be subscribed"}
	// ErrBundleEventProduct: 1+N event products cannot be sold by subscription (Cafe24
	// 정기배송(정기결제) FAQ).
	ErrBundleEventProduct error = &notEligible{"1+N event products cannot be subscribed"}
	// ErrProductNotEnabled: the product is not marked for recurring delivery.
	ErrProductNotEnabled error = &notEligible{"product is not enabled for recurring delivery"}
	// ErrPaymentMethod: recurring billing accepts card payment only (Cafe24 정기배송(정기결제)
	// FAQ).
	ErrPaymentMethod = errors.New("recurring billing accepts card payment only")

	// ErrNotAllowed is matched by every *TransitionError.
	ErrNotAllowed = errors.New("transition not allowed")
	// ErrSubscriptionEnded: the subscription is cancelled, expired, terminated or failed.
	ErrSubscriptionEnded = errors.New("subscription has ended")
	// ErrWrongState: the action needs another subscription state (e.g. resume when not paused).
	ErrWrongState = errors.New("action not allowed in this state")
	// ErrRoundFixed: the round's order and amount were fixed by the payment notice.
	ErrRoundFixed = errors.New("round amount is fixed by the payment notice")
	// ErrRoundCharged: the round was already charged (its order exists).
	ErrRoundCharged = errors.New("round is already charged")
	// ErrNoSuchRound: no upcoming round with that slot.
	ErrNoSuchRound = errors.New("no such upcoming round")
	// ErrBelowCurrentRound: a round limit below the rounds already charged or fixed.
	ErrBelowCurrentRound = errors.New("round limit below the current round")
	// ErrStaleAction: the action is no longer pending (already recorded, or the round changed).
	ErrStaleAction = errors.New("action is no longer pending")

	// ErrDuplicateSubscription: a planner already holds a subscription with that ID.
	ErrDuplicateSubscription = errors.New("duplicate subscription ID")
	// ErrBillingKeyDeletion is matched by every *BillingKeyError.
	ErrBillingKeyDeletion = errors.New("billing key deletion failed")
)

// notEligible is a product refusal that also matches ErrNotEligible, so one errors.Is
// catches every reason a product cannot be subscribed.
type notEligible struct{ msg string }

func (e *notEligible) Error() string { return e.msg }

func (e *notEligible) Is(target error) bool { return target == ErrNotEligible }

// PhoneError is the cause (kshop.FieldError.Err) of a problem with a phone number, reached
// with errors.As; its Reason says what is wrong and its text never holds the full number.
type PhoneError = phone.Error

// TransitionError reports an action that the subscription or round cannot take now. It
// names the current state (and round, when one is involved) and the attempted action.
type TransitionError struct {
	SubscriptionID string
	State          State
	// RoundSeq is the round's Seq, or -1 when no round is involved.
	RoundSeq int
	// RoundStatus is the round's status when RoundSeq >= 0.
	RoundStatus RoundStatus
	// Action names what was attempted ("pause", "skip round", "record charge", …).
	Action string
	// Reason is one of the sentinels (ErrSubscriptionEnded, ErrRoundFixed, …).
	Reason error
}

// Error implements error.
func (e *TransitionError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "subscription %s: cannot %s in state %s", e.SubscriptionID, e.Action, e.State)
	if e.RoundSeq >= 0 {
		fmt.Fprintf(&b, " (round %d is %s)", e.RoundSeq, e.RoundStatus)
	}
	if e.Reason != nil {
		b.WriteString(": ")
		b.WriteString(e.Reason.Error())
	}
	return b.String()
}

// Unwrap lets errors.Is match ErrNotAllowed and the specific reason.
func (e *TransitionError) Unwrap() []error {
	if e.Reason == nil {
		return []error{ErrNotAllowed}
	}
	return []error{ErrNotAllowed, e.Reason}
}

// BillingKeyError reports a failed billing-key deletion during a gateway reset. The key
// reference is masked (at most its last 4 characters are kept).
type BillingKeyError struct {
	SubscriptionID string
	MaskedKeyRef   string
	Err            error
}

// Error implements error.
func (e *BillingKeyError) Error() string {
	return fmt.Sprintf("subscription %s: delete billing key %s: %v", e.SubscriptionID, e.MaskedKeyRef, e.Err)
}

// Unwrap lets errors.Is match ErrBillingKeyDeletion and the deleter's own error.
func (e *BillingKeyError) Unwrap() []error { return []error{ErrBillingKeyDeletion, e.Err} }

// maskKeyRef keeps the last 4 characters of a billing key reference longer than 8
// characters and masks shorter ones whole: billing keys let a holder charge the card, so
// they never appear whole in errors or logs.
func maskKeyRef(ref string) string {
	r := []rune(ref)
	if len(r) <= 8 {
		return strings.Repeat("*", len(r))
	}
	return strings.Repeat("*", 4) + string(r[len(r)-4:])
}
