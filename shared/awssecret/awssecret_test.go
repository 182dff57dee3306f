package awssecret

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

// The SDK's Secrets Manager client is the reference for the request this package sends and for
// the reading of the answer (no Secrets Manager emulator installs here): the client's request
// is caught before it leaves, signed at a fixed time without the SDK's own bookkeeping headers
// (invocation id, attempt, user agent), and the answers it is given are the API reference's.

// fixedSigner signs as the client's default signer does, at a fixed time, without the headers
// only the SDK sends.
type fixedSigner struct{ at time.Time }

func (f fixedSigner) SignHTTP(ctx context.Context, creds aws.Credentials, r *http.Request, payloadHash, service, region string,
	_ time.Time, optFns ...func(*v4.SignerOptions)) error {
	for _, h := range []string{"Amz-Sdk-Invocation-Id", "Amz-Sdk-Request", "User-Agent", "X-Amz-User-Agent"} {
		r.Header.Del(h)
	}
	return v4.NewSigner().SignHTTP(ctx, creds, r, payloadHash, service, region, f.at, optFns...)
}

// catcher answers every request with status and body, keeping the request and its body.
type catcher struct {
	status int
	body   string
	req    *http.Request
	sent   []byte
}

func (c *catcher) Do(r *http.Request) (*http.Response, error) {
	c.req = r
	if r.Body != nil {
		c.sent, _ = io.ReadAll(r.Body)
	}
	h := http.Header{"Content-Type": {"application/x-amz-json-1.1"}, "X-Amzn-Requestid": {"7f0c4d1e-0000-4000-8000-000000000001"}}
	return &http.Response{StatusCode: c.status, Header: h, Body: io.NopCloser(strings.NewReader(c.body)), Request: r}, nil
}

const arn = "arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:ipfast-prod-token-AbCdEf"

// The API reference's example answer, with a secret string.
const answer = `{"ARN":"` + arn + `","CreatedDate":1.523477145713E9,"Name":"ipfast-prod-token",` +
	`"SecretString":"s3cr3t-token-key","VersionId":"EXAMPLE1-90ab-cdef-fedc-ba987SECRET1","VersionStages":["AWSPREVIOUS"]}`

func TestRequestAsTheSDKSendsIt(t *testing.T) {
	at := time.Date(2026, 6, 22, 8, 30, 0, 0, time.UTC)
	for _, region := range []string{"cn-north-1", "cn-northwest-1", "us-east-1", "eu-central-1", "ap-southeast-1"} {
		for _, token := range []string{"", "FwoGZXIvYXdzEJr//////////session"} {
			creds := credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", token)
			cfg := aws.Config{Region: region, Credentials: creds}
			c := &catcher{status: 200, body: answer}
			sdk := secretsmanager.NewFromConfig(cfg, func(o *secretsmanager.Options) {
				o.HTTPClient, o.HTTPSignerV4, o.RetryMaxAttempts = c, fixedSigner{at}, 1
			})
			if _, err := sdk.GetSecretValue(context.Background(), &secretsmanager.GetSecretValueInput{SecretId: aws.String(arn)}); err != nil {
				t.Fatalf("%s: the SDK client: %v", region, err)
			}
			ours, err := getRequest(context.Background(), cfg, arn, at)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(ours.Body)
			if ours.Method != c.req.Method || ours.URL.String() != c.req.URL.String() || !bytes.Equal(body, c.sent) {
				t.Errorf("%s: %s %s %s, the SDK: %s %s %s", region, ours.Method, ours.URL, body, c.req.Method, c.req.URL, c.sent)
			}
			for _, h := range []string{"Authorization", "X-Amz-Date", "X-Amz-Security-Token", "X-Amz-Target", "Content-Type"} {
				if ours.Header.Get(h) != c.req.Header.Get(h) {
					t.Errorf("%s: %s = %q, the SDK's %q", region, h, ours.Header.Get(h), c.req.Header.Get(h))
				}
			}
			if !strings.Contains(ours.Header.Get("Authorization"), "/"+region+"/secretsmanager/aws4_request") {
				t.Errorf("%s: scope of %s", region, ours.Header.Get("Authorization"))
			}
		}
	}
}

func TestAnswerAsTheSDKReadsIt(t *testing.T) {
	creds := credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "")
	for _, c := range []struct {
		name   string
		status int
		body   string
		errHas string
	}{
		{"value", 200, answer, ""},
		{"fractional", 200, `{"SecretString":"x","CreatedDate":1750581000.9995}`, ""},
		{"not found", 400, `{"__type":"ResourceNotFoundException","Message":"Secrets Manager can't find the specified secret."}`, "ResourceNotFoundException"},
		{"denied", 400, `{"__type":"com.amazon.coral.service#AccessDeniedException","message":"User is not authorized"}`, "AccessDeniedException"},
		{"binary only", 200, `{"SecretBinary":"AAEC","CreatedDate":1.5E9}`, "no string value"},
	} {
		t.Run(c.name, func(t *testing.T) {
			sdkCatcher := &catcher{status: c.status, body: c.body}
			sdk := secretsmanager.NewFromConfig(aws.Config{Region: "cn-north-1", Credentials: creds}, func(o *secretsmanager.Options) {
				o.HTTPClient, o.RetryMaxAttempts = sdkCatcher, 1
			})
			want, sdkErr := sdk.GetSecretValue(context.Background(), &secretsmanager.GetSecretValueInput{SecretId: aws.String(arn)})
			cfg := aws.Config{Region: "cn-north-1", Credentials: creds, HTTPClient: &catcher{status: c.status, body: c.body}}
			got, made, err := Get(context.Background(), cfg, arn)
			if c.errHas != "" {
				if err == nil || !strings.Contains(err.Error(), c.errHas) {
					t.Errorf("error %v, want one naming %s", err, c.errHas)
				}
				if c.status != 200 && sdkErr == nil {
					t.Errorf("the SDK read no error")
				}
				return
			}
			if err != nil || sdkErr != nil {
				t.Fatalf("%v; the SDK: %v", err, sdkErr)
			}
			if got != aws.ToString(want.SecretString) || !made.Equal(aws.ToTime(want.CreatedDate)) {
				t.Errorf("%q made %v; the SDK: %q made %v", got, made, aws.ToString(want.SecretString), aws.ToTime(want.CreatedDate))
			}
		})
	}
}
