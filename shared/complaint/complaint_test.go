package complaint_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"image"
	"image/png"
	"path/filepath"
	"slices"
	"testing"

	"github.com/ipfast/ipfast/shared/complaint"
	"github.com/ipfast/ipfast/shared/embedded"
	"github.com/ipfast/ipfast/shared/filing"
	"github.com/ipfast/ipfast/shared/intake"
	"github.com/ipfast/ipfast/shared/sweep"
)

var ctx = context.Background()

type env struct {
	db         *embedded.DB
	files      *embedded.Files
	intake     *intake.Service
	svc        *complaint.Service
	clock      *filing.ManualClock
	complainer filing.Principal
	respondent filing.Principal
	other      filing.Principal
	officer    filing.Principal
}

// newEnv is the desk on an embedded store with the intake's uploads (bytes checked as a
// filing's) in a blob store in a temporary dir; EX-A's kiosk has uploaded att_cert, att_photo
// and att_cert2 (as named in request()).
func newEnv(t *testing.T) env {
	expo := filing.DefaultExpo()
	dir := t.TempDir()
	db, err := embedded.Open(filepath.Join(dir, "ipfast.db"), embedded.Options{Queues: expo.AllQueues(), DefaultExpo: expo.ID})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	clock := &filing.ManualClock{}
	clock.Set("2026-06-23T02:00:00Z") // 10:00 in Beijing, the expo's second day
	files, err := embedded.OpenFiles(filepath.Join(dir, "blobs"), "/blobs", []byte("k"), clock)
	if err != nil {
		t.Fatal(err)
	}
	in := intake.New(expo, db, clock)
	in.Blobs = files
	e := env{db: db, files: files, intake: in, svc: complaint.New(expo, db, in, clock), clock: clock,
		complainer: filing.Principal{Subject: "kiosk-a", Role: filing.RoleKiosk, Exhibitor: "EX-A", Booth: "1A-101"},
		respondent: filing.Principal{Subject: "kiosk-b", Role: filing.RoleKiosk, Exhibitor: "EX-B", Booth: "3C-210"},
		other:      filing.Principal{Subject: "kiosk-c", Role: filing.RoleKiosk, Exhibitor: "EX-C", Booth: "9Z-999"},
		officer:    filing.Principal{Subject: "officer-1", Role: filing.RoleOfficer}}
	named = map[string]string{}
	for _, u := range []struct{ name, role string }{{"att_cert", filing.RoleRightCertificate}, {"att_photo", filing.RoleExhibitPhoto},
		{"att_cert2", filing.RoleRightCertificate}} {
		named[u.name] = e.upload(t, e.complainer, u.role)
	}
	return e
}

// named maps the names request() uses to the ids of the uploads newEnv made.
var named map[string]string

// upload declares an upload of role for p and sends its bytes (a PDF, or a PNG photo).
func (e env) upload(t *testing.T, p filing.Principal, role string) string {
	t.Helper()
	data, ct := []byte("%PDF-1.7\n% "+role+"\n%%EOF\n"), "application/pdf"
	if role == filing.RoleExhibitPhoto {
		var b bytes.Buffer
		if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, 640, 480))); err != nil {
			t.Fatal(err)
		}
		data, ct = b.Bytes(), "image/png"
	}
	sum := sha256.Sum256(data)
	slot, err := e.intake.CreateUpload(ctx, p, intake.UploadRequest{Role: role, ContentType: ct, Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:])})
	if err != nil {
		t.Fatalf("upload %s for %s: %v", role, p.Subject, err)
	}
	if err := e.files.Put(filing.UploadKey(filing.DefaultExpo().ID, slot.ID), ct, int64(len(data)), hex.EncodeToString(sum[:]), bytes.NewReader(data)); err != nil {
		t.Fatal(err)
	}
	return slot.ID
}

