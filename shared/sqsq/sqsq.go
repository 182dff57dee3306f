// Package sqsq adapts Amazon SQS (aws-sdk-go-v2) to the filing.Queue port: one standard queue
// per review queue, each with a dead-letter queue through its RedrivePolicy. Lease is
// ReceiveMessage with a visibility timeout, extend is ChangeMessageVisibility, release is
// visibility 0, ack is DeleteMessage; figures come from GetQueueAttributes.
package sqsq

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/aws/smithy-go"
	"github.com/ipfast/ipfast/shared/filing"
)

// Queue is the SQS review queues. Queue names are Prefix + the routing table's names; their
// dead-letter queues add DLQSuffix.
type Queue struct {
	Client *sqs.Client
	Prefix string

	mu   sync.Mutex
	urls map[string]string
}

// DLQSuffix names a review queue's dead-letter queue.
const DLQSuffix = "-dlq"

var _ filing.Queue = (*Queue)(nil)

// New returns the adapter for queues named prefix + name.
func New(c *sqs.Client, prefix string) *Queue {
	return &Queue{Client: c, Prefix: prefix, urls: map[string]string{}}
}

func notFound(name string) error {
	return filing.Errorf(filing.NotFound, filing.CodeQueueNotFound, "no queue named %q", name)
}

func leaseLost() error {
	return filing.Errorf(filing.Conflict, filing.CodeLeaseLost, "the lease is no longer held")
}

// url resolves (and caches) a queue's URL.
func (q *Queue) url(ctx context.Context, name string) (string, error) {
	q.mu.Lock()
	u, ok := q.urls[name]
	q.mu.Unlock()
	if ok {
		return u, nil
	}
	out, err := q.Client.GetQueueUrl(ctx, &sqs.GetQueueUrlInput{QueueName: aws.String(q.Prefix + name)})
	var dne *types.QueueDoesNotExist
	if errors.As(err, &dne) || apiCode(err) == "AWS.SimpleQueueService.NonExistentQueue" {
		return "", notFound(name)
	}
	if err != nil {
		return "", fmt.Errorf("sqs: queue url %s: %w", name, err)
	}
	q.mu.Lock()
	q.urls[name] = aws.ToString(out.QueueUrl)
	q.mu.Unlock()
	return aws.ToString(out.QueueUrl), nil
}

func apiCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

// leaseError translates what SQS says of a stale receipt handle.
func leaseError(op string, err error) error {
	var invalid *types.ReceiptHandleIsInvalid
	var notInflight *types.MessageNotInflight
	if errors.As(err, &invalid) || errors.As(err, &notInflight) {
		return leaseLost()
	}
	switch apiCode(err) {
	case "ReceiptHandleIsInvalid", "MessageNotInflight", "InvalidParameterValue":
		return leaseLost()
	}
	return fmt.Errorf("sqs: %s: %w", op, err)
}

// Send implements filing.Queue.
func (q *Queue) Send(ctx context.Context, queue string, m filing.Message) error {
	u, err := q.url(ctx, queue)
	if err != nil {
		return err
	}
	if m.SentAt.IsZero() {
		m.SentAt = time.Now()
	}
	if m.ID == "" {
		m.ID = filing.NewID("msg_", m.SentAt)
	}
	body, err := json.Marshal(m)
	if err != nil {
		return err
	}
	if _, err := q.Client.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: &u, MessageBody: aws.String(string(body))}); err != nil {
		return fmt.Errorf("sqs: send to %s: %w", queue, err)
	}
	return nil
}

func seconds(d time.Duration) int32 {
	return int32(math.Ceil(d.Seconds()))
}

