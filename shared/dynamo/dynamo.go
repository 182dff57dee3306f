// Package dynamo adapts Amazon DynamoDB (aws-sdk-go-v2) to the filing.Store port, in one table:
//
//	pk                              sk            what
//	F#<filing id>                   F             the filing (doc: JSON), with expo, state, version, queue, routeSeq
//	F#<filing id>                   E#<version>   its audit events, one per version (append-only), with
//	                                              the event's notice to the contact if it has one (notices.go)
//	F#<filing id>                   N#reminder#…  a reminder's notice; UNSUB: no more reminders (notices.go)
//	IDEM#<expo>#<exhibitor>#<key>   IDEM          idempotency record (hash, filing id, TTL attribute expiration)
//	CTR#<prefix>-<type>             CTR           the last filing number of a counter (seq)
//	UP#<upload id>                  UP            an upload slot (uploads.go)
//	ST#<status token>               ST            a public status link: the filing id
//	CKPT#<shard>                    CKPT          the local poller's stream checkpoint (changes.go)
//	META                            LAYOUT        the layout version (migrate.go)
//
// Every expo of the deployment shares the table (SPEC §14): filing and upload rows carry their
// expo, reads of another expo's row answer NotFound, and every index partition is per expo.
// GSI1 (gsi1pk = EXH#<expo>#<exhibitor>, gsi1sk = filing id, ids being time-ordered) lists an
// exhibitor's filings newest first; GSI2 (gsi2pk = STATE#<expo>#<state>) an expo's filings in
// one state, oldest first. The queue attribute holds the qualified queue name
// (filing.ExpoQueue), which is what the outbox sends to. Creating a filing is one TransactWriteItems (counter,
// idempotency record, filing, first event, status link, counts); the router indexes it for
// search from the stream (search.go). The table's stream carries every filing write to
// the router, which sends the filing to its review queue: the transactional outbox that makes a
// stored filing reach its queue even when SQS is down at the moment it is stored.
package dynamo

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/ipfast/ipfast/shared/filing"
)

// The indexes: GSI1 lists an exhibitor's filings, GSI2 the filings in one state.
const (
	GSI1 = "gsi1"
	GSI2 = "gsi2"
)

// Store is the DynamoDB filing store.
type Store struct {
	Client *dynamodb.Client
	Table  string

	mu       sync.Mutex
	counters map[string]*sync.Mutex
}

// counterLock serializes this process's creates on one counter: they would only race each
// other for the same number. Other processes still race, and the conditional write settles it.
func (s *Store) counterLock(name string) *sync.Mutex {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.counters == nil {
		s.counters = map[string]*sync.Mutex{}
	}
	m, ok := s.counters[name]
	if !ok {
		m = &sync.Mutex{}
		s.counters[name] = m
	}
	return m
}

var _ filing.Store = (*Store)(nil)

// item is a row of the table. Doc holds the filing or event as JSON: what the domain reads back
// is exactly what it wrote, and the other attributes exist for keys, conditions and the stream.
type item struct {
	PK         string `dynamodbav:"pk"`
	SK         string `dynamodbav:"sk"`
	GSI1PK     string `dynamodbav:"gsi1pk,omitempty"`
	GSI1SK     string `dynamodbav:"gsi1sk,omitempty"`
	GSI2PK     string `dynamodbav:"gsi2pk,omitempty"`
	GSI2SK     string `dynamodbav:"gsi2sk,omitempty"`
	Doc        string `dynamodbav:"doc,omitempty"`
	State      string `dynamodbav:"state,omitempty"`
	Version    int    `dynamodbav:"version,omitempty"`
	Queue      string `dynamodbav:"queue,omitempty"`
	Expo       string `dynamodbav:"expo,omitempty"`
	RouteSeq   int    `dynamodbav:"routeSeq,omitempty"` // the version at which routing was last asked for
	FilingID   string `dynamodbav:"filingId,omitempty"`
	Hash       string `dynamodbav:"hash,omitempty"`
	Status     string `dynamodbav:"status,omitempty"`
	Expiration int64  `dynamodbav:"expiration,omitempty"` // TTL attribute (epoch seconds)
	Seq        int    `dynamodbav:"seq,omitempty"`
	// IX is 1 on a filing row whose terms and counts are in the index (layout 3, search.go).
	IX int `dynamodbav:"ix,omitempty"`
}

func filingKey(id string) string { return "F#" + id }

