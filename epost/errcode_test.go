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

func TestAPIErrorRetryable(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		err  *APIError
		want bool
	}{
		{"system error", &APIError{ErrorCode: "ERR-531", Parsed: ParseErrorCode("ERR-531"), StatusCode: 200}, true},
		{"missing item", &APIError{ErrorCode: "ERR-211", Parsed: ParseErrorCode("ERR-211"), StatusCode: 200}, false},
		{"429", &APIError{StatusCode: 429}, true},
		{"503 idempotent", &APIError{StatusCode: 503, idempotent: true}, true},
		{"503 send", &APIError{StatusCode: 503}, false},
		{"501 idempotent", &APIError{StatusCode: 501, idempotent: true}, false},
		{"system error but outcome unknown", &APIError{ErrorCode: "ERR-531", Parsed: ParseErrorCode("ERR-531"), outcomeUnknown: true}, false},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, tc.err.Retryable(), tc.name)
	}
}
