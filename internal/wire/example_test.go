package wire_test

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/kshop-dev/kshop/internal/wire"
)

// A vendor sends its result code as a string one day and as a number the next.
func ExampleCode() {
	var a, b struct {
		Code wire.Code `json:"code"`
	}
	_ = json.Unmarshal([]byte(`{"code":"200"}`), &a)
	_ = json.Unmarshal([]byte(`{"code":200}`), &b)
	fmt.Println(a.Code.Is("200"), b.Code.Is("200"))
	// Output: true true
}

// Reservations are written in Korea Standard Time whatever the server's zone.
func ExampleFormatKST() {
	t := time.Date(2026, 11, 21, 23, 30, 0, 0, time.UTC)
	fmt.Println(wire.FormatKST(t, wire.LayoutDateTime))
	// Output: 2026-11-22 08:30:00
}

// SMS carries at most 90 bytes of EUC-KR; longer failover text goes as LMS.
func ExampleEUCKRLen() {
	n, err := wire.EUCKRLen("[상점] 주문이 접수되었습니다.")
	fmt.Println(n, err)
	// Output: 29 <nil>
}

// Request structs become query strings or form bodies.
func ExampleValues() {
	v, _ := wire.Values(struct {
		Rgist string `url:"rgist"`
		Page  int    `url:"page,omitempty"`
	}{Rgist: "6012345678901"})
	fmt.Println(v.Encode())
	// Output: rgist=6012345678901
}
