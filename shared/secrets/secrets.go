// Package secrets adapts AWS Secrets Manager to the secrets of the AWS deployment: the token
// secret and the certificates' signing keys.
package secrets

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/ipfast/ipfast/shared/awssecret"
)

// The environment variables that say where the token secret is.
const (
	EnvSecretARN = "IPFAST_TOKEN_SECRET_ARN" // the Secrets Manager secret (template.yaml generates it)
	EnvSecret    = "IPFAST_TOKEN_SECRET"     // the secret itself: local runs and tests only
)

// TokenSecret returns IPFAST_TOKEN_SECRET if set, else the value of the Secrets Manager secret
// that IPFAST_TOKEN_SECRET_ARN names.
func TokenSecret(ctx context.Context, cfg aws.Config) ([]byte, error) {
	v, _, err := value(ctx, cfg, os.Getenv(EnvSecret), os.Getenv(EnvSecretARN), EnvSecret, EnvSecretARN)
	return []byte(v), err
}

// Read returns the current value of the secret arn, with when that value was made.
func Read(ctx context.Context, cfg aws.Config, arn string) (string, time.Time, error) {
	return value(ctx, cfg, "", arn, "", "the secret's ARN")
}

// value is plain if set, else the current value of the secret arn, with when it was made.
func value(ctx context.Context, cfg aws.Config, plain, arn, plainEnv, arnEnv string) (string, time.Time, error) {
	if plain != "" {
		return plain, time.Time{}, nil
	}
	if arn == "" {
		return "", time.Time{}, fmt.Errorf("secrets: neither %s nor %s is set", plainEnv, arnEnv)
	}
	v, made, err := awssecret.Get(ctx, cfg, arn)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("secrets: read %s: %w", arn, err)
	}
	return v, made, nil
}
