package storetest

import (
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/ipfast/ipfast/shared/filing"
)

// inExpo is NewFiling for another expo: its own counter, the same exhibitor and key.
func inExpo(h Harness, expo, exhibitor, key, hash string) filing.NewFiling {
	n := NewFiling(h, exhibitor, key, hash)
	n.Filing.Expo = expo
	n.Counter = expo + "-TM"
	return n
}

// testTenancy: two expos of one backend file at once, with the same exhibitor id and the same
// Idempotency-Keys. Neither sees the other's filings, idempotency records, numbers, listings,
// uploads or queue messages; every cross-expo read is NotFound, and a write that names the
// other expo changes nothing.
func testTenancy(t *testing.T, h Harness) {
	const per = 8
	made := map[string][]filing.Filing{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, expo := range Expos {
		for i := 0; i < per; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				n := inExpo(h, expo, "EX-1", fmt.Sprint("key-", i), "hash")
				f, replayed, err := h.handle(i).Create(ctx, n)
				if err != nil || replayed {
					t.Errorf("%s: Create %s = replayed %v, %v (the other expo's record must not replay)", expo, n.Key, replayed, err)
					return
				}
				mu.Lock()
				made[expo] = append(made[expo], f)
				mu.Unlock()
			}()
		}
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	for _, expo := range Expos {
		var nums []string
		for _, f := range made[expo] {
			nums = append(nums, f.FilingNumber)
		}
		sort.Strings(nums)
		for i, n := range nums {
			if want := fmt.Sprintf("%s-TM-%06d", expo, i+1); n != want {
				t.Errorf("%s numbers %v: want %s-TM-000001…%06d without gaps", expo, nums, expo, per)
				break
			}
		}
	}
	mine, theirs := made[Expo][0], made[Other][0]

	// Reads across expos are NotFound; reads in the right expo work.
	if _, err := h.Store.Get(ctx, Other, mine.ID); filing.ErrorKind(err) != filing.NotFound {
		t.Errorf("Get of %s's filing in %s = %v, want NotFound", Expo, Other, err)
	}
	if _, err := h.Store.History(ctx, Other, mine.ID); filing.ErrorKind(err) != filing.NotFound {
		t.Errorf("History of %s's filing in %s = %v, want NotFound", Expo, Other, err)
	}
	if got, err := h.Store.Get(ctx, Other, theirs.ID); err != nil || got.Expo != Other {
		t.Errorf("Get in its own expo = %+v, %v", got.ID, err)
	}
	// The same exhibitor and key in each expo are two records.
	for _, expo := range Expos {
		got, err := h.Store.Lookup(ctx, expo, "EX-1", "key-0", "hash", time.Now())
		if err != nil || got.Expo != expo {
			t.Errorf("Lookup(%s, key-0) = %s of %s, %v", expo, got.ID, got.Expo, err)
		}
	}
	if _, err := h.Store.Lookup(ctx, "NOWHERE", "EX-1", "key-0", "hash", time.Now()); filing.ErrorKind(err) != filing.NotFound {
		t.Errorf("Lookup in an expo with no records = %v, want NotFound", err)
	}
	// Listings hold only their expo's filings.
	for _, expo := range Expos {
		page, err := h.Store.List(ctx, filing.ListQuery{Expo: expo, Exhibitor: "EX-1", Limit: 100})
		if err != nil || len(page.Items) != per {
			t.Errorf("List(%s, EX-1) = %d items, %v; want %d", expo, len(page.Items), err, per)
		}
		byState, err := h.Store.ListByState(ctx, filing.ListQuery{Expo: expo, State: filing.StateQueued, Limit: 100})
		if err != nil || len(byState.Items) != per {
			t.Errorf("ListByState(%s, queued) = %d items, %v; want %d", expo, len(byState.Items), err, per)
		}
		for _, f := range append(page.Items, byState.Items...) {
			if f.Expo != expo {
				t.Errorf("List in %s shows %s of %s", expo, f.ID, f.Expo)
			}
		}
	}
	// An update that names the other expo is NotFound and changes nothing.
	moved := mine
	moved.Expo, moved.Version = Other, mine.Version+1
	ev := filing.Event{At: time.Now().Format(time.RFC3339), Actor: "x", Role: "examiner", Action: "withdrawn"}
	if err := h.Store.Update(ctx, moved, ev, false); filing.ErrorKind(err) != filing.NotFound {
		t.Errorf("Update of %s's filing as %s's = %v, want NotFound", Expo, Other, err)
	}
	if got, _ := h.Store.Get(ctx, Expo, mine.ID); got.Version != mine.Version || got.Expo != Expo {
		t.Errorf("after a cross-expo update: version %d expo %s", got.Version, got.Expo)
	}
	// Uploads: another expo's is unknown, uncounted and cannot be claimed.
	u := NewUpload("EX-1", "evidence")
	if err := h.Store.CreateUpload(ctx, u); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Store.GetUpload(ctx, Other, u.ID); filing.ErrorKind(err) != filing.NotFound {
		t.Errorf("GetUpload across expos = %v, want NotFound", err)
	}
	if n, _, err := h.Store.PendingUploads(ctx, Other, "EX-1", time.Now()); err != nil || n != 0 {
		t.Errorf("PendingUploads(%s) counts %s's upload: %d, %v", Other, Expo, n, err)
	}
	claim := inExpo(h, Other, "EX-1", "claims-other", "hash")
	claim.Filing.Request.Attachments = []string{u.ID}
	claim.Filing.Documents = []filing.Document{filing.DocumentOf(u)}
	if _, _, err := h.Store.Create(ctx, claim); filing.ErrorCode(err) != filing.CodeAttachmentUnknown {
		t.Errorf("a filing of %s claiming %s's upload = %v, want attachment_unknown", Other, Expo, err)
	}
	// Queue messages: each expo's queue carries that expo's filings only, each once.
	if h.Queue == nil {
		return
	}
	for _, expo := range Expos {
		want := map[string]bool{}
		for _, f := range made[expo] {
			want[f.ID] = true
		}
		q := filing.ExpoQueue(expo, h.Queues[0])
		for len(want) > 0 {
			d, ok, err := h.Queue.Receive(ctx, q, time.Minute, 5*time.Second)
			if err != nil || !ok {
				t.Errorf("%s: %d filings never reached %s (%v)", expo, len(want), q, err)
				break
			}
			if !want[d.FilingID] {
				t.Errorf("%s received %s, which is not one of its filings (or came twice)", q, d.FilingID)
			}
			delete(want, d.FilingID)
			if err := h.Queue.Ack(ctx, q, d.Receipt); err != nil {
				t.Error(err)
			}
		}
		if d, ok, _ := h.Queue.Receive(ctx, q, time.Minute, time.Second); ok {
			t.Errorf("%s holds a message for %s besides its own filings", q, d.FilingID)
		}
	}
}
