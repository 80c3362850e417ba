package ssoda

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/kshop-dev/kshop/internal/transport"
	"github.com/kshop-dev/kshop/internal/wire"
)

// AccessState is what a preflight learned about one credential.
type AccessState int

// Access states.
const (
	// AccessUnknown: the answer did not tell (no answer, or an ambiguous refusal).
	AccessUnknown AccessState = iota
	// AccessOK: Ssoda accepted it.
	AccessOK
	// AccessRefused: Ssoda refused it.
	AccessRefused
)

// String returns "unknown", "ok" or "refused".
func (s AccessState) String() string {
	switch s {
	case AccessOK:
		return "ok"
	case AccessRefused:
		return "refused"
	default:
		return "unknown"
	}
}

// AccessReport is the result of CheckAccess.
type AccessReport struct {
	// APIKey, TokenKey and ServerIP say whether Ssoda accepted the x-api-key header, the
	// token_key and the IP address this server calls from.
	APIKey, TokenKey, ServerIP AccessState
	// SeenIP is the address Ssoda saw, when its refusal named it: the one to register.
	SeenIP string
	// Points is the remaining balance when the call succeeded.
	Points *Points
	// Err is the error that explains a failure (nil when access is fine).
	Err error
}

// OK reports whether every check passed.
func (r *AccessReport) OK() bool {
	return r.APIKey == AccessOK && r.TokenKey == AccessOK && r.ServerIP == AccessOK
}

// String is a one-paragraph diagnosis for people setting up an integration.
func (r *AccessReport) String() string {
	var b strings.Builder
	b.WriteString("ssoda access: API key ")
	b.WriteString(r.APIKey.String())
	b.WriteString(", token key ")
	b.WriteString(r.TokenKey.String())
	b.WriteString(", server IP ")
	b.WriteString(r.ServerIP.String())
	if r.SeenIP != "" {
		b.WriteString(" (Ssoda saw ")
		b.WriteString(r.SeenIP)
		b.WriteString(")")
	}
	switch {
	case r.OK():
		if r.Points != nil && r.Points.Known {
			b.WriteString("; remaining points ")
			b.WriteString(strconv.FormatFloat(r.Points.Amount, 'f', -1, 64))
		}
	case r.ServerIP == AccessRefused:
		b.WriteString(". Register this server's IP for the token in the Ssoda console (API 연동 안내 > API 토큰 관리);" +
			" serverless platforms change egress IPs, so send from a host with a fixed IP")
	case r.APIKey == AccessRefused || r.TokenKey == AccessRefused || errors.Is(r.Err, ErrUnauthorized):
		b.WriteString(". Ssoda refused the credentials: copy the API key and the token key again from API 토큰 관리" +
			" (they are issued together)")
	case r.Err != nil:
		b.WriteString(". ")
		b.WriteString(r.Err.Error())
	}
	return b.String()
}

// CheckAccess is a cheap preflight for a new integration: it reads the remaining points (POST
// /sms/remaining/amount) and reports whether the API key, the token key and this server's IP
// address are registered, with the IP Ssoda saw when it refuses one. The IP allow-list is the
// most common reason a first integration fails.
//
// It always returns a report; the error is non-nil exactly when access is not confirmed (the
// report's Err). An IP refusal implies the key and token were recognized (Ssoda names the
// token in it); a credential refusal names the API key or the token when Ssoda's message does.
func (c *Client) CheckAccess(ctx context.Context) (*AccessReport, error) {
	if err := wire.CheckContext(ctx, "ssoda.CheckAccess"); err != nil {
		return &AccessReport{Err: err}, err
	}
	rep := &AccessReport{}
	a, err := c.post(ctx, "CheckAccess", c.s.paths.RemainingPoints, transport.Idempotent, c.newBody())
	if err == nil {
		rep.APIKey, rep.TokenKey, rep.ServerIP = AccessOK, AccessOK, AccessOK
		rep.Points = decodePoints(a)
		return rep, nil
	}
	rep.Err = err
	var ipErr *IPNotAllowedError
	var ae *APIError
	switch {
	case errors.As(err, &ipErr):
		rep.APIKey, rep.TokenKey, rep.ServerIP = AccessOK, AccessOK, AccessRefused
		rep.SeenIP = ipErr.IP
	case errors.As(err, &ae) && ae.unauthorized:
		msg := strings.ToLower(ae.Message)
		mentionsKey := strings.Contains(msg, "api") || strings.Contains(msg, "x-api-key")
		mentionsToken := strings.Contains(msg, "token") || strings.Contains(msg, "토큰")
		switch {
		case mentionsKey && !mentionsToken:
			rep.APIKey = AccessRefused
		case mentionsToken && !mentionsKey:
			rep.APIKey, rep.TokenKey = AccessOK, AccessRefused
		}
	}
	return rep, err
}
