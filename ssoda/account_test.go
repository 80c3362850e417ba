package ssoda_test

import (
	"errors"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/ssoda"
	"github.com/kshop-dev/kshop/ssoda/ssodatest"
)

func TestCheckAccessOnTheFake(t *testing.T) {
	t.Parallel()
	t.Run("all registered", func(t *testing.T) {
		t.Parallel()
		srv := ssodatest.NewServer(ssodatest.Options{Points: 1234.5})
		defer srv.Close()
		c, err := srv.NewClient()
		require.NoError(t, err)
		rep, err := c.CheckAccess(t.Context())
		require.NoError(t, err)
		assert.True(t, rep.OK())
		require.NotNil(t, rep.Points)
		assert.InDelta(t, 1234.5, rep.Points.Amount, 0.001)
		assert.Equal(t, "content.amount", rep.Points.Field)
		assert.Equal(t, "ssoda access: API key ok, token key ok, server IP ok; remaining points 1234.5", rep.String())
		assert.Equal(t, 1, srv.Requests(srv.Paths().RemainingPoints))
	})
	t.Run("IP not registered", func(t *testing.T) {
		t.Parallel()
		srv := ssodatest.NewServer(ssodatest.Options{AllowedIPs: []string{"203.0.113.50"}})
		defer srv.Close()
		c, err := srv.NewClient()
		require.NoError(t, err)
		rep, err := c.CheckAccess(t.Context())
		require.ErrorIs(t, err, ssoda.ErrIPNotAllowed)
		assert.False(t, rep.OK())
		assert.Equal(t, ssoda.AccessOK, rep.APIKey)
		assert.Equal(t, ssoda.AccessOK, rep.TokenKey)
		assert.Equal(t, ssoda.AccessRefused, rep.ServerIP)
		assert.Equal(t, "127.0.0.1", rep.SeenIP)
		assert.Contains(t, rep.String(), "Ssoda saw 127.0.0.1")
		assert.Contains(t, rep.String(), "API 토큰 관리")
		assert.Equal(t, err, rep.Err)

		srv.SetAllowedIPs("127.0.0.1")
		rep, err = c.CheckAccess(t.Context())
		require.NoError(t, err)
		assert.True(t, rep.OK())
	})
	t.Run("bad API key", func(t *testing.T) {
		t.Parallel()
		srv := ssodatest.NewServer(ssodatest.Options{})
		defer srv.Close()
		creds := srv.Credentials()
		creds.APIKey = "not-the-key"
		c, err := ssoda.NewClient(creds, srv.ClientOptions()...)
		require.NoError(t, err)
		rep, err := c.CheckAccess(t.Context())
		require.ErrorIs(t, err, ssoda.ErrUnauthorized)
		assert.Equal(t, ssoda.AccessRefused, rep.APIKey)
		assert.Equal(t, ssoda.AccessUnknown, rep.ServerIP)
		assert.Contains(t, rep.String(), "refused the credentials")
	})
	t.Run("bad token key", func(t *testing.T) {
		t.Parallel()
		srv := ssodatest.NewServer(ssodatest.Options{})
		defer srv.Close()
		creds := srv.Credentials()
		creds.TokenKey = "not-the-token"
		c, err := ssoda.NewClient(creds, srv.ClientOptions()...)
		require.NoError(t, err)
		rep, err := c.CheckAccess(t.Context())
		require.ErrorIs(t, err, ssoda.ErrUnauthorized)
		assert.Equal(t, ssoda.AccessOK, rep.APIKey)
		assert.Equal(t, ssoda.AccessRefused, rep.TokenKey)
		assert.NotContains(t, rep.String(), "not-the-token")
	})
	t.Run("no answer", func(t *testing.T) {
		t.Parallel()
		dead := httptest.NewServer(nil)
		url := dead.URL
		dead.Close()
		c, err := ssoda.NewClient(testCreds, ssoda.WithBaseURL(url), ssoda.WithRetry(0, 0))
		require.NoError(t, err)
		rep, err := c.CheckAccess(t.Context())
		require.Error(t, err)
		assert.Equal(t, ssoda.AccessUnknown, rep.APIKey)
		assert.Equal(t, ssoda.AccessUnknown, rep.ServerIP)
		assert.False(t, rep.OK())
	})
}

func TestPointsFieldIsProbed(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		`{"code":"200","content":{"remain_point":"3,000"}}`: "content.remain_point",
		`{"code":"200","point":3000}`:                       "point",
		`{"code":"200","content":3000}`:                     "content",
	}
	for body, field := range cases {
		c, mt := newMock(t)
		respond(mt, pointsPath, 200, body)
		p, err := c.Account.Points(t.Context())
		require.NoError(t, err)
		assert.Equal(t, field, p.Field, body)
		assert.InDelta(t, 3000, p.Amount, 0.001)
		assert.JSONEq(t, body, string(p.Raw))
	}
	c, mt := newMock(t)
	respond(mt, pointsPath, 200, `{"code":"200","content":{"something":"else"}}`)
	p, err := c.Account.Points(t.Context())
	require.NoError(t, err)
	assert.False(t, p.Known, "an unknown field name is reported, not guessed")
	assert.Equal(t, 1, calls(mt, pointsPath))
}

