package api_test

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ipfast/ipfast/shared/api"
	"github.com/ipfast/ipfast/shared/embedded"
	"github.com/ipfast/ipfast/shared/filing"
)

// TestLimiterArithmetic runs the token bucket on a synthetic clock: a caller under 5 a second
// with bursts of 20 is never refused; one at 25 a second gets the excess refused, about 15 a
// second after its burst; callers do not share buckets.
func TestLimiterArithmetic(t *testing.T) {
	l := api.NewLimiter(filing.DefaultLimits())
	start := time.Date(2026, 6, 23, 9, 0, 0, 0, time.UTC)
	// Polite: a burst of 20 every 5 seconds (4 a second on average) for a minute.
	for s := 0; s < 60; s += 5 {
		for i := 0; i < 20; i++ {
			if ok, _ := l.Allow("polite", start.Add(time.Duration(s)*time.Second)); !ok {
				t.Fatalf("polite caller refused at %d s, request %d", s, i)
			}
		}
	}
	// Greedy: 25 a second for 10 seconds.
	refused := 0
	for i := 0; i < 250; i++ {
		now := start.Add(time.Duration(i) * 40 * time.Millisecond)
		ok, wait := l.Allow("greedy", now)
		if !ok {
			refused++
			if wait <= 0 || wait > time.Second {
				t.Errorf("refused with a wait of %v", wait)
			}
		}
		if ok, _ := l.Allow("other", start.Add(time.Duration(i)*400*time.Millisecond)); !ok {
			t.Fatalf("another caller at 2.5 a second refused")
		}
	}
	// 250 asked; 20 (burst) + 10 s × 10/s = 120 allowed, give or take one.
	if refused < 125 || refused > 132 {
		t.Errorf("greedy caller: %d of 250 refused, want about 130", refused)
	}
	if api.NewLimiter(filing.Limits{RequestsPerSecond: 0, Burst: 20}) != nil {
		t.Errorf("requestsPerSecond 0 must turn rate limiting off")
	}
}

// TestRateLimitOverHTTP: one kiosk flooding validate gets 429 rate_limited with Retry-After
// while a second kiosk at a human pace is never refused; calls without a token are limited
// per client address.
func TestRateLimitOverHTTP(t *testing.T) {
	c, db := newClockAndDB(t)
	e := newEnvLimited(t, c, db, db, nil, filing.DefaultLimits())
	flooder, other := e.kiosk("EX-0001"), e.kiosk("EX-0002")
	var limited, ok atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 100; i++ {
				select {
				case <-stop:
					return
				default:
				}
				r := e.do("POST", "/v1/validate", flooder, trademark)
				switch r.status {
				case http.StatusTooManyRequests:
					limited.Add(1)
					p := r.problem(t)
					secs, err := strconv.Atoi(r.header.Get("Retry-After"))
					if p.Code != "rate_limited" || err != nil || secs < 1 {
						t.Errorf("429 without its code or Retry-After: %q %q", p.Code, r.header.Get("Retry-After"))
					}
				case http.StatusOK:
					ok.Add(1)
				default:
					t.Errorf("flood: %d %s", r.status, r.body)
				}
			}
		}()
	}
	for i := 0; i < 15; i++ {
		if r := e.do("POST", "/v1/validate", other, trademark); r.status != http.StatusOK {
			t.Errorf("the other kiosk was answered %d: %s", r.status, r.body)
		}
		time.Sleep(100 * time.Millisecond)
	}
	close(stop)
	wg.Wait()
	if limited.Load() == 0 || ok.Load() < 20 {
		t.Errorf("flood: %d allowed, %d refused; want the burst allowed and the excess refused", ok.Load(), limited.Load())
	}
	// Without a token: by client address (all of this test's calls come from 127.0.0.1).
	refused := 0
	for i := 0; i < 40; i++ {
		if r := e.do("GET", "/v1/reference/nice", "", ""); r.status == http.StatusTooManyRequests {
			refused++
		}
	}
	if refused == 0 {
		t.Errorf("40 anonymous calls at once were never limited")
	}
	// The same public route with a kiosk's token is that kiosk's own bucket.
	if r := e.do("GET", "/v1/reference/nice", other, ""); r.status != http.StatusOK {
		t.Errorf("public call with a token of its own: %d", r.status)
	}
}

// TestUploadQuota: at most limits.uploadsPending declared-but-unclaimed uploads, and at most
// limits.uploadBytesPending declared bytes, per exhibitor (429 upload_quota_exceeded); a
// filing that uses an upload frees its place; other exhibitors are not affected.
func TestUploadQuota(t *testing.T) {
	c, db := newClockAndDB(t)
	files, err := embedded.OpenFiles(filepath.Join(t.TempDir(), "blobs"), "/blobs", []byte("blob-secret"), c)
	if err != nil {
		t.Fatal(err)
	}
	e := newEnvLimited(t, c, db, db, files, filing.Limits{UploadsPending: 3, UploadBytesPending: 60 << 10})
	tok := e.kiosk("EX-0001")
	pdf := pdfOf(t, 10<<10)
	var ids []string
	for i := 0; i < 3; i++ {
		ids = append(ids, e.upload(tok, "power_of_attorney", "application/pdf", pdf))
	}
	r := e.declare(tok, "power_of_attorney", "application/pdf", len(pdf), sum(pdf))
	if r.status != http.StatusTooManyRequests || r.problem(t).Code != "upload_quota_exceeded" || r.header.Get("Retry-After") == "" {
		t.Fatalf("fourth pending upload: %d %s", r.status, r.body)
	}
	if r := e.declare(e.kiosk("EX-0002"), "power_of_attorney", "application/pdf", len(pdf), sum(pdf)); r.status != http.StatusCreated {
		t.Errorf("another exhibitor's upload: %d %s", r.status, r.body)
	}
	e.mustFile(tok, "quota-1", withAttachments(trademark, ids[0]))
	if r := e.declare(tok, "power_of_attorney", "application/pdf", len(pdf), sum(pdf)); r.status != http.StatusCreated {
		t.Errorf("after a filing used one: %d %s", r.status, r.body)
	}
	// Bytes: 3 × 10 KiB pending; 40 KiB more would pass 60 KiB.
	big := pdfOf(t, 40<<10)
	if r := e.declare(e.kiosk("EX-0003"), "power_of_attorney", "application/pdf", len(big), sum(big)); r.status != http.StatusCreated {
		t.Fatalf("first 40 KiB: %d", r.status)
	}
	r = e.declare(e.kiosk("EX-0003"), "power_of_attorney", "application/pdf", len(big), sum(big))
	if r.status != http.StatusTooManyRequests || !strings.Contains(string(r.body), "upload_quota_exceeded") {
		t.Errorf("80 KiB pending of 60 KiB allowed: %d %s", r.status, r.body)
	}
}

