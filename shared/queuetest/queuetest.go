// Package queuetest is the conformance suite of the filing.Queue port (SQS semantics): lease
// exclusivity, visibility expiry, extend, release, ack, dead-lettering, long polling and
// statistics, asserted through the domain's error codes only.
package queuetest

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ipfast/ipfast/shared/filing"
)

// Queues are the queues a harness's backend must have: the same review queue of two expos
// (filing.ExpoQueue), as a deployment with two expos has them.
var Queues = []string{filing.ExpoQueue("TEST", "review"), filing.ExpoQueue("OTHER", "review")}

// Harness is a fresh backend with empty queues.
type Harness struct {
	Queue filing.Queue
	// Queues are at least two empty queue names (Queues, for the tenancy test).
	Queues []string
	// MaxReceives is the backend's receive limit before a message is dead-lettered.
	MaxReceives int
	// StrictAck: an ack with a receipt that is no longer current fails with lease_lost. SQS
	// accepts it silently (the message may come again), so its adapter does not claim this.
	StrictAck bool
	// OldestAge: Stats reports the age of the oldest message (SQS's API does not).
	OldestAge bool
}

var ctx = context.Background()

// Run runs the suite; newHarness makes a fresh backend for each test.
func Run(t *testing.T, newHarness func(t *testing.T) Harness) {
	t.Run("SendReceiveAck", func(t *testing.T) { testSendReceiveAck(t, newHarness(t)) })
	t.Run("LeaseExclusivity", func(t *testing.T) { testExclusive(t, newHarness(t)) })
	t.Run("VisibilityExpiry", func(t *testing.T) { testExpiry(t, newHarness(t)) })
	t.Run("Extend", func(t *testing.T) { testExtend(t, newHarness(t)) })
	t.Run("Release", func(t *testing.T) { testRelease(t, newHarness(t)) })
	t.Run("DeadLetter", func(t *testing.T) { testDeadLetter(t, newHarness(t)) })
	t.Run("LongPoll", func(t *testing.T) { testLongPoll(t, newHarness(t)) })
	t.Run("Stats", func(t *testing.T) { testStats(t, newHarness(t)) })
	t.Run("UnknownQueue", func(t *testing.T) { testUnknown(t, newHarness(t)) })
	t.Run("Tenancy", func(t *testing.T) { testTenancy(t, newHarness(t)) })
}

// testTenancy: two expos' queues of the same review queue, filled and drained at once by
// concurrent senders and receivers, hand out only their own messages, each once; their
// figures are their own; a lease of one cannot be extended or released through the other.
func testTenancy(t *testing.T, h Harness) {
	a, b := h.Queues[0], h.Queues[1]
	const n = 12
	sent := map[string][]string{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, q := range []string{a, b} {
		for w := 0; w < 3; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < n/3; i++ {
					id := fmt.Sprintf("fil_%s_%d_%d", q, w, i)
					if err := h.Queue.Send(ctx, q, filing.Message{FilingID: id}); err != nil {
						t.Errorf("Send to %s: %v", q, err)
						return
					}
					mu.Lock()
					sent[q] = append(sent[q], id)
					mu.Unlock()
				}
			}()
		}
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	for _, q := range []string{a, b} {
		if st, err := h.Queue.Stats(ctx, q); err != nil || st.Depth != n {
			t.Errorf("Stats(%s) = depth %d, %v; want %d", q, st.Depth, err, n)
		}
	}
	got := map[string]map[string]int{a: {}, b: {}}
	for _, q := range []string{a, b} {
		for w := 0; w < 3; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					d, ok, err := h.Queue.Receive(ctx, q, time.Minute, 300*time.Millisecond)
					if err != nil || !ok {
						return
					}
					mu.Lock()
					got[q][d.FilingID]++
					mu.Unlock()
					if err := h.Queue.Ack(ctx, q, d.Receipt); err != nil {
						t.Errorf("Ack on %s: %v", q, err)
					}
				}
			}()
		}
	}
	wg.Wait()
	for _, q := range []string{a, b} {
		if len(got[q]) != n {
			t.Errorf("%s handed out %d distinct messages, want its %d", q, len(got[q]), n)
		}
		for _, id := range sent[q] {
			if got[q][id] != 1 {
				t.Errorf("%s handed out its %s %d times", q, id, got[q][id])
			}
		}
		for id := range got[q] {
			if !strings.Contains(id, q) {
				t.Errorf("%s handed out %s, which was sent to the other queue", q, id)
			}
		}
	}
	send(t, h, a, 1)
	d := receive(t, h, a, time.Minute)
	lost(t, "Extend through the other expo's queue", h.Queue.Extend(ctx, b, d.Receipt, time.Minute))
	lost(t, "Release through the other expo's queue", h.Queue.Release(ctx, b, d.Receipt))
	empty(t, h, b)
	if err := h.Queue.Ack(ctx, a, d.Receipt); err != nil {
		t.Errorf("the lease is still its own queue's: %v", err)
	}
}

