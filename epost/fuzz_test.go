package epost

import (
	"encoding/hex"
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

// FuzzDecryptRegData: arbitrary input never panics; what decrypts is UTF-8 text that
// encrypts back to the same blocks (up to the stripped padding).
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
			return
		}
		if !utf8.ValidString(plain) {
			t.Fatalf("decrypted text is not UTF-8")
		}
		if strings.ContainsRune(plain, 0) {
			return // an inner NUL cannot be encrypted back
		}
		if _, err := EncryptRegData(manualKey, plain); err != nil && len(plain) <= MaxRegDataLen/2 {
			t.Fatalf("decrypted text does not encrypt back: %v", err)
		}
	})
}

// FuzzDecodeAnswers feeds arbitrary bytes to the XML reader, the error recogniser and every
// answer decoder: none may panic.
func FuzzDecodeAnswers(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*"))
	for _, name := range files {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("<a><b><![CDATA[x]]></b></a>"))
	f.Add([]byte("<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><x>&e;</x>"))
	f.Add([]byte("<a>&nbsp;&unknown;</a>"))
	tr, err := transport.New(transport.Config{BaseURL: "https://ship.epost.go.kr"})
	if err != nil {
		f.Fatal(err)
	}
	c := &Client{tr: tr}
	f.Fuzz(func(t *testing.T, body []byte) {
		root, problem, _ := parseXML(body)
		if problem != 0 {
			if root != nil {
				t.Fatal("a problem with a root")
			}
			return
		}
		for _, svc := range []Service{ServiceContract, ServicePublicTrace, ServiceBizTrace} {
			_ = c.vendorError(svc, "Fuzz", transport.Idempotent, 200, root, body)
		}
		_ = bookingFrom(root)
		_ = decodePublicTrace(root, "6012345678901")
		_ = decodeBizTrace(root, "6012345678901")
		_ = root.entries("resInfo", "reqNo")
		_ = root.leaves()
	})
}

// FuzzParseErrorCode: any text decodes without panic, and a valid code has a known group.
func FuzzParseErrorCode(f *testing.F) {
	for _, s := range []string{"ERR-211", "err-531", "ERR-001", "", "ERR-9999", "ERR-1\xff1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c := ParseErrorCode(s)
		if c.Valid && (c.Group < GroupAPI || c.Group > GroupOther || c.Kind < KindMissing || c.Kind > KindSystem) {
			t.Fatalf("valid code %q with group %d kind %d", s, c.Group, c.Kind)
		}
		_ = c.String()
	})
}

// FuzzTraceText: status normalization and date parsing take any text.
func FuzzTraceText(f *testing.F) {
	f.Add("배달완료", "2024-05-01", "13:45")
	f.Add("미배달", "2024.05.01", "134500")
	f.Add("", "99999999", "9999")
	f.Fuzz(func(t *testing.T, status, date, clock string) {
		if s := NormalizeStatus(status); s < StatusUnknown || s > StatusException {
			t.Fatalf("status %d out of range", s)
		}
		_ = parseTraceTime(date, clock)
		_, _ = NormalizeWaybill(date)
	})
}
