package functions_test

import (
	"context"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"
	"github.com/ipfast/ipfast/shared/auth"
	"github.com/ipfast/ipfast/shared/awstest"
	"github.com/ipfast/ipfast/shared/filing"
	"github.com/ipfast/ipfast/shared/lambdatest"
	"github.com/ipfast/ipfast/shared/provision"
	"github.com/ipfast/ipfast/shared/sqsq"
)

// buildFunction builds a function's bootstrap for this machine with its Makefile target.
func buildFunction(t testing.TB, name string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), name)
	cmd := exec.Command("make", "-s", "build-"+name, "LAMBDA_ARCH="+goarch(), "ARTIFACTS_DIR="+out)
	cmd.Dir = root
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("make build-%s: %v %s", name, err, b)
	}
	return filepath.Join(out, "bootstrap")
}

func httpEvent(method, path, token, body string, headers map[string]string) events.APIGatewayV2HTTPRequest {
	h := map[string]string{"authorization": "Bearer " + token, "host": "api.example.test"}
	if body != "" {
		h["content-type"] = "application/json"
	}
	for k, v := range headers {
		h[k] = v
	}
	return events.APIGatewayV2HTTPRequest{Version: "2.0", RouteKey: "$default", RawPath: path, Headers: h, Body: body,
		RequestContext: events.APIGatewayV2HTTPRequestContext{RequestID: "e2e", Stage: "$default",
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: method, Path: path, Protocol: "HTTP/1.1", SourceIP: "127.0.0.1"}}}
}

// lambdaValue converts a DynamoDB Streams attribute value to the Lambda event form.
func lambdaValue(v types.AttributeValue) events.DynamoDBAttributeValue {
	switch x := v.(type) {
	case *types.AttributeValueMemberS:
		return events.NewStringAttribute(x.Value)
	case *types.AttributeValueMemberN:
		return events.NewNumberAttribute(x.Value)
	case *types.AttributeValueMemberBOOL:
		return events.NewBooleanAttribute(x.Value)
	case *types.AttributeValueMemberM:
		m := map[string]events.DynamoDBAttributeValue{}
		for k, e := range x.Value {
			m[k] = lambdaValue(e)
		}
		return events.NewMapAttribute(m)
	case *types.AttributeValueMemberL:
		var l []events.DynamoDBAttributeValue
		for _, e := range x.Value {
			l = append(l, lambdaValue(e))
		}
		return events.NewListAttribute(l)
	}
	return events.NewNullAttribute()
}

func lambdaImage(m map[string]types.AttributeValue) map[string]events.DynamoDBAttributeValue {
	if m == nil {
		return nil
	}
	out := map[string]events.DynamoDBAttributeValue{}
	for k, v := range m {
		out[k] = lambdaValue(v)
	}
	return out
}

// streamEvent reads every record of the table's stream into one Lambda DynamoDB event, as the
// event source mapping would deliver them.
func streamEvent(t *testing.T, db *dynamodb.Client, st *dynamodbstreams.Client, table string) events.DynamoDBEvent {
	t.Helper()
	ctx := context.Background()
	desc, err := db.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: &table})
	if err != nil {
		t.Fatal(err)
	}
	s, err := st.DescribeStream(ctx, &dynamodbstreams.DescribeStreamInput{StreamArn: desc.Table.LatestStreamArn})
	if err != nil {
		t.Fatal(err)
	}
	var ev events.DynamoDBEvent
	for _, sh := range s.StreamDescription.Shards {
		it, err := st.GetShardIterator(ctx, &dynamodbstreams.GetShardIteratorInput{StreamArn: desc.Table.LatestStreamArn,
			ShardId: sh.ShardId, ShardIteratorType: types.ShardIteratorTypeTrimHorizon})
		if err != nil {
			t.Fatal(err)
		}
		for iter := it.ShardIterator; iter != nil; {
			out, err := st.GetRecords(ctx, &dynamodbstreams.GetRecordsInput{ShardIterator: iter})
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range out.Records {
				ev.Records = append(ev.Records, events.DynamoDBEventRecord{EventID: aws.ToString(r.EventID),
					EventName: string(r.EventName), EventSource: "aws:dynamodb", EventVersion: "1.1", AWSRegion: "us-east-1",
					EventSourceArn: aws.ToString(desc.Table.LatestStreamArn),
					Change: events.DynamoDBStreamRecord{Keys: lambdaImage(r.Dynamodb.Keys), NewImage: lambdaImage(r.Dynamodb.NewImage),
						OldImage: lambdaImage(r.Dynamodb.OldImage), SequenceNumber: aws.ToString(r.Dynamodb.SequenceNumber),
						StreamViewType: string(r.Dynamodb.StreamViewType)}})
			}
			if len(out.Records) == 0 {
				break
			}
			iter = out.NextShardIterator
		}
	}
	return ev
}

