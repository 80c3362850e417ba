package fakefault

import (
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFaultsApplyInOrderPerCall(t *testing.T) {
	t.Parallel()
	var fs Faults
	fs.Inject(Fault{Call: "Send", Kind: Status})
	fs.Inject(Fault{Kind: Drop, Times: 2, CarryOut: true})
	assert.Nil(t, (&Faults{}).Take("Send"))

	f := fs.Take("Send")
	require.NotNil(t, f)
	assert.Equal(t, Status, f.Kind)
	assert.Equal(t, 500, f.Status)
	assert.False(t, f.CarriesOut())

	for range 2 {
		f = fs.Take("InsertOrder")
		require.NotNil(t, f)
		assert.Equal(t, Drop, f.Kind)
		assert.True(t, f.CarriesOut())
	}
	assert.Nil(t, fs.Take("Send"))

	fs.Inject(Fault{Kind: TooManyRequests, CarryOut: true})
	fs.Clear()
	assert.Nil(t, fs.Take("x"))
}

func TestCarriesOutRules(t *testing.T) {
	t.Parallel()
	assert.True(t, Fault{Kind: Delay}.Normalized().CarriesOut())
	assert.False(t, Fault{Kind: TooManyRequests, CarryOut: true}.Normalized().CarriesOut())
	assert.True(t, Fault{Kind: HTMLPage, CarryOut: true}.CarriesOut())
	assert.False(t, Fault{Kind: EmptyBody}.CarriesOut())
	assert.Equal(t, "dropped connection", Drop.String())
	assert.Equal(t, "no fault", Kind(0).String())
}

func TestHoldEndsWhenDoneCloses(t *testing.T) {
	t.Parallel()
	done := make(chan struct{})
	close(done)
	start := time.Now()
	Hold(httptest.NewRequest("GET", "/", nil), time.Hour, done)
	assert.Less(t, time.Since(start), time.Minute)
}
