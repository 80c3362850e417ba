package epost_test

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop/epost"
)

const (
	contractURL = "https://ship.epost.go.kr/api."
	publicURL   = "http://openapi.epost.go.kr/trace/retrieveLongitudinalService/retrieveLongitudinalService/getLongitudinalDomesticList"
	bizURL      = "http://biz.epost.go.kr/KpostPortal/openapi"
)

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return b
}

// mockClient serves body with status for every request to url, through an
// httpmock.NewMockTransport given with WithHTTPClient (never httpmock.Activate).
func mockClient(t *testing.T, method, url string, status int, body []byte) (*epost.Client, *httpmock.MockTransport) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	mt.RegisterResponder(method, url, httpmock.NewBytesResponder(status, body))
	c, err := epost.NewClient(epost.Credentials{
		APIKey: "APIKEY0123456789012345678901234", SecurityKey: "1234567890abcdefghijkl", CustomerNo: "0001234567", ApprovalNo: "1018680001",
	}, epost.WithHTTPClient(&http.Client{Transport: mt}), epost.WithRetry(2, 0),
		epost.WithTraceServiceKey("svc-key"), epost.WithBizTraceKey("biz-key"))
	require.NoError(t, err)
	return c, mt
}

func TestGoldenContractAnswers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	resInfo := epost.GetResInfoRequest{ReqType: epost.ReqNormal, OrderNo: "ord-123", ReqYmd: "20200511"}
	cancelReq := epost.GetResCancelCmdRequest{ReqType: epost.ReqNormal, ReqNo: "202005116403648050", ResNo: "2020051152119574", RegiNo: "6013082362377"}
	order := validOrder()

	cases := []struct {
		fixture string
		call    string
		run     func(*epost.Client) (any, error)
		check   func(*testing.T, any, error)
	}{
		{"getcustno_ok.xml", "GetCustNo", func(c *epost.Client) (any, error) { return c.GetCustNo(ctx, "user01") },
			func(t *testing.T, v any, err error) {
				require.NoError(t, err)
				assert.Equal(t, "0001234567", v)
			}},
		{"getapprno_ok.xml", "GetApprNo", func(c *epost.Client) (any, error) {
			return c.GetApprNo(ctx, epost.GetApprNoRequest{Status: epost.ContractAnyStatus})
		},
			func(t *testing.T, v any, err error) {
				require.NoError(t, err)
				list := v.([]epost.Contract)
				require.Len(t, list, 2)
				assert.Equal(t, "1018680002", list[1].ApprNo)
				assert.Equal(t, "10", list[1].PayTypeCd)
				assert.Equal(t, "20200131", list[1].ClosedYmd)
				assert.Equal(t, "", list[0].ClosedYmd)
				assert.Equal(t, "kept in Raw", list[1].Raw["futureitem"])
			}},
		{"getstoppedzipcd_ok.xml", "GetStoppedZipCd", func(c *epost.Client) (any, error) { return c.GetStoppedZipCd(ctx, "") },
			func(t *testing.T, v any, err error) {
				require.NoError(t, err)
				list := v.([]epost.StoppedZipRange)
				require.Len(t, list, 2)
				assert.Equal(t, "27460", list[0].EndZip)
				assert.Equal(t, "40240", list[1].EndZip, "null end code: the start code")
				assert.True(t, list[0].Contains("27455"))
				assert.True(t, list[0].ActiveOn("20210810"))
			}},
		{"getstoppedzipcd_none.xml", "GetStoppedZipCd", func(c *epost.Client) (any, error) { return c.GetStoppedZipCd(ctx, "27450") },
			func(t *testing.T, v any, err error) {
				require.NoError(t, err)
				assert.Empty(t, v)
			}},
		{"insertoffice_ok.xml", "InsertOffice", func(c *epost.Client) (any, error) {
			return c.InsertOffice(ctx, epost.InsertOfficeRequest{OfficeSer: "06", OfficeNm: "전남공급지", OfficeZip: "58323",
				OfficeAddr1: "전남 나주시 정보화길 1", OfficeAddr2: "(빛가람동)", OfficeTelno: "061-1234-5678", ContactNm: "홍길동"})
		}, func(t *testing.T, v any, err error) {
			require.NoError(t, err)
			r := v.(*epost.OfficeResult)
			assert.Equal(t, "Y", r.ChkResult)
			assert.Equal(t, "나주우체국", r.RegiPoNm)
		}},
		{"getofficeinfo_ok.xml", "GetOfficeInfo", func(c *epost.Client) (any, error) { return c.GetOfficeInfo(ctx, 7) },
			func(t *testing.T, v any, err error) {
				require.NoError(t, err)
				list := v.([]epost.Office)
				require.Len(t, list, 1)
				assert.Equal(t, "전남 나주시 정보화길 1 (빛가람동, 우정사업정보센터)", list[0].OfficeAddr)
				assert.Equal(t, "1", list[0].OfficeDivCd)
			}},
		{"insertorder_ok.xml", "InsertOrder", func(c *epost.Client) (any, error) { return c.InsertOrder(ctx, order) },
			func(t *testing.T, v any, err error) {
				require.NoError(t, err)
				b := v.(*epost.Booking)
				assert.Equal(t, "6013082362377", b.RegiNo)
				assert.Equal(t, "202005116403648050", b.ReqNo)
				assert.Equal(t, "2020051152119574", b.ResNo)
				assert.Equal(t, "ord-123", b.OrderNo, "the answer's orderNo")
				assert.Equal(t, "나주우체국", b.RegiPoNm)
				assert.Equal(t, "2020-05-11 15:36:37 +0900", b.ResDate.Format("2006-01-02 15:04:05 -0700"))
				assert.Equal(t, int64(3300), b.Price)
				assert.Equal(t, int64(400), b.IslandAddFee)
				assert.Equal(t, "광15290506", b.DelivAreaCd)
				assert.Equal(t, "061", b.CourseNo)
				assert.Equal(t, "토요배달 휴무지역", b.NotifyMsg)
				assert.Equal(t, "ignored but kept in Raw", b.Raw["somenewitem"])
			}},
		{"insertorder_lowercase.xml", "InsertOrder", func(c *epost.Client) (any, error) { return c.InsertOrder(ctx, order) },
			func(t *testing.T, v any, err error) {
				require.NoError(t, err)
				b := v.(*epost.Booking)
				assert.Equal(t, "7013082362377", b.RegiNo)
				assert.Equal(t, "나주우체국", b.RegiPoNm)
				assert.Equal(t, int64(3300), b.Price, "3,300 read as 3300")
			}},
		{"insertorder_test.xml", "InsertOrder", func(c *epost.Client) (any, error) {
			test := order
			test.TestYn = epost.Yes
			return c.InsertOrder(ctx, test)
		},
			func(t *testing.T, v any, err error) {
				require.NoError(t, err)
				assert.True(t, v.(*epost.Booking).Test)
			}},
		{"insertorder_no_regino.xml", "InsertOrder", func(c *epost.Client) (any, error) { return c.InsertOrder(ctx, order) },
			func(t *testing.T, _ any, err error) {
				var respErr *epost.ResponseError
				require.ErrorAs(t, err, &respErr)
				assert.Equal(t, epost.ProblemMissingElement, respErr.Problem)
				assert.ErrorIs(t, err, epost.ErrOutcomeUnknown, "no regiNo: the booking may exist")
			}},
		{"getresinfo_ok.xml", "GetResInfo", func(c *epost.Client) (any, error) { return c.GetResInfo(ctx, resInfo) },
			func(t *testing.T, v any, err error) {
				require.NoError(t, err)
				list := v.([]epost.Reservation)
				require.Len(t, list, 2)
				assert.Equal(t, epost.TreatCancelled, list[0].Status)
				assert.Empty(t, list[0].ResNo)
				assert.True(t, list[0].ResDate.IsZero())
				assert.Equal(t, epost.TreatPrinted, list[1].Status)
				assert.Equal(t, "05051231234", list[1].VTelNo)
			}},
		{"getresinfo_unknown_status.xml", "GetResInfo", func(c *epost.Client) (any, error) { return c.GetResInfo(ctx, resInfo) },
			func(t *testing.T, v any, err error) {
				require.NoError(t, err)
				list := v.([]epost.Reservation)
				require.Len(t, list, 1)
				assert.Equal(t, epost.TreatUnknown, list[0].Status)
				assert.Equal(t, "07", list[0].StatusCode)
			}},
		{"getresinfo_ok.xml", "GetResInfo", func(c *epost.Client) (any, error) { return c.ReconcileOrder(ctx, "ord-123", "20200511") },
			func(t *testing.T, v any, err error) {
				require.NoError(t, err)
				rec := v.(*epost.Reconciliation)
				assert.True(t, rec.Booked)
				assert.Equal(t, "6013082362390", rec.Reservation.RegiNo, "the booking that is not cancelled")
			}},
		{"getresinfo_notfound.xml", "GetResInfo", func(c *epost.Client) (any, error) { return c.ReconcileOrder(ctx, "ord-123", "20200511") },
			func(t *testing.T, v any, err error) {
				require.NoError(t, err)
				assert.False(t, v.(*epost.Reconciliation).Booked)
			}},
		{"getresinfo_notfound.xml", "GetResInfo", func(c *epost.Client) (any, error) { return c.GetResInfo(ctx, resInfo) },
			func(t *testing.T, _ any, err error) {
				assert.ErrorIs(t, err, epost.ErrNotFound)
				var apiErr *epost.APIError
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, epost.DetailNoData, apiErr.Parsed.Detail)
			}},
		{"cancel_ok_lowercase.xml", "GetResCancelCmd", func(c *epost.Client) (any, error) { return c.GetResCancelCmd(ctx, cancelReq) },
			func(t *testing.T, v any, err error) {
				require.NoError(t, err)
				r := v.(*epost.CancelResult)
				assert.Equal(t, epost.CancelDone, r.Outcome)
				assert.Equal(t, "6013082362377", r.CancelRegiNo)
				assert.Equal(t, "6013082362389", r.RegiNo)
				assert.Equal(t, "2020051152119574", r.ResNo)
				assert.Equal(t, "2020-05-11 16:21:15", r.CancelDate.Format("2006-01-02 15:04:05"))
			}},
		{"cancel_deleted_camel.xml", "GetResCancelCmd", func(c *epost.Client) (any, error) { return c.GetResCancelCmd(ctx, cancelReq) },
			func(t *testing.T, v any, err error) {
				require.NoError(t, err)
				assert.Equal(t, epost.CancelDeleted, v.(*epost.CancelResult).Outcome)
			}},
		{"cancel_refused.xml", "GetResCancelCmd", func(c *epost.Client) (any, error) { return c.GetResCancelCmd(ctx, cancelReq) },
			func(t *testing.T, _ any, err error) {
				var refused *epost.CancelRefusedError
				require.ErrorAs(t, err, &refused)
				assert.Equal(t, "운송장 출력 완료", refused.Result.NotCancelReason)
				assert.Contains(t, err.Error(), "운송장 출력 완료")
			}},
		{"error_err211.xml", "InsertOrder", func(c *epost.Client) (any, error) { return c.InsertOrder(ctx, order) },
			func(t *testing.T, _ any, err error) {
				var apiErr *epost.APIError
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, "ERR-211", apiErr.Code())
				assert.Equal(t, "필수항목누락-고객번호(custNo) 값이 없습니다.", apiErr.Message)
				assert.Equal(t, epost.GroupContract, apiErr.Parsed.Group)
				assert.Contains(t, apiErr.Hint, "security key")
				assert.Contains(t, string(apiErr.Body), "ERR-211", "raw body kept")
				assert.NotErrorIs(t, err, epost.ErrOutcomeUnknown)
			}},
		{"error_plain_uppercase.xml", "InsertOrder", func(c *epost.Client) (any, error) { return c.InsertOrder(ctx, order) },
			func(t *testing.T, _ any, err error) {
				var apiErr *epost.APIError
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, "ERR-323", apiErr.Code())
				assert.NotContains(t, apiErr.Message, "1234-5678", "phones masked in messages")
				assert.Contains(t, apiErr.Message, "5678")
			}},
		{"error_system.xml", "GetApprNo", func(c *epost.Client) (any, error) { return c.GetApprNo(ctx, epost.GetApprNoRequest{}) },
			func(t *testing.T, _ any, err error) {
				var apiErr *epost.APIError
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, epost.KindSystem, apiErr.Parsed.Kind, "ERR-x3x is a system error")
				assert.False(t, apiErr.Retryable(), "an in-body refusal is not retryable by the shared rule")
			}},
	}
	for _, tc := range cases {
		t.Run(tc.fixture+"/"+tc.call, func(t *testing.T) {
			t.Parallel()
			c, mt := mockClient(t, http.MethodPost, contractURL+tc.call+".jparcel", 200, fixture(t, tc.fixture))
			v, err := tc.run(c)
			tc.check(t, v, err)
			assert.Equal(t, 1, mt.GetTotalCallCount(), "one request, no retry of a 200 answer")
		})
	}
}

