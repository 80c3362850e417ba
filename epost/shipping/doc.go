// Package shipping is the shop's Korea Post workflow (우체국택배 연동) on top of package epost,
// as Godomall's screens run it: an order-status vocabulary per order line, waybill issue per
// order or per item with contact errors (step 1, 송장발급), reservation (step 2, 예약하기), the
// transitions that printing and tracking make, cancels, and the two-hour status sync
// (배송상태 자동 업데이트) with a manual trigger. It is pure and deterministic except for the
// injected clock (Config.Now) and the Korea Post client (the Client interface, which
// *epost.Client implements); state lives behind a Store (MemoryStore in memory; package
// epost/shipping/storesql on PostgreSQL or SQLite; package shippingtest is the suite every
// Store passes).
//
//	sh, _ := shipping.New(client, shipping.NewMemoryStore(), shipping.Config{OfficeSer: "01", ShopName: "케이샵"})
//	_ = sh.AddOrders(ctx, order)
//	issued, _ := sh.Issue(ctx, shipping.IssueRequest{Mode: shipping.PerOrder}) // step 1
//	reserved, _ := sh.Reserve(ctx)                                            // step 2
//	events, _ := sh.MarkPrinted(ctx, reserved.Reserved[0].ID)                  // 배송중
//	syncer, _ := sh.NewSyncer(shipping.SyncOptions{})
//	go syncer.Run(ctx)                                                        // 배송완료, every 2 h
//
// # Statuses
//
// Status holds Godomall's codes (Godomall 5 admin, 주문 상태 설정): o1 입금대기, p1 결제완료, g1
// 상품준비중 with the optional g2 구매발주, g3 상품입고, g4 상품출고, d1 배송중, d2 배송완료, s1 구매확정,
// and the closed families c (취소), f (결제실패), b (반품), e (교환), r (환불) and z (교환 추가결제).
// Status is per order line. StatusConfig is the shop's 입금 상태 설정 (the payment group, p1) and
// 상품 상태 설정 (the goods group: g1 and the optional sub-statuses the shop keeps on); lines in
// either group are eligible for step 1. Unknown codes are an *UnknownStatusError. Mapping
// translates other platforms' codes; Cafe24 maps its N-codes (N10 상품준비중 → g1, N30 배송중 →
// d1 …).
//
// Transition is the workflow as a pure function and table:
//
//	reservation  payment group → g1 상품준비중; goods group keeps its status
//	print        payment or goods group → d1 배송중
//	tracking     picked up / in transit → d1; delivered → d2 배송완료
//	manual       anything; the line is unlinked and sync never touches it again
//
// Closed families, 구매확정 and every move backwards are refused (*TransitionError). Each
// change is an Event (line, from, to, cause, waybill number) with a stable ID, written to the
// store's outbox with the change and offered to Config.OnEvent at least once, so a shop can
// send the 배송 시작 / 배송 완료 AlimTalk from it.
//
// # How the two steps map onto the OpenAPI
//
// Godomall shows two steps, but the Korea Post 계약소포 OpenAPI has one call for both:
// InsertOrder (api.InsertOrder.jparcel) issues the waybill number (regiNo) and books the
// pickup at once; no call issues a number without booking, or books a number issued earlier.
// So:
//
//   - Step 1, Issue, sends nothing. It checks eligibility and the recipient's contact (a
//     malformed phone or mobile marks the lines 연락처오류 and issues the others), groups
//     lines into waybills, takes the pay type from the order's fee condition (선결제 → payType
//     1, 착불 → 2), and gives each waybill its Korea Post orderNo: the order number per order,
//     order number + "-" + line number per item, "-R2", "-R3" … for later attempts. The
//     waybill is stored in state issued (예약 전) with no number. Nothing is booked, so an
//     abandoned step-1 waybill costs nothing and has nothing to cancel.
//   - Step 2, Reserve, first writes the waybill as reserving with the KST dates the booking
//     may carry (the plan), then calls InsertOrder with orderNo = the waybill's ID, printYn=Y
//     (the shop prints the label itself; the booking starts at 운송장출력, 02, which Korea Post
//     still lets us cancel), testYn absent, and stores regiNo, reqNo, resNo and reqYmd. Lines
//     become linked and payment-group lines move to 상품준비중.
//
// An unknown outcome (a timeout, a dropped connection, a 5xx: *epost.UnknownOrderError) leaves
// the waybill reserve-unknown and is reconciled at once through ReconcileOrder on each stored
// date; a crash after the plan leaves it reserving, reconciled by the next Reserve or sync
// once InFlightGrace has passed. Only Korea Post's documented "no such booking" (ERR-225) on
// every date puts the waybill back in the step-2 list; a booking found is recorded; anything
// else stays unknown and nothing is sent. Because each waybill has its own orderNo, which is
// never reused, ReconcileOrder's "two live bookings under one orderNo" stays an exact test
// for a double booking (reported as ErrDoubleBooking; the workflow never causes one).
//
// Cancel cancels at Korea Post with GetResCancelCmd (delYn=N, so the cancelled booking stays
// listed as 신청취소 and the cancel itself can be reconciled the same way); Korea Post allows
// it until the parcel is picked up. The cancelled number is never used again: the lines return
// to step 1 with their status unchanged, and issuing them again makes a new waybill.
//
// # Sync
//
// A Syncer tracks every linked, undelivered waybill through epost.Client.TrackMany (bounded
// concurrency, a start-rate limit), every two hours or on SyncNow, and applies the tracking
// transitions. Each batch's planned changes and the cursor are written in one Update before
// any is applied; each change is applied in its own Update that checks the line is still
// linked and in the planned status, so a crash between any two steps neither loses nor
// doubles a change, an operator's change in between wins, and a second run changes nothing.
// Progress reports counts after every batch. Tracking runs one batch at a time on its own
// goroutine while the syncer records the batch before and leases the next, so a sync takes
// about as long as its trace requests do.
//
// Several syncers (instances of the shop) may share one store and split each pass instead of
// each doing all of it: a syncer takes its batches through Store.LeaseWaybills, which leases
// them to its SyncOptions.InstanceID for SyncOptions.Lease, and each waybill records the pass
// that tracked it (Waybill.SyncedPass). A syncer that dies holding a batch delays it until
// the lease ends, when another takes it over; the last syncer to find nothing left closes the
// pass. Run starts a new pass only when the last one started about an Interval ago, so two
// instances run one pass per Interval between them. Package epost/shipping/storesql keeps the
// state in PostgreSQL or SQLite. Instances deliver the shared event outbox one at a time,
// under its DeliveryLease (Config.InstanceID, Config.DeliveryLease), so that two never offer
// the same event at once. Delivery is still at least once: an instance that dies between
// OnEvent and the acknowledgement, or stalls past its lease, leaves the event to be offered
// again with the same ID, so a consumer that must never act twice (an AlimTalk send) keys on
// Event.ID, as the alimtalk Dispatcher's ledger does. Give each instance a stable InstanceID
// (a pod or host name): a restarted instance then resumes its own lease at once, where one
// with a new ID waits until the dead one's lease has run out.
//
// # Personal data
//
// Names, phones and addresses never appear in logs or error strings; Recipient prints a
// masked name and masked phones for every fmt verb and in slog.
package shipping
