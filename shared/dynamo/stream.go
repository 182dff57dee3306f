package dynamo

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"
	"github.com/ipfast/ipfast/shared/filing"
)

// Target is a filing that a stream record asks to be sent to its review queue.
type Target struct {
	FilingID string
	Queue    string
	RouteSeq int
}

// image is the few attributes of a stream image the router reads.
type image map[string]string

// target decides whether a change needs routing: a filing row whose routeSeq is new (created, or
// sent back to queued). Events, counters and idempotency rows never do.
func target(newImg, oldImg image) (Target, bool) {
	if newImg == nil || newImg["sk"] != "F" || newImg["queue"] == "" {
		return Target{}, false
	}
	seq, err := strconv.Atoi(newImg["routeSeq"])
	if err != nil || seq == 0 || (oldImg != nil && oldImg["routeSeq"] == newImg["routeSeq"]) {
		return Target{}, false
	}
	id := newImg["pk"]
	if len(id) < 3 || id[:2] != "F#" {
		return Target{}, false
	}
	return Target{FilingID: id[2:], Queue: newImg["queue"], RouteSeq: seq}, true
}

// Route sends a filing to its queue. The message id names the filing and the routing, so a
// receiver can tell a redelivery from a new routing.
func Route(ctx context.Context, q filing.Queue, t Target) error {
	return q.Send(ctx, t.Queue, filing.Message{ID: fmt.Sprintf("rt_%s_%d", t.FilingID, t.RouteSeq), FilingID: t.FilingID})
}

func lambdaImage(m map[string]events.DynamoDBAttributeValue) image {
	if m == nil {
		return nil
	}
	img := image{}
	for _, k := range []string{"pk", "sk", "queue", "routeSeq"} {
		v, ok := m[k]
		if !ok {
			continue
		}
		switch v.DataType() {
		case events.DataTypeString:
			img[k] = v.String()
		case events.DataTypeNumber:
			img[k] = v.Number()
		}
	}
	return img
}

func streamImage(m map[string]types.AttributeValue) image {
	if m == nil {
		return nil
	}
	img := image{}
	for _, k := range []string{"pk", "sk", "queue", "routeSeq"} {
		switch v := m[k].(type) {
		case *types.AttributeValueMemberS:
			img[k] = v.Value
		case *types.AttributeValueMemberN:
			img[k] = v.Value
		}
	}
	return img
}

// HandleStream is the router Lambda's handler: it routes each record in order and, at the
// first failure, reports that record and stops, so that Lambda retries from there
// (ReportBatchItemFailures) and nothing after it is routed out of order or lost.
func HandleStream(ctx context.Context, q filing.Queue, ev events.DynamoDBEvent) (events.DynamoDBEventResponse, error) {
	var resp events.DynamoDBEventResponse
	for _, r := range ev.Records {
		t, ok := target(lambdaImage(r.Change.NewImage), lambdaImage(r.Change.OldImage))
		if !ok {
			continue
		}
		if err := Route(ctx, q, t); err != nil {
			slog.ErrorContext(ctx, "route filing", "filing", t.FilingID, "queue", t.Queue, "error", err.Error())
			resp.BatchItemFailures = []events.DynamoDBBatchItemFailure{{ItemIdentifier: r.Change.SequenceNumber}}
			return resp, nil
		}
	}
	return resp, nil
}

// StreamRouter polls the table's stream and routes filings, as the Lambda event source mapping
// does in AWS; `ipfast serve -backend aws` runs one. Its position in each shard is kept in the
// table (CKPT#<shard>), so a restart resumes where it stopped rather than skipping filings.
type StreamRouter struct {
	Streams  *dynamodbstreams.Client
	DB       *dynamodb.Client
	Table    string
	Queue    filing.Queue
	Interval time.Duration // between polls (default 250 ms)
	Log      *slog.Logger

	mu    sync.Mutex
	arn   string
	iters map[string]*string // shard id → next iterator (nil: shard finished)
}

