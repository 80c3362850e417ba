package shipping_test

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/epost"
	"github.com/kshop-dev/kshop/epost/shipping"
)

func TestStatusVocabulary(t *testing.T) {
	t.Parallel()
	all := shipping.Statuses()
	assert.Len(t, all, 9+4+4+4+5+3+5)
	for _, s := range all {
		got, err := shipping.ParseStatus(" " + string(s) + " ")
		require.NoError(t, err)
		assert.Equal(t, s, got)
		assert.NotEmpty(t, s.Name())
		assert.Equal(t, shipping.Family(s[0]), s.Family())
	}
	assert.Equal(t, "p1 결제완료", shipping.StatusPaid.String())
	assert.Equal(t, "상품준비중", shipping.StatusPreparing.Name())
	assert.True(t, shipping.StatusPurchaseOrder.Optional())
	assert.False(t, shipping.StatusPreparing.Optional())
	assert.True(t, shipping.FamilyReturn.Closed())
	assert.False(t, shipping.FamilyDelivery.Closed())
	for _, bad := range []string{"", "x1", "p2", "g5", "d3", "N10"} {
		_, err := shipping.ParseStatus(bad)
		var use *shipping.UnknownStatusError
		require.True(t, errors.As(err, &use), bad)
		assert.ErrorIs(t, err, shipping.ErrUnknownStatus)
	}
}

func TestStatusConfigValidate(t *testing.T) {
	t.Parallel()
	require.NoError(t, shipping.DefaultStatusConfig().Validate())
	require.NoError(t, shipping.StatusConfig{Payment: []shipping.Status{"p1"}, Goods: []shipping.Status{"g1", "g2"}}.Validate())
	err := shipping.StatusConfig{Payment: []shipping.Status{"g1", "x9"}, Goods: []shipping.Status{"g2", "g2", "p1"}}.Validate()
	var ve *kshop.ValidationError
	require.True(t, errors.As(err, &ve))
	fields := []string{}
	for _, p := range ve.Problems {
		fields = append(fields, p.Field)
	}
	assert.Equal(t, []string{"Statuses.Payment[0]", "Statuses.Payment[1]", "Statuses.Goods[1]", "Statuses.Goods[2]", "Statuses.Goods"}, fields)
	assert.ErrorIs(t, ve.Problems[1], shipping.ErrUnknownStatus)
}

func TestCafe24Mapping(t *testing.T) {
	t.Parallel()
	for code, want := range map[string]shipping.Status{"N00": "o1", "n10": "g1", "N20": "g4", "N30": "d1", "N40": "d2", "N50": "s1", "R40": "b4"} {
		got, err := shipping.Cafe24.Status(code)
		require.NoError(t, err, code)
		assert.Equal(t, want, got, code)
	}
	_, err := shipping.Cafe24.Status("N99")
	var use *shipping.UnknownStatusError
	require.True(t, errors.As(err, &use))
	assert.Equal(t, "cafe24", use.Platform)
	c, ok := shipping.Cafe24.Code(shipping.StatusShipping)
	assert.True(t, ok)
	assert.Equal(t, "N30", c)
	_, ok = shipping.Cafe24.Code(shipping.StatusPaymentFailed)
	assert.False(t, ok)
}

