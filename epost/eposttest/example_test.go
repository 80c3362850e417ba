package eposttest_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/kshop-dev/kshop/epost"
	"github.com/kshop-dev/kshop/epost/eposttest"
)

func ExampleNewServer() {
	srv := eposttest.NewServer(eposttest.Options{Now: now})
	defer srv.Close()
	c, err := srv.NewClient()
	if err != nil {
		panic(err)
	}

	b, err := c.InsertOrder(context.Background(), order("ORD-1"))
	if err != nil {
		panic(err)
	}
	fmt.Println(b.RegiNo, len(srv.Orders()))

	// The post office picks the parcel up and it travels.
	_ = srv.SetStatus(b.RegiNo, epost.TreatPickedUp)
	srv.AddTraceEvent(b.RegiNo, eposttest.TraceEvent{Place: "광주우편집중국", Status: "발송"})
	tr, _ := c.Track(context.Background(), b.RegiNo)
	fmt.Println(tr.Status)
	// Output:
	// 6100000000003 1
	// IN_TRANSIT
}

func ExampleServer_InjectFault() {
	srv := eposttest.NewServer(eposttest.Options{Now: now})
	defer srv.Close()
	c, _ := srv.NewClient()

	// The booking happens, then the connection drops before the answer.
	srv.InjectFault(eposttest.Fault{Call: "InsertOrder", Kind: eposttest.FaultDrop, CarryOut: true})
	_, err := c.InsertOrder(context.Background(), order("ORD-2"))
	fmt.Println(errors.Is(err, epost.ErrOutcomeUnknown), srv.Requests("InsertOrder"), len(srv.Orders()))
	// Output: true 1 1
}
