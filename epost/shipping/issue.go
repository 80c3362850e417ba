package shipping

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/internal/phone"
	"github.com/kshop-dev/kshop/internal/wire"
)

// Selection picks what step 1 issues waybills for: the orders or lines the operator ticked.
// Both empty means every eligible line (the screen's "검색된 주문 일괄 발급").
type Selection struct {
	OrderIDs []string
	Lines    []LineRef // per-item mode only
}

// IssueRequest is one press of step 1's 송장번호 발급 button.
type IssueRequest struct {
	Mode   IssueMode
	Select Selection
}

// Skip is a selected line that got no waybill, and why.
type Skip struct {
	Line   LineRef
	Reason string
}

// IssueReport is what step 1 did.
type IssueReport struct {
	// Waybills are the waybills issued now (state WaybillIssued, 예약 전).
	Waybills []Waybill
	// ContactErrors are the lines marked 연락처오류: the recipient's phone or mobile is
	// malformed (letters, special characters, a wrong length) or both are missing.
	ContactErrors []LineRef
	// Skipped are selected lines that are not eligible (already issued, 입금대기, 배송중 or
	// later, a closed family) or unknown.
	Skipped []Skip
}

// Issue is step 1 (송장발급). It groups the selected eligible lines into waybills, one per order
// (PerOrder) or per line (PerItem): a line is eligible when its status is in the payment or
// goods group (after 입금대기, before 배송중), it has no live waybill, and it is not issued, or
// was marked 연락처오류 and may be issued again after a correction. The pay type follows the
// order's fee condition. Lines whose recipient contact is malformed get no waybill and are
// marked 연락처오류; the others are issued. Issue sends nothing to Korea Post (see the package
// documentation): the waybill number comes with the reservation.
func (s *Shipper) Issue(ctx context.Context, req IssueRequest) (*IssueReport, error) {
	const op = "shipping.Issue"
	if err := wire.CheckContext(ctx, op); err != nil {
		return nil, err
	}
	var ps []*kshop.FieldError
	switch req.Mode {
	case PerOrder:
		if len(req.Select.Lines) > 0 {
			ps = append(ps, &kshop.FieldError{Field: "Select.Lines", Rule: kshop.RuleNotAllowed, Detail: "per-order issue selects orders (Select.OrderIDs)"})
		}
	case PerItem:
	default:
		ps = append(ps, &kshop.FieldError{Field: "Mode", Rule: kshop.RuleNotAllowed, Detail: "PerOrder or PerItem"})
	}
	for i, id := range req.Select.OrderIDs {
		if id == "" {
			ps = append(ps, &kshop.FieldError{Field: "Select.OrderIDs[" + strconv.Itoa(i) + "]", Rule: kshop.RuleRequired})
		}
	}
	for i, r := range req.Select.Lines {
		if r.OrderID == "" || r.LineID == "" {
			ps = append(ps, &kshop.FieldError{Field: "Select.Lines[" + strconv.Itoa(i) + "]", Rule: kshop.RuleRequired})
		}
	}
	if err := kshop.NewValidationError(op, ps); err != nil {
		return nil, err
	}

	// Which lines of which orders: nil means every line of the order.
	picked := map[string]map[string]bool{}
	var orderIDs []string
	add := func(orderID, lineID string) {
		m, ok := picked[orderID]
		if !ok {
			orderIDs = append(orderIDs, orderID)
			if lineID == "" {
				picked[orderID] = nil
				return
			}
			m = map[string]bool{}
			picked[orderID] = m
		}
		if m != nil && lineID != "" {
			m[lineID] = true
		} else if lineID == "" {
			picked[orderID] = nil
		}
	}
	for _, id := range req.Select.OrderIDs {
		add(id, "")
	}
	for _, r := range req.Select.Lines {
		add(r.OrderID, r.LineID)
	}
	all := len(orderIDs) == 0
	if all {
		after := ""
		for {
			var batch []Order
			if err := s.store.View(ctx, func(tx Tx) (err error) { batch, err = tx.Orders(after, 500); return err }); err != nil {
				return nil, err
			}
			for _, o := range batch {
				orderIDs = append(orderIDs, o.ID)
			}
			if len(batch) < 500 {
				break
			}
			after = batch[len(batch)-1].ID
		}
	}

	rep := &IssueReport{}
	for _, orderID := range orderIDs {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		var part IssueReport
		err := s.store.Update(ctx, func(tx Tx) error {
			part = IssueReport{}
			return s.issueOrder(tx, orderID, picked[orderID], req.Mode, !all, &part)
		})
		if err != nil {
			return rep, err
		}
		rep.Waybills = append(rep.Waybills, part.Waybills...)
		rep.ContactErrors = append(rep.ContactErrors, part.ContactErrors...)
		rep.Skipped = append(rep.Skipped, part.Skipped...)
	}
	s.log.LogAttrs(ctx, slog.LevelInfo, "shipping: waybills issued", slog.Int("waybills", len(rep.Waybills)),
		slog.Int("contact_errors", len(rep.ContactErrors)), slog.Int("skipped", len(rep.Skipped)))
	return rep, nil
}

