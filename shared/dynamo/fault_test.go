package dynamo_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ipfast/ipfast/shared/api"
	"github.com/ipfast/ipfast/shared/auth"
	"github.com/ipfast/ipfast/shared/awstest"
	"github.com/ipfast/ipfast/shared/dynamo"
	"github.com/ipfast/ipfast/shared/filing"
	"github.com/ipfast/ipfast/shared/intake"
	"github.com/ipfast/ipfast/shared/outbox"
	"github.com/ipfast/ipfast/shared/provision"
	"github.com/ipfast/ipfast/shared/review"
	"github.com/ipfast/ipfast/shared/sqsq"
)

const trademark = `{"kind":"trademark","trademark":{"markType":"word","markText":"M%d","classes":[{"class":9,"terms":["Batteries"]}]},
 "applicants":[{"name":"ACME","kind":"organization","nationality":"CN","domicile":"CN","address":"Beijing"}],
 "contact":{"name":"Li","email":"li@example.com"},"language":"en"}`

// TestRoutingSurvivesSQSOutage: with SQS unreachable, 100 filings are still stored and
// acknowledged; once SQS is back, the router delivers every one of them exactly once.
func TestRoutingSurvivesSQSOutage(t *testing.T) {
	expo := filing.DefaultExpo()
	expo.Limits.RequestsPerSecond = 0 // 100 filings as fast as they go, from one kiosk
	db := awstest.DynamoDB(t)
	prefix := awstest.Name("ipfast-fault-")
	direct := sqsq.New(awstest.SQS(t), prefix)
	if err := provision.Queues(context.Background(), direct.Client, prefix, expo.AllQueues(), 5); err != nil {
		t.Fatal(err)
	}
	proxy := awstest.NewProxy(t, awstest.SQSURL(t))
	store := &dynamo.Store{Client: db, Table: awstest.Table(t, db)}
	quiet := slog.New(slog.NewJSONHandler(io.Discard, nil))
	router := &outbox.Poller{Streams: awstest.Streams(t), Store: store,
		Queue: sqsq.New(awstest.SQSAt(proxy.URL), prefix), Interval: 100 * time.Millisecond, Log: quiet}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { router.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })

	proxy.Down()
	secret := []byte("fault-secret")
	srv := httptest.NewServer((&api.Server{Intake: intake.New(expo, store, nil), Review: review.New(expo, store, direct, nil),
		Verifier: auth.NewVerifier(secret, nil), Log: quiet}).Handler())
	defer srv.Close()
	tok, _ := auth.Sign(secret, filing.Principal{Subject: "k", Role: "kiosk", Exhibitor: "EX-1", Booth: "1A-101"}, time.Now(), time.Hour)

	const n = 100
	ids := make(chan string, n)
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < n; i += 8 {
				req, _ := http.NewRequest("POST", srv.URL+"/v1/filings", strings.NewReader(fmt.Sprintf(trademark, i)))
				req.Header.Set("Authorization", "Bearer "+tok)
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Idempotency-Key", fmt.Sprint("fault-", i))
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Error(err)
					return
				}
				b, _ := io.ReadAll(res.Body)
				res.Body.Close()
				if res.StatusCode != http.StatusCreated {
					t.Errorf("filing %d while SQS is down: %d %s", i, res.StatusCode, b)
				}
				ids <- string(b)
			}
		}(w)
	}
	wg.Wait()
	close(ids)
	if len(ids) != n {
		t.Fatalf("%d of %d filings acknowledged", len(ids), n)
	}
	time.Sleep(500 * time.Millisecond)
	if st, err := direct.Stats(context.Background(), filing.ExpoQueue("CISCE2026", "trademark")); err != nil || st.Depth != 0 {
		t.Fatalf("something was routed while SQS was unreachable: %+v %v", st, err)
	}

	proxy.Up()
	deadline := time.Now().Add(60 * time.Second)
	for {
		st, err := direct.Stats(context.Background(), filing.ExpoQueue("CISCE2026", "trademark"))
		if err != nil {
			t.Fatal(err)
		}
		if st.Depth >= n || time.Now().After(deadline) {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	seen := map[string]int{}
	for {
		d, ok, err := direct.Receive(context.Background(), filing.ExpoQueue("CISCE2026", "trademark"), time.Minute, time.Second)
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			break
		}
		seen[d.FilingID]++
		if err := direct.Ack(context.Background(), filing.ExpoQueue("CISCE2026", "trademark"), d.Receipt); err != nil {
			t.Fatal(err)
		}
	}
	if len(seen) != n {
		t.Errorf("%d distinct filings routed after the outage, want %d", len(seen), n)
	}
	for id, c := range seen {
		if c != 1 {
			t.Errorf("filing %s routed %d times", id, c)
		}
	}
}
