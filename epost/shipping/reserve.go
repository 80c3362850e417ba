package shipping

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/epost"
	"github.com/kshop-dev/kshop/internal/wire"
)

// Failure is a waybill an operation could not handle, and why. Err never holds personal data.
type Failure struct {
	WaybillID string
	Err       error
}

// ReserveReport is what step 2 did.
type ReserveReport struct {
	// Reserved are the waybills booked now (including ones a reconciliation found booked).
	Reserved []Waybill
	// Events are the status changes the reservations made (payment group → 상품준비중).
	Events []Event
	// Unknown lists waybills whose booking is still unknown: nothing was sent again; the next
	// Reserve or sync reconciles them.
	Unknown []string
	// ContactErrors are lines whose contact Korea Post (or the client's checks) refused; their
	// waybill is voided and they can be issued again after a correction.
	ContactErrors []LineRef
	// Failed are waybills Korea Post refused or that could not be sent; they stay in the
	// step-2 list.
	Failed []Failure
}

// Reserve is step 2 (예약하기): it books each waybill with Korea Post (InsertOrder, printYn=Y)
// and records the waybill number; payment-group lines move to 상품준비중, goods-group lines keep
// their status, and the lines become linked. No IDs means the whole step-2 list. A waybill
// whose earlier reservation is unknown is reconciled (ReconcileOrder on every date it may
// carry) before anything is sent: if Korea Post has it, it is recorded, never booked twice.
func (s *Shipper) Reserve(ctx context.Context, waybillIDs ...string) (*ReserveReport, error) {
	const op = "shipping.Reserve"
	if err := wire.CheckContext(ctx, op); err != nil {
		return nil, err
	}
	if len(waybillIDs) == 0 {
		list, err := s.Waybills(ctx, ToReserve)
		if err != nil {
			return nil, err
		}
		for _, w := range list {
			waybillIDs = append(waybillIDs, w.ID)
		}
	}
	rep := &ReserveReport{}
	for _, id := range waybillIDs {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		if err := s.reserveOne(ctx, id, rep); err != nil {
			return rep, err
		}
	}
	s.log.LogAttrs(ctx, slog.LevelInfo, "shipping: reservations", slog.Int("reserved", len(rep.Reserved)),
		slog.Int("unknown", len(rep.Unknown)), slog.Int("failed", len(rep.Failed)), slog.Int("contact_errors", len(rep.ContactErrors)))
	s.deliver(ctx)
	return rep, nil
}

