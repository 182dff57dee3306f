package dynamo

import (
	"context"
	"fmt"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// The table is its own outbox: a filing row whose routeSeq is new (created, or sent back to
// queued) asks for the filing to be sent to its queue. This file says how to read that from a
// change record of the table's stream; the outbox package reads the stream and routes.

// ChangeAttributes are the attributes of a changed row that ChangedRouting and IndexChange
// read.
var ChangeAttributes = []string{"pk", "sk", "queue", "routeSeq", "state", "doc", "ix"}

// ChangedRouting tells from the new and old image of a changed row (ChangeAttributes as
// strings, nil for none) whether it asks for a filing to be routed, and where: a filing row
// whose routeSeq is new, or a queued filing whose queue changed (the layout migration gives
// every row its expo's queue; see migrate.go). Events, counters, uploads and idempotency rows
// never do.
func ChangedRouting(newImg, oldImg map[string]string) (filingID, queue string, seq int, ok bool) {
	if newImg == nil || newImg["sk"] != "F" || newImg["queue"] == "" {
		return "", "", 0, false
	}
	seq, err := strconv.Atoi(newImg["routeSeq"])
	if err != nil || seq == 0 {
		return "", "", 0, false
	}
	moved := oldImg != nil && oldImg["queue"] != newImg["queue"] && newImg["state"] == "queued"
	if oldImg != nil && oldImg["routeSeq"] == newImg["routeSeq"] && !moved {
		return "", "", 0, false
	}
	id := newImg["pk"]
	if len(id) < 3 || id[:2] != "F#" {
		return "", "", 0, false
	}
	return id[2:], newImg["queue"], seq, true
}

// StreamARN is the ARN of the table's stream.
func (s *Store) StreamARN(ctx context.Context) (string, error) {
	out, err := s.Client.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: &s.Table})
	if err != nil {
		return "", fmt.Errorf("dynamo: describe table: %w", err)
	}
	if out.Table.LatestStreamArn == nil {
		return "", fmt.Errorf("dynamo: table %s has no stream", s.Table)
	}
	return *out.Table.LatestStreamArn, nil
}

// IsCheckpoint tells a change record's new image (ChangeAttributes) of a stream checkpoint row.
func IsCheckpoint(newImg map[string]string) bool { return newImg["sk"] == "CKPT" }

func checkpointKey(shard string) map[string]types.AttributeValue { return key("CKPT#"+shard, "CKPT") }

// Checkpoint is the sequence number up to which a stream shard was routed ("" if none yet),
// kept in the table (CKPT#<shard>) so that a stream reader resumes where it stopped.
func (s *Store) Checkpoint(ctx context.Context, shard string) (string, error) {
	got, err := s.Client.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.Table, Key: checkpointKey(shard), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return "", fmt.Errorf("dynamo: read checkpoint %s: %w", shard, err)
	}
	if v, ok := got.Item["seq"].(*types.AttributeValueMemberS); ok {
		return v.Value, nil
	}
	return "", nil
}

// SaveCheckpoint records that a shard was routed up to the sequence number seq.
func (s *Store) SaveCheckpoint(ctx context.Context, shard, seq string) error {
	it := checkpointKey(shard)
	it["seq"] = &types.AttributeValueMemberS{Value: seq}
	if _, err := s.Client.PutItem(ctx, &dynamodb.PutItemInput{TableName: &s.Table, Item: it}); err != nil {
		return fmt.Errorf("dynamo: checkpoint %s: %w", shard, err)
	}
	return nil
}
