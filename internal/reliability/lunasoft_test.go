package reliability_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop/alimtalk"
	"github.com/kshop-dev/kshop/lunasoft"
)

// Lunasoft's keys join the leak scan: every log line and error of the suite is searched for
// them too.
const (
	lunasoftUserID = "kshopshop"
	lunasoftAPIKey = "LUNAKEY-4e7b1d9a3c6f2e8b0d5a7c1e9f3b6d2a80" // 42 characters
)

func init() {
	k := lunasoftAPIKey
	forbidden = append(forbidden, k[:10], k[len(k)/2-5:len(k)/2+5], k[len(k)-10:])
}

// lunasoftSpec is Lunasoft's send as a cell of the fault matrix.
var lunasoftSpec = callSpec{
	name: "lunasoft.Send", vendor: "lunasoft", path: lunasoft.SendPath, ctype: jsonType,
	success:     `{"code":0,"msg":"success","messages":[{"no":"0","tel_num":"01098765432","result_code":0,"result_msg":"OK"}]}`,
	refusal:     `{"code":1099,"msg":"파라미터 오류 (수신번호 010-9876-5432)"}`,
	refusalCode: "1099",
	serverError: `{"code":500,"msg":"일시적인 오류가 발생했습니다."}`,
	run: func(ctx context.Context, t testing.TB, base string, hc *http.Client, marker string) outcome {
		m := message(marker)
		m.TemplateCode = "50034"
		rs, err := lunasoftClient(t, base, hc).Send(ctx, []alimtalk.Message{m})
		return sendOutcome(rs, err)
	},
}

// lunasoftClient builds a lunasoft client of base like ssodaClient.
func lunasoftClient(t testing.TB, base string, hc *http.Client, extra ...lunasoft.Option) *lunasoft.Client {
	t.Helper()
	opts := []lunasoft.Option{
		lunasoft.WithBaseURL(base), lunasoft.WithRetry(2, 0), lunasoft.WithTimeout(stdTimeout),
		lunasoft.WithLogger(suiteLogger), lunasoft.WithClock(testNow), lunasoft.WithConcurrency(1),
	}
	if hc != nil {
		opts = append(opts, lunasoft.WithHTTPClient(hc))
	}
	c, err := lunasoft.NewClient(lunasoft.Credentials{UserID: lunasoftUserID, APIKey: lunasoftAPIKey}, append(opts, extra...)...)
	require.NoError(t, err)
	return c
}

// TestCellsLunasoft puts Lunasoft's send through every fault of the matrix, with the same
// expectations as every other vendor's send.
func TestCellsLunasoft(t *testing.T) {
	t.Parallel()
	fanRun(t, 16, len(faults), func(i int) string { return lunasoftSpec.name + "/" + faults[i].name },
		func(t *testing.T, i int) { runCell(t, lunasoftSpec, faults[i]) })
}

// TestLunasoftBodyCarriesNoSecretInLogs sends through a server that echoes the key and the
// number, and checks the client and its errors in every printed form.
func TestLunasoftLeaks(t *testing.T) {
	t.Parallel()
	s := startServer(t, func(x *exchange) {
		x.reply(200, jsonType, `{"code":1099,"msg":"api_key `+lunasoftAPIKey+` / 수신 `+recipient+`"}`)
	})
	c := lunasoftClient(t, s.url, nil)
	m := message("leak")
	m.TemplateCode = "50034"
	ctx, cancel := context.WithTimeout(context.Background(), defaultCellTimeout)
	defer cancel()
	rs, err := c.Send(ctx, []alimtalk.Message{m})
	_ = observe("lunasoft leak send", err)
	observeResults("lunasoft leak send", rs)
	require.Len(t, rs, 1)
	assert.Equal(t, alimtalk.StatusRejected, rs[0].Status)
	creds := lunasoft.Credentials{UserID: lunasoftUserID, APIKey: lunasoftAPIKey}
	var out []string
	for _, v := range []any{c, deref(c), creds, &creds} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
			out = append(out, fmt.Sprintf(verb, v))
		}
	}
	all := strings.Join(out, "\n")
	leakScan.check("printed lunasoft client and credentials", all)
	assert.NotContains(t, all, lunasoftAPIKey[:10])
	assert.NotContains(t, fmt.Sprintf("%#v", rs[0].Err), lunasoftAPIKey[:10])
	assert.NotContains(t, rs[0].Err.Error(), "9876-5432")
}
