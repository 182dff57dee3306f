package dynamo

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/ipfast/ipfast/shared/filing"
)

// The notification outbox (SPEC §17). A filing event's notice lives on the event's own row
// (F#<filing id> / E#<version>), written in the event's transaction: the event row is the
// outbox entry, so a notice costs no item of its own. A reminder, which no filing write makes,
// is a row of the filing's partition, F#<filing id> / N#reminder#<seq>; a complaint's notices
// are rows of its partition, C#<complaint id> / N#<event>#<version>, written in the complaint's
// transaction. Each carries
//
//	notice   the Notice as JSON
//	nver     its version (conditions)
//	gsi2pk   NOTICE#<expo>#<state>, gsi2sk = Notice.SortKey: an expo's notices by state
//
// and F#<filing id> / UNSUB says that the filing's contact wants no more reminders.

var _ filing.NoticeStore = (*Store)(nil)

func noticePartition(expo string, st filing.NoticeState) string {
	return "NOTICE#" + expo + "#" + string(st)
}

// noticeKey is the row of a notice id.
func noticeKey(id string) (map[string]types.AttributeValue, bool) {
	event, filingID, seq, ok := filing.ParseNoticeID(id)
	if !ok {
		return nil, false
	}
	if filing.IsComplaintNotice(event) {
		// A complaint's notices are rows of the complaint's partition (several per event).
		return key(complaintKey(filingID), fmt.Sprintf("N#%s#%010d", event, seq)), true
	}
	if event == filing.NoticeReminder {
		return key(filingKey(filingID), fmt.Sprintf("N#%s#%010d", event, seq)), true
	}
	return key(filingKey(filingID), eventSK(seq)), true
}

// noticeAttributes are the attributes a row carries for its notice.
func noticeAttributes(n filing.Notice) (map[string]types.AttributeValue, error) {
	doc, err := json.Marshal(n)
	if err != nil {
		return nil, err
	}
	return map[string]types.AttributeValue{
		"notice": &types.AttributeValueMemberS{Value: string(doc)},
		"nver":   &types.AttributeValueMemberN{Value: strconv.Itoa(n.Version)},
		"gsi2pk": &types.AttributeValueMemberS{Value: noticePartition(n.Expo, n.State)},
		"gsi2sk": &types.AttributeValueMemberS{Value: n.SortKey()},
		"expo":   &types.AttributeValueMemberS{Value: n.Expo},
	}, nil
}

// withNotice adds the notice of event ev, if it has one, to the event's row.
func withNotice(row map[string]types.AttributeValue, f filing.Filing, ev filing.Event) error {
	n, ok := filing.NoticeFor(f, ev)
	if !ok {
		return nil
	}
	attrs, err := noticeAttributes(n)
	if err != nil {
		return err
	}
	for k, v := range attrs {
		row[k] = v
	}
	return nil
}

// eventNoticePuts are the writes of the notices an event carries (a complaint's), numbered
// number, for the event's transaction.
func (s *Store) eventNoticePuts(ev filing.Event, number string) ([]types.TransactWriteItem, error) {
	var out []types.TransactWriteItem
	newExpr, err := cond(expression.AttributeNotExists(expression.Name("pk")))
	if err != nil {
		return nil, err
	}
	for _, n := range ev.Notices {
		if n.ComplaintID != "" {
			n.ComplaintNumber = number
		}
		row, ok := noticeKey(n.ID)
		if !ok {
			return nil, fmt.Errorf("dynamo: malformed notice id %q", n.ID)
		}
		attrs, err := noticeAttributes(n)
		if err != nil {
			return nil, err
		}
		for k, v := range attrs {
			row[k] = v
		}
		out = append(out, types.TransactWriteItem{Put: &types.Put{TableName: &s.Table, Item: row,
			ConditionExpression: newExpr.Condition(), ExpressionAttributeNames: newExpr.Names()}})
	}
	return out, nil
}

func decodeNotice(row map[string]types.AttributeValue) (filing.Notice, bool, error) {
	doc, ok := row["notice"].(*types.AttributeValueMemberS)
	if !ok {
		return filing.Notice{}, false, nil
	}
	var n filing.Notice
	if err := json.Unmarshal([]byte(doc.Value), &n); err != nil {
		return n, false, fmt.Errorf("dynamo: decode notice: %w", err)
	}
	return n, true, nil
}

