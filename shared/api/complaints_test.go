package api_test

import (
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ipfast/ipfast/shared/filing"
)

// complaintBody is a complete complaint of Voltara GmbH against booth 3C-210 naming cert (a
// right_certificate upload) and photo (an exhibit_photo upload).
func complaintBody(cert, photo string) string {
	return fmt.Sprintf(`{"complainant":{"name":"Voltara GmbH","kind":"organization","nationality":"DE","address":"Friedrichstraße 1, Berlin",
 "idNumber":"HRB 123456","contact":{"name":"Anna Schmidt","email":"anna.schmidt@voltara.example","phone":"+49 30 1234567"}},
 "right":{"kind":"invention","number":"ZL202310123456.7","owner":"Voltara GmbH","validUntil":"2043-05-01"},
 "respondent":{"booth":"3C-210","name":"Shenzhen Copy Co."},
 "exhibits":[{"description":"Battery pack with a finned cooling plate","photos":[%q]}],
 "grounds":"Claim 1 reads on the cooling plate of the exhibit.",
 "attachments":[%q],
 "pendingProceedings":{"invalidation":false,"litigation":false,"ownershipDispute":false},
 "language":"en"}`, photo, cert)
}

type complaintView struct {
	ID               string   `json:"id"`
	ComplaintNumber  string   `json:"complaintNumber"`
	State            string   `json:"state"`
	RespondBy        string   `json:"respondBy"`
	ProposedMeasures []string `json:"proposedMeasures"`
	Complainant      struct {
		IDNumber string `json:"idNumber"`
		Contact  struct {
			Email string `json:"email"`
		} `json:"contact"`
	} `json:"complainant"`
	Exhibits []struct {
		Photos []string `json:"photos"`
	} `json:"exhibits"`
	Answer *struct {
		Late bool `json:"late"`
	} `json:"answer"`
	History []struct {
		Action string `json:"action"`
	} `json:"history"`
}

func (e *env) complaintOf(r resp, want int) complaintView {
	e.t.Helper()
	if r.status != want {
		e.t.Fatalf("status %d, want %d: %s", r.status, want, r.body)
	}
	var c complaintView
	r.json(e.t, &c)
	return c
}

func wantCode(t *testing.T, what string, r resp, status int, code string) {
	t.Helper()
	if r.status != status {
		t.Errorf("%s: %d, want %d: %s", what, r.status, status, r.body)
		return
	}
	if p := r.problem(t); p.Code != code {
		t.Errorf("%s: code %q, want %q", what, p.Code, code)
	}
}

