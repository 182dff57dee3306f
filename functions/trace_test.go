package functions_test

import (
	"encoding/json"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/ipfast/ipfast/shared/auth"
	"github.com/ipfast/ipfast/shared/awstest"
	"github.com/ipfast/ipfast/shared/filing"
	"github.com/ipfast/ipfast/shared/lambdatest"
	"github.com/ipfast/ipfast/shared/tracing"
)

// TestTracedOnLambda runs the api function's real bootstrap with active tracing as Lambda
// gives it (AWS_XRAY_DAEMON_ADDRESS, an X-Ray header per invocation) and reads what reaches the
// daemon's address: a sampled filing is a subsegment of the invocation, with its DynamoDB calls
// under it; an invocation X-Ray did not sample sends nothing.
func TestTracedOnLambda(t *testing.T) {
	daemon, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer daemon.Close()
	table := awstest.Table(t, awstest.DynamoDB(t))
	env := []string{"AWS_ENDPOINT_URL_DYNAMODB=" + awstest.DynamoDBURL(t), "AWS_ENDPOINT_URL_SQS=" + awstest.SQSURL(t),
		"AWS_REGION=us-east-1", "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test",
		"IPFAST_TABLE=" + table, "IPFAST_QUEUE_PREFIX=" + awstest.Name("ipfast-trace-"), "IPFAST_TOKEN_SECRET=trace-secret",
		"IPFAST_EXPO_JSON={}", tracing.EnvDaemon + "=tcp:" + daemon.LocalAddr().String() + " udp:" + daemon.LocalAddr().String()}
	api := lambdatest.Start(t, buildFunction(t, "ApiFunction"), env...)
	tok, _ := auth.Sign([]byte("trace-secret"), filing.Principal{Subject: "kiosk-1", Role: "kiosk", Exhibitor: "EX-0001", Booth: "1A-101"},
		time.Now(), time.Hour)
	file := func(key string) {
		t.Helper()
		var resp events.APIGatewayV2HTTPResponse
		if err := api.Invoke(httpEvent("POST", "/v1/filings", tok, bodyLatin, map[string]string{"idempotency-key": key}), &resp); err != nil || resp.StatusCode != 201 {
			t.Fatalf("file: %d %v %s\n%s", resp.StatusCode, err, resp.Body, api)
		}
	}
	read := func() []tracing.Segment {
		var out []tracing.Segment
		buf := make([]byte, 64<<10)
		for {
			_ = daemon.SetReadDeadline(time.Now().Add(500 * time.Millisecond))
			n, err := daemon.Read(buf)
			if err != nil {
				return out
			}
			_, body, _ := strings.Cut(string(buf[:n]), "\n")
			var s tracing.Segment
			if err := json.Unmarshal([]byte(body), &s); err != nil {
				t.Fatalf("segment %q: %v", buf[:n], err)
			}
			out = append(out, s)
		}
	}

	file("trace-0") // not sampled (lambdatest's default header)
	if segs := read(); len(segs) != 0 {
		t.Errorf("an invocation X-Ray did not sample sent %+v", segs)
	}
	const root, parent = "1-6858a1c0-00000000000000000000e2e1", "aaaabbbbccccdddd"
	api.SetTraceHeader("Root=" + root + ";Parent=" + parent + ";Sampled=1")
	file("trace-1")
	segs := read()
	var req tracing.Segment
	ops := map[string]string{}
	for _, s := range segs {
		if s.TraceID != root || s.Type != "subsegment" {
			t.Errorf("segment outside the invocation's trace: %+v", s)
		}
		if s.Name == "ipfast-api" {
			req = s
		}
	}
	if req.ParentID != parent || req.HTTP == nil || req.HTTP.Request.Method != "POST" || req.HTTP.Request.URL != "/v1/filings" || req.HTTP.Response.Status != 201 {
		t.Fatalf("the request's subsegment: %+v (all: %+v)", req, segs)
	}
	for _, s := range segs {
		if s.Namespace == "aws" {
			if s.ParentID != req.ID || s.Name != "DynamoDB" {
				t.Errorf("call %+v is not under the request", s)
			}
			op, _ := s.AWS["operation"].(string)
			ops[op] = s.AWS["region"].(string)
		}
	}
	if ops["TransactWriteItems"] != "us-east-1" || ops["GetItem"] == "" {
		t.Errorf("the filing's DynamoDB calls: %v", ops)
	}
}
