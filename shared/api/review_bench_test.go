package api_test

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ipfast/ipfast/shared/api"
	"github.com/ipfast/ipfast/shared/auth"
	"github.com/ipfast/ipfast/shared/embedded"
	"github.com/ipfast/ipfast/shared/filing"
	"github.com/ipfast/ipfast/shared/intake"
	"github.com/ipfast/ipfast/shared/review"
	"github.com/ipfast/ipfast/shared/validate"
)

// BenchmarkLeaseDecide measures the examiner's round trip over HTTP on the embedded backend
// (a real bbolt file, fsynced): lease the next filing, accept it. 8 examiners work in parallel;
// it reports the p50 and p99 of the round trip.
func BenchmarkLeaseDecide(b *testing.B) {
	expo := filing.DefaultExpo()
	expo.Limits.RequestsPerSecond = 0 // 8 examiners at machine speed, far above a person's pace
	db, err := embedded.Open(filepath.Join(b.TempDir(), "ipfast.db"), embedded.Options{Queues: expo.AllQueues()})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	svc := intake.New(expo, db, nil)
	srv := httptest.NewServer((&api.Server{Intake: svc, Review: review.New(expo, db, db, nil), Verifier: auth.NewVerifier(secret, nil),
		Log: slog.New(slog.NewJSONHandler(io.Discard, nil))}).Handler())
	defer srv.Close()
	kiosk := filing.Principal{Subject: "kiosk", Role: "kiosk", Exhibitor: "EX-0001", Booth: "1A-101"}
	for i := 0; i < b.N; i++ {
		r, err := validate.Decode([]byte(withMark(fmt.Sprint("M", i))))
		if err != nil {
			b.Fatal(err)
		}
		if _, _, err := svc.Submit(b.Context(), kiosk, fmt.Sprint("bench-", i), r); err != nil {
			b.Fatal(err)
		}
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 16}}
	post := func(tok, path, body string) (*http.Response, []byte, error) {
		req, _ := http.NewRequest("POST", srv.URL+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tok)
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		res, err := client.Do(req)
		if err != nil {
			return nil, nil, err
		}
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		return res, b, err
	}
	var mu sync.Mutex
	var rounds []time.Duration
	var wg sync.WaitGroup
	b.ResetTimer()
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			tok, _ := auth.Sign(secret, filing.Principal{Subject: fmt.Sprint("examiner-", w), Role: "examiner"}, time.Now(), time.Hour)
			for {
				start := time.Now()
				res, body, err := post(tok, "/v1/queues/trademark/lease", "")
				if err != nil {
					b.Error(err)
					return
				}
				if res.StatusCode == http.StatusNoContent {
					return
				}
				var g review.Grant
				if err := json.Unmarshal(body, &g); err != nil || res.StatusCode != 200 {
					b.Errorf("lease: %d %s", res.StatusCode, body)
					return
				}
				res, body, err = post(tok, "/v1/filings/"+g.Filing.ID+"/decision", `{"leaseToken":"`+g.LeaseToken+`","outcome":"accept"}`)
				if err != nil || res.StatusCode != 200 {
					b.Errorf("decide: %v %s", err, body)
					return
				}
				d := time.Since(start)
				mu.Lock()
				rounds = append(rounds, d)
				mu.Unlock()
			}
		}(w)
	}
	wg.Wait()
	b.StopTimer()
	if len(rounds) != b.N {
		b.Fatalf("%d round trips for %d filings", len(rounds), b.N)
	}
	slices.Sort(rounds)
	pct := func(p int) float64 { return float64(rounds[max((p*len(rounds)+99)/100, 1)-1].Microseconds()) / 1000 }
	b.ReportMetric(pct(50), "p50-ms")
	b.ReportMetric(pct(99), "p99-ms")
}