// TestComplaintDeskHTTP walks SPEC §11 over HTTP: a kiosk files a complaint with a
// certificate and an exhibit photo (idempotent); the respondent sees nothing before acceptance
// and a masked complaint after; the officer asks for a supplement, accepts, the respondent
// answers once, the officer decides; kiosks and examiners may not act for officers (403).
func TestComplaintDeskHTTP(t *testing.T) {
	e, _ := newFilesEnv(t)
	complainant := e.kiosk("EX-A")
	respondent := e.token(filing.Principal{Subject: "kiosk-3C-210", Role: "kiosk", Exhibitor: "EX-B", Booth: "3C-210"})
	officer := e.token(filing.Principal{Subject: "officer-1", Role: "officer"})
	supervisor := e.token(filing.Principal{Subject: "supervisor-1", Role: "supervisor"})
	photoBytes := pngOf(t, 640, 480)
	cert, photo := e.upload(complainant, "right_certificate", "application/pdf", pdfOf(t, 2000)), e.upload(complainant, "exhibit_photo", "image/png", photoBytes)
	body := complaintBody(cert, photo)

	wantCode(t, "no Idempotency-Key", e.do("POST", "/v1/complaints", complainant, body), 400, "idempotency_key_required")
	r := e.do("POST", "/v1/complaints", complainant, body, "Idempotency-Key", "c-1")
	c := e.complaintOf(r, 201)
	if c.ComplaintNumber != "CISCE2026-CP-000001" || c.State != "submitted" || r.header.Get("Location") != "/v1/complaints/"+c.ID ||
		len(c.History) != 1 || c.History[0].Action != "submitted" || !strings.Contains(string(r.body), `"decision":null`) {
		t.Fatalf("created: %+v, Location %q", c, r.header.Get("Location"))
	}
	again := e.do("POST", "/v1/complaints", complainant, body, "Idempotency-Key", "c-1")
	if got := e.complaintOf(again, 201); got.ID != c.ID || again.header.Get("Idempotent-Replayed") != "true" || len(got.History) != 1 {
		t.Errorf("replay: %s, replayed %q", got.ID, again.header.Get("Idempotent-Replayed"))
	}

	// Every problem at once.
	bad := strings.NewReplacer(`"validUntil":"2043-05-01"`, `"validUntil":"2020-01-01"`, `"litigation":false`, `"litigation":true`,
		`"attachments":["`+cert+`"]`, `"attachments":[]`, `"exhibits":[{"description":"Battery pack with a finned cooling plate","photos":["`+photo+`"]}]`, `"exhibits":[]`,
		`"respondent":`, `"agent":{"name":"Kanzlei Weber"},"respondent":`).Replace(body)
	r = e.do("POST", "/v1/complaints", complainant, bad, "Idempotency-Key", "c-bad")
	if r.status != 422 {
		t.Fatalf("an incomplete complaint: %d %s", r.status, r.body)
	}
	var codes []string
	for _, p := range r.problem(t).Errors {
		codes = append(codes, p.Code)
	}
	for _, want := range []string{"right_certificate_required", "right_not_in_force", "proceedings_pending", "power_of_attorney_required", "exhibit_required"} {
		if !slices.Contains(codes, want) {
			t.Errorf("422 lacks %s: %v", want, codes)
		}
	}

	// Before acceptance the respondent sees nothing.
	wantCode(t, "the respondent before acceptance", e.do("GET", "/v1/complaints/"+c.ID, respondent, ""), 404, "not_found")
	var page struct {
		Items []complaintView `json:"items"`
	}
	e.do("GET", "/v1/complaints?as=respondent", respondent, "").json(t, &page)
	if len(page.Items) != 0 {
		t.Errorf("the respondent's list before acceptance: %d", len(page.Items))
	}
	wantCode(t, "a kiosk accepting", e.do("POST", "/v1/complaints/"+c.ID+"/accept", complainant, ""), 403, "forbidden")
	wantCode(t, "a kiosk deciding", e.do("POST", "/v1/complaints/"+c.ID+"/decision", respondent, `{"outcome":"no_infringement"}`), 403, "forbidden")
	wantCode(t, "an examiner listing", e.do("GET", "/v1/complaints", e.examiner(), ""), 403, "forbidden")
	wantCode(t, "a bad state", e.do("GET", "/v1/complaints?state=lost", officer, ""), 400, "invalid_enum")
	wantCode(t, "a bad as", e.do("GET", "/v1/complaints?as=judge", complainant, ""), 400, "invalid_enum")

	// Supplement, accept.
	wantCode(t, "an unknown missing code", e.do("POST", "/v1/complaints/"+c.ID+"/request-supplement", officer, `{"missing":["brochure"]}`), 422, "validation")
	wantCode(t, "a filing's code", e.do("POST", "/v1/complaints/"+c.ID+"/request-supplement", officer, `{"missing":["nice_class_range"]}`), 422, "validation")
	inc := e.complaintOf(e.do("POST", "/v1/complaints/"+c.ID+"/request-supplement", officer,
		`{"missing":["right_certificate_required"],"note":"The certificate's second page is missing."}`), 200)
	if inc.State != "incomplete" || inc.RespondBy != "2026-06-24T10:00:00+08:00" {
		t.Errorf("incomplete: %s until %s", inc.State, inc.RespondBy)
	}
	cert2 := e.upload(complainant, "right_certificate", "application/pdf", pdfOf(t, 3000))
	if got := e.complaintOf(e.do("POST", "/v1/complaints/"+c.ID+"/supplement", complainant, `{"attachments":["`+cert2+`"]}`), 200); got.State != "submitted" {
		t.Errorf("supplemented: %s", got.State)
	}
	e.clock.Set("2026-06-23T03:00:00Z")
	acc := e.complaintOf(e.do("POST", "/v1/complaints/"+c.ID+"/accept", officer, ""), 200)
	if acc.State != "accepted" || acc.RespondBy != "2026-06-24T11:00:00+08:00" {
		t.Errorf("accepted: %s until %s", acc.State, acc.RespondBy)
	}

	// The respondent: masked, listed, answers once.
	v := e.complaintOf(e.do("GET", "/v1/complaints/"+c.ID, respondent, ""), 200)
	if strings.Contains(v.Complainant.Contact.Email, "anna") || !strings.HasPrefix(v.Complainant.IDNumber, "****") {
		t.Errorf("the respondent sees %+v", v.Complainant)
	}
	e.do("GET", "/v1/complaints?as=respondent", respondent, "").json(t, &page)
	if len(page.Items) != 1 {
		t.Errorf("the respondent's list: %d", len(page.Items))
	}
	link := e.do("GET", "/v1/complaints/"+c.ID+"/attachments/"+v.Exhibits[0].Photos[0], respondent, "")
	var dl struct {
		URL string `json:"url"`
	}
	link.json(t, &dl)
	if got := fetch(t, dl.URL); string(got) != string(photoBytes) {
		t.Errorf("the exhibit photo through its link: %d bytes, want %d", len(got), len(photoBytes))
	}
	wantCode(t, "another kiosk downloading", e.do("GET", "/v1/complaints/"+c.ID+"/attachments/"+photo, e.kiosk("EX-C"), ""), 404, "not_found")
	wantCode(t, "an empty answer", e.do("POST", "/v1/complaints/"+c.ID+"/answer", respondent, `{"statement":" "}`), 422, "validation")
	ans := e.complaintOf(e.do("POST", "/v1/complaints/"+c.ID+"/answer", respondent, `{"statement":"我们的冷却板设计早于该专利的申请日。"}`), 200)
	if ans.State != "answered" || ans.Answer == nil || ans.Answer.Late {
		t.Errorf("answered: %+v", ans)
	}
	wantCode(t, "a second answer", e.do("POST", "/v1/complaints/"+c.ID+"/answer", respondent, `{"statement":"again"}`), 409, "invalid_transition")
	wantCode(t, "withdrawing when answered", e.do("POST", "/v1/complaints/"+c.ID+"/withdraw", complainant, ""), 409, "invalid_transition")

	// The decision.
	wantCode(t, "an infringement without measures", e.do("POST", "/v1/complaints/"+c.ID+"/decision", officer, `{"outcome":"infringement"}`), 422, "validation")
	dec := e.complaintOf(e.do("POST", "/v1/complaints/"+c.ID+"/decision", officer,
		`{"outcome":"infringement","measures":["cover_exhibit"],"note":"Exhibit covered at 14:10."}`), 200)
	var actions []string
	for _, h := range dec.History {
		actions = append(actions, h.Action)
	}
	if dec.State != "decided" || strings.Join(actions, " ") != "submitted supplement_requested supplemented accepted answered decided" {
		t.Errorf("decided: %s, history %v", dec.State, actions)
	}

	// The floor staff's measures, the ledgers, the figures.
	var ms struct {
		Items []struct {
			Booth    string   `json:"booth"`
			Measures []string `json:"measures"`
		} `json:"items"`
	}
	e.do("GET", "/v1/complaints/measures", officer, "").json(t, &ms)
	if len(ms.Items) != 1 || ms.Items[0].Booth != "3C-210" || !slices.Equal(ms.Items[0].Measures, []string{"cover_exhibit"}) {
		t.Errorf("measures: %+v", ms.Items)
	}
	wantCode(t, "a kiosk reading the measures", e.do("GET", "/v1/complaints/measures", respondent, ""), 403, "forbidden")
	var led struct {
		Items []map[string]any `json:"items"`
	}
	e.do("GET", "/v1/complaints/ledger/respondents", supervisor, "").json(t, &led)
	if len(led.Items) != 1 || led.Items[0]["infringements"] != 1.0 || led.Items[0]["booth"] != "3C-210" {
		t.Errorf("respondents' ledger: %v", led.Items)
	}
	e.do("GET", "/v1/complaints/ledger/complainants", officer, "").json(t, &led)
	if len(led.Items) != 1 || led.Items[0]["name"] != "Voltara GmbH" || led.Items[0]["noInfringement"] != 0.0 {
		t.Errorf("complainants' ledger: %v", led.Items)
	}
	var st struct {
		Complaints struct {
			ByState      map[string]int `json:"byState"`
			ForeignShare float64        `json:"foreignShare"`
			Median       float64        `json:"medianAcceptedToDecidedSeconds"`
		} `json:"complaints"`
	}
	e.do("GET", "/v1/stats", supervisor, "").json(t, &st)
	if st.Complaints.ByState["decided"] != 1 || st.Complaints.ForeignShare != 1 {
		t.Errorf("stats: %+v", st.Complaints)
	}
}

