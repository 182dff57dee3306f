package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"text/tabwriter"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/ipfast/ipfast/shared/certs"
	"github.com/ipfast/ipfast/shared/secrets"
)

// keys is `ipfast keys list|rotate`: the certificates' signing keys (SPEC §12,
// docs/certificates.md) of the local data dir, or of the AWS deployment's secret.
func keys(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "list" && args[0] != "rotate") {
		return fmt.Errorf("keys: list or rotate?\n\n%s", usage)
	}
	fs := flag.NewFlagSet("keys "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	dataDir := fs.String("data", "./ipfast-data", "the local deployment's data directory")
	arn := fs.String("secret-arn", "", "the AWS deployment's certificate keys secret (stack output CertificateKeysArn): instead of -data")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	now := time.Now()
	var ring *certs.Keyring
	switch {
	case *arn != "":
		cfg, err := config.LoadDefaultConfig(ctx)
		if err != nil {
			return err
		}
		value, created, err := secrets.Read(ctx, cfg, *arn)
		if err != nil {
			return err
		}
		if args[0] == "rotate" {
			rotated, key, err := certs.RotateSecret(value, created, now)
			if err != nil {
				return err
			}
			// A new version of the secret: the documents function's instances read it within
			// five minutes, and at once for a certificate of a key they do not know.
			c := secretsmanager.NewFromConfig(cfg, func(o *secretsmanager.Options) {
				if u := os.Getenv("AWS_ENDPOINT_URL_SECRETS_MANAGER"); u != "" {
					o.BaseEndpoint = &u
				}
			})
			if _, err := c.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: arn, SecretString: aws.String(rotated)}); err != nil {
				return fmt.Errorf("keys: write %s: %w", *arn, err)
			}
			fmt.Fprintf(stdout, "new signing key %s; the documents function signs with it within 5 minutes, every older key still verifies\n", key.ID)
			value = rotated
		}
		if ring, err = certs.FromSecret(value, created); err != nil {
			return err
		}
	default:
		if args[0] == "rotate" {
			key, err := certs.RotateLocal(*dataDir, now)
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "new signing key %s; restart `ipfast serve` to sign with it (every older key still verifies)\n", key.ID)
		}
		var err error
		if ring, err = certs.LocalKeyring(*dataDir, now); err != nil {
			return err
		}
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "KEY ID\tCREATED\tSIGNS")
	for i, k := range ring.Public() {
		signs := ""
		if i == len(ring.Keys)-1 {
			signs = "yes"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", k.KeyID, k.Created, signs)
	}
	return tw.Flush()
}
