package epost

import (
	"bytes"
	"crypto/cipher"
	"encoding/hex"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/RyuaNerin/go-krypto/seed"

	"github.com/kshop-dev/kshop"
)

// SecurityKeyLen is how many bytes of the security key (보안키) SEED-128 uses. Real keys are
// 22 characters; the bytes after the 16th are ignored, as in Korea Post's sample code.
const SecurityKeyLen = 16

// MaxRegDataLen is the longest regData the service accepts, in characters of the hex
// ciphertext (the manual: "최대 사이즈 : 4000 byte"). It allows 2000 bytes of plaintext.
const MaxRegDataLen = 4000

const blockSize = seed.BlockSize

// regDataCodec holds the expanded SEED key. A cipher.Block from go-krypto only reads its round
// keys, so one codec is safe for concurrent use; a Client builds it once.
type regDataCodec struct {
	block cipher.Block
}

// newRegDataCodec checks the security key and expands its first 16 bytes. Keys of 16 to 21
// bytes are accepted too: the service only ever uses the first 16.
func newRegDataCodec(securityKey string) (*regDataCodec, *kshop.FieldError) {
	block, fe := newSEED(securityKey)
	if fe != nil {
		return nil, fe
	}
	return &regDataCodec{block: block}, nil
}

// newSEED is newRegDataCodec's key check and schedule, for the one-shot functions, which keep
// their codec on the stack.
func newSEED(securityKey string) (cipher.Block, *kshop.FieldError) {
	if len(securityKey) < SecurityKeyLen {
		return nil, &kshop.FieldError{Field: "Credentials.SecurityKey", Rule: kshop.RuleTooShort, Limit: SecurityKeyLen, Got: len(securityKey),
			Detail: "bytes (Korea Post issues 22-character keys)", Err: ErrSecurityKey}
	}
	block, err := seed.NewCipher([]byte(securityKey[:SecurityKeyLen]))
	if err != nil { // cannot happen with 16 bytes; kept so a library change cannot panic us
		return nil, &kshop.FieldError{Field: "Credentials.SecurityKey", Rule: kshop.RuleFormat, Detail: "SEED rejected the key", Err: ErrSecurityKey}
	}
	return block, nil
}

// EncryptRegData encrypts a regData plaintext ("custNo=…&reqType=…") the way Korea Post's
// contract-parcel API expects it: SEED-128 in ECB mode with the first 16 bytes of securityKey,
// the UTF-8 bytes zero-padded to whole 16-byte blocks (an empty text becomes one zero block),
// written as lowercase hex.
//
// The plaintext must be valid UTF-8 without NUL bytes (zero padding could not be told apart
// from them), and the result may not exceed MaxRegDataLen characters. Building the plaintext
// (and refusing '&', '=', CR and LF inside values) is the caller's job; the Client does it.
//
// Problems come back as a *kshop.ValidationError (Op "epost.EncryptRegData").
func EncryptRegData(securityKey, plaintext string) (string, error) {
	const op = "epost.EncryptRegData"
	block, fe := newSEED(securityKey)
	if fe != nil {
		return "", kshop.NewValidationError(op, []*kshop.FieldError{fe})
	}
	codec := regDataCodec{block: block}
	out, fe := codec.encrypt(plaintext)
	if fe != nil {
		return "", kshop.NewValidationError(op, []*kshop.FieldError{fe})
	}
	return out, nil
}

// DecryptRegData reverses EncryptRegData: it accepts hex in either letter case, decrypts with
// the first 16 bytes of securityKey and strips the trailing zero bytes of the padding. A
// result that is not UTF-8 text is refused with a *CiphertextError: it almost always means
// the wrong key; a short security key with a *kshop.ValidationError.
func DecryptRegData(securityKey, hexCiphertext string) (string, error) {
	codec, fe := newRegDataCodec(securityKey)
	if fe != nil {
		return "", kshop.NewValidationError("epost.DecryptRegData", []*kshop.FieldError{fe})
	}
	return codec.decrypt(hexCiphertext)
}

