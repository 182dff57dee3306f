package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ipfast/ipfast/shared/filing"
	"github.com/ipfast/ipfast/shared/review"
	"github.com/ipfast/ipfast/shared/reviewtest"
)

func (e *env) lease(tok, queue string) (review.Grant, int) {
	e.t.Helper()
	r := e.do("POST", "/v1/queues/"+queue+"/lease", tok, "")
	var g review.Grant
	if r.status == 200 {
		r.json(e.t, &g)
	}
	return g, r.status
}

func (e *env) leaseOK(tok, queue string) review.Grant {
	e.t.Helper()
	g, status := e.lease(tok, queue)
	if status != 200 {
		e.t.Fatalf("lease from %s: %d", queue, status)
	}
	return g
}

func (e *env) decide(tok, id string, body map[string]any) resp {
	b, _ := json.Marshal(body)
	return e.do("POST", "/v1/filings/"+id+"/decision", tok, string(b))
}

func (e *env) fileN(n int) []filing.Filing {
	tok := e.kiosk("EX-0001")
	var out []filing.Filing
	for i := 0; i < n; i++ {
		out = append(out, e.mustFile(tok, fmt.Sprint("r-", i), withMark(fmt.Sprint("MARK", i))))
	}
	return out
}

func TestLeaseExclusivity(t *testing.T) {
	e := newEnv(t)
	const n = 30
	e.fileN(n)
	var mu sync.Mutex
	seen := map[string]int{}
	var wg sync.WaitGroup
	for w := 0; w < 50; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			tok := e.examinerNamed(fmt.Sprint("examiner-", w))
			for {
				g, status := e.lease(tok, "trademark")
				if status == 204 {
					return
				}
				if status != 200 {
					t.Errorf("lease: %d", status)
					return
				}
				mu.Lock()
				seen[g.Filing.ID]++
				mu.Unlock()
			}
		}(w)
	}
	wg.Wait()
	reviewtest.EachLeasedOnce(t, seen, n)
	var qs []filing.QueueStats
	e.do("GET", "/v1/queues", e.examiner(), "").json(t, &qs)
	for _, q := range qs {
		if q.Name == "trademark" && (q.Depth != 0 || q.InFlight != n) {
			t.Errorf("trademark queue after leasing all: %+v", q)
		}
	}
}

func TestLeaseExpiryHandsTheFilingOver(t *testing.T) {
	e := newEnv(t)
	f := e.fileN(1)[0]
	first := e.leaseOK(e.examinerNamed("examiner-a"), "trademark")
	if first.Filing.ID != f.ID || first.Filing.State != "in_review" || first.LeaseToken == "" {
		t.Fatalf("first lease: %+v", first)
	}
	if _, status := e.lease(e.examinerNamed("examiner-b"), "trademark"); status != 204 {
		t.Fatalf("a leased filing was handed out again: %d", status)
	}
	e.clock.Set("2026-06-23T02:16:00Z") // 16 minutes later: the 15-minute lease is over
	second := e.leaseOK(e.examinerNamed("examiner-b"), "trademark")
	if second.Filing.ID != f.ID {
		t.Fatalf("expired lease not handed over: %+v", second)
	}
	r := e.decide(e.examinerNamed("examiner-a"), f.ID, map[string]any{"leaseToken": first.LeaseToken, "outcome": "accept"})
	if p := r.problem(t); r.status != 409 || p.Code != "lease_lost" {
		t.Errorf("decision with the expired lease: %d %s", r.status, r.body)
	}
	r = e.decide(e.examinerNamed("examiner-b"), f.ID, map[string]any{"leaseToken": second.LeaseToken, "outcome": "accept"})
	var got filing.Filing
	r.json(t, &got)
	if r.status != 200 || got.State != "accepted" || got.Decision == nil || got.Decision.Examiner != "examiner-b" {
		t.Fatalf("decision by the new holder: %d %s", r.status, r.body)
	}
	var evs []filing.Event
	e.do("GET", "/v1/filings/"+f.ID+"/history", e.examiner(), "").json(t, &evs)
	var actions []string
	for _, ev := range evs {
		actions = append(actions, ev.Action)
	}
	if want := "filed leased lease_expired leased decided:accept"; strings.Join(actions, " ") != want {
		t.Errorf("history %v, want %s", actions, want)
	}
	// The decided filing's message is gone: nothing more to lease.
	if _, status := e.lease(e.examiner(), "trademark"); status != 204 {
		t.Errorf("decided filing leased again: %d", status)
	}
}

