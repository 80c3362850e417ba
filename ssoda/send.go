package ssoda

import (
	"context"
	"errors"
	"hash/maphash"
	"slices"
	"sync"

	"github.com/kshop-dev/kshop/alimtalk"
	"github.com/kshop-dev/kshop/alimtalk/provider"
	"github.com/kshop-dev/kshop/internal/wire"
)

// Send sends AlimTalk messages through POST /kakao/send/alimtalk (confirmed), one request per
// message (Ssoda takes one recipient per call), at most WithConcurrency (default 4) at a time.
// It implements alimtalk.Sender.
//
// Every message is prepared (provider.PrepareBatch): the phone normalized to digits, the
// text rendered from the template given with WithTemplates (or matched against it), the
// title and buttons filled, the failover resolved; Ssoda's template-code rule (5–30 of
// [A-Za-z0-9_-]) and the sender key are checked too. A message that fails alone gets
// StatusInvalid and is never sent; the others go on. Messages are prepared a chunk at a time
// as the workers need them and each body is built just before its request, so the memory a
// large batch holds, beyond its Results, depends on the concurrency, not on the batch size;
// the verdicts are those of preparing the whole batch at once (a Ref repeated anywhere in the
// batch is refused after its first valid use).
//
// The request carries sender_key, template_code, dest_phone, msg_body and, when present,
// button [{name, type, url_mobile, url_pc}] (confirmed; the app-link schemes are inferred),
// failover {use: "Y", msg_body} (confirmed) with subject and send_phone (inferred), the
// emphasis title (inferred) and the reservation send_time "yyyy-MM-dd HH:mm:ss" KST
// (inferred from the SMS API). Field names marked inferred can be changed with WithFieldNames.
//
// Results come back one per message, in order, each with the message's Ref, To, the rendered
// Text and SentAt (when its request went out): Accepted (Reserved when ScheduledAt was set or
// Ssoda answered reserv "Y") with MessageID from content.sent_messages[0].msg_id; Rejected with
// the *APIError when Ssoda refused the message; Unknown when the request may have reached
// Ssoda but no conclusive answer came — a timeout, a reset, a 5xx (whether or not ctx ended at
// the same moment), an answer that cannot be read as a plain success or refusal — its Err
// wraps ErrOutcomeUnknown: call ReconcileResult with the Result, never send it again blindly;
// NotSent when it certainly never arrived. A send is never retried after its request may have
// been written.
//
// The error is non-nil only when the whole call stopped: when Ssoda refused the API key,
// token or server IP (every later message would be refused too, so the rest are not sent and
// get StatusNotSent; the error matches ErrUnauthorized or ErrIPNotAllowed), or when ctx ended
// before every message was started (those get StatusNotSent; in-flight ones keep the
// transport's verdict).
func (c *Client) Send(ctx context.Context, msgs []alimtalk.Message) ([]alimtalk.Result, error) {
	if err := wire.CheckContext(ctx, "ssoda.Send"); err != nil {
		return nil, err
	}
	if c.cache != nil {
		codes := make([]string, len(msgs))
		for i := range msgs {
			codes[i] = msgs[i].TemplateCode
		}
		c.cache.ensure(ctx, codes)
	}
	return c.sendBatch(ctx, msgs)
}

// sendChunkMin and sendChunkMax bound how many messages are prepared at a time: a few per
// worker, so that the workers never wait for the next chunk, while the messages prepared but
// not yet sent stay bounded by the concurrency, not by the batch.
const (
	sendChunkMin = 16
	sendChunkMax = 256
)

// sendChunk is a run of consecutive messages prepared together (provider.PrepareBatch).
type sendChunk struct {
	offset int // index in the caller's list of the chunk's first message
	b      *provider.Batch
}

// sendJob is one prepared message of a chunk, for a worker.
type sendJob struct {
	chunk *sendChunk
	j     int // index in chunk.b.Ready
}

