package api_test

import (
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ipfast/ipfast/shared/filing"
)

// BenchmarkNoisyNeighbour measures what one flooding kiosk costs the others under the default
// rate limits (SPEC §3), over HTTP on loopback: 20 polite kiosks validate 5 times a second
// each for a few seconds, first alone, then while one kiosk floods POST /v1/validate from 16
// connections. It reports the polite kiosks' p50 and p99 in both phases and the flooder's
// answers; a polite kiosk refused even once fails the run. Run it with -benchtime=1x.
func BenchmarkNoisyNeighbour(b *testing.B) {
	for i := 0; i < b.N; i++ {
		noisyNeighbour(b)
	}
}

func noisyNeighbour(b *testing.B) {
	c, db := newClockAndDB(b)
	e := newEnvLimited(b, c, db, db, nil, filing.DefaultLimits())
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	call := func(tok string) (int, time.Duration) {
		req, _ := http.NewRequest("POST", e.srv.URL+"/v1/validate", strings.NewReader(trademark))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", "application/json")
		start := time.Now()
		res, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		return res.StatusCode, time.Since(start)
	}
	polite := func(d time.Duration) []float64 {
		var mu sync.Mutex
		var lat []float64
		var wg sync.WaitGroup
		for k := 0; k < 20; k++ {
			tok := e.kiosk("EX-P" + string(rune('A'+k)))
			wg.Add(1)
			go func() {
				defer wg.Done()
				tick := time.NewTicker(200 * time.Millisecond)
				defer tick.Stop()
				for end := time.Now().Add(d); time.Now().Before(end); <-tick.C {
					status, took := call(tok)
					if status != http.StatusOK {
						b.Errorf("a polite kiosk was answered %d", status)
					}
					mu.Lock()
					lat = append(lat, float64(took.Microseconds())/1000)
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		slices.Sort(lat)
		return lat
	}
	pct := func(xs []float64, p int) float64 { return xs[(len(xs)*p+99)/100-1] }
	quiet := polite(4 * time.Second)

	flooder := e.kiosk("EX-FLOOD")
	var ok, limited atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := 0; w < 16; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				switch status, _ := call(flooder); status {
				case http.StatusOK:
					ok.Add(1)
				case http.StatusTooManyRequests:
					limited.Add(1)
				default:
					b.Errorf("flooder answered %d", status)
				}
			}
		}()
	}
	time.Sleep(500 * time.Millisecond)
	floodStart, before := time.Now(), limited.Load()
	loaded := polite(4 * time.Second)
	rate429 := float64(limited.Load()-before) / time.Since(floodStart).Seconds()
	close(stop)
	wg.Wait()
	b.ReportMetric(pct(quiet, 50), "quiet-p50-ms")
	b.ReportMetric(pct(quiet, 99), "quiet-p99-ms")
	b.ReportMetric(pct(loaded, 50), "flooded-p50-ms")
	b.ReportMetric(pct(loaded, 99), "flooded-p99-ms")
	b.ReportMetric(rate429, "flooder-429-per-s")
	b.ReportMetric(float64(ok.Load()), "flooder-allowed")
}