func TestLeaseLostAndTokens(t *testing.T) {
	e := newEnv(t)
	f := e.fileN(1)[0]
	tokA := e.examinerNamed("examiner-a")
	g := e.leaseOK(tokA, "trademark")
	for name, token := range map[string]string{"forged": "not-a-token", "tampered": g.LeaseToken[:len(g.LeaseToken)-2] + "AA", "empty": ""} {
		r := e.decide(tokA, f.ID, map[string]any{"leaseToken": token, "outcome": "accept"})
		if p := r.problem(t); r.status != 409 || p.Code != "lease_lost" {
			t.Errorf("%s token: %d %s", name, r.status, r.body)
		}
	}
	r := e.do("POST", "/v1/filings/"+f.ID+"/extend", tokA, `{"leaseToken":"`+g.LeaseToken+`","seconds":1800}`)
	var ext review.Grant
	r.json(t, &ext)
	if r.status != 200 || ext.LeaseExpiresAt <= g.LeaseExpiresAt {
		t.Errorf("extend: %d %s", r.status, r.body)
	}
	r = e.do("POST", "/v1/filings/"+f.ID+"/release", tokA, `{"leaseToken":"`+g.LeaseToken+`"}`)
	var rel filing.Filing
	r.json(t, &rel)
	if r.status != 200 || rel.State != "queued" {
		t.Fatalf("release: %d %s", r.status, r.body)
	}
	if r := e.decide(tokA, f.ID, map[string]any{"leaseToken": g.LeaseToken, "outcome": "accept"}); r.status != 409 {
		t.Errorf("decision after release: %d", r.status)
	}
	// Released: someone else leases it at once.
	if g2 := e.leaseOK(e.examinerNamed("examiner-b"), "trademark"); g2.Filing.ID != f.ID {
		t.Errorf("released filing not leased again")
	}
	for _, body := range []string{`{"leaseToken":"x","outcome":"maybe"}`, `{"leaseToken":"x","outcome":"reject"}`,
		`{"leaseToken":"x","outcome":"reject","reasons":[{"code":"too_ugly"}]}`} {
		if r := e.do("POST", "/v1/filings/"+f.ID+"/decision", tokA, body); r.status != 422 {
			t.Errorf("bad decision %s: %d %s", body, r.status, r.body)
		}
	}
	if r := e.do("POST", "/v1/queues/nope/lease", tokA, ""); r.status != 404 {
		t.Errorf("unknown queue: %d", r.status)
	}
	if r := e.do("POST", "/v1/queues/trademark/lease?wait=21", tokA, ""); r.status != 400 {
		t.Errorf("wait over 20: %d", r.status)
	}
	if r := e.do("POST", "/v1/queues/trademark/lease", e.kiosk("EX-0001"), ""); r.status != 403 {
		t.Errorf("kiosk leasing: %d", r.status)
	}
}

func TestPersonalDataForTheLeaseHolderOnly(t *testing.T) {
	e := newEnv(t)
	f := e.fileN(1)[0]
	holder := e.examinerNamed("examiner-a")
	g := e.leaseOK(holder, "trademark")
	if g.Filing.Applicants[0].IDNumber != "91350900587527783P" || g.Filing.Contact.Email != "li.wei@example.com" {
		t.Errorf("lease holder sees masked data: %+v", g.Filing.Contact)
	}
	if g.Filing.Lease == nil || g.Filing.Lease.Examiner != "examiner-a" {
		t.Errorf("lease not shown to its holder: %+v", g.Filing.Lease)
	}
	var mine, other filing.Filing
	e.do("GET", "/v1/filings/"+f.ID, holder, "").json(t, &mine)
	e.do("GET", "/v1/filings/"+f.ID, e.examinerNamed("examiner-b"), "").json(t, &other)
	if mine.Contact.Email != "li.wei@example.com" || other.Contact.Email != "****.com" || other.Applicants[0].IDNumber != "****783P" {
		t.Errorf("holder %+v, other %+v", mine.Contact, other.Contact)
	}
	raw := e.do("GET", "/v1/filings/"+f.ID, holder, "").body
	if strings.Contains(string(raw), "tokenHash") || strings.Contains(string(raw), "receipt") || strings.Contains(string(raw), g.LeaseToken) {
		t.Errorf("lease secrets shown: %s", raw)
	}
	var k filing.Filing
	e.do("GET", "/v1/filings/"+f.ID, e.kiosk("EX-0001"), "").json(t, &k)
	if k.Lease != nil || k.State != "in_review" {
		t.Errorf("kiosk view: %+v", k)
	}
}

