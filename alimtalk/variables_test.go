package alimtalk

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestEventVariables(t *testing.T) {
	t.Parallel()
	cfg := &Config{ShopName: "리리비", ShopURL: "https://lilibi.kr", VariableNames: map[Field]string{FieldOrderNo: "주문번호"}}
	ec := &EventConfig{VariableNames: map[Field]string{FieldCourier: "택배사"}}
	ev := &Event{Kind: EventShippingStarted, ID: "1", CustomerName: "홍길동", CustomerPhone: "010-1234-5678",
		OrderNo: "O1", ProductName: "상품A 외 2건", Amount: 12000, BankName: "국민", BankAccount: "1-2", AccountHolder: "리리비",
		DueDate: time.Date(2024, 7, 14, 16, 0, 0, 0, time.UTC), Courier: "한진", WaybillNo: "W1", BoardName: "B", PostTitle: "P",
		Variables: map[string]string{"shopName": "override", "extra": "x"}}
	occurred := time.Date(2024, 7, 12, 7, 9, 0, 0, time.UTC)
	got := eventVariables(cfg, ec, ev, occurred)
	assert.Equal(t, map[string]string{
		"shopName": "override", "shopUrl": "https://lilibi.kr", "customerName": "홍길동", "주문번호": "O1",
		"productName": "상품A 외 2건", "amount": "12,000원", "amountNumber": "12,000", "bankName": "국민",
		"bankAccount": "1-2", "accountHolder": "리리비", "depositInfo": "국민/1-2/리리비", "dueDate": "2024-07-15",
		"택배사": "한진", "waybillNo": "W1", "boardName": "B", "postTitle": "P", "eventDate": "2024-07-12 16:09",
		"eventName": "배송중", "customerPhoneMasked": "010-****-5678", "extra": "x",
	}, got)
	assert.Len(t, Fields(), 19)

	member := eventVariables(cfg, &EventConfig{}, &Event{Kind: EventMemberJoined, ID: "m"}, occurred)
	assert.NotContains(t, member, "amount", "no amount outside order events unless given")
	assert.NotContains(t, member, "customerName", "empty data is left out, so templates report it missing")
}
