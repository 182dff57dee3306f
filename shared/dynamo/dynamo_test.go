package dynamo_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ipfast/ipfast/shared/awstest"
	"github.com/ipfast/ipfast/shared/dynamo"
	"github.com/ipfast/ipfast/shared/filing"
	"github.com/ipfast/ipfast/shared/outbox"
	"github.com/ipfast/ipfast/shared/provision"
	"github.com/ipfast/ipfast/shared/reviewtest"
	"github.com/ipfast/ipfast/shared/sqsq"
	"github.com/ipfast/ipfast/shared/storetest"
)

// backend is a fresh table and fresh queues on the emulators, with a router on the table's
// stream delivering created filings to their queues, as `ipfast serve -backend aws` runs it.
type backend struct {
	store  *dynamo.Store
	queue  *sqsq.Queue
	router *outbox.Poller
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
	b.router = &outbox.Poller{Streams: awstest.Streams(t), Store: b.store, Queue: q}
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
		b := newBackend(t, storetest.QueueNames(queues), true)
		// Three more handles on the same table race the first, as Lambda containers do.
		var others []filing.Store
		for i := 0; i < 3; i++ {
			others = append(others, &dynamo.Store{Client: b.store.Client, Table: b.store.Table})
		}
		// The router indexes what it reads from the stream: a poll of its own reads every
		// record written before it.
		indexed := func(t *testing.T) {
			if _, err := b.router.PollOnce(context.Background()); err != nil {
				t.Fatalf("router: %v", err)
			}
		}
		return storetest.Harness{Store: b.store, Queue: b.queue, Queues: queues, Others: others, Indexed: indexed}
	})
}

func TestComplaintStoreConformance(t *testing.T) {
	storetest.RunComplaints(t, func(t *testing.T) storetest.ComplaintHarness {
		b := newBackend(t, nil, true)
		var others []filing.ComplaintStore
		for i := 0; i < 3; i++ {
			others = append(others, &dynamo.Store{Client: b.store.Client, Table: b.store.Table})
		}
		return storetest.ComplaintHarness{Store: b.store, Others: others, Filings: b.store}
	})
}

func TestExhibitStoreConformance(t *testing.T) {
	storetest.RunExhibits(t, func(t *testing.T) storetest.ExhibitHarness {
		b := newBackend(t, nil, true)
		var others []filing.ExhibitStore
		for i := 0; i < 3; i++ {
			others = append(others, &dynamo.Store{Client: b.store.Client, Table: b.store.Table})
		}
		return storetest.ExhibitHarness{Store: b.store, Others: others, Filings: b.store}
	})
}

func TestReviewConformance(t *testing.T) {
	reviewtest.Run(t, func(t *testing.T) reviewtest.Harness {
		b := newBackend(t, reviewtest.Deployment().AllQueues(), true)
		return reviewtest.Harness{Store: b.store, Queue: b.queue, MaxReceives: 5}
	})
}

func TestAuditConformance(t *testing.T) {
	storetest.RunAudit(t, func(t *testing.T) filing.AuditLog { return newBackend(t, nil, true).store })
}

func TestNoticeConformance(t *testing.T) {
	queues := []string{"review-a", "review-b"}
	storetest.RunNotices(t, func(t *testing.T) storetest.NoticeHarness {
		b := newBackend(t, storetest.QueueNames(queues), false)
		var others []filing.NoticeStore
		for i := 0; i < 3; i++ {
			others = append(others, &dynamo.Store{Client: b.store.Client, Table: b.store.Table})
		}
		return storetest.NoticeHarness{Harness: storetest.Harness{Store: b.store, Queue: b.queue, Queues: queues}, Notices: b.store, Others: others}
	})
}

func TestEnrolmentStoreConformance(t *testing.T) {
	storetest.RunEnrolment(t, func(t *testing.T) storetest.EnrolmentHarness {
		b := newBackend(t, nil, false)
		var others []filing.EnrolmentStore
		for i := 0; i < 3; i++ {
			others = append(others, &dynamo.Store{Client: b.store.Client, Table: b.store.Table})
		}
		// Every row of the table, every attribute's text.
		holds := func(t *testing.T, s string) bool {
			in := &dynamodb.ScanInput{TableName: &b.store.Table, ConsistentRead: aws.Bool(true)}
			for {
				page, err := b.store.Client.Scan(context.Background(), in)
				if err != nil {
					t.Fatal(err)
				}
				for _, item := range page.Items {
					for k, v := range item {
						if sv, ok := v.(*types.AttributeValueMemberS); ok && strings.Contains(sv.Value, s) || strings.Contains(k, s) {
							return true
						}
					}
				}
				if page.LastEvaluatedKey == nil {
					return false
				}
				in.ExclusiveStartKey = page.LastEvaluatedKey
			}
		}
		return storetest.EnrolmentHarness{Store: b.store, Others: others, Holds: holds}
	})
}