// countingStore counts the upload lookups a request costs.
type countingStore struct {
	filing.Store
	lookups atomic.Int64
}

func (s *countingStore) GetUpload(ctx context.Context, expo, id string) (filing.Upload, error) {
	s.lookups.Add(1)
	return s.Store.GetUpload(ctx, expo, id)
}

// TestProblemAndLookupLimits: an answer lists at most 100 problems and says how many there
// were; 10,000 attachment ids cost at most 100 upload lookups.
func TestProblemAndLookupLimits(t *testing.T) {
	c, db := newClockAndDB(t)
	files, err := embedded.OpenFiles(filepath.Join(t.TempDir(), "blobs"), "/blobs", []byte("blob-secret"), c)
	if err != nil {
		t.Fatal(err)
	}
	store := &countingStore{Store: db}
	e := newEnvWith(t, c, db, store, files)
	tok := e.kiosk("EX-0001")

	classes := make([]string, 60)
	for i := range classes {
		classes[i] = `{"class":0,"terms":[""]}`
	}
	body := strings.Replace(trademark, `[{"class":9,"terms":["Batteries, electric"]}]`, "["+strings.Join(classes, ",")+"]", 1)
	r := e.do("POST", "/v1/validate", tok, body)
	p := r.problem(t)
	// 1 list too long + 60 × nice_class_range + 60 × terms_required = 121.
	if r.status != http.StatusUnprocessableEntity || len(p.Errors) != 100 || !strings.HasPrefix(p.Detail, "121 problems") || p.Code != "validation" {
		t.Errorf("121 problems: %d, %d listed, detail %q, code %q", r.status, len(p.Errors), p.Detail, p.Code)
	}

	ids := make([]string, 10000)
	for i := range ids {
		ids[i] = fmt.Sprintf(`"att_%05d"`, i)
	}
	body = strings.Replace(trademark, `"language":"zh"`, `"language":"zh","attachments":[`+strings.Join(ids, ",")+`]`, 1)
	store.lookups.Store(0)
	r = e.do("POST", "/v1/filings", tok, body, "Idempotency-Key", "many-ids")
	p = r.problem(t)
	if r.status != http.StatusUnprocessableEntity || len(p.Errors) > 100 || p.Errors[0].Field != "/attachments" || p.Errors[0].Code != "too_long" {
		t.Errorf("10,000 ids: %d %v", r.status, p.Errors[:min(3, len(p.Errors))])
	}
	if n := store.lookups.Load(); n > 100 {
		t.Errorf("10,000 attachment ids cost %d upload lookups, want at most 100", n)
	}
}

// TestExpos: GET /v1/expos lists every expo of the deployment, the default first, each with
// its configuration keys; GET /v1/expo?id= shows one, an unknown id is 404.
func TestExpos(t *testing.T) {
	c, db := newClockAndDB(t)
	e := newEnvWith(t, c, db, db, nil)
	expo, err := filing.ParseExpo([]byte(`{"expos":[{"id":"CISCE2026","filingNumberPrefix":"CISCE2026"},
	  {"id":"CANTON2026A","name":"Canton Fair, spring","filingNumberPrefix":"CANTON26A","startDate":"2026-04-15","endDate":"2026-05-05"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	e.svc.Expo = expo
	var list struct {
		Items []map[string]any `json:"items"`
	}
	r := e.do("GET", "/v1/expos", "", "")
	r.json(t, &list)
	if r.status != http.StatusOK || len(list.Items) != 2 || list.Items[0]["id"] != "CISCE2026" || list.Items[1]["id"] != "CANTON2026A" {
		t.Fatalf("expos: %d %s", r.status, r.body)
	}
	for _, key := range []string{"holidays", "workingDays", "limits", "fees", "routing", "filingNumberPrefix", "timeZone", "now"} {
		if _, ok := list.Items[1][key]; !ok {
			t.Errorf("an expo of GET /v1/expos lacks %q", key)
		}
	}
	var one map[string]any
	r = e.do("GET", "/v1/expo?id=CANTON2026A", "", "")
	r.json(t, &one)
	if r.status != http.StatusOK || one["startDate"] != "2026-04-15" {
		t.Errorf("expo?id=: %d %s", r.status, r.body)
	}
	if r := e.do("GET", "/v1/expo?id=NOPE", "", ""); r.status != http.StatusNotFound {
		t.Errorf("unknown expo: %d", r.status)
	}
	if r := e.do("GET", "/v1/expo", "", ""); r.status != http.StatusOK || !strings.Contains(string(r.body), `"id":"CISCE2026"`) {
		t.Errorf("default expo: %d %s", r.status, r.body)
	}
}
