package dynamo

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/ipfast/ipfast/shared/filing"
)

// The complaint desk's rows (SPEC §11):
//
//	C#<id>                           C            the complaint (doc: JSON), expo, state, version
//	C#<id>                           E#<version>  its events
//	CIDEM#<expo>#<filer>#<key>       IDEM         idempotency record
//	CIX#<expo>#<list>                <id>         list rows: s#<state> (moved with the state),
//	                                              f#<filer>, b#<booth>, * (every complaint)
//
// Numbers come from the counter rows of filings (CTR#<PREFIX>-CP), taken the same way.

var _ filing.ComplaintStore = (*Store)(nil)

func complaintKey(id string) string { return "C#" + id }

func complaintLists(c filing.Complaint) []string {
	return []string{"CIX#" + c.Expo + "#s#" + string(c.State), "CIX#" + c.Expo + "#f#" + c.Filer,
		"CIX#" + c.Expo + "#b#" + c.Respondent.Booth, "CIX#" + c.Expo + "#*"}
}

func complaintItem(c filing.Complaint) (map[string]types.AttributeValue, error) {
	c.History = nil
	doc, err := json.Marshal(c)
	if err != nil {
		return nil, err
	}
	return attributevalue.MarshalMap(item{PK: complaintKey(c.ID), SK: "C", Doc: string(doc), Expo: c.Expo,
		State: string(c.State), Version: c.Version})
}

func decodeComplaint(av map[string]types.AttributeValue) (filing.Complaint, error) {
	var it item
	var c filing.Complaint
	if err := attributevalue.UnmarshalMap(av, &it); err != nil {
		return c, err
	}
	if err := json.Unmarshal([]byte(it.Doc), &c); err != nil {
		return c, fmt.Errorf("dynamo: decode complaint %s: %w", it.PK, err)
	}
	return c, nil
}

// CreateComplaint implements filing.ComplaintStore.
func (s *Store) CreateComplaint(ctx context.Context, n filing.NewComplaint) (filing.Complaint, bool, error) {
	lock := s.counterLock(n.Counter)
	lock.Lock()
	defer lock.Unlock()
	for attempt := 0; ; attempt++ {
		c, replayed, retry, err := s.tryCreateComplaint(ctx, n)
		if !retry {
			return c, replayed, err
		}
		if attempt >= 200 {
			return filing.Complaint{}, false, fmt.Errorf("dynamo: create complaint %s: counter %s stayed contended: %w", n.Complaint.ID, n.Counter, err)
		}
		select {
		case <-ctx.Done():
			return filing.Complaint{}, false, ctx.Err()
		case <-time.After(time.Duration(rand.IntN(5+min(attempt, 20)*5)) * time.Millisecond):
		}
	}
}

