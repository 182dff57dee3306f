package dynamo

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"sort"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/ipfast/ipfast/shared/filing"
)

// The exhibition display certificates' rows (SPEC §12):
//
//	X#<exhibit id>                  X        the exhibit (doc: JSON), expo, version; in the GSIs
//	                                         as XEXH#<expo>#<exhibitor> (gsi1) and
//	                                         XSTATE#<expo>#<state> (gsi2), sorted by id
//	CERT#<certificate id>           CERT     the certificate (doc: JSON), expo, version
//	CERTX#<expo>#<exhibitor>        <id>     an exhibitor's certificates (ids are time-ordered)
//
// Numbers come from counter rows (CTR#<PREFIX>-EC), taken as filing numbers are.

var _ filing.ExhibitStore = (*Store)(nil)

func exhibitKey(id string) map[string]types.AttributeValue { return key("X#"+id, "X") }

func certificateKey(id string) map[string]types.AttributeValue { return key("CERT#"+id, "CERT") }

func certificateList(c filing.Certificate) string { return "CERTX#" + c.Expo + "#" + c.Exhibitor }

func docItem(pk, sk string, v any, expo string, version int) (map[string]types.AttributeValue, error) {
	doc, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return attributevalue.MarshalMap(item{PK: pk, SK: sk, Doc: string(doc), Expo: expo, Version: version})
}

// getDoc reads a row's doc into v (NotFound when there is none).
func (s *Store) getDoc(ctx context.Context, k map[string]types.AttributeValue, v any) error {
	out, err := s.Client.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.Table, Key: k, ConsistentRead: aws.Bool(true)})
	if err != nil {
		return fmt.Errorf("dynamo: get: %w", err)
	}
	if out.Item == nil {
		return filing.ErrNotFound
	}
	var it item
	if err := attributevalue.UnmarshalMap(out.Item, &it); err != nil {
		return err
	}
	return json.Unmarshal([]byte(it.Doc), v)
}

// versioned is a Put of row that holds when the stored version is version-1 (or, for version
// 1, when there is no row).
func (s *Store) versioned(row map[string]types.AttributeValue, version int) (types.TransactWriteItem, error) {
	c := expression.Name("version").Equal(expression.Value(version - 1))
	if version <= 1 {
		c = expression.AttributeNotExists(expression.Name("pk"))
	}
	ex, err := cond(c)
	if err != nil {
		return types.TransactWriteItem{}, err
	}
	return types.TransactWriteItem{Put: &types.Put{TableName: &s.Table, Item: row, ConditionExpression: ex.Condition(),
		ExpressionAttributeNames: ex.Names(), ExpressionAttributeValues: ex.Values()}}, nil
}

// exhibitRow is an exhibit's row, with its places in the GSIs (ListExhibits).
func exhibitRow(e filing.ExhibitRecord) (map[string]types.AttributeValue, error) {
	row, err := docItem("X#"+e.ID, "X", e, e.Expo, e.Version)
	if err != nil {
		return nil, err
	}
	row["gsi1pk"] = &types.AttributeValueMemberS{Value: "XEXH#" + e.Expo + "#" + e.Exhibitor}
	row["gsi1sk"] = &types.AttributeValueMemberS{Value: e.ID}
	row["gsi2pk"] = &types.AttributeValueMemberS{Value: "XSTATE#" + e.Expo + "#" + string(e.State)}
	row["gsi2sk"] = &types.AttributeValueMemberS{Value: e.ID}
	return row, nil
}

// CreateExhibit implements filing.ExhibitStore.
func (s *Store) CreateExhibit(ctx context.Context, e filing.ExhibitRecord, claim filing.UploadClaim) error {
	row, err := exhibitRow(e)
	if err != nil {
		return err
	}
	put, err := s.versioned(row, 1)
	if err != nil {
		return err
	}
	claims, err := s.claims(filing.Filing{ID: e.ID, Expo: e.Expo, Exhibitor: claim.Owner}, claim.IDs)
	if err != nil {
		return err
	}
	_, err = s.Client.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: append([]types.TransactWriteItem{put}, claims...)})
	reasons, cancelled := cancellation(err)
	if taken := takenUpload(reasons, 1, claim.IDs); cancelled && taken != "" {
		return filing.ErrUploadTaken(taken)
	}
	if err != nil {
		return fmt.Errorf("dynamo: create exhibit %s: %w", e.ID, err)
	}
	return nil
}

// GetExhibit implements filing.ExhibitStore.
func (s *Store) GetExhibit(ctx context.Context, expo, id string) (filing.ExhibitRecord, error) {
	var e filing.ExhibitRecord
	if err := s.getDoc(ctx, exhibitKey(id), &e); err != nil {
		return filing.ExhibitRecord{}, err
	}
	if e.Expo != expo {
		return filing.ExhibitRecord{}, filing.ErrNotFound
	}
	return e, nil
}

