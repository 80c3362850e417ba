package ssoda_test

import (
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop/alimtalk"
	"github.com/kshop-dev/kshop/ssoda"
	"github.com/kshop-dev/kshop/ssoda/ssodatest"
)

func TestProfileRegistrationOnTheFake(t *testing.T) {
	t.Parallel()
	srv := ssodatest.NewServer(ssodatest.Options{})
	defer srv.Close()
	c, err := srv.NewClient()
	require.NoError(t, err)
	ctx := t.Context()

	cats, err := c.Profiles.Categories(ctx)
	require.NoError(t, err)
	require.NotEmpty(t, cats)

	tok, err := c.Profiles.RequestToken(ctx, ssoda.ProfileTokenRequest{ChannelID: "@kshop", AdminPhone: "010-1234-5678"})
	require.NoError(t, err)
	assert.NotEmpty(t, tok.Message)

	_, err = c.Profiles.Create(ctx, ssoda.CreateProfileRequest{Token: "000000", AdminPhone: "010-1234-5678", ChannelID: "@kshop", CategoryCode: cats[1].Code})
	var ae *ssoda.APIError
	require.ErrorAs(t, err, &ae, "wrong token")

	p, err := c.Profiles.Create(ctx, ssoda.CreateProfileRequest{Token: ssodatest.DefaultProfileToken, AdminPhone: "01012345678", ChannelID: "@kshop", CategoryCode: cats[1].Code})
	require.NoError(t, err)
	require.Len(t, p.SenderKey, 40)
	assert.Equal(t, "@kshop", p.ChannelID)

	// The new profile can register templates.
	_, err = c.Templates.Add(ctx, ssoda.AddTemplateRequest{SenderKey: p.SenderKey, Template: alimtalk.Template{
		Code: "NEW_PROFILE_1", Name: "안내", Content: "안내 메시지입니다.", CategoryCode: "999999"}})
	require.NoError(t, err)
	assert.Equal(t, 1, srv.Requests(srv.Paths().ProfileToken))
	assert.Equal(t, 2, srv.Requests(srv.Paths().ProfileCreate))
}

func TestProfileRequestsValidateAndUseKapiNames(t *testing.T) {
	t.Parallel()
	c, mt := newMock(t)
	var body map[string]any
	mt.RegisterResponder(http.MethodPost, mockBase+"/kakao/profile/create", func(r *http.Request) (*http.Response, error) {
		raw, _ := io.ReadAll(r.Body)
		require.NoError(t, json.Unmarshal(raw, &body))
		return httpmock.NewStringResponse(200, `{"code":"200","data":{"sender_key":"k"}}`), nil
	})
	p, err := c.Profiles.Create(t.Context(), ssoda.CreateProfileRequest{Token: "123456", AdminPhone: "010-1234-5678",
		ChannelID: "@shop", CategoryCode: "00200020001", Extra: map[string]any{"bizId": "mine"}})
	require.NoError(t, err)
	assert.Equal(t, "k", p.SenderKey)
	assert.Equal(t, map[string]any{"token_key": testTokenKey, "token": "123456", "phoneNumber": "01012345678",
		"yellowId": "@shop", "categoryCode": "00200020001", "bizId": "mine"}, body)

	for _, req := range []ssoda.CreateProfileRequest{
		{Token: "", AdminPhone: "010-1234-5678", ChannelID: "@shop", CategoryCode: "1"},
		{Token: "1", AdminPhone: "02-123-4567", ChannelID: "@shop", CategoryCode: "1"},
		{Token: "1", AdminPhone: "010-1234-5678", ChannelID: "", CategoryCode: "1"},
		{Token: "1", AdminPhone: "010-1234-5678", ChannelID: "@shop", CategoryCode: "abc"},
	} {
		_, err := c.Profiles.Create(t.Context(), req)
		require.ErrorIs(t, err, ssoda.ErrInvalid)
	}
	_, err = c.Profiles.RequestToken(t.Context(), ssoda.ProfileTokenRequest{ChannelID: "@ shop", AdminPhone: "010-1234-5678"})
	require.ErrorIs(t, err, ssoda.ErrInvalid)
	assert.Equal(t, 1, calls(mt, "/kakao/profile/create"))
	assert.Zero(t, calls(mt, "/kakao/profile/token"))
}