// reserveOne handles one waybill; its error is a store failure, which stops Reserve.
func (s *Shipper) reserveOne(ctx context.Context, id string, rep *ReserveReport) error {
	if !s.claim(id) {
		rep.Unknown = append(rep.Unknown, id)
		return nil
	}
	defer s.release(id)
	w, err := s.Waybill(ctx, id)
	if errors.Is(err, ErrNotFound) {
		rep.Failed = append(rep.Failed, Failure{id, fmt.Errorf("shipping: waybill %q: %w", id, ErrNotFound)})
		return nil
	} else if err != nil {
		return err
	}
	switch w.State {
	case WaybillIssued:
	case WaybillReserving, WaybillReserveUnknown:
		if w.State == WaybillReserving && s.now().Sub(w.PlannedAt) < s.cfg.InFlightGrace {
			rep.Unknown = append(rep.Unknown, id) // another caller's InsertOrder may be under way
			return nil
		}
		booked, err := s.resolveReservation(ctx, w, rep)
		if err != nil || booked {
			return err
		}
		if w, err = s.Waybill(ctx, id); err != nil {
			return err
		}
		if w.State != WaybillIssued {
			return nil
		}
	default:
		rep.Failed = append(rep.Failed, Failure{id, fmt.Errorf("shipping: waybill %q is %s: %w", id, w.State, ErrWrongState)})
		return nil
	}

	// Write the plan (state reserving, the dates the booking may carry) before sending.
	var req epost.InsertOrderRequest
	var send bool
	now := s.now()
	err = s.updateReporting(ctx, rep, func(tx Tx, rep *ReserveReport) error {
		send = false
		w, err := tx.Waybill(id)
		if err != nil {
			return err
		}
		if w.State != WaybillIssued {
			return nil
		}
		o, err := tx.Order(w.OrderID)
		if err != nil {
			return err
		}
		if !contactOK(o.Recipient) {
			return s.voidForContact(tx, o, w, rep)
		}
		// Lines that can no longer be reserved (cancelled meanwhile) leave the waybill.
		var keep []string
		for _, lid := range w.LineIDs {
			ln := o.line(lid)
			if ln == nil || ln.WaybillID != id {
				continue
			}
			if _, err := Transition(s.cfg.Statuses, ln.Status, CauseReservation, 0); err != nil {
				ln.Issue, ln.WaybillID = IssueNone, ""
				continue
			}
			keep = append(keep, lid)
		}
		w.LineIDs = keep
		if len(keep) == 0 {
			w.State, w.LastError = WaybillVoided, "no line can be reserved"
			rep.Failed = append(rep.Failed, Failure{id, fmt.Errorf("shipping: waybill %q: no line can be reserved: %w", id, ErrRefused)})
			if err := tx.PutOrder(o); err != nil {
				return err
			}
			return tx.PutWaybill(w)
		}
		req = s.orderRequest(o, w)
		w.State, w.PlannedAt, w.ReqYmds = WaybillReserving, now, bookingDays(now)
		send = true
		if err := tx.PutOrder(o); err != nil {
			return err
		}
		return tx.PutWaybill(w)
	})
	if err != nil || !send {
		return err
	}

	b, callErr := s.client.InsertOrder(ctx, req)
	if callErr == nil {
		return s.recordBooking(ctx, id, bookingOf(b), rep)
	}
	var unknown *epost.UnknownOrderError
	switch {
	case errors.As(callErr, &unknown) || !surelyNotCarriedOut(callErr):
		// Recorded even when ctx is what ended the call.
		bctx, cancel := bookkeeping(ctx)
		defer cancel()
		err := s.store.Update(bctx, func(tx Tx) error {
			w, err := tx.Waybill(id)
			if err != nil || w.State != WaybillReserving {
				return err
			}
			w.State, w.LastError = WaybillReserveUnknown, "outcome unknown"
			if unknown != nil {
				for _, d := range unknown.ReqYmds {
					if !slices.Contains(w.ReqYmds, d) {
						w.ReqYmds = append(w.ReqYmds, d)
					}
				}
			}
			return tx.PutWaybill(w)
		})
		var w Waybill
		if err == nil {
			w, err = s.Waybill(ctx, id)
		}
		if err != nil {
			rep.Unknown = append(rep.Unknown, id)
			return fmt.Errorf("shipping: reserve waybill %q: %w", id, errors.Join(outcomeUnknown(callErr), err))
		}
		_, err = s.resolveReservation(ctx, w, rep)
		return err
	case isContactRefusal(callErr):
		return s.updateReporting(ctx, rep, func(tx Tx, rep *ReserveReport) error {
			w, err := tx.Waybill(id)
			if err != nil || w.State != WaybillReserving {
				return err
			}
			o, err := tx.Order(w.OrderID)
			if err != nil {
				return err
			}
			return s.voidForContact(tx, o, w, rep)
		})
	default: // refused or never sent: back to the step-2 list
		rep.Failed = append(rep.Failed, Failure{id, callErr})
		return s.store.Update(ctx, func(tx Tx) error {
			w, err := tx.Waybill(id)
			if err != nil || w.State != WaybillReserving {
				return err
			}
			w.State, w.LastError = WaybillIssued, errorCode(callErr)
			return tx.PutWaybill(w)
		})
	}
}

