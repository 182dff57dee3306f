// Package reviewtest is the conformance suite of examiner review over a backend (a Store and
// the Queue its filings are routed to): lease exclusivity under concurrency, lease expiry and
// hand-over, lease_lost for stale tokens, poison messages to the dead letters, and the audit
// trail. It runs the intake service with the real clock and short leases, so that queue
// visibility (which SQS counts in real time) and lease ends agree.
package reviewtest

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ipfast/ipfast/shared/filing"
	"github.com/ipfast/ipfast/shared/intake"
	"github.com/ipfast/ipfast/shared/review"
	"github.com/ipfast/ipfast/shared/sweep"
)

// Harness is a fresh backend whose Store routes to Queue; its queues are Deployment's
// (Deployment().AllQueues()).
type Harness struct {
	Store filing.Store
	Queue filing.Queue
	// MaxReceives is the queues' receive limit before dead-lettering.
	MaxReceives int
}

var ctx = context.Background()

// defaultExpo is the id of Deployment's default expo, secondExpo the other one.
const (
	defaultExpo = "CISCE2026"
	secondExpo  = "AUTUMN2026"
)

// Deployment is the configuration the suite runs: the built-in expo first (the default), and
// a second expo with its own number prefix and the same queues, for the tenancy test.
func Deployment() *filing.Expo {
	x, err := filing.ParseExpo([]byte(`{"expos":[{},{"id":"` + secondExpo + `","filingNumberPrefix":"` + secondExpo +
		`","name":"Autumn Fair 2026","startDate":"2026-10-15","endDate":"2026-10-19"}]}`))
	if err != nil {
		panic(err)
	}
	return x
}

// EachLeasedOnce checks what concurrent examiners leased until their queue was empty (filing
// id → how often): all n filings, each exactly once.
func EachLeasedOnce(t *testing.T, seen map[string]int, n int) {
	t.Helper()
	if len(seen) != n {
		t.Errorf("%d distinct filings leased, want %d", len(seen), n)
	}
	for id, c := range seen {
		if c != 1 {
			t.Errorf("filing %s leased %d times at once", id, c)
		}
	}
}

// Run runs the suite.
func Run(t *testing.T, newHarness func(t *testing.T) Harness) {
	t.Run("ConcurrentLeasesAreExclusive", func(t *testing.T) { testExclusive(t, newHarness(t)) })
	t.Run("ExpiredLeaseIsHandedOver", func(t *testing.T) { testExpiry(t, newHarness(t)) })
	t.Run("PoisonMessageIsDeadLettered", func(t *testing.T) { testPoison(t, newHarness(t)) })
	t.Run("DecisionsAndHistory", func(t *testing.T) { testDecisions(t, newHarness(t)) })
	t.Run("SweepDeemsWithdrawn", func(t *testing.T) { testSweep(t, newHarness(t)) })
	t.Run("CorrectionRoundTrip", func(t *testing.T) { testCorrection(t, newHarness(t)) })
	t.Run("WithdrawKeepsTheAmendmentRecord", func(t *testing.T) { testWithdrawAfterCorrection(t, newHarness(t)) })
	t.Run("StolenLeaseTokenIsLost", func(t *testing.T) { testLeaseTheft(t, newHarness(t)) })
	t.Run("Tenancy", func(t *testing.T) { testTenancy(t, newHarness(t)) })
	t.Run("LapsedLeaseWithoutMessageIsReturned", func(t *testing.T) { testLapsedLease(t, newHarness(t)) })
}

// services are the kiosks' and the examiners' services over one backend, with one clock.
type services struct {
	*review.Service
	intake *intake.Service
}

func service(h Harness, lease time.Duration) *services {
	expo := Deployment()
	s := &services{Service: review.New(expo, h.Store, h.Queue, nil), intake: intake.New(expo, h.Store, nil)}
	s.LeaseDuration = lease
	return s
}

// setClock sets both services' clock.
func (s *services) setClock(c filing.Clock) { s.Clock, s.intake.Clock = c, c }

var kiosk = filing.Principal{Subject: "kiosk-1", Role: filing.RoleKiosk, Exhibitor: "EX-1", Booth: "1A-101"}

func examiner(n int) filing.Principal {
	return filing.Principal{Subject: fmt.Sprint("examiner-", n), Role: filing.RoleExaminer}
}

func file(t *testing.T, s *services, n int) []filing.Filing {
	t.Helper()
	return fileAs(t, s, kiosk, n)
}

