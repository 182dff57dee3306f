package dynamo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/ipfast/ipfast/shared/filing"
)

// uploadItem is an upload slot: UP#<id> / UP. Doc holds what was declared (never changed);
// checking the bytes sets checked, width and height; a filing's claim sets filingId and
// removes the TTL attribute, so that only uploads nobody filed expire, and the GSI1 keys
// (UPX#<expo>#<exhibitor>, id), so that GSI1 lists an exhibitor's pending uploads in an expo.
type uploadItem struct {
	PK         string `dynamodbav:"pk"`
	SK         string `dynamodbav:"sk"`
	GSI1PK     string `dynamodbav:"gsi1pk,omitempty"`
	GSI1SK     string `dynamodbav:"gsi1sk,omitempty"`
	Size       int64  `dynamodbav:"size,omitempty"`
	Doc        string `dynamodbav:"doc"`
	Exhibitor  string `dynamodbav:"exhibitor"`
	Expo       string `dynamodbav:"expo"`
	FilingID   string `dynamodbav:"filingId,omitempty"`
	Checked    string `dynamodbav:"checked,omitempty"`
	Width      int    `dynamodbav:"width,omitempty"`
	Height     int    `dynamodbav:"height,omitempty"`
	Expiration int64  `dynamodbav:"expiration,omitempty"`
}

func uploadKey(id string) map[string]types.AttributeValue { return key("UP#"+id, "UP") }

func pendingPartition(expo, exhibitor string) string { return "UPX#" + expo + "#" + exhibitor }

// CreateUpload implements filing.Store.
func (s *Store) CreateUpload(ctx context.Context, u filing.Upload) error {
	decl := u
	decl.FilingID, decl.Checked, decl.Width, decl.Height = "", "", 0, 0
	doc, err := json.Marshal(decl)
	if err != nil {
		return err
	}
	item := uploadItem{PK: "UP#" + u.ID, SK: "UP", Doc: string(doc), Exhibitor: u.Exhibitor, Expo: u.Expo, Size: u.Size,
		FilingID: u.FilingID, Checked: u.Checked, Width: u.Width, Height: u.Height, Expiration: u.UsableUntil.Unix()}
	if u.FilingID == "" {
		item.GSI1PK, item.GSI1SK = pendingPartition(u.Expo, u.Exhibitor), u.ID
	}
	av, err := attributevalue.MarshalMap(item)
	if err != nil {
		return err
	}
	expr, err := cond(expression.AttributeNotExists(expression.Name("pk")))
	if err != nil {
		return err
	}
	_, err = s.Client.PutItem(ctx, &dynamodb.PutItemInput{TableName: &s.Table, Item: av,
		ConditionExpression: expr.Condition(), ExpressionAttributeNames: expr.Names()})
	if err != nil {
		return fmt.Errorf("dynamo: create upload %s: %w", u.ID, err)
	}
	return nil
}

// GetUpload implements filing.Store.
func (s *Store) GetUpload(ctx context.Context, expo, id string) (filing.Upload, error) {
	var u filing.Upload
	out, err := s.Client.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.Table, Key: uploadKey(id),
		ConsistentRead: aws.Bool(true)})
	if err != nil {
		return u, fmt.Errorf("dynamo: get upload %s: %w", id, err)
	}
	if out.Item == nil {
		return u, filing.Errorf(filing.NotFound, filing.CodeNotFound, "no upload %s", id)
	}
	var it uploadItem
	if err := attributevalue.UnmarshalMap(out.Item, &it); err != nil {
		return u, err
	}
	if it.Expo != expo {
		return u, filing.Errorf(filing.NotFound, filing.CodeNotFound, "no upload %s", id)
	}
	if err := json.Unmarshal([]byte(it.Doc), &u); err != nil {
		return u, fmt.Errorf("dynamo: decode upload %s: %w", id, err)
	}
	u.FilingID, u.Checked, u.Width, u.Height, u.Expo = it.FilingID, it.Checked, it.Width, it.Height, it.Expo
	return u, nil
}

