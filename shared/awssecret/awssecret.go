// Package awssecret reads a secret's current value from AWS Secrets Manager: GetSecretValue,
// sent as the SDK's client sends it (the AWS JSON 1.1 protocol, signed with the SDK's SigV4
// signer) without linking that client, whose code would take the api function, which reads one
// secret once per cold start, past its size target (BENCHMARKS.md: 262 KB). A test holds the
// request and the reading of the answer to the SDK client's.
package awssecret

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// Get is the current value of the secret arn (its SecretString) and when that version was
// made. The endpoint is AWS_ENDPOINT_URL_SECRETS_MANAGER (else AWS_ENDPOINT_URL) when set.
func Get(ctx context.Context, cfg aws.Config, arn string) (string, time.Time, error) {
	req, err := getRequest(ctx, cfg, arn, time.Now())
	if err != nil {
		return "", time.Time{}, err
	}
	client := cfg.HTTPClient
	if client == nil {
		client = &http.Client{Timeout: 15 * time.Second}
	}
	res, err := client.Do(req)
	if err != nil {
		return "", time.Time{}, err
	}
	defer res.Body.Close()
	return parseValue(res)
}

// endpoint is Secrets Manager's URL in region, or the emulator's that
// AWS_ENDPOINT_URL_SECRETS_MANAGER (else AWS_ENDPOINT_URL) names.
func endpoint(region string) string {
	u := os.Getenv("AWS_ENDPOINT_URL_SECRETS_MANAGER")
	if u == "" {
		u = os.Getenv("AWS_ENDPOINT_URL")
	}
	if u != "" {
		return strings.TrimRight(u, "/")
	}
	domain := "amazonaws.com"
	if strings.HasPrefix(region, "cn-") {
		domain = "amazonaws.com.cn" // the China partition (Beijing, Ningxia)
	}
	return "https://secretsmanager." + region + "." + domain
}

// getRequest is the GetSecretValue request of the secret arn, signed at t.
func getRequest(ctx context.Context, cfg aws.Config, arn string, t time.Time) (*http.Request, error) {
	if cfg.Region == "" {
		return nil, fmt.Errorf("no AWS region")
	}
	if cfg.Credentials == nil {
		return nil, fmt.Errorf("no AWS credentials")
	}
	body, err := json.Marshal(struct {
		SecretID string `json:"SecretId"`
	}{arn})
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint(cfg.Region)+"/", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "secretsmanager.GetSecretValue")
	creds, err := cfg.Credentials.Retrieve(ctx)
	if err != nil {
		return nil, fmt.Errorf("credentials: %w", err)
	}
	sum := sha256.Sum256(body)
	if err := v4.NewSigner().SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), "secretsmanager", cfg.Region, t); err != nil {
		return nil, err
	}
	return req, nil
}

// parseValue reads GetSecretValue's answer: the secret's string and when its version was
// made (CreatedDate, epoch seconds), or the error it reports.
func parseValue(res *http.Response) (string, time.Time, error) {
	b, err := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	if err != nil {
		return "", time.Time{}, err
	}
	if res.StatusCode != http.StatusOK {
		var e struct {
			Type     string `json:"__type"`
			Message  string `json:"message"`
			Message2 string `json:"Message"`
		}
		_ = json.Unmarshal(b, &e)
		typ := e.Type
		if h := res.Header.Get("X-Amzn-Errortype"); h != "" {
			typ = h
		}
		typ, _, _ = strings.Cut(typ, ":")
		if i := strings.LastIndexByte(typ, '#'); i >= 0 {
			typ = typ[i+1:]
		}
		return "", time.Time{}, fmt.Errorf("%s: %s (HTTP %d)", typ, e.Message+e.Message2, res.StatusCode)
	}
	var out struct {
		SecretString *string  `json:"SecretString"`
		CreatedDate  *float64 `json:"CreatedDate"`
	}
	if err := json.Unmarshal(b, &out); err != nil {
		return "", time.Time{}, fmt.Errorf("the answer: %w", err)
	}
	if out.SecretString == nil {
		return "", time.Time{}, fmt.Errorf("the secret has no string value")
	}
	var made time.Time
	if out.CreatedDate != nil {
		made = time.Unix(0, int64(*out.CreatedDate*1e3)*1e6).UTC() // milliseconds, as the SDK reads them
	}
	return *out.SecretString, made, nil
}
