package ssoda

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/internal/phone"
	"github.com/kshop-dev/kshop/internal/transport"
	"github.com/kshop-dev/kshop/internal/wire"
)

// Points is the account's remaining balance.
type Points struct {
	// Amount is the remaining points (won), when the answer holds a number Known says was found.
	Amount float64
	// Known is true when a number was found.
	Known bool
	// Field names where the number was found ("content.amount").
	Field string
	// Raw is the whole answer.
	Raw json.RawMessage
}

// pointFields are the names callers probe for the balance; Ssoda's real one is not published.
var pointFields = []string{"amount", "remaining_amount", "remain_amount", "point", "points",
	"remaining_point", "remain_point", "balance", "cash", "money"}

// Points reads the remaining points: POST /sms/remaining/amount (confirmed path). The field
// holding the amount is not published; amount, remaining_amount, point and similar names
// are probed in content and at the top level, and Raw keeps the answer. Idempotent.
func (s *AccountService) Points(ctx context.Context) (*Points, error) {
	if err := wire.CheckContext(ctx, "ssoda.Account.Points"); err != nil {
		return nil, err
	}
	a, err := s.c.post(ctx, "Account.Points", s.c.s.paths.RemainingPoints, transport.Idempotent, s.c.newBody())
	if err != nil {
		return nil, err
	}
	return decodePoints(a), nil
}

func decodePoints(a *answer) *Points {
	p := &Points{Raw: json.RawMessage(a.raw)}
	for _, where := range []struct {
		prefix string
		obj    wire.Object
	}{{"content.", a.contentObject()}, {"", a.root}, {"data.", a.root.Obj("data")}} {
		for _, name := range pointFields {
			if v, ok := parseAmount(where.obj.Str(name)); ok {
				p.Amount, p.Known, p.Field = v, true, where.prefix+name
				return p
			}
		}
	}
	if v, ok := parseAmount((wire.Object{"c": a.content}).Str("c")); ok {
		p.Amount, p.Known, p.Field = v, true, "content"
	}
	return p
}

// SenderNumber is an SMS sender number (발신번호) registered with Ssoda; failover messages can
// only go out from one.
type SenderNumber struct {
	// Number is the number's digits (as Ssoda wrote it when it does not parse).
	Number string
	// AuthType is how it was verified (auth_type: mobile self-verification, documents, …).
	AuthType string
	// RequestedAt, ConfirmedAt and BlockedAt are request_date, confirm_date and blocked_date
	// read as KST; zero when empty.
	RequestedAt, ConfirmedAt, BlockedAt time.Time
	// RawRequested, RawConfirmed and RawBlocked are the three dates as Ssoda wrote them.
	RawRequested, RawConfirmed, RawBlocked string
	// Raw is the item's JSON.
	Raw json.RawMessage
}

// Confirmed reports whether Ssoda approved the number (it has a confirm date).
func (n SenderNumber) Confirmed() bool { return !emptyDate(n.RawConfirmed) }

// Blocked reports whether the number is blocked (it has a blocked date).
func (n SenderNumber) Blocked() bool { return !emptyDate(n.RawBlocked) }

// Usable reports whether failover messages can go out from the number.
func (n SenderNumber) Usable() bool { return n.Confirmed() && !n.Blocked() }

// Masked returns the number masked for logs.
func (n SenderNumber) Masked() string { return phone.Mask(n.Number) }

// emptyDate treats "", "null", "-" and all-zero dates ("0000-00-00 00:00:00") as no date.
func emptyDate(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" || strings.EqualFold(s, "null") {
		return true
	}
	return strings.Trim(s, "0-: .T") == ""
}

// SenderNumbers lists the registered SMS sender numbers: POST /sms/sendphone/list (confirmed:
// content.sendphones[] {number, auth_type, request_date, confirm_date, blocked_date}).
// Idempotent.
func (s *AccountService) SenderNumbers(ctx context.Context) ([]SenderNumber, error) {
	if err := wire.CheckContext(ctx, "ssoda.Account.SenderNumbers"); err != nil {
		return nil, err
	}
	a, err := s.c.post(ctx, "Account.SenderNumbers", s.c.s.paths.SenderNumbers, transport.Idempotent, s.c.newBody())
	if err != nil {
		return nil, err
	}
	rows, found := findRows(a, "sendphones", "send_phones", "sendphone", "list", "result")
	if !found {
		// No list is not an empty list: CheckSenderNumber would call a number unregistered.
		return nil, s.c.badAnswer("Account.SenderNumbers", a.status, nil, a.raw, "no sender number list in the answer", false, nil)
	}
	out := make([]SenderNumber, 0, len(rows))
	for _, raw := range rows {
		o, ok := wire.ParseObject(raw)
		if !ok {
			continue
		}
		n := SenderNumber{
			Number:       o.Str("number", "send_phone", "phone", "sendphone"),
			AuthType:     o.Str("auth_type", "authType"),
			RawRequested: o.Str("request_date", "requestDate"),
			RawConfirmed: o.Str("confirm_date", "confirmDate"),
			RawBlocked:   o.Str("blocked_date", "blockedDate", "block_date"),
			Raw:          append(json.RawMessage(nil), raw...),
		}
		if n.Number == "" {
			continue
		}
		if d, err := phone.Normalize(n.Number); err == nil {
			n.Number = d
		}
		n.RequestedAt, n.ConfirmedAt, n.BlockedAt = parseTime(n.RawRequested), parseTime(n.RawConfirmed), parseTime(n.RawBlocked)
		out = append(out, n)
	}
	return out, nil
}

// CheckSenderNumber checks that number can send failover messages: it must be among
// SenderNumbers, approved and not blocked. Call it before sending messages whose
// Failover.From is number (Ssoda refuses others, and the guide has the failover number chosen
// per channel in the console). The error is a *SenderNumberError (errors.Is ErrSenderNumber)
// for an unusable number, a *kshop.ValidationError for one that is not a phone number.
func (s *AccountService) CheckSenderNumber(ctx context.Context, number string) (*SenderNumber, error) {
	if err := wire.CheckContext(ctx, "ssoda.Account.CheckSenderNumber"); err != nil {
		return nil, err
	}
	n, err := phone.Parse(number)
	if err != nil {
		return nil, &kshop.ValidationError{Op: "ssoda.Account.CheckSenderNumber", Problems: []*kshop.FieldError{{
			Field: "number", Rule: kshop.RuleFormat, Detail: "not a valid phone number", Err: err}}}
	}
	list, err := s.SenderNumbers(ctx)
	if err != nil {
		return nil, err
	}
	for i := range list {
		if list[i].Number != n.Digits() {
			continue
		}
		sn := list[i]
		switch {
		case sn.Blocked():
			return &sn, &SenderNumberError{Masked: n.Masked(), Problem: SenderBlocked}
		case !sn.Confirmed():
			return &sn, &SenderNumberError{Masked: n.Masked(), Problem: SenderNotConfirmed}
		}
		return &sn, nil
	}
	return nil, &SenderNumberError{Masked: n.Masked(), Problem: SenderNotRegistered}
}
