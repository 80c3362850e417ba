package alimtalk_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop/alimtalk"
)

func state(insp alimtalk.InspectionStatus, svc alimtalk.ServiceStatus) alimtalk.TemplateState {
	return alimtalk.TemplateState{Inspection: insp, Service: svc}
}

func TestLifecyclePermissions(t *testing.T) {
	t.Parallel()
	const (
		REG = alimtalk.InspectionRegistered
		REQ = alimtalk.InspectionRequested
		APR = alimtalk.InspectionApproved
		REJ = alimtalk.InspectionRejected
		R   = alimtalk.ServiceReady
		A   = alimtalk.ServiceActive
		S   = alimtalk.ServiceStopped
	)
	blocked := func(s alimtalk.TemplateState) alimtalk.TemplateState { s.Blocked = true; return s }
	dormant := func(s alimtalk.TemplateState) alimtalk.TemplateState { s.Dormant = true; return s }
	tests := []struct {
		name                                    string
		s                                       alimtalk.TemplateState
		edit, request, cancel, send, deleteable bool
	}{
		{name: "REG R", s: state(REG, R), edit: true, request: true, deleteable: true},
		{name: "REQ R", s: state(REQ, R), cancel: true},
		{name: "REJ R", s: state(REJ, R), edit: true, deleteable: true},
		{name: "APR A", s: state(APR, A), send: true},
		{name: "APR unreported service", s: state(APR, ""), send: true},
		{name: "APR R (not in service)", s: state(APR, R)},
		{name: "APR S (stopped)", s: state(APR, S)},
		{name: "APR A dormant", s: dormant(state(APR, A))},
		{name: "APR A blocked", s: blocked(state(APR, A))},
		{name: "REG R blocked", s: blocked(state(REG, R))},
		{name: "REG A (was in service)", s: state(REG, A), request: true},
		{name: "REJ S", s: state(REJ, S)},
		{name: "nothing reported", s: alimtalk.TemplateState{}},
	}
	check := func(t *testing.T, allowed bool, err error) {
		t.Helper()
		if allowed {
			assert.NoError(t, err)
			return
		}
		var se *alimtalk.StateError
		require.ErrorAs(t, err, &se)
		assert.ErrorIs(t, err, alimtalk.ErrNotAllowed)
		assert.NotEmpty(t, se.Reason)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			check(t, tc.edit, tc.s.CanEdit())
			check(t, tc.deleteable, tc.s.CanDelete())
			check(t, tc.request, tc.s.CanRequestReview())
			check(t, tc.cancel, tc.s.CanCancelReview())
			check(t, tc.send, tc.s.CanSend())
		})
	}
}

func TestLifecycleApply(t *testing.T) {
	t.Parallel()
	tests := []struct {
		from   alimtalk.TemplateState
		action alimtalk.Action
		to     alimtalk.TemplateState
		ok     bool
	}{
		{state("REG", "R"), alimtalk.ActionEdit, state("REG", "R"), true},
		{state("REJ", "R"), alimtalk.ActionEdit, state("REG", "R"), true},
		{state("REQ", "R"), alimtalk.ActionEdit, state("REQ", "R"), false},
		{state("APR", "A"), alimtalk.ActionEdit, state("APR", "A"), false},
		{state("REG", "R"), alimtalk.ActionRequestReview, state("REQ", "R"), true},
		{state("REJ", "R"), alimtalk.ActionRequestReview, state("REJ", "R"), false},
		{state("REQ", "R"), alimtalk.ActionRequestReview, state("REQ", "R"), false},
		{state("REQ", "R"), alimtalk.ActionCancelReview, state("REG", "R"), true},
		{state("REG", "R"), alimtalk.ActionCancelReview, state("REG", "R"), false},
		{state("REQ", "R"), alimtalk.ActionApprove, state("APR", "A"), true},
		{state("REQ", "R"), alimtalk.ActionReject, state("REJ", "R"), true},
		{state("REG", "R"), alimtalk.ActionApprove, state("REG", "R"), false},
		{state("APR", "A"), alimtalk.ActionReject, state("APR", "A"), false},
		{state("APR", "A"), alimtalk.ActionSend, state("APR", "A"), true},
		{state("REQ", "R"), alimtalk.ActionSend, state("REQ", "R"), false},
		{state("REG", "R"), alimtalk.ActionDelete, state("REG", "R"), true},
		{state("APR", "A"), alimtalk.ActionDelete, state("APR", "A"), false},
		{state("REG", "R"), alimtalk.Action(99), state("REG", "R"), false},
	}
	for _, tc := range tests {
		got, err := tc.from.Apply(tc.action)
		assert.Equal(t, tc.to, got, "%+v %s", tc.from, tc.action)
		if tc.ok {
			assert.NoError(t, err, "%+v %s", tc.from, tc.action)
		} else {
			assert.ErrorIs(t, err, alimtalk.ErrNotAllowed, "%+v %s", tc.from, tc.action)
		}
	}
}

func TestLifecycleFullReviewCycle(t *testing.T) {
	t.Parallel()
	s := state(alimtalk.InspectionRegistered, alimtalk.ServiceReady)
	steps := []alimtalk.Action{alimtalk.ActionRequestReview, alimtalk.ActionReject, alimtalk.ActionEdit,
		alimtalk.ActionRequestReview, alimtalk.ActionApprove, alimtalk.ActionSend}
	for _, a := range steps {
		var err error
		s, err = s.Apply(a)
		require.NoError(t, err, a.String())
	}
	assert.Equal(t, state(alimtalk.InspectionApproved, alimtalk.ServiceActive), s)
	_, err := s.Apply(alimtalk.ActionEdit)
	assert.EqualError(t, err, "alimtalk: cannot edit: only templates never put in service (status R) can change; status is A")
}

func TestStatusKnown(t *testing.T) {
	t.Parallel()
	for _, s := range []alimtalk.InspectionStatus{"REG", "REQ", "APR", "REJ"} {
		assert.True(t, s.Known())
	}
	assert.False(t, alimtalk.InspectionStatus("TSC03").Known())
	for _, s := range []alimtalk.ServiceStatus{"R", "A", "S"} {
		assert.True(t, s.Known())
	}
	assert.False(t, alimtalk.ServiceStatus("").Known())
}
