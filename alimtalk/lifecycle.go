package alimtalk

// InspectionStatus is Kakao's review status of a template (kapi inspectionStatus; NHN's
// TSC01–TSC04 and Solapi's strings map onto it).
type InspectionStatus string

// Inspection statuses: REG → REQ → APR | REJ.
const (
	InspectionRegistered InspectionStatus = "REG" // 등록: saved, not submitted
	InspectionRequested  InspectionStatus = "REQ" // 검수요청: under Kakao's review
	InspectionApproved   InspectionStatus = "APR" // 승인: approved, may be sent
	InspectionRejected   InspectionStatus = "REJ" // 반려: rejected; edit, then request again
)

// Known reports whether s is one of the four statuses.
func (s InspectionStatus) Known() bool {
	switch s {
	case InspectionRegistered, InspectionRequested, InspectionApproved, InspectionRejected:
		return true
	}
	return false
}

// ServiceStatus is Kakao's service status of a template (kapi status).
type ServiceStatus string

// Service statuses.
const (
	ServiceReady   ServiceStatus = "R" // 대기(발송전): not in service yet
	ServiceActive  ServiceStatus = "A" // 정상: in service
	ServiceStopped ServiceStatus = "S" // 중지: stopped
)

// Known reports whether s is one of the three statuses.
func (s ServiceStatus) Known() bool {
	switch s {
	case ServiceReady, ServiceActive, ServiceStopped:
		return true
	}
	return false
}

// TemplateState is where a template stands in Kakao's lifecycle. The zero value means "not
// reported": Message.Prepare checks sendability only when Inspection is set.
type TemplateState struct {
	// Inspection is the review status.
	Inspection InspectionStatus
	// Service is the service status. An empty Service with an approved inspection is taken
	// as "not reported by the vendor" and does not block sending.
	Service ServiceStatus
	// Dormant is set by Kakao after a year without sends (released on request; a released
	// template goes dormant again after 30 idle days). Dormant templates cannot be sent.
	Dormant bool
	// Blocked is set by Kakao (or the provider); blocked templates cannot be sent or edited.
	Blocked bool
}

// Action is something done to a template.
type Action int

// Template actions. Edit, Delete, RequestReview and CancelReview are the shop's; Approve and
// Reject are Kakao's answers to a review; Send is using the template.
const (
	ActionEdit Action = iota + 1
	ActionDelete
	ActionRequestReview
	ActionCancelReview
	ActionApprove
	ActionReject
	ActionSend
)

// String names the action in a verb phrase ("request review").
func (a Action) String() string {
	switch a {
	case ActionEdit:
		return "edit"
	case ActionDelete:
		return "delete"
	case ActionRequestReview:
		return "request review"
	case ActionCancelReview:
		return "cancel review"
	case ActionApprove:
		return "approve"
	case ActionReject:
		return "reject"
	case ActionSend:
		return "send"
	default:
		return "act"
	}
}

func (s TemplateState) refuse(a Action, reason string) error {
	return &StateError{Action: a, State: s, Reason: reason}
}

// CanEdit reports whether the template may be changed: only before it was ever in service
// (service R) and while not under review or approved (inspection REG or REJ), per kapi. An
// approved template is never edited: register a new one. The error is a *StateError.
func (s TemplateState) CanEdit() error { return s.canChange(ActionEdit) }

// CanDelete follows the same rule as CanEdit (kapi: edit and delete need service R and
// inspection REG or REJ).
func (s TemplateState) CanDelete() error { return s.canChange(ActionDelete) }

func (s TemplateState) canChange(a Action) error {
	switch {
	case s.Blocked:
		return s.refuse(a, "the template is blocked")
	case s.Service != ServiceReady:
		return s.refuse(a, "only templates never put in service (status R) can change; status is "+quoteOrUnset(string(s.Service)))
	case s.Inspection != InspectionRegistered && s.Inspection != InspectionRejected:
		return s.refuse(a, "only registered (REG) or rejected (REJ) templates can change; inspection is "+quoteOrUnset(string(s.Inspection)))
	}
	return nil
}

// CanRequestReview reports whether the template may be submitted to Kakao: only in REG
// (kapi). A rejected template is edited first, which puts it back to REG.
func (s TemplateState) CanRequestReview() error {
	switch {
	case s.Blocked:
		return s.refuse(ActionRequestReview, "the template is blocked")
	case s.Inspection == InspectionRejected:
		return s.refuse(ActionRequestReview, "a rejected (REJ) template must be edited before it is submitted again")
	case s.Inspection != InspectionRegistered:
		return s.refuse(ActionRequestReview, "only registered (REG) templates can be submitted; inspection is "+quoteOrUnset(string(s.Inspection)))
	}
	return nil
}

// CanCancelReview reports whether a pending review may be withdrawn: only in REQ (kapi).
func (s TemplateState) CanCancelReview() error {
	if s.Inspection != InspectionRequested {
		return s.refuse(ActionCancelReview, "only templates under review (REQ) can be withdrawn; inspection is "+quoteOrUnset(string(s.Inspection)))
	}
	return nil
}

// CanSend reports whether messages may be sent with the template: approved (APR), in
// service (A, or a service status the vendor did not report), not dormant and not blocked.
func (s TemplateState) CanSend() error {
	switch {
	case s.Blocked:
		return s.refuse(ActionSend, "the template is blocked")
	case s.Dormant:
		return s.refuse(ActionSend, "the template is dormant (unused for a year); release it first")
	case s.Inspection != InspectionApproved:
		return s.refuse(ActionSend, "only approved (APR) templates can be sent; inspection is "+quoteOrUnset(string(s.Inspection)))
	case s.Service == ServiceStopped:
		return s.refuse(ActionSend, "the template is stopped (status S)")
	case s.Service == ServiceReady:
		return s.refuse(ActionSend, "the template is not in service yet (status R)")
	case s.Service != "" && s.Service != ServiceActive:
		return s.refuse(ActionSend, "unknown service status "+quoteOrUnset(string(s.Service)))
	}
	return nil
}

// Apply returns the state after action a, or a *StateError when a is not allowed. Edit
// leaves the template in REG (a rejected template must be submitted again); RequestReview
// moves REG → REQ; CancelReview REQ → REG; Approve (Kakao) REQ → APR with service A; Reject
// (Kakao) REQ → REJ. Delete and Send do not change the state (Apply only checks them).
func (s TemplateState) Apply(a Action) (TemplateState, error) {
	next := s
	switch a {
	case ActionEdit:
		if err := s.CanEdit(); err != nil {
			return s, err
		}
		next.Inspection = InspectionRegistered
	case ActionDelete:
		if err := s.CanDelete(); err != nil {
			return s, err
		}
	case ActionRequestReview:
		if err := s.CanRequestReview(); err != nil {
			return s, err
		}
		next.Inspection = InspectionRequested
	case ActionCancelReview:
		if err := s.CanCancelReview(); err != nil {
			return s, err
		}
		next.Inspection = InspectionRegistered
	case ActionApprove, ActionReject:
		if s.Inspection != InspectionRequested {
			return s, s.refuse(a, "Kakao answers only templates under review (REQ); inspection is "+quoteOrUnset(string(s.Inspection)))
		}
		if a == ActionApprove {
			next.Inspection, next.Service = InspectionApproved, ServiceActive
		} else {
			next.Inspection = InspectionRejected
		}
	case ActionSend:
		if err := s.CanSend(); err != nil {
			return s, err
		}
	default:
		return s, s.refuse(a, "unknown action")
	}
	return next, nil
}

func quoteOrUnset(s string) string {
	if s == "" {
		return "not set"
	}
	return s
}
