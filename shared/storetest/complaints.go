package storetest

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/ipfast/ipfast/shared/filing"
)

// ComplaintHarness is a fresh, empty backend's complaint store; Others are more handles on it,
// as other processes would hold.
type ComplaintHarness struct {
	Store  filing.ComplaintStore
	Others []filing.ComplaintStore
	// Filings is the same backend's filing store: the uploads complaints claim, and filings
	// that race them for one.
	Filings filing.Store
}

func (h ComplaintHarness) handle(i int) filing.ComplaintStore {
	all := append([]filing.ComplaintStore{h.Store}, h.Others...)
	return all[i%len(all)]
}

// RunComplaints runs the complaint sections of the suite (SPEC §11).
func RunComplaints(t *testing.T, newHarness func(t *testing.T) ComplaintHarness) {
	t.Run("ComplaintNumbersAndReplay", func(t *testing.T) { testComplaintNumbers(t, newHarness(t)) })
	t.Run("ConcurrentDuplicateComplaints", func(t *testing.T) { testConcurrentComplaints(t, newHarness(t)) })
	t.Run("ComplaintUpdatesAndHistory", func(t *testing.T) { testComplaintUpdates(t, newHarness(t)) })
	t.Run("ComplaintLists", func(t *testing.T) { testComplaintLists(t, newHarness(t)) })
	t.Run("ComplaintsClaimUploads", func(t *testing.T) { testComplaintClaims(t, newHarness(t)) })
}

// testComplaintClaims: a complaint claims the uploads it names (attachments and exhibit
// photos) as a filing does; an upload another complaint or a filing uses, another exhibitor's
// or a missing one is refused with nothing written (no number used); a replay still replays.
func testComplaintClaims(t *testing.T, h ComplaintHarness) {
	up := func(exhibitor, role string) filing.Upload {
		t.Helper()
		u := NewUpload(exhibitor, role)
		if err := h.Filings.CreateUpload(ctx, u); err != nil {
			t.Fatal(err)
		}
		return u
	}
	cert, photo, spare := up("EX-1", filing.RoleRightCertificate), up("EX-1", filing.RoleExhibitPhoto), up("EX-1", filing.RoleEvidence)
	theirs := up("EX-2", filing.RoleEvidence)
	n := NewComplaint("EX-1", "3C-210", "c1", "h")
	n.Complaint.Attachments = []string{cert.ID}
	n.Complaint.Exhibits[0].Photos = []string{photo.ID}
	c := mustComplain(t, h.Store, n)
	for _, u := range []filing.Upload{cert, photo} {
		if got, err := h.Filings.GetUpload(ctx, Expo, u.ID); err != nil || got.FilingID != c.ID {
			t.Errorf("upload %s claimed by %q (%v), want %s", u.Role, got.FilingID, err, c.ID)
		}
	}
	for what, ids := range map[string][]string{"another complaint's": {spare.ID, cert.ID}, "another exhibitor's": {theirs.ID},
		"a missing one": {"att_nope"}} {
		m := NewComplaint("EX-1", "3C-210", "c2", "h2")
		m.Complaint.Attachments = ids
		_, _, err := h.Store.CreateComplaint(ctx, m)
		wantTaken(t, what, err)
	}
	if got, _ := h.Filings.GetUpload(ctx, Expo, spare.ID); got.FilingID != "" {
		t.Errorf("a refused complaint claimed %s", spare.ID)
	}
	// A filing cannot take a complaint's upload.
	f := NewFiling(Harness{Queues: []string{"review-a"}}, "EX-1", "f1", "h")
	f.Filing.Documents = []filing.Document{filing.DocumentOf(photo)}
	f.Filing.Attachments = []string{photo.ID}
	if _, _, err := h.Filings.Create(ctx, f); filing.ErrorCode(err) != filing.CodeAttachmentUnknown {
		t.Errorf("a filing naming a complaint's upload: %v", err)
	}
	m := NewComplaint("EX-1", "3C-210", "c2", "h2")
	m.Complaint.Attachments = []string{spare.ID}
	if got := mustComplain(t, h.Store, m); got.ComplaintNumber != "TEST-CP-000002" {
		t.Errorf("refused complaints used numbers: %s", got.ComplaintNumber)
	}
	if again, replayed, err := h.Store.CreateComplaint(ctx, n); err != nil || !replayed || again.ID != c.ID {
		t.Errorf("replay with claimed uploads: %s %v %v", again.ID, replayed, err)
	}
}

