package epost

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return b
}

func TestParseXMLClassifiesBodies(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		body    []byte
		problem ResponseProblem
	}{
		{"fixture empty", readFixture(t, "empty.xml"), ProblemEmptyBody},
		{"white space", []byte(" \r\n\t"), ProblemEmptyBody},
		{"BOM only", []byte("\xef\xbb\xbf"), ProblemEmptyBody},
		{"fixture html", readFixture(t, "html_page.html"), ProblemHTMLPage},
		{"html without doctype", []byte("<HTML><body>x</body></HTML>"), ProblemHTMLPage},
		{"fixture malformed", readFixture(t, "malformed.xml"), ProblemTruncated},
		{"mismatched end tag", []byte("<response><regiNo>6012345678901</regino></response>"), ProblemMalformedXML},
		{"unclosed root", []byte("<response><regiNo>6012345678901</regiNo>"), ProblemTruncated},
		{"end tag of another element", []byte("<a><b>x</a></b>"), ProblemMalformedXML},
		{"fixture not xml", readFixture(t, "not_xml.txt"), ProblemMalformedXML},
		{"two roots", []byte("<a/><b/>"), ProblemMalformedXML},
		{"unknown charset", []byte(`<?xml version="1.0" encoding="KOI8-R"?><a/>`), ProblemMalformedXML},
		{"too deep", []byte(strings.Repeat("<a>", 100) + strings.Repeat("</a>", 100)), ProblemMalformedXML},
		{"fine", readFixture(t, "insertorder_ok.xml"), 0},
		{"EUC-KR", readFixture(t, "biz_trace_euckr_error.xml"), 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			root, problem, _ := parseXML(tc.body)
			assert.Equal(t, tc.problem, problem)
			if tc.problem == 0 {
				assert.NotNil(t, root)
			} else {
				assert.Nil(t, root)
			}
		})
	}
}

func TestNodeLookupIgnoresCaseAndReadsCDATA(t *testing.T) {
	t.Parallel()
	root, problem, _ := parseXML([]byte(`<Root><Outer><canceledyn><![CDATA[ Y ]]></canceledyn></Outer>` +
		`<notCancelReason>a &amp; b <![CDATA[<raw>]]></notCancelReason><x>1</x><X>2</X></Root>`))
	require.Zero(t, problem)
	assert.Equal(t, "Y", root.value("canceledYn"))
	assert.Equal(t, "a & b <raw>", root.value("NOTCANCELREASON"))
	assert.Equal(t, "1", root.value("x"), "first in document order")
	assert.Len(t, root.findAll("X"), 2)
	assert.Equal(t, "", root.value("absent"))
	assert.Equal(t, map[string]string{"canceledyn": "Y", "notcancelreason": "a & b <raw>", "x": "1"}, root.leaves())
}

func TestEntriesFallsBackToFlatAnswer(t *testing.T) {
	t.Parallel()
	root, _, _ := parseXML([]byte(`<response><reqNo>1</reqNo><treatStusCd>01</treatStusCd></response>`))
	got := root.entries("resInfo", "reqNo")
	require.Len(t, got, 1)
	assert.Equal(t, "01", got[0].value("treatStusCd"))
	root, _, _ = parseXML([]byte(`<response/>`))
	assert.Empty(t, root.entries("resInfo", "reqNo"))
}

func TestNormalizeStatus(t *testing.T) {
	t.Parallel()
	cases := map[string]TrackingStatus{
		"접수":        StatusPickedUp,
		"집하완료":      StatusPickedUp,
		"발송":        StatusInTransit,
		"도착":        StatusInTransit,
		"발송교환국에 도착": StatusInTransit,
		"배달준비":      StatusOutForDelivery,
		"배달 준비":     StatusOutForDelivery,
		"배달완료":      StatusDelivered,
		"미배달":       StatusException,
		"반송":        StatusException,
		"창구보관":      StatusException,
		"소포신청":      StatusInformationReceived,
		"운송장출력":     StatusInformationReceived,
		"":          StatusUnknown,
		"무엇인가":      StatusUnknown,
	}
	for in, want := range cases {
		assert.Equal(t, want, NormalizeStatus(in), in)
	}
	assert.Equal(t, "DELIVERED", StatusDelivered.String())
}

