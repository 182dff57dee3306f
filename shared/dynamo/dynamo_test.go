package dynamo_test

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"testing"

	"github.com/ipfast/ipfast/shared/awstest"
	"github.com/ipfast/ipfast/shared/dynamo"
	"github.com/ipfast/ipfast/shared/filing"
	"github.com/ipfast/ipfast/shared/provision"
	"github.com/ipfast/ipfast/shared/reviewtest"
	"github.com/ipfast/ipfast/shared/sqsq"
	"github.com/ipfast/ipfast/shared/storetest"
	"github.com/ipfast/ipfast/shared/streams"
)

// backend is a fresh table and fresh queues on the emulators, with a router on the table's
// stream delivering created filings to their queues, as `ipfast serve -backend aws` runs it.
type backend struct {
	store  *dynamo.Store
	queue  *sqsq.Queue
	router *streams.Router
}

func newBackend(t *testing.T, queues []string, runRouter bool) backend {
	t.Helper()
	db := awstest.DynamoDB(t)
	c, prefix := awstest.SQS(t), awstest.Name("ipfast-test-")
	if err := provision.Queues(context.Background(), c, prefix, queues, 5); err != nil {
		t.Fatal(err)
	}
	q := sqsq.New(c, prefix)
	b := backend{store: &dynamo.Store{Client: db, Table: awstest.Table(t, db)}, queue: q}
	b.router = &streams.Router{Streams: awstest.Streams(t), DB: db, Table: b.store.Table, Queue: q}
	if runRouter {
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { b.router.Run(ctx); close(done) }()
		t.Cleanup(func() { cancel(); <-done })
	}
	return b
}

func TestStoreConformance(t *testing.T) {
	queues := []string{"review-a", "review-b"}
	storetest.Run(t, func(t *testing.T) storetest.Harness {
		b := newBackend(t, queues, true)
		return storetest.Harness{Store: b.store, Queue: b.queue, Queues: queues}
	})
}

func TestReviewConformance(t *testing.T) {
	reviewtest.Run(t, func(t *testing.T) reviewtest.Harness {
		b := newBackend(t, filing.DefaultExpo().Queues(), true)
		return reviewtest.Harness{Store: b.store, Queue: b.queue, MaxReceives: 5}
	})
}

// TestConcurrentNumbering: 200 filings at once, spread over four Store values as over four
// Lambda containers, take the numbers 1..200, no gap, no repeat; 32 concurrent duplicates of
// one key make one filing with one number.
func TestConcurrentNumbering(t *testing.T) {
	queues := []string{"review-a"}
	b := newBackend(t, queues, false)
	h := storetest.Harness{Store: b.store, Queues: queues}
	ctx := context.Background()
	var containers [4]*dynamo.Store
	for i := range containers {
		containers[i] = &dynamo.Store{Client: b.store.Client, Table: b.store.Table}
	}
	const n = 200
	numbers := make([]string, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			f, replayed, err := containers[i%4].Create(ctx, storetest.NewFiling(h, "EX-1", fmt.Sprint("distinct-", i), "h"))
			if err != nil || replayed {
				t.Errorf("create %d: %v %v", i, replayed, err)
			}
			numbers[i] = f.FilingNumber
		}(i)
	}
	wg.Wait()
	sort.Strings(numbers)
	for i, num := range numbers {
		if want := fmt.Sprintf("TEST-TM-%06d", i+1); num != want {
			t.Fatalf("numbers are not 1..%d: at %d got %s", n, i, num)
		}
	}
	ids := make([]string, 32)
	fresh := make([]bool, 32)
	for i := range ids {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			f, replayed, err := containers[i%4].Create(ctx, storetest.NewFiling(h, "EX-1", "same-key", "same-hash"))
			if err != nil {
				t.Errorf("duplicate %d: %v", i, err)
			}
			ids[i], fresh[i] = f.ID+" "+f.FilingNumber, !replayed
		}(i)
	}
	wg.Wait()
	created := 0
	for i := range ids {
		if ids[i] != ids[0] {
			t.Fatalf("duplicates got different filings: %q vs %q", ids[i], ids[0])
		}
		if fresh[i] {
			created++
		}
	}
	if created != 1 || ids[0] != ids[0][:len(ids[0])-6]+"000201" {
		t.Errorf("%d duplicates created a filing (want 1); filing %s (want number 201)", created, ids[0])
	}
}