// NewComplaint builds a valid NewComplaint for tests: filer, booth, idempotency key, body hash.
func NewComplaint(filer, booth, key, hash string) filing.NewComplaint {
	now := nextInstant()
	at := now.Format(time.RFC3339Nano)
	c := filing.Complaint{ID: filing.NewID("cpl_", now), State: filing.ComplaintSubmitted, ReceivedAt: at, Expo: Expo, Filer: filer,
		ComplaintRequest: filing.ComplaintRequest{
			Complainant: filing.Complainant{Name: "Voltara GmbH", Kind: "organization", Nationality: "DE", Address: "Berlin"},
			Right:       filing.Right{Kind: "invention", Number: "ZL202310123456.7", Owner: "Voltara GmbH", ValidUntil: "2043-05-01"},
			Respondent:  filing.Respondent{Booth: booth},
			Exhibits:    []filing.Exhibit{{Description: "battery pack"}},
			Language:    "en"},
		Version: 1}
	return filing.NewComplaint{Complaint: c, Counter: "TEST-CP", Filer: filer, Key: key, Hash: hash,
		Expires: time.Now().Add(24 * time.Hour), Now: time.Now(),
		Event: filing.Event{At: at, Actor: "kiosk-" + filer, Role: "kiosk", Action: string(filing.CActSubmit), ToState: filing.State(filing.ComplaintSubmitted)}}
}

func mustComplain(t *testing.T, s filing.ComplaintStore, n filing.NewComplaint) filing.Complaint {
	t.Helper()
	c, replayed, err := s.CreateComplaint(ctx, n)
	if err != nil || replayed {
		t.Fatalf("CreateComplaint(%s) = replayed %v, %v", n.Key, replayed, err)
	}
	return c
}

// testComplaintNumbers: numbers per expo without gaps; a replay returns the first complaint; a
// different body under the key is idempotency_key_reused; keys are per filer; another expo's
// complaint is NotFound.
func testComplaintNumbers(t *testing.T, h ComplaintHarness) {
	for i := 1; i <= 3; i++ {
		c := mustComplain(t, h.Store, NewComplaint("EX-1", "3C-210", fmt.Sprint("k", i), "h"))
		if want := fmt.Sprintf("TEST-CP-%06d", i); c.ComplaintNumber != want {
			t.Errorf("complaint %d: %s, want %s", i, c.ComplaintNumber, want)
		}
	}
	first := NewComplaint("EX-1", "3C-210", "k1", "h")
	got, replayed, err := h.Store.CreateComplaint(ctx, first)
	if err != nil || !replayed || got.ComplaintNumber != "TEST-CP-000001" {
		t.Errorf("replay: %s replayed %v, %v", got.ComplaintNumber, replayed, err)
	}
	if _, _, err := h.Store.CreateComplaint(ctx, NewComplaint("EX-1", "3C-210", "k1", "other")); filing.ErrorCode(err) != filing.CodeIdempotencyReused {
		t.Errorf("key reused with another body: %v", err)
	}
	// LookupComplaint: the same record, read without writing.
	if c, err := h.handle(1).LookupComplaint(ctx, Expo, "EX-1", "k1", "h", time.Now()); err != nil || c.ID != got.ID {
		t.Errorf("LookupComplaint: %s, %v", c.ID, err)
	}
	if _, err := h.Store.LookupComplaint(ctx, Expo, "EX-1", "k1", "other", time.Now()); filing.ErrorCode(err) != filing.CodeIdempotencyReused {
		t.Errorf("LookupComplaint with another hash: %v", err)
	}
	for _, miss := range [][3]string{{Expo, "EX-1", "k9"}, {Expo, "EX-2", "k1"}, {Other, "EX-1", "k1"}} {
		if _, err := h.Store.LookupComplaint(ctx, miss[0], miss[1], miss[2], "h", time.Now()); filing.ErrorKind(err) != filing.NotFound {
			t.Errorf("LookupComplaint%v: %v", miss, err)
		}
	}
	if _, err := h.Store.LookupComplaint(ctx, Expo, "EX-1", "k1", "h", time.Now().Add(48*time.Hour)); filing.ErrorKind(err) != filing.NotFound {
		t.Errorf("LookupComplaint after the record expired: %v", err)
	}
	other := mustComplain(t, h.Store, NewComplaint("EX-2", "3C-210", "k1", "h"))
	if other.ComplaintNumber != "TEST-CP-000004" {
		t.Errorf("the same key of another filer: %s", other.ComplaintNumber)
	}
	n := NewComplaint("EX-1", "3C-210", "k-other-expo", "h")
	n.Complaint.Expo, n.Counter = Other, Other+"-CP"
	theirs := mustComplain(t, h.Store, n)
	if theirs.ComplaintNumber != "OTHER-CP-000001" {
		t.Errorf("another expo's first: %s", theirs.ComplaintNumber)
	}
	if _, err := h.Store.GetComplaint(ctx, Expo, theirs.ID); filing.ErrorKind(err) != filing.NotFound {
		t.Errorf("another expo's complaint: %v", err)
	}
	if c, err := h.Store.GetComplaint(ctx, Other, theirs.ID); err != nil || c.Complainant.Name != "Voltara GmbH" {
		t.Errorf("GetComplaint: %+v %v", c, err)
	}
}

