package lunasoft_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/alimtalk"
	"github.com/kshop-dev/kshop/lunasoft"
)

const catalogJSON = `{"templates": [
  {"id": 50034, "alias": "ORDER_RECEIVED", "name": "주문접수",
   "content": "#{customerName}님의 주문 #{orderNo}이(가) 접수되었습니다."},
  {"id": 50035, "alias": "SHIPPING_STARTED", "name": "배송시작",
   "content": "#{customerName}님, 상품이 발송되었습니다.\n택배사: #{courier}\n송장번호: #{waybillNo}",
   "buttons": [{"type": "WL", "name": "주문 확인", "url_mobile": "https://shop.example/o/#{orderNo}"}],
   "tracking": {"courier_variable": "courier", "waybill_variable": "waybillNo"}}
]}`

func TestLoadTemplateCatalog(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "templates.json")
	require.NoError(t, os.WriteFile(path, []byte(catalogJSON), 0o600))
	cat, err := lunasoft.LoadTemplateCatalogFile(path)
	require.NoError(t, err)
	assert.Equal(t, []int64{50034, 50035}, cat.IDs())
	byAlias, ok := cat.Template("SHIPPING_STARTED")
	require.True(t, ok)
	assert.Equal(t, "SHIPPING_STARTED", byAlias.Code, "the template answers to the code asked for")
	byID, ok := cat.Template("50035")
	require.True(t, ok)
	assert.Equal(t, "50035", byID.Code)
	assert.Equal(t, byAlias.Content, byID.Content)
	e, ok := cat.Lookup("SHIPPING_STARTED")
	require.True(t, ok)
	assert.True(t, e.Tracking)
	assert.Equal(t, alimtalk.ButtonWebLink, e.Template.Buttons[0].Type)
	_, ok = cat.Template("nope")
	assert.False(t, ok)
	var src alimtalk.TemplateSource = cat
	_, ok = src.Template("50034")
	assert.True(t, ok)
}

func TestCatalogRefusesEveryProblemAtOnce(t *testing.T) {
	t.Parallel()
	_, err := lunasoft.LoadTemplateCatalog(strings.NewReader(`{"templates":[{"id":1,"alias":"A","content":"x"},{"id":1,"alias":"A","content":""},{"id":"x","alias":"7","content":"y"}]}`))
	var ve *kshop.ValidationError
	require.ErrorAs(t, err, &ve)
	keys := map[string]bool{}
	for _, p := range ve.Problems {
		keys[p.Key] = true
	}
	for _, k := range []string{"templates[1].id", "templates[1].alias", "templates[1].content", "templates[2].id", "templates[2].alias"} {
		assert.True(t, keys[k], "missing %s in %v", k, err)
	}
	_, err = lunasoft.LoadTemplateCatalog(strings.NewReader(`{"templates":[{"id":1,"content":"x","colour":"red"}]}`))
	assert.ErrorIs(t, err, lunasoft.ErrInvalid, "unknown fields are refused")
	_, err = lunasoft.NewTemplateCatalog(lunasoft.CatalogTemplate{ID: -1, Template: alimtalk.Template{Content: "x"}})
	assert.ErrorIs(t, err, lunasoft.ErrInvalid)
}

func TestCouriers(t *testing.T) {
	t.Parallel()
	tab := lunasoft.DefaultCouriers()
	for name, want := range map[string]lunasoft.Carrier{
		"우체국택배": lunasoft.CarrierEpost, "우체국": lunasoft.CarrierEpost, "Korea Post": lunasoft.CarrierEpost, "EPOST": lunasoft.CarrierEpost,
		"CJ대한통운": lunasoft.CarrierCJ, "cj 대한통운": lunasoft.CarrierCJ, "로젠": lunasoft.CarrierLogen, "한진": lunasoft.CarrierHanjin,
		"롯데택배": lunasoft.CarrierLotte, "2": lunasoft.CarrierEpost, "39": lunasoft.CarrierUSPS,
	} {
		got, ok := tab.Lookup(name)
		assert.True(t, ok, name)
		assert.Equal(t, want, got, name)
	}
	for _, bad := range []string{"", "달나라택배", "0", "100"} {
		_, ok := tab.Lookup(bad)
		assert.False(t, ok, bad)
	}
	tab.Set(8, "롯데택배") // one caller's numbering
	got, _ := tab.Lookup("롯데택배")
	assert.Equal(t, lunasoft.Carrier(8), got)
	assert.Equal(t, "2", lunasoft.CarrierEpost.String())
	assert.Equal(t, "우체국택배", tab.Name(lunasoft.CarrierEpost))
	assert.Len(t, lunasoft.DefaultCouriers().Carriers(), 13)
}
