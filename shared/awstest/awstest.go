// Package awstest connects tests to the protocol-compatible local servers that
// scripts/emulators.sh starts (DynamoDB Local, fauxqs), with the real aws-sdk-go-v2 clients.
// Outside that script the tests that need them skip, except under CI=true, where a missing
// emulator fails the run.
package awstest

import (
	"context"
	"fmt"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/ipfast/ipfast/shared/provision"
)

func endpoint(t testing.TB, env, what string) string {
	t.Helper()
	if v := os.Getenv(env); v != "" {
		return v
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is not set: CI must run the %s tests (make test starts the emulators)", env, what)
	}
	t.Skipf("%s is not set: run through scripts/emulators.sh (make test does)", env)
	return ""
}

// Config is an AWS configuration with fixed test credentials.
func Config() aws.Config {
	return aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""),
		RetryMaxAttempts: 3}
}

// DynamoDB returns a client of the DynamoDB emulator.
func DynamoDB(t testing.TB) *dynamodb.Client {
	url := endpoint(t, "IPFAST_TEST_DYNAMODB", "DynamoDB")
	return dynamodb.NewFromConfig(Config(), func(o *dynamodb.Options) {
		o.BaseEndpoint = aws.String(url)
		o.DisableValidateResponseChecksum = true // DynamoDB Local's 400s carry no x-amz-crc32
	})
}

// Streams returns a DynamoDB Streams client of the DynamoDB emulator.
func Streams(t testing.TB) *dynamodbstreams.Client {
	url := endpoint(t, "IPFAST_TEST_DYNAMODB", "DynamoDB")
	return dynamodbstreams.NewFromConfig(Config(), func(o *dynamodbstreams.Options) { o.BaseEndpoint = aws.String(url) })
}

// SQS returns a client of the SQS emulator.
func SQS(t testing.TB) *sqs.Client {
	url := endpoint(t, "IPFAST_TEST_SQS", "SQS")
	return sqs.NewFromConfig(Config(), func(o *sqs.Options) { o.BaseEndpoint = aws.String(url) })
}

var seq atomic.Int64

// Name returns a name no other test of this run uses.
func Name(prefix string) string {
	return fmt.Sprintf("%s%d-%d-", prefix, time.Now().UnixNano()%1_000_000_000, seq.Add(1))
}

// Table creates a fresh table as the template declares it and deletes it after the test.
func Table(t testing.TB, c *dynamodb.Client) string {
	t.Helper()
	name := Name("ipfast-test-") + "filings"
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := provision.Table(ctx, c, name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = c.DeleteTable(context.Background(), &dynamodb.DeleteTableInput{TableName: &name}) })
	return name
}

// SQSURL is the SQS emulator's endpoint.
func SQSURL(t testing.TB) string { return endpoint(t, "IPFAST_TEST_SQS", "SQS") }

// SQSAt returns an SQS client of the endpoint url (a Proxy's, say).
func SQSAt(url string) *sqs.Client {
	return sqs.NewFromConfig(Config(), func(o *sqs.Options) { o.BaseEndpoint = aws.String(url) })
}

// DynamoDBURL is the DynamoDB emulator's endpoint.
func DynamoDBURL(t testing.TB) string { return endpoint(t, "IPFAST_TEST_DYNAMODB", "DynamoDB") }
