package outbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"
	"github.com/ipfast/ipfast/shared/dynamo"
	"github.com/ipfast/ipfast/shared/filing"
)

// NewClient returns a DynamoDB Streams client. DynamoDB Local serves its streams on the table
// endpoint, so an emulator set up with AWS_ENDPOINT_URL_DYNAMODB alone needs no second variable.
func NewClient(cfg aws.Config) *dynamodbstreams.Client {
	return dynamodbstreams.NewFromConfig(cfg, func(o *dynamodbstreams.Options) {
		if os.Getenv("AWS_ENDPOINT_URL_DYNAMODB_STREAMS") == "" && os.Getenv("AWS_ENDPOINT_URL_DYNAMODB") != "" {
			o.BaseEndpoint = aws.String(os.Getenv("AWS_ENDPOINT_URL_DYNAMODB"))
		}
	})
}

// Poller polls the table's stream and routes filings, as the Lambda event source mapping
// does in AWS; `ipfast serve -backend aws` runs one (deployed functions never do). Its position
// in each shard is kept in the table (Store.Checkpoint), so a restart resumes where it stopped
// rather than skipping filings.
type Poller struct {
	Streams  *dynamodbstreams.Client
	Store    *dynamo.Store
	Queue    filing.Queue
	Interval time.Duration // between polls (default 250 ms)
	Log      *slog.Logger

	mu          sync.Mutex
	arn         string
	iters       map[string]*string // shard id → next iterator (nil: shard finished)
	fromHorizon map[string]bool    // shards whose checkpoint the stream has trimmed away
}

// Run polls until ctx ends. Failures (SQS down) are logged and retried from the last routed
// record on the next poll.
func (r *Poller) Run(ctx context.Context) {
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
func (r *Poller) PollOnce(ctx context.Context) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.iters == nil {
		r.iters, r.fromHorizon = map[string]*string{}, map[string]bool{}
	}
	if r.Log == nil {
		r.Log = slog.Default()
	}
	if r.arn == "" {
		arn, err := r.Store.StreamARN(ctx)
		if err != nil {
			return 0, fmt.Errorf("router: %w", err)
		}
		r.arn = arn
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

func (r *Poller) drain(ctx context.Context, shard string) (int, error) {
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
		if err != nil {
			// Never retry a failed iterator: derive a fresh one from the checkpoint next time
			// (expired iterators are routine), or from the trim horizon if the stream says the
			// position is gone.
			delete(r.iters, shard)
			var expired *types.ExpiredIteratorException
			var trimmed *types.TrimmedDataAccessException
			switch {
			case errors.As(err, &expired):
				return routed, nil
			case errors.As(err, &trimmed):
				r.Log.Warn("router: stream position trimmed; resuming at the oldest record", "shard", shard)
				r.fromHorizon[shard] = true
			}
			return routed, fmt.Errorf("router: get records of %s: %w", shard, err)
		}
		last := ""
		for _, rec := range out.Records {
			newImg := streamImage(rec.Dynamodb.NewImage)
			if dynamo.IsCheckpoint(newImg) {
				// The echo of a checkpoint this poller saved: saving one for it would echo
				// again, and the poller would never catch up.
				continue
			}
			ok, err := apply(ctx, r.Queue, r.Store.IndexChange, newImg, streamImage(rec.Dynamodb.OldImage))
			if err != nil {
				// Resume at this record: checkpoint what went through, forget the iterator.
				delete(r.iters, shard)
				if last != "" {
					_ = r.Store.SaveCheckpoint(ctx, shard, last)
				}
				return routed, err
			}
			if ok {
				routed++
			}
			last = aws.ToString(rec.Dynamodb.SequenceNumber)
		}
		if last != "" {
			if err := r.Store.SaveCheckpoint(ctx, shard, last); err != nil {
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

func (r *Poller) iterator(ctx context.Context, shard string) (*string, error) {
	in := &dynamodbstreams.GetShardIteratorInput{StreamArn: &r.arn, ShardId: &shard,
		ShardIteratorType: types.ShardIteratorTypeTrimHorizon}
	seq, err := r.Store.Checkpoint(ctx, shard)
	if err != nil {
		return nil, fmt.Errorf("router: %w", err)
	}
	if seq != "" && !r.fromHorizon[shard] {
		in.ShardIteratorType, in.SequenceNumber = types.ShardIteratorTypeAfterSequenceNumber, &seq
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
	delete(r.fromHorizon, shard)
	return out.ShardIterator, nil
}