func TestStaleAndPoisonMessages(t *testing.T) {
	e := newEnv(t)
	tok := e.kiosk("EX-0001")
	withdrawn := e.mustFile(tok, "w", withMark("GONE"))
	if r := e.do("POST", "/v1/filings/"+withdrawn.ID+"/withdraw", tok, ""); r.status != 200 {
		t.Fatal(r.status)
	}
	// A message whose filing does not exist (poison).
	if err := e.db.Send(context.Background(), filing.ExpoQueue("CISCE2026", "trademark"), filing.Message{FilingID: "fil_doesnotexist"}); err != nil {
		t.Fatal(err)
	}
	live := e.mustFile(tok, "l", withMark("LIVE"))
	g := e.leaseOK(e.examiner(), "trademark")
	if g.Filing.ID != live.ID {
		t.Fatalf("leased %s, want the live filing %s (withdrawn and poison skipped)", g.Filing.ID, live.ID)
	}
	// The poison message went back; after the receive limit it is in the dead letters.
	for i := 0; i < 6; i++ {
		if _, status := e.lease(e.examiner(), "trademark"); status != 204 {
			t.Fatalf("lease %d: %d", i, status)
		}
	}
	var qs []filing.QueueStats
	e.do("GET", "/v1/queues", e.examiner(), "").json(t, &qs)
	dead := -1
	for _, q := range qs {
		if q.Name == "trademark" {
			dead = q.DeadLetters
		}
	}
	if dead != 1 {
		t.Errorf("dead letters %d, want 1: %+v", dead, qs)
	}
}

func TestRequestCorrectionSetsRespondBy(t *testing.T) {
	e := newEnv(t)
	f := e.fileN(1)[0]
	tok := e.examiner()
	g := e.leaseOK(tok, "trademark")
	r := e.decide(tok, f.ID, map[string]any{"leaseToken": g.LeaseToken, "outcome": "request_correction",
		"reasons": []map[string]string{{"code": "class_term_unacceptable", "field": "/trademark/classes/0/terms/0", "note": "too vague"}},
		"note":    "please restate the goods"})
	var got filing.Filing
	r.json(t, &got)
	// Decided on 2026-06-23: 30 days → 2026-07-23, a Thursday.
	if r.status != 200 || got.State != "correction_requested" || got.RespondBy != "2026-07-23" || len(got.Decision.Reasons) != 1 {
		t.Fatalf("request correction: %d %s", r.status, r.body)
	}
	var evs []filing.Event
	e.do("GET", "/v1/filings/"+f.ID+"/history", e.kiosk("EX-0001"), "").json(t, &evs)
	last := evs[len(evs)-1]
	if last.ToState != "correction_requested" || last.Actor != "examiner-1" || len(last.Reasons) != 1 || last.Note == "" {
		t.Errorf("history of the decision: %+v", last)
	}
	_ = time.Second
}

