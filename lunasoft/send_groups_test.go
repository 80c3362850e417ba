package lunasoft_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop/alimtalk"
	"github.com/kshop-dev/kshop/lunasoft"
)

func TestSendManyTemplatesKeepsOrderAndGroups(t *testing.T) {
	t.Parallel()
	rs := newRawServer(t, func(int, string) (int, string) { return 200, `{"code":0,"msg":"success"}` })
	c := rawClient(t, rs.URL, lunasoft.WithChunkSize(2), lunasoft.WithConcurrency(3))
	// 12 template IDs (more than are searched in place) interleaved, 3 messages each.
	var msgs []alimtalk.Message
	for i := range 36 {
		id := 60001 + i%12
		msgs = append(msgs, alimtalk.Message{To: fmt.Sprintf("010-3000-%04d", i), TemplateCode: fmt.Sprint(id),
			Ref: fmt.Sprintf("m%d", i), Text: fmt.Sprintf("문구 %d", i)})
	}
	res, err := c.Send(bg, msgs)
	require.NoError(t, err)
	require.Len(t, res, 36)
	for i, r := range res {
		assert.Equal(t, alimtalk.StatusAccepted, r.Status, "message %d: %v", i, r.Err)
		assert.Equal(t, msgs[i].Ref, r.Ref)
		assert.Equal(t, msgs[i].Text, r.Text)
		assert.Equal(t, fmt.Sprintf("0103000%04d", i), r.To)
	}
	got := rs.requests()
	assert.Len(t, got, 24, "12 templates × 3 messages in chunks of 2")
	perTemplate := map[string]int{}
	for _, body := range got {
		var req struct {
			TemplateID json.Number `json:"template_id"`
			Messages   []struct {
				No        string `json:"no"`
				CustomKey string `json:"custom_key"`
			} `json:"messages"`
		}
		require.NoError(t, json.Unmarshal([]byte(body), &req))
		perTemplate[req.TemplateID.String()] += len(req.Messages)
		for n, m := range req.Messages {
			assert.Equal(t, fmt.Sprint(n), m.No, "no counts the messages of each request")
			var i int
			_, err := fmt.Sscanf(m.CustomKey, "m%d", &i)
			require.NoError(t, err)
			assert.Equal(t, fmt.Sprint(60001+i%12), req.TemplateID.String(), "one template per request")
		}
	}
	assert.Len(t, perTemplate, 12)
	for id, n := range perTemplate {
		assert.Equal(t, 3, n, id)
	}
}
