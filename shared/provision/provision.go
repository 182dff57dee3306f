// Package provision creates the AWS resources that template.yaml declares (the table with its
// index, stream and TTL; the review queues with their dead-letter queues) when they are
// missing: for emulators, tests and first trials (`ipfast serve -backend aws -bootstrap`).
// Deployed functions never import it.
package provision

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/ipfast/ipfast/shared/sqsq"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/ipfast/ipfast/shared/dynamo"
)

// Table creates the table as template.yaml declares it (keys, GSI1, a NEW_AND_OLD_IMAGES
// stream, TTL on expiration) if it does not exist, and waits until it is active.
func Table(ctx context.Context, c *dynamodb.Client, table string) error {
	s := func(name string) types.AttributeDefinition {
		return types.AttributeDefinition{AttributeName: aws.String(name), AttributeType: types.ScalarAttributeTypeS}
	}
	hashRange := func(h, r string) []types.KeySchemaElement {
		return []types.KeySchemaElement{{AttributeName: aws.String(h), KeyType: types.KeyTypeHash},
			{AttributeName: aws.String(r), KeyType: types.KeyTypeRange}}
	}
	_, err := c.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName:            aws.String(table),
		AttributeDefinitions: []types.AttributeDefinition{s("pk"), s("sk"), s("gsi1pk"), s("gsi1sk"), s("gsi2pk"), s("gsi2sk")},
		KeySchema:            hashRange("pk", "sk"),
		BillingMode:          types.BillingModePayPerRequest,
		GlobalSecondaryIndexes: []types.GlobalSecondaryIndex{
			{IndexName: aws.String(dynamo.GSI1), KeySchema: hashRange("gsi1pk", "gsi1sk"),
				Projection: &types.Projection{ProjectionType: types.ProjectionTypeAll}},
			{IndexName: aws.String(dynamo.GSI2), KeySchema: hashRange("gsi2pk", "gsi2sk"),
				Projection: &types.Projection{ProjectionType: types.ProjectionTypeAll}}},
		StreamSpecification: &types.StreamSpecification{StreamEnabled: aws.Bool(true),
			StreamViewType: types.StreamViewTypeNewAndOldImages},
		SSESpecification: &types.SSESpecification{Enabled: aws.Bool(true)},
	})
	var inUse *types.ResourceInUseException
	if err != nil && !errors.As(err, &inUse) {
		return fmt.Errorf("dynamo: create table %s: %w", table, err)
	}
	w := dynamodb.NewTableExistsWaiter(c)
	if err := w.Wait(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(table)}, time.Minute); err != nil {
		return fmt.Errorf("dynamo: wait for table %s: %w", table, err)
	}
	_, err = c.UpdateTimeToLive(ctx, &dynamodb.UpdateTimeToLiveInput{TableName: aws.String(table),
		TimeToLiveSpecification: &types.TimeToLiveSpecification{AttributeName: aws.String("expiration"), Enabled: aws.Bool(true)}})
	if err != nil && !isTTLAlreadyOn(err) {
		return fmt.Errorf("dynamo: enable TTL on %s: %w", table, err)
	}
	return nil
}

func isTTLAlreadyOn(err error) bool {
	var ve interface{ ErrorMessage() string }
	return errors.As(err, &ve) && strings.Contains(ve.ErrorMessage(), "already enabled")
}

// Queues creates each review queue (prefix + name) with its dead-letter queue (RedrivePolicy
// with maxReceives) if missing.
func Queues(ctx context.Context, c *sqs.Client, prefix string, names []string, maxReceives int) error {
	for _, name := range names {
		dlq, err := c.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String(prefix + name + sqsq.DLQSuffix),
			Attributes: map[string]string{"MessageRetentionPeriod": "1209600"}})
		if err != nil {
			return fmt.Errorf("sqs: create %s%s: %w", name, sqsq.DLQSuffix, err)
		}
		attrs, err := c.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: dlq.QueueUrl,
			AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameQueueArn}})
		if err != nil {
			return fmt.Errorf("sqs: arn of %s%s: %w", name, sqsq.DLQSuffix, err)
		}
		redrive, _ := json.Marshal(map[string]string{"deadLetterTargetArn": attrs.Attributes["QueueArn"],
			"maxReceiveCount": strconv.Itoa(maxReceives)})
		if _, err := c.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String(prefix + name),
			Attributes: map[string]string{"RedrivePolicy": string(redrive), "MessageRetentionPeriod": "1209600"}}); err != nil {
			return fmt.Errorf("sqs: create %s: %w", name, err)
		}
	}
	return nil
}