func (s *Store) tryCreateComplaint(ctx context.Context, n filing.NewComplaint) (c filing.Complaint, replayed, retry bool, err error) {
	ctrKey := key("CTR#"+n.Counter, "CTR")
	got, err := s.Client.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.Table, Key: ctrKey, ConsistentRead: aws.Bool(true)})
	if err != nil {
		return c, false, false, fmt.Errorf("dynamo: read counter %s: %w", n.Counter, err)
	}
	var ctr item
	if err := attributevalue.UnmarshalMap(got.Item, &ctr); err != nil {
		return c, false, false, err
	}
	next := ctr.Seq + 1
	c = n.Complaint
	c.ComplaintNumber = filing.FilingNumber(n.Counter, next)
	ctrCond := expression.Name("seq").Equal(expression.Value(ctr.Seq))
	if ctr.Seq == 0 {
		ctrCond = expression.AttributeNotExists(expression.Name("pk"))
	}
	ctrExpr, err := expression.NewBuilder().WithCondition(ctrCond).
		WithUpdate(expression.Set(expression.Name("seq"), expression.Value(next))).Build()
	if err != nil {
		return c, false, false, err
	}
	now := n.Now
	if now.IsZero() {
		now = time.Now()
	}
	idemExpr, err := cond(expression.AttributeNotExists(expression.Name("pk")).
		Or(expression.Name("expiration").LessThan(expression.Value(now.Unix()))))
	if err != nil {
		return c, false, false, err
	}
	newExpr, err := cond(expression.AttributeNotExists(expression.Name("pk")))
	if err != nil {
		return c, false, false, err
	}
	idemPK := complaintIdemKey(c.Expo, n.Filer, n.Key)
	idem, err := attributevalue.MarshalMap(item{PK: idemPK, SK: "IDEM", FilingID: c.ID, Expo: c.Expo,
		Hash: n.Hash, Status: "COMPLETED", Expiration: n.Expires.Unix()})
	if err != nil {
		return c, false, false, err
	}
	cItem, err := complaintItem(c)
	if err != nil {
		return c, false, false, err
	}
	evItem, err := s.complaintEventItem(c.ID, c.Version, n.Event)
	if err != nil {
		return c, false, false, err
	}
	items := []types.TransactWriteItem{
		{Update: &types.Update{TableName: &s.Table, Key: ctrKey, UpdateExpression: ctrExpr.Update(),
			ConditionExpression: ctrExpr.Condition(), ExpressionAttributeNames: ctrExpr.Names(), ExpressionAttributeValues: ctrExpr.Values()}},
		{Put: &types.Put{TableName: &s.Table, Item: idem, ConditionExpression: idemExpr.Condition(),
			ExpressionAttributeNames: idemExpr.Names(), ExpressionAttributeValues: idemExpr.Values()}},
		{Put: &types.Put{TableName: &s.Table, Item: cItem, ConditionExpression: newExpr.Condition(), ExpressionAttributeNames: newExpr.Names()}},
		{Put: &types.Put{TableName: &s.Table, Item: evItem, ConditionExpression: newExpr.Condition(), ExpressionAttributeNames: newExpr.Names()}},
	}
	// The uploads it names become its own, as a filing's do (items 4…, so that a cancellation
	// names the one taken).
	ids := c.UploadIDs()
	claims, err := s.claims(filing.Filing{ID: c.ID, Expo: c.Expo, Exhibitor: n.Filer}, ids)
	if err != nil {
		return c, false, false, err
	}
	items = append(items, claims...)
	for _, list := range complaintLists(c) {
		items = append(items, types.TransactWriteItem{Put: &types.Put{TableName: &s.Table, Item: key(list, c.ID)}})
	}
	notices, err := s.eventNoticePuts(n.Event, c.ComplaintNumber)
	if err != nil {
		return c, false, false, err
	}
	items = append(items, notices...)
	_, err = s.Client.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items})
	if err == nil {
		return c, false, false, nil
	}
	reasons, cancelled := cancellation(err)
	switch {
	case cancelled && reasons[1]:
		prev, lerr := s.lookupComplaint(ctx, idemPK, n.Hash, c.Expo, now)
		if filing.ErrorKind(lerr) == filing.NotFound {
			return c, false, true, lerr // expired meanwhile: try again
		}
		return prev, lerr == nil, false, lerr
	case cancelled && reasons[0], isConflict(err):
		return c, false, true, err // another complaint took the number, or a race: again
	case cancelled && takenUpload(reasons, 4, ids) != "":
		return c, false, false, filing.ErrUploadTaken(takenUpload(reasons, 4, ids))
	}
	return c, false, false, fmt.Errorf("dynamo: create complaint %s: %w", c.ID, err)
}

func (s *Store) complaintEventItem(id string, version int, ev filing.Event) (map[string]types.AttributeValue, error) {
	doc, err := json.Marshal(ev)
	if err != nil {
		return nil, err
	}
	return attributevalue.MarshalMap(item{PK: complaintKey(id), SK: eventSK(version), Doc: string(doc), Version: version})
}

func complaintIdemKey(expo, filer, key string) string {
	return "CIDEM#" + expo + "#" + filer + "#" + key
}

// LookupComplaint implements filing.ComplaintStore.
func (s *Store) LookupComplaint(ctx context.Context, expo, filer, key, hash string, now time.Time) (filing.Complaint, error) {
	return s.lookupComplaint(ctx, complaintIdemKey(expo, filer, key), hash, expo, now)
}