// AddNotice implements filing.NoticeStore.
func (s *Store) AddNotice(ctx context.Context, n filing.Notice) (bool, error) {
	row, ok := noticeKey(n.ID)
	if !ok {
		return false, fmt.Errorf("dynamo: add notice: malformed id %q", n.ID)
	}
	attrs, err := noticeAttributes(n)
	if err != nil {
		return false, err
	}
	for k, v := range attrs {
		row[k] = v
	}
	ex, err := cond(expression.AttributeNotExists(expression.Name("pk")))
	if err != nil {
		return false, err
	}
	_, err = s.Client.PutItem(ctx, &dynamodb.PutItemInput{TableName: &s.Table, Item: row, ConditionExpression: ex.Condition(),
		ExpressionAttributeNames: ex.Names()})
	var ccf *types.ConditionalCheckFailedException
	if errors.As(err, &ccf) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("dynamo: add notice %s: %w", n.ID, err)
	}
	return true, nil
}

// GetNotice implements filing.NoticeStore.
func (s *Store) GetNotice(ctx context.Context, expo, id string) (filing.Notice, error) {
	k, ok := noticeKey(id)
	if !ok {
		return filing.Notice{}, filing.ErrNotFound
	}
	out, err := s.Client.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.Table, Key: k, ConsistentRead: aws.Bool(true)})
	if err != nil {
		return filing.Notice{}, fmt.Errorf("dynamo: read notice %s: %w", id, err)
	}
	n, ok, err := decodeNotice(out.Item)
	if err != nil {
		return n, err
	}
	if !ok || n.Expo != expo || n.ID != id {
		return filing.Notice{}, filing.ErrNotFound
	}
	return n, nil
}

// UpdateNotice implements filing.NoticeStore: one conditional UpdateItem of the notice's
// attributes (the event's own attributes are left as they are).
func (s *Store) UpdateNotice(ctx context.Context, n filing.Notice) error {
	k, ok := noticeKey(n.ID)
	if !ok {
		return filing.ErrNotFound
	}
	attrs, err := noticeAttributes(n)
	if err != nil {
		return err
	}
	upd := expression.UpdateBuilder{}
	for name, v := range attrs {
		upd = upd.Set(expression.Name(name), expression.Value(v))
	}
	ex, err := expression.NewBuilder().WithUpdate(upd).
		WithCondition(expression.Name("nver").Equal(expression.Value(n.Version - 1)).And(expression.Name("expo").Equal(expression.Value(n.Expo)))).Build()
	if err != nil {
		return err
	}
	_, err = s.Client.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: &s.Table, Key: k, UpdateExpression: ex.Update(),
		ConditionExpression: ex.Condition(), ExpressionAttributeNames: ex.Names(), ExpressionAttributeValues: ex.Values(),
		ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld})
	var ccf *types.ConditionalCheckFailedException
	if errors.As(err, &ccf) {
		if cur, ok, _ := decodeNotice(ccf.Item); !ok || cur.Expo != n.Expo {
			return filing.ErrNotFound
		}
		return filing.Errorf(filing.Conflict, filing.CodeVersionConflict, "notice %s changed meanwhile", n.ID)
	}
	if err != nil {
		return fmt.Errorf("dynamo: update notice %s: %w", n.ID, err)
	}
	return nil
}