func TestGoldenBrokenBodies(t *testing.T) {
	t.Parallel()
	cases := []struct {
		fixture string
		status  int
		problem epost.ResponseProblem
	}{
		{"empty.xml", 200, epost.ProblemEmptyBody},
		{"html_page.html", 200, epost.ProblemHTMLPage},
		{"malformed.xml", 200, epost.ProblemTruncated},
		{"not_xml.txt", 200, epost.ProblemMalformedXML},
	}
	for _, tc := range cases {
		t.Run(tc.fixture, func(t *testing.T) {
			t.Parallel()
			// A lookup: a typed error, no outcome question.
			c, mt := mockClient(t, http.MethodPost, contractURL+"GetApprNo.jparcel", tc.status, fixture(t, tc.fixture))
			_, err := c.GetApprNo(context.Background(), epost.GetApprNoRequest{})
			var respErr *epost.ResponseError
			require.ErrorAs(t, err, &respErr)
			assert.Equal(t, tc.problem, respErr.Problem)
			assert.ErrorIs(t, err, epost.ErrBadResponse)
			assert.NotErrorIs(t, err, epost.ErrOutcomeUnknown)
			assert.Equal(t, 1, mt.GetTotalCallCount())

			// A booking: the same answer leaves the outcome unknown.
			c, mt = mockClient(t, http.MethodPost, contractURL+"InsertOrder.jparcel", tc.status, fixture(t, tc.fixture))
			_, err = c.InsertOrder(context.Background(), validOrder())
			require.ErrorAs(t, err, &respErr)
			assert.ErrorIs(t, err, epost.ErrOutcomeUnknown)
			assert.Equal(t, 1, mt.GetTotalCallCount())
		})
	}
}