// lookupComplaint returns the complaint an unexpired idempotency record names.
func (s *Store) lookupComplaint(ctx context.Context, idemPK, hash, expo string, now time.Time) (filing.Complaint, error) {
	out, err := s.Client.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.Table, Key: key(idemPK, "IDEM"), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return filing.Complaint{}, fmt.Errorf("dynamo: read idempotency record: %w", err)
	}
	var rec item
	if err := attributevalue.UnmarshalMap(out.Item, &rec); err != nil {
		return filing.Complaint{}, err
	}
	if out.Item == nil || rec.Expiration <= now.Unix() {
		return filing.Complaint{}, filing.ErrNotFound
	}
	if rec.Hash != hash {
		return filing.Complaint{}, filing.Errorf(filing.Invalid, filing.CodeIdempotencyReused,
			"this Idempotency-Key was already used with a different body")
	}
	return s.GetComplaint(ctx, expo, rec.FilingID)
}

// GetComplaint implements filing.ComplaintStore.
func (s *Store) GetComplaint(ctx context.Context, expo, id string) (filing.Complaint, error) {
	out, err := s.Client.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.Table, Key: key(complaintKey(id), "C"), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return filing.Complaint{}, fmt.Errorf("dynamo: get complaint %s: %w", id, err)
	}
	if out.Item == nil {
		return filing.Complaint{}, filing.ErrNotFound
	}
	c, err := decodeComplaint(out.Item)
	if err == nil && c.Expo != expo {
		return filing.Complaint{}, filing.ErrNotFound
	}
	return c, err
}

// UpdateComplaint implements filing.ComplaintStore.
func (s *Store) UpdateComplaint(ctx context.Context, c filing.Complaint, ev filing.Event, claim filing.UploadClaim) error {
	cur, err := s.GetComplaint(ctx, c.Expo, c.ID)
	if err != nil {
		return err
	}
	if cur.Version != c.Version-1 {
		return filing.Errorf(filing.Conflict, filing.CodeVersionConflict, "complaint %s is at version %d, not %d", c.ID, cur.Version, c.Version-1)
	}
	cItem, err := complaintItem(c)
	if err != nil {
		return err
	}
	evItem, err := s.complaintEventItem(c.ID, c.Version, ev)
	if err != nil {
		return err
	}
	verExpr, err := cond(expression.Name("version").Equal(expression.Value(c.Version - 1)))
	if err != nil {
		return err
	}
	newExpr, err := cond(expression.AttributeNotExists(expression.Name("pk")))
	if err != nil {
		return err
	}
	items := []types.TransactWriteItem{
		{Put: &types.Put{TableName: &s.Table, Item: cItem, ConditionExpression: verExpr.Condition(),
			ExpressionAttributeNames: verExpr.Names(), ExpressionAttributeValues: verExpr.Values()}},
		{Put: &types.Put{TableName: &s.Table, Item: evItem, ConditionExpression: newExpr.Condition(), ExpressionAttributeNames: newExpr.Names()}},
	}
	// The uploads it claims (items 2…, so that a cancellation names the one taken).
	claims, err := s.claims(filing.Filing{ID: c.ID, Expo: c.Expo, Exhibitor: claim.Owner}, claim.IDs)
	if err != nil {
		return err
	}
	items = append(items, claims...)
	if cur.State != c.State { // the state's list row moves with it
		items = append(items,
			types.TransactWriteItem{Delete: &types.Delete{TableName: &s.Table, Key: key(complaintLists(cur)[0], c.ID)}},
			types.TransactWriteItem{Put: &types.Put{TableName: &s.Table, Item: key(complaintLists(c)[0], c.ID)}})
	}
	notices, err := s.eventNoticePuts(ev, c.ComplaintNumber)
	if err != nil {
		return err
	}
	items = append(items, notices...)
	_, err = s.Client.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items})
	reasons, cancelled := cancellation(err)
	if taken := takenUpload(reasons, 2, claim.IDs); cancelled && !reasons[0] && taken != "" {
		return filing.ErrUploadTaken(taken)
	}
	if cancelled || isConflict(err) {
		return filing.Errorf(filing.Conflict, filing.CodeVersionConflict, "complaint %s changed meanwhile", c.ID)
	}
	if err != nil {
		return fmt.Errorf("dynamo: update complaint %s: %w", c.ID, err)
	}
	return nil
}