// testConcurrentComplaints: 32 concurrent submissions under one key make one complaint and use
// one number; 32 distinct ones take 32 numbers without gaps.
func testConcurrentComplaints(t *testing.T, h ComplaintHarness) {
	var wg sync.WaitGroup
	ids := make([]string, 32)
	for i := range 32 {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			c, _, err := h.handle(i).CreateComplaint(ctx, NewComplaint("EX-1", "3C-210", "same", "h"))
			if err != nil {
				t.Errorf("concurrent duplicate %d: %v", i, err)
				return
			}
			ids[i] = c.ID + " " + c.ComplaintNumber
		}(i)
	}
	wg.Wait()
	for _, id := range ids {
		if id != ids[0] {
			t.Fatalf("duplicates made more than one complaint: %v", ids)
		}
	}
	numbers := make([]string, 32)
	for i := range 32 {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			c, _, err := h.handle(i).CreateComplaint(ctx, NewComplaint("EX-1", "3C-210", fmt.Sprint("d", i), "h"))
			if err != nil {
				t.Errorf("concurrent distinct %d: %v", i, err)
			}
			numbers[i] = c.ComplaintNumber
		}(i)
	}
	wg.Wait()
	slices.Sort(numbers)
	for i, n := range numbers {
		if want := fmt.Sprintf("TEST-CP-%06d", i+2); n != want {
			t.Fatalf("numbers are not 2..33 without gaps: %v", numbers)
		}
	}
}