func TestSenderNumbers(t *testing.T) {
	t.Parallel()
	srv := ssodatest.NewServer(ssodatest.Options{SenderNumbers: []string{"02-1234-5678", "010-2222-3333"}})
	defer srv.Close()
	srv.AddPendingSenderNumber("070-1234-5678")
	srv.AddSenderNumber("1588-1234")
	srv.BlockSenderNumber("1588-1234")
	c, err := srv.NewClient()
	require.NoError(t, err)

	list, err := c.Account.SenderNumbers(t.Context())
	require.NoError(t, err)
	require.Len(t, list, 4)
	assert.Equal(t, "0212345678", list[0].Number)
	assert.True(t, list[0].Usable())
	assert.False(t, list[0].ConfirmedAt.IsZero())
	assert.Equal(t, "02-****-5678", list[0].Masked())
	assert.False(t, list[2].Confirmed())
	assert.True(t, list[3].Blocked())

	sn, err := c.Account.CheckSenderNumber(t.Context(), "02-1234-5678")
	require.NoError(t, err)
	assert.Equal(t, "0212345678", sn.Number)

	for number, problem := range map[string]ssoda.SenderNumberProblem{
		"02-9999-0000":  ssoda.SenderNotRegistered,
		"070-1234-5678": ssoda.SenderNotConfirmed,
		"1588-1234":     ssoda.SenderBlocked,
	} {
		_, err := c.Account.CheckSenderNumber(t.Context(), number)
		require.ErrorIs(t, err, ssoda.ErrSenderNumber, number)
		var se *ssoda.SenderNumberError
		require.ErrorAs(t, err, &se)
		assert.Equal(t, problem, se.Problem, number)
		assert.NotContains(t, err.Error(), "9999-0000", "numbers are masked")
	}
	_, err = c.Account.CheckSenderNumber(t.Context(), "hello")
	require.ErrorIs(t, err, ssoda.ErrInvalid)
	assert.Equal(t, 5, srv.Requests(srv.Paths().SenderNumbers))
}

func TestSenderNumberDatesAreOptional(t *testing.T) {
	t.Parallel()
	c, mt := newMock(t)
	respond(mt, "/sms/sendphone/list", 200, `{"code":"200","content":{"sendphones":[
		{"number":"0212345678","auth_type":"doc","request_date":"2026-01-01 10:00:00","confirm_date":"0000-00-00 00:00:00"},
		{"number":"010-2222-3333","auth_type":"mobile","request_date":"2026-01-01","confirm_date":"2026-01-01 10:00:00","blocked_date":null},
		{"auth_type":"no number"}]}}`)
	list, err := c.Account.SenderNumbers(t.Context())
	require.NoError(t, err)
	require.Len(t, list, 2)
	assert.False(t, list[0].Confirmed(), "an all-zero date is no date")
	assert.True(t, list[1].Usable())
	assert.Equal(t, "01022223333", list[1].Number)
	assert.Equal(t, 1, calls(mt, "/sms/sendphone/list"))
	assert.True(t, errors.Is(&ssoda.SenderNumberError{Problem: ssoda.SenderBlocked}, ssoda.ErrSenderNumber))
}

// An answer with no list says nothing: it is a bad answer, never "no templates" or "this
// number is not registered".
func TestListAnswersWithoutAListAreBadAnswers(t *testing.T) {
	t.Parallel()
	for _, body := range []string{`{"code":"200","content":null}`, `{"code":"200"}`, `{"code":"200","content":{}}`} {
		c, mt := newMock(t)
		respond(mt, ssoda.DefaultPaths().TemplateList, 200, body)
		respond(mt, ssoda.DefaultPaths().SenderNumbers, 200, body)
		_, err := c.Templates.List(t.Context(), ssoda.TemplateListRequest{})
		assert.ErrorIs(t, err, kshop.ErrBadResponse, body)
		_, err = c.Account.CheckSenderNumber(t.Context(), "02-1234-5678")
		assert.ErrorIs(t, err, kshop.ErrBadResponse, body)
		assert.NotErrorIs(t, err, ssoda.ErrSenderNumber, "%s: not a verdict on the number", body)
	}
	// An empty list is an answer: no templates.
	c, mt := newMock(t)
	respond(mt, ssoda.DefaultPaths().TemplateList, 200, `{"code":"200","content":{"list":[]}}`)
	page, err := c.Templates.List(t.Context(), ssoda.TemplateListRequest{})
	require.NoError(t, err)
	assert.Empty(t, page.Templates)
}
