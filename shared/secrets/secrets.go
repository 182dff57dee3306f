// Package secrets adapts AWS Secrets Manager to the token secret of the AWS deployment.
package secrets

import (
	"context"
	"fmt"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

// The environment variables that say where the token secret is.
const (
	EnvSecretARN = "IPFAST_TOKEN_SECRET_ARN" // the Secrets Manager secret (template.yaml generates it)
	EnvSecret    = "IPFAST_TOKEN_SECRET"     // the secret itself: local runs and tests only
)

// TokenSecret returns IPFAST_TOKEN_SECRET if set, else the value of the Secrets Manager secret
// that IPFAST_TOKEN_SECRET_ARN names.
func TokenSecret(ctx context.Context, cfg aws.Config) ([]byte, error) {
	if s := os.Getenv(EnvSecret); s != "" {
		return []byte(s), nil
	}
	arn := os.Getenv(EnvSecretARN)
	if arn == "" {
		return nil, fmt.Errorf("secrets: neither %s nor %s is set", EnvSecret, EnvSecretARN)
	}
	c := secretsmanager.NewFromConfig(cfg, func(o *secretsmanager.Options) {
		if u := os.Getenv("AWS_ENDPOINT_URL_SECRETS_MANAGER"); u != "" {
			o.BaseEndpoint = &u
		}
	})
	out, err := c.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: &arn})
	if err != nil {
		return nil, fmt.Errorf("secrets: read %s: %w", arn, err)
	}
	return []byte(aws.ToString(out.SecretString)), nil
}
