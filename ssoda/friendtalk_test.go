package ssoda_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop/alimtalk"
	"github.com/kshop-dev/kshop/ssoda"
	"github.com/kshop-dev/kshop/ssoda/ssodatest"
)

func TestFriendTalkOnTheFake(t *testing.T) {
	t.Parallel()
	clock := &fixedClock{t: time.Date(2026, 4, 1, 1, 0, 0, 0, time.UTC)}
	srv := ssodatest.NewServer(ssodatest.Options{Now: clock.now})
	defer srv.Close()
	c, err := srv.NewClient(ssoda.WithConcurrency(1))
	require.NoError(t, err)
	msgs := []ssoda.FriendTalkMessage{
		{To: "010-1234-5678", Text: "(광고) 봄 세일 시작!", Ad: true, ImageURL: "https://img.example/spring.jpg", Ref: "ft-1",
			Buttons: []alimtalk.Button{{Type: alimtalk.ButtonWebLink, Name: "바로 가기", URLMobile: "https://shop.example/sale"}}},
		{To: "010-1234-5679", Text: strings.Repeat("가", 401), ImageURL: "https://img.example/a.jpg", Ref: "ft-2"},
		{To: "010-1234-5670", Text: "예약 메시지", ScheduledAt: clock.t.Add(time.Hour), Ref: "ft-3"},
	}
	res, err := c.SendFriendTalk(t.Context(), msgs)
	require.NoError(t, err)
	require.Len(t, res, 3)
	assert.Equal(t, alimtalk.StatusAccepted, res[0].Status, "%v", res[0].Err)
	assert.Equal(t, "ft-1", res[0].Ref)
	assert.Equal(t, "01012345678", res[0].To)
	assert.Equal(t, alimtalk.StatusInvalid, res[1].Status, "400 characters with an image")
	var fes alimtalk.FieldErrors
	require.ErrorAs(t, res[1].Err, &fes)
	assert.Equal(t, ssoda.FriendTalkImageTextRunes, fes.Field("Text").Limit)
	assert.Equal(t, alimtalk.StatusReserved, res[2].Status)
	assert.True(t, res[2].ScheduledAt.Equal(clock.t.Add(time.Hour)))

	assert.Equal(t, 2, srv.Requests(srv.Paths().SendFriendTalk))
	sent := srv.Sent()
	require.Len(t, sent, 1)
	assert.Equal(t, ssoda.FriendTalk, sent[0].Kind)
	assert.True(t, sent[0].Ad)
	assert.Equal(t, "https://img.example/spring.jpg", sent[0].ImageURL)

	page, err := c.Reservations.FriendTalk(t.Context(), ssoda.ListRequest{})
	require.NoError(t, err)
	require.Len(t, page.Records, 1)
	_, err = c.Reservations.Cancel(t.Context(), ssoda.CancelRequest{Kind: ssoda.FriendTalk, MessageID: res[2].MessageID})
	require.NoError(t, err)
	_, err = c.Reservations.Cancel(t.Context(), ssoda.CancelRequest{Kind: ssoda.AlimTalk, MessageID: res[0].MessageID})
	require.Error(t, err, "an AlimTalk cancel does not find a FriendTalk")
	assert.Empty(t, srv.Reservations())
}

func TestFriendTalkBodyAndValidation(t *testing.T) {
	t.Parallel()
	c, mt := newMock(t, ssoda.WithFieldNames(ssoda.FieldNames{FriendTalkAd: "adflag", FriendTalkWideImage: "-"}))
	var body map[string]any
	mt.RegisterResponder(http.MethodPost, mockBase+"/kakao/send/friendtalk", func(r *http.Request) (*http.Response, error) {
		raw, _ := io.ReadAll(r.Body)
		require.NoError(t, json.Unmarshal(raw, &body))
		return httpmock.NewStringResponse(200, `{"code":"200","content":{"sent_messages":[{"msg_id":"ft9"}]}}`), nil
	})
	res, err := c.SendFriendTalk(t.Context(), []ssoda.FriendTalkMessage{{
		To: "+82 10 1234 5678", Text: "안녕하세요", ImageURL: "https://img.example/w.jpg", ImageLink: "https://shop.example",
		WideImage: true, Failover: &alimtalk.Failover{}, Extra: map[string]any{"msg_type": "FI"},
	}})
	require.NoError(t, err)
	require.Equal(t, alimtalk.StatusAccepted, res[0].Status, "%v", res[0].Err)
	assert.Equal(t, "ft9", res[0].MessageID)
	assert.Equal(t, map[string]any{
		"token_key": testTokenKey, "sender_key": testSenderKey, "dest_phone": "01012345678", "msg_body": "안녕하세요",
		"image_url": "https://img.example/w.jpg", "image_link": "https://shop.example", "adflag": "N",
		"failover": map[string]any{"use": "Y", "msg_body": "안녕하세요"}, "msg_type": "FI",
	}, body, "configured names are used; \"-\" leaves a field out")

	bad := []ssoda.FriendTalkMessage{
		{To: "", Text: "x"},
		{To: "02-123-4567", Text: "x"},
		{To: "010-1234-5678", Text: ""},
		{To: "010-1234-5678", Text: "x", WideImage: true},
		{To: "010-1234-5678", Text: "x", ImageURL: "ftp://img"},
		{To: "010-1234-5678", Text: "x", ImageLink: "https://a.example"},
		{To: "010-1234-5678", Text: "x", Failover: &alimtalk.Failover{From: "012-3456-7890"}},
	}
	res, err = c.SendFriendTalk(t.Context(), bad)
	require.NoError(t, err)
	for i, r := range res {
		assert.Equal(t, alimtalk.StatusInvalid, r.Status, "message %d", i)
		assert.ErrorIs(t, r.Err, ssoda.ErrInvalid)
	}
	assert.Equal(t, 1, calls(mt, "/kakao/send/friendtalk"))
}
