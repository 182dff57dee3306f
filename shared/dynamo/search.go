package dynamo

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/ipfast/ipfast/shared/filing"
	"github.com/ipfast/ipfast/shared/search"
)

// The search index and the running counts (layout 3). The counts are written in the
// transaction of each filing write; the index rows by the router, from the table's stream
// (IndexChange), a moment later:
//
//	SRCH#<expo>#<first rune of term>   <term> <filing id>   one row per term of a filing
//	                                                         (search.Terms, search.All)
//	CNT#<expo>                         <counter>#<shard>    a counter (attribute n), ADDed to
//
// Index rows are keys only (terms hold no spaces); a search reads a term prefix's rows, then
// the filings, newest first, and checks each against the whole query, so a stale row costs a
// read and never a wrong answer. Counters are spread over countShards rows each (by filing id)
// so that concurrent writes rarely touch the same row; Counts sums them in one Query.
const (
	countShards = 4
	// maxTerms bounds the index rows of one filing.
	maxTerms = 40
	// maxTransactItems is DynamoDB's limit on the items of one TransactWriteItems.
	maxTransactItems = 100
)

func searchPartition(expo, term string) string {
	r, _ := utf8.DecodeRuneInString(term)
	return "SRCH#" + expo + "#" + string(r)
}

func countPartition(expo string) string { return "CNT#" + expo }

// indexTerms are the terms a filing is indexed under: AllFilings first, then the most
// significant of its search terms.
func indexTerms(f filing.Filing) []string {
	t := search.Terms(f)
	if len(t) > maxTerms {
		t = t[:maxTerms]
	}
	return append([]string{search.All}, t...)
}

func shardOf(id string) int {
	h := fnv.New32a()
	h.Write([]byte(id))
	return int(h.Sum32() % countShards)
}

// countItems are the updates that keep the counts for a write of after over before (nil: a
// new filing, or one stored before layout 3 that was never counted), at most room of them. They
// go in the write's transaction: the counts must be exact.
func (s *Store) countItems(before *filing.Filing, after filing.Filing, room int) ([]types.TransactWriteItem, error) {
	var out []types.TransactWriteItem
	d := filing.CountsDelta(before, after)
	shard := strconv.Itoa(shardOf(after.ID))
	for _, k := range d.SortedKeys() {
		ex, err := expression.NewBuilder().WithUpdate(expression.Add(expression.Name("n"), expression.Value(d[k]))).Build()
		if err != nil {
			return nil, err
		}
		out = append(out, types.TransactWriteItem{Update: &types.Update{TableName: &s.Table,
			Key: key(countPartition(after.Expo), k+"#"+shard), UpdateExpression: ex.Update(),
			ExpressionAttributeNames: ex.Names(), ExpressionAttributeValues: ex.Values()}})
	}
	if len(out) > room {
		return nil, fmt.Errorf("dynamo: %s: %d counters do not fit in one transaction", after.ID, len(out))
	}
	return out, nil
}

// termRequests are the index rows to put and to delete for a write of after over before (nil:
// a new filing, or one whose terms were never indexed): new terms first, then old ones gone.
func (s *Store) termRequests(before *filing.Filing, after filing.Filing) []types.WriteRequest {
	var out []types.WriteRequest
	var old []string
	if before != nil {
		old = indexTerms(*before)
	}
	now := indexTerms(after)
	for _, t := range now {
		if !slices.Contains(old, t) {
			out = append(out, types.WriteRequest{PutRequest: &types.PutRequest{Item: key(searchPartition(after.Expo, t), t+" "+after.ID)}})
		}
	}
	for _, t := range old {
		if !slices.Contains(now, t) {
			out = append(out, types.WriteRequest{DeleteRequest: &types.DeleteRequest{Key: key(searchPartition(before.Expo, t), t+" "+before.ID)}})
		}
	}
	return out
}

