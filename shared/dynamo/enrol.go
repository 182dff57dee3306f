package dynamo

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/ipfast/ipfast/shared/filing"
)

// Enrolment's rows (SPEC §18):
//
//	ENR#<expo>       <enrolee id>   an enrolee (its fields as attributes); one Query lists an expo's
//	SETUP#<hash>     SETUP          a set-up code: its hash only, with the enrolee, expiresAt and,
//	                                once exchanged, usedAt (TTL attribute expiration: a week later)
//	EXH#<expo>       <exhibitor id> an exhibitor directory entry put over the API
//
// A code is exchanged by one conditional write (not used, not expired), so of concurrent
// exchanges on any number of instances exactly one succeeds.

func enroleePartition(expo string) string { return "ENR#" + expo }

func setupKey(hash string) map[string]types.AttributeValue { return key("SETUP#"+hash, "SETUP") }

// enroleeRow is an enrolee as a row.
type enroleeRow struct {
	PK         string `dynamodbav:"pk"`
	SK         string `dynamodbav:"sk"`
	Expo       string `dynamodbav:"expo"`
	Kind       string `dynamodbav:"kind"`
	Role       string `dynamodbav:"role"`
	Exhibitor  string `dynamodbav:"exhibitor,omitempty"`
	Booth      string `dynamodbav:"booth,omitempty"`
	Label      string `dynamodbav:"label,omitempty"`
	Name       string `dynamodbav:"name,omitempty"`
	CreatedAt  string `dynamodbav:"createdAt"`
	CreatedBy  string `dynamodbav:"createdBy"`
	LastSeenAt string `dynamodbav:"lastSeenAt,omitempty"`
	Revoked    bool   `dynamodbav:"revoked"`
	RevokedAt  string `dynamodbav:"revokedAt,omitempty"`
	RevokedBy  string `dynamodbav:"revokedBy,omitempty"`
}

func toRow(e filing.Enrolee) enroleeRow {
	return enroleeRow{PK: enroleePartition(e.Expo), SK: e.ID, Expo: e.Expo, Kind: e.Kind, Role: e.Role, Exhibitor: e.Exhibitor,
		Booth: e.Booth, Label: e.Label, Name: e.Name, CreatedAt: e.CreatedAt, CreatedBy: e.CreatedBy, LastSeenAt: e.LastSeenAt,
		Revoked: e.Revoked, RevokedAt: e.RevokedAt, RevokedBy: e.RevokedBy}
}

func (r enroleeRow) enrolee() filing.Enrolee {
	return filing.Enrolee{ID: r.SK, Expo: r.Expo, Kind: r.Kind, Role: r.Role, Exhibitor: r.Exhibitor, Booth: r.Booth,
		Label: r.Label, Name: r.Name, CreatedAt: r.CreatedAt, CreatedBy: r.CreatedBy, LastSeenAt: r.LastSeenAt,
		Revoked: r.Revoked, RevokedAt: r.RevokedAt, RevokedBy: r.RevokedBy}
}

// setupPut is the Put of a new set-up code row.
func (s *Store) setupPut(c filing.SetupCode) (*types.Put, error) {
	item := key("SETUP#"+c.Hash, "SETUP")
	item["expo"] = &types.AttributeValueMemberS{Value: c.Expo}
	item["enrolee"] = &types.AttributeValueMemberS{Value: c.Enrolee}
	item["expiresAt"] = &types.AttributeValueMemberN{Value: strconv.FormatInt(c.ExpiresAt.Unix(), 10)}
	item["expiration"] = &types.AttributeValueMemberN{Value: strconv.FormatInt(c.ExpiresAt.Add(7*24*time.Hour).Unix(), 10)}
	ex, err := cond(expression.AttributeNotExists(expression.Name("pk")))
	if err != nil {
		return nil, err
	}
	return &types.Put{TableName: &s.Table, Item: item, ConditionExpression: ex.Condition(), ExpressionAttributeNames: ex.Names()}, nil
}

// Enrol implements filing.EnrolmentStore.
func (s *Store) Enrol(ctx context.Context, e filing.Enrolee, code filing.SetupCode) error {
	item, err := attributevalue.MarshalMap(toRow(e))
	if err != nil {
		return err
	}
	ex, err := cond(expression.AttributeNotExists(expression.Name("pk")))
	if err != nil {
		return err
	}
	put, err := s.setupPut(code)
	if err != nil {
		return err
	}
	_, err = s.Client.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
		{Put: &types.Put{TableName: &s.Table, Item: item, ConditionExpression: ex.Condition(), ExpressionAttributeNames: ex.Names()}},
		{Put: put},
	}})
	if reasons, cancelled := cancellation(err); cancelled && reasons[0] {
		return filing.Errorf(filing.Conflict, "conflict", "enrolee %s already exists", e.ID)
	}
	if err != nil {
		return fmt.Errorf("dynamo: enrol %s: %w", e.ID, err)
	}
	return nil
}

