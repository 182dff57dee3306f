package sqsq_test

import (
	"context"
	"testing"

	"github.com/ipfast/ipfast/shared/awstest"
	"github.com/ipfast/ipfast/shared/provision"
	"github.com/ipfast/ipfast/shared/queuetest"
	"github.com/ipfast/ipfast/shared/sqsq"
)

// MustQueues creates fresh review queues (with dead-letter queues) on the SQS emulator.
func MustQueues(t *testing.T, names []string, maxReceives int) *sqsq.Queue {
	t.Helper()
	c, prefix := awstest.SQS(t), awstest.Name("ipfast-test-")
	if err := provision.Queues(context.Background(), c, prefix, names, maxReceives); err != nil {
		t.Fatal(err)
	}
	return sqsq.New(c, prefix)
}

func TestQueueConformance(t *testing.T) {
	names := []string{"review-a", "review-b"}
	queuetest.Run(t, func(t *testing.T) queuetest.Harness {
		return queuetest.Harness{Queue: MustQueues(t, names, 3), Queues: names, MaxReceives: 3}
	})
}
