package transport_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/internal/transport"
)

// A send that the server answers with 503 is not retried: the vendor may have acted on it.
func ExampleClient_Do() {
	received := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		received++
		_, _ = io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer srv.Close()

	c, _ := transport.New(transport.Config{BaseURL: srv.URL, NoWait: true})
	_, err := c.Do(context.Background(), &transport.Request{
		Class: transport.NonIdempotent, Path: "/kakao/send/alimtalk",
		Body: []byte(`{"dest_phone":"01012345678"}`), ContentType: "application/json",
	})
	var te *transport.Error
	fmt.Println(errors.Is(err, kshop.ErrOutcomeUnknown), errors.As(err, &te) && te.Status == 503, received)
	// Output: true true 1
}

// The redactor scrubs secrets and masks phone numbers in anything headed for a log.
func ExampleRedactor_Text() {
	r := transport.NewRedactor(nil, nil, nil, nil)
	fmt.Println(r.Text(`{"token_key":"t0k3n","dest_phone":"010-1234-5678"}`))
	// Output: {"token_key":"REDACTED","dest_phone":"010-****-5678"}
}