func TestMockTransportStatusHandling(t *testing.T) {
	t.Parallel()
	// An HTML 500 on a lookup is retried, then reported with its status.
	c, mt := mockClient(t, http.MethodPost, contractURL+"GetApprNo.jparcel", 500, fixture(t, "html_page.html"))
	_, err := c.GetApprNo(context.Background(), epost.GetApprNoRequest{})
	var apiErr *epost.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 500, apiErr.HTTPStatusCode())
	assert.Equal(t, "", apiErr.Code())
	assert.True(t, apiErr.Retryable())
	assert.Equal(t, 3, mt.GetTotalCallCount())

	// The same on InsertOrder is sent once, and the vendor's code inside a 500 is decoded.
	c, mt = mockClient(t, http.MethodPost, contractURL+"InsertOrder.jparcel", 500, fixture(t, "error_system.xml"))
	_, err = c.InsertOrder(context.Background(), validOrder())
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "ERR-531", apiErr.Code())
	assert.ErrorIs(t, err, epost.ErrOutcomeUnknown)
	assert.False(t, apiErr.Retryable())
	assert.Equal(t, 1, mt.GetTotalCallCount())

	// A transport error before anything was written is retried even for InsertOrder.
	mt = httpmock.NewMockTransport()
	mt.RegisterResponder(http.MethodPost, contractURL+"InsertOrder.jparcel", httpmock.NewErrorResponder(errors.New("dial tcp: connection refused")))
	c, err = epost.NewClient(epost.Credentials{APIKey: "K", SecurityKey: "1234567890abcdefghijkl", CustomerNo: "1", ApprovalNo: "2"},
		epost.WithHTTPClient(&http.Client{Transport: mt}), epost.WithRetry(2, 0))
	require.NoError(t, err)
	_, err = c.InsertOrder(context.Background(), validOrder())
	require.Error(t, err)
	assert.NotErrorIs(t, err, epost.ErrOutcomeUnknown, "never written: certainly not booked")
	assert.Equal(t, 3, mt.GetTotalCallCount())
}