func eventSK(version int) string { return fmt.Sprintf("E#%010d", version) }

func idemKey(expo, exhibitor, key string) string { return "IDEM#" + expo + "#" + exhibitor + "#" + key }

func exhibPartition(expo, exhibitor string) string { return "EXH#" + expo + "#" + exhibitor }

func statePartition(expo string, st filing.State) string { return "STATE#" + expo + "#" + string(st) }

func key(pk, sk string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: pk},
		"sk": &types.AttributeValueMemberS{Value: sk}}
}

func filingItem(f filing.Filing, routeSeq int) (map[string]types.AttributeValue, error) {
	doc, err := json.Marshal(f)
	if err != nil {
		return nil, err
	}
	return attributevalue.MarshalMap(item{PK: filingKey(f.ID), SK: "F", GSI1PK: exhibPartition(f.Expo, f.Exhibitor), GSI1SK: f.ID,
		GSI2PK: statePartition(f.Expo, f.State), GSI2SK: f.ID, Expo: f.Expo,
		Doc: string(doc), State: string(f.State), Version: f.Version, Queue: filing.ExpoQueue(f.Expo, f.Queue), RouteSeq: routeSeq, IX: 1})
}

func eventItem(id string, version int, ev filing.Event) (map[string]types.AttributeValue, error) {
	doc, err := json.Marshal(ev)
	if err != nil {
		return nil, err
	}
	return attributevalue.MarshalMap(item{PK: filingKey(id), SK: eventSK(version), Doc: string(doc), Version: version})
}

func cond(b expression.ConditionBuilder) (expression.Expression, error) {
	return expression.NewBuilder().WithCondition(b).Build()
}

// Create implements filing.Store.
func (s *Store) Create(ctx context.Context, n filing.NewFiling) (filing.Filing, bool, error) {
	lock := s.counterLock(n.Counter)
	lock.Lock()
	defer lock.Unlock()
	seq := -1 // unknown: read it
	for attempt := 0; ; attempt++ {
		f, replayed, retry, err := s.tryCreate(ctx, n, &seq)
		if !retry {
			return f, replayed, err
		}
		if attempt >= 200 {
			return filing.Filing{}, false, fmt.Errorf("dynamo: create %s: counter %s stayed contended: %w", n.Filing.ID, n.Counter, err)
		}
		if seq >= 0 {
			continue // another process took the number; the next one is known: try it at once
		}
		// The transaction conflicted: back off a little, with jitter so that contenders spread
		// out, and try again.
		sleep := time.Duration(rand.IntN(5+min(attempt, 20)*5)) * time.Millisecond
		select {
		case <-ctx.Done():
			return filing.Filing{}, false, ctx.Err()
		case <-time.After(sleep):
		}
	}
}