// fileAs files n trademarks from the kiosk p.
func fileAs(t *testing.T, s *services, p filing.Principal, n int) []filing.Filing {
	t.Helper()
	var out []filing.Filing
	for i := 0; i < n; i++ {
		r := &filing.Request{Kind: "trademark", Trademark: &filing.Trademark{MarkType: "word", MarkText: fmt.Sprint("M", i),
			Classes: []filing.NiceClass{{Class: 9, Terms: []string{"Batteries"}}}},
			Applicants: []filing.Applicant{{Name: "ACME", Kind: "organization", Nationality: "CN", Domicile: "CN", Address: "Beijing"}},
			Contact:    &filing.Contact{Name: "Li", Email: "li@example.com"}, Language: "en"}
		f, _, err := s.intake.Submit(ctx, p, fmt.Sprint("review-", i), r)
		if err != nil {
			t.Error(err)
			return out
		}
		out = append(out, f)
	}
	return out
}

func testExclusive(t *testing.T, h Harness) {
	s := service(h, time.Minute)
	const n = 20
	file(t, s, n)
	time.Sleep(1100 * time.Millisecond)
	deadline := time.Now().Add(10 * time.Second)
	for {
		qs, err := s.Queues(ctx, examiner(0))
		if err != nil {
			t.Fatal(err)
		}
		var tm filing.QueueStats
		for _, q := range qs {
			if q.Name == "trademark" {
				tm = q
			}
		}
		if tm.Depth == n && tm.OldestAgeSeconds >= 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("trademark queue before leasing: %+v, want depth %d and an oldest age", tm, n)
		}
		time.Sleep(200 * time.Millisecond)
	}
	var mu sync.Mutex
	seen := map[string]int{}
	var wg sync.WaitGroup
	for w := 0; w < 50; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for {
				g, ok, err := s.Lease(ctx, examiner(w), "trademark", 3*time.Second)
				if err != nil {
					t.Errorf("lease: %v", err)
					return
				}
				if !ok {
					return
				}
				mu.Lock()
				seen[g.Filing.ID]++
				mu.Unlock()
			}
		}(w)
	}
	wg.Wait()
	EachLeasedOnce(t, seen, n)
}

func testExpiry(t *testing.T, h Harness) {
	s := service(h, 2*time.Second)
	f := file(t, s, 1)[0]
	first, ok, err := s.Lease(ctx, examiner(1), "trademark", 5*time.Second)
	if err != nil || !ok || first.Filing.ID != f.ID {
		t.Fatalf("first lease: %v %v", ok, err)
	}
	if _, ok, _ := s.Lease(ctx, examiner(2), "trademark", 0); ok {
		t.Fatal("a leased filing was handed out again")
	}
	second, ok, err := s.Lease(ctx, examiner(2), "trademark", 10*time.Second)
	if err != nil || !ok || second.Filing.ID != f.ID {
		t.Fatalf("expired lease not handed over: %v %v", ok, err)
	}
	_, err = s.Decide(ctx, examiner(1), f.ID, review.DecisionRequest{LeaseToken: first.LeaseToken, Outcome: "accept"})
	if filing.ErrorCode(err) != filing.CodeLeaseLost {
		t.Errorf("decision with the expired lease: %v, want lease_lost", err)
	}
	got, err := s.Decide(ctx, examiner(2), f.ID, review.DecisionRequest{LeaseToken: second.LeaseToken, Outcome: "accept"})
	if err != nil || got.State != filing.StateAccepted {
		t.Fatalf("decision by the new holder: %v %v", got.State, err)
	}
	if _, ok, _ := s.Lease(ctx, examiner(3), "trademark", 3*time.Second); ok {
		t.Error("a decided filing was leased again")
	}
}

