package happytalk_test

import (
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop/happytalk"
	"github.com/kshop-dev/kshop/internal/benchcmp"
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

// BenchmarkCompare pairs Build with the hand-written reference: the same parameters put in
// url.Values, encoded and appended to the same KakaoTalk base, with no validation at all.
// scripts/bench runs it in rounds and reports the paired ratio.
func BenchmarkCompare(b *testing.B) {
	benchcmp.Pair(b, "happytalk.Build@none", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			link, err := happytalk.Build(kakaoBase, benchParams)
			if err != nil {
				b.Fatal(err)
			}
			benchSink = link
		}
	}, func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			benchSink = baselineLink()
		}
	})
}

// baselineLink is what a caller writes without the SDK.
func baselineLink() string {
	v := url.Values{}
	v.Set("site_uid", benchParams.SiteUID)
	v.Set("cus_extra_username", benchParams.CustomerName)
	v.Set("cus_extra_phone", benchParams.CustomerPhone)
	v.Set("cus_extra_email", benchParams.CustomerEmail)
	v.Set("user_parameter", benchParams.UserParameter)
	v.Set("parameter1", benchParams.Parameters[0])
	v.Set("parameter2", benchParams.Parameters[1])
	return kakaoBase + "&" + v.Encode()
}

// Both sides of the comparison carry the same parameters.
func TestCompareBaselineCarriesTheSameParameters(t *testing.T) {
	t.Parallel()
	link, err := happytalk.Build(kakaoBase, benchParams)
	require.NoError(t, err)
	got, err := url.Parse(link)
	require.NoError(t, err)
	want, err := url.Parse(baselineLink())
	require.NoError(t, err)
	assert.Equal(t, want.Query(), got.Query())
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