// TestComplaintWalkInAndOverdue: an officer registers a walk-in rights holder with the
// officer's own uploads; accepted and unanswered, it reads answer_overdue with the proposed
// measures the second its window ends, and a late answer is marked late.
func TestComplaintWalkInAndOverdue(t *testing.T) {
	e, _ := newFilesEnv(t)
	officer := e.token(filing.Principal{Subject: "officer-1", Role: "officer"})
	respondent := e.token(filing.Principal{Subject: "kiosk-3C-210", Role: "kiosk", Exhibitor: "EX-B", Booth: "3C-210"})
	cert, photo := e.upload(officer, "right_certificate", "application/pdf", pdfOf(t, 2000)), e.upload(officer, "exhibit_photo", "image/jpeg", jpegOf(t, 800, 600, false))
	c := e.complaintOf(e.do("POST", "/v1/complaints", officer, complaintBody(cert, photo), "Idempotency-Key", "walk-in-1"), 201)
	wantCode(t, "a kiosk naming the officer's uploads", e.do("POST", "/v1/complaints", e.kiosk("EX-A"), complaintBody(cert, photo), "Idempotency-Key", "k"), 422, "validation")
	e.complaintOf(e.do("POST", "/v1/complaints/"+c.ID+"/accept", officer, `{"note":"Complete."}`), 200)
	e.clock.Set("2026-06-24T01:59:59Z")
	if got := e.complaintOf(e.do("GET", "/v1/complaints/"+c.ID, officer, ""), 200); got.State != "accepted" {
		t.Errorf("a second before the window ends: %s", got.State)
	}
	e.clock.Set(time.Date(2026, 6, 24, 2, 0, 0, 0, time.UTC).Format(time.RFC3339))
	got := e.complaintOf(e.do("GET", "/v1/complaints/"+c.ID, officer, ""), 200)
	if got.State != "answer_overdue" || len(got.ProposedMeasures) == 0 {
		t.Errorf("when the window ends: %s %v", got.State, got.ProposedMeasures)
	}
	var page struct {
		Items []complaintView `json:"items"`
	}
	e.do("GET", "/v1/complaints?state=answer_overdue", officer, "").json(t, &page)
	if len(page.Items) != 1 {
		t.Errorf("listing answer_overdue: %d", len(page.Items))
	}
	if late := e.complaintOf(e.do("POST", "/v1/complaints/"+c.ID+"/answer", respondent, `{"statement":"Sorry, we were at lunch."}`), 200); late.Answer == nil || !late.Answer.Late {
		t.Errorf("a late answer: %+v", late.Answer)
	}
}