// tryCreate makes one attempt with the counter value *seq (-1: read it first). When another
// filing took the number, it leaves the counter's current value, from the cancellation, in *seq.
func (s *Store) tryCreate(ctx context.Context, n filing.NewFiling, seq *int) (f filing.Filing, replayed, retry bool, err error) {
	ctrKey := key("CTR#"+n.Counter, "CTR")
	var ctr item
	if *seq < 0 {
		got, err := s.Client.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.Table, Key: ctrKey, ConsistentRead: aws.Bool(true)})
		if err != nil {
			return f, false, false, fmt.Errorf("dynamo: read counter %s: %w", n.Counter, err)
		}
		if err := attributevalue.UnmarshalMap(got.Item, &ctr); err != nil {
			return f, false, false, err
		}
	} else {
		ctr.Seq = *seq
	}
	*seq = -1
	next := ctr.Seq + 1
	f = n.Filing
	f.FilingNumber = filing.FilingNumber(n.Counter, next)

	// The counter moves only from the value we read: a concurrent filing makes this fail, and we
	// retry with the next number. Nothing else ever writes the counter, so numbers have no gaps.
	ctrCond := expression.Name("seq").Equal(expression.Value(ctr.Seq))
	if ctr.Seq == 0 {
		ctrCond = expression.AttributeNotExists(expression.Name("pk"))
	}
	ctrExpr, err := expression.NewBuilder().WithCondition(ctrCond).
		WithUpdate(expression.Set(expression.Name("seq"), expression.Value(next))).Build()
	if err != nil {
		return f, false, false, err
	}
	now := n.Now
	if now.IsZero() {
		now = time.Now()
	}
	idemExpr, err := cond(expression.AttributeNotExists(expression.Name("pk")).
		Or(expression.Name("expiration").LessThan(expression.Value(now.Unix()))))
	if err != nil {
		return f, false, false, err
	}
	newExpr, err := cond(expression.AttributeNotExists(expression.Name("pk")))
	if err != nil {
		return f, false, false, err
	}
	idem, err := attributevalue.MarshalMap(item{PK: idemKey(n.Filing.Expo, n.Exhibitor, n.Key), SK: "IDEM", FilingID: f.ID, Expo: f.Expo,
		Hash: n.Hash, Status: "COMPLETED", Expiration: n.Expires.Unix()})
	if err != nil {
		return f, false, false, err
	}
	fItem, err := filingItem(f, f.Version)
	if err != nil {
		return f, false, false, err
	}
	evItem, err := eventItem(f.ID, f.Version, n.Event)
	if err != nil {
		return f, false, false, err
	}
	if err := withNotice(evItem, f, n.Event); err != nil {
		return f, false, false, err
	}
	claims, err := s.claims(f, filing.NewDocuments(filing.Filing{}, f))
	if err != nil {
		return f, false, false, err
	}
	if f.StatusToken != "" {
		// The public status link's row goes last, so that the claims keep their places in a
		// cancellation's reasons.
		link, err := attributevalue.MarshalMap(item{PK: statusKey(f.StatusToken), SK: "ST", FilingID: f.ID})
		if err != nil {
			return f, false, false, err
		}
		claims = append(claims, types.TransactWriteItem{Put: &types.Put{TableName: &s.Table, Item: link,
			ConditionExpression: newExpr.Condition(), ExpressionAttributeNames: newExpr.Names()}})
	}
	index, err := s.countItems(nil, f, maxTransactItems-4-len(claims))
	if err != nil {
		return f, false, false, err
	}
	claims = append(claims, index...)
	_, err = s.Client.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: append([]types.TransactWriteItem{
		{Update: &types.Update{TableName: &s.Table, Key: ctrKey, UpdateExpression: ctrExpr.Update(),
			ConditionExpression: ctrExpr.Condition(), ExpressionAttributeNames: ctrExpr.Names(),
			ExpressionAttributeValues:           ctrExpr.Values(),
			ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld}},
		{Put: &types.Put{TableName: &s.Table, Item: idem, ConditionExpression: idemExpr.Condition(),
			ExpressionAttributeNames: idemExpr.Names(), ExpressionAttributeValues: idemExpr.Values()}},
		{Put: &types.Put{TableName: &s.Table, Item: fItem, ConditionExpression: newExpr.Condition(),
			ExpressionAttributeNames: newExpr.Names()}},
		{Put: &types.Put{TableName: &s.Table, Item: evItem, ConditionExpression: newExpr.Condition(),
			ExpressionAttributeNames: newExpr.Names()}},
	}, claims...)})
	if err == nil {
		return f, false, false, nil
	}
	reasons, cancelled := cancellation(err)
	switch {
	case cancelled && reasons[1]:
		// The idempotency key is taken: replay, or refuse a different body.
		prev, lerr := s.Lookup(ctx, n.Filing.Expo, n.Exhibitor, n.Key, n.Hash, now)
		if filing.ErrorKind(lerr) == filing.NotFound {
			return f, false, true, lerr // expired meanwhile: try again
		}
		return prev, lerr == nil, false, lerr
	case cancelled && reasons[0]:
		// Another filing took the number: the cancellation carries the counter as it is now.
		var tce *types.TransactionCanceledException
		if errors.As(err, &tce) && len(tce.CancellationReasons) > 0 {
			var now item
			if attributevalue.UnmarshalMap(tce.CancellationReasons[0].Item, &now) == nil && now.Seq > ctr.Seq {
				*seq = now.Seq
			}
		}
		return f, false, true, err
	case cancelled && takenUpload(reasons, 4, filing.NewDocuments(filing.Filing{}, f)) != "":
		// An upload the filing names is missing, another exhibitor's or another filing's.
		return f, false, false, filing.ErrUploadTaken(takenUpload(reasons, 4, filing.NewDocuments(filing.Filing{}, f)))
	case isConflict(err):
		return f, false, true, err
	}
	return f, false, false, fmt.Errorf("dynamo: create %s: %w", f.ID, err)
}

