package ssoda

import (
	"context"
	"encoding/json"
	"iter"
	"time"
	"unicode/utf8"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/internal/phone"
	"github.com/kshop-dev/kshop/internal/transport"
	"github.com/kshop-dev/kshop/internal/wire"
)

// Kind is the kind of Kakao message a list or cancel is about.
type Kind int

// Message kinds.
const (
	AlimTalk Kind = iota + 1
	FriendTalk
)

// String returns "alimtalk" or "friendtalk".
func (k Kind) String() string {
	switch k {
	case AlimTalk:
		return "alimtalk"
	case FriendTalk:
		return "friendtalk"
	default:
		return "invalid"
	}
}

// SearchField is the column a list call searches Keyword in ("where").
type SearchField string

// Search fields. Only SearchRecipient was seen in a working caller.
const (
	SearchRecipient SearchField = "dest_phone" // confirmed
	SearchSender    SearchField = "send_phone" // inferred
	SearchText      SearchField = "msg_body"   // inferred
	SearchMessageID SearchField = "msg_id"     // inferred
)

// Paging defaults and bounds of the list calls.
const (
	DefaultListLimit = 100 // what the working caller asks for
	MaxListLimit     = 1000
)

// ListRequest filters a sent or reserved list. The zero value lists today's messages (KST),
// first page of 100.
type ListRequest struct {
	// Where is the searched column; empty means SearchRecipient when Keyword is set.
	Where SearchField
	// Keyword is the value searched. For SearchRecipient a phone number in any common form
	// is normalized to digits.
	Keyword string
	// From and To are the first and last day listed (start_date, end_date as yyyy-MM-dd in
	// KST; the time of day is ignored). Zero From means To's day; both zero mean today.
	From, To time.Time
	// Page is the 1-based page (default 1). The All… iterators ignore it.
	Page int
	// Limit is the page size, 1–1000 (default 100).
	Limit int
	// SenderKey is sent only when FieldNames.SenderKeyInLists names a field (it does not by
	// default); empty means Credentials.SenderKey.
	SenderKey string
	// Extra adds or overrides body fields (for the inferred list calls).
	Extra map[string]any
}

// RecordPage is one page of a sent or reserved list.
type RecordPage struct {
	// Records are the rows, in Ssoda's order.
	Records []MessageRecord
	// Page and Limit are what was asked.
	Page, Limit int
	// Total is the number of rows over all pages when the answer says (total, total_count,
	// totalCount; not confirmed), else -1.
	Total int
	// Raw is the whole answer.
	Raw json.RawMessage
}

// AlimTalk lists sent AlimTalk messages: POST /kakao/alimtalk/sent/list (confirmed: where,
// keyword, start_date, end_date, page, limit; rows under result[] with msg_id, datetime,
// status 대기중/성공/실패, error_msg, failover_msg, dest_phone, send_phone, msg_body).
func (s *HistoryService) AlimTalk(ctx context.Context, req ListRequest) (*RecordPage, error) {
	return s.c.listRecords(ctx, "History.AlimTalk", s.c.s.paths.AlimTalkSentList, req)
}

// FriendTalk lists sent FriendTalk messages: POST /kakao/friendtalk/sent/list (inferred path;
// request and rows assumed to follow the AlimTalk list).
func (s *HistoryService) FriendTalk(ctx context.Context, req ListRequest) (*RecordPage, error) {
	return s.c.listRecords(ctx, "History.FriendTalk", s.c.s.paths.FriendTalkSentList, req)
}

// AllAlimTalk iterates over every page of AlimTalk (see paginate's rules: it stops at the
// first page shorter than Limit, and yields ErrPagingStalled if Ssoda repeats a page).
func (s *HistoryService) AllAlimTalk(ctx context.Context, req ListRequest) iter.Seq2[MessageRecord, error] {
	return s.c.allRecords(ctx, "History.AlimTalk", s.c.s.paths.AlimTalkSentList, req)
}

// AllFriendTalk iterates over every page of FriendTalk (inferred path).
func (s *HistoryService) AllFriendTalk(ctx context.Context, req ListRequest) iter.Seq2[MessageRecord, error] {
	return s.c.allRecords(ctx, "History.FriendTalk", s.c.s.paths.FriendTalkSentList, req)
}

