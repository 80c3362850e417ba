// Package subscription is the domain of recurring delivery with card billing (정기배송 /
// 정기결제) as Korean shop platforms run it: plans and cycles, rounds (회차), payment-notice
// and charge dates, Korean public holidays and shop closed days, the rules for changes after
// the payment notice, billing retries, payment-gateway resets, and a planner that tells a
// worker what is due.
//
// It is pure Go with no I/O: the clock is injected (WithTimeSource; by default the rules read
// the machine clock, nothing else does), the billing-key deleter of GatewayReset is injected, and
// notifications leave as Event values (with Vars for AlimTalk #{…} templates) that the
// caller sends, e.g. through package alimtalk, which this package does not import.
//
// # Dates and time zone
//
// Every date is a Korean civil Date (year, month, day), so a delivery date can never move by
// a day through a time-zone conversion. Instants (notice at 09:00, retry at 17:00) combine a
// Date with a TimeOfDay in KST (kshop.KST(), a fixed UTC+9 zone; no tzdata needed). DateOf
// converts any instant to its Korean date.
//
// # Lifecycle
//
// A Plan (the product-group rule) offers cycles, round limits and per-round discounts.
// NewSubscription checks an Application against it and schedules the first round. Each
// round goes scheduled → noticed → charged, or through retrying to charged or failed; a round
// may also end skipped or cancelled. The subscription is active or paused until it ends:
// cancelled by the buyer or the shop, expired (round limit reached), terminated (gateway
// reset) or failed (retries exhausted under FailSubscription).
//
// A worker loops on Planner.Due(now). Each Action has a stable ID; the worker does the side
// effect with that ID as its idempotency key (AlimTalk send key, gateway order ID) and then
// records the outcome (RecordNoticeSent, RecordCharge, RecordExpired). Due changes nothing:
// an action whose outcome was not recorded (the worker crashed) is returned again with the
// same ID, and an action already recorded is not; recording a stale action returns
// ErrStaleAction, never a second state change.
//
// # Restarts and the operator's view
//
// Snapshot copies a subscription's whole state; Restore rebuilds it after a restart (store
// the snapshots of Planner.All, then Restore each and Planner.Add them). Planner.Agenda lists
// the notices, charges and retries planned between two instants (tomorrow's work, for an
// operator) without recording anything.
//
// # Errors
//
// Bad input is refused before anything changes, with one *kshop.ValidationError listing
// every problem: Op names the call ("subscription.NewSubscription"), and each
// *kshop.FieldError gives the Go field path (Field "Items[1].UnitPrice"), its snake_case key
// (Key "items[1].unit_price", for a shop's form or JSON API; "" for function arguments and
// options), the rule broken and the limit. errors.Is(err, kshop.ErrInvalid) holds for all of
// them, and a problem with a specific cause carries it (ErrNotOffered, ErrSetProduct,
// ErrPaymentMethod, a *PhoneError), so errors.Is works on the whole error. Texts never hold
// personal data. A change the subscription cannot take in its state is a *TransitionError.
//
// # Rules taken from the platforms (fidelity)
//
//	Fact                                                   Source                                   Status     Configurable
//	Cycles 1W 2W 3W 4W 1M 2M 3M 4M 5M 6M 1Y                Cafe24 Admin API field catalogue         confirmed  Plan.Cycles
//	Round limits 2 3 4 6 8 10 12, 0 = unlimited            Cafe24 (API lists no 8)                  confirmed  Plan.RoundLimits
//	Discounts percent (≤100) or amount, from round N on    Cafe24 discount_values                   confirmed  Plan.Discounts
//	Earliest start = today + 1–30 days, default 3          Cafe24 shipments_start_date              inferred   Plan.StartOffsetDays
//	Set and 1+N event products refused; card only          Cafe24 정기배송(정기결제) FAQ            confirmed  -
//	Notice 2 days before delivery, charge 1 day before     Cafe24 FAQ and support article          confirmed  WithNoticeOffset, WithChargeOffset
//	Notice and charge at 09:00 KST                         not published                            inferred   WithNoticeTime, WithChargeTime
//	Notice fixes order and amount; some items cancelled    Cafe24 정기배송(정기결제) FAQ            confirmed  -
//	  after it → next round; all cancelled → no charge,
//	  subscription ends
//	Price changes apply from the next round                Cafe24 support article                   confirmed  -
//	Retries 10:00 and 17:00 for 3 days                     Cafe24 notice 2023-03-02                 confirmed  WithRetrySchedule
//	After exhaustion: continue with the next round         Cafe24 (earlier "skip to next round")    inferred   WithExhaustionPolicy
//	Limit reached → 해지; buyer may change the count,      Cafe24 support article                   confirmed  SetRoundLimit
//	  not below the current round
//	Gateway change/reset: all terminated, cards deleted,   Cafe24 정기배송(정기결제) FAQ            confirmed  GatewayReset
//	  mail to customer and operator
//	Business-day offsets skipping weekends                 Godomall 정기결제 manual                 confirmed  WithOffsetMode(BusinessDays)
//	Closed day → next open day or next cycle; colliding    Makeshop FAQ                             confirmed  WithClosedDayPolicy
//	  rounds deliver once
//	Month-end clamp keeping the anchor day                 Stripe billing anchor, Imweb             confirmed  -
//
// # Decisions where the sources are silent
//
//   - Round numbers (회차) count charged rounds: a skipped or failed round does not use up a
//     number, so discounts "from round 5" apply to the fifth delivery. Every round also has a
//     Seq, unique and never reused, that action IDs use.
//   - The amount is fixed when the notice is prepared (Subscription.Notice) or, at the
//     latest, recorded; a change made before that, even after the notice instant, still
//     applies to the round. A re-run after a crash gets the same notice content.
//   - Pause and SkipRound are refused once the round is fixed (ErrRoundFixed): the noticed
//     amount is charged (Cafe24 FAQ), and the only way to stop a fixed round is cancelling every
//     item or the subscription, which cancels it without a charge.
//   - Resume and every new round take the first cycle date, counted from the schedule's
//     anchor, whose charge instant has not passed: nothing is charged late by construction;
//     cycle dates missed while paused are not delivered. A notice whose instant passed is
//     sent late (at once).
//   - ChangeCycle re-anchors on the fixed round or the last charged round (else the start
//     date); monthly-to-monthly changes keep the anchor day.
//   - ChangeReceiver applies to every round not yet charged, a noticed one included; the
//     receiver is copied into a round when it is charged.
//   - Expiry becomes due on the last delivery date (00:00 KST), so a buyer can still raise
//     the limit until then.
//   - Retries count from the instant the first failure is recorded; a retry slot at or
//     before it is not used (a 09:00 failure gets six retries, a 12:00 one five).
//   - Percent discounts are floored to the won (원 단위 절사); amount discounts never exceed
//     the subtotal. Money is int64 KRW; item limits keep every sum far from overflow.
//   - GatewayReset deletes the keys of ended subscriptions too (the platform deletes every
//     stored card), deletes a shared key once, and can be re-run to retry failed deletions.
//
// # Korean public holidays
//
// NewKoreanPublicHolidays covers 2024–2030 from a per-year table of lunar dates (설날,
// 부처님오신날, 추석), checked against KASI's 월력요항 (as published in hyunbinseo/holidays-kr
// for 2024–2027) and python-holidays' Korean lunisolar data. Substitute holidays are computed
// by the rules of 관공서의 공휴일에 관한 규정 and tested against the published lists.
// Decisions: 제헌절 (a public holiday again from 2026) takes Saturday/Sunday substitutes like
// the other national days, as KASI's 2027 almanac shows (2027-07-19); 노동절 (May 1) is a
// public holiday from 2026 with the same substitutes (2027-05-03 in that almanac; opt out
// with ExcludeLabourDay). Election days are included where held or fixed by statute (not the
// 2030 presidential election). Temporary holidays (임시공휴일) are decreed at short notice:
// add them with NewShopClosedDays and Union.
//
// # Concurrency
//
// Safe for concurrent use: *Subscription (a mutex guards its state; the instant of its next
// action is also kept in an atomic, so Due passes over a subscription with nothing due
// without locking it), *Planner (read-write mutex), *Rules, *KoreanPublicHolidays,
// *ShopClosedDays and the calendars from Weekends and Union (immutable). A Calendar or
// TimeSource supplied by the caller must be safe for concurrent use too. Plan, Application,
// Snapshot, Round, Event and Action are plain values: copy them freely, but do not share one
// mutable value between goroutines without synchronisation. A Subscription copies the Plan
// and items it is given.
package subscription