func testPoison(t *testing.T, h Harness) {
	s := service(h, time.Minute)
	if err := h.Queue.Send(ctx, filing.ExpoQueue(defaultExpo, "trademark"), filing.Message{FilingID: "fil_doesnotexist"}); err != nil {
		t.Fatal(err)
	}
	for i := 0; i <= h.MaxReceives; i++ {
		if g, ok, err := s.Lease(ctx, examiner(1), "trademark", time.Second); err != nil || ok {
			t.Fatalf("lease %d: %+v %v", i, g, err)
		}
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		qs, err := s.Queues(ctx, examiner(1))
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range qs {
			if q.Name == "trademark" && q.DeadLetters == 1 {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("poison message not in the dead letters: %+v", qs)
		}
		// Each lease attempt gives the message back at once; more attempts reach the limit.
		_, _, _ = s.Lease(ctx, examiner(1), "trademark", 0)
		time.Sleep(200 * time.Millisecond)
	}
}

func testDecisions(t *testing.T, h Harness) {
	s := service(h, time.Minute)
	fs := file(t, s, 3)
	outcomes := map[string]review.DecisionRequest{}
	for i := range fs {
		g, ok, err := s.Lease(ctx, examiner(1), "trademark", 5*time.Second)
		if err != nil || !ok {
			t.Fatalf("lease %d: %v %v", i, ok, err)
		}
		req := []review.DecisionRequest{
			{Outcome: "accept"},
			{Outcome: "reject", Reasons: []filing.Reason{{Code: "mark_unclear", Note: "n"}}},
			{Outcome: "request_correction", Reasons: []filing.Reason{{Code: "document_missing"}}, Note: "send the power of attorney"},
		}[i]
		req.LeaseToken = g.LeaseToken
		outcomes[g.Filing.ID] = req
		f, err := s.Decide(ctx, examiner(1), g.Filing.ID, req)
		if err != nil {
			t.Fatalf("decide %s: %v", req.Outcome, err)
		}
		if req.Outcome == "request_correction" && f.RespondBy == "" {
			t.Errorf("no respondBy after a correction request")
		}
	}
	for id, req := range outcomes {
		evs, err := s.History(ctx, examiner(2), id)
		if err != nil || len(evs) != 3 {
			t.Fatalf("history of %s: %d events, %v", id, len(evs), err)
		}
		last := evs[2]
		if last.Action != "decided:"+req.Outcome || last.Actor != "examiner-1" || len(last.Reasons) != len(req.Reasons) ||
			evs[1].Action != "leased" || evs[0].Action != "filed" {
			t.Errorf("history of %s: %+v", id, evs)
		}
	}
}

func testSweep(t *testing.T, h Harness) {
	c := &filing.ManualClock{}
	c.Set("2026-06-23T02:00:00Z")
	s := service(h, time.Minute)
	s.setClock(c)
	sweeper := &sweep.Service{Store: h.Store, Expo: s.Expo, Clock: c}
	fs := file(t, s, 2)
	for range fs {
		g, ok, err := s.Lease(ctx, examiner(1), "trademark", 5*time.Second)
		if err != nil || !ok {
			t.Fatalf("lease: %v %v", ok, err)
		}
		f, err := s.Decide(ctx, examiner(1), g.Filing.ID, review.DecisionRequest{LeaseToken: g.LeaseToken,
			Outcome: "request_correction", Reasons: []filing.Reason{{Code: "document_missing"}}})
		if err != nil || f.RespondBy != "2026-07-23" {
			t.Fatalf("request correction: %v %v", f.RespondBy, err)
		}
	}
	c.Set("2026-07-23T15:59:00Z") // 23:59 on the last day in Beijing: still in time
	if n, err := sweeper.DeemWithdrawn(ctx); err != nil || n != 0 {
		t.Fatalf("sweep on the last day moved %d, %v", n, err)
	}
	c.Set("2026-07-23T16:00:00Z") // midnight: the period is over
	if n, err := sweeper.DeemWithdrawn(ctx); err != nil || n != 2 {
		t.Fatalf("first sweep after respondBy moved %d, %v; want 2", n, err)
	}
	if n, err := sweeper.DeemWithdrawn(ctx); err != nil || n != 0 {
		t.Errorf("second sweep moved %d, %v", n, err)
	}
	for _, f := range fs {
		got, err := h.Store.Get(ctx, defaultExpo, f.ID)
		if err != nil || got.State != filing.StateDeemedWithdrawn {
			t.Errorf("%s is %s, %v", f.ID, got.State, err)
		}
		evs, _ := h.Store.History(ctx, defaultExpo, f.ID)
		if last := evs[len(evs)-1]; last.Action != "deemed_withdrawn" || last.Actor != "system" {
			t.Errorf("history: %+v", last)
		}
	}
}

func testCorrection(t *testing.T, h Harness) {
	s := service(h, time.Minute)
	f := file(t, s, 1)[0]
	g, ok, err := s.Lease(ctx, examiner(1), "trademark", 5*time.Second)
	if err != nil || !ok {
		t.Fatalf("lease: %v %v", ok, err)
	}
	if _, err := s.Decide(ctx, examiner(1), f.ID, review.DecisionRequest{LeaseToken: g.LeaseToken,
		Outcome: "request_correction", Reasons: []filing.Reason{{Code: "class_term_unacceptable"}}}); err != nil {
		t.Fatal(err)
	}
	r := f.Request
	tm := *r.Trademark
	tm.Classes = []filing.NiceClass{{Class: 9, Terms: []string{"Batteries", "Battery chargers"}}}
	r.Trademark = &tm
	a, err := s.intake.Amend(ctx, kiosk, f.ID, "amend-1", &r)
	if err != nil || a.State != filing.StateQueued || a.FilingNumber != f.FilingNumber || a.FilingDate != f.FilingDate {
		t.Fatalf("amend: %+v %v", a.State, err)
	}
	if again, err := s.intake.Amend(ctx, kiosk, f.ID, "amend-1", &r); err != nil || again.Version != a.Version {
		t.Errorf("amendment retry: %v", err)
	}
	g2, ok, err := s.Lease(ctx, examiner(2), "trademark", 10*time.Second)
	if err != nil || !ok || g2.Filing.ID != f.ID || len(g2.Filing.Trademark.Classes[0].Terms) != 2 {
		t.Fatalf("amended filing not back in its queue: %v %v", ok, err)
	}
	if _, err := s.Decide(ctx, examiner(2), f.ID, review.DecisionRequest{LeaseToken: g2.LeaseToken, Outcome: "accept"}); err != nil {
		t.Fatal(err)
	}
	evs, err := s.intake.History(ctx, kiosk, f.ID)
	if err != nil {
		t.Fatal(err)
	}
	var steps []string
	for _, ev := range evs {
		steps = append(steps, ev.Action+"/"+ev.Actor)
	}
	want := "filed/kiosk-1 leased/examiner-1 decided:request_correction/examiner-1 amended/kiosk-1 leased/examiner-2 decided:accept/examiner-2"
	if got := fmt.Sprint(steps); got != "["+want+"]" {
		t.Errorf("history %s, want [%s]", got, want)
	}
}

// requestCorrection leases the next trademark filing as examiner 1 and asks for a correction.
func requestCorrection(t *testing.T, s *services, id string) {
	t.Helper()
	g, ok, err := s.Lease(ctx, examiner(1), "trademark", 10*time.Second)
	if err != nil || !ok || g.Filing.ID != id {
		t.Fatalf("lease %s: %v %v", id, ok, err)
	}
	if _, err := s.Decide(ctx, examiner(1), id, review.DecisionRequest{LeaseToken: g.LeaseToken,
		Outcome: "request_correction", Reasons: []filing.Reason{{Code: "class_term_unacceptable"}}}); err != nil {
		t.Fatal(err)
	}
}

// testWithdrawAfterCorrection: a filing amended once, sent back again and then withdrawn keeps
// the record of its amendment, so that a retry of that amendment still gets the filing back.
func testWithdrawAfterCorrection(t *testing.T, h Harness) {
	s := service(h, time.Minute)
	f := file(t, s, 1)[0]
	requestCorrection(t, s, f.ID)
	r := f.Request
	tm := *r.Trademark
	tm.Classes = []filing.NiceClass{{Class: 9, Terms: []string{"Batteries", "Battery chargers"}}}
	r.Trademark = &tm
	if _, err := s.intake.Amend(ctx, kiosk, f.ID, "amend-1", &r); err != nil {
		t.Fatal(err)
	}
	requestCorrection(t, s, f.ID)
	w, err := s.intake.Withdraw(ctx, kiosk, f.ID)
	if err != nil || w.State != filing.StateWithdrawn {
		t.Fatalf("withdraw: %v %v", w.State, err)
	}
	stored, err := h.Store.Get(ctx, defaultExpo, f.ID)
	if err != nil || stored.Amendment == nil || stored.Amendment.Key != "amend-1" {
		t.Fatalf("the stored amendment record is gone after a withdrawal: %+v %v", stored.Amendment, err)
	}
	again, err := s.intake.Amend(ctx, kiosk, f.ID, "amend-1", &r)
	if err != nil || again.ID != f.ID || again.State != filing.StateWithdrawn {
		t.Errorf("replay of the amendment after withdrawal: %v %v", again.State, err)
	}
}

// testLeaseTheft: a lease token presented by anyone but the examiner who leased it is lost, and
// nothing changes: not the filing, not its history.
func testLeaseTheft(t *testing.T, h Harness) {
	s := service(h, time.Minute)
	f := file(t, s, 1)[0]
	g, ok, err := s.Lease(ctx, examiner(1), "trademark", 10*time.Second)
	if err != nil || !ok || g.Filing.ID != f.ID {
		t.Fatalf("lease: %v %v", ok, err)
	}
	before, _ := h.Store.Get(ctx, defaultExpo, f.ID)
	evsBefore, _ := h.Store.History(ctx, defaultExpo, f.ID)
	thieves := []filing.Principal{examiner(2), {Subject: "supervisor-1", Role: filing.RoleSupervisor}}
	for _, thief := range thieves {
		attempts := map[string]error{}
		_, attempts["decide"] = s.Decide(ctx, thief, f.ID, review.DecisionRequest{LeaseToken: g.LeaseToken,
			Outcome: "reject", Reasons: []filing.Reason{{Code: "other"}}})
		_, attempts["extend"] = s.Extend(ctx, thief, f.ID, g.LeaseToken, 600)
		_, attempts["release"] = s.Release(ctx, thief, f.ID, g.LeaseToken)
		for step, err := range attempts {
			if filing.ErrorCode(err) != filing.CodeLeaseLost {
				t.Errorf("%s by %s with a stolen token: %v, want lease_lost", step, thief.Subject, err)
			}
		}
	}
	after, _ := h.Store.Get(ctx, defaultExpo, f.ID)
	evsAfter, _ := h.Store.History(ctx, defaultExpo, f.ID)
	if after.Version != before.Version || after.State != filing.StateInReview || after.Lease == nil ||
		after.Lease.Examiner != "examiner-1" || after.Lease.ExpiresAt != before.Lease.ExpiresAt || after.Decision != nil {
		t.Errorf("filing changed by a stolen token: %+v", after)
	}
	if len(evsAfter) != len(evsBefore) {
		t.Errorf("history changed by a stolen token: %d events, was %d", len(evsAfter), len(evsBefore))
	}
	// The holder still holds it.
	if d, err := s.Decide(ctx, examiner(1), f.ID, review.DecisionRequest{LeaseToken: g.LeaseToken, Outcome: "accept"}); err != nil ||
		d.Decision.Examiner != "examiner-1" {
		t.Errorf("the holder's decision: %v", err)
	}
}

// testLapsedLease: a leased filing whose queue message is lost (its queue replaced by an
// upgrade) goes back to its queue with a new message once its lease has been over for a lease
// length, and another examiner leases it; a live or recently ended lease is left alone.
func testLapsedLease(t *testing.T, h Harness) {
	c := &filing.ManualClock{}
	c.Set("2026-06-23T02:00:00Z")
	s := service(h, time.Minute)
	s.setClock(c)
	sweeper := &sweep.Service{Store: h.Store, Expo: s.Expo, Clock: c}
	f := file(t, s, 1)[0]
	g, ok, err := s.Lease(ctx, examiner(1), "trademark", 5*time.Second)
	if err != nil || !ok || g.Filing.ID != f.ID {
		t.Fatalf("lease: %v %v", ok, err)
	}
	stored, _ := h.Store.Get(ctx, defaultExpo, f.ID)
	if err := h.Queue.Ack(ctx, filing.ExpoQueue(defaultExpo, "trademark"), stored.Lease.Receipt); err != nil {
		t.Fatal(err) // the message is gone: as if its queue had been replaced
	}
	// The lease ends a minute after it began (the suite's lease); the sweep waits a lease
	// length of the expo's configuration (review.leaseMinutes) after that.
	grace := time.Duration(s.Expo.Review.LeaseMinutes) * time.Minute
	start, end := time.Date(2026, 6, 23, 2, 0, 0, 0, time.UTC), time.Date(2026, 6, 23, 2, 1, 0, 0, time.UTC)
	for _, at := range []time.Time{start, end.Add(5 * time.Minute), end.Add(grace - time.Second)} {
		c.Set(at.Format(time.RFC3339))
		if n, err := sweeper.ReturnLapsedLeases(ctx); err != nil || n != 0 {
			t.Fatalf("at %s the sweep returned %d, %v; want 0", at, n, err)
		}
	}
	c.Set(end.Add(grace + time.Second).Format(time.RFC3339))
	if n, err := sweeper.ReturnLapsedLeases(ctx); err != nil || n != 1 {
		t.Fatalf("the sweep returned %d, %v; want 1", n, err)
	}
	if n, _ := sweeper.ReturnLapsedLeases(ctx); n != 0 {
		t.Errorf("a second sweep returned %d", n)
	}
	g2, ok, err := s.Lease(ctx, examiner(2), "trademark", 5*time.Second)
	if err != nil || !ok || g2.Filing.ID != f.ID {
		t.Fatalf("lease after the return: %v %v", ok, err)
	}
	evs, _ := h.Store.History(ctx, defaultExpo, f.ID)
	var steps []string
	for _, ev := range evs {
		steps = append(steps, ev.Action+"/"+ev.Actor)
	}
	if got := strings.Join(steps, " "); got != "filed/kiosk-1 leased/examiner-1 lease_expired/system leased/examiner-2" {
		t.Errorf("history: %s", got)
	}
}
