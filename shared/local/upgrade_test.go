package local_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ipfast/ipfast/shared/auth"
	"github.com/ipfast/ipfast/shared/filing"
	"github.com/ipfast/ipfast/shared/local"
)

// The fixture testdata/layout1 is a data dir written by the revision-1 code (commit 8f062ae,
// before expos were tenants): three trademarks of exhibitor EX-0001 filed under the keys k1,
// k2, k3 (LUMEN, HALO, NOVA) at 10:00 on 23 June 2026 in Beijing; the first decided
// request_correction, the second leased by examiner-a (the lease token is in embedded.json),
// the third queued; and a pending upload of EX-0001.
type fixture struct {
	Filings    []string `json:"filings"`
	LeaseToken string   `json:"leaseToken"`
	Upload     string   `json:"upload"`
}

func body(mark string) string {
	return `{"kind":"trademark","trademark":{"markType":"word","markText":"` + mark + `","classes":[{"class":9,"terms":["Batteries"]}]},
	"applicants":[{"name":"Ningbo Lights Co., Ltd.","kind":"organization","nationality":"CN","domicile":"CN","address":"Ningbo, Zhejiang"}],
	"contact":{"name":"Li Wei","email":"li@example.com"},"language":"en"}`
}

// TestRevision1DataDirIsServed opens a copy of the revision-1 data dir with today's `serve`
// composition (two expos configured) and uses it over HTTP: every filing, its history, the
// kiosk's list, idempotent replay of a request sent before the upgrade, the next number, the
// examiner's lease held across the upgrade, the queued filing's message, the pending upload;
// and the second expo sees none of it.
func TestRevision1DataDirIsServed(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"ipfast.db", auth.SecretFile} {
		b, err := os.ReadFile(filepath.Join("testdata", "layout1", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	var fx fixture
	b, err := os.ReadFile(filepath.Join("testdata", "layout1", "embedded.json"))
	if err != nil || json.Unmarshal(b, &fx) != nil || len(fx.Filings) != 3 {
		t.Fatalf("fixture: %v", err)
	}
	cfg := filepath.Join(t.TempDir(), "expos.json")
	if err := os.WriteFile(cfg, []byte(`{"limits":{"requestsPerSecond":0},"expos":[{},
		{"id":"AUTUMN2026","filingNumberPrefix":"AUTUMN2026","startDate":"2026-10-15","endDate":"2026-10-19"}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("IPFAST_TOKEN_SECRET", "")
	c := &filing.ManualClock{}
	c.Set("2026-06-23T02:05:00Z") // five minutes after the fixture: examiner-a's lease still runs
	d, err := local.Open(context.Background(), local.Options{DataDir: dir, ConfigPath: cfg, Clock: c})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	srv := httptest.NewServer(d.Handler)
	defer srv.Close()
	token := func(p filing.Principal) string {
		tok, err := auth.Sign(d.Secret, p, c.Now(), time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	kiosk := token(filing.Principal{Subject: "kiosk-EX-0001", Role: filing.RoleKiosk, Exhibitor: "EX-0001", Booth: "3C-210"})
	autumn := token(filing.Principal{Subject: "kiosk-autumn", Role: filing.RoleKiosk, Exhibitor: "EX-0001", Booth: "1A-1", Expo: "AUTUMN2026"})
	examinerA := token(filing.Principal{Subject: "examiner-a", Role: filing.RoleExaminer})
	examinerB := token(filing.Principal{Subject: "examiner-b", Role: filing.RoleExaminer, Expo: "CISCE2026"})
	do := func(method, path, tok, key, payload string, into any) int {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(payload))
		req.Header.Set("Authorization", "Bearer "+tok)
		if payload != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		if key != "" {
			req.Header.Set("Idempotency-Key", key)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		raw, _ := io.ReadAll(res.Body)
		if into != nil && json.Unmarshal(raw, into) != nil {
			t.Errorf("%s %s: %d %s", method, path, res.StatusCode, raw)
		}
		return res.StatusCode
	}

	want := map[string]string{fx.Filings[0]: "correction_requested", fx.Filings[1]: "in_review", fx.Filings[2]: "queued"}
	for i, id := range fx.Filings {
		var f filing.Filing
		if st := do("GET", "/v1/filings/"+id, kiosk, "", "", &f); st != 200 || string(f.State) != want[id] ||
			f.FilingNumber != "CISCE2026-TM-00000"+string(rune('1'+i)) {
			t.Errorf("filing %d after the upgrade: %d %s %s", i+1, st, f.State, f.FilingNumber)
		}
		var evs []filing.Event
		if st := do("GET", "/v1/filings/"+id+"/history", kiosk, "", "", &evs); st != 200 || len(evs) == 0 {
			t.Errorf("history %d: %d %d events", i+1, st, len(evs))
		}
		if st := do("GET", "/v1/filings/"+id, autumn, "", "", nil); st != 404 {
			t.Errorf("filing %d from the other expo's kiosk: %d, want 404", i+1, st)
		}
	}
	var page filing.Page
	if st := do("GET", "/v1/filings", kiosk, "", "", &page); st != 200 || len(page.Items) != 3 {
		t.Errorf("list: %d, %d items", st, len(page.Items))
	}
	if st := do("GET", "/v1/filings", autumn, "", "", &page); st != 200 || len(page.Items) != 0 {
		t.Errorf("the other expo's list: %d, %d items", st, len(page.Items))
	}
	// The old filings are searchable and counted (layout 3 builds the index on opening).
	if st := do("GET", "/v1/filings?q=CISCE2026-TM-000002", examinerB, "", "", &page); st != 200 || len(page.Items) != 1 || page.Items[0].ID != fx.Filings[1] {
		t.Errorf("examiner search after the upgrade: %d %+v", st, page.Items)
	}
	var stats struct {
		States map[string]int `json:"states"`
	}
	sup := token(filing.Principal{Subject: "sup", Role: filing.RoleSupervisor})
	if st := do("GET", "/v1/stats", sup, "", "", &stats); st != 200 || stats.States["queued"] != 1 || stats.States["in_review"] != 1 || stats.States["correction_requested"] != 1 {
		t.Errorf("stats after the upgrade: %d %+v", st, stats)
	}
	// A kiosk retrying the request it sent before the upgrade gets its filing back.
	var f filing.Filing
	if st := do("POST", "/v1/filings", kiosk, "k3", body("NOVA"), &f); st != 201 || f.ID != fx.Filings[2] || f.FilingNumber != "CISCE2026-TM-000003" {
		t.Errorf("replay of k3: %d %s %s, want the filing %s again", st, f.ID, f.FilingNumber, fx.Filings[2])
	}
	if st := do("POST", "/v1/filings", kiosk, "k4", body("ORBIT"), &f); st != 201 || f.FilingNumber != "CISCE2026-TM-000004" {
		t.Errorf("next filing: %d %s", st, f.FilingNumber)
	}
	// The same key in the other expo is that expo's own first filing.
	if st := do("POST", "/v1/filings", autumn, "k3", body("NOVA"), &f); st != 201 || f.FilingNumber != "AUTUMN2026-TM-000001" {
		t.Errorf("k3 in the other expo: %d %s", st, f.FilingNumber)
	}
	// examiner-a's lease, taken before the upgrade, still decides.
	var decided filing.Filing
	if st := do("POST", "/v1/filings/"+fx.Filings[1]+"/decision", examinerA, "",
		`{"leaseToken":"`+fx.LeaseToken+`","outcome":"accept"}`, &decided); st != 200 || decided.State != filing.StateAccepted {
		t.Errorf("decision under the old lease: %d %s", st, decided.State)
	}
	// The queued filing's message moved to the expo's queue: it is leased first, then the new one.
	for _, wantID := range []string{fx.Filings[2], ""} {
		var g struct {
			Filing filing.Filing `json:"filing"`
		}
		st := do("POST", "/v1/queues/trademark/lease?wait=0", examinerB, "", "", &g)
		if wantID != "" && (st != 200 || g.Filing.ID != wantID) {
			t.Errorf("lease: %d %s, want %s", st, g.Filing.ID, wantID)
		}
		if wantID == "" && (st != 200 || g.Filing.FilingNumber != "CISCE2026-TM-000004") {
			t.Errorf("second lease: %d %s", st, g.Filing.FilingNumber)
		}
	}
	// The pending upload is the expo's.
	ctx := context.Background()
	if u, err := d.Service.Store.GetUpload(ctx, "CISCE2026", fx.Upload); err != nil || u.Exhibitor != "EX-0001" {
		t.Errorf("upload: %+v %v", u, err)
	}
	if n, _, err := d.Service.Store.PendingUploads(ctx, "CISCE2026", "EX-0001", c.Now()); err != nil || n != 1 {
		t.Errorf("pending uploads: %d %v", n, err)
	}
}
