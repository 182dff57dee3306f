package sqsq_test

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

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

// TestUndecodableMessageIsDeadLettered: a message that is not a review message never reaches a
// caller and ends in the dead letters after the receive limit.
func TestUndecodableMessageIsDeadLettered(t *testing.T) {
	q := MustQueues(t, []string{"review"}, 3)
	u, err := q.Client.GetQueueUrl(context.Background(), &sqs.GetQueueUrlInput{QueueName: aws.String(q.Prefix + "review")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := q.Client.SendMessage(context.Background(), &sqs.SendMessageInput{QueueUrl: u.QueueUrl,
		MessageBody: aws.String("<garbage>")}); err != nil {
		t.Fatal(err)
	}
	if d, ok, err := q.Receive(context.Background(), "review", time.Minute, 2*time.Second); err != nil || ok {
		t.Fatalf("undecodable message delivered: %+v %v %v", d, ok, err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		st, err := q.Stats(context.Background(), "review")
		if err != nil {
			t.Fatal(err)
		}
		if st.DeadLetters == 1 && st.Depth == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("not dead-lettered: %+v", st)
		}
		_, _, _ = q.Receive(context.Background(), "review", time.Minute, 0)
		time.Sleep(100 * time.Millisecond)
	}
}

func TestQueueConformance(t *testing.T) {
	names := queuetest.Queues
	queuetest.Run(t, func(t *testing.T) queuetest.Harness {
		return queuetest.Harness{Queue: MustQueues(t, names, 3), Queues: names, MaxReceives: 3}
	})
}