// IndexChange brings the search index up to a change of a filing row, from the change
// record's new and old image (IndexAttributes as strings; nil: none): the index rows of terms
// the new version has and the old one did not are put, those of terms it lost deleted. The
// router does it for every change of a filing row it reads from the table's stream, before
// routing; a record read twice writes the same rows again. Rows of other kinds change nothing.
//
// The index is kept outside the filing's transaction: its rows are the most numerous writes
// of a filing, and a transaction costs every row twice. The price is that a filing reaches
// search a moment after it is stored (the stream's delay), never that search answers wrongly: a
// search checks every row's filing against the whole query.
func (s *Store) IndexChange(ctx context.Context, newImg, oldImg map[string]string) error {
	if newImg == nil || newImg["sk"] != "F" || newImg["doc"] == "" {
		return nil
	}
	var after filing.Filing
	if err := json.Unmarshal([]byte(newImg["doc"]), &after); err != nil {
		return fmt.Errorf("dynamo: index %s: %w", newImg["pk"], err)
	}
	var before *filing.Filing
	if oldImg != nil && oldImg["doc"] != "" && oldImg["ix"] != "" {
		// Indexed before (layout 3 and later); a row without ix has no index rows yet.
		before = &filing.Filing{}
		if err := json.Unmarshal([]byte(oldImg["doc"]), before); err != nil {
			return fmt.Errorf("dynamo: index %s: %w", newImg["pk"], err)
		}
	}
	return s.batchWrite(ctx, s.termRequests(before, after))
}

// batchWrite writes requests 25 to a BatchWriteItem, sending again what DynamoDB left
// unprocessed, with a growing pause, for up to about half a minute.
func (s *Store) batchWrite(ctx context.Context, reqs []types.WriteRequest) error {
	for len(reqs) > 0 {
		n := min(len(reqs), 25)
		pending := map[string][]types.WriteRequest{s.Table: reqs[:n]}
		reqs = reqs[n:]
		for attempt := 0; len(pending) > 0; attempt++ {
			if attempt > 0 {
				if attempt > 10 {
					return fmt.Errorf("dynamo: index: %d writes stayed unprocessed", len(pending[s.Table]))
				}
				select {
				case <-ctx.Done():
					return ctx.Err()
				case <-time.After(time.Duration(min(50<<attempt, 5000)) * time.Millisecond):
				}
			}
			out, err := s.Client.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: pending})
			if err != nil {
				return fmt.Errorf("dynamo: index: %w", err)
			}
			pending = out.UnprocessedItems
		}
	}
	return nil
}

// Counts implements filing.Store.
func (s *Store) Counts(ctx context.Context, expo string) (filing.Counts, error) {
	out := filing.Counts{}
	ex, err := expression.NewBuilder().WithKeyCondition(expression.Key("pk").Equal(expression.Value(countPartition(expo)))).Build()
	if err != nil {
		return nil, err
	}
	in := &dynamodb.QueryInput{TableName: &s.Table, ConsistentRead: aws.Bool(true),
		KeyConditionExpression: ex.KeyCondition(), ExpressionAttributeNames: ex.Names(), ExpressionAttributeValues: ex.Values()}
	for {
		page, err := s.Client.Query(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("dynamo: counts %s: %w", expo, err)
		}
		for _, av := range page.Items {
			var row struct {
				SK string `dynamodbav:"sk"`
				N  int64  `dynamodbav:"n"`
			}
			if err := attributevalue.UnmarshalMap(av, &row); err != nil {
				return nil, err
			}
			if i := strings.LastIndexByte(row.SK, '#'); i > 0 && row.N != 0 {
				out[row.SK[:i]] += row.N
			}
		}
		if page.LastEvaluatedKey == nil {
			break
		}
		in.ExclusiveStartKey = page.LastEvaluatedKey
	}
	for k, v := range out {
		if v == 0 {
			delete(out, k)
		}
	}
	return out, nil
}