// TestTransitionTable checks every status of every family against every automatic cause.
func TestTransitionTable(t *testing.T) {
	t.Parallel()
	cfg := shipping.DefaultStatusConfig()
	type want struct {
		to      shipping.Status // "" = refused
		refused bool
	}
	R := want{refused: true}
	same := func(s shipping.Status) want { return want{to: s} }
	to := func(s shipping.Status) want { return want{to: s} }
	cases := []struct {
		from                         shipping.Status
		reserve, print, transit, del want
	}{
		{"o1", R, R, R, R},
		{"p1", to("g1"), to("d1"), to("d1"), to("d2")},
		{"g1", same("g1"), to("d1"), to("d1"), to("d2")},
		{"g2", same("g2"), to("d1"), to("d1"), to("d2")},
		{"g3", same("g3"), to("d1"), to("d1"), to("d2")},
		{"g4", same("g4"), to("d1"), to("d1"), to("d2")},
		{"d1", R, same("d1"), same("d1"), to("d2")},
		{"d2", R, R, same("d2"), same("d2")},
		{"s1", R, R, R, R},
	}
	for _, s := range shipping.Statuses() {
		if s.Family().Closed() {
			cases = append(cases, struct {
				from                         shipping.Status
				reserve, print, transit, del want
			}{s, R, R, R, R})
		}
	}
	cases = append(cases, struct {
		from                         shipping.Status
		reserve, print, transit, del want
	}{"x9", R, R, R, R})
	require.Len(t, cases, 9+len(shipping.Statuses())-9+1)
	for _, c := range cases {
		for _, step := range []struct {
			cause   shipping.Cause
			tracked epost.TrackingStatus
			want    want
		}{
			{shipping.CauseReservation, 0, c.reserve}, {shipping.CausePrint, 0, c.print},
			{shipping.CauseTracking, epost.StatusInTransit, c.transit}, {shipping.CauseTracking, epost.StatusDelivered, c.del},
		} {
			got, err := shipping.Transition(cfg, c.from, step.cause, step.tracked)
			name := fmt.Sprintf("%s %s %s", c.from, step.cause, step.tracked)
			if step.want.refused {
				require.ErrorIs(t, err, shipping.ErrRefused, name)
				assert.Equal(t, c.from, got, name)
				continue
			}
			require.NoError(t, err, name)
			assert.Equal(t, step.want.to, got, name)
		}
	}
	// Tracking that has not seen the parcel leave changes nothing.
	got, err := shipping.Transition(cfg, "g1", shipping.CauseTracking, epost.StatusInformationReceived)
	require.NoError(t, err)
	assert.Equal(t, shipping.Status("g1"), got)
	_, err = shipping.Transition(cfg, "g1", shipping.CauseManual, 0)
	assert.ErrorIs(t, err, shipping.ErrRefused)
	// A shop that switched g3 off: g3 is neither group, so a reservation refuses it.
	narrow := shipping.StatusConfig{Payment: []shipping.Status{"p1"}, Goods: []shipping.Status{"g1", "g2"}}
	_, err = shipping.Transition(narrow, "g3", shipping.CauseReservation, 0)
	assert.ErrorIs(t, err, shipping.ErrRefused)
}

func TestNewAndAddOrdersReportEveryProblem(t *testing.T) {
	t.Parallel()
	_, err := shipping.New(nil, nil, shipping.Config{Weight: 31, DeliveryLease: time.Millisecond, InstanceID: strings.Repeat("x", 201)})
	var ve *kshop.ValidationError
	require.True(t, errors.As(err, &ve))
	assert.Len(t, ve.Problems, 7) // client, store, OfficeSer, ShopName, Weight, DeliveryLease, InstanceID
	assert.Equal(t, "shipping.New", ve.Op)
	assert.ErrorContains(t, err, "Config.DeliveryLease")
	assert.ErrorContains(t, err, "Config.InstanceID")

	k := setup(t)
	bad := shipping.Order{ID: "A&1", Fee: "cod", Recipient: shipping.Recipient{Name: "홍길동", Mobile: "010-1234-5678"},
		Lines: []shipping.Line{{ID: "1", Status: "p9", Qty: 0}, {ID: "1", GoodsName: "x", Qty: 1, Status: "p1"}}}
	err = k.sh.AddOrders(t.Context(), bad)
	require.True(t, errors.As(err, &ve))
	assert.Equal(t, "shipping.AddOrders", ve.Op)
	assert.Len(t, ve.Problems, 1+1+3+3+1) // ID, Fee, Zip/Addr1/Addr2, line 0 status/name/qty, duplicate line
	assert.NotContains(t, err.Error(), "5678")
	assert.NotContains(t, err.Error(), "홍길동")

	require.NoError(t, k.sh.AddOrders(t.Context(), order("A1", "010-1234-5678")))
	err = k.sh.AddOrders(t.Context(), order("A1", "010-1234-5678"))
	require.True(t, errors.As(err, &ve))
	assert.Equal(t, kshop.RuleConflict, ve.Problems[0].Rule)
}

func TestRecipientNeverPrintsPersonalData(t *testing.T) {
	t.Parallel()
	r := shipping.Recipient{Name: "홍길동", Zip: "04524", Addr1: "서울 중구 세종대로 110", Addr2: "1층", Phone: "02-123-4567", Mobile: "010-1234-5678"}
	o := shipping.Order{ID: "A1", Recipient: r}
	var logBuf bytes.Buffer
	slog.New(slog.NewJSONHandler(&logBuf, nil)).Info("x", "r", r, "o", o)
	slog.New(slog.NewTextHandler(&logBuf, nil)).Info("x", "r", r)
	outs := []string{logBuf.String()}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
		outs = append(outs, fmt.Sprintf(verb, r), fmt.Sprintf(verb, o), fmt.Sprintf(verb, &o))
	}
	for _, out := range outs {
		for _, secret := range []string{"홍길동", "세종대로", "04524", "1234-5678", "12345678", "123-4567"} {
			assert.NotContains(t, out, secret, out)
		}
	}
	assert.Contains(t, r.String(), "010-****-5678")
}
