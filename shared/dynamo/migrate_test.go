package dynamo_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/ipfast/ipfast/shared/filing"
	"github.com/ipfast/ipfast/shared/intake"
	"github.com/ipfast/ipfast/shared/review"
	"github.com/ipfast/ipfast/shared/sweep"
)

// The fixture testdata/layout1-table.json is every row of a table written by the revision-1
// code (commit 8f062ae, before expos were tenants), as DynamoDB JSON: three trademarks of
// EX-0001 under the keys k1, k2, k3 (LUMEN, HALO, NOVA), the first with a correction
// requested, the second leased by examiner-a until 10:15 Beijing time, the third queued; and
// a pending upload of EX-0001.
type tableFixture struct {
	Fixture struct {
		Filings []string `json:"filings"`
		Upload  string   `json:"upload"`
	} `json:"fixture"`
	Rows []map[string]map[string]string `json:"rows"`
}

func request(mark string) *filing.Request {
	var r filing.Request
	b := `{"kind":"trademark","trademark":{"markType":"word","markText":"` + mark + `","classes":[{"class":9,"terms":["Batteries"]}]},
	"applicants":[{"name":"Ningbo Lights Co., Ltd.","kind":"organization","nationality":"CN","domicile":"CN","address":"Ningbo, Zhejiang"}],
	"contact":{"name":"Li Wei","email":"li@example.com"},"language":"en"}`
	if err := json.Unmarshal([]byte(b), &r); err != nil {
		panic(err)
	}
	return &r
}