func TestCorrectionRoundTrip(t *testing.T) {
	e := newEnv(t)
	kiosk := e.kiosk("EX-0001")
	f := e.mustFile(kiosk, "orig", trademark)
	ex := e.examinerNamed("examiner-a")
	g := e.leaseOK(ex, "trademark")
	if r := e.decide(ex, f.ID, map[string]any{"leaseToken": g.LeaseToken, "outcome": "request_correction",
		"reasons": []map[string]string{{"code": "class_term_unacceptable", "note": "name the goods"}}}); r.status != 200 {
		t.Fatalf("request correction: %d %s", r.status, r.body)
	}
	e.clock.Set("2026-06-24T01:00:00Z") // the next morning, the exhibitor answers
	kiosk = e.kiosk("EX-0001")
	amended := strings.Replace(trademark, `["Batteries, electric"]`, `["Batteries, electric","Battery chargers"]`, 1)
	r := e.do("POST", "/v1/filings/"+f.ID+"/amendments", kiosk, amended, "Idempotency-Key", "amend-1")
	var a filing.Filing
	r.json(t, &a)
	if r.status != 200 || a.State != "queued" || a.FilingNumber != f.FilingNumber || a.FilingDate != f.FilingDate ||
		a.FiledAt != f.FiledAt || a.Queue != f.Queue || len(a.Trademark.Classes[0].Terms) != 2 || a.RespondBy != "" {
		t.Fatalf("amendment: %d %s", r.status, r.body)
	}
	// A retry returns the same; another body under the key is refused; a queued filing cannot be amended.
	if r := e.do("POST", "/v1/filings/"+f.ID+"/amendments", kiosk, amended, "Idempotency-Key", "amend-1"); r.status != 200 {
		t.Errorf("amendment retry: %d %s", r.status, r.body)
	}
	if r := e.do("POST", "/v1/filings/"+f.ID+"/amendments", kiosk, trademark, "Idempotency-Key", "amend-1"); r.status != 422 {
		t.Errorf("amendment key reused: %d %s", r.status, r.body)
	}
	if r := e.do("POST", "/v1/filings/"+f.ID+"/amendments", kiosk, trademark, "Idempotency-Key", "amend-2"); r.status != 409 {
		t.Errorf("amending a queued filing: %d %s", r.status, r.body)
	}
	if r := e.do("POST", "/v1/filings/"+f.ID+"/amendments", e.kiosk("EX-0002"), amended, "Idempotency-Key", "x"); r.status != 404 {
		t.Errorf("another exhibitor amending: %d", r.status)
	}
	// Back in the same queue: leased again and accepted.
	g2 := e.leaseOK(e.examinerNamed("examiner-b"), "trademark")
	if g2.Filing.ID != f.ID || len(g2.Filing.Trademark.Classes[0].Terms) != 2 {
		t.Fatalf("amended filing not back in its queue: %+v", g2.Filing.ID)
	}
	if r := e.decide(e.examinerNamed("examiner-b"), f.ID, map[string]any{"leaseToken": g2.LeaseToken, "outcome": "accept"}); r.status != 200 {
		t.Fatalf("accept after amendment: %d %s", r.status, r.body)
	}
	var evs []filing.Event
	e.do("GET", "/v1/filings/"+f.ID+"/history", kiosk, "").json(t, &evs)
	var steps []string
	for _, ev := range evs {
		steps = append(steps, ev.Action+"/"+ev.Actor+"/"+string(ev.ToState))
	}
	want := "filed/kiosk-EX-0001/queued leased/examiner-a/in_review decided:request_correction/examiner-a/correction_requested " +
		"amended/kiosk-EX-0001/queued leased/examiner-b/in_review decided:accept/examiner-b/accepted"
	if strings.Join(steps, " ") != want {
		t.Errorf("history:\n%s\nwant\n%s", strings.Join(steps, " "), want)
	}
	if len(evs[2].Reasons) != 1 || evs[2].Reasons[0].Code != "class_term_unacceptable" {
		t.Errorf("reasons not in history: %+v", evs[2])
	}
}

func TestSupervisorStats(t *testing.T) {
	e := newEnv(t)
	e.fileN(3)
	ex := e.examiner()
	for i, outcome := range []string{"accept", "reject"} {
		e.clock.Set(fmt.Sprintf("2026-06-23T%02d:00:00Z", 3+i)) // decided after 1 h and 2 h
		g := e.leaseOK(e.examinerNamed("examiner-x"), "trademark")
		body := map[string]any{"leaseToken": g.LeaseToken, "outcome": outcome}
		if outcome == "reject" {
			body["reasons"] = []map[string]string{{"code": "mark_unclear"}}
		}
		if r := e.decide(e.examinerNamed("examiner-x"), g.Filing.ID, body); r.status != 200 {
			t.Fatalf("decide: %d %s", r.status, r.body)
		}
	}
	_ = e.db.Send(context.Background(), filing.ExpoQueue("CISCE2026", "trademark"), filing.Message{FilingID: "fil_poison"})
	for i := 0; i < 7; i++ {
		e.lease(ex, "trademark")
	}
	sup := e.token(filing.Principal{Subject: "supervisor-1", Role: "supervisor"})
	if r := e.do("GET", "/v1/stats", ex, ""); r.status != 403 {
		t.Errorf("examiner reading stats: %d", r.status)
	}
	var st struct {
		States      map[string]int `json:"states"`
		Decided     int            `json:"decided"`
		Median      float64        `json:"medianSecondsToDecision"`
		P95         float64        `json:"p95SecondsToDecision"`
		DeadLetters int            `json:"deadLetters"`
		Queues      []struct {
			Name        string         `json:"name"`
			States      map[string]int `json:"states"`
			Decided     int            `json:"decided"`
			DeadLetters int            `json:"deadLetters"`
			P95         float64        `json:"p95SecondsToDecision"`
		} `json:"queues"`
	}
	r := e.do("GET", "/v1/stats", sup, "")
	r.json(t, &st)
	// The third filing was leased by the poison-draining examiner: in review.
	if r.status != 200 || st.States["accepted"] != 1 || st.States["rejected"] != 1 || st.States["in_review"]+st.States["queued"] != 1 ||
		st.Decided != 2 || st.Median != 3600 || st.P95 != 7200 || st.DeadLetters != 1 {
		t.Fatalf("stats: %d %s", r.status, r.body)
	}
	for _, q := range st.Queues {
		if q.Name == "trademark" && (q.Decided != 2 || q.States["accepted"] != 1 || q.DeadLetters != 1 || q.P95 != 7200) {
			t.Errorf("trademark queue: %+v", q)
		}
	}
}