func TestGoldenTraceAnswers(t *testing.T) {
	t.Parallel()
	cases := []struct {
		fixture string
		url     string
		biz     bool
		check   func(*testing.T, *epost.Trace, error)
	}{
		{"public_trace_ok.xml", publicURL, false, func(t *testing.T, tr *epost.Trace, err error) {
			require.NoError(t, err)
			assert.Equal(t, epost.TracePublic, tr.Source)
			assert.Equal(t, "6012345678901", tr.Waybill)
			assert.Equal(t, epost.StatusDelivered, tr.Status)
			assert.True(t, tr.Delivered())
			assert.Equal(t, "케이*몰", tr.SenderName)
			assert.Equal(t, "소포", tr.MailKind)
			assert.Equal(t, "일반소포", tr.Handling)
			require.Len(t, tr.Events, 5)
			assert.Equal(t, "광주우편집중국", tr.Events[1].Place)
			assert.Equal(t, "배달(수령인:본인)", tr.Events[4].Detail)
		}},
		{"public_trace_notfound.xml", publicURL, false, func(t *testing.T, _ *epost.Trace, err error) {
			assert.ErrorIs(t, err, epost.ErrNotFound)
			var apiErr *epost.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, "03", apiErr.Code())
			assert.Equal(t, epost.ServicePublicTrace, apiErr.Service)
		}},
		{"public_trace_gateway_error.xml", publicURL, false, func(t *testing.T, _ *epost.Trace, err error) {
			var apiErr *epost.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, "30", apiErr.Code())
			assert.Contains(t, apiErr.Message, "SERVICE_KEY_IS_NOT_REGISTERED_ERROR")
			assert.NotErrorIs(t, err, epost.ErrNotFound)
		}},
		{"biz_trace_ok.xml", bizURL, true, func(t *testing.T, tr *epost.Trace, err error) {
			require.NoError(t, err)
			assert.Equal(t, epost.TraceBiz, tr.Source)
			assert.Equal(t, "7012345678902", tr.Waybill)
			assert.Equal(t, epost.StatusException, tr.Status)
			assert.Equal(t, "이*희", tr.RecipientName)
			assert.Equal(t, "케이*몰", tr.SenderName)
			require.Len(t, tr.Events, 3)
			assert.Equal(t, epost.StatusOutForDelivery, tr.Events[1].Status)
		}},
		{"biz_trace_error.xml", bizURL, true, func(t *testing.T, _ *epost.Trace, err error) {
			var apiErr *epost.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, "ERR-123", apiErr.Code())
			assert.Equal(t, epost.ServiceBizTrace, apiErr.Service)
		}},
		{"biz_trace_xsync_error.xml", bizURL, true, func(t *testing.T, _ *epost.Trace, err error) {
			assert.ErrorIs(t, err, epost.ErrNotFound)
		}},
		{"biz_trace_euckr_error.xml", bizURL, true, func(t *testing.T, _ *epost.Trace, err error) {
			var apiErr *epost.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, "ERR-131", apiErr.Code())
			assert.Equal(t, "시스템 부하로 차단되었습니다.", apiErr.Message, "EUC-KR decoded")
			assert.Equal(t, epost.KindSystem, apiErr.Parsed.Kind, "ERR-131 is a system error")
		}},
		{"html_page.html", bizURL, true, func(t *testing.T, _ *epost.Trace, err error) {
			var respErr *epost.ResponseError
			require.ErrorAs(t, err, &respErr)
			assert.Equal(t, epost.ProblemHTMLPage, respErr.Problem)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.fixture, func(t *testing.T) {
			t.Parallel()
			c, mt := mockClient(t, http.MethodGet, tc.url, 200, fixture(t, tc.fixture))
			var tr *epost.Trace
			var err error
			if tc.biz {
				tr, err = c.TrackBiz(context.Background(), "7012345678902")
			} else {
				tr, err = c.TrackPublic(context.Background(), "601-2345-678901")
			}
			tc.check(t, tr, err)
			assert.Equal(t, 1, mt.GetTotalCallCount())
		})
	}
}