// bookingDays lists the KST dates a booking sent now may be registered under: today, and the
// neighbouring day within five minutes of midnight.
func bookingDays(now time.Time) []string {
	var out []string
	for _, t := range []time.Time{now, now.Add(-5 * time.Minute), now.Add(5 * time.Minute)} {
		if d := epost.FormatDate(t); !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	return out
}

// isContactRefusal reports a refusal of the recipient's phones: the client's validation of
// RecTel/RecMob, or Korea Post's ERR-323 about recTel/recMob.
func isContactRefusal(err error) bool {
	var ve *kshop.ValidationError
	if errors.As(err, &ve) {
		for _, p := range ve.Problems {
			if p.Key == "recTel" || p.Key == "recMob" {
				return true
			}
		}
		return false
	}
	var ae *epost.APIError
	return errors.As(err, &ae) && !ae.OutcomeUnknown() && strings.EqualFold(ae.VendorCode, "ERR-323") &&
		(strings.Contains(ae.Message, "recTel") || strings.Contains(ae.Message, "recMob"))
}

// surelyNotCarriedOut reports an InsertOrder or GetResCancelCmd error that proves the call was
// not carried out: nothing was
// sent, the input was refused before sending, or Korea Post refused it with an answer whose
// outcome is known. Any other error may hide a booking or a cancel that happened, and is reconciled first.
func surelyNotCarriedOut(err error) bool {
	if errors.Is(err, kshop.ErrOutcomeUnknown) {
		return false
	}
	if errors.Is(err, kshop.ErrNotSent) || errors.Is(err, kshop.ErrInvalid) {
		return true
	}
	if errors.Is(err, epost.ErrCancelRefused) { // canceledYn=N: answered, not cancelled
		return true
	}
	var api kshop.APIError
	return errors.As(err, &api) && !api.OutcomeUnknown()
}

// errorCode is a short, value-free description of an error for Waybill.LastError.
func errorCode(err error) string {
	var api kshop.APIError
	if errors.As(err, &api) && api.Code() != "" {
		return api.Code()
	}
	var ve *kshop.ValidationError
	if errors.As(err, &ve) && len(ve.Problems) > 0 {
		return ve.Problems[0].Field + ": " + string(ve.Problems[0].Rule)
	}
	switch {
	case errors.Is(err, kshop.ErrNotSent):
		return "not sent"
	case errors.Is(err, kshop.ErrBadResponse):
		return "bad response"
	}
	return "failed"
}

func (s *Shipper) voidForContact(tx Tx, o Order, w Waybill, rep *ReserveReport) error {
	for _, lid := range w.LineIDs {
		if ln := o.line(lid); ln != nil && ln.WaybillID == w.ID {
			ln.Issue, ln.WaybillID, ln.Linked = IssueContactError, "", false
			rep.ContactErrors = append(rep.ContactErrors, LineRef{o.ID, lid})
		}
	}
	w.State, w.LastError = WaybillVoided, "contact error"
	if err := tx.PutOrder(o); err != nil {
		return err
	}
	return tx.PutWaybill(w)
}

// orderRequest builds the InsertOrder request of a waybill from its order.
func (s *Shipper) orderRequest(o Order, w Waybill) epost.InsertOrderRequest {
	var names []string
	qty := 0
	code := ""
	for _, lid := range w.LineIDs {
		if ln := o.line(lid); ln != nil {
			names = append(names, ln.GoodsName)
			qty += ln.Qty
			if code == "" {
				code = ln.GoodsCode
			}
		}
	}
	goods := names[0]
	if len(names) > 1 {
		goods += " 외 " + strconv.Itoa(len(names)-1) + "건"
	}
	return epost.InsertOrderRequest{
		PayType: w.PayType, ReqType: epost.ReqNormal, OfficeSer: s.cfg.OfficeSer,
		Weight: s.cfg.Weight, Volume: s.cfg.Volume, MicroYn: epost.No, OrderNo: w.ID,
		OrdCompNm: s.cfg.ShopName, RecNm: o.Recipient.Name, RecZip: o.Recipient.Zip,
		RecAddr1: o.Recipient.Addr1, RecAddr2: o.Recipient.Addr2, RecTel: o.Recipient.Phone, RecMob: o.Recipient.Mobile,
		ContCd: s.cfg.Content, GoodsNm: truncateBytes(goods, 400), GoodsCd: truncateBytes(code, 400),
		Qty: min(max(qty, 1), 99999), DelivMsg: truncateBytes(o.Message, 200),
		// The shop prints the label itself (운송장 출력 moves the line to 배송중), so the
		// booking starts at 운송장출력 (02), which Korea Post still lets us cancel.
		PrintYn: epost.Yes,
	}
}

// truncateBytes cuts s to at most n UTF-8 bytes on a character boundary.
func truncateBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

type booking struct {
	regiNo, reqNo, resNo, reqYmd string
}

func bookingOf(b *epost.Booking) booking {
	return booking{regiNo: b.RegiNo, reqNo: b.ReqNo, resNo: b.ResNo, reqYmd: b.ReqYmd}
}

// updateReporting runs fn in one Update with a report of its own, and adds that report's
// entries to rep only once the Update committed: a store runs fn again after contention, and
// an attempt that was rolled back must leave no entry behind.
func (s *Shipper) updateReporting(ctx context.Context, rep *ReserveReport, fn func(tx Tx, rep *ReserveReport) error) error {
	var part ReserveReport
	err := s.store.Update(ctx, func(tx Tx) error {
		part = ReserveReport{}
		return fn(tx, &part)
	})
	if err == nil {
		rep.Reserved = append(rep.Reserved, part.Reserved...)
		rep.Events = append(rep.Events, part.Events...)
		rep.Unknown = append(rep.Unknown, part.Unknown...)
		rep.ContactErrors = append(rep.ContactErrors, part.ContactErrors...)
		rep.Failed = append(rep.Failed, part.Failed...)
	}
	return err
}

// recordBooking records a booking and applies the reservation transitions, in one Update.
func (s *Shipper) recordBooking(ctx context.Context, id string, b booking, rep *ReserveReport) error {
	var done Waybill
	var events []Event
	err := s.store.Update(ctx, func(tx Tx) error {
		events = events[:0]
		w, err := tx.Waybill(id)
		if err != nil {
			return err
		}
		if w.State != WaybillReserving && w.State != WaybillReserveUnknown {
			return nil // recorded already
		}
		o, err := tx.Order(w.OrderID)
		if err != nil {
			return err
		}
		w.State, w.RegiNo, w.ReqNo, w.ResNo, w.ReqYmd, w.LastError = WaybillReserved, b.regiNo, b.reqNo, b.resNo, b.reqYmd, ""
		now := s.now()
		for _, lid := range w.LineIDs {
			ln := o.line(lid)
			if ln == nil || ln.WaybillID != id {
				continue
			}
			ln.Linked = true
			w.Tracking = true
			to, err := Transition(s.cfg.Statuses, ln.Status, CauseReservation, 0)
			if err != nil || to == ln.Status {
				continue
			}
			ev := Event{ID: id + "/" + lid + "/" + string(CauseReservation) + "/" + string(to), OrderID: o.ID, LineID: lid,
				From: ln.Status, To: to, Cause: CauseReservation, WaybillID: id, RegiNo: w.RegiNo, At: now}
			ln.Status = to
			if ev.Seq, err = tx.AppendEvent(ev); err != nil {
				return err
			}
			events = append(events, ev)
		}
		done = w
		if err := tx.PutOrder(o); err != nil {
			return err
		}
		return tx.PutWaybill(w)
	})
	if err != nil {
		return err
	}
	if done.ID != "" {
		rep.Reserved = append(rep.Reserved, done)
		rep.Events = append(rep.Events, events...)
	}
	return nil
}

// ErrDoubleBooking is reported when reconciliation finds two live bookings under one orderNo.
// The workflow never causes one; it means another system booked the same orderNo.
var ErrDoubleBooking = errors.New("shipping: two live bookings under one orderNo")

// resolveReservation reconciles a reserving or unknown waybill: booked → recorded; not booked
// (Korea Post's documented ERR-225 on every date) once InFlightGrace has passed since the
// request → back to the step-2 list; otherwise it stays unknown. booked reports the first case.
func (s *Shipper) resolveReservation(ctx context.Context, w Waybill, rep *ReserveReport) (bool, error) {
	var found *epost.Reservation
	foundDay := ""
	live := 0
	for _, day := range w.ReqYmds {
		rec, err := s.client.ReconcileOrder(ctx, w.ID, day)
		if err != nil {
			rep.Unknown = append(rep.Unknown, w.ID)
			bctx, cancel := bookkeeping(ctx)
			defer cancel()
			if serr := s.setState(bctx, w.ID, WaybillReserving, WaybillReserveUnknown, "outcome unknown"); serr != nil {
				return false, fmt.Errorf("shipping: reserve waybill %q: %w", w.ID, errors.Join(outcomeUnknown(err), serr))
			}
			return false, nil
		}
		for i := range rec.All {
			if rec.All[i].Status != epost.TreatCancelled {
				live++
				if found == nil {
					found, foundDay = &rec.All[i], day
				}
			}
		}
	}
	if found != nil {
		if live > 1 {
			rep.Failed = append(rep.Failed, Failure{w.ID, fmt.Errorf("shipping: waybill %q: %w", w.ID, ErrDoubleBooking)})
		}
		return true, s.recordBooking(ctx, w.ID, booking{regiNo: found.RegiNo, reqNo: found.ReqNo, resNo: found.ResNo, reqYmd: foundDay}, rep)
	}
	if s.now().Sub(w.PlannedAt) < s.cfg.InFlightGrace {
		// Not booked yet, but a request that timed out or met a 5xx may still be at work at
		// Korea Post and land later: only after InFlightGrace does "not booked" mean it never
		// will, and the waybill may be sent again.
		rep.Unknown = append(rep.Unknown, w.ID)
		return false, s.setState(ctx, w.ID, WaybillReserving, WaybillReserveUnknown, "outcome unknown")
	}
	return false, s.store.Update(ctx, func(tx Tx) error {
		cur, err := tx.Waybill(w.ID)
		if err != nil || (cur.State != WaybillReserving && cur.State != WaybillReserveUnknown) {
			return err
		}
		cur.State, cur.LastError = WaybillIssued, ""
		return tx.PutWaybill(cur)
	})
}

// MarkPrinted records that the labels of reserved waybills were printed (운송장 출력): their
// linked lines move to 배송중 (cause print). Lines an operator unlinked are left alone.
// Waybills that are not reserved are refused with ErrWrongState, and nothing is changed.
func (s *Shipper) MarkPrinted(ctx context.Context, waybillIDs ...string) ([]Event, error) {
	const op = "shipping.MarkPrinted"
	if err := wire.CheckContext(ctx, op); err != nil {
		return nil, err
	}
	var events []Event
	err := s.store.Update(ctx, func(tx Tx) error {
		events = events[:0]
		now := s.now()
		for _, id := range waybillIDs {
			w, err := tx.Waybill(id)
			if err != nil {
				return fmt.Errorf("%s: waybill %q: %w", op, id, err)
			}
			if w.State != WaybillReserved {
				return fmt.Errorf("%s: waybill %q is %s: %w", op, id, w.State, ErrWrongState)
			}
			o, err := tx.Order(w.OrderID)
			if err != nil {
				return err
			}
			for _, lid := range w.LineIDs {
				ln := o.line(lid)
				if ln == nil || ln.WaybillID != id || !ln.Linked {
					continue
				}
				to, err := Transition(s.cfg.Statuses, ln.Status, CausePrint, 0)
				if err != nil || to == ln.Status {
					continue
				}
				ev := Event{ID: id + "/" + lid + "/" + string(CausePrint) + "/" + string(to), OrderID: o.ID, LineID: lid,
					From: ln.Status, To: to, Cause: CausePrint, WaybillID: id, RegiNo: w.RegiNo, At: now}
				ln.Status = to
				if ev.Seq, err = tx.AppendEvent(ev); err != nil {
					return err
				}
				events = append(events, ev)
			}
			w.Printed = true
			if err := tx.PutOrder(o); err != nil {
				return err
			}
			if err := tx.PutWaybill(w); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.deliver(ctx)
	return events, nil
}

// CancelReport is what Cancel did.
type CancelReport struct {
	// Waybill is the waybill after the cancel (WaybillCancelled, or WaybillVoided when it was
	// never sent).
	Waybill Waybill
	// Lines can be issued again (they are not issued, unlinked, with their status unchanged);
	// a new issue gives them a new waybill.
	Lines []LineRef
}

// Cancel withdraws a waybill. One that was never sent is voided locally; a reserved one is
// cancelled at Korea Post (GetResCancelCmd, keeping the cancelled booking listed so the cancel
// itself can be reconciled). Its number is never used again: the lines return to step 1, and
// issuing them again makes a new waybill with a new orderNo. Korea Post refuses once the parcel
// was picked up (a *epost.CancelRefusedError, errors.Is epost.ErrCancelRefused). An unknown
// outcome is reconciled at once; if that cannot tell either, the error wraps
// kshop.ErrOutcomeUnknown and the next Cancel or sync reconciles before sending anything.
func (s *Shipper) Cancel(ctx context.Context, waybillID string) (*CancelReport, error) {
	const op = "shipping.Cancel"
	if err := wire.CheckContext(ctx, op); err != nil {
		return nil, err
	}
	if !s.claim(waybillID) {
		return nil, fmt.Errorf("%s: waybill %q is busy: %w", op, waybillID, ErrWrongState)
	}
	defer s.release(waybillID)
	w, err := s.Waybill(ctx, waybillID)
	if err != nil {
		return nil, fmt.Errorf("%s: waybill %q: %w", op, waybillID, err)
	}
	if (w.State == WaybillReserving || w.State == WaybillCancelling) && s.now().Sub(w.PlannedAt) < s.cfg.InFlightGrace {
		return nil, fmt.Errorf("%s: waybill %q has a call under way: %w", op, waybillID, ErrWrongState)
	}
	switch w.State {
	case WaybillReserving, WaybillReserveUnknown:
		var rep ReserveReport
		if _, err := s.resolveReservation(ctx, w, &rep); err != nil {
			return nil, err
		}
		if len(rep.Unknown) > 0 {
			return nil, fmt.Errorf("%s: waybill %q: whether it was booked is unknown: %w", op, waybillID, kshop.ErrOutcomeUnknown)
		}
		s.deliver(ctx)
		if w, err = s.Waybill(ctx, waybillID); err != nil {
			return nil, err
		}
	case WaybillCancelling, WaybillCancelUnknown:
		done, err := s.resolveCancel(ctx, w)
		if err != nil {
			return nil, err
		}
		if done {
			return s.cancelReport(ctx, waybillID)
		}
		if w, err = s.Waybill(ctx, waybillID); err != nil {
			return nil, err
		}
	}
	switch w.State {
	case WaybillIssued:
		if err := s.store.Update(ctx, func(tx Tx) error { return finishCancel(tx, waybillID, WaybillVoided) }); err != nil {
			return nil, err
		}
		return s.cancelReport(ctx, waybillID)
	case WaybillReserved:
	default:
		return nil, fmt.Errorf("%s: waybill %q is %s: %w", op, waybillID, w.State, ErrWrongState)
	}

	// Write the plan, then send.
	if err := s.store.Update(ctx, func(tx Tx) error {
		cur, err := tx.Waybill(waybillID)
		if err != nil {
			return err
		}
		if cur.State != WaybillReserved {
			return fmt.Errorf("%s: waybill %q is %s: %w", op, waybillID, cur.State, ErrWrongState)
		}
		cur.State, cur.PlannedAt = WaybillCancelling, s.now()
		return tx.PutWaybill(cur)
	}); err != nil {
		return nil, err
	}
	_, callErr := s.client.GetResCancelCmd(ctx, epost.GetResCancelCmdRequest{
		ReqType: epost.ReqNormal, ReqNo: w.ReqNo, ResNo: w.ResNo, RegiNo: w.RegiNo, ReqYmd: w.ReqYmd,
	})
	switch {
	case callErr == nil:
		if err := s.store.Update(ctx, func(tx Tx) error { return finishCancel(tx, waybillID, WaybillCancelled) }); err != nil {
			return nil, err
		}
		return s.cancelReport(ctx, waybillID)
	case !surelyNotCarriedOut(callErr):
		bctx, cancel := bookkeeping(ctx) // recorded even when ctx is what ended the call
		defer cancel()
		err := s.setState(bctx, waybillID, WaybillCancelling, WaybillCancelUnknown, "outcome unknown")
		var cur Waybill
		if err == nil {
			cur, err = s.Waybill(ctx, waybillID)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: waybill %q: %w", op, waybillID, errors.Join(outcomeUnknown(callErr), err))
		}
		done, err := s.resolveCancel(ctx, cur)
		if err != nil {
			return nil, err
		}
		if !done { // listed live after InFlightGrace: the cancel never happened
			return nil, fmt.Errorf("%s: waybill %q: the cancel was not carried out (%v); cancel again: %w", op, waybillID, callErr, kshop.ErrNotSent)
		}
		return s.cancelReport(ctx, waybillID)
	default:
		if err := s.setState(ctx, waybillID, WaybillCancelling, WaybillReserved, errorCode(callErr)); err != nil {
			return nil, err
		}
		return nil, fmt.Errorf("%s: waybill %q: %w", op, waybillID, callErr)
	}
}

// outcomeUnknown is err, wrapping kshop.ErrOutcomeUnknown if it does not already: a booking
// or cancel whose answer never came (a timeout, the caller's context ending) may have been
// carried out.
func outcomeUnknown(err error) error {
	if errors.Is(err, kshop.ErrOutcomeUnknown) {
		return err
	}
	return fmt.Errorf("%w: %w", kshop.ErrOutcomeUnknown, err)
}

func (s *Shipper) setState(ctx context.Context, id string, from, to WaybillState, lastErr string) error {
	return s.store.Update(ctx, func(tx Tx) error {
		w, err := tx.Waybill(id)
		if err != nil || w.State != from {
			return err
		}
		w.State, w.LastError = to, lastErr
		return tx.PutWaybill(w)
	})
}

func (s *Shipper) cancelReport(ctx context.Context, id string) (*CancelReport, error) {
	w, err := s.Waybill(ctx, id)
	if err != nil {
		return nil, err
	}
	rep := &CancelReport{Waybill: w}
	for _, lid := range w.LineIDs {
		rep.Lines = append(rep.Lines, LineRef{w.OrderID, lid})
	}
	return rep, nil
}

// finishCancel ends a waybill (cancelled or voided) and returns its lines to step 1.
func finishCancel(tx Tx, id string, state WaybillState) error {
	w, err := tx.Waybill(id)
	if err != nil {
		return err
	}
	o, err := tx.Order(w.OrderID)
	if err != nil {
		return err
	}
	for _, lid := range w.LineIDs {
		if ln := o.line(lid); ln != nil && ln.WaybillID == id {
			ln.Issue, ln.WaybillID, ln.Linked = IssueNone, "", false
		}
	}
	w.State, w.Tracking, w.LastError = state, false, ""
	if err := tx.PutOrder(o); err != nil {
		return err
	}
	return tx.PutWaybill(w)
}

// resolveCancel reconciles a cancel under way or unknown through ReconcileOrder on every date
// the booking may be registered under. Cancels keep the booking listed (delYn=N), so only the
// booking listed as 신청취소 (05) means cancelled; listed live once InFlightGrace has passed
// since the cancel means it was not carried out (back to reserved, done false); anything else
// — not listed at all, listed live while the cancel may still land, or no answer — leaves it
// unknown, an error wrapping kshop.ErrOutcomeUnknown. A waybill is never freed on an absence.
func (s *Shipper) resolveCancel(ctx context.Context, w Waybill) (bool, error) {
	unknown := func(cause error) (bool, error) {
		bctx, cancel := bookkeeping(ctx) // recorded even when ctx is what ended the lookup
		defer cancel()
		err := outcomeUnknown(cause)
		if serr := s.setState(bctx, w.ID, WaybillCancelling, WaybillCancelUnknown, "outcome unknown"); serr != nil {
			err = errors.Join(err, serr)
		}
		return false, fmt.Errorf("shipping: cancel of waybill %q: %w", w.ID, err)
	}
	days := w.ReqYmds
	if w.ReqYmd != "" && !slices.Contains(days, w.ReqYmd) {
		days = append([]string{w.ReqYmd}, days...)
	}
	listedLive, listedCancelled := false, false
	for _, day := range days {
		rec, err := s.client.ReconcileOrder(ctx, w.ID, day)
		if err != nil {
			return unknown(err)
		}
		for _, r := range rec.All {
			if !(r.ReqNo != "" && r.ReqNo == w.ReqNo || r.RegiNo != "" && r.RegiNo == w.RegiNo) {
				continue
			}
			if r.Status == epost.TreatCancelled {
				listedCancelled = true
			} else {
				listedLive = true
			}
		}
	}
	switch {
	case listedCancelled && !listedLive:
		return true, s.store.Update(ctx, func(tx Tx) error {
			cur, err := tx.Waybill(w.ID)
			if err != nil || (cur.State != WaybillCancelling && cur.State != WaybillCancelUnknown) {
				return err
			}
			return finishCancel(tx, w.ID, WaybillCancelled)
		})
	case listedLive && !listedCancelled && s.now().Sub(w.PlannedAt) >= s.cfg.InFlightGrace:
		return false, s.store.Update(ctx, func(tx Tx) error {
			cur, err := tx.Waybill(w.ID)
			if err != nil || (cur.State != WaybillCancelling && cur.State != WaybillCancelUnknown) {
				return err
			}
			cur.State = WaybillReserved
			return tx.PutWaybill(cur)
		})
	default:
		return unknown(fmt.Errorf("the booking is not listed as cancelled yet: %w", kshop.ErrOutcomeUnknown))
	}
}
