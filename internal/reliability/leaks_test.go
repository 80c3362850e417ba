package reliability_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/alimtalk"
	"github.com/kshop-dev/kshop/epost"
	"github.com/kshop-dev/kshop/ssoda"
)

// TestMain runs the suite, then checks that no goroutine outlived it (goleak) and that no
// log line or error of the whole suite carried a key or the recipient's phone number, name or
// address, and prints the suite's summary.
func TestMain(m *testing.M) {
	code := m.Run()
	if code == 0 {
		if err := goleak.Find(); err != nil {
			fmt.Fprintf(os.Stderr, "FAIL: goroutines leaked: %v\n", err)
			code = 1
		}
	}
	if v := leakScan.violations(); len(v) > 0 {
		fmt.Fprintf(os.Stderr, "FAIL: %d secret or personal-data leaks:\n%s\n", len(v), strings.Join(v, "\n"))
		code = 1
	}
	fmt.Println(summary.String())
	os.Exit(code)
}

// forbidden are the fragments that must never appear in a log line or an error: the keys
// (whole, or cut anywhere: a prefix, the middle, the end), and the recipient's name and
// address. Phone numbers are matched by phonePattern.
var forbidden = func() []string {
	var out []string
	for _, k := range []string{ssodaAPIKey, ssodaTokenKey, ssodaSenderKey, epostAPIKey, epostSecKey} {
		out = append(out, k[:10], k[len(k)/2-5:len(k)/2+5], k[len(k)-10:])
	}
	return append(out, recipientName, recipientAddr)
}()

// phonePattern matches the recipient 010-9876-5432 in every writing (01098765432,
// 010-9876-5432, +821098765432, 82 10 9876 5432, 010.9876.5432) and cut after its middle
// digits (010-9876-54…), but not its masked form 010-****-5432. It is used on short texts;
// findPhone is the fast equivalent for the scan.
var phonePattern = regexp.MustCompile(`(?:^|[^0-9])(?:0|\+?82[ -]?0?)10[ .-]?9876|9876[ .-]?5432`)

// findPhone returns the index of the recipient's number in text, or -1. It looks at every
// "9876" (the middle digits, which masking hides) and checks what surrounds it, so it stays
// fast on answers of several megabytes.
func findPhone(text string) int {
	for off := 0; ; {
		i := strings.Index(text[off:], "9876")
		if i < 0 {
			return -1
		}
		i += off
		lo := max(0, i-12)
		if phonePattern.MatchString(text[lo:min(len(text), i+9)]) {
			return lo
		}
		off = i + 4
	}
}

// byteForms are the recipient's middle digits and the keys' first bytes as fmt prints a
// []byte with %v and %#v: a Body printed by a verb must not carry them either.
var byteForms = func() []string {
	var out []string
	for _, s := range []string{"9876", ssodaAPIKey[:8], ssodaTokenKey[:8], epostAPIKey[:8], epostSecKey[:8]} {
		dec, hex := make([]string, len(s)), make([]string, len(s))
		for i := 0; i < len(s); i++ {
			dec[i], hex[i] = fmt.Sprint(s[i]), fmt.Sprintf("0x%x", s[i])
		}
		out = append(out, strings.Join(dec, " "), strings.Join(hex, ", "))
	}
	return out
}()

// scanner collects leaks found in logs and errors.
type scanner struct {
	mu       sync.Mutex
	logBytes int
	logLines int
	errs     int
	found    map[string]int // "where: fragment: excerpt" → count
}

var leakScan = &scanner{found: map[string]int{}}

// check scans text from where.
func (s *scanner) check(where, text string) {
	var hits []string
	for _, f := range forbidden {
		if i := strings.Index(text, f); i >= 0 {
			hits = append(hits, fmt.Sprintf("%s: %q in …%s…", where, f, excerpt(text, i)))
		}
	}
	if i := findPhone(text); i >= 0 {
		hits = append(hits, fmt.Sprintf("%s: phone in …%s…", where, excerpt(text, i)))
	}
	for _, f := range byteForms {
		if i := strings.Index(text, f); i >= 0 {
			hits = append(hits, fmt.Sprintf("%s: bytes %q in …%s…", where, f, excerpt(text, i)))
		}
	}
	if len(hits) == 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, h := range hits {
		s.found[h]++
	}
}