// contactOK reports whether the recipient can be reached: at least one of phone and mobile,
// and each one given a valid Korean number.
func contactOK(r Recipient) bool {
	if r.Phone == "" && r.Mobile == "" {
		return false
	}
	for _, v := range []string{r.Phone, r.Mobile} {
		if v == "" {
			continue
		}
		if _, err := phone.Parse(v); err != nil {
			return false
		}
	}
	return true
}

func (s *Shipper) issueOrder(tx Tx, orderID string, lines map[string]bool, mode IssueMode, explicit bool, rep *IssueReport) error {
	o, err := tx.Order(orderID)
	if errors.Is(err, ErrNotFound) {
		rep.Skipped = append(rep.Skipped, Skip{Line: LineRef{OrderID: orderID}, Reason: "unknown order"})
		return nil
	} else if err != nil {
		return err
	}
	for id := range lines {
		if o.line(id) == nil {
			rep.Skipped = append(rep.Skipped, Skip{Line: LineRef{orderID, id}, Reason: "unknown line"})
		}
	}
	var eligible []int
	for i, ln := range o.Lines {
		if lines != nil && !lines[ln.ID] {
			continue
		}
		reason := ""
		switch {
		case ln.WaybillID != "" || ln.Issue == IssueIssued:
			reason = "already issued"
		case !s.cfg.Statuses.Eligible(ln.Status):
			reason = "status " + string(ln.Status) + " is not between 입금대기 and 배송중"
		}
		if reason != "" {
			if explicit {
				rep.Skipped = append(rep.Skipped, Skip{Line: LineRef{orderID, ln.ID}, Reason: reason})
			}
			continue
		}
		eligible = append(eligible, i)
	}
	if len(eligible) == 0 {
		return nil
	}
	if !contactOK(o.Recipient) {
		for _, i := range eligible {
			o.Lines[i].Issue = IssueContactError
			rep.ContactErrors = append(rep.ContactErrors, LineRef{orderID, o.Lines[i].ID})
		}
		return tx.PutOrder(o)
	}
	groups := [][]int{eligible}
	if mode == PerItem {
		groups = groups[:0]
		for _, i := range eligible {
			groups = append(groups, []int{i})
		}
	}
	for _, g := range groups {
		base := orderID
		if mode == PerItem {
			base = orderID + "-" + o.Lines[g[0]].ID
		}
		id, err := freshWaybillID(tx, base)
		if err != nil {
			return err
		}
		w := Waybill{ID: id, OrderID: orderID, Mode: mode, PayType: o.Fee.payType(), State: WaybillIssued, IssuedAt: s.now()}
		for _, i := range g {
			w.LineIDs = append(w.LineIDs, o.Lines[i].ID)
			o.Lines[i].Issue, o.Lines[i].WaybillID, o.Lines[i].Linked = IssueIssued, id, false
		}
		if err := tx.PutWaybill(w); err != nil {
			return err
		}
		rep.Waybills = append(rep.Waybills, w)
	}
	return tx.PutOrder(o)
}

// freshWaybillID returns base, or base-R2, base-R3 … : the first ID no waybill ever had, so
// an orderNo is never sent to Korea Post for two waybills.
func freshWaybillID(tx Tx, base string) (string, error) {
	for n := 1; ; n++ {
		id := base
		if n > 1 {
			id = base + "-R" + strconv.Itoa(n)
		}
		_, err := tx.Waybill(id)
		if errors.Is(err, ErrNotFound) {
			return id, nil
		}
		if err != nil {
			return "", fmt.Errorf("shipping: waybill %q: %w", id, err)
		}
	}
}