// TestRevision1TableIsServed loads the revision-1 rows into a table, with the revision-1
// queue for the router to deliver their inserts to as it did then, migrates, and serves it:
// every filing and its history in its expo (404 in another), the kiosk's list and the state
// listings, idempotent replay of a request sent before the upgrade, the next number, the
// pending upload; the queued filing reaches the expo's new queue through the stream, and the
// leased one, whose message stayed in the old queue, is returned to the new queue by the sweep
// once its lease has lapsed.
func TestRevision1TableIsServed(t *testing.T) {
	var fx tableFixture
	b, err := os.ReadFile(filepath.Join("testdata", "layout1-table.json"))
	if err != nil || json.Unmarshal(b, &fx) != nil || len(fx.Fixture.Filings) != 3 {
		t.Fatalf("fixture: %v", err)
	}
	deployment, err := filing.ParseExpo([]byte(`{"expos":[{},{"id":"AUTUMN2026","filingNumberPrefix":"AUTUMN2026"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	b2 := newBackend(t, append([]string{"trademark"}, deployment.AllQueues()...), true)
	ctx := context.Background()
	for _, row := range fx.Rows {
		item := map[string]types.AttributeValue{}
		for k, v := range row {
			if s, ok := v["S"]; ok {
				item[k] = &types.AttributeValueMemberS{Value: s}
			} else {
				item[k] = &types.AttributeValueMemberN{Value: v["N"]}
			}
		}
		if _, err := b2.store.Client.PutItem(ctx, &dynamodb.PutItemInput{TableName: &b2.store.Table, Item: item}); err != nil {
			t.Fatal(err)
		}
	}
	if v, err := b2.store.Layout(ctx); err != nil || v != 1 {
		t.Fatalf("layout before: %d %v", v, err)
	}
	n, err := b2.store.Migrate(ctx, "CISCE2026")
	if err != nil || n == 0 {
		t.Fatalf("Migrate rewrote %d rows, %v", n, err)
	}
	if v, err := b2.store.Layout(ctx); err != nil || v != 3 {
		t.Fatalf("layout after: %d %v", v, err)
	}
	if n, err := b2.store.Migrate(ctx, "CISCE2026"); err != nil || n != 0 {
		t.Errorf("a second Migrate rewrote %d rows, %v", n, err)
	}

	ids := fx.Fixture.Filings
	c := &filing.ManualClock{}
	c.Set("2026-06-23T02:05:00Z")
	in := intake.New(deployment, b2.store, c)
	rv := review.New(deployment, b2.store, b2.queue, c)
	kiosk := filing.Principal{Subject: "kiosk-EX-0001", Role: filing.RoleKiosk, Exhibitor: "EX-0001", Booth: "3C-210"}
	autumn := filing.Principal{Subject: "kiosk-autumn", Role: filing.RoleKiosk, Exhibitor: "EX-0001", Booth: "1A-1", Expo: "AUTUMN2026"}
	for i, id := range ids {
		if f, err := in.Get(ctx, kiosk, id); err != nil || f.Expo != "CISCE2026" {
			t.Errorf("filing %d: %+v %v", i+1, f.ID, err)
		}
		if evs, err := in.History(ctx, kiosk, id); err != nil || len(evs) == 0 {
			t.Errorf("history %d: %d events, %v", i+1, len(evs), err)
		}
		if _, err := in.Get(ctx, autumn, id); filing.ErrorKind(err) != filing.NotFound {
			t.Errorf("filing %d in the other expo: %v", i+1, err)
		}
	}
	if page, err := in.List(ctx, kiosk, filing.ListQuery{}); err != nil || len(page.Items) != 3 {
		t.Errorf("list: %d %v", len(page.Items), err)
	}
	for st, want := range map[filing.State]string{filing.StateCorrectionRequested: ids[0], filing.StateInReview: ids[1], filing.StateQueued: ids[2]} {
		page, err := b2.store.ListByState(ctx, filing.ListQuery{Expo: "CISCE2026", State: st, Limit: 10})
		if err != nil || len(page.Items) != 1 || page.Items[0].ID != want {
			t.Errorf("ListByState(%s) = %d items, %v", st, len(page.Items), err)
		}
	}
	// The filings are in the counts (layout 3) and, once the router has read the migration's
	// changes from the stream, in the search index.
	if _, err := b2.router.PollOnce(ctx); err != nil {
		t.Fatal(err)
	}
	sup := filing.Principal{Subject: "sup", Role: filing.RoleSupervisor}
	if page, err := rv.Search(ctx, sup, filing.SearchQuery{Q: "CISCE2026-TM-000003"}); err != nil || len(page.Items) != 1 || page.Items[0].ID != ids[2] {
		t.Errorf("search by number after the upgrade: %+v %v", page.Items, err)
	}
	if page, err := rv.Search(ctx, sup, filing.SearchQuery{}); err != nil || len(page.Items) != 3 {
		t.Errorf("search all after the upgrade: %d %v", len(page.Items), err)
	}
	if st, err := rv.Stats(ctx, sup); err != nil || st.States[filing.StateQueued] != 1 || st.States[filing.StateInReview] != 1 ||
		st.States[filing.StateCorrectionRequested] != 1 || st.Kinds["trademark"] != 3 {
		t.Errorf("stats after the upgrade: %+v %v", st, err)
	}
	f, replayed, err := in.Submit(ctx, kiosk, "k3", request("NOVA"))
	if err != nil || !replayed || f.ID != ids[2] {
		t.Errorf("replay of k3: %s replayed %v, %v", f.ID, replayed, err)
	}
	if f, _, err := in.Submit(ctx, kiosk, "k4", request("ORBIT")); err != nil || f.FilingNumber != "CISCE2026-TM-000004" {
		t.Errorf("next filing: %s %v", f.FilingNumber, err)
	}
	if u, err := b2.store.GetUpload(ctx, "CISCE2026", fx.Fixture.Upload); err != nil || u.Expo != "CISCE2026" {
		t.Errorf("upload: %+v %v", u, err)
	}
	if n, _, err := b2.store.PendingUploads(ctx, "CISCE2026", "EX-0001", c.Now()); err != nil || n != 1 {
		t.Errorf("pending uploads: %d %v", n, err)
	}

	// The queued filing (and the one just filed) reach the expo's queue.
	examiner := filing.Principal{Subject: "examiner-b", Role: filing.RoleExaminer}
	got := map[string]bool{}
	for len(got) < 2 {
		g, ok, err := rv.Lease(ctx, examiner, "trademark", 5*time.Second)
		if err != nil || !ok {
			t.Fatalf("lease after the upgrade: %v %v (leased %v)", ok, err, got)
		}
		got[g.Filing.ID] = true
	}
	if !got[ids[2]] {
		t.Errorf("the queued filing %s was not leased from the new queue: %v", ids[2], got)
	}
	// examiner-a's lease ran until 10:15 Beijing; a lease length later the sweep returns it.
	c.Set("2026-06-23T02:31:00Z")
	sw := &sweep.Service{Store: b2.store, Expo: deployment, Clock: c}
	if n, err := sw.ReturnLapsedLeases(ctx); err != nil || n != 1 {
		t.Fatalf("lapsed leases returned: %d %v", n, err)
	}
	g, ok, err := rv.Lease(ctx, examiner, "trademark", 5*time.Second)
	if err != nil || !ok || g.Filing.ID != ids[1] {
		t.Errorf("the lapsed filing from the new queue: %v %v %s", ok, err, g.Filing.ID)
	}
}