// TestEndToEndOnLambda runs the real api and router binaries under the Runtime API harness,
// against DynamoDB Local and fauxqs: a trademark filed through an API Gateway v2 event is read
// back, and reaches its SQS review queue through the router.
func TestEndToEndOnLambda(t *testing.T) {
	ctx := context.Background()
	expo := filing.DefaultExpo()
	db := awstest.DynamoDB(t)
	table := awstest.Table(t, db)
	prefix := awstest.Name("ipfast-e2e-")
	sqsClient := awstest.SQS(t)
	if err := provision.Queues(ctx, sqsClient, prefix, expo.Queues(), 5); err != nil {
		t.Fatal(err)
	}
	env := []string{"AWS_ENDPOINT_URL_DYNAMODB=" + awstest.DynamoDBURL(t), "AWS_ENDPOINT_URL_SQS=" + awstest.SQSURL(t),
		"AWS_REGION=us-east-1", "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test",
		"IPFAST_TABLE=" + table, "IPFAST_QUEUE_PREFIX=" + prefix, "IPFAST_TOKEN_SECRET=e2e-secret",
		"IPFAST_EXPO_JSON={}", "IPFAST_PUBLIC_URL=https://api.example.test"}
	apiFn := lambdatest.Start(t, buildFunction(t, "ApiFunction"), env...)
	routerFn := lambdatest.Start(t, buildFunction(t, "RouterFunction"), env...)
	tok, _ := auth.Sign([]byte("e2e-secret"), filing.Principal{Subject: "kiosk-1", Role: "kiosk", Exhibitor: "EX-0001", Booth: "1A-101"},
		time.Now(), time.Hour)

	body := `{"kind":"trademark","trademark":{"markType":"word","markText":"LAMBDA","classes":[{"class":9,"terms":["Batteries"]}]},
	 "applicants":[{"name":"ACME","kind":"organization","nationality":"CN","domicile":"CN","address":"Beijing"}],
	 "contact":{"name":"Li","email":"li@example.com"},"language":"en"}`
	var resp events.APIGatewayV2HTTPResponse
	if err := apiFn.Invoke(httpEvent("POST", "/v1/filings", tok, body, map[string]string{"idempotency-key": "e2e-1"}), &resp); err != nil {
		t.Fatal(err)
	}
	var f filing.Filing
	if resp.StatusCode != 201 || json.Unmarshal([]byte(resp.Body), &f) != nil || f.FilingNumber != "CISCE2026-TM-000001" {
		t.Fatalf("file through the api function: %d %s\n%s", resp.StatusCode, resp.Body, apiFn)
	}
	if err := apiFn.Invoke(httpEvent("GET", "/v1/filings/"+f.ID, tok, "", nil), &resp); err != nil {
		t.Fatal(err)
	}
	var got filing.Filing
	if resp.StatusCode != 200 || json.Unmarshal([]byte(resp.Body), &got) != nil || got.ID != f.ID || got.Trademark.MarkText != "LAMBDA" {
		t.Fatalf("read back: %d %s", resp.StatusCode, resp.Body)
	}
	if resp.Headers["X-Request-Id"] == "" {
		t.Errorf("no X-Request-Id through API Gateway")
	}

	ev := streamEvent(t, db, awstest.Streams(t), table)
	if len(ev.Records) == 0 {
		t.Fatal("the stream holds no records")
	}
	var routed events.DynamoDBEventResponse
	if err := routerFn.Invoke(ev, &routed); err != nil || len(routed.BatchItemFailures) != 0 {
		t.Fatalf("router: %+v %v\n%s", routed, err, routerFn)
	}
	q := sqsq.New(sqsClient, prefix)
	d, ok, err := q.Receive(ctx, "trademark", time.Minute, 5*time.Second)
	if err != nil || !ok || d.FilingID != f.ID {
		t.Fatalf("not in the trademark queue: %+v %v %v", d, ok, err)
	}
	if _, again, _ := q.Receive(ctx, "trademark", time.Minute, time.Second); again {
		t.Errorf("routed more than once")
	}
}
