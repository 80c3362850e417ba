package epost

import (
	"bytes"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/kshop-dev/kshop/internal/transport"
)

// FuzzRegDataRoundTrip: decrypt(encrypt(x)) == x for every plaintext the codec accepts, and
// the ciphertext is lowercase hex of whole blocks.
func FuzzRegDataRoundTrip(f *testing.F) {
	for _, s := range []string{"", "123abc가나다", "custNo=0001234567&reqType=1", strings.Repeat("가", 600), "😀 emoji", "exactly16bytes!!"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, plain string) {
		enc, err := EncryptRegData(manualKey, plain)
		valid := utf8.ValidString(plain) && !strings.ContainsRune(plain, 0) && len(plain) <= MaxRegDataLen/2
		if !valid {
			if err == nil {
				t.Fatalf("accepted an invalid plaintext %q", plain)
			}
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("refusal is not a validation error: %v", err)
			}
			return
		}
		if err != nil {
			t.Fatalf("refused a valid plaintext: %v", err)
		}
		if len(enc)%32 != 0 || enc != strings.ToLower(enc) {
			t.Fatalf("ciphertext %q is not lowercase hex of whole blocks", enc)
		}
		got, err := DecryptRegData(manualKey, strings.ToUpper(enc))
		if err != nil {
			t.Fatalf("decrypt: %v", err)
		}
		if got != plain {
			t.Fatalf("round trip: got %q, want %q", got, plain)
		}
	})
}

// FuzzDecryptRegData: what decrypts is UTF-8 text that encrypts back to the same blocks (up
// to the stripped zero padding); what does not is a *CiphertextError.
func FuzzDecryptRegData(f *testing.F) {
	f.Add("8522ad534acc61cb88090b7e62c5183b")
	f.Add("8522AD534ACC61CB88090B7E62C5183B")
	f.Add("")
	f.Add("zz")
	f.Add(strings.Repeat("00", 48))
	f.Add(hex.EncodeToString([]byte("not a ciphertext")))
	f.Fuzz(func(t *testing.T, in string) {
		plain, err := DecryptRegData(manualKey, in)
		if err != nil {
			if !errors.Is(err, ErrCiphertext) {
				t.Fatalf("refusal is not a *CiphertextError: %v", err)
			}
			return
		}
		if !utf8.ValidString(plain) {
			t.Fatalf("decrypted text is not UTF-8")
		}
		if strings.ContainsRune(plain, 0) || len(plain) > MaxRegDataLen/2 {
			return // an inner NUL, or more than one regData holds, cannot be encrypted back
		}
		back, err := EncryptRegData(manualKey, plain)
		if err != nil {
			t.Fatalf("decrypted text does not encrypt back: %v", err)
		}
		// The stripped padding may have spanned whole zero blocks, so the input may be longer.
		if trimmed := strings.ToLower(strings.TrimSpace(in)); !strings.HasPrefix(trimmed, back) {
			t.Fatalf("re-encryption %q is not a prefix of %q", back, trimmed)
		}
	})
}

// xnode is encoding/xml's own reading of a document, the strict reference parseXML must agree
// with.
type xnode struct {
	XMLName xml.Name
	Text    string  `xml:",chardata"`
	Nodes   []xnode `xml:",any"`
}

func sameTree(t *testing.T, ours *node, ref *xnode) {
	t.Helper()
	if ours.name != strings.ToLower(ref.XMLName.Local) {
		t.Fatalf("element %q, reference %q", ours.name, ref.XMLName.Local)
	}
	if ours.text != strings.TrimSpace(ref.Text) {
		t.Fatalf("<%s> text %q, reference %q", ours.name, ours.text, strings.TrimSpace(ref.Text))
	}
	if len(ours.children) != len(ref.Nodes) {
		t.Fatalf("<%s> has %d children, reference %d", ours.name, len(ours.children), len(ref.Nodes))
	}
	for i := range ours.children {
		sameTree(t, ours.children[i], &ref.Nodes[i])
	}
}

func fixtureSeeds(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.xml"))
	for _, name := range files {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
}

// FuzzParseXMLAgreesWithStrictDecoder: every document parseXML accepts is well formed for
// encoding/xml in strict mode and reads as the same tree; a mismatched or missing end tag is
// never accepted.
func FuzzParseXMLAgreesWithStrictDecoder(f *testing.F) {
	fixtureSeeds(f)
	f.Add([]byte("<a><b><![CDATA[x]]></b></a>"))
	f.Add([]byte("<response><regiNo>1</regiNo></respons>"))
	f.Add([]byte("<response><regiNo>1</response>"))
	f.Add([]byte("<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><x>&e;</x>"))
	f.Add([]byte("<a>&nbsp;&amp;</a>"))
	f.Fuzz(func(t *testing.T, body []byte) {
		root, problem, _ := parseXML(body)
		if problem != 0 {
			if root != nil {
				t.Fatal("a problem with a root")
			}
			return
		}
		d := xml.NewDecoder(bytes.NewReader(bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))))
		d.Strict, d.Entity, d.CharsetReader = true, xml.HTMLEntity, charsetReader
		var ref xnode
		if err := d.Decode(&ref); err != nil {
			t.Fatalf("parseXML accepted what strict encoding/xml refuses: %v", err)
		}
		sameTree(t, root, &ref)
	})
}