// cancellation reports which items of a cancelled transaction failed their condition.
func cancellation(err error) (failed map[int]bool, ok bool) {
	var tce *types.TransactionCanceledException
	if !errors.As(err, &tce) {
		return nil, false
	}
	failed = map[int]bool{}
	for i, r := range tce.CancellationReasons {
		if aws.ToString(r.Code) == "ConditionalCheckFailed" {
			failed[i] = true
		}
	}
	return failed, len(failed) > 0
}

// takenUpload names the first upload whose claim failed, the claims starting at item first
// ("" if none did).
func takenUpload(failed map[int]bool, first int, ids []string) string {
	for i, id := range ids {
		if failed[first+i] {
			return id
		}
	}
	return ""
}

// isConflict reports a transaction that lost a race with another one (retry is safe).
func isConflict(err error) bool {
	var tce *types.TransactionCanceledException
	if errors.As(err, &tce) {
		for _, r := range tce.CancellationReasons {
			if c := aws.ToString(r.Code); c == "TransactionConflict" {
				return true
			}
		}
	}
	var tc *types.TransactionConflictException
	var tip *types.TransactionInProgressException
	return errors.As(err, &tc) || errors.As(err, &tip)
}

// Lookup implements filing.Store.
func (s *Store) Lookup(ctx context.Context, expo, exhibitor, k, hash string, now time.Time) (filing.Filing, error) {
	out, err := s.Client.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.Table,
		Key: key(idemKey(expo, exhibitor, k), "IDEM"), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return filing.Filing{}, fmt.Errorf("dynamo: read idempotency record: %w", err)
	}
	if out.Item == nil {
		return filing.Filing{}, filing.ErrNotFound
	}
	var rec item
	if err := attributevalue.UnmarshalMap(out.Item, &rec); err != nil {
		return filing.Filing{}, err
	}
	// TTL deletes lazily (up to days later): an expired record counts as absent at once.
	if rec.Expiration <= now.Unix() {
		return filing.Filing{}, filing.ErrNotFound
	}
	if rec.Hash != hash {
		return filing.Filing{}, filing.Errorf(filing.Invalid, filing.CodeIdempotencyReused,
			"this Idempotency-Key was already used with a different body")
	}
	return s.Get(ctx, expo, rec.FilingID)
}

func statusKey(token string) string { return "ST#" + token }

// ByStatusToken implements filing.Store.
func (s *Store) ByStatusToken(ctx context.Context, token string) (filing.Filing, error) {
	if token == "" {
		return filing.Filing{}, filing.ErrNotFound
	}
	out, err := s.Client.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.Table, Key: key(statusKey(token), "ST"),
		ConsistentRead: aws.Bool(true)})
	if err != nil {
		return filing.Filing{}, fmt.Errorf("dynamo: status link: %w", err)
	}
	if out.Item == nil {
		return filing.Filing{}, filing.ErrNotFound
	}
	var link item
	if err := attributevalue.UnmarshalMap(out.Item, &link); err != nil {
		return filing.Filing{}, err
	}
	got, err := s.Client.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.Table, Key: key(filingKey(link.FilingID), "F"),
		ConsistentRead: aws.Bool(true)})
	if err != nil {
		return filing.Filing{}, fmt.Errorf("dynamo: get %s: %w", link.FilingID, err)
	}
	if got.Item == nil {
		return filing.Filing{}, filing.ErrNotFound
	}
	return decodeFiling(got.Item)
}

// Get implements filing.Store.
func (s *Store) Get(ctx context.Context, expo, id string) (filing.Filing, error) {
	out, err := s.Client.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.Table, Key: key(filingKey(id), "F"),
		ConsistentRead: aws.Bool(true)})
	if err != nil {
		return filing.Filing{}, fmt.Errorf("dynamo: get %s: %w", id, err)
	}
	if out.Item == nil {
		return filing.Filing{}, filing.ErrNotFound
	}
	f, err := decodeFiling(out.Item)
	if err == nil && f.Expo != expo {
		return filing.Filing{}, filing.ErrNotFound
	}
	return f, err
}

func decodeFiling(av map[string]types.AttributeValue) (filing.Filing, error) {
	var it item
	var f filing.Filing
	if err := attributevalue.UnmarshalMap(av, &it); err != nil {
		return f, err
	}
	if err := json.Unmarshal([]byte(it.Doc), &f); err != nil {
		return f, fmt.Errorf("dynamo: decode filing %s: %w", it.PK, err)
	}
	return f, nil
}

