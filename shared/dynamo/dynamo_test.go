package dynamo_test

import (
	"context"
	"testing"

	"github.com/ipfast/ipfast/shared/awstest"
	"github.com/ipfast/ipfast/shared/dynamo"
	"github.com/ipfast/ipfast/shared/sqsq"
	"github.com/ipfast/ipfast/shared/storetest"
)

// backend is a fresh table and fresh queues on the emulators, with a router on the table's
// stream delivering created filings to their queues, as `ipfast serve -backend aws` runs it.
type backend struct {
	store  *dynamo.Store
	queue  *sqsq.Queue
	router *dynamo.StreamRouter
}

func newBackend(t *testing.T, queues []string, runRouter bool) backend {
	t.Helper()
	db := awstest.DynamoDB(t)
	q := sqsq.New(awstest.SQS(t), awstest.Name("ipfast-test-"))
	if err := q.CreateQueues(context.Background(), queues, 5); err != nil {
		t.Fatal(err)
	}
	b := backend{store: &dynamo.Store{Client: db, Table: awstest.Table(t, db)}, queue: q}
	b.router = &dynamo.StreamRouter{Streams: awstest.Streams(t), DB: db, Table: b.store.Table, Queue: q}
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