// testComplaintUpdates: an update is conditional on the version and appends its event; the
// history comes oldest first.
func testComplaintUpdates(t *testing.T, h ComplaintHarness) {
	c := mustComplain(t, h.Store, NewComplaint("EX-1", "3C-210", "k", "h"))
	at := time.Date(2026, 6, 23, 2, 0, 0, 0, time.UTC)
	w := filing.ComplaintWindows{ResponseWindow: filing.Duration(24 * time.Hour), SupplementWindow: filing.Duration(time.Hour)}
	stale := c
	ev, err := filing.ApplyComplaint(&c, filing.CActAccept, w, filing.Actor{Subject: "officer-1", Role: filing.RoleOfficer}, at, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := h.Store.UpdateComplaint(ctx, c, ev, filing.UploadClaim{}); err != nil {
		t.Fatalf("UpdateComplaint: %v", err)
	}
	stale.Version++ // built from the old version: the stored one has moved on
	if err := h.Store.UpdateComplaint(ctx, stale, ev, filing.UploadClaim{}); filing.ErrorCode(err) != filing.CodeVersionConflict {
		t.Errorf("a stale update: %v", err)
	}
	ghost := c
	ghost.ID, ghost.Version = "cpl_nope", 2
	if err := h.Store.UpdateComplaint(ctx, ghost, ev, filing.UploadClaim{}); filing.ErrorKind(err) != filing.NotFound {
		t.Errorf("updating no complaint: %v", err)
	}
	// The answer claims the respondent's evidence: not another exhibitor's, not a missing one
	// (nothing written), then its own.
	evidence, theirs := NewUpload("EX-9", filing.RoleEvidence), NewUpload("EX-8", filing.RoleEvidence)
	for _, u := range []filing.Upload{evidence, theirs} {
		if err := h.Filings.CreateUpload(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	c.Answer = &filing.ComplaintAnswer{Statement: "We hold our own patent.", At: at.Add(time.Hour).Format(time.RFC3339)}
	ev2, err := filing.ApplyComplaint(&c, filing.CActAnswer, w, filing.Actor{Subject: "kiosk-EX-9", Role: "kiosk"}, at.Add(time.Hour), "")
	if err != nil {
		t.Fatal(err)
	}
	for what, ids := range map[string][]string{"another exhibitor's": {evidence.ID, theirs.ID}, "a missing one": {"att_nope"}} {
		err := h.Store.UpdateComplaint(ctx, c, ev2, filing.UploadClaim{Owner: "EX-9", IDs: ids})
		wantTaken(t, "an answer naming "+what, err)
	}
	if got, _ := h.Filings.GetUpload(ctx, Expo, evidence.ID); got.FilingID != "" {
		t.Errorf("a refused answer claimed %s", evidence.ID)
	}
	if err := h.Store.UpdateComplaint(ctx, c, ev2, filing.UploadClaim{Owner: "EX-9", IDs: []string{evidence.ID}}); err != nil {
		t.Fatal(err)
	}
	if got, err := h.Filings.GetUpload(ctx, Expo, evidence.ID); err != nil || got.FilingID != c.ID {
		t.Errorf("the answer's evidence is claimed by %q (%v), want %s", got.FilingID, err, c.ID)
	}
	got, err := h.Store.GetComplaint(ctx, Expo, c.ID)
	if err != nil || got.State != filing.ComplaintAnswered || got.Version != 3 || got.Answer == nil || got.AcceptedAt == "" {
		t.Errorf("after the answer: %+v, %v", got, err)
	}
	evs, err := h.Store.ComplaintHistory(ctx, Expo, c.ID)
	var actions []string
	for _, e := range evs {
		actions = append(actions, e.Action)
	}
	if err != nil || !slices.Equal(actions, []string{"submitted", "accepted", "answered"}) {
		t.Errorf("history: %v, %v", actions, err)
	}
	if _, err := h.Store.ComplaintHistory(ctx, Other, c.ID); filing.ErrorKind(err) != filing.NotFound {
		t.Errorf("another expo's history: %v", err)
	}
}

// testComplaintLists: by filer, by respondent booth, by state (the stored one, after a
// change), all; newest first; pages without overlap.
func testComplaintLists(t *testing.T, h ComplaintHarness) {
	var mine []filing.Complaint
	for i := range 5 {
		mine = append(mine, mustComplain(t, h.Store, NewComplaint("EX-1", []string{"3C-210", "5D-001"}[i%2], fmt.Sprint("l", i), "h")))
	}
	theirs := mustComplain(t, h.Store, NewComplaint("EX-2", "3C-210", "l9", "h"))
	c := mine[0]
	ev, err := filing.ApplyComplaint(&c, filing.CActAccept, filing.ComplaintWindows{ResponseWindow: filing.Duration(time.Hour), SupplementWindow: filing.Duration(time.Hour)},
		filing.Actor{Subject: "officer-1", Role: filing.RoleOfficer}, time.Now(), "")
	if err != nil {
		t.Fatal(err)
	}
	if err := h.Store.UpdateComplaint(ctx, c, ev, filing.UploadClaim{}); err != nil {
		t.Fatal(err)
	}
	ids := func(q filing.ComplaintQuery) []string {
		t.Helper()
		q.Expo = Expo
		if q.Limit == 0 {
			q.Limit = 50
		}
		page, err := h.Store.ListComplaints(ctx, q)
		if err != nil {
			t.Fatalf("ListComplaints(%+v): %v", q, err)
		}
		var out []string
		for _, c := range page.Items {
			out = append(out, c.ID)
		}
		return out
	}
	for name, c := range map[string]struct {
		q    filing.ComplaintQuery
		want []string
	}{
		"all":          {filing.ComplaintQuery{}, []string{theirs.ID, mine[4].ID, mine[3].ID, mine[2].ID, mine[1].ID, mine[0].ID}},
		"filer":        {filing.ComplaintQuery{Filer: "EX-2"}, []string{theirs.ID}},
		"booth":        {filing.ComplaintQuery{Booth: "5D-001"}, []string{mine[3].ID, mine[1].ID}},
		"state":        {filing.ComplaintQuery{State: filing.ComplaintAccepted}, []string{mine[0].ID}},
		"submitted":    {filing.ComplaintQuery{State: filing.ComplaintSubmitted, Booth: "3C-210"}, []string{theirs.ID, mine[4].ID, mine[2].ID}},
		"filer, state": {filing.ComplaintQuery{Filer: "EX-1", State: filing.ComplaintAccepted}, []string{mine[0].ID}},
	} {
		if got := ids(c.q); !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", name, got, c.want)
		}
	}
	var all []string
	cursor := ""
	for range 10 {
		page, err := h.Store.ListComplaints(ctx, filing.ComplaintQuery{Expo: Expo, Limit: 4, Cursor: cursor})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range page.Items {
			all = append(all, c.ID)
		}
		if cursor = page.NextCursor; cursor == "" {
			break
		}
	}
	if len(all) != 6 || all[0] != theirs.ID || all[5] != mine[0].ID {
		t.Errorf("pages: %v", all)
	}
}