// updateItem is the versioned Put of an existing exhibit, after checking it is of its expo.
func (s *Store) exhibitUpdate(ctx context.Context, e filing.ExhibitRecord) (types.TransactWriteItem, error) {
	if _, err := s.GetExhibit(ctx, e.Expo, e.ID); err != nil {
		return types.TransactWriteItem{}, err
	}
	row, err := exhibitRow(e)
	if err != nil {
		return types.TransactWriteItem{}, err
	}
	return s.versioned(row, max(e.Version, 2))
}

// UpdateExhibit implements filing.ExhibitStore.
func (s *Store) UpdateExhibit(ctx context.Context, e filing.ExhibitRecord) error {
	put, err := s.exhibitUpdate(ctx, e)
	if err != nil {
		return err
	}
	_, err = s.Client.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{put}})
	if _, cancelled := cancellation(err); cancelled || isConflict(err) {
		return filing.Errorf(filing.Conflict, filing.CodeVersionConflict, "exhibit %s changed meanwhile", e.ID)
	}
	if err != nil {
		return fmt.Errorf("dynamo: update exhibit %s: %w", e.ID, err)
	}
	return nil
}

// IssueCertificate implements filing.ExhibitStore: it reads the counter, has sign make the
// certificate with the next number and writes counter, exhibit, certificate and list row in
// one transaction; when another issue took the number meanwhile it signs again with the next.
func (s *Store) IssueCertificate(ctx context.Context, counter string, e filing.ExhibitRecord, sign func(number string) (filing.Certificate, error)) (filing.Certificate, error) {
	lock := s.counterLock(counter)
	lock.Lock()
	defer lock.Unlock()
	exhibit, err := s.exhibitUpdate(ctx, e)
	if err != nil {
		return filing.Certificate{}, err
	}
	for attempt := 0; ; attempt++ {
		ctrKey := key("CTR#"+counter, "CTR")
		got, err := s.Client.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.Table, Key: ctrKey, ConsistentRead: aws.Bool(true)})
		if err != nil {
			return filing.Certificate{}, fmt.Errorf("dynamo: read counter %s: %w", counter, err)
		}
		var ctr item
		if err := attributevalue.UnmarshalMap(got.Item, &ctr); err != nil {
			return filing.Certificate{}, err
		}
		ctrCond := expression.Name("seq").Equal(expression.Value(ctr.Seq))
		if ctr.Seq == 0 {
			ctrCond = expression.AttributeNotExists(expression.Name("pk"))
		}
		ctrExpr, err := expression.NewBuilder().WithCondition(ctrCond).
			WithUpdate(expression.Set(expression.Name("seq"), expression.Value(ctr.Seq+1))).Build()
		if err != nil {
			return filing.Certificate{}, err
		}
		c, err := sign(filing.FilingNumber(counter, ctr.Seq+1))
		if err != nil {
			return filing.Certificate{}, err
		}
		row, err := docItem("CERT#"+c.ID, "CERT", c, c.Expo, c.Version)
		if err != nil {
			return filing.Certificate{}, err
		}
		cert, err := s.versioned(row, 1)
		if err != nil {
			return filing.Certificate{}, err
		}
		items := []types.TransactWriteItem{
			{Update: &types.Update{TableName: &s.Table, Key: ctrKey, UpdateExpression: ctrExpr.Update(),
				ConditionExpression: ctrExpr.Condition(), ExpressionAttributeNames: ctrExpr.Names(), ExpressionAttributeValues: ctrExpr.Values()}},
			exhibit, cert,
			{Put: &types.Put{TableName: &s.Table, Item: key(certificateList(c), c.ID)}},
		}
		_, err = s.Client.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items})
		if err == nil {
			return c, nil
		}
		reasons, cancelled := cancellation(err)
		switch {
		case cancelled && reasons[1]:
			return filing.Certificate{}, filing.Errorf(filing.Conflict, filing.CodeVersionConflict, "exhibit %s changed meanwhile", e.ID)
		case cancelled && reasons[0], isConflict(err):
			// Another process took the number, or a race: sign again with the next one.
		default:
			return filing.Certificate{}, fmt.Errorf("dynamo: issue certificate for exhibit %s: %w", e.ID, err)
		}
		if attempt >= 200 {
			return filing.Certificate{}, fmt.Errorf("dynamo: issue certificate: counter %s stayed contended: %w", counter, err)
		}
		select {
		case <-ctx.Done():
			return filing.Certificate{}, ctx.Err()
		case <-time.After(time.Duration(rand.IntN(5+min(attempt, 20)*5)) * time.Millisecond):
		}
	}
}

// GetCertificate implements filing.ExhibitStore.
func (s *Store) GetCertificate(ctx context.Context, id string) (filing.Certificate, error) {
	var c filing.Certificate
	if err := s.getDoc(ctx, certificateKey(id), &c); err != nil {
		return filing.Certificate{}, err
	}
	return c, nil
}

