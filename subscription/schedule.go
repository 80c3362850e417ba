package subscription

import "time"

// Bounds of the search for the next round.
const (
	// maxSkippedPerSearch bounds the skipped rounds one search may record (a NextCycle
	// calendar that closes every cycle date); after it the next cycle date is used as is.
	maxSkippedPerSearch = 60
	// maxSearch bounds the cycle dates one search may pass over (a resume after years).
	maxSearch = 1 << 16
)

// scheduleNext makes the next round the current one. It is called when the subscription
// starts, after a round settles, on resume, and after changes that dropped the unfixed
// round. Rules, in order, for each cycle date from seg.next on:
//
//   - a cycle date whose charge instant is already past is passed over (not recorded), so
//     nothing is ever charged late by construction (resume after a long pause, catch-up
//     after an outage); a notice may still be late when its instant passed but the charge's
//     did not;
//   - under NextCycle a closed cycle date becomes a skipped round;
//   - a delivery date on or before the previous delivered round's (NextOpenDay moved it
//     there) becomes a skipped round: only one of two colliding rounds is delivered;
//   - otherwise it becomes the scheduled current round.
//
// Nothing is scheduled when the subscription is not active or its round limit is reached.
func (s *Subscription) scheduleNext(now time.Time) {
	s.cur = -1
	if s.state != StateActive || (s.limit > 0 && s.charged >= s.limit) {
		return
	}
	prev := s.lastDelivered()
	skipped := 0
	for search := 0; search < maxSearch; search++ {
		idx := s.seg.next
		s.seg.next++
		rd := s.rules.datesFor(idx, s.seg.nominal(idx))
		if skipped >= maxSkippedPerSearch && rd.SkipReason == SkipClosedDay {
			// A calendar that closes every cycle date is ignored rather than stalling
			// (under NextCycle the delivery date is the cycle date itself).
			rd.Skipped, rd.SkipReason = false, SkipNone
		}
		if rd.ChargeAt.Before(now) {
			continue
		}
		if !rd.Skipped && !prev.IsZero() && !rd.Delivery.After(prev) {
			rd.Skipped, rd.SkipReason = true, SkipCollision
		}
		r := Round{Seq: s.nextSeq, Number: s.charged + 1, RoundDates: rd, Status: RoundScheduled}
		s.nextSeq++
		if rd.Skipped {
			r.Status, r.SettledAt = RoundSkipped, now
			s.rounds = append(s.rounds, r)
			skipped++
			continue
		}
		s.rounds = append(s.rounds, r)
		s.cur = len(s.rounds) - 1
		return
	}
}

// lastDelivered returns the delivery date of the latest charged round (zero if none).
func (s *Subscription) lastDelivered() Date {
	for i := len(s.rounds) - 1; i >= 0; i-- {
		if s.rounds[i].Status == RoundCharged {
			return s.rounds[i].Delivery
		}
	}
	return Date{}
}

// dropUnfixed removes the current round when its notice was not prepared yet, so that a
// pause, a cycle change or a lower limit can reschedule it; its cycle position will be
// considered again. It reports whether a round was dropped.
func (s *Subscription) dropUnfixed() bool {
	r := s.current()
	if r == nil || fixedRound(r) {
		return false
	}
	s.seg.next = r.CycleIndex
	s.rounds = s.rounds[:s.cur]
	s.cur = -1
	return true
}

// freeze fixes the current round's items and amount (the notice fixes the order
// and the amount). It is idempotent.
func (s *Subscription) freeze(r *Round, now time.Time) {
	if r.Fixed {
		return
	}
	r.Fixed = true
	r.FixedAt = now
	r.Items = cloneItems(s.items)
	r.Quote = s.plan.Quote(r.Number, r.Items)
}

// refresh recomputes the pending action and publishes its instant for the planner. Call
// it, under the lock, at the end of every mutation.
func (s *Subscription) refresh() {
	var p pendingAction
	if s.state == StateActive {
		if r := s.current(); r != nil {
			switch r.Status {
			case RoundScheduled:
				p = pendingAction{kind: ActionSendNotice, seq: r.Seq, number: r.Number, at: r.NoticeAt}
			case RoundNoticed:
				p = pendingAction{kind: ActionCharge, seq: r.Seq, number: r.Number, attempt: 1, at: r.ChargeAt}
			case RoundRetrying:
				if at, ok := s.rules.retry.slot(r.FirstFailureAt, r.Attempts-1); ok {
					p = pendingAction{kind: ActionRetryCharge, seq: r.Seq, number: r.Number, attempt: r.Attempts + 1, at: at}
				}
			}
		} else if s.limit > 0 && s.charged >= s.limit {
			// The subscription ends on the day of its last delivery, so the buyer can still
			// raise the limit until then.
			p = pendingAction{kind: ActionExpire, seq: -1, number: s.charged, at: s.lastChargedDelivery.At(TimeOfDay{})}
		}
	}
	s.pending = p
	if p.kind == 0 {
		s.nextDue.Store(noDue)
	} else {
		s.nextDue.Store(p.at.UnixNano())
	}
}