// TestStolenLeaseTokenOverHTTP: a lease token presented by another examiner or a supervisor is
// 409 lease_lost for decide, extend and release, and neither the filing nor its history moves.
func TestStolenLeaseTokenOverHTTP(t *testing.T) {
	e := newEnv(t)
	f := e.fileN(1)[0]
	g := e.leaseOK(e.examinerNamed("examiner-1"), "trademark")
	before := e.do("GET", "/v1/filings/"+f.ID+"/history", e.examinerNamed("examiner-1"), "")
	for _, thief := range []string{e.examinerNamed("examiner-2"), e.token(filing.Principal{Subject: "supervisor-1", Role: "supervisor"})} {
		for _, r := range []resp{
			e.decide(thief, f.ID, map[string]any{"leaseToken": g.LeaseToken, "outcome": "reject", "reasons": []map[string]string{{"code": "other"}}}),
			e.do("POST", "/v1/filings/"+f.ID+"/extend", thief, fmt.Sprintf(`{"leaseToken":%q,"seconds":600}`, g.LeaseToken)),
			e.do("POST", "/v1/filings/"+f.ID+"/release", thief, fmt.Sprintf(`{"leaseToken":%q}`, g.LeaseToken)),
		} {
			if r.status != 409 || r.problem(t).Code != "lease_lost" {
				t.Errorf("stolen token: %d %s", r.status, r.body)
			}
		}
	}
	after := e.do("GET", "/v1/filings/"+f.ID+"/history", e.examinerNamed("examiner-1"), "")
	if string(after.body) != string(before.body) {
		t.Errorf("history changed:\n%s\n%s", before.body, after.body)
	}
	var now filing.Filing
	e.do("GET", "/v1/filings/"+f.ID, e.examinerNamed("examiner-1"), "").json(t, &now)
	if now.State != filing.StateInReview || now.Version != g.Filing.Version || now.Decision != nil {
		t.Errorf("filing changed: %s v%d", now.State, now.Version)
	}
	if r := e.decide(e.examinerNamed("examiner-1"), f.ID, map[string]any{"leaseToken": g.LeaseToken, "outcome": "accept"}); r.status != 200 {
		t.Errorf("the holder's decision: %d %s", r.status, r.body)
	}
}

// TestReasonsApplyToTheFilingsType: a reason that does not apply to the filing's type (a
// design's views for a trademark) is 422 invalid_enum at its pointer, and nothing changes.
func TestReasonsApplyToTheFilingsType(t *testing.T) {
	e := newEnv(t)
	e.fileN(1)
	ex := e.examiner()
	g := e.leaseOK(ex, "trademark")
	r := e.decide(ex, g.Filing.ID, map[string]any{"leaseToken": g.LeaseToken, "outcome": "reject",
		"reasons": []map[string]string{{"code": "views_unclear"}}})
	if p := r.problem(t); r.status != 422 || len(p.Errors) != 1 || p.Errors[0].Field != "/reasons/0/code" || p.Errors[0].Code != "invalid_enum" ||
		false {
		t.Fatalf("a design's reason on a trademark: %d %s", r.status, r.body)
	}
	var f filing.Filing
	e.do("GET", "/v1/filings/"+g.Filing.ID, ex, "").json(t, &f)
	if f.State != filing.StateInReview || f.Version != g.Filing.Version {
		t.Errorf("the refused decision changed the filing: %s v%d", f.State, f.Version)
	}
	if r := e.decide(ex, g.Filing.ID, map[string]any{"leaseToken": g.LeaseToken, "outcome": "reject",
		"reasons": []map[string]string{{"code": "mark_unclear"}}}); r.status != 200 {
		t.Errorf("a trademark's reason: %d %s", r.status, r.body)
	}
}

