package epost_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/kshop-dev/kshop/epost"
	"github.com/kshop-dev/kshop/epost/eposttest"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// fixedNow is the clock of the fakes and clients in these tests: 2024-05-01 10:00 KST.
func fixedNow() time.Time {
	return time.Date(2024, 5, 1, 10, 0, 0, 0, time.FixedZone("KST", 9*60*60))
}

// newFake starts a fake and a client of it that retries twice without waiting.
func newFake(t *testing.T, opts eposttest.Options, extra ...epost.Option) (*eposttest.Server, *epost.Client) {
	t.Helper()
	if opts.Now == nil {
		opts.Now = fixedNow
	}
	srv := eposttest.NewServer(opts)
	t.Cleanup(srv.Close)
	c, err := srv.NewClient(append([]epost.Option{epost.WithRetry(2, 0), epost.WithClock(fixedNow)}, extra...)...)
	require.NoError(t, err)
	return srv, c
}

// validOrder is a complete normal-parcel request.
func validOrder() epost.InsertOrderRequest {
	return epost.InsertOrderRequest{
		PayType:     epost.PayPrepaid,
		ReqType:     epost.ReqNormal,
		OfficeSer:   eposttest.DefaultOfficeSer,
		Weight:      2,
		Volume:      60,
		MicroYn:     epost.No,
		PackngMtrCd: epost.PackagingPaperBox,
		OrderNo:     "ORD-20240501-0001",
		OrdCompNm:   "케이샵",
		OrdNm:       "김주문",
		OrdMob:      "010-9876-5432",
		RecNm:       "홍길동",
		RecZip:      "58323",
		RecAddr1:    "전남 나주시 정보화길 1",
		RecAddr2:    "(빛가람동, 우정사업정보센터)",
		RecMob:      "+82 10-1234-5678",
		ContCd:      epost.ContentClothing,
		GoodsNm:     "긴소매 셔츠",
		Qty:         1,
		DelivMsg:    "부재 시 경비실에 맡겨주세요",
	}
}