func request() *filing.ComplaintRequest {
	return &filing.ComplaintRequest{
		Complainant: filing.Complainant{Name: "Voltara GmbH", Kind: "organization", Nationality: "DE", Address: "Berlin", IDNumber: "HRB123456",
			Contact: &filing.Contact{Name: "Anna Schmidt", Email: "anna@voltara.example"}},
		Right:       filing.Right{Kind: "invention", Number: "ZL202310123456.7", Owner: "Voltara GmbH", ValidUntil: "2043-05-01"},
		Respondent:  filing.Respondent{Booth: "3C-210"},
		Exhibits:    []filing.Exhibit{{Description: "Battery pack", Photos: []string{named["att_photo"]}}},
		Grounds:     "Claim 1 reads on the cooling plate.",
		Attachments: []string{named["att_cert"]},
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
	if _, _, err := e.svc.Submit(ctx, e.complainer, "k3", request()); !hasProblem(err, "/attachments/0", filing.CodeAttachmentUnknown) {
		t.Errorf("an upload another complaint holds: %v", err)
	}
	// Incomplete past the supplement window (24 h by default): refused on read, stored so by
	// the sweep, not before.
	r := request()
	r.Attachments, r.Exhibits[0].Photos = []string{e.upload(t, e.complainer, filing.RoleRightCertificate)}, nil // a day on: a fresh upload
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

// hasProblem reports whether err is a validation error with code at field.
func hasProblem(err error, field, code string) bool {
	var fe *filing.Error
	if !errors.As(err, &fe) {
		return false
	}
	for _, p := range fe.Problems {
		if p.Field == field && p.Code == code {
			return true
		}
	}
	return false
}

// TestComplaintEvidence: an officer registers a walk-in rights holder with the officer's own
// uploads (kept where filed documents last); another officer supplements it; the respondent
// sees the file without the complainant's identity document and answers with its own evidence,
// not with someone else's upload; each party downloads what its view lists and nothing else.
func TestComplaintEvidence(t *testing.T) {
	e := newEnv(t)
	officer2 := filing.Principal{Subject: "officer-2", Role: filing.RoleOfficer}
	r := request()
	r.Complainant.Nationality = "CN"
	idDoc := e.upload(t, e.officer, filing.RoleIDDocument)
	r.Attachments = []string{e.upload(t, e.officer, filing.RoleRightCertificate), idDoc}
	r.Exhibits[0].Photos = []string{e.upload(t, e.officer, filing.RoleExhibitPhoto)}
	c, _, err := e.svc.Submit(ctx, e.officer, "walk-in-1", r)
	if err != nil {
		t.Fatal(err)
	}
	if c.Filer != "staff:officer-1" || len(c.Documents) != 3 {
		t.Fatalf("walk-in: filer %q, %d documents", c.Filer, len(c.Documents))
	}
	for _, d := range c.Documents {
		if _, err := e.files.Stat(ctx, filing.FiledKey(c.Expo, d.ID)); err != nil {
			t.Errorf("document %s not kept: %v", d.Role, err)
		}
	}
	if _, err := e.svc.Get(ctx, e.complainer, c.ID); filing.ErrorKind(err) != filing.NotFound {
		t.Errorf("a kiosk reading a walk-in's complaint: %v", err)
	}
	if _, err := e.svc.RequestSupplement(ctx, e.officer, c.ID, []string{filing.CodeRightCertificateRequired}, "The certificate is cut off."); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Supplement(ctx, officer2, c.ID, []string{"att_nope"}, ""); !hasProblem(err, "/attachments/0", filing.CodeAttachmentUnknown) {
		t.Errorf("a supplement naming no upload: %v", err)
	}
	got, err := e.svc.Supplement(ctx, officer2, c.ID, []string{e.upload(t, officer2, filing.RoleRightCertificate)}, "")
	if err != nil || got.State != filing.ComplaintSubmitted || len(got.Documents) != 4 || len(got.Attachments) != 3 {
		t.Fatalf("the supplement: %v, %d documents", err, len(got.Documents))
	}
	if _, err := e.svc.Accept(ctx, officer2, c.ID, ""); err != nil {
		t.Fatal(err)
	}
	v, err := e.svc.Get(ctx, e.respondent, c.ID)
	if err != nil || len(v.Documents) != 3 || slices.Contains(v.Attachments, idDoc) {
		t.Fatalf("the respondent's view: %d documents, attachments %v, %v", len(v.Documents), v.Attachments, err)
	}
	if _, err := e.svc.Download(ctx, e.respondent, c.ID, idDoc); filing.ErrorKind(err) != filing.NotFound {
		t.Errorf("the respondent downloading the identity document: %v", err)
	}
	if l, err := e.svc.Download(ctx, e.respondent, c.ID, v.Exhibits[0].Photos[0]); err != nil || l.URL == "" || l.Role != filing.RoleExhibitPhoto {
		t.Errorf("the respondent downloading the exhibit photo: %+v %v", l, err)
	}
	theirs := e.upload(t, e.other, filing.RoleEvidence)
	if _, err := e.svc.Answer(ctx, e.respondent, c.ID, "我们的产品早于该专利。", []string{theirs}); !hasProblem(err, "/attachments/0", filing.CodeAttachmentUnknown) {
		t.Errorf("an answer naming another exhibitor's upload: %v", err)
	}
	own := e.upload(t, e.respondent, filing.RoleEvidence)
	a, err := e.svc.Answer(ctx, e.respondent, c.ID, "我们的产品早于该专利。", []string{own})
	if err != nil || len(a.Answer.Documents) != 1 {
		t.Fatalf("the answer: %+v %v", a.Answer, err)
	}
	if _, err := e.svc.Download(ctx, e.officer, c.ID, own); err != nil {
		t.Errorf("the officer downloading the answer's evidence: %v", err)
	}
	if _, err := e.svc.Download(ctx, e.other, c.ID, own); filing.ErrorKind(err) != filing.NotFound {
		t.Errorf("another kiosk downloading: %v", err)
	}
}

// TestLedgersMeasuresFigures: the ledgers count accepted complaints per respondent and
// decisions per complainant; the measures list decided and proposed ones per booth; the
// figures count by shown state.
func TestLedgersMeasuresFigures(t *testing.T) {
	e := newEnv(t)
	file := func(key, booth string) filing.Complaint {
		t.Helper()
		r := request()
		r.Respondent = filing.Respondent{Booth: booth, Name: "Shenzhen Copy Co."}
		r.Attachments, r.Exhibits[0].Photos = []string{e.upload(t, e.complainer, filing.RoleRightCertificate)}, nil
		c, _, err := e.svc.Submit(ctx, e.complainer, key, r)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	decided, overdue, noInf := file("a", "3C-210"), file("b", "3C-210"), file("c", "5D-001")
	file("d", "5D-001") // stays submitted
	for _, c := range []filing.Complaint{decided, overdue, noInf} {
		if _, err := e.svc.Accept(ctx, e.officer, c.ID, ""); err != nil {
			t.Fatal(err)
		}
	}
	e.clock.Set("2026-06-23T03:00:00Z")
	if _, err := e.svc.Decide(ctx, e.officer, decided.ID, "infringement", []string{"cut_links", "cover_exhibit"}, ""); err != nil {
		t.Fatal(err)
	}
	e.clock.Set("2026-06-23T05:00:00Z")
	if _, err := e.svc.Decide(ctx, e.officer, noInf.ID, "no_infringement", nil, ""); err != nil {
		t.Fatal(err)
	}
	e.clock.Set("2026-06-24T02:00:00Z") // the response window of the rest has ended
	if _, err := e.svc.RespondentLedger(ctx, e.complainer); filing.ErrorKind(err) != filing.Forbidden {
		t.Errorf("a kiosk reading the ledger: %v", err)
	}
	resp, err := e.svc.RespondentLedger(ctx, e.officer)
	if err != nil || len(resp) != 1 || resp[0].Complaints != 3 || resp[0].Infringements != 1 || resp[0].Name != "Shenzhen Copy Co." {
		t.Errorf("respondents: %+v %v", resp, err)
	}
	comp, err := e.svc.ComplainantLedger(ctx, e.officer)
	if err != nil || len(comp) != 1 || comp[0].Complaints != 4 || comp[0].NoInfringement != 1 || comp[0].Nationality != "DE" {
		t.Errorf("complainants: %+v %v", comp, err)
	}
	ms, err := e.svc.Measures(ctx, e.officer)
	if err != nil || len(ms) != 1 || ms[0].Booth != "3C-210" || !slices.Equal(ms[0].Measures, []string{"remove_exhibit", "cover_exhibit", "cut_links"}) ||
		len(ms[0].Complaints) != 2 {
		t.Fatalf("measures: %+v %v", ms, err)
	}
	for _, src := range ms[0].Complaints {
		if src.Proposed != (src.ID == overdue.ID) {
			t.Errorf("measures of %s: proposed=%v", src.ComplaintNumber, src.Proposed)
		}
	}
	f, err := e.svc.Figures(ctx, e.officer)
	if err != nil || f.ByState[filing.ComplaintDecided] != 2 || f.ByState[filing.ComplaintAnswerOverdue] != 1 || f.ByState[filing.ComplaintSubmitted] != 1 ||
		f.ForeignShare != 1 || f.ConfirmedShare != 0.5 || f.MedianAcceptedToDecidedSeconds != 7200 {
		t.Errorf("figures: %+v %v", f, err)
	}
}

// TestRespondentByDirectory: with an exhibitor directory, the respondent is the exhibitor at the
// booth named: its kiosk at another of its booths sees the complaint from acceptance on (get and
// list) and answers it; a booth outside the directory is respondent_unknown.
func TestRespondentByDirectory(t *testing.T) {
	e := newEnv(t)
	e.svc.Expo.Exhibitors = []filing.ExhibitorEntry{{ID: "EX-B", Booth: "3C-210", Name: "Shenzhen Copy Co."}, {ID: "EX-B", Booth: "3C-212"},
		{ID: "EX-A", Booth: "1A-101"}}
	unknown := request()
	unknown.Respondent.Booth = "9Z-999"
	if _, _, err := e.svc.Submit(ctx, e.complainer, "k0", unknown); !hasProblem(err, "/respondent/booth", filing.CodeRespondentUnknown) {
		t.Errorf("a booth outside the directory: %v", err)
	}
	c, _, err := e.svc.Submit(ctx, e.complainer, "k1", request())
	if err != nil {
		t.Fatal(err)
	}
	otherBooth := filing.Principal{Subject: "kiosk-b2", Role: filing.RoleKiosk, Exhibitor: "EX-B", Booth: "3C-212"}
	if _, err := e.svc.Get(ctx, otherBooth, c.ID); filing.ErrorKind(err) != filing.NotFound {
		t.Errorf("before acceptance: %v", err)
	}
	if _, err := e.svc.Accept(ctx, e.officer, c.ID, ""); err != nil {
		t.Fatal(err)
	}
	if v, err := e.svc.Get(ctx, otherBooth, c.ID); err != nil || v.Complainant.Contact.Email == "anna@voltara.example" {
		t.Errorf("the exhibitor's other booth: %+v %v", v.Complainant, err)
	}
	page, err := e.svc.List(ctx, otherBooth, "respondent", "", 20, "")
	if err != nil || len(page.Items) != 1 {
		t.Errorf("listed for the exhibitor's other booth: %d %v", len(page.Items), err)
	}
	if page, _ := e.svc.List(ctx, e.other, "respondent", "", 20, ""); len(page.Items) != 0 {
		t.Errorf("listed for another exhibitor: %d", len(page.Items))
	}
	if got, err := e.svc.Answer(ctx, otherBooth, c.ID, "Wir prüfen das.", nil); err != nil || got.State != filing.ComplaintAnswered {
		t.Errorf("answered from the other booth: %v", err)
	}
}

// TestRespondentByDirectoryPutOverAPI: the exhibitor directory put over the API (SPEC §18)
// counts as the configuration's does: a booth only it lists is a known respondent, its contact
// gets the respondent's notice, and a booth in neither is respondent_unknown.
func TestRespondentByDirectoryPutOverAPI(t *testing.T) {
	e := newEnv(t)
	e.svc.Expo.Exhibitors = []filing.ExhibitorEntry{{ID: "EX-A", Booth: "1A-101"}}
	if err := e.db.PutExhibitor(ctx, e.svc.Expo.ID, filing.Exhibitor{ID: "EX-B", Name: "Shenzhen Copy Co.", Booth: "3C-210",
		Contact: &filing.Contact{Name: "Zhang San", Email: "legal@copy.example"}}); err != nil {
		t.Fatal(err)
	}
	unknown := request()
	unknown.Respondent.Booth = "9Z-999"
	if _, _, err := e.svc.Submit(ctx, e.complainer, "k0", unknown); !hasProblem(err, "/respondent/booth", filing.CodeRespondentUnknown) {
		t.Errorf("a booth in neither: %v", err)
	}
	c, _, err := e.svc.Submit(ctx, e.complainer, "k1", request())
	if err != nil {
		t.Fatalf("a booth only the API's directory lists: %v", err)
	}
	if _, err := e.svc.Accept(ctx, e.officer, c.ID, ""); err != nil {
		t.Fatal(err)
	}
	ns, err := e.db.Notices(ctx, filing.NoticeQuery{Expo: e.svc.Expo.ID, State: filing.NoticePending, Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, n := range ns.Items {
		found = found || n.To == "legal@copy.example"
	}
	if !found {
		t.Errorf("no notice to the respondent's contact from the directory: %+v", ns.Items)
	}
	ledger, err := e.svc.RespondentLedger(ctx, e.officer)
	if err != nil || len(ledger) != 1 || ledger[0].Exhibitor != "EX-B" {
		t.Errorf("respondents' ledger: %+v %v", ledger, err)
	}
}