// Receive implements filing.Queue. SQS long-polls at most 20 s per call; longer waits loop.
func (q *Queue) Receive(ctx context.Context, queue string, visibility, wait time.Duration) (filing.Delivery, bool, error) {
	u, err := q.url(ctx, queue)
	if err != nil {
		return filing.Delivery{}, false, err
	}
	deadline := time.Now().Add(wait)
	for {
		w := min(time.Until(deadline), 20*time.Second)
		if w < 0 {
			w = 0
		}
		out, err := q.Client.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: &u, MaxNumberOfMessages: 1,
			VisibilityTimeout: seconds(visibility), WaitTimeSeconds: int32(w / time.Second),
			MessageSystemAttributeNames: []types.MessageSystemAttributeName{types.MessageSystemAttributeNameApproximateReceiveCount}})
		if err != nil {
			return filing.Delivery{}, false, fmt.Errorf("sqs: receive from %s: %w", queue, err)
		}
		if len(out.Messages) == 1 {
			msg := out.Messages[0]
			d := filing.Delivery{Receipt: aws.ToString(msg.ReceiptHandle), VisibleAt: time.Now().Add(visibility)}
			if err := json.Unmarshal([]byte(aws.ToString(msg.Body)), &d.Message); err != nil || d.FilingID == "" {
				// Not a review message: make it visible again at once, so that the redrive policy
				// moves it to the dead letters after the receive limit instead of a lease later.
				if _, err := q.Client.ChangeMessageVisibility(ctx, &sqs.ChangeMessageVisibilityInput{QueueUrl: &u,
					ReceiptHandle: msg.ReceiptHandle, VisibilityTimeout: 0}); err != nil {
					return filing.Delivery{}, false, fmt.Errorf("sqs: put back undecodable message in %s: %w", queue, err)
				}
				continue
			}
			d.ReceiveCount, _ = strconv.Atoi(msg.Attributes[string(types.MessageSystemAttributeNameApproximateReceiveCount)])
			// The id of this physical message, not of the routing that sent it: a redelivery of
			// the same message keeps it, a duplicate send does not.
			d.ID = aws.ToString(msg.MessageId)
			return d, true, nil
		}
		if time.Until(deadline) <= 0 {
			return filing.Delivery{}, false, nil
		}
	}
}

// Extend implements filing.Queue.
func (q *Queue) Extend(ctx context.Context, queue, receipt string, visibility time.Duration) error {
	return q.visibility(ctx, queue, receipt, seconds(visibility))
}

// Release implements filing.Queue.
func (q *Queue) Release(ctx context.Context, queue, receipt string) error {
	return q.visibility(ctx, queue, receipt, 0)
}

func (q *Queue) visibility(ctx context.Context, queue, receipt string, secs int32) error {
	u, err := q.url(ctx, queue)
	if err != nil {
		return err
	}
	_, err = q.Client.ChangeMessageVisibility(ctx, &sqs.ChangeMessageVisibilityInput{QueueUrl: &u,
		ReceiptHandle: &receipt, VisibilityTimeout: secs})
	if err != nil {
		return leaseError("change visibility in "+queue, err)
	}
	return nil
}

// Ack implements filing.Queue. SQS accepts deleting with a receipt handle that is no longer
// current (the message may be delivered again); callers guard decisions with the filing's own
// version, not with the ack.
func (q *Queue) Ack(ctx context.Context, queue, receipt string) error {
	u, err := q.url(ctx, queue)
	if err != nil {
		return err
	}
	if _, err := q.Client.DeleteMessage(ctx, &sqs.DeleteMessageInput{QueueUrl: &u, ReceiptHandle: &receipt}); err != nil {
		return leaseError("delete from "+queue, err)
	}
	return nil
}

// Stats implements filing.Queue. SQS reports no age of the oldest message through its API
// (only as a CloudWatch metric), so OldestAgeSeconds stays 0 here.
func (q *Queue) Stats(ctx context.Context, queue string) (filing.QueueStats, error) {
	st := filing.QueueStats{Name: queue}
	u, err := q.url(ctx, queue)
	if err != nil {
		return st, err
	}
	attrs, err := q.count(ctx, u)
	if err != nil {
		return st, fmt.Errorf("sqs: stats of %s: %w", queue, err)
	}
	st.Depth, st.InFlight = attrs[0], attrs[1]
	if dlq, err := q.url(ctx, queue+DLQSuffix); err == nil {
		if d, err := q.count(ctx, dlq); err == nil {
			st.DeadLetters = d[0] + d[1]
		}
	}
	return st, nil
}

func (q *Queue) count(ctx context.Context, u string) ([2]int, error) {
	out, err := q.Client.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: &u,
		AttributeNames: []types.QueueAttributeName{types.QueueAttributeNameApproximateNumberOfMessages,
			types.QueueAttributeNameApproximateNumberOfMessagesNotVisible}})
	if err != nil {
		return [2]int{}, err
	}
	a, _ := strconv.Atoi(out.Attributes[string(types.QueueAttributeNameApproximateNumberOfMessages)])
	b, _ := strconv.Atoi(out.Attributes[string(types.QueueAttributeNameApproximateNumberOfMessagesNotVisible)])
	return [2]int{a, b}, nil
}
