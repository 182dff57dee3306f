package local_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/ipfast/ipfast/shared/filing"
)

// TestMetricsScraped: after a few filings, a replay, a refused submission, an empty lease, a
// lease and a decision, /metrics (Prometheus text format) counts each.
func TestMetricsScraped(t *testing.T) {
	m := openWith(t)
	kiosk := m.token(filing.Principal{Subject: "kiosk-1", Role: filing.RoleKiosk, Exhibitor: "EX-0001", Booth: "1A-101"})
	examiner := m.token(filing.Principal{Subject: "examiner-1", Role: filing.RoleExaminer})
	for _, key := range []string{"m-1", "m-2", "m-1"} { // the third is a replay
		if st := m.do("POST", "/v1/filings", kiosk, key, mailBody("LUMEN"+key, "li@example.com", "en"), nil); st != 201 && st != 200 {
			t.Fatalf("file %s: %d", key, st)
		}
	}
	bad := strings.Replace(mailBody("LUMEN", "li@example.com", "en"), `"class":9`, `"class":46`, 1)
	if st := m.do("POST", "/v1/filings", kiosk, "m-bad", bad, nil); st != 422 {
		t.Fatalf("a refused filing: %d", st)
	}
	if st := m.do("POST", "/v1/queues/expedited/lease", examiner, "", "", nil); st != 204 && st != 200 {
		t.Fatalf("an empty lease: %d", st)
	}
	var g struct {
		LeaseToken string        `json:"leaseToken"`
		Filing     filing.Filing `json:"filing"`
	}
	if st := m.do("POST", "/v1/queues/trademark/lease", examiner, "", "", &g); st != 200 {
		t.Fatalf("lease: %d", st)
	}
	if st := m.do("POST", "/v1/filings/"+g.Filing.ID+"/decision", examiner, "", `{"leaseToken":"`+g.LeaseToken+`","outcome":"accept"}`, nil); st != 200 {
		t.Fatalf("decide: %d", st)
	}
	res, err := http.Get(m.url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	text := string(b)
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/plain") {
		t.Fatalf("/metrics: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	for _, want := range []string{
		`ipfast_filings_created_total{expo="CISCE2026",kind="trademark",queue="trademark"} 2`,
		`ipfast_idempotent_replays_total{expo="CISCE2026"} 1`,
		`ipfast_validation_failures_total{code="nice_class_range",expo="CISCE2026"} 1`,
		`ipfast_decisions_total{expo="CISCE2026",outcome="accept"} 1`,
		`ipfast_lease_wait_seconds_count{expo="CISCE2026",outcome="empty",queue="expedited"} 1`,
		`ipfast_lease_wait_seconds_count{expo="CISCE2026",outcome="granted",queue="trademark"} 1`,
		`ipfast_lease_to_decision_seconds_count{expo="CISCE2026",outcome="accept",queue="trademark"} 1`,
		`ipfast_lease_to_decision_seconds_bucket{expo="CISCE2026",outcome="accept",queue="trademark",le="3600"} 1`,
		"# HELP ipfast_filings_created_total filings created (not replays)",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("/metrics lacks %s:\n%s", want, text)
		}
	}
}