func excerpt(text string, i int) string {
	from, to := max(0, i-60), min(len(text), i+60)
	return strings.ToValidUTF8(text[from:to], "?")
}

func (s *scanner) violations() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, len(s.found))
	for h, n := range s.found {
		out = append(out, fmt.Sprintf("  %s (×%d)", h, n))
	}
	sort.Strings(out)
	return out
}

// scanWriter is the io.Writer of the suite's slog handlers: every line is scanned.
type scanWriter struct{}

func (scanWriter) Write(p []byte) (int, error) {
	leakScan.mu.Lock()
	leakScan.logBytes += len(p)
	leakScan.logLines += bytes.Count(p, []byte{'\n'})
	leakScan.mu.Unlock()
	leakScan.check("log", string(p))
	return len(p), nil
}

// observe scans an error in every form a user might print it, and returns it.
func observe(where string, err error) error {
	if err == nil {
		return nil
	}
	leakScan.mu.Lock()
	leakScan.errs++
	leakScan.mu.Unlock()
	for _, form := range []string{err.Error(), fmt.Sprintf("%v", err), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err), fmt.Sprintf("%s", err), fmt.Sprintf("%q", err)} {
		leakScan.check("error of "+where, form)
	}
	// Every error in the chain, printed alone (a wrapper may hide what %#v of its cause shows).
	walk(err, func(e error) {
		leakScan.check(fmt.Sprintf("error of %s (%T in the chain)", where, e), fmt.Sprintf("%#v", e))
	})
	return err
}

func walk(err error, f func(error)) {
	if err == nil {
		return
	}
	f(err)
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		walk(u.Unwrap(), f)
	case interface{ Unwrap() []error }:
		for _, e := range u.Unwrap() {
			walk(e, f)
		}
	}
}

// observeResults scans the errors of send results.
func observeResults(where string, rs []alimtalk.Result) {
	for _, r := range rs {
		_ = observe(where, r.Err)
	}
}

// TestLeaksClientsAndCredentials prints clients and credentials every way a user might, and
// scans the output.
func TestLeaksClientsAndCredentials(t *testing.T) {
	t.Parallel()
	sc := ssodaClient(t, refusedURL(t), nil)
	ec := epostClient(t, refusedURL(t), nil)
	screds := ssoda.Credentials{APIKey: ssodaAPIKey, TokenKey: ssodaTokenKey, SenderKey: ssodaSenderKey}
	ecreds := epost.Credentials{APIKey: epostAPIKey, SecurityKey: epostSecKey, CustomerNo: epostCustNo, ApprovalNo: epostApprNo}
	type holder struct {
		Name  string
		Ssoda ssoda.Credentials
		Epost epost.Credentials
	}
	h := holder{Name: "shop", Ssoda: screds, Epost: ecreds}

	var out []string
	for _, v := range []any{sc, deref(sc), ec, deref(ec), screds, &screds, ecreds, &ecreds, h, &h} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
			out = append(out, fmt.Sprintf(verb, v))
		}
	}
	for _, v := range []any{screds, ecreds, h} {
		b, err := json.Marshal(v)
		require.NoError(t, err)
		out = append(out, string(b))
	}
	var buf bytes.Buffer
	for _, hd := range []slog.Handler{slog.NewJSONHandler(&buf, nil), slog.NewTextHandler(&buf, nil)} {
		l := slog.New(hd)
		l.Info("creds", "ssoda", screds, "epost", ecreds, "holder", h, "client", sc, "eclient", ec)
		l.Info("group", slog.Group("g", "ssoda", screds, "epost", ecreds))
		l.Info("any", slog.Any("holder", &h))
	}
	out = append(out, buf.String())

	all := strings.Join(out, "\n")
	leakScan.check("printed clients and credentials", all)
	for _, k := range []string{ssodaAPIKey, ssodaTokenKey, epostAPIKey, epostSecKey} {
		assert.NotContains(t, all, k[:10], "a key leaked through fmt, json or slog")
	}
	// Not vacuous: the non-secret numbers are shown.
	assert.Contains(t, all, epostCustNo)
}