// ComplaintHistory implements filing.ComplaintStore.
func (s *Store) ComplaintHistory(ctx context.Context, expo, id string) ([]filing.Event, error) {
	if _, err := s.GetComplaint(ctx, expo, id); err != nil {
		return nil, err
	}
	out := []filing.Event{}
	err := s.queryAll(ctx, expression.Key("pk").Equal(expression.Value(complaintKey(id))).And(expression.Key("sk").BeginsWith("E#")),
		func(it item) error {
			var ev filing.Event
			if err := json.Unmarshal([]byte(it.Doc), &ev); err != nil {
				return err
			}
			out = append(out, ev)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("dynamo: complaint history %s: %w", id, err)
	}
	return out, nil
}

// ListComplaints implements filing.ComplaintStore: the list row of the most selective field,
// newest first, each complaint read (BatchGetItem) and checked against the rest of the query.
func (s *Store) ListComplaints(ctx context.Context, q filing.ComplaintQuery) (filing.ComplaintPage, error) {
	page := filing.ComplaintPage{Items: []filing.Complaint{}}
	probe := filing.Complaint{Expo: q.Expo, State: q.State, Filer: q.Filer}
	probe.Respondent.Booth = q.Booth
	lists := complaintLists(probe)
	list := lists[3]
	switch {
	case q.Filer != "":
		list = lists[1]
	case q.Booth != "":
		list = lists[2]
	case q.State != "":
		list = lists[0]
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 20
	}
	b := expression.Key("pk").Equal(expression.Value(list))
	if q.Cursor != "" {
		id, err := base64.RawURLEncoding.DecodeString(q.Cursor)
		if err != nil || len(id) == 0 || strings.ContainsAny(string(id), "#\x00") {
			return page, filing.Errorf(filing.Malformed, "invalid_format", "cursor is not one this server issued")
		}
		b = b.And(expression.Key("sk").LessThan(expression.Value(string(id))))
	}
	ex, err := expression.NewBuilder().WithKeyCondition(b).Build()
	if err != nil {
		return page, err
	}
	in := &dynamodb.QueryInput{TableName: &s.Table, ScanIndexForward: aws.Bool(false), ConsistentRead: aws.Bool(true),
		KeyConditionExpression: ex.KeyCondition(), ExpressionAttributeNames: ex.Names(), ExpressionAttributeValues: ex.Values(),
		Limit: aws.Int32(int32(limit + 1))}
	for {
		out, err := s.Client.Query(ctx, in)
		if err != nil {
			return page, fmt.Errorf("dynamo: list complaints %s: %w", list, err)
		}
		keys := make([]map[string]types.AttributeValue, 0, len(out.Items))
		var ids []string
		for _, av := range out.Items {
			sk, _ := av["sk"].(*types.AttributeValueMemberS)
			if sk != nil {
				ids = append(ids, sk.Value)
				keys = append(keys, key(complaintKey(sk.Value), "C"))
			}
		}
		byID, err := s.getComplaints(ctx, keys)
		if err != nil {
			return page, err
		}
		for _, id := range ids {
			c, ok := byID[id]
			if !ok || c.Expo != q.Expo || q.State != "" && c.State != q.State || q.Filer != "" && c.Filer != q.Filer ||
				q.Booth != "" && c.Respondent.Booth != q.Booth {
				continue
			}
			if len(page.Items) == limit {
				page.NextCursor = base64.RawURLEncoding.EncodeToString([]byte(page.Items[limit-1].ID))
				return page, nil
			}
			page.Items = append(page.Items, c)
		}
		if out.LastEvaluatedKey == nil {
			return page, nil
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
		in.Limit = aws.Int32(100)
	}
}

// getComplaints reads complaints by key (BatchGetItem, strongly consistent).
func (s *Store) getComplaints(ctx context.Context, keys []map[string]types.AttributeValue) (map[string]filing.Complaint, error) {
	out := map[string]filing.Complaint{}
	err := s.batchGet(ctx, keys, func(av map[string]types.AttributeValue) error {
		c, err := decodeComplaint(av)
		out[c.ID] = c
		return err
	})
	return out, err
}
