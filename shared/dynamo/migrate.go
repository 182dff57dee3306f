package dynamo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/ipfast/ipfast/shared/filing"
)

// Layout versions of the table, kept in the META/LAYOUT row:
//
//	1 (no META row): one expo; GSI partitions EXH#<exhibitor>, STATE#<state>, UPX#<exhibitor>,
//	  idempotency rows IDEM#<exhibitor>#<key>, the queue attribute the routing name.
//	2: expos are tenants (SPEC §14): rows carry their expo, partitions and idempotency keys
//	  start with it, the queue attribute is the qualified name (filing.ExpoQueue).
//	3: the search index and the running counts (search.go); filing rows in them carry ix=1.
const layout = 3

func layoutKey() map[string]types.AttributeValue { return key("META", "LAYOUT") }

// Layout reads the table's layout version (1 for a table written before it was recorded).
func (s *Store) Layout(ctx context.Context) (int, error) {
	out, err := s.Client.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.Table, Key: layoutKey(), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return 0, fmt.Errorf("dynamo: read layout: %w", err)
	}
	if out.Item == nil {
		return 1, nil
	}
	var it item
	if err := attributevalue.UnmarshalMap(out.Item, &it); err != nil {
		return 0, err
	}
	return it.Seq, nil
}

// Migrate brings a table of an older layout to the current one and reports how many rows it
// rewrote; on a current table it reads one row. It is idempotent and safe to run while the
// API serves: each row is rewritten under a condition on what was read, a row that changed
// meanwhile was written in the new layout by the new code, and the layout is recorded only
// when every row is done, so an interrupted run is simply run again. Rows of layout 1 that
// name no expo (uploads, which did not record it) go to defaultExpo. The stream sees the
// rewritten filing rows, but their routeSeq is unchanged, so the outbox sends nothing.
func (s *Store) Migrate(ctx context.Context, defaultExpo string) (int, error) {
	v, err := s.Layout(ctx)
	if err != nil || v == layout {
		return 0, err
	}
	if v > layout {
		return 0, fmt.Errorf("dynamo: table %s has layout %d, newer than this ipfast (%d): deploy a newer ipfast", s.Table, v, layout)
	}
	rewritten := 0
	in := &dynamodb.ScanInput{TableName: &s.Table, ConsistentRead: aws.Bool(true)}
	for {
		page, err := s.Client.Scan(ctx, in)
		if err != nil {
			return rewritten, fmt.Errorf("dynamo: migrate: scan: %w", err)
		}
		for _, av := range page.Items {
			n, err := s.migrateRow(ctx, av, defaultExpo)
			if err != nil {
				return rewritten, err
			}
			rewritten += n
			if ix, err := s.indexRow(ctx, av); err != nil {
				return rewritten, err
			} else if n == 0 {
				rewritten += ix
			}
		}
		if page.LastEvaluatedKey == nil {
			break
		}
		in.ExclusiveStartKey = page.LastEvaluatedKey
	}
	meta, err := attributevalue.MarshalMap(item{PK: "META", SK: "LAYOUT", Seq: layout})
	if err != nil {
		return rewritten, err
	}
	if _, err := s.Client.PutItem(ctx, &dynamodb.PutItemInput{TableName: &s.Table, Item: meta}); err != nil {
		return rewritten, fmt.Errorf("dynamo: migrate: record layout: %w", err)
	}
	return rewritten, nil
}

// migrateRow rewrites one row of layout 1 (and leaves every other row alone).
func (s *Store) migrateRow(ctx context.Context, av map[string]types.AttributeValue, def string) (int, error) {
	var kind struct {
		SK   string `dynamodbav:"sk"`
		Expo string `dynamodbav:"expo"`
	}
	if err := attributevalue.UnmarshalMap(av, &kind); err != nil {
		return 0, err
	}
	if kind.Expo != "" || kind.SK != "F" && kind.SK != "UP" && kind.SK != "IDEM" {
		return 0, nil // already migrated, or a row that has no expo (events, counters, checkpoints)
	}
	var it item
	if err := attributevalue.UnmarshalMap(av, &it); err != nil {
		return 0, err
	}
	switch {
	case it.SK == "F" && it.Expo == "":
		f, err := decodeFiling(av)
		if err != nil {
			return 0, err
		}
		if f.Expo == "" {
			f.Expo = def
		}
		doc, err := json.Marshal(f)
		if err != nil {
			return 0, err
		}
		upd := expression.Set(expression.Name("expo"), expression.Value(f.Expo)).
			Set(expression.Name("doc"), expression.Value(string(doc))).
			Set(expression.Name("gsi1pk"), expression.Value(exhibPartition(f.Expo, f.Exhibitor))).
			Set(expression.Name("gsi2pk"), expression.Value(statePartition(f.Expo, f.State))).
			Set(expression.Name("queue"), expression.Value(filing.ExpoQueue(f.Expo, f.Queue)))
		return s.rewrite(ctx, it.PK, it.SK, upd, expression.Name("version").Equal(expression.Value(it.Version)).
			And(expression.AttributeNotExists(expression.Name("expo"))))
	case it.SK == "UP" && it.Expo == "":
		var up uploadItem
		if err := attributevalue.UnmarshalMap(av, &up); err != nil {
			return 0, err
		}
		expo := def
		if it.FilingID != "" {
			if f, err := s.anyExpo(ctx, it.FilingID); err == nil {
				expo = f
			}
		}
		upd := expression.Set(expression.Name("expo"), expression.Value(expo))
		if it.GSI1PK != "" {
			upd = upd.Set(expression.Name("gsi1pk"), expression.Value(pendingPartition(expo, up.Exhibitor)))
		}
		return s.rewrite(ctx, it.PK, it.SK, upd, expression.AttributeNotExists(expression.Name("expo")).
			And(expression.AttributeNotExists(expression.Name("filingId")).Or(expression.Name("filingId").Equal(expression.Value(it.FilingID)))))
	case it.SK == "IDEM" && it.Expo == "":
		// IDEM#<exhibitor>#<key> → IDEM#<expo>#<exhibitor>#<key>: the record moves to a new key
		// (kept if one is there already), and the old row goes.
		expo, err := s.anyExpo(ctx, it.FilingID)
		if err != nil && filing.ErrorKind(err) != filing.NotFound {
			return 0, err
		}
		if err == nil {
			moved := it
			moved.PK, moved.Expo = "IDEM#"+expo+"#"+strings.TrimPrefix(it.PK, "IDEM#"), expo
			row, err := attributevalue.MarshalMap(moved)
			if err != nil {
				return 0, err
			}
			c, err := cond(expression.AttributeNotExists(expression.Name("pk")))
			if err != nil {
				return 0, err
			}
			_, err = s.Client.PutItem(ctx, &dynamodb.PutItemInput{TableName: &s.Table, Item: row,
				ConditionExpression: c.Condition(), ExpressionAttributeNames: c.Names()})
			var ccf *types.ConditionalCheckFailedException
			if err != nil && !errors.As(err, &ccf) {
				return 0, fmt.Errorf("dynamo: migrate %s: %w", it.PK, err)
			}
		}
		if _, err := s.Client.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: &s.Table, Key: key(it.PK, it.SK)}); err != nil {
			return 0, fmt.Errorf("dynamo: migrate %s: %w", it.PK, err)
		}
		return 1, nil
	}
	return 0, nil
}

