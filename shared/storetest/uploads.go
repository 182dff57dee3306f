package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/ipfast/ipfast/shared/filing"
)

// NewUpload builds an upload slot of an exhibitor, as POST /v1/uploads stores it.
func NewUpload(exhibitor, role string) filing.Upload {
	now := nextInstant()
	return filing.Upload{ID: filing.NewID("att_", now), Expo: Expo, Exhibitor: exhibitor, Role: role, ContentType: "application/pdf",
		Size: 1234, SHA256: fmt.Sprintf("%064x", now.UnixNano()), CreatedAt: now.UTC(), UsableUntil: now.Add(24 * time.Hour).UTC()}
}

func mustUpload(t *testing.T, h Harness, u filing.Upload) filing.Upload {
	t.Helper()
	if err := h.Store.CreateUpload(ctx, u); err != nil {
		t.Fatalf("CreateUpload: %v", err)
	}
	return u
}

func withDocuments(n filing.NewFiling, us ...filing.Upload) filing.NewFiling {
	for _, u := range us {
		n.Filing.Attachments = append(n.Filing.Attachments, u.ID)
		n.Filing.Documents = append(n.Filing.Documents, filing.DocumentOf(u))
	}
	return n
}

func testUploads(t *testing.T, h Harness) {
	u := mustUpload(t, h, NewUpload("EX-1", filing.RoleMarkImage))
	got, err := h.Store.GetUpload(ctx, Expo, u.ID)
	if err != nil || got.ID != u.ID || got.Exhibitor != "EX-1" || got.Role != u.Role || got.SHA256 != u.SHA256 ||
		got.Size != u.Size || !got.CreatedAt.Equal(u.CreatedAt) || !got.UsableUntil.Equal(u.UsableUntil) ||
		got.Checked != "" || got.FilingID != "" {
		t.Fatalf("GetUpload = %+v, %v; want %+v", got, err, u)
	}
	if err := h.Store.RecordCheck(ctx, u.ID, filing.CheckOK, 500, 400); err != nil {
		t.Fatal(err)
	}
	got, err = h.Store.GetUpload(ctx, Expo, u.ID)
	if err != nil || got.Checked != filing.CheckOK || got.Width != 500 || got.Height != 400 || got.SHA256 != u.SHA256 {
		t.Errorf("after RecordCheck: %+v, %v", got, err)
	}
	if _, err := h.Store.GetUpload(ctx, Expo, "att_none"); filing.ErrorKind(err) != filing.NotFound {
		t.Errorf("GetUpload of a missing upload: %v", err)
	}
	if err := h.Store.RecordCheck(ctx, "att_none", filing.CheckOK, 0, 0); filing.ErrorKind(err) != filing.NotFound {
		t.Errorf("RecordCheck of a missing upload: %v", err)
	}
}

func wantTaken(t *testing.T, what string, err error) {
	t.Helper()
	if filing.ErrorKind(err) != filing.Invalid || filing.ErrorCode(err) != filing.CodeAttachmentUnknown {
		t.Errorf("%s: %v, want Invalid attachment_unknown", what, err)
	}
}