// TestLeaksAcrossTheLogCut sends texts whose phone number straddles every byte offset around
// the 2 KiB cut of debug logs, and answers with bodies that echo the key and the number past
// the cut, then scans the logs of this test alone (the suite-wide scan covers them too).
func TestLeaksAcrossTheLogCut(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var local bytes.Buffer
	logger := slog.New(fanout{
		slog.NewJSONHandler(lockedWriter{&mu, &local}, &slog.HandlerOptions{Level: slog.LevelDebug}),
		slog.NewTextHandler(lockedWriter{&mu, &local}, &slog.HandlerOptions{Level: slog.LevelDebug}),
		suiteLogger.Handler(),
	})
	// The answer echoes the API key and the number around byte 2040 of the body.
	echo := func(offset int) string {
		head := `{"code":"400","error":"`
		pad := strings.Repeat("x", max(0, offset-len(head)))
		return head + pad + " 수신 " + recipient + " / " + ssodaAPIKey + ` 처리 실패"}`
	}
	s := startServer(t, func(x *exchange) {
		x.reply(200, jsonType, echo(1990+x.n%80))
	})
	c := ssodaClient(t, s.url, nil, ssoda.WithLogger(logger), ssoda.WithConcurrency(4))
	var msgs []alimtalk.Message
	for off := 1960; off < 2080; off += 10 {
		// The request body puts a few hundred bytes before the text, so three paddings per
		// offset put the number across the cut whatever the body's layout; steps of 10 bytes
		// are shorter than the 13-byte number, so some message straddles every cut.
		for _, prefix := range []int{off, off - 300, off - 450} {
			m := message(fmt.Sprintf("cut-%d-%d", off, prefix))
			m.Text = pad(prefix) + " 연락처 " + recipient + " 끝"
			msgs = append(msgs, m)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), defaultCellTimeout)
	defer cancel()
	rs, err := c.Send(ctx, msgs)
	_ = observe("log-cut send", err)
	observeResults("log-cut send", rs)
	require.Len(t, rs, len(msgs))
	assert.LessOrEqual(t, s.Received(), len(msgs), "no message was sent twice")
	rejected := 0
	for _, r := range rs {
		// A refusal, or not sent at all when the client read the echo as a refused key and
		// stopped the batch.
		assert.Contains(t, []alimtalk.Status{alimtalk.StatusRejected, alimtalk.StatusNotSent}, r.Status)
		var apiErr kshop.APIError
		if r.Status == alimtalk.StatusRejected && assert.True(t, errors.As(r.Err, &apiErr)) {
			assert.Equal(t, "400", apiErr.Code())
			rejected++
		}
	}
	assert.Positive(t, rejected)
	mu.Lock()
	logs := local.String()
	mu.Unlock()
	require.Contains(t, logs, "level=DEBUG", "debug lines were logged (the scan is not vacuous)")
	require.Greater(t, len(logs), 4*2048, "bodies over the cut were logged")
	assert.NotContains(t, logs, ssodaAPIKey[:10])
	assert.False(t, phonePattern.MatchString(logs), "a phone number leaked into the debug log: %q",
		phonePattern.FindString(logs))
	assert.Contains(t, logs, "5432", "the masked number keeps its last digits (the scan looks at the right lines)")
}

// deref returns *p as a value, as a user writing fmt.Printf("%v", *client) prints it (go vet
// rightly objects to copying a client in our own code).
func deref(p any) any { return reflect.ValueOf(p).Elem().Interface() }

// pad returns n bytes of text in at most 1,000 characters (Kakao's limit): Hangul syllables
// of 3 bytes, then up to 2 ASCII letters.
func pad(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat("가", n/3) + strings.Repeat("a", n%3)
}

type lockedWriter struct {
	mu *sync.Mutex
	w  *bytes.Buffer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
