package notify

import (
	"context"
	"fmt"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/ipfast/ipfast/shared/awssecret"
	"github.com/ipfast/ipfast/shared/filing"
)

// EnvPasswordARN names the Secrets Manager secret that holds the mail server's password in
// AWS (the SES SMTP password: no part of ExpoConfig, which anyone may read at GET /v1/expo).
const EnvPasswordARN = "IPFAST_SMTP_PASSWORD_ARN"

// PasswordFromSecret gives every mail server of the deployment without a password in its
// configuration the value of the secret EnvPasswordARN names (nothing when it is not set).
func PasswordFromSecret(ctx context.Context, cfg aws.Config, deployment *filing.Expo) error {
	arn := os.Getenv("IPFAST_SMTP_PASSWORD_ARN")
	if arn == "" {
		return nil
	}
	password, _, err := awssecret.Get(ctx, cfg, arn)
	if err != nil {
		return fmt.Errorf("notify: read the SMTP password %s: %w", arn, err)
	}
	SetPassword(deployment, password)
	return nil
}
