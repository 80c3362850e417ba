package subscription

import (
	"slices"
	"time"

	"github.com/kshop-dev/kshop"
)

const (
	// maxAgendaWindow bounds the window of one agenda.
	maxAgendaWindow = 366 * 24 * time.Hour
	// maxAgendaSteps bounds the actions projected per subscription (a weekly cycle over a
	// year plans about 110: notices, charges, the retries of a round in progress, expiry).
	maxAgendaSteps = 1000
)

// Agenda returns the actions planned for instants in [from, to) (at most a year apart):
// payment notices, charges, retries of a failed charge and expiries, in the order Due
// returns them (instant, subscription ID, round). It is what a worker calling Due through
// the window would be given, assuming every notice is sent and every charge succeeds at its
// instant (a charge that fails would add retries Agenda cannot foresee). An action already
// due before from and not yet recorded is assumed done now and is not listed, but what
// follows from it is.
//
// Agenda records nothing: subscriptions are projected on private copies. Paused and ended
// subscriptions have no agenda. Bad windows are refused with a *kshop.ValidationError.
func (p *Planner) Agenda(from, to time.Time) ([]Action, error) {
	var ps problems
	if from.IsZero() {
		ps.arg("from", kshop.RuleRequired, "")
	}
	if to.IsZero() {
		ps.arg("to", kshop.RuleRequired, "")
	}
	if ps.empty() {
		switch {
		case !to.After(from):
			ps.arg("to", kshop.RuleRange, "after from")
		case to.Sub(from) > maxAgendaWindow:
			ps.arg("to", kshop.RuleRange, "at most 366 days after from")
		}
	}
	if err := ps.err("subscription.Planner.Agenda"); err != nil {
		return nil, err
	}
	p.mu.RLock()
	subs := slices.Clone(p.subs)
	p.mu.RUnlock()
	var out []Action
	for _, s := range subs {
		out = s.appendAgenda(out, from, to)
	}
	sortActions(out)
	return out, nil
}

// appendAgenda projects s through [from, to) on a copy, appending the planned actions.
func (s *Subscription) appendAgenda(dst []Action, from, to time.Time) []Action {
	if s.nextDue.Load() >= to.UnixNano() {
		return dst // nothing pending before to: nothing can follow either
	}
	s.mu.Lock()
	sim := restore(s.rules, s.snapshotLocked())
	s.mu.Unlock()
	clock := s.rules.Now()
	for step := 0; step < maxAgendaSteps; step++ {
		if sim.pending.kind == 0 || !sim.pending.at.Before(to) {
			break
		}
		a := sim.actionLocked()
		if !a.At.Before(from) {
			dst = append(dst, a)
		}
		// An overdue action is done when the worker next runs, i.e. now.
		now := a.At
		if now.Before(clock) {
			now = clock
		}
		switch a.Kind {
		case ActionSendNotice:
			sim.noticeSentLocked(now)
		case ActionCharge, ActionRetryCharge:
			r := sim.current()
			r.Attempts++
			sim.chargedLocked(r, "", now)
			sim.scheduleNext(now)
			sim.refresh()
		case ActionExpire:
			sim.expireLocked(now)
		default:
			return dst
		}
	}
	return dst
}