func testClaims(t *testing.T, h Harness) {
	u1 := mustUpload(t, h, NewUpload("EX-1", filing.RoleDrawings))
	u2 := mustUpload(t, h, NewUpload("EX-1", filing.RoleDescription))
	theirs := mustUpload(t, h, NewUpload("EX-2", filing.RoleDrawings))

	f := mustCreate(t, h, withDocuments(NewFiling(h, "EX-1", "k1", "h1"), u1))
	if got, _ := h.Store.GetUpload(ctx, Expo, u1.ID); got.FilingID != f.ID {
		t.Errorf("upload claimed by %q, want %s", got.FilingID, f.ID)
	}
	// The same upload for another filing, another exhibitor's upload, a missing one: refused,
	// and nothing is written (no number, no idempotency record).
	_, _, err := h.Store.Create(ctx, withDocuments(NewFiling(h, "EX-1", "k2", "h2"), u2, u1))
	wantTaken(t, "an upload another filing uses", err)
	if got, _ := h.Store.GetUpload(ctx, Expo, u2.ID); got.FilingID != "" {
		t.Errorf("a refused create claimed %s", u2.ID)
	}
	_, _, err = h.Store.Create(ctx, withDocuments(NewFiling(h, "EX-1", "k2", "h2"), theirs))
	wantTaken(t, "another exhibitor's upload", err)
	missing := NewUpload("EX-1", filing.RoleDrawings)
	_, _, err = h.Store.Create(ctx, withDocuments(NewFiling(h, "EX-1", "k2", "h2"), missing))
	wantTaken(t, "a missing upload", err)
	// The same key, now with an upload it may use, files (with the next number).
	g := mustCreate(t, h, withDocuments(NewFiling(h, "EX-1", "k2", "h2"), u2, u2))
	if g.FilingNumber != "TEST-TM-000002" {
		t.Errorf("refused creates consumed numbers: %s", g.FilingNumber)
	}
	// A retry of the first filing replays even though its upload is now taken (by it).
	again, replayed, err := h.Store.Create(ctx, withDocuments(NewFiling(h, "EX-1", "k1", "h1"), u1))
	if err != nil || !replayed || again.ID != f.ID {
		t.Errorf("replay with claimed uploads = %v %v %v", again.ID, replayed, err)
	}

	// Update claims what the new version adds; keeping what it had is no new claim.
	u3 := mustUpload(t, h, NewUpload("EX-1", filing.RoleDrawings))
	f2 := f
	f2.Version++
	f2.Documents = append(append([]filing.Document{}, f.Documents...), filing.DocumentOf(u3))
	ev := filing.Event{At: f.FiledAt, Actor: "kiosk-1", Role: "kiosk", Action: "amended", FromState: f.State, ToState: f.State}
	if err := h.Store.Update(ctx, f2, ev, false); err != nil {
		t.Fatalf("Update adding an upload: %v", err)
	}
	if got, _ := h.Store.GetUpload(ctx, Expo, u3.ID); got.FilingID != f.ID {
		t.Errorf("Update did not claim %s: %q", u3.ID, got.FilingID)
	}
	g2 := g
	g2.Version++
	g2.Documents = append(g2.Documents, filing.DocumentOf(u3))
	wantTaken(t, "Update with another filing's upload", h.Store.Update(ctx, g2, ev, false))
	if got, _ := h.Store.Get(ctx, Expo, g.ID); got.Version != g.Version {
		t.Errorf("a refused Update was written: version %d", got.Version)
	}
}

func testConcurrentClaims(t *testing.T, h Harness) {
	const n = 16 // 16 filings race for one upload: exactly one gets it
	u := mustUpload(t, h, NewUpload("EX-1", filing.RoleDrawings))
	var wg sync.WaitGroup
	var mu sync.Mutex
	won := 0
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _, err := h.handle(i).Create(ctx, withDocuments(NewFiling(h, "EX-1", fmt.Sprint("race-", i), "h"), u))
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				won++
			case filing.ErrorCode(err) != filing.CodeAttachmentUnknown:
				t.Errorf("filing %d: %v", i, err)
			}
		}()
	}
	wg.Wait()
	if won != 1 {
		t.Errorf("%d filings got the upload, want 1", won)
	}
	if f := mustCreate(t, h, NewFiling(h, "EX-1", "after", "h")); f.FilingNumber != "TEST-TM-000002" {
		t.Errorf("the losers consumed numbers: next is %s", f.FilingNumber)
	}
}

// testPendingUploads: an exhibitor's pending uploads are those no filing claimed that are still
// usable; the quota of SPEC §3 counts them and their declared bytes.
func testPendingUploads(t *testing.T, h Harness) {
	a := mustUpload(t, h, NewUpload("EX-P", filing.RoleDrawings))
	b := NewUpload("EX-P", filing.RoleDescription)
	b.Size = 5000
	mustUpload(t, h, b)
	mustUpload(t, h, NewUpload("EX-Q", filing.RoleDrawings))
	now := a.CreatedAt.Add(time.Minute)
	if n, size, err := h.Store.PendingUploads(ctx, Expo, "EX-P", now); err != nil || n != 2 || size != a.Size+5000 {
		t.Errorf("pending of EX-P = %d, %d bytes, %v; want 2, %d", n, size, err, a.Size+5000)
	}
	mustCreate(t, h, withDocuments(NewFiling(h, "EX-P", "kp", "hp"), a))
	if n, size, err := h.Store.PendingUploads(ctx, Expo, "EX-P", now); err != nil || n != 1 || size != 5000 {
		t.Errorf("after a filing claimed one: %d, %d bytes, %v; want 1, 5000", n, size, err)
	}
	if n, _, err := h.Store.PendingUploads(ctx, Expo, "EX-P", b.UsableUntil.Add(time.Second)); err != nil || n != 0 {
		t.Errorf("past their usable time: %d pending, %v; want 0", n, err)
	}
	if n, _, err := h.Store.PendingUploads(ctx, Expo, "EX-NONE", now); err != nil || n != 0 {
		t.Errorf("an exhibitor without uploads: %d, %v", n, err)
	}
}