// sendBatch prepares and sends msgs lazily with a fixed pool of c.s.concurrency workers (the
// caller's goroutine is one of them). Workers take the next ready message from a queue under
// a lock. When the queue runs low, the worker that notices prepares the next chunk itself,
// outside the lock, while the others keep taking messages and sending: no producer goroutine
// hands messages over, no worker waits while a chunk is prepared unless the queue ran dry,
// and the messages prepared but not yet sent stay bounded by two chunks, not by the batch.
// Each body is built just before its request. Each Result is written in place in the
// caller's order: an invalid message's when its chunk is prepared (Batch.InvalidInto), a sent
// one's by the worker that sent it (Batch.CompleteOne), so no per-chunk lists are built and
// merged.
//
// This is exactly what preparing everything first would give: every message is prepared, so
// invalid ones are StatusInvalid whatever happens to the others; a Ref used by a message
// prepared successfully in an earlier chunk makes a later one a duplicate, as within a chunk
// (chunks are prepared one at a time, in order); messages are taken in order, so those never
// started after ctx ended or credentials were refused are StatusNotSent and form the tail of
// the batch, apart from at most one per worker: a message a worker had taken but not yet
// written when ctx ended is NotSent too, while another worker's later message may already
// have gone out.
func (c *Client) sendBatch(ctx context.Context, msgs []alimtalk.Message) ([]alimtalk.Result, error) {
	results := make([]alimtalk.Result, len(msgs))
	if len(msgs) == 1 {
		// One message, the common event-driven send: the same steps on this goroutine,
		// without a queue to share.
		b := provider.PrepareBatch(msgs, c.s.templates, c.limits)
		if b.InvalidInto(results) == 1 {
			return results, nil
		}
		g := provider.NewGate(ctx, "ssoda")
		results[0] = b.CompleteOne(0, c.sendReady(ctx, g, c.s.paths.SendAlimTalk, b.Ready[0]))
		return results, g.Err()
	}
	workers := min(c.s.concurrency, len(msgs))
	br := &batchRun{c: c, ctx: ctx, path: c.s.paths.SendAlimTalk, results: results, msgs: msgs,
		chunkSize: min(max(4*workers, sendChunkMin), sendChunkMax), lowWater: workers}
	br.cond.L = &br.mu
	br.gate = provider.NewGate(ctx, "ssoda")
	// PrepareBatch refuses a Ref seen earlier in its own chunk; seen carries the Refs of
	// earlier chunks' ready messages, needed only when there is more than one chunk, and only
	// for the Refs that more than one message carries.
	if len(msgs) > br.chunkSize {
		br.repeated = repeatedRefs(msgs)
		br.seen = make(map[string]struct{}, len(br.repeated))
	}
	var wg sync.WaitGroup
	for range workers - 1 {
		wg.Go(br.work)
	}
	br.work()
	wg.Wait()
	if !br.anyReady {
		return results, nil
	}
	return results, br.gate.Err()
}

// batchRun is what the workers of one sendBatch share.
type batchRun struct {
	c       *Client
	ctx     context.Context
	path    string
	results []alimtalk.Result
	gate    *provider.Gate

	mu        sync.Mutex // guards what follows
	cond      sync.Cond  // on mu: a chunk was prepared
	msgs      []alimtalk.Message
	chunkSize int
	lowWater  int       // prepare the next chunk once the queue holds no more than this
	offset    int       // the first message of the next chunk to prepare
	preparing bool      // a worker is preparing a chunk (one at a time, in order)
	queue     []sendJob // prepared messages not yet taken, in order
	anyReady  bool

	// Used by the one worker preparing a chunk, without mu.
	seen     map[string]struct{}
	repeated map[uint64]struct{}
}

// work runs jobs until none is left.
func (br *batchRun) work() {
	for {
		job, ok := br.next()
		if !ok {
			return
		}
		br.run(job)
	}
}

// next returns the next message to start, preparing the next chunk first when the queue is
// empty, or after taking its message when the queue runs low.
func (br *batchRun) next() (sendJob, bool) {
	br.mu.Lock()
	defer br.mu.Unlock()
	for {
		if len(br.queue) > 0 {
			job := br.queue[0]
			br.queue = br.queue[1:]
			if len(br.queue) <= br.lowWater && !br.preparing && br.offset < len(br.msgs) {
				br.prepareNext()
			}
			return job, true
		}
		switch {
		case br.preparing:
			br.cond.Wait()
		case br.offset < len(br.msgs):
			br.prepareNext()
		default:
			return sendJob{}, false
		}
	}
}

