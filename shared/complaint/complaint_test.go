package complaint_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/ipfast/ipfast/shared/complaint"
	"github.com/ipfast/ipfast/shared/embedded"
	"github.com/ipfast/ipfast/shared/filing"
	"github.com/ipfast/ipfast/shared/sweep"
	"github.com/ipfast/ipfast/shared/validate"
)

var ctx = context.Background()

// uploads are what the kiosks may use, by exhibitor: a stand-in for the intake's check of
// uploaded bytes, which has its own tests.
type uploads map[string]map[string]validate.Attachment

func (u uploads) Usable(_ context.Context, p filing.Principal, ids []string) (map[string]validate.Attachment, error) {
	out := map[string]validate.Attachment{}
	for _, id := range ids {
		if a, ok := u[p.Exhibitor][id]; ok {
			out[id] = a
		}
	}
	return out, nil
}

type env struct {
	db         *embedded.DB
	svc        *complaint.Service
	clock      *filing.ManualClock
	complainer filing.Principal
	respondent filing.Principal
	other      filing.Principal
	officer    filing.Principal
}

func newEnv(t *testing.T) env {
	expo := filing.DefaultExpo()
	db, err := embedded.Open(filepath.Join(t.TempDir(), "ipfast.db"), embedded.Options{Queues: expo.AllQueues(), DefaultExpo: expo.ID})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	clock := &filing.ManualClock{}
	clock.Set("2026-06-23T02:00:00Z") // 10:00 in Beijing, the expo's second day
	// Uploads named in a complaint must exist in the store to be claimed.
	for _, u := range []filing.Upload{{ID: "att_cert", Role: filing.RoleRightCertificate}, {ID: "att_photo", Role: filing.RoleExhibitPhoto},
		{ID: "att_cert2", Role: filing.RoleRightCertificate}} {
		u.Expo, u.Exhibitor, u.UsableUntil = expo.ID, "EX-A", clock.Now().Add(24*time.Hour)
		if err := db.CreateUpload(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	ups := uploads{"EX-A": {"att_cert": {Role: filing.RoleRightCertificate}, "att_photo": {Role: filing.RoleExhibitPhoto},
		"att_cert2": {Role: filing.RoleRightCertificate}}}
	return env{db: db, svc: complaint.New(expo, db, ups, clock), clock: clock,
		complainer: filing.Principal{Subject: "kiosk-a", Role: filing.RoleKiosk, Exhibitor: "EX-A", Booth: "1A-101"},
		respondent: filing.Principal{Subject: "kiosk-b", Role: filing.RoleKiosk, Exhibitor: "EX-B", Booth: "3C-210"},
		other:      filing.Principal{Subject: "kiosk-c", Role: filing.RoleKiosk, Exhibitor: "EX-C", Booth: "9Z-999"},
		officer:    filing.Principal{Subject: "officer-1", Role: filing.RoleOfficer}}
}

func request() *filing.ComplaintRequest {
	return &filing.ComplaintRequest{
		Complainant: filing.Complainant{Name: "Voltara GmbH", Kind: "organization", Nationality: "DE", Address: "Berlin", IDNumber: "HRB123456",
			Contact: &filing.Contact{Name: "Anna Schmidt", Email: "anna@voltara.example"}},
		Right:       filing.Right{Kind: "invention", Number: "ZL202310123456.7", Owner: "Voltara GmbH", ValidUntil: "2043-05-01"},
		Respondent:  filing.Respondent{Booth: "3C-210"},
		Exhibits:    []filing.Exhibit{{Description: "Battery pack", Photos: []string{"att_photo"}}},
		Grounds:     "Claim 1 reads on the cooling plate.",
		Attachments: []string{"att_cert"},
		Language:    "en",
	}
}

// TestComplaintFlow: a kiosk files; the respondent sees nothing before acceptance; an officer
// asks for a supplement, the complainant supplements, the officer accepts; the respondent sees
// it masked and answers; the officer decides infringement with a measure. Roles that may not
// act get 403, the wrong state 409.
func TestComplaintFlow(t *testing.T) {
	e := newEnv(t)
	c, replayed, err := e.svc.Submit(ctx, e.complainer, "k1", request())
	if err != nil || replayed || c.ComplaintNumber != "CISCE2026-CP-000001" || c.State != filing.ComplaintSubmitted {
		t.Fatalf("submit: %+v %v %v", c, replayed, err)
	}
	if again, replayed, err := e.svc.Submit(ctx, e.complainer, "k1", request()); err != nil || !replayed || again.ID != c.ID {
		t.Errorf("replay: %v %v", replayed, err)
	}
	if _, err := e.svc.Get(ctx, e.respondent, c.ID); filing.ErrorKind(err) != filing.NotFound {
		t.Errorf("the respondent before acceptance: %v", err)
	}
	if page, err := e.svc.List(ctx, e.respondent, "respondent", "", 20, ""); err != nil || len(page.Items) != 0 {
		t.Errorf("the respondent's list before acceptance: %d %v", len(page.Items), err)
	}
	if _, err := e.svc.Accept(ctx, e.complainer, c.ID, ""); filing.ErrorKind(err) != filing.Forbidden {
		t.Errorf("a kiosk accepting: %v", err)
	}
	for _, missing := range [][]string{nil, {"a_brochure"}} {
		if _, err := e.svc.RequestSupplement(ctx, e.officer, c.ID, missing, ""); filing.ErrorKind(err) != filing.Invalid {
			t.Errorf("asking for %v: %v", missing, err)
		}
	}
	if _, err := e.svc.RequestSupplement(ctx, e.officer, c.ID, []string{"attachment_invalid"}, "Please add the sales brochure."); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Accept(ctx, e.officer, c.ID, ""); filing.ErrorCode(err) != filing.CodeInvalidTransition {
		t.Errorf("accepting an incomplete complaint: %v", err)
	}
	if got, err := e.svc.Supplement(ctx, e.complainer, c.ID, nil, "Claim 1 and claim 3 read on it."); err != nil || got.State != filing.ComplaintSubmitted {
		t.Fatalf("supplement: %v", err)
	}
	if got, err := e.svc.Accept(ctx, e.officer, c.ID, ""); err != nil || got.RespondBy != "2026-06-24T10:00:00+08:00" {
		t.Fatalf("accept: %+v %v", got.RespondBy, err)
	}
	v, err := e.svc.Get(ctx, e.respondent, c.ID)
	if err != nil || v.Complainant.IDNumber != "****3456" || v.Complainant.Contact.Email != "****mple" || v.Complainant.Name != "Voltara GmbH" {
		t.Fatalf("the respondent's view: %+v %v", v.Complainant, err)
	}
	if _, err := e.svc.Get(ctx, e.other, c.ID); filing.ErrorKind(err) != filing.NotFound {
		t.Errorf("another kiosk: %v", err)
	}
	if _, err := e.svc.Answer(ctx, e.complainer, c.ID, "mine", nil); filing.ErrorKind(err) != filing.Forbidden {
		t.Errorf("the complainant answering: %v", err)
	}
	e.clock.Set("2026-06-23T08:00:00Z")
	if got, err := e.svc.Answer(ctx, e.respondent, c.ID, "Our cooling plate predates the patent.", nil); err != nil ||
		got.State != filing.ComplaintAnswered || got.Answer.Late {
		t.Fatalf("answer: %+v %v", got.Answer, err)
	}
	if _, err := e.svc.Answer(ctx, e.respondent, c.ID, "again", nil); filing.ErrorCode(err) != filing.CodeInvalidTransition {
		t.Errorf("a second answer: %v", err)
	}
	if _, err := e.svc.Decide(ctx, e.officer, c.ID, "infringement", nil, ""); filing.ErrorKind(err) != filing.Invalid {
		t.Errorf("infringement without measures: %v", err)
	}
	got, err := e.svc.Decide(ctx, e.officer, c.ID, "infringement", []string{"cover_exhibit"}, "Covered at 16:10.")
	if err != nil || got.State != filing.ComplaintDecided || got.Decision.Officer != "officer-1" {
		t.Fatalf("decide: %+v %v", got, err)
	}
	var actions []string
	for _, ev := range got.History {
		actions = append(actions, ev.Action)
	}
	if want := "submitted supplement_requested supplemented accepted answered decided"; joined(actions) != want {
		t.Errorf("history %q, want %q", joined(actions), want)
	}
}

func joined(xs []string) string {
	out := ""
	for i, x := range xs {
		if i > 0 {
			out += " "
		}
		out += x
	}
	return out
}

// TestComplaintWindows: an accepted complaint reads answer_overdue the second its window ends
// (listed so, with proposed measures), a late answer is taken and marked; an incomplete
// complaint reads refused when its window ends and the sweep stores it so.
func TestComplaintWindows(t *testing.T) {
	e := newEnv(t)
	c, _, err := e.svc.Submit(ctx, e.complainer, "k1", request())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Accept(ctx, e.officer, c.ID, ""); err != nil {
		t.Fatal(err)
	}
	e.clock.Set("2026-06-24T01:59:59Z")
	if got, _ := e.svc.Get(ctx, e.officer, c.ID); got.State != filing.ComplaintAccepted {
		t.Errorf("a second before the window ends: %s", got.State)
	}
	e.clock.Set("2026-06-24T02:00:00Z")
	got, _ := e.svc.Get(ctx, e.officer, c.ID)
	if got.State != filing.ComplaintAnswerOverdue || len(got.ProposedMeasures) == 0 {
		t.Errorf("when the window ends: %s %v", got.State, got.ProposedMeasures)
	}
	if page, err := e.svc.List(ctx, e.officer, "", filing.ComplaintAnswerOverdue, 20, ""); err != nil || len(page.Items) != 1 {
		t.Errorf("listing answer_overdue: %d %v", len(page.Items), err)
	}
	if got, err := e.svc.Answer(ctx, e.respondent, c.ID, "Late, sorry.", nil); err != nil || !got.Answer.Late {
		t.Errorf("a late answer: %+v %v", got.Answer, err)
	}

	// A complaint without its certificate stores nothing; one naming an upload another
	// complaint holds is attachment_unknown.
	bare := request()
	bare.Attachments, bare.Exhibits[0].Photos = nil, nil
	if _, _, err := e.svc.Submit(ctx, e.complainer, "k2", bare); filing.ErrorKind(err) != filing.Invalid {
		t.Errorf("a complaint without its certificate: %v", err)
	}
	if _, _, err := e.svc.Submit(ctx, e.complainer, "k3", request()); filing.ErrorCode(err) != filing.CodeAttachmentUnknown {
		t.Errorf("an upload another complaint holds: %v", err)
	}
	// Incomplete past the supplement window (24 h by default): refused on read, stored so by
	// the sweep, not before.
	r := request()
	r.Attachments, r.Exhibits[0].Photos = []string{"att_cert2"}, nil
	d, _, err := e.svc.Submit(ctx, e.complainer, "k4", r)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.RequestSupplement(ctx, e.officer, d.ID, []string{"attachment_invalid"}, ""); err != nil {
		t.Fatal(err)
	}
	if n, err := e.svc.RefuseLapsed(ctx); err != nil || n != 0 {
		t.Errorf("the sweep inside the window: %d %v", n, err)
	}
	e.clock.Set("2026-06-25T02:00:00Z")
	if got, _ := e.svc.Get(ctx, e.complainer, d.ID); got.State != filing.ComplaintRefused {
		t.Errorf("past the supplement window: %s", got.State)
	}
	if _, err := e.svc.Supplement(ctx, e.complainer, d.ID, nil, "late"); filing.ErrorCode(err) != filing.CodeInvalidTransition {
		t.Errorf("a supplement after the window: %v", err)
	}
	// The sweep (what `serve` runs every minute and the sweeper function on its schedule).
	sw := &sweep.Service{Store: e.db, Expo: filing.DefaultExpo(), Clock: e.clock}
	if r, err := sw.Run(ctx); err != nil || r.ComplaintsRefused != 1 {
		t.Errorf("the sweep after the window: %+v %v", r, err)
	}
	if page, err := e.svc.List(ctx, e.officer, "", filing.ComplaintRefused, 20, ""); err != nil || len(page.Items) != 1 || page.Items[0].ID != d.ID {
		t.Errorf("listing refused: %+v %v", page.Items, err)
	}
}