// Search implements filing.Store.
func (s *Store) Search(ctx context.Context, q filing.SearchQuery) (filing.Page, error) {
	page := filing.Page{Items: []filing.Filing{}}
	var below string
	if q.Cursor != "" {
		id, err := base64.RawURLEncoding.DecodeString(q.Cursor)
		if err != nil || len(id) == 0 || strings.ContainsAny(string(id), "# \x00") {
			return page, filing.Errorf(filing.Malformed, "invalid_format", "cursor is not one this server issued")
		}
		below = string(id)
	}
	words := search.Words(q.Q)
	// take checks a batch of candidate ids, newest first; done when the page is full.
	take := func(ids []string) (bool, error) {
		fs, err := s.getMany(ctx, ids)
		if err != nil {
			return false, err
		}
		for _, id := range ids {
			f, ok := fs[id]
			if !ok || !search.Admits(q, f, words) {
				continue
			}
			if len(page.Items) == q.Limit {
				page.NextCursor = base64.RawURLEncoding.EncodeToString([]byte(page.Items[q.Limit-1].ID))
				return true, nil
			}
			page.Items = append(page.Items, f)
		}
		return false, nil
	}
	if len(words) == 0 {
		// The AllFilings rows, newest first, from the cursor on.
		part := searchPartition(q.Expo, search.All)
		b := expression.Key("pk").Equal(expression.Value(part)).And(expression.Key("sk").BeginsWith(search.All + " "))
		ex, err := expression.NewBuilder().WithKeyCondition(b).Build()
		if err != nil {
			return page, err
		}
		in := &dynamodb.QueryInput{TableName: &s.Table, ScanIndexForward: aws.Bool(false), ConsistentRead: aws.Bool(true),
			KeyConditionExpression: ex.KeyCondition(), ExpressionAttributeNames: ex.Names(), ExpressionAttributeValues: ex.Values(),
			Limit: aws.Int32(int32(q.Limit + 1))}
		if below != "" {
			in.ExclusiveStartKey = key(part, search.All+" "+below)
		}
		for {
			out, err := s.Client.Query(ctx, in)
			if err != nil {
				return page, fmt.Errorf("dynamo: search %s: %w", q.Expo, err)
			}
			ids := make([]string, 0, len(out.Items))
			for _, av := range out.Items {
				ids = append(ids, rowID(av))
			}
			if done, err := take(ids); done || err != nil {
				return page, err
			}
			if out.LastEvaluatedKey == nil {
				return page, nil
			}
			in.ExclusiveStartKey = out.LastEvaluatedKey
			in.Limit = aws.Int32(100)
		}
	}
	probe := words[0]
	for _, w := range words[1:] {
		if len(w) > len(probe) {
			probe = w
		}
	}
	b := expression.Key("pk").Equal(expression.Value(searchPartition(q.Expo, probe))).And(expression.Key("sk").BeginsWith(probe))
	ex, err := expression.NewBuilder().WithKeyCondition(b).Build()
	if err != nil {
		return page, err
	}
	in := &dynamodb.QueryInput{TableName: &s.Table, KeyConditionExpression: ex.KeyCondition(),
		ExpressionAttributeNames: ex.Names(), ExpressionAttributeValues: ex.Values()}
	seen := map[string]bool{}
	var ids []string
	for {
		out, err := s.Client.Query(ctx, in)
		if err != nil {
			return page, fmt.Errorf("dynamo: search %s: %w", q.Expo, err)
		}
		for _, av := range out.Items {
			if id := rowID(av); !seen[id] && (below == "" || id < below) {
				seen[id] = true
				ids = append(ids, id)
			}
		}
		if out.LastEvaluatedKey == nil {
			break
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
	slices.Sort(ids)
	slices.Reverse(ids)
	for len(ids) > 0 {
		n := min(len(ids), max(q.Limit+1, 25))
		if done, err := take(ids[:n]); done || err != nil {
			return page, err
		}
		ids = ids[n:]
	}
	return page, nil
}

// rowID is the filing id of an index row (the sort key after the term).
func rowID(av map[string]types.AttributeValue) string {
	sk, _ := av["sk"].(*types.AttributeValueMemberS)
	if sk == nil {
		return ""
	}
	_, id, _ := strings.Cut(sk.Value, " ")
	return id
}

// getMany reads filings by id (BatchGetItem, strongly consistent).
func (s *Store) getMany(ctx context.Context, ids []string) (map[string]filing.Filing, error) {
	out := map[string]filing.Filing{}
	keys := make([]map[string]types.AttributeValue, 0, len(ids))
	for _, id := range ids {
		keys = append(keys, key(filingKey(id), "F"))
	}
	err := s.batchGet(ctx, keys, func(av map[string]types.AttributeValue) error {
		f, err := decodeFiling(av)
		out[f.ID] = f
		return err
	})
	return out, err
}

// batchGet reads rows by key, 100 to a BatchGetItem, strongly consistent, asking again for
// what DynamoDB left unprocessed, and hands each row to take.
func (s *Store) batchGet(ctx context.Context, keys []map[string]types.AttributeValue, take func(map[string]types.AttributeValue) error) error {
	for len(keys) > 0 {
		n := min(len(keys), 100)
		req := map[string]types.KeysAndAttributes{s.Table: {Keys: keys[:n], ConsistentRead: aws.Bool(true)}}
		keys = keys[n:]
		for len(req) > 0 {
			got, err := s.Client.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: req})
			if err != nil {
				return fmt.Errorf("dynamo: batch read: %w", err)
			}
			for _, av := range got.Responses[s.Table] {
				if err := take(av); err != nil {
					return err
				}
			}
			req = got.UnprocessedKeys
		}
	}
	return nil
}