// prepareNext prepares the next chunk and queues its messages. It is called with br.mu held
// and returns with it held, but releases it while preparing.
func (br *batchRun) prepareNext() {
	start := br.offset
	br.offset = min(start+br.chunkSize, len(br.msgs))
	br.preparing = true
	br.mu.Unlock()
	jobs := br.prepareChunk(start, br.msgs[start:br.offset])
	br.mu.Lock()
	br.queue = append(br.queue, jobs...)
	br.anyReady = br.anyReady || len(jobs) > 0
	br.preparing = false
	br.cond.Broadcast()
}

// prepareChunk prepares part, the messages from index offset, writes the Results of those
// that cannot be sent, and returns the others' jobs in order. Only one worker prepares at a
// time (br.preparing), so seen needs no lock; the Results it writes are at indexes no other
// worker writes.
func (br *batchRun) prepareChunk(offset int, part []alimtalk.Message) []sendJob {
	c := br.c
	ch := &sendChunk{offset: offset, b: provider.PrepareBatch(part, c.s.templates, c.limits)}
	ch.b.InvalidInto(br.results[offset:])
	jobs := make([]sendJob, 0, len(ch.b.Ready))
	for j := range ch.b.Ready {
		if ref := ch.b.Ready[j].Ref; br.seen != nil && ref != "" {
			if _, maybe := br.repeated[maphash.String(refSeed, ref)]; maybe {
				if _, dup := br.seen[ref]; dup {
					br.results[offset+ch.b.Position(j)] = duplicateResult(part[ch.b.Position(j)], c)
					continue
				}
				br.seen[ref] = struct{}{}
			}
		}
		jobs = append(jobs, sendJob{ch, j})
	}
	return jobs
}

// run sends one job and writes its Result in place.
func (br *batchRun) run(job sendJob) {
	ch := job.chunk
	r := br.c.sendReady(br.ctx, br.gate, br.path, ch.b.Ready[job.j])
	br.results[ch.offset+ch.b.Position(job.j)] = ch.b.CompleteOne(job.j, r)
}

// refSeed hashes Refs for repeatedRefs.
var refSeed = maphash.MakeSeed()

// repeatedRefs returns the hashes of the non-empty Refs that more than one message carries
// (a hash collision only adds a Ref to watch), so that the Refs a batch of unique Refs holds
// need not be kept in a map.
func repeatedRefs(msgs []alimtalk.Message) map[uint64]struct{} {
	hashes := make([]uint64, 0, len(msgs))
	for i := range msgs {
		if msgs[i].Ref != "" {
			hashes = append(hashes, maphash.String(refSeed, msgs[i].Ref))
		}
	}
	slices.Sort(hashes)
	var repeated map[uint64]struct{}
	for i := 1; i < len(hashes); i++ {
		if hashes[i] == hashes[i-1] {
			if repeated == nil {
				repeated = make(map[uint64]struct{})
			}
			repeated[hashes[i]] = struct{}{}
		}
	}
	return repeated
}

// duplicateResult is the Result of a message whose Ref a message of an earlier chunk already
// used: the very Result preparing both together gives.
func duplicateResult(original alimtalk.Message, c *Client) alimtalk.Result {
	pair := provider.PrepareBatch([]alimtalk.Message{original, original}, c.s.templates, c.limits)
	return pair.Results()[1]
}

// sendReady sends one prepared message, unless g says the batch may start no more messages.
// Its body is built here, after the checks Prepare does not make; a message that fails them is
// StatusInvalid, whether or not it could still be sent.
func (c *Client) sendReady(ctx context.Context, g *provider.Gate, path string, m alimtalk.Message) alimtalk.Result {
	r := alimtalk.Result{Ref: m.Ref, To: m.To, ScheduledAt: m.ScheduledAt}
	body, err := c.alimTalkBody(m)
	if err != nil {
		r.Status, r.Err = alimtalk.StatusInvalid, err
		return r
	}
	r.Text = m.Text
	if err := g.Blocked(1); err != nil {
		body.release()
		r.Status, r.Err = alimtalk.StatusNotSent, err
		return r
	}
	got, stop := c.postMessage(ctx, "Send", path, body, !m.ScheduledAt.IsZero())
	g.Stop(stop)
	return mergeResult(r, got)
}

