package epost

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestParseErrorCode(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in     string
		valid  bool
		group  ErrorGroup
		kind   ErrorKind
		detail ErrorDetail
	}{
		{"ERR-111", true, GroupAPI, KindMissing, DetailNotEntered},
		{"ERR-211", true, GroupContract, KindMissing, DetailNotEntered},
		{"ERR-311", true, GroupRecipient, KindMissing, DetailNotEntered},
		{"ERR-121", true, GroupAPI, KindConsistency, DetailLength},
		{"ERR-122", true, GroupAPI, KindConsistency, DetailType},
		{"ERR-123", true, GroupAPI, KindConsistency, DetailValue},
		{"ERR-124", true, GroupAPI, KindConsistency, DetailEncryption},
		{"ERR-225", true, GroupContract, KindConsistency, DetailNoData},
		{"ERR-226", true, GroupContract, KindConsistency, DetailAlreadyExists},
		{"ERR-323", true, GroupRecipient, KindConsistency, DetailValue},
		{"ERR-421", true, GroupExport, KindConsistency, DetailLength},
		{"ERR-531", true, GroupOther, KindSystem, DetailSystemFailure},
		{"err-511", true, GroupOther, KindMissing, DetailNotEntered},
		{" ERR-131 ", true, GroupAPI, KindSystem, DetailSystemFailure},
		{"ERR-129", true, GroupAPI, KindConsistency, DetailUnknown},
		{"ERR-001", false, GroupUnknown, KindUnknown, DetailUnknown},
		{"ERR-641", false, GroupUnknown, KindUnknown, DetailUnknown},
		{"ERR-11", false, GroupUnknown, KindUnknown, DetailUnknown},
		{"30", false, GroupUnknown, KindUnknown, DetailUnknown},
		{"", false, GroupUnknown, KindUnknown, DetailUnknown},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			got := ParseErrorCode(tc.in)
			assert.Equal(t, tc.valid, got.Valid)
			assert.Equal(t, tc.group, got.Group)
			assert.Equal(t, tc.kind, got.Kind)
			assert.Equal(t, tc.detail, got.Detail)
		})
	}
	assert.Equal(t, "ERR-211 (contract/sender, required value missing, not entered)", ParseErrorCode("ERR-211").String())
}

func TestRetryableFollowsTheSharedRule(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		err  interface{ Retryable() bool }
		want bool
	}{
		{"in-body system error", &APIError{VendorCode: "ERR-531", Parsed: ParseErrorCode("ERR-531"), HTTPStatus: 200}, false},
		{"missing item", &APIError{VendorCode: "ERR-211", Parsed: ParseErrorCode("ERR-211"), HTTPStatus: 200}, false},
		{"429", &APIError{HTTPStatus: 429}, true},
		{"503 of a lookup", &APIError{HTTPStatus: 503}, true},
		{"503 of a booking", &APIError{HTTPStatus: 503, outcomeUnknown: true}, false},
		{"501", &APIError{HTTPStatus: 501}, false},
		{"response 502 of a lookup", &ResponseError{HTTPStatus: 502}, true},
		{"response 502 of a booking", &ResponseError{HTTPStatus: 502, outcomeUnknown: true}, false},
		{"response 200", &ResponseError{HTTPStatus: 200}, false},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, tc.err.Retryable(), tc.name)
	}
}