// UpdateCertificate implements filing.ExhibitStore.
func (s *Store) UpdateCertificate(ctx context.Context, c filing.Certificate) error {
	if _, err := s.GetCertificate(ctx, c.ID); err != nil {
		return err
	}
	row, err := docItem("CERT#"+c.ID, "CERT", c, c.Expo, c.Version)
	if err != nil {
		return err
	}
	put, err := s.versioned(row, max(c.Version, 2))
	if err != nil {
		return err
	}
	_, err = s.Client.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{put}})
	if _, cancelled := cancellation(err); cancelled || isConflict(err) {
		return filing.Errorf(filing.Conflict, filing.CodeVersionConflict, "certificate %s changed meanwhile", c.ID)
	}
	if err != nil {
		return fmt.Errorf("dynamo: update certificate %s: %w", c.ID, err)
	}
	return nil
}

// ListCertificates implements filing.ExhibitStore.
func (s *Store) ListCertificates(ctx context.Context, expo, exhibitor string) ([]filing.Certificate, error) {
	out := []filing.Certificate{}
	list := certificateList(filing.Certificate{Expo: expo, Exhibitor: exhibitor})
	err := s.queryAll(ctx, expression.Key("pk").Equal(expression.Value(list)), func(it item) error {
		c, err := s.GetCertificate(ctx, it.SK)
		out = append(out, c)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("dynamo: list certificates: %w", err)
	}
	return out, nil
}

// queryAll runs a strongly consistent Query of the table, every page, calling each with every
// row in order.
func (s *Store) queryAll(ctx context.Context, kc expression.KeyConditionBuilder, each func(it item) error) error {
	return s.queryRows(ctx, kc, func(av map[string]types.AttributeValue) error {
		var it item
		if err := attributevalue.UnmarshalMap(av, &it); err != nil {
			return err
		}
		return each(it)
	})
}

// queryRows is queryAll with the rows as DynamoDB gives them.
func (s *Store) queryRows(ctx context.Context, kc expression.KeyConditionBuilder, each func(av map[string]types.AttributeValue) error) error {
	ex, err := expression.NewBuilder().WithKeyCondition(kc).Build()
	if err != nil {
		return err
	}
	in := &dynamodb.QueryInput{TableName: &s.Table, ConsistentRead: aws.Bool(true), KeyConditionExpression: ex.KeyCondition(),
		ExpressionAttributeNames: ex.Names(), ExpressionAttributeValues: ex.Values()}
	for {
		page, err := s.Client.Query(ctx, in)
		if err != nil {
			return err
		}
		for _, av := range page.Items {
			if err := each(av); err != nil {
				return err
			}
		}
		if page.LastEvaluatedKey == nil {
			return nil
		}
		in.ExclusiveStartKey = page.LastEvaluatedKey
	}
}

// ListExhibits implements filing.ExhibitStore: a Query of an exhibitor's partition of gsi1, or
// of a state's of gsi2 (each state's when neither is given). The GSIs are eventually
// consistent: an exhibit recorded a moment ago may show a moment later.
func (s *Store) ListExhibits(ctx context.Context, q filing.ExhibitQuery) ([]filing.ExhibitRecord, error) {
	var parts []struct{ index, pk string }
	switch {
	case q.Exhibitor != "":
		parts = append(parts, struct{ index, pk string }{GSI1, "XEXH#" + q.Expo + "#" + q.Exhibitor})
	case q.State != "":
		parts = append(parts, struct{ index, pk string }{GSI2, "XSTATE#" + q.Expo + "#" + string(q.State)})
	default:
		for _, st := range []filing.ExhibitState{filing.ExhibitDeclared, filing.ExhibitConfirmed} {
			parts = append(parts, struct{ index, pk string }{GSI2, "XSTATE#" + q.Expo + "#" + string(st)})
		}
	}
	out := []filing.ExhibitRecord{}
	for _, part := range parts {
		name := "gsi1pk"
		if part.index == GSI2 {
			name = "gsi2pk"
		}
		ex, err := expression.NewBuilder().WithKeyCondition(expression.Key(name).Equal(expression.Value(part.pk))).Build()
		if err != nil {
			return nil, err
		}
		in := &dynamodb.QueryInput{TableName: &s.Table, IndexName: aws.String(part.index), KeyConditionExpression: ex.KeyCondition(),
			ExpressionAttributeNames: ex.Names(), ExpressionAttributeValues: ex.Values()}
		for {
			page, err := s.Client.Query(ctx, in)
			if err != nil {
				return nil, fmt.Errorf("dynamo: list exhibits: %w", err)
			}
			for _, av := range page.Items {
				var it item
				if err := attributevalue.UnmarshalMap(av, &it); err != nil {
					return nil, err
				}
				var e filing.ExhibitRecord
				if err := json.Unmarshal([]byte(it.Doc), &e); err != nil {
					return nil, fmt.Errorf("dynamo: decode exhibit %s: %w", it.PK, err)
				}
				if q.Selects(e) {
					out = append(out, e)
				}
			}
			if page.LastEvaluatedKey == nil {
				break
			}
			in.ExclusiveStartKey = page.LastEvaluatedKey
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}