func send(t *testing.T, h Harness, queue string, n int) []string {
	t.Helper()
	var ids []string
	for i := 0; i < n; i++ {
		id := fmt.Sprintf("fil_%d_%d", time.Now().UnixNano(), i)
		if err := h.Queue.Send(ctx, queue, filing.Message{FilingID: id}); err != nil {
			t.Fatalf("Send: %v", err)
		}
		ids = append(ids, id)
	}
	return ids
}

func receive(t *testing.T, h Harness, queue string, vis time.Duration) filing.Delivery {
	t.Helper()
	d, ok, err := h.Queue.Receive(ctx, queue, vis, 2*time.Second)
	if err != nil || !ok {
		t.Fatalf("Receive = ok %v, err %v", ok, err)
	}
	return d
}

func empty(t *testing.T, h Harness, queue string) {
	t.Helper()
	if d, ok, err := h.Queue.Receive(ctx, queue, time.Minute, 0); err != nil || ok {
		t.Fatalf("queue should look empty: got %+v, %v", d, err)
	}
}

func lost(t *testing.T, what string, err error) {
	t.Helper()
	if filing.ErrorKind(err) != filing.Conflict || filing.ErrorCode(err) != filing.CodeLeaseLost {
		t.Errorf("%s = %v, want Conflict lease_lost", what, err)
	}
}

func testSendReceiveAck(t *testing.T, h Harness) {
	q := h.Queues[0]
	ids := send(t, h, q, 2)
	d := receive(t, h, q, time.Minute)
	if d.FilingID != ids[0] || d.ReceiveCount != 1 || d.Receipt == "" || !d.VisibleAt.After(time.Now()) {
		t.Fatalf("first delivery = %+v, want the oldest message %s", d, ids[0])
	}
	if err := h.Queue.Ack(ctx, q, d.Receipt); err != nil {
		t.Fatalf("Ack: %v", err)
	}
	if h.StrictAck {
		lost(t, "second Ack", h.Queue.Ack(ctx, q, d.Receipt))
	}
	d2 := receive(t, h, q, time.Minute)
	if d2.FilingID != ids[1] {
		t.Errorf("second delivery %s, want %s", d2.FilingID, ids[1])
	}
	empty(t, h, q)
	empty(t, h, h.Queues[1]) // queues are separate
	if h.StrictAck {
		lost(t, "Ack with a forged receipt", h.Queue.Ack(ctx, q, "forged-receipt"))
	}
}

func testExclusive(t *testing.T, h Harness) {
	q := h.Queues[0]
	const n = 30
	send(t, h, q, n)
	var mu sync.Mutex
	seen := map[string]int{}
	var wg sync.WaitGroup
	for w := 0; w < 50; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				d, ok, err := h.Queue.Receive(ctx, q, time.Minute, 0)
				if err != nil {
					t.Errorf("Receive: %v", err)
					return
				}
				if !ok {
					return
				}
				mu.Lock()
				seen[d.FilingID]++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(seen) != n {
		t.Errorf("%d distinct messages received, want %d", len(seen), n)
	}
	for id, c := range seen {
		if c != 1 {
			t.Errorf("message %s leased %d times at once", id, c)
		}
	}
}

func testExpiry(t *testing.T, h Harness) {
	q := h.Queues[0]
	send(t, h, q, 1)
	first := receive(t, h, q, time.Second)
	empty(t, h, q)
	time.Sleep(1500 * time.Millisecond)
	second := receive(t, h, q, time.Minute)
	if second.FilingID != first.FilingID || second.ReceiveCount != 2 || second.Receipt == first.Receipt {
		t.Fatalf("after expiry: %+v (first %+v)", second, first)
	}
	if h.StrictAck {
		lost(t, "Ack with the expired lease", h.Queue.Ack(ctx, q, first.Receipt))
		lost(t, "Extend with the expired lease", h.Queue.Extend(ctx, q, first.Receipt, time.Minute))
	}
	if err := h.Queue.Ack(ctx, q, second.Receipt); err != nil {
		t.Errorf("Ack with the current lease: %v", err)
	}
}