// Update implements filing.Store.
func (s *Store) Update(ctx context.Context, f filing.Filing, ev filing.Event, requeue bool) error {
	for attempt := 0; ; attempt++ {
		retry, err := s.tryUpdate(ctx, f, ev, requeue)
		if !retry || attempt >= 50 {
			return err
		}
		// The transaction met another one on a shared row (a counter): not a conflict of this
		// filing's, so try again, with jitter.
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(rand.IntN(5+min(attempt, 20)*5)) * time.Millisecond):
		}
	}
}

// tryUpdate makes one attempt at Update; retry reports a transaction conflict on a row that
// is not the filing's.
func (s *Store) tryUpdate(ctx context.Context, f filing.Filing, ev filing.Event, requeue bool) (retry bool, err error) {
	got, err := s.Client.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.Table, Key: key(filingKey(f.ID), "F"),
		ConsistentRead: aws.Bool(true)})
	if err != nil {
		return false, fmt.Errorf("dynamo: read %s: %w", f.ID, err)
	}
	if got.Item == nil {
		return false, filing.ErrNotFound
	}
	var cur item
	if err := attributevalue.UnmarshalMap(got.Item, &cur); err != nil {
		return false, err
	}
	if cur.Expo != f.Expo {
		return false, filing.ErrNotFound
	}
	old, err := decodeFiling(got.Item)
	if err != nil {
		return false, err
	}
	var newDocs []string
	if len(f.Documents) > 0 { // only then can the update name uploads the stored version does not
		newDocs = filing.NewDocuments(old, f)
	}
	claims, err := s.claims(f, newDocs)
	if err != nil {
		return false, err
	}
	if cur.Version != f.Version-1 {
		return false, filing.Errorf(filing.Conflict, filing.CodeVersionConflict, "filing %s is at version %d, not %d",
			f.ID, cur.Version, f.Version-1)
	}
	// A new routeSeq is what tells the router to send the filing to its queue again; any other
	// change keeps the old one.
	routeSeq := cur.RouteSeq
	if requeue {
		routeSeq = f.Version
	}
	fItem, err := filingItem(f, routeSeq)
	if err != nil {
		return false, err
	}
	evItem, err := eventItem(f.ID, f.Version, ev)
	if err != nil {
		return false, err
	}
	if err := withNotice(evItem, f, ev); err != nil {
		return false, err
	}
	verExpr, err := cond(expression.Name("version").Equal(expression.Value(f.Version - 1)))
	if err != nil {
		return false, err
	}
	newExpr, err := cond(expression.AttributeNotExists(expression.Name("pk")))
	if err != nil {
		return false, err
	}
	before := &old
	if cur.IX == 0 { // written before layout 3 and not yet counted: count it whole now
		before = nil
	}
	index, err := s.countItems(before, f, maxTransactItems-2-len(claims))
	if err != nil {
		return false, err
	}
	_, err = s.Client.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: append(append([]types.TransactWriteItem{
		{Put: &types.Put{TableName: &s.Table, Item: fItem, ConditionExpression: verExpr.Condition(),
			ExpressionAttributeNames: verExpr.Names(), ExpressionAttributeValues: verExpr.Values()}},
		{Put: &types.Put{TableName: &s.Table, Item: evItem, ConditionExpression: newExpr.Condition(),
			ExpressionAttributeNames: newExpr.Names()}},
	}, claims...), index...)})
	if reasons, cancelled := cancellation(err); cancelled && !reasons[0] && takenUpload(reasons, 2, newDocs) != "" {
		return false, filing.ErrUploadTaken(takenUpload(reasons, 2, newDocs))
	}
	if _, cancelled := cancellation(err); cancelled {
		return false, filing.Errorf(filing.Conflict, filing.CodeVersionConflict, "filing %s changed meanwhile", f.ID)
	}
	if isConflict(err) {
		return true, filing.Errorf(filing.Conflict, filing.CodeVersionConflict, "filing %s changed meanwhile", f.ID)
	}
	if err != nil {
		return false, fmt.Errorf("dynamo: update %s: %w", f.ID, err)
	}
	return false, nil
}

