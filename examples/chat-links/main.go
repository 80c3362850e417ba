// Command chat-links builds the Happytalk chat links behind a shop's chat buttons for a
// logged-in customer, one per channel, and shows why a placeholder customer ID is refused:
//
//	go run ./examples/chat-links
//
// It is pure Go (no network): the base URLs are the chat URLs copied from the Happytalk
// console ([서비스설정] > [기본 설정] > [채팅 버튼 설정]).
package main

import (
	"errors"
	"fmt"
	"log"

	"github.com/kshop-dev/kshop/happytalk"
)

var bases = []string{
	"https://api.happytalk.io/api/kakao/chat_open?yid=%40kshop&site_id=4000000001&category_id=74133&division_id=74134",
	"https://design.happytalkio.com/chatting?siteId=4000000001&siteName=kshop&categoryId=74133&divisionId=74134&partnerId=&shopId=",
	"https://customer.happytalk.io/public_v1/chat_v4/public_point?go=C&site_id=4000000001&category_id=74133&division_id=74134&usergb=W",
	"https://talk.naver.com/ct/wc1234",
}

func main() {
	log.SetFlags(0)
	customer := happytalk.Params{
		SiteUID:       "member-1", // the shop's login ID: one customer and history in Happytalk
		CustomerName:  "홍길동",
		CustomerPhone: "010-1234-5678", // sent as digits
		Parameters:    []string{"주문조회", "20261122-0001"},
	}
	for _, base := range bases {
		ch, err := happytalk.DetectChannel(base)
		if err != nil {
			log.Fatal(err)
		}
		link, err := happytalk.Build(base, customer)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s:\n  %s\n", ch, link)
	}

	// A template that never filled the ID in would merge every anonymous visitor into one
	// customer, so Build refuses it; a visitor who is not logged in is sent with SiteUID "".
	visitor := customer
	visitor.SiteUID = "undefined"
	_, err := happytalk.Build(bases[0], visitor)
	var placeholder *happytalk.PlaceholderIDError
	if errors.As(err, &placeholder) {
		fmt.Printf("refused %s %q: %v\n", placeholder.Field, placeholder.Value, err)
	}
	link, err := happytalk.Build(bases[0], happytalk.Params{SiteUID: "", Parameters: customer.Parameters})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("not logged in:\n  %s\n", link)
}
