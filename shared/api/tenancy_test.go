package api_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ipfast/ipfast/shared/api"
	"github.com/ipfast/ipfast/shared/auth"
	"github.com/ipfast/ipfast/shared/docapi"
	"github.com/ipfast/ipfast/shared/embedded"
	"github.com/ipfast/ipfast/shared/filing"
)

// newTwoExpoEnv serves a deployment of two expos: the built-in CISCE2026 (the default) and
// AUTUMN2026, whose name and dates are its own.
func newTwoExpoEnv(t *testing.T) *env {
	t.Helper()
	expo, err := filing.ParseExpo([]byte(`{"limits":{"requestsPerSecond":0},"expos":[{},
		{"id":"AUTUMN2026","filingNumberPrefix":"AUTUMN2026","name":"Autumn Supply Chain Fair 2026","nameZh":"2026秋季供应链博览会",
		 "startDate":"2026-06-20","endDate":"2026-06-28","review":{"leaseMinutes":30}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	c := &filing.ManualClock{}
	c.Set(expoMorning)
	db, err := embedded.Open(filepath.Join(t.TempDir(), "ipfast.db"), embedded.Options{Queues: expo.AllQueues(), Clock: c})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	files, err := embedded.OpenFiles(filepath.Join(t.TempDir(), "blobs"), "/blobs", []byte("blob-secret"), c)
	if err != nil {
		t.Fatal(err)
	}
	// The composition serve and the API function use, with the local blob store.
	s := api.NewServer(expo, api.Backend{Store: db, Queue: db, Blobs: files, Clock: c}, auth.NewVerifier(secret, c.Now).ForExpos(expo),
		slog.New(slog.NewJSONHandler(io.Discard, nil)), "")
	mux := http.NewServeMux()
	mux.Handle("/blobs", files.Handler())
	s.Extra = docapi.Receipts(s) // the receipt is the documents function's
	mux.Handle("/", s.Handler())
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return &env{t: t, srv: srv, clock: c, db: db, svc: s.Intake}
}

// TestExposAreTenants: over HTTP, each token's expo claim scopes what it sees and does; a
// token without it is the default expo's, a token of an expo the deployment does not serve is
// 401; the same exhibitor id and Idempotency-Key in two expos are two filings with each
// expo's own numbers; another expo's filing, history, receipt and queue are out of reach.
func TestExposAreTenants(t *testing.T) {
	e := newTwoExpoEnv(t)
	cisceKiosk := e.kiosk("EX-0001")
	autumnKiosk := e.token(filing.Principal{Subject: "kiosk-autumn", Role: "kiosk", Exhibitor: "EX-0001", Booth: "2B-202", Expo: "AUTUMN2026"})
	cisceExaminer := e.examiner()
	autumnExaminer := e.token(filing.Principal{Subject: "examiner-autumn", Role: "examiner", Expo: "AUTUMN2026"})
	autumnSupervisor := e.token(filing.Principal{Subject: "supervisor-autumn", Role: "supervisor", Expo: "AUTUMN2026"})
	stranger := e.token(filing.Principal{Subject: "kiosk-x", Role: "kiosk", Exhibitor: "EX-0001", Booth: "1A-1", Expo: "SPRING2027"})

	// GET /v1/expo: the caller's expo; without a token, or with ?id=, as asked.
	for tok, want := range map[string]string{"": "CISCE2026", cisceKiosk: "CISCE2026", autumnKiosk: "AUTUMN2026", autumnExaminer: "AUTUMN2026"} {
		var x struct {
			ID   string `json:"id"`
			Name string `json:"name"`
		}
		r := e.do("GET", "/v1/expo", tok, "")
		r.json(t, &x)
		if r.status != 200 || x.ID != want || r.header.Get("Vary") != "Authorization" {
			t.Errorf("GET /v1/expo as %s…: %d %s, want %s", tok[:min(len(tok), 8)], r.status, x.ID, want)
		}
	}
	if r := e.do("GET", "/v1/expo?id=AUTUMN2026", cisceKiosk, ""); r.status != 200 || !strings.Contains(string(r.body), "Autumn Supply Chain Fair") {
		t.Errorf("?id= names the expo whatever the token: %d %s", r.status, r.body)
	}
	if r := e.do("GET", "/v1/filings", stranger, ""); r.status != http.StatusUnauthorized {
		t.Errorf("a token of an expo this deployment does not serve: %d, want 401", r.status)
	}

	cisce := e.mustFile(cisceKiosk, "same-key", withMark("LUMEN"))
	autumn := e.mustFile(autumnKiosk, "same-key", withMark("LUMEN"))
	if cisce.ID == autumn.ID || cisce.FilingNumber != "CISCE2026-TM-000001" || autumn.FilingNumber != "AUTUMN2026-TM-000001" ||
		cisce.Expo != "CISCE2026" || autumn.Expo != "AUTUMN2026" {
		t.Fatalf("the same key in two expos: %s %s / %s %s", cisce.ID, cisce.FilingNumber, autumn.ID, autumn.FilingNumber)
	}
	// Reads across expos are 404, to kiosks (same exhibitor id), examiners and supervisors.
	for _, c := range []struct {
		tok, path string
	}{
		{cisceKiosk, "/v1/filings/" + autumn.ID},
		{cisceKiosk, "/v1/filings/" + autumn.ID + "/history"},
		{cisceKiosk, "/v1/filings/" + autumn.ID + "/receipt"},
		{autumnKiosk, "/v1/filings/" + cisce.ID},
		{cisceExaminer, "/v1/filings/" + autumn.ID},
		{autumnExaminer, "/v1/filings/" + cisce.ID + "/history"},
		{autumnSupervisor, "/v1/filings/" + cisce.ID},
	} {
		if r := e.do("GET", c.path, c.tok, ""); r.status != http.StatusNotFound {
			t.Errorf("GET %s across expos: %d, want 404", c.path, r.status)
		}
	}
	if r := e.do("POST", "/v1/filings/"+cisce.ID+"/withdraw", autumnKiosk, ""); r.status != http.StatusNotFound {
		t.Errorf("withdraw across expos: %d, want 404", r.status)
	}
	var page filing.Page
	e.do("GET", "/v1/filings", autumnKiosk, "").json(t, &page)
	if len(page.Items) != 1 || page.Items[0].ID != autumn.ID {
		t.Errorf("the autumn kiosk's list: %+v", page.Items)
	}
	// The receipt shows its own expo.
	if r := e.do("GET", "/v1/filings/"+autumn.ID+"/receipt", autumnKiosk, "", "Accept", "text/html"); r.status != 200 ||
		!strings.Contains(string(r.body), "Autumn Supply Chain Fair 2026") || strings.Contains(string(r.body), "China International Supply Chain Expo") {
		t.Errorf("the autumn receipt does not name its expo: %d", r.status)
	}
	// Each expo's examiner leases from its own queue only.
	g := e.leaseOK(autumnExaminer, "trademark")
	if g.Filing.ID != autumn.ID || g.LeaseExpiresAt != "2026-06-23T10:30:00+08:00" {
		t.Errorf("the autumn examiner leased %s until %s (its expo leases for 30 minutes)", g.Filing.ID, g.LeaseExpiresAt)
	}
	if _, st := e.lease(autumnExaminer, "trademark"); st != http.StatusNoContent {
		t.Errorf("a second autumn lease: %d, want 204 (the CISCE filing is not in its queue)", st)
	}
	if r := e.decide(cisceExaminer, autumn.ID, map[string]any{"leaseToken": g.LeaseToken, "outcome": "accept"}); r.status != http.StatusNotFound {
		t.Errorf("a CISCE examiner deciding an autumn filing with its lease token: %d, want 404", r.status)
	}
	if g2 := e.leaseOK(cisceExaminer, "trademark"); g2.Filing.ID != cisce.ID || g2.LeaseExpiresAt != "2026-06-23T10:15:00+08:00" {
		t.Errorf("the CISCE examiner leased %s until %s", g2.Filing.ID, g2.LeaseExpiresAt)
	}
	var st struct {
		States map[string]int `json:"states"`
	}
	e.do("GET", "/v1/stats", autumnSupervisor, "").json(t, &st)
	if st.States["in_review"] != 1 || st.States["queued"] != 0 {
		t.Errorf("autumn stats: %v", st.States)
	}
}