// RecordCheck implements filing.Store.
func (s *Store) RecordCheck(ctx context.Context, id, checked string, width, height int) error {
	expr, err := expression.NewBuilder().
		WithCondition(expression.AttributeExists(expression.Name("pk"))).
		WithUpdate(expression.Set(expression.Name("checked"), expression.Value(checked)).
			Set(expression.Name("width"), expression.Value(width)).
			Set(expression.Name("height"), expression.Value(height))).Build()
	if err != nil {
		return err
	}
	_, err = s.Client.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: &s.Table, Key: uploadKey(id),
		UpdateExpression: expr.Update(), ConditionExpression: expr.Condition(),
		ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values()})
	var ccf *types.ConditionalCheckFailedException
	if errors.As(err, &ccf) {
		return filing.Errorf(filing.NotFound, filing.CodeNotFound, "no upload %s", id)
	}
	if err != nil {
		return fmt.Errorf("dynamo: record check of upload %s: %w", id, err)
	}
	return nil
}

// claims are the transaction items that claim the uploads ids for filing f: each must exist,
// be of f's expo and exhibitor, and serve no other filing.
func (s *Store) claims(f filing.Filing, ids []string) ([]types.TransactWriteItem, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	fid := f.ID
	expr, err := expression.NewBuilder().
		WithCondition(expression.Name("exhibitor").Equal(expression.Value(f.Exhibitor)).
			And(expression.Name("expo").Equal(expression.Value(f.Expo))).
			And(expression.AttributeNotExists(expression.Name("filingId")).
				Or(expression.Name("filingId").Equal(expression.Value(fid))))).
		WithUpdate(expression.Set(expression.Name("filingId"), expression.Value(fid)).
			Remove(expression.Name("expiration")).Remove(expression.Name("gsi1pk")).Remove(expression.Name("gsi1sk"))).Build()
	if err != nil {
		return nil, err
	}
	items := make([]types.TransactWriteItem, 0, len(ids))
	for _, id := range ids {
		items = append(items, types.TransactWriteItem{Update: &types.Update{TableName: &s.Table, Key: uploadKey(id),
			UpdateExpression: expr.Update(), ConditionExpression: expr.Condition(),
			ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values()}})
	}
	return items, nil
}

// PendingUploads implements filing.Store: it reads GSI1's UPX#<expo>#<exhibitor> partition, which
// holds the uploads no filing claimed, less those past their expiration that TTL has not
// deleted yet. The index is eventually consistent: declarations made in the same instant
// may not see each other.
func (s *Store) PendingUploads(ctx context.Context, expo, exhibitor string, now time.Time) (int, int64, error) {
	ex, err := expression.NewBuilder().
		WithKeyCondition(expression.Key("gsi1pk").Equal(expression.Value(pendingPartition(expo, exhibitor)))).
		WithFilter(expression.Name("expiration").GreaterThan(expression.Value(now.Unix()))).
		WithProjection(expression.NamesList(expression.Name("size"))).Build()
	if err != nil {
		return 0, 0, err
	}
	in := &dynamodb.QueryInput{TableName: &s.Table, IndexName: aws.String(GSI1),
		KeyConditionExpression: ex.KeyCondition(), FilterExpression: ex.Filter(), ProjectionExpression: ex.Projection(),
		ExpressionAttributeNames: ex.Names(), ExpressionAttributeValues: ex.Values()}
	n, size := 0, int64(0)
	for {
		out, err := s.Client.Query(ctx, in)
		if err != nil {
			return 0, 0, fmt.Errorf("dynamo: pending uploads of %s: %w", exhibitor, err)
		}
		for _, av := range out.Items {
			var it struct {
				Size int64 `dynamodbav:"size"`
			}
			if err := attributevalue.UnmarshalMap(av, &it); err != nil {
				return 0, 0, err
			}
			n, size = n+1, size+it.Size
		}
		if out.LastEvaluatedKey == nil {
			return n, size, nil
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
}