// AddSetupCode implements filing.EnrolmentStore.
func (s *Store) AddSetupCode(ctx context.Context, code filing.SetupCode) error {
	exists, err := cond(expression.AttributeExists(expression.Name("pk")))
	if err != nil {
		return err
	}
	put, err := s.setupPut(code)
	if err != nil {
		return err
	}
	_, err = s.Client.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
		{ConditionCheck: &types.ConditionCheck{TableName: &s.Table, Key: key(enroleePartition(code.Expo), code.Enrolee),
			ConditionExpression: exists.Condition(), ExpressionAttributeNames: exists.Names()}},
		{Put: put},
	}})
	if reasons, cancelled := cancellation(err); cancelled && reasons[0] {
		return filing.ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("dynamo: set-up code for %s: %w", code.Enrolee, err)
	}
	return nil
}

// RedeemSetupCode implements filing.EnrolmentStore: one conditional write takes the code.
func (s *Store) RedeemSetupCode(ctx context.Context, hash string, now time.Time) (filing.Enrolee, error) {
	c := expression.AttributeExists(expression.Name("pk")).
		And(expression.AttributeNotExists(expression.Name("usedAt"))).
		And(expression.Name("expiresAt").GreaterThan(expression.Value(now.Unix())))
	ex, err := expression.NewBuilder().WithCondition(c).
		WithUpdate(expression.Set(expression.Name("usedAt"), expression.Value(now.Unix()))).Build()
	if err != nil {
		return filing.Enrolee{}, err
	}
	out, err := s.Client.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: &s.Table, Key: setupKey(hash),
		UpdateExpression: ex.Update(), ConditionExpression: ex.Condition(), ExpressionAttributeNames: ex.Names(),
		ExpressionAttributeValues: ex.Values(), ReturnValues: types.ReturnValueAllNew})
	var ccf *types.ConditionalCheckFailedException
	if errors.As(err, &ccf) {
		return filing.Enrolee{}, filing.ErrSetupCodeInvalid
	}
	if err != nil {
		return filing.Enrolee{}, fmt.Errorf("dynamo: redeem set-up code: %w", err)
	}
	var row struct {
		Expo    string `dynamodbav:"expo"`
		Enrolee string `dynamodbav:"enrolee"`
	}
	if err := attributevalue.UnmarshalMap(out.Attributes, &row); err != nil {
		return filing.Enrolee{}, err
	}
	e, err := s.GetEnrolee(ctx, row.Expo, row.Enrolee)
	if filing.ErrorKind(err) == filing.NotFound || err == nil && e.Revoked {
		return filing.Enrolee{}, filing.ErrSetupCodeInvalid
	}
	return e, err
}

// GetEnrolee implements filing.EnrolmentStore.
func (s *Store) GetEnrolee(ctx context.Context, expo, id string) (filing.Enrolee, error) {
	out, err := s.Client.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.Table, Key: key(enroleePartition(expo), id),
		ConsistentRead: aws.Bool(true)})
	if err != nil {
		return filing.Enrolee{}, fmt.Errorf("dynamo: get enrolee %s: %w", id, err)
	}
	if out.Item == nil {
		return filing.Enrolee{}, filing.ErrNotFound
	}
	var r enroleeRow
	if err := attributevalue.UnmarshalMap(out.Item, &r); err != nil {
		return filing.Enrolee{}, err
	}
	return r.enrolee(), nil
}

// ListEnrolees implements filing.EnrolmentStore.
func (s *Store) ListEnrolees(ctx context.Context, expo, kind string) ([]filing.Enrolee, error) {
	out := []filing.Enrolee{}
	err := s.queryRows(ctx, expression.Key("pk").Equal(expression.Value(enroleePartition(expo))), func(av map[string]types.AttributeValue) error {
		var r enroleeRow
		if err := attributevalue.UnmarshalMap(av, &r); err != nil {
			return err
		}
		if kind == "" || r.Kind == kind {
			out = append(out, r.enrolee())
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("dynamo: enrolees of %s: %w", expo, err)
	}
	filing.SortEnrolees(out)
	return out, nil
}

// Revoke implements filing.EnrolmentStore.
func (s *Store) Revoke(ctx context.Context, expo, id, by string, at time.Time) (filing.Enrolee, error) {
	c := expression.AttributeExists(expression.Name("pk")).And(expression.Name("revoked").Equal(expression.Value(false)))
	ex, err := expression.NewBuilder().WithCondition(c).WithUpdate(
		expression.Set(expression.Name("revoked"), expression.Value(true)).
			Set(expression.Name("revokedAt"), expression.Value(at.UTC().Format(time.RFC3339))).
			Set(expression.Name("revokedBy"), expression.Value(by))).Build()
	if err != nil {
		return filing.Enrolee{}, err
	}
	out, err := s.Client.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: &s.Table, Key: key(enroleePartition(expo), id),
		UpdateExpression: ex.Update(), ConditionExpression: ex.Condition(), ExpressionAttributeNames: ex.Names(),
		ExpressionAttributeValues: ex.Values(), ReturnValues: types.ReturnValueAllNew})
	var ccf *types.ConditionalCheckFailedException
	if errors.As(err, &ccf) {
		return s.GetEnrolee(ctx, expo, id) // revoked before (its first time stays), or none: NotFound
	}
	if err != nil {
		return filing.Enrolee{}, fmt.Errorf("dynamo: revoke %s: %w", id, err)
	}
	var r enroleeRow
	if err := attributevalue.UnmarshalMap(out.Attributes, &r); err != nil {
		return filing.Enrolee{}, err
	}
	return r.enrolee(), nil
}

