package dynamo

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/ipfast/ipfast/shared/filing"
)

// The audit log's rows: AUDIT#<expo> / <entry id> (time-ordered), the entry as doc.

var _ filing.AuditLog = (*Store)(nil)

// AppendAudit implements filing.AuditLog.
func (s *Store) AppendAudit(ctx context.Context, e filing.AuditEntry) error {
	row, err := docItem("AUDIT#"+e.Expo, e.ID, e, e.Expo, 0)
	if err != nil {
		return err
	}
	if _, err := s.Client.PutItem(ctx, &dynamodb.PutItemInput{TableName: &s.Table, Item: row}); err != nil {
		return fmt.Errorf("dynamo: audit: %w", err)
	}
	return nil
}

// AuditTrail implements filing.AuditLog: a Query of the expo's partition, newest first.
func (s *Store) AuditTrail(ctx context.Context, expo string, limit int) ([]filing.AuditEntry, error) {
	ex, err := expression.NewBuilder().WithKeyCondition(expression.Key("pk").Equal(expression.Value("AUDIT#" + expo))).Build()
	if err != nil {
		return nil, err
	}
	out := []filing.AuditEntry{}
	in := &dynamodb.QueryInput{TableName: &s.Table, KeyConditionExpression: ex.KeyCondition(), ExpressionAttributeNames: ex.Names(),
		ExpressionAttributeValues: ex.Values(), ScanIndexForward: aws.Bool(false), Limit: aws.Int32(int32(min(limit, 1000)))}
	for len(out) < limit {
		page, err := s.Client.Query(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("dynamo: audit trail: %w", err)
		}
		for _, av := range page.Items {
			var it item
			if err := attributevalue.UnmarshalMap(av, &it); err != nil {
				return nil, err
			}
			var e filing.AuditEntry
			if err := json.Unmarshal([]byte(it.Doc), &e); err != nil {
				return nil, err
			}
			if len(out) < limit {
				out = append(out, e)
			}
		}
		if page.LastEvaluatedKey == nil {
			break
		}
		in.ExclusiveStartKey = page.LastEvaluatedKey
	}
	return out, nil
}
