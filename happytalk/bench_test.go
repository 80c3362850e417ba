package happytalk_test

import (
	"net/url"
	"testing"

	"github.com/kshop-dev/kshop/happytalk"
)

// benchParams is a typical logged-in customer with two custom parameters. The phone is given
// as digits so that Build and the baseline send the same values.
var benchParams = happytalk.Params{
	SiteUID:       "loginid1234",
	CustomerName:  "홍길동",
	CustomerPhone: "01012345678",
	CustomerEmail: "happytalk@happytalk.io",
	UserParameter: "order-20240101-0001",
	Parameters:    []string{"상품상세", "우수고객"},
}

var benchSink string

// BenchmarkBuild measures Build per channel: validation (placeholder, lengths, e-mail, phone),
// channel detection and the byte-preserving rewrite of the base URL.
func BenchmarkBuild(b *testing.B) {
	for _, cb := range channelBases {
		b.Run(cb.channel.String(), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				link, err := happytalk.Build(cb.base, benchParams)
				if err != nil {
					b.Fatal(err)
				}
				benchSink = link
			}
		})
	}
}

// BenchmarkBaselineValuesEncode is the reference for BenchmarkBuild/KakaoTalk: the same
// parameters put in url.Values, encoded and appended to the same base, with no validation.
func BenchmarkBaselineValuesEncode(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		v := url.Values{}
		v.Set("site_uid", benchParams.SiteUID)
		v.Set("cus_extra_username", benchParams.CustomerName)
		v.Set("cus_extra_phone", benchParams.CustomerPhone)
		v.Set("cus_extra_email", benchParams.CustomerEmail)
		v.Set("user_parameter", benchParams.UserParameter)
		v.Set("parameter1", benchParams.Parameters[0])
		v.Set("parameter2", benchParams.Parameters[1])
		benchSink = kakaoBase + "&" + v.Encode()
	}
}

// BenchmarkBuildPhoneNormalization adds the phone parsing of a hyphenated number.
func BenchmarkBuildPhoneNormalization(b *testing.B) {
	p := benchParams
	p.CustomerPhone = "010-1234-5678"
	b.ReportAllocs()
	for b.Loop() {
		link, err := happytalk.Build(kakaoBase, p)
		if err != nil {
			b.Fatal(err)
		}
		benchSink = link
	}
}

func BenchmarkParse(b *testing.B) {
	link, err := happytalk.Build(kakaoBase, benchParams)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		p, err := happytalk.Parse(link)
		if err != nil {
			b.Fatal(err)
		}
		benchSink = p.SiteUID
	}
}