// Seen implements filing.EnrolmentStore.
func (s *Store) Seen(ctx context.Context, expo, id string, at time.Time) error {
	stamp := at.UTC().Format(time.RFC3339)
	c := expression.AttributeExists(expression.Name("pk")).And(expression.Or(
		expression.AttributeNotExists(expression.Name("lastSeenAt")),
		expression.Name("lastSeenAt").LessThan(expression.Value(stamp))))
	ex, err := expression.NewBuilder().WithCondition(c).WithUpdate(expression.Set(expression.Name("lastSeenAt"), expression.Value(stamp))).Build()
	if err != nil {
		return err
	}
	_, err = s.Client.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: &s.Table, Key: key(enroleePartition(expo), id),
		UpdateExpression: ex.Update(), ConditionExpression: ex.Condition(), ExpressionAttributeNames: ex.Names(),
		ExpressionAttributeValues: ex.Values()})
	var ccf *types.ConditionalCheckFailedException
	if errors.As(err, &ccf) {
		if _, gerr := s.GetEnrolee(ctx, expo, id); gerr != nil {
			return gerr // NotFound
		}
		return nil // seen later already
	}
	if err != nil {
		return fmt.Errorf("dynamo: seen %s: %w", id, err)
	}
	return nil
}

// exhibitorRow is an exhibitor directory entry as a row.
type exhibitorRow struct {
	PK        string          `dynamodbav:"pk"`
	SK        string          `dynamodbav:"sk"`
	Name      string          `dynamodbav:"name"`
	NameZh    string          `dynamodbav:"nameZh,omitempty"`
	Booth     string          `dynamodbav:"booth"`
	Country   string          `dynamodbav:"country,omitempty"`
	Contact   *filing.Contact `dynamodbav:"contact,omitempty"`
	UpdatedAt string          `dynamodbav:"updatedAt,omitempty"`
	UpdatedBy string          `dynamodbav:"updatedBy,omitempty"`
}

// PutExhibitor implements filing.EnrolmentStore.
func (s *Store) PutExhibitor(ctx context.Context, expo string, e filing.Exhibitor) error {
	item, err := attributevalue.MarshalMap(exhibitorRow{PK: "EXH#" + expo, SK: e.ID, Name: e.Name, NameZh: e.NameZh, Booth: e.Booth,
		Country: e.Country, Contact: e.Contact, UpdatedAt: e.UpdatedAt, UpdatedBy: e.UpdatedBy})
	if err != nil {
		return err
	}
	if _, err := s.Client.PutItem(ctx, &dynamodb.PutItemInput{TableName: &s.Table, Item: item}); err != nil {
		return fmt.Errorf("dynamo: put exhibitor %s: %w", e.ID, err)
	}
	return nil
}

// ListExhibitors implements filing.ExhibitorDirectory.
func (s *Store) ListExhibitors(ctx context.Context, expo string) ([]filing.Exhibitor, error) {
	out := []filing.Exhibitor{}
	err := s.queryRows(ctx, expression.Key("pk").Equal(expression.Value("EXH#"+expo)), func(av map[string]types.AttributeValue) error {
		var r exhibitorRow
		if err := attributevalue.UnmarshalMap(av, &r); err != nil {
			return err
		}
		out = append(out, filing.Exhibitor{ID: r.SK, Name: r.Name, NameZh: r.NameZh, Booth: r.Booth, Country: r.Country,
			Contact: r.Contact, UpdatedAt: r.UpdatedAt, UpdatedBy: r.UpdatedBy})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("dynamo: exhibitors of %s: %w", expo, err)
	}
	return out, nil
}

var _ filing.EnrolmentStore = (*Store)(nil)