func TestParseTraceTime(t *testing.T) {
	t.Parallel()
	cases := []struct{ date, clock, want string }{
		{"2017-09-12", "19:28", "2017-09-12T19:28:00+09:00"},
		{"2024.05.01", "13:45:10", "2024-05-01T13:45:10+09:00"},
		{"20240501", "1345", "2024-05-01T13:45:00+09:00"},
		{"2024-05-01 14:10", "", "2024-05-01T14:10:00+09:00"},
		{"2024-05-01", "", "2024-05-01T00:00:00+09:00"},
		{"2024-13-01", "10:00", ""},
		{"", "10:00", ""},
		{"2024-05-01", "1:5", ""},
	}
	for _, tc := range cases {
		got := parseTraceTime(tc.date, tc.clock)
		if tc.want == "" {
			assert.True(t, got.IsZero(), "%s %s", tc.date, tc.clock)
			continue
		}
		assert.Equal(t, tc.want, got.Format("2006-01-02T15:04:05Z07:00"), "%s %s", tc.date, tc.clock)
	}
}

func TestDecodeTraceFixtures(t *testing.T) {
	t.Parallel()
	root, problem, _ := parseXML(readFixture(t, "public_trace_ok.xml"))
	require.Zero(t, problem)
	pub := decodePublicTrace(root, "6012345678901")
	assert.Equal(t, StatusDelivered, pub.Status)
	assert.Equal(t, "배달완료", pub.StatusText)
	assert.Equal(t, "김*수", pub.RecipientName)
	assert.Equal(t, "2024-05-02 14:10", pub.DeliveredAt.Format("2006-01-02 15:04"))
	require.Len(t, pub.Events, 5)
	assert.Equal(t, []TrackingStatus{StatusPickedUp, StatusInTransit, StatusInTransit, StatusOutForDelivery, StatusDelivered},
		[]TrackingStatus{pub.Events[0].Status, pub.Events[1].Status, pub.Events[2].Status, pub.Events[3].Status, pub.Events[4].Status})

	root, problem, _ = parseXML(readFixture(t, "biz_trace_ok.xml"))
	require.Zero(t, problem)
	biz := decodeBizTrace(root, "7012345678902")
	assert.Equal(t, StatusException, biz.Status, "no delivery result: the latest event counts")
	assert.Equal(t, "미배달", biz.StatusText)
	assert.True(t, biz.DeliveredAt.IsZero())
	last, ok := biz.Latest()
	require.True(t, ok)
	assert.Equal(t, "수취인부재", last.Detail)
	assert.Equal(t, "2024-05-02T15:44:00+09:00", last.Time.Format("2006-01-02T15:04:05Z07:00"))
}

func TestParseXMLChecksEndTagsAsWritten(t *testing.T) {
	t.Parallel()
	for body, want := range map[string]ResponseProblem{
		`<a:x></b:x>`: ProblemMalformedXML,
		`<a:x xmlns:a="urn:k"><a:y>1</a:y></a:x>`:            0,
		`<x><y>1</y></X>`:                                    ProblemMalformedXML,
		`<x></x></x>`:                                        ProblemMalformedXML,
		`<response><regiNo>1</regiNo><b><c/></b></response>`: 0,
	} {
		root, problem, _ := parseXML([]byte(body))
		assert.Equal(t, want, problem, body)
		if want == 0 {
			require.NotNil(t, root, body)
		}
	}
	root, _, _ := parseXML([]byte(`<a:x xmlns:a="urn:k"><a:Y> 1 </a:Y><z><y>2</y></z></a:x>`))
	assert.Equal(t, "x", root.name)
	assert.Equal(t, "1", root.value("y"))
	require.Len(t, root.children, 2)
	assert.Equal(t, []string{"y", "z"}, []string{root.children[0].name, root.children[1].name})
	require.Len(t, root.children[1].children, 1)
	assert.Equal(t, "2", root.children[1].children[0].text)
	assert.Len(t, root.findAll("y"), 2)
}

func TestLooksLikeHTMLReadsOnlyTheHead(t *testing.T) {
	t.Parallel()
	pad := strings.Repeat(" ", 600)
	cases := map[string]bool{
		"<!DOCTYPE HTML><p>":                       true,
		"<!doctype html>":                          true,
		"<HtMl lang=ko>":                           true,
		"<?xml version=\"1.0\"?>\n<HTML><body>":    true,
		"<?xml version=\"1.0\"?><response><html>x": true,
		"<?xml version=\"1.0\"?>" + pad + "<html>": false,
		"<?xml version=\"1.0\"?><response/>":       false,
		"<htm":                                     false,
		"<response><html>":                         false,
	}
	for in, want := range cases {
		assert.Equal(t, want, looksLikeHTML([]byte(in)), "%.40q", in)
	}
}