// fuzzClient is a client for decoding answers without I/O.
func fuzzClient(t testing.TB) *Client {
	t.Helper()
	c, err := NewClient(Credentials{APIKey: "APIKEY0123456789", SecurityKey: manualKey, CustomerNo: "0001234567", ApprovalNo: "1018680001"})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// FuzzInsertOrderAnswer: no false success. InsertOrder's decoding succeeds only on an answer
// that holds exactly one 13-digit waybill and no error; it reports a plain refusal only for an
// error answer without any result in it; everything else leaves the outcome unknown.
func FuzzInsertOrderAnswer(f *testing.F) {
	fixtureSeeds(f)
	f.Add([]byte("<response><regiNo>6012345678901</regiNo><error_code>ERR-211</error_code></response>"))
	f.Add([]byte("<response><regiNo>6012345678901</regiNo><regiNo>6012345678902</regiNo></response>"))
	f.Add([]byte("<response><regiNo>TESTREGINOAPI</regiNo></response>"))
	f.Add([]byte("<response><regiNo>6012345678901</regino></response>"))
	c := fuzzClient(f)
	f.Fuzz(func(t *testing.T, answer []byte) {
		root, err := c.answer(ServiceContract, callInsertOrder.name, transport.NonIdempotent, &transport.Response{StatusCode: 200, Body: answer}, nil)
		var b *Booking
		if err == nil {
			b, err = decodeBooking(root, false, c.errBody)
		}
		parsed, problem, _ := parseXML(answer)
		if err == nil {
			if problem != 0 || parsed.has("error_code") || parsed.name == "error" {
				t.Fatalf("success on an answer that is not a clean result")
			}
			if len(b.RegiNo) != 13 || !isDigits(b.RegiNo) || !bytes.Contains(answer, []byte(b.RegiNo)) {
				t.Fatalf("success with waybill %q", b.RegiNo)
			}
			for _, n := range parsed.findAll("regiNo") {
				if n.text != b.RegiNo {
					t.Fatalf("success although the answer holds another waybill %q", n.text)
				}
			}
			return
		}
		if errors.Is(err, ErrOutcomeUnknown) {
			var shared interface{ OutcomeUnknown() bool }
			if !errors.As(err, &shared) || !shared.OutcomeUnknown() {
				t.Fatalf("unknown outcome without the vendor error saying so: %v", err)
			}
			return
		}
		var apiErr *APIError
		if !errors.As(err, &apiErr) || problem != 0 {
			t.Fatalf("neither unknown nor a refusal: %v", err)
		}
		for _, item := range resultItems {
			if parsed.has(item) {
				t.Fatalf("a plain refusal although the answer holds %s", item)
			}
		}
	})
}

// FuzzReconcileAnswer: reconciliation says "not booked" only on the documented ERR-225; any
// other answer without a booking is an error it reports as still unknown.
func FuzzReconcileAnswer(f *testing.F) {
	fixtureSeeds(f)
	for _, s := range []string{"<response/>", "<resInfoList/>", "<result><code>503</code></result>", "",
		"<error><error_code>ERR-225</error_code></error>", "<error><error_code>ERR-125</error_code></error>",
		"<response><resInfo><reqNo>1</reqNo><treatStusCd>05</treatStusCd></resInfo></response>"} {
		f.Add([]byte(s))
	}
	c := fuzzClient(f)
	f.Fuzz(func(t *testing.T, answer []byte) {
		root, err := c.answer(ServiceContract, callGetResInfo.name, transport.Idempotent, &transport.Response{StatusCode: 200, Body: answer}, nil)
		var list []Reservation
		if err == nil {
			list, err = c.decodeResInfo(root)
		}
		parsed, problem, _ := parseXML(answer)
		switch {
		case err == nil:
			if len(list) == 0 {
				t.Fatalf("a list answer without entries")
			}
			if problem != 0 || parsed.has("error_code") {
				t.Fatalf("bookings read from an answer that is not a clean list")
			}
		case documentedNotFound(err):
			if problem != 0 || !strings.EqualFold(parsed.value("error_code"), "ERR-225") {
				t.Fatalf("not booked without ERR-225")
			}
		default:
			var shared interface{ HTTPStatusCode() int }
			if !errors.As(err, &shared) {
				t.Fatalf("an answer's failure is not a vendor error: %v", err)
			}
		}
	})
}

// FuzzParseErrorCode: any text decodes; a valid code has a known group and kind and prints
// back as itself.
func FuzzParseErrorCode(f *testing.F) {
	for _, s := range []string{"ERR-211", "err-531", "ERR-001", "", "ERR-9999", "ERR-1\xff1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c := ParseErrorCode(s)
		if c.Valid && (c.Group < GroupAPI || c.Group > GroupOther || c.Kind < KindMissing || c.Kind > KindSystem) {
			t.Fatalf("valid code %q with group %d kind %d", s, c.Group, c.Kind)
		}
		if c.Valid && !strings.EqualFold(strings.TrimSpace(s), c.Raw) {
			t.Fatalf("valid code %q kept as %q", s, c.Raw)
		}
		_ = c.String()
	})
}

// FuzzTraceText: status normalization stays in range, parsed times are KST, and a waybill
// that normalizes is 13 digits.
func FuzzTraceText(f *testing.F) {
	f.Add("배달완료", "2024-05-01", "13:45")
	f.Add("미배달", "2024.05.01", "134500")
	f.Add("", "99999999", "9999")
	f.Add("접수", "6012-3456-78901", "")
	f.Fuzz(func(t *testing.T, status, date, clock string) {
		if s := NormalizeStatus(status); s < StatusUnknown || s > StatusException {
			t.Fatalf("status %d out of range", s)
		}
		if tm := parseTraceTime(date, clock); !tm.IsZero() {
			if _, off := tm.Zone(); off != 9*3600 {
				t.Fatalf("time %v is not KST", tm)
			}
		}
		if w, err := NormalizeWaybill(date); err == nil && (len(w) != 13 || !isDigits(w)) {
			t.Fatalf("waybill %q accepted", w)
		} else if err != nil && !errors.Is(err, ErrInvalid) {
			t.Fatalf("refusal is not a validation error: %v", err)
		}
	})
}