// alimTalkBody builds the send request of one prepared message, after the checks Prepare does
// not make: Ssoda's template-code rule and the sender key.
func (c *Client) alimTalkBody(m alimtalk.Message) (*object, error) {
	var errs alimtalk.FieldErrors
	if err := c.limits.ValidateTemplateCode(m.TemplateCode); err != nil {
		errs = appendFieldErrors(errs, "TemplateCode", "template_code", err)
	}
	senderKey := m.SenderKey
	if senderKey == "" {
		senderKey = c.creds.SenderKey
	}
	if fe := c.messageSenderKey(senderKey, "set Message.SenderKey or Credentials.SenderKey"); fe != nil {
		errs = append(errs, fe)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	f := c.s.fields
	o := c.newBody()
	o.str("sender_key", senderKey)
	o.str("template_code", m.TemplateCode)
	o.str("dest_phone", m.To)
	o.str("msg_body", m.Text)
	o.optStr(f.Title, m.Title)
	if len(m.Buttons) > 0 {
		o.nestedArray("button", len(m.Buttons), func(i int, item *object) { c.button(item, &m.Buttons[i]) })
	}
	if m.Failover != nil {
		o.nested("failover", func(item *object) { c.failover(item, m.Failover) })
	}
	if !m.ScheduledAt.IsZero() {
		o.str(f.SendTime, wire.FormatKST(m.ScheduledAt, wire.LayoutDateTime))
	}
	return o, nil
}

// messageSenderKey checks the sender key of one message (or FriendTalk) as an alimtalk field
// error, which stays in that message's Result.
func (c *Client) messageSenderKey(key, fix string) *alimtalk.FieldError {
	if key == "" {
		return &alimtalk.FieldError{Field: "SenderKey", Key: "sender_key", Reason: alimtalk.ReasonRequired, Detail: fix}
	}
	if key == c.creds.SenderKey {
		return nil // NewClient checked the default sender key with these very rules
	}
	ch := newChecker("Send")
	c.checkSenderKey(ch, "SenderKey", key)
	if len(ch.problems) == 0 {
		return nil
	}
	p := ch.problems[0]
	return &alimtalk.FieldError{Field: "SenderKey", Key: "sender_key", Reason: alimtalk.ReasonInvalid, Limit: p.Limit, Got: p.Got,
		Detail: string(p.Rule)}
}

// appendFieldErrors appends err's alimtalk field errors, found with errors.As so that wrapping
// never hides them; an error of another type becomes a field error on field.
func appendFieldErrors(errs alimtalk.FieldErrors, field, key string, err error) alimtalk.FieldErrors {
	var list alimtalk.FieldErrors
	var one *alimtalk.FieldError
	switch {
	case err == nil:
	case errors.As(err, &list):
		errs = append(errs, list...)
	case errors.As(err, &one):
		errs = append(errs, one)
	default:
		errs = append(errs, &alimtalk.FieldError{Field: field, Key: key, Reason: alimtalk.ReasonInvalid, Err: err})
	}
	return errs
}

// button maps an alimtalk button onto Ssoda's send schema {name, type, url_mobile, url_pc}
// (confirmed), plus the app-link schemes (inferred names). Ssoda uses Kakao's two-letter
// types ("WL"), the same codes as alimtalk.ButtonType. Plugin, form and phone fields of
// P1–P3, BF and TN buttons have no known Ssoda name and are not sent.
func (c *Client) button(o *object, b *alimtalk.Button) {
	f := &c.s.fields
	o.str("name", b.Name)
	o.str("type", string(b.Type))
	o.optStr("url_mobile", b.URLMobile)
	o.optStr("url_pc", b.URLPC)
	o.optStr(f.ButtonSchemeAndroid, b.SchemeAndroid)
	o.optStr(f.ButtonSchemeIOS, b.SchemeIOS)
}

// failover maps a resolved failover onto {use: "Y", msg_body} (confirmed) with subject,
// send_phone and the message type (inferred names).
func (c *Client) failover(o *object, fo *alimtalk.Failover) {
	f := &c.s.fields
	o.str("use", "Y")
	o.str("msg_body", fo.Content)
	if fo.Kind == alimtalk.FailoverLMS {
		o.optStr(f.FailoverSubject, fo.Subject)
	}
	o.optStr(f.FailoverFrom, fo.From)
	switch fo.Kind {
	case alimtalk.FailoverSMS:
		o.str(f.FailoverKind, "sms")
	case alimtalk.FailoverLMS:
		o.str(f.FailoverKind, "lms")
	}
}