func testExtend(t *testing.T, h Harness) {
	q := h.Queues[0]
	send(t, h, q, 1)
	d := receive(t, h, q, time.Second)
	if err := h.Queue.Extend(ctx, q, d.Receipt, time.Minute); err != nil {
		t.Fatalf("Extend: %v", err)
	}
	time.Sleep(1500 * time.Millisecond)
	empty(t, h, q) // still leased past the first visibility
	if err := h.Queue.Ack(ctx, q, d.Receipt); err != nil {
		t.Errorf("Ack after Extend: %v", err)
	}
}

func testRelease(t *testing.T, h Harness) {
	q := h.Queues[0]
	send(t, h, q, 1)
	d := receive(t, h, q, time.Minute)
	if err := h.Queue.Release(ctx, q, d.Receipt); err != nil {
		t.Fatalf("Release: %v", err)
	}
	if h.StrictAck {
		lost(t, "Ack after Release", h.Queue.Ack(ctx, q, d.Receipt))
	}
	again := receive(t, h, q, time.Minute)
	if again.FilingID != d.FilingID {
		t.Errorf("released message not delivered again")
	}
}

func testDeadLetter(t *testing.T, h Harness) {
	q := h.Queues[0]
	send(t, h, q, 1)
	for i := 1; i <= h.MaxReceives; i++ {
		d := receive(t, h, q, time.Minute)
		if d.ReceiveCount != i {
			t.Fatalf("receive %d has count %d", i, d.ReceiveCount)
		}
		if err := h.Queue.Release(ctx, q, d.Receipt); err != nil {
			t.Fatal(err)
		}
	}
	// One receive more than the limit: the message goes to the dead letters, not to a caller.
	if d, ok, err := h.Queue.Receive(ctx, q, time.Minute, time.Second); err != nil || ok {
		t.Fatalf("message delivered past its receive limit: %+v %v", d, err)
	}
	st := waitStats(t, h, q, func(st filing.QueueStats) bool { return st.DeadLetters == 1 })
	if st.DeadLetters != 1 || st.Depth != 0 || st.InFlight != 0 {
		t.Errorf("stats after dead-lettering = %+v", st)
	}
}

func testLongPoll(t *testing.T, h Harness) {
	q := h.Queues[0]
	go func() {
		time.Sleep(300 * time.Millisecond)
		_ = h.Queue.Send(ctx, q, filing.Message{FilingID: "fil_late"})
	}()
	start := time.Now()
	d, ok, err := h.Queue.Receive(ctx, q, time.Minute, 10*time.Second)
	if err != nil || !ok || d.FilingID != "fil_late" {
		t.Fatalf("long poll = %+v ok %v err %v", d, ok, err)
	}
	if waited := time.Since(start); waited > 8*time.Second {
		t.Errorf("long poll returned only after %v", waited)
	}
	start = time.Now()
	if _, ok, err := h.Queue.Receive(ctx, q, time.Minute, time.Second); ok || err != nil {
		t.Fatalf("empty long poll: ok %v err %v", ok, err)
	}
	if waited := time.Since(start); waited < 900*time.Millisecond {
		t.Errorf("empty long poll returned after %v, before its wait", waited)
	}
}

func testStats(t *testing.T, h Harness) {
	q := h.Queues[0]
	send(t, h, q, 3)
	receive(t, h, q, time.Minute)
	time.Sleep(1100 * time.Millisecond)
	st := waitStats(t, h, q, func(st filing.QueueStats) bool { return st.Depth == 2 && st.InFlight == 1 })
	if st.Name != q || st.Depth != 2 || st.InFlight != 1 || (h.OldestAge && st.OldestAgeSeconds < 1) || st.DeadLetters != 0 {
		t.Errorf("stats = %+v, want depth 2, in flight 1, oldest ≥ 1 s", st)
	}
}

// waitStats polls a queue's statistics until ok holds or 5 s pass (SQS's counts are
// approximate and may lag), and returns the last figures.
func waitStats(t *testing.T, h Harness, q string, ok func(filing.QueueStats) bool) filing.QueueStats {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		st, err := h.Queue.Stats(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if ok(st) || time.Now().After(deadline) {
			return st
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func testUnknown(t *testing.T, h Harness) {
	if err := h.Queue.Send(ctx, "no-such-queue", filing.Message{FilingID: "x"}); filing.ErrorCode(err) != filing.CodeQueueNotFound {
		t.Errorf("Send to unknown queue = %v", err)
	}
	if _, _, err := h.Queue.Receive(ctx, "no-such-queue", time.Minute, 0); filing.ErrorKind(err) != filing.NotFound {
		t.Errorf("Receive from unknown queue = %v", err)
	}
	if _, err := h.Queue.Stats(ctx, "no-such-queue"); filing.ErrorKind(err) != filing.NotFound {
		t.Errorf("Stats of unknown queue = %v", err)
	}
}