// indexRow puts a filing row written before layout 3 into the counts and marks it ix=1, in one
// transaction conditional on the row being as read and not yet marked: a write by the new code
// meanwhile has counted it whole (Update counts a row without ix as new). The router then
// indexes its terms from the change record (IndexChange: an old image without ix).
func (s *Store) indexRow(ctx context.Context, av map[string]types.AttributeValue) (int, error) {
	var it struct {
		PK string `dynamodbav:"pk"`
		SK string `dynamodbav:"sk"`
		IX int    `dynamodbav:"ix"`
	}
	if err := attributevalue.UnmarshalMap(map[string]types.AttributeValue{"pk": av["pk"], "sk": av["sk"], "ix": av["ix"]}, &it); err != nil {
		return 0, err
	}
	if it.SK != "F" || !strings.HasPrefix(it.PK, "F#") || it.IX != 0 {
		return 0, nil
	}
	for range 5 {
		got, err := s.Client.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.Table, Key: key(it.PK, "F"), ConsistentRead: aws.Bool(true)})
		if err != nil {
			return 0, fmt.Errorf("dynamo: migrate %s: %w", it.PK, err)
		}
		var cur item
		if err := attributevalue.UnmarshalMap(got.Item, &cur); err != nil {
			return 0, err
		}
		if got.Item == nil || cur.IX != 0 {
			return 0, nil
		}
		f, err := decodeFiling(got.Item)
		if err != nil {
			return 0, err
		}
		ex, err := expression.NewBuilder().WithUpdate(expression.Set(expression.Name("ix"), expression.Value(1))).
			WithCondition(expression.Name("version").Equal(expression.Value(cur.Version)).And(expression.AttributeNotExists(expression.Name("ix")))).Build()
		if err != nil {
			return 0, err
		}
		index, err := s.countItems(nil, f, maxTransactItems-1)
		if err != nil {
			return 0, err
		}
		_, err = s.Client.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: append([]types.TransactWriteItem{
			{Update: &types.Update{TableName: &s.Table, Key: key(it.PK, "F"), UpdateExpression: ex.Update(),
				ConditionExpression: ex.Condition(), ExpressionAttributeNames: ex.Names(), ExpressionAttributeValues: ex.Values()}},
		}, index...)})
		if err == nil {
			return 1, nil
		}
		if _, cancelled := cancellation(err); !cancelled && !isConflict(err) {
			return 0, fmt.Errorf("dynamo: migrate %s: %w", it.PK, err)
		}
		// Changed meanwhile: read it again (it may be indexed now).
	}
	return 0, fmt.Errorf("dynamo: migrate %s: the row kept changing", it.PK)
}

// anyExpo is the expo a filing belongs to, whichever it is.
func (s *Store) anyExpo(ctx context.Context, id string) (string, error) {
	out, err := s.Client.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.Table, Key: key(filingKey(id), "F"), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return "", fmt.Errorf("dynamo: get %s: %w", id, err)
	}
	if out.Item == nil {
		return "", filing.ErrNotFound
	}
	f, err := decodeFiling(out.Item)
	return f.Expo, err
}

// rewrite applies upd to a row under the condition c; a row that no longer meets c was
// changed meanwhile by code that writes the new layout, and is left as it is.
func (s *Store) rewrite(ctx context.Context, pk, sk string, upd expression.UpdateBuilder, c expression.ConditionBuilder) (int, error) {
	ex, err := expression.NewBuilder().WithUpdate(upd).WithCondition(c).Build()
	if err != nil {
		return 0, err
	}
	_, err = s.Client.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: &s.Table, Key: key(pk, sk),
		UpdateExpression: ex.Update(), ConditionExpression: ex.Condition(),
		ExpressionAttributeNames: ex.Names(), ExpressionAttributeValues: ex.Values()})
	var ccf *types.ConditionalCheckFailedException
	if errors.As(err, &ccf) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("dynamo: migrate %s: %w", pk, err)
	}
	return 1, nil
}