// fetch GETs a URL and returns its body.
func fetch(t *testing.T, url string) []byte {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", url, res.StatusCode, b)
	}
	return b
}

// TestComplaintsAreTenants: complaint numbers are per expo, another expo's complaint is 404
// to its officers and kiosks, and the ledgers span every expo of the deployment (SPEC §14).
func TestComplaintsAreTenants(t *testing.T) {
	e := newTwoExpoEnv(t)
	file := func(p filing.Principal, key string) complaintView {
		t.Helper()
		tok := e.token(p)
		cert := e.upload(tok, "right_certificate", "application/pdf", pdfOf(t, 500))
		photo := e.upload(tok, "exhibit_photo", "image/png", pngOf(t, 640, 480))
		return e.complaintOf(e.do("POST", "/v1/complaints", tok, complaintBody(cert, photo), "Idempotency-Key", key), 201)
	}
	autumnKiosk := filing.Principal{Subject: "kiosk-autumn", Role: "kiosk", Exhibitor: "EX-0001", Booth: "2B-202", Expo: "AUTUMN2026"}
	cisceKiosk := filing.Principal{Subject: "kiosk-cisce", Role: "kiosk", Exhibitor: "EX-0001", Booth: "1A-101"}
	autumn, cisce := file(autumnKiosk, "same-key"), file(cisceKiosk, "same-key")
	if autumn.ComplaintNumber != "AUTUMN2026-CP-000001" || cisce.ComplaintNumber != "CISCE2026-CP-000001" || autumn.ID == cisce.ID {
		t.Errorf("numbers: %s and %s", autumn.ComplaintNumber, cisce.ComplaintNumber)
	}
	cisceOfficer := e.token(filing.Principal{Subject: "officer-1", Role: "officer"})
	autumnOfficer := e.token(filing.Principal{Subject: "officer-2", Role: "officer", Expo: "AUTUMN2026"})
	wantCode(t, "another expo's complaint", e.do("GET", "/v1/complaints/"+autumn.ID, cisceOfficer, ""), 404, "not_found")
	wantCode(t, "another expo's complaint by its kiosk's exhibitor id", e.do("GET", "/v1/complaints/"+cisce.ID, e.token(autumnKiosk), ""), 404, "not_found")
	e.complaintOf(e.do("GET", "/v1/complaints/"+autumn.ID, autumnOfficer, ""), 200)
	var page struct {
		Items []complaintView `json:"items"`
	}
	e.do("GET", "/v1/complaints", autumnOfficer, "").json(t, &page)
	if len(page.Items) != 1 || page.Items[0].ID != autumn.ID {
		t.Errorf("the autumn officer's list: %+v", page.Items)
	}
	var led struct {
		Items []map[string]any `json:"items"`
	}
	e.do("GET", "/v1/complaints/ledger/complainants", cisceOfficer, "").json(t, &led)
	if len(led.Items) != 1 || led.Items[0]["complaints"] != 2.0 {
		t.Errorf("the complainants' ledger spans both expos: %v", led.Items)
	}
}
