package reviewtest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/ipfast/ipfast/shared/filing"
	"github.com/ipfast/ipfast/shared/review"
)

// testTenancy: kiosks of two expos, with the same exhibitor id and the same Idempotency-Keys,
// file at once while each expo's examiners lease from their queues. Each examiner leases only
// their expo's filings, each once; the queues, statistics and every read are per expo; another
// expo's filing is NotFound to read, lease-extend, decide or download.
func testTenancy(t *testing.T, h Harness) {
	s := service(h, time.Minute)
	const n = 6
	kioskOf := map[string]filing.Principal{
		defaultExpo: kiosk, // no expo claim: the default expo
		secondExpo:  {Subject: "kiosk-autumn", Role: filing.RoleKiosk, Exhibitor: kiosk.Exhibitor, Booth: "2B-202", Expo: secondExpo},
	}
	examinerOf := map[string]filing.Principal{
		defaultExpo: {Subject: "examiner-cisce", Role: filing.RoleExaminer, Expo: defaultExpo},
		secondExpo:  {Subject: "examiner-autumn", Role: filing.RoleExaminer, Expo: secondExpo},
	}
	filed := map[string][]filing.Filing{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for expo, p := range kioskOf {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fs := fileAs(t, s, p, n)
			mu.Lock()
			filed[expo] = fs
			mu.Unlock()
		}()
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	for expo, fs := range filed {
		for i, f := range fs {
			if f.Expo != expo || f.FilingNumber != fmt.Sprintf("%s-TM-%06d", expo, i+1) {
				t.Errorf("%s filing %d: expo %s number %s", expo, i, f.Expo, f.FilingNumber)
			}
		}
	}
	// Each expo's examiner sees its own queue depth and leases exactly its own filings.
	for expo, p := range examinerOf {
		mine := map[string]bool{}
		for _, f := range filed[expo] {
			mine[f.ID] = true
		}
		deadline := time.Now().Add(10 * time.Second)
		for {
			qs, err := s.Queues(ctx, p)
			if err != nil {
				t.Fatal(err)
			}
			if depth(qs, "trademark") == n {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s trademark queue: %+v, want depth %d", expo, qs, n)
			}
			time.Sleep(100 * time.Millisecond)
		}
		seen := map[string]int{}
		for {
			g, ok, err := s.Lease(ctx, p, "trademark", time.Second)
			if err != nil {
				t.Fatal(err)
			}
			if !ok {
				break
			}
			if !mine[g.Filing.ID] || g.Filing.Expo != expo {
				t.Errorf("%s's examiner leased %s of %s", expo, g.Filing.ID, g.Filing.Expo)
			}
			seen[g.Filing.ID]++
		}
		EachLeasedOnce(t, seen, n)
		sup := filing.Principal{Subject: "supervisor", Role: filing.RoleSupervisor, Expo: expo}
		st, err := s.Stats(ctx, sup)
		total := 0
		for _, c := range st.States {
			total += c
		}
		if err != nil || st.States[filing.StateInReview] != n || total != n {
			t.Errorf("%s stats: %+v, %v; want %d in review and nothing else", expo, st.States, err, n)
		}
	}
	// Cross-expo reads and writes are NotFound, to examiners and kiosks alike.
	theirs := filed[secondExpo][0]
	cisce := examinerOf[defaultExpo]
	if _, err := s.Get(ctx, cisce, theirs.ID); filing.ErrorKind(err) != filing.NotFound {
		t.Errorf("examiner Get across expos = %v, want NotFound", err)
	}
	if _, err := s.History(ctx, cisce, theirs.ID); filing.ErrorKind(err) != filing.NotFound {
		t.Errorf("examiner History across expos = %v, want NotFound", err)
	}
	if _, err := s.Decide(ctx, cisce, theirs.ID, review.DecisionRequest{LeaseToken: "any", Outcome: "accept"}); filing.ErrorKind(err) != filing.NotFound {
		t.Errorf("Decide across expos = %v, want NotFound", err)
	}
	if _, err := s.Extend(ctx, cisce, theirs.ID, "any", 60); filing.ErrorKind(err) != filing.NotFound {
		t.Errorf("Extend across expos = %v, want NotFound", err)
	}
	if _, err := s.Download(ctx, cisce, theirs.ID, "att_x"); filing.ErrorKind(err) != filing.NotFound {
		t.Errorf("Download across expos = %v, want NotFound", err)
	}
	if _, err := s.intake.Get(ctx, kiosk, theirs.ID); filing.ErrorKind(err) != filing.NotFound {
		t.Errorf("kiosk Get across expos (same exhibitor id) = %v, want NotFound", err)
	}
	if _, err := s.intake.Withdraw(ctx, kiosk, theirs.ID); filing.ErrorKind(err) != filing.NotFound {
		t.Errorf("kiosk Withdraw across expos = %v, want NotFound", err)
	}
	page, err := s.intake.List(ctx, kiosk, filing.ListQuery{Limit: 100})
	if err != nil || len(page.Items) != n {
		t.Errorf("kiosk List = %d items, %v; want its expo's %d", len(page.Items), err, n)
	}
	for _, f := range page.Items {
		if f.Expo != defaultExpo {
			t.Errorf("kiosk List shows %s of %s", f.ID, f.Expo)
		}
	}
	// A token for an expo the deployment does not serve reaches nothing.
	stranger := filing.Principal{Subject: "x", Role: filing.RoleExaminer, Expo: "NOWHERE"}
	if _, err := s.Queues(ctx, stranger); filing.ErrorKind(err) != filing.Unauthorized {
		t.Errorf("unknown expo = %v, want Unauthorized", err)
	}
}

func depth(qs []filing.QueueStats, name string) int {
	for _, q := range qs {
		if q.Name == name {
			return q.Depth
		}
	}
	return -1
}