// History implements filing.Store.
func (s *Store) History(ctx context.Context, expo, id string) ([]filing.Event, error) {
	kc := expression.Key("pk").Equal(expression.Value(filingKey(id)))
	ex, err := expression.NewBuilder().WithKeyCondition(kc).Build()
	if err != nil {
		return nil, err
	}
	in := &dynamodb.QueryInput{TableName: &s.Table, ConsistentRead: aws.Bool(true),
		KeyConditionExpression: ex.KeyCondition(), ExpressionAttributeNames: ex.Names(), ExpressionAttributeValues: ex.Values()}
	out := []filing.Event{}
	found := false
	for {
		page, err := s.Client.Query(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("dynamo: history %s: %w", id, err)
		}
		for _, av := range page.Items {
			var it item
			if err := attributevalue.UnmarshalMap(av, &it); err != nil {
				return nil, err
			}
			if it.SK == "F" {
				if it.Expo != expo {
					return nil, filing.ErrNotFound
				}
				found = true
				continue
			}
			if !strings.HasPrefix(it.SK, "E#") { // a reminder's notice, or UNSUB (notices.go)
				continue
			}
			var ev filing.Event
			if err := json.Unmarshal([]byte(it.Doc), &ev); err != nil {
				return nil, fmt.Errorf("dynamo: decode event %s %s: %w", id, it.SK, err)
			}
			out = append(out, ev) // sort keys E#<version> come back in version order
		}
		if page.LastEvaluatedKey == nil {
			break
		}
		in.ExclusiveStartKey = page.LastEvaluatedKey
	}
	if !found {
		return nil, filing.ErrNotFound
	}
	return out, nil
}

// List implements filing.Store.
func (s *Store) List(ctx context.Context, q filing.ListQuery) (filing.Page, error) {
	var filter *expression.ConditionBuilder
	if q.State != "" {
		c := expression.Name("state").Equal(expression.Value(string(q.State)))
		filter = &c
	}
	return s.query(ctx, GSI1, "gsi1", exhibPartition(q.Expo, q.Exhibitor), filter, false, q)
}

// ListByState implements filing.Store.
func (s *Store) ListByState(ctx context.Context, q filing.ListQuery) (filing.Page, error) {
	return s.query(ctx, GSI2, "gsi2", statePartition(q.Expo, q.State), nil, true, q)
}

// query pages through one partition of an index (attribute names prefix+"pk"/"sk").
func (s *Store) query(ctx context.Context, index, prefix, partition string, filter *expression.ConditionBuilder,
	forward bool, q filing.ListQuery) (filing.Page, error) {
	page := filing.Page{Items: []filing.Filing{}}
	b := expression.NewBuilder().WithKeyCondition(expression.Key(prefix + "pk").Equal(expression.Value(partition)))
	if filter != nil {
		b = b.WithFilter(*filter)
	}
	ex, err := b.Build()
	if err != nil {
		return page, err
	}
	in := &dynamodb.QueryInput{TableName: &s.Table, IndexName: aws.String(index), ScanIndexForward: aws.Bool(forward),
		KeyConditionExpression: ex.KeyCondition(), FilterExpression: ex.Filter(),
		ExpressionAttributeNames: ex.Names(), ExpressionAttributeValues: ex.Values(), Limit: aws.Int32(int32(q.Limit + 1))}
	if q.Cursor != "" {
		id, err := base64.RawURLEncoding.DecodeString(q.Cursor)
		if err != nil || len(id) == 0 || strings.ContainsAny(string(id), "#\x00") {
			return page, filing.Errorf(filing.Malformed, "invalid_format", "cursor is not one this server issued")
		}
		in.ExclusiveStartKey = map[string]types.AttributeValue{
			"pk": &types.AttributeValueMemberS{Value: filingKey(string(id))}, "sk": &types.AttributeValueMemberS{Value: "F"},
			prefix + "pk": &types.AttributeValueMemberS{Value: partition}, prefix + "sk": &types.AttributeValueMemberS{Value: string(id)}}
	}
	for {
		out, err := s.Client.Query(ctx, in)
		if err != nil {
			return page, fmt.Errorf("dynamo: query %s %s: %w", index, partition, err)
		}
		for _, av := range out.Items {
			if len(page.Items) == q.Limit {
				page.NextCursor = base64.RawURLEncoding.EncodeToString([]byte(page.Items[q.Limit-1].ID))
				return page, nil
			}
			f, err := decodeFiling(av)
			if err != nil {
				return page, err
			}
			page.Items = append(page.Items, f)
		}
		if out.LastEvaluatedKey == nil {
			return page, nil
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
}