// TestExaminerSearch: GET /v1/filings for examiners and supervisors searches the whole expo
// (SPEC §5) by number, applicant, mark and booth, with filters, pages and masked personal
// data; a kiosk still lists only its own filings; bad parameters are 400 with the parameter.
func TestExaminerSearch(t *testing.T) {
	e := newEnv(t)
	a := e.token(filing.Principal{Subject: "kiosk-a", Role: "kiosk", Exhibitor: "EX-0001", Booth: "3C-210"})
	b := e.token(filing.Principal{Subject: "kiosk-b", Role: "kiosk", Exhibitor: "EX-0002", Booth: "5D-001"})
	fa := e.mustFile(a, "a1", withMark("Blitzwerk"))
	e.clock.Set("2026-06-23T02:01:00Z") // a minute later: newest first is fb, fa
	fb := e.mustFile(b, "b1", strings.Replace(withMark("Orbit"), `"name":"CATL"`, `"name":"Hans Müller GmbH"`, 1))
	ex := e.examiner()
	search := func(tok, query string) (filing.Page, resp) {
		t.Helper()
		r := e.do("GET", "/v1/filings"+query, tok, "")
		var p filing.Page
		if r.status == 200 {
			r.json(t, &p)
		}
		return p, r
	}
	for query, want := range map[string]string{
		"?q=" + fa.FilingNumber:  fa.ID,
		"?q=" + fb.FilingNumber:  fb.ID,
		"?q=muller":              fb.ID,
		"?q=Hans%20M":            fb.ID,
		"?q=3C-210":              fa.ID,
		"?q=5d":                  fb.ID,
		"?q=blitz":               fa.ID,
		"?q=catl&kind=trademark": fa.ID,
	} {
		p, r := search(ex, query)
		if r.status != 200 || len(p.Items) != 1 || p.Items[0].ID != want {
			t.Errorf("GET /v1/filings%s: %d %s", query, r.status, r.body)
			continue
		}
		if got := p.Items[0]; got.Contact == nil || !strings.HasPrefix(got.Contact.Email, "****") ||
			!strings.HasPrefix(got.Applicants[0].IDNumber, "****") || !strings.HasPrefix(got.StatusURL, "http") {
			t.Errorf("%s: personal data not masked or no status link: %+v %+v", query, got.Contact, got.Applicants)
		}
	}
	sup := e.token(filing.Principal{Subject: "supervisor-1", Role: "supervisor"})
	if p, r := search(sup, "?limit=1"); r.status != 200 || len(p.Items) != 1 || p.Items[0].ID != fb.ID || p.NextCursor == "" {
		t.Errorf("supervisor, newest first: %d %s", r.status, r.body)
	} else if p2, r := search(sup, "?limit=1&cursor="+p.NextCursor); r.status != 200 || len(p2.Items) != 1 || p2.Items[0].ID != fa.ID {
		t.Errorf("second page: %d %s", r.status, r.body)
	}
	for _, query := range []string{"?state=accepted", "?queue=patent-design", "?kind=design", "?from=2026-07-01", "?q=nothing-like-it"} {
		if p, r := search(ex, query); r.status != 200 || len(p.Items) != 0 {
			t.Errorf("%s: %d %s", query, r.status, r.body)
		}
	}
	for query, param := range map[string]string{"?state=done": "state", "?kind=car": "kind", "?from=22.06.2026": "from",
		"?to=tomorrow": "to", "?limit=0": "limit", "?cursor=%21%21": ""} {
		_, r := search(ex, query)
		if p := r.problem(t); r.status != 400 || (param != "" && (len(p.Errors) != 1 || p.Errors[0].Field != param)) {
			t.Errorf("%s: %d %s", query, r.status, r.body)
		}
	}
	// A kiosk's GET /v1/filings is still its own filings, whatever q says.
	if p, r := search(a, "?q=muller"); r.status != 200 || len(p.Items) != 1 || p.Items[0].ID != fa.ID {
		t.Errorf("kiosk list: %d %s", r.status, r.body)
	}
}