func (c *regDataCodec) encrypt(plaintext string) (string, *kshop.FieldError) {
	buf := make([]byte, paddedLen(len(plaintext)))
	copy(buf, plaintext) // the rest stays zero: the padding
	if fe := c.sealPlain(buf, len(plaintext)); fe != nil {
		return "", fe
	}
	return hex.EncodeToString(buf), nil
}

// sealItems writes the items' plaintext (k=v&k=v, see fieldList.plaintext) straight into a
// zero-padded buffer and encrypts it there, so a call builds no intermediate strings. The
// result is the raw ciphertext; the caller writes it as hex.
func (c *regDataCodec) sealItems(items fieldList) ([]byte, *kshop.FieldError) {
	n := items.plaintextLen()
	buf := make([]byte, paddedLen(n))
	items.appendPlaintext(buf[:0])
	if fe := c.sealPlain(buf, n); fe != nil {
		return nil, fe
	}
	return buf, nil
}

// sealPlain checks the plaintext in buf[:n] (buf is zero after it, in whole blocks) and
// encrypts buf in place.
func (c *regDataCodec) sealPlain(buf []byte, n int) *kshop.FieldError {
	plain := buf[:n]
	if !utf8.Valid(plain) {
		return &kshop.FieldError{Field: "regData", Key: "regData", Rule: kshop.RuleInvalidUTF8}
	}
	if bytes.IndexByte(plain, 0) >= 0 {
		return &kshop.FieldError{Field: "regData", Key: "regData", Rule: kshop.RuleControlChars, Detail: "a NUL byte, which zero padding would swallow"}
	}
	if len(buf)*2 > MaxRegDataLen {
		return &kshop.FieldError{Field: "regData", Key: "regData", Rule: kshop.RuleTooLong, Limit: MaxRegDataLen, Got: len(buf) * 2, Err: ErrRegDataTooLong,
			Detail: fmt.Sprintf("hex characters once encrypted: the items' sum is too long (plaintext %d bytes; at most %d fit)", n, MaxRegDataLen/2)}
	}
	c.sealBlocks(buf)
	return nil
}

// paddedLen is n rounded up to whole blocks; an empty input still takes one block.
func paddedLen(n int) int {
	if n == 0 {
		return blockSize
	}
	return (n + blockSize - 1) / blockSize * blockSize
}

// seal zero-pads p to whole blocks and encrypts them: SEED-128 ECB as the service does it.
func (c *regDataCodec) seal(p []byte) []byte {
	buf := make([]byte, paddedLen(len(p)))
	copy(buf, p)
	c.sealBlocks(buf)
	return buf
}

// sealBlocks encrypts whole blocks in place.
func (c *regDataCodec) sealBlocks(buf []byte) {
	for off := 0; off+blockSize <= len(buf); off += blockSize {
		c.block.Encrypt(buf[off:off+blockSize], buf[off:off+blockSize])
	}
}

// open decrypts whole blocks in place; the caller strips the padding.
func (c *regDataCodec) open(buf []byte) {
	for off := 0; off+blockSize <= len(buf); off += blockSize {
		c.block.Decrypt(buf[off:off+blockSize], buf[off:off+blockSize])
	}
}

func (c *regDataCodec) decrypt(hexCiphertext string) (string, error) {
	s := strings.TrimSpace(hexCiphertext)
	switch {
	case s == "":
		return "", &CiphertextError{Reason: "empty"}
	case len(s)%(blockSize*2) != 0:
		return "", &CiphertextError{Reason: fmt.Sprintf("length %d is not a multiple of %d hex characters", len(s), blockSize*2)}
	}
	buf, err := hex.DecodeString(s) // accepts both letter cases
	if err != nil {
		return "", &CiphertextError{Reason: "not hexadecimal"}
	}
	c.open(buf)
	end := len(buf)
	for end > 0 && buf[end-1] == 0 {
		end--
	}
	buf = buf[:end]
	if !utf8.Valid(buf) {
		return "", &CiphertextError{Reason: "decrypted bytes are not UTF-8 text (wrong security key?)"}
	}
	return string(buf), nil
}