// Run polls until ctx ends. Failures (SQS down) are logged and retried from the last routed
// record on the next poll.
func (r *StreamRouter) Run(ctx context.Context) {
	if r.Interval <= 0 {
		r.Interval = 250 * time.Millisecond
	}
	if r.Log == nil {
		r.Log = slog.Default()
	}
	t := time.NewTicker(r.Interval)
	defer t.Stop()
	failing := false
	for {
		if _, err := r.PollOnce(ctx); err != nil && ctx.Err() == nil {
			if !failing {
				r.Log.Warn("router: cannot route yet; will retry", "error", err.Error())
			}
			failing = true
		} else if failing {
			r.Log.Info("router: routing again")
			failing = false
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// PollOnce routes every record available now and reports how many filings it routed.
func (r *StreamRouter) PollOnce(ctx context.Context) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.iters == nil {
		r.iters = map[string]*string{}
	}
	if r.arn == "" {
		out, err := r.DB.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: &r.Table})
		if err != nil {
			return 0, fmt.Errorf("router: describe table: %w", err)
		}
		if out.Table.LatestStreamArn == nil {
			return 0, fmt.Errorf("router: table %s has no stream", r.Table)
		}
		r.arn = *out.Table.LatestStreamArn
	}
	var shards []types.Shard
	var start *string
	for {
		out, err := r.Streams.DescribeStream(ctx, &dynamodbstreams.DescribeStreamInput{StreamArn: &r.arn, ExclusiveStartShardId: start})
		if err != nil {
			return 0, fmt.Errorf("router: describe stream: %w", err)
		}
		shards = append(shards, out.StreamDescription.Shards...)
		if start = out.StreamDescription.LastEvaluatedShardId; start == nil {
			break
		}
	}
	routed := 0
	for _, sh := range shards { // parents are listed before their children
		n, err := r.drain(ctx, aws.ToString(sh.ShardId))
		routed += n
		if err != nil {
			return routed, err
		}
	}
	return routed, nil
}

func (r *StreamRouter) drain(ctx context.Context, shard string) (int, error) {
	it, known := r.iters[shard]
	if known && it == nil {
		return 0, nil // finished
	}
	if !known {
		var err error
		if it, err = r.iterator(ctx, shard); err != nil {
			return 0, err
		}
	}
	routed := 0
	for it != nil {
		out, err := r.Streams.GetRecords(ctx, &dynamodbstreams.GetRecordsInput{ShardIterator: it, Limit: aws.Int32(100)})
		var expired *types.ExpiredIteratorException
		if errors.As(err, &expired) {
			delete(r.iters, shard) // start again from the checkpoint next time
			return routed, nil
		}
		if err != nil {
			return routed, fmt.Errorf("router: get records of %s: %w", shard, err)
		}
		last := ""
		for _, rec := range out.Records {
			if t, ok := target(streamImage(rec.Dynamodb.NewImage), streamImage(rec.Dynamodb.OldImage)); ok {
				if err := Route(ctx, r.Queue, t); err != nil {
					// Resume at this record: checkpoint what went through, forget the iterator.
					delete(r.iters, shard)
					if last != "" {
						_ = r.checkpoint(ctx, shard, last)
					}
					return routed, err
				}
				routed++
			}
			last = aws.ToString(rec.Dynamodb.SequenceNumber)
		}
		if last != "" {
			if err := r.checkpoint(ctx, shard, last); err != nil {
				delete(r.iters, shard)
				return routed, err
			}
		}
		it = out.NextShardIterator
		r.iters[shard] = it
		if len(out.Records) == 0 {
			break // caught up with an open shard
		}
	}
	return routed, nil
}

func checkpointKey(shard string) map[string]ddbtypes.AttributeValue {
	return key("CKPT#"+shard, "CKPT")
}

func (r *StreamRouter) iterator(ctx context.Context, shard string) (*string, error) {
	in := &dynamodbstreams.GetShardIteratorInput{StreamArn: &r.arn, ShardId: &shard,
		ShardIteratorType: types.ShardIteratorTypeTrimHorizon}
	got, err := r.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: &r.Table, Key: checkpointKey(shard), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return nil, fmt.Errorf("router: read checkpoint: %w", err)
	}
	if v, ok := got.Item["seq"].(*ddbtypes.AttributeValueMemberS); ok {
		in.ShardIteratorType, in.SequenceNumber = types.ShardIteratorTypeAfterSequenceNumber, &v.Value
	}
	out, err := r.Streams.GetShardIterator(ctx, in)
	var trimmed *types.TrimmedDataAccessException
	if errors.As(err, &trimmed) {
		in.ShardIteratorType, in.SequenceNumber = types.ShardIteratorTypeTrimHorizon, nil
		out, err = r.Streams.GetShardIterator(ctx, in)
	}
	if err != nil {
		return nil, fmt.Errorf("router: iterator of %s: %w", shard, err)
	}
	return out.ShardIterator, nil
}

func (r *StreamRouter) checkpoint(ctx context.Context, shard, seq string) error {
	it := checkpointKey(shard)
	it["seq"] = &ddbtypes.AttributeValueMemberS{Value: seq}
	if _, err := r.DB.PutItem(ctx, &dynamodb.PutItemInput{TableName: &r.Table, Item: it}); err != nil {
		return fmt.Errorf("router: checkpoint %s: %w", shard, err)
	}
	return nil
}
