package lunasoft_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop/alimtalk"
	"github.com/kshop-dev/kshop/lunasoft"
)

// TestCompareBaselineSendsWhatTheSDKSends keeps BenchmarkCompare honest: for the same
// messages, the hand-written baseline must send the same requests as Send — the same JSON
// fields with the same values, chunk by chunk — so that the comparison measures the same job.
func TestCompareBaselineSendsWhatTheSDKSends(t *testing.T) {
	t.Parallel()
	const n, conc = 2500, 4
	msgs := benchMessages(n)
	answer := func(int, string) (int, string) { return http.StatusOK, benchAnswer }
	tr := http.DefaultTransport.(*http.Transport).Clone()
	t.Cleanup(tr.CloseIdleConnections)
	hc := &http.Client{Transport: tr}

	sdkSrv := newRawServer(t, answer)
	res, err := benchClient(t, sdkSrv.URL, hc, conc).Send(bg, msgs)
	require.NoError(t, err)
	require.Len(t, res, n)
	for i, r := range res {
		require.Equal(t, alimtalk.StatusAccepted, r.Status, "message %d: %v", i, r.Err)
	}

	baseSrv := newRawServer(t, answer)
	tpl := alimtalk.Template{Content: benchText}
	require.NoError(t, baselineBatch(hc, baseSrv.URL+lunasoft.SendPath, &tpl, msgs, conc))

	sdk, base := decodeRequests(t, sdkSrv.requests()), decodeRequests(t, baseSrv.requests())
	require.Len(t, sdk, 3, "chunks of 1,000")
	assert.Equal(t, base, sdk, "both sides must send the same fields and values")
	first := sdk[0]["messages"].([]any)[0].(map[string]any)
	assert.Equal(t, map[string]any{"no": "0", "tel_num": "01010000000", "custom_key": "bench-0",
		"msg_content": "홍길동님의 주문 0이(가) 접수되었습니다.", "sms_content": "홍길동님의 주문 0이(가) 접수되었습니다.",
		"use_sms": "0"}, first)
}

// decodeRequests decodes request bodies (numbers kept as written) and orders them by their
// first message's custom_key, since concurrent workers send them in any order.
func decodeRequests(t *testing.T, bodies []string) []map[string]any {
	t.Helper()
	out := make([]map[string]any, 0, len(bodies))
	for _, b := range bodies {
		dec := json.NewDecoder(bytes.NewReader([]byte(b)))
		dec.UseNumber()
		var v map[string]any
		require.NoError(t, dec.Decode(&v), b)
		out = append(out, v)
	}
	key := func(v map[string]any) string {
		msgs, _ := v["messages"].([]any)
		if len(msgs) == 0 {
			return ""
		}
		m, _ := msgs[0].(map[string]any)
		k, _ := m["custom_key"].(string)
		return k
	}
	sort.Slice(out, func(i, j int) bool { return key(out[i]) < key(out[j]) })
	return out
}