// Notices implements filing.NoticeStore: a Query of the expo's partition of gsi2 for the state
// (eventually consistent: a notice written a moment ago may show a moment later; a sender
// claims what it lists with a conditional write, so a stale listing sends nothing twice).
func (s *Store) Notices(ctx context.Context, q filing.NoticeQuery) (filing.NoticePage, error) {
	page := filing.NoticePage{Items: []filing.Notice{}}
	partition := noticePartition(q.Expo, q.State)
	kc := expression.Key("gsi2pk").Equal(expression.Value(partition))
	pending := q.State == filing.NoticePending
	if pending && !q.Due.IsZero() {
		kc = kc.And(expression.Key("gsi2sk").LessThanEqual(expression.Value(q.Due.UTC().Format("20060102T150405.000000") + "$")))
	}
	ex, err := expression.NewBuilder().WithKeyCondition(kc).Build()
	if err != nil {
		return page, err
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 100
	}
	in := &dynamodb.QueryInput{TableName: &s.Table, IndexName: aws.String(GSI2), ScanIndexForward: aws.Bool(pending),
		KeyConditionExpression: ex.KeyCondition(), ExpressionAttributeNames: ex.Names(), ExpressionAttributeValues: ex.Values(),
		Limit: aws.Int32(int32(limit + 1))}
	if q.Cursor != "" {
		raw, err := base64.RawURLEncoding.DecodeString(q.Cursor)
		var start map[string]string
		if err != nil || json.Unmarshal(raw, &start) != nil || start["pk"] == "" || start["sk"] == "" || start["gsi2sk"] == "" {
			return page, filing.Errorf(filing.Malformed, "invalid_format", "cursor is not one this server issued")
		}
		in.ExclusiveStartKey = map[string]types.AttributeValue{
			"pk": &types.AttributeValueMemberS{Value: start["pk"]}, "sk": &types.AttributeValueMemberS{Value: start["sk"]},
			"gsi2pk": &types.AttributeValueMemberS{Value: partition}, "gsi2sk": &types.AttributeValueMemberS{Value: start["gsi2sk"]}}
	}
	for {
		out, err := s.Client.Query(ctx, in)
		if err != nil {
			return page, fmt.Errorf("dynamo: notices %s: %w", partition, err)
		}
		for _, row := range out.Items {
			n, ok, err := decodeNotice(row)
			if err != nil {
				return page, err
			}
			if !ok {
				continue
			}
			if len(page.Items) == limit {
				last := page.Items[limit-1]
				k, _ := noticeKey(last.ID)
				cur, _ := json.Marshal(map[string]string{"pk": k["pk"].(*types.AttributeValueMemberS).Value,
					"sk": k["sk"].(*types.AttributeValueMemberS).Value, "gsi2sk": last.SortKey()})
				page.NextCursor = base64.RawURLEncoding.EncodeToString(cur)
				return page, nil
			}
			page.Items = append(page.Items, n)
		}
		if out.LastEvaluatedKey == nil {
			return page, nil
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
}

// FilingNotices implements filing.NoticeStore: a Query of the filing's partition.
func (s *Store) FilingNotices(ctx context.Context, expo, filingID string) ([]filing.Notice, error) {
	if _, err := s.Get(ctx, expo, filingID); err != nil {
		return nil, err
	}
	ex, err := expression.NewBuilder().WithKeyCondition(expression.Key("pk").Equal(expression.Value(filingKey(filingID)))).
		WithFilter(expression.AttributeExists(expression.Name("notice"))).
		WithProjection(expression.NamesList(expression.Name("notice"))).Build()
	if err != nil {
		return nil, err
	}
	in := &dynamodb.QueryInput{TableName: &s.Table, ConsistentRead: aws.Bool(true), KeyConditionExpression: ex.KeyCondition(),
		FilterExpression: ex.Filter(), ProjectionExpression: ex.Projection(),
		ExpressionAttributeNames: ex.Names(), ExpressionAttributeValues: ex.Values()}
	out := []filing.Notice{}
	for {
		page, err := s.Client.Query(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("dynamo: notices of %s: %w", filingID, err)
		}
		for _, row := range page.Items {
			if n, ok, err := decodeNotice(row); err != nil {
				return nil, err
			} else if ok && n.Expo == expo {
				out = append(out, n)
			}
		}
		if page.LastEvaluatedKey == nil {
			break
		}
		in.ExclusiveStartKey = page.LastEvaluatedKey
	}
	filing.SortNotices(out)
	return out, nil
}

// Unsubscribe implements filing.NoticeStore.
func (s *Store) Unsubscribe(ctx context.Context, expo, filingID string) error {
	if _, err := s.Get(ctx, expo, filingID); err != nil {
		return err
	}
	if _, err := s.Client.PutItem(ctx, &dynamodb.PutItemInput{TableName: &s.Table, Item: key(filingKey(filingID), "UNSUB")}); err != nil {
		return fmt.Errorf("dynamo: unsubscribe %s: %w", filingID, err)
	}
	return nil
}

// Unsubscribed implements filing.NoticeStore.
func (s *Store) Unsubscribed(ctx context.Context, expo, filingID string) (bool, error) {
	if _, err := s.Get(ctx, expo, filingID); err != nil {
		return false, err
	}
	out, err := s.Client.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.Table, Key: key(filingKey(filingID), "UNSUB"), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return false, fmt.Errorf("dynamo: unsubscribed %s: %w", filingID, err)
	}
	return out.Item != nil, nil
}