func (c *Client) allRecords(ctx context.Context, call, path string, req ListRequest) iter.Seq2[MessageRecord, error] {
	limit := req.Limit
	if limit == 0 {
		limit = DefaultListLimit
	}
	return paginate(ctx, call, limit, func(ctx context.Context, page int) ([]MessageRecord, error) {
		r := req
		r.Page = page
		p, err := c.listRecords(ctx, call, path, r)
		if err != nil {
			return nil, err
		}
		return p.Records, nil
	}, func(r MessageRecord) string { return string(r.Raw) })
}

// listRecords validates req and calls one list endpoint. Lists are read-only, so the call is
// Idempotent (retried on 5xx) although it is a POST.
func (c *Client) listRecords(ctx context.Context, call, path string, req ListRequest) (*RecordPage, error) {
	if err := wire.CheckContext(ctx, "ssoda."+call); err != nil {
		return nil, err
	}
	body, page, limit, err := c.listBody(call, req)
	if err != nil {
		return nil, err
	}
	a, err := c.post(ctx, call, path, transport.Idempotent, body)
	if err != nil {
		return nil, err
	}
	out := &RecordPage{Records: decodeRecords(a), Page: page, Limit: limit, Total: total(a)}
	out.Raw = json.RawMessage(a.raw)
	return out, nil
}

// listBody checks a list request, reporting every problem at once, and builds its body.
func (c *Client) listBody(call string, req ListRequest) (*object, int, int, error) {
	ch := newChecker(call)
	page, limit := req.Page, req.Limit
	if page == 0 {
		page = 1
	}
	if limit == 0 {
		limit = DefaultListLimit
	}
	if page < 1 || page > maxPages {
		ch.add(&kshop.FieldError{Field: "Page", Key: "page", Rule: kshop.RuleRange, Limit: maxPages, Detail: "must be 1 to 10000"})
	}
	if limit < 1 || limit > MaxListLimit {
		ch.add(&kshop.FieldError{Field: "Limit", Key: "limit", Rule: kshop.RuleRange, Limit: MaxListLimit, Detail: "must be 1 to 1000"})
	}
	where, keyword := req.Where, req.Keyword
	if keyword != "" && where == "" {
		where = SearchRecipient
	}
	ch.ident("Where", "where", string(where), false, 40)
	if n := utf8.RuneCountInString(keyword); n > MaxKeywordLength {
		ch.add(&kshop.FieldError{Field: "Keyword", Key: "keyword", Rule: kshop.RuleTooLong, Limit: MaxKeywordLength, Got: n})
	} else {
		ch.text("Keyword", "keyword", keyword, "")
	}
	if where == SearchRecipient || where == SearchSender {
		if d, err := phone.Normalize(keyword); err == nil {
			keyword = d
		}
	}
	from, to := req.From, req.To
	if to.IsZero() {
		to = c.s.now()
		if !from.IsZero() && from.After(to) {
			to = from
		}
	}
	if from.IsZero() {
		from = to
	}
	start, end := wire.FormatKST(from, wire.LayoutDashDate), wire.FormatKST(to, wire.LayoutDashDate)
	if start > end {
		ch.problem("From", "start_date", kshop.RuleConflict, "must not be after To")
	}
	var senderKey string
	if name := c.s.fields.SenderKeyInLists; !skipped(name) {
		senderKey = req.SenderKey
		if senderKey == "" {
			senderKey = c.creds.SenderKey
		}
		if senderKey != "" {
			c.checkSenderKey(ch, "SenderKey", senderKey)
		}
	}
	if err := ch.err(); err != nil {
		return nil, 0, 0, err
	}
	o := c.newBody()
	if where != "" {
		o.str("where", string(where))
		o.str("keyword", keyword)
	}
	o.str("start_date", start)
	o.str("end_date", end)
	o.int("page", page)
	o.int("limit", limit)
	if name := c.s.fields.SenderKeyInLists; !skipped(name) {
		o.optStr(name, senderKey)
	}
	if err := o.extra(call, req.Extra); err != nil {
		return nil, 0, 0, err
	}
	return o, page, limit, nil
}

// total reads a total row count if the answer has one; -1 otherwise.
func total(a *answer) int {
	for _, o := range []wire.Object{a.root, a.contentObject()} {
		if s := o.Str("total", "total_count", "totalCount", "count", "cnt"); s != "" {
			if v, ok := parseAmount(s); ok && v >= 0 && v < 1e9 {
				return int(v)
			}
		}
	}
	return -1
}
