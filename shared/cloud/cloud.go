// Package cloud wires the AWS deployment: it reads the environment that template.yaml gives the
// functions (and that `ipfast serve -backend aws` reads too), loads the AWS configuration (which
// honours AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL_SQS, … for emulators) and builds the
// adapters. Functions stay a few lines of wiring on top of it.
package cloud

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/ipfast/ipfast/shared/dynamo"
	"github.com/ipfast/ipfast/shared/filing"
	"github.com/ipfast/ipfast/shared/sqsq"
	"github.com/ipfast/ipfast/shared/tracing"
)

// The environment variables of the AWS deployment.
const (
	EnvTable       = "IPFAST_TABLE"        // DynamoDB table name
	EnvQueuePrefix = "IPFAST_QUEUE_PREFIX" // SQS review queues are named prefix + routing name
	EnvExpo        = "IPFAST_EXPO_JSON"    // expo configuration overrides (JSON), optional
	EnvPublicURL   = "IPFAST_PUBLIC_URL"   // base URL for receipts' QR codes, optional
	// EnvAttachmentsBucket names the S3 bucket of attachments (the API function's; optional
	// for `ipfast serve -backend aws`, which otherwise keeps attachments in its data dir).
	EnvAttachmentsBucket = "IPFAST_ATTACHMENTS_BUCKET"
)

// EnrolmentMaxStale is how long an AWS function may go on trusting what the table last said of
// enrolment (SPEC §18; api.Backend.EnrolmentMaxStale): a revoked kiosk's or person's token stops
// working on every instance within this time of the revocation, and the complaint desk reads the
// exhibitor directory (one Query of its rows) at most this often per instance.
const EnrolmentMaxStale = 5 * time.Second

// MaxReceives is the review queues' receive limit before a message is dead-lettered (the
// RedrivePolicy of template.yaml says the same).
const MaxReceives = 5

// Backend is the AWS adapters and the expo they serve.
type Backend struct {
	Config aws.Config
	DB     *dynamodb.Client
	Store  *dynamo.Store
	Queue  *sqsq.Queue
	Expo   *filing.Expo
	// Tracing records the clients' calls and, through Tracing.Handler, the requests a function
	// serves as X-Ray segments; nil (off) unless AWS_XRAY_DAEMON_ADDRESS is set (Lambda sets
	// it: the template turns active tracing on).
	Tracing *tracing.Provider
}

// Open builds the adapters for a Lambda function from its environment. The AWS configuration
// is read from the variables Lambda sets (AWS_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
// AWS_SESSION_TOKEN) and the endpoint overrides AWS_ENDPOINT_URL[_<SERVICE>]; unlike
// config.LoadDefaultConfig it reads no shared config files and links no SSO or STS clients,
// which keeps every cold start about 5 ms shorter and the binaries smaller.
func Open(ctx context.Context) (*Backend, error) {
	return OpenWith(ctx, EnvConfig())
}

// EnvConfig is the AWS configuration of a Lambda function's environment.
func EnvConfig() aws.Config {
	cfg := aws.Config{Region: os.Getenv("AWS_REGION"), RetryMaxAttempts: 3}
	if cfg.Region == "" {
		cfg.Region = os.Getenv("AWS_DEFAULT_REGION")
	}
	if id := os.Getenv("AWS_ACCESS_KEY_ID"); id != "" {
		cfg.Credentials = credentials.NewStaticCredentialsProvider(id, os.Getenv("AWS_SECRET_ACCESS_KEY"), os.Getenv("AWS_SESSION_TOKEN"))
	}
	return cfg
}

// endpoint is a service's endpoint override: its own variable's value (specific), else
// AWS_ENDPOINT_URL, else nil for the service's own endpoint.
func endpoint(specific string) *string {
	if specific == "" {
		specific = os.Getenv("AWS_ENDPOINT_URL")
	}
	if specific == "" {
		return nil
	}
	return &specific
}

// OpenWith builds the adapters with a given AWS configuration (`ipfast serve -backend aws`
// passes config.LoadDefaultConfig's, with profiles and SSO).
func OpenWith(ctx context.Context, cfg aws.Config) (*Backend, error) {
	table := os.Getenv(EnvTable)
	if table == "" {
		return nil, fmt.Errorf("cloud: %s is not set", EnvTable)
	}
	expo := filing.DefaultExpo()
	if js := os.Getenv(EnvExpo); js != "" {
		var err error
		if expo, err = filing.ParseExpo([]byte(js)); err != nil {
			return nil, fmt.Errorf("cloud: %s: %w", EnvExpo, err)
		}
	}
	tp, err := tracing.FromEnv("ipfast")
	if err != nil {
		return nil, err
	}
	db := dynamodb.NewFromConfig(cfg, func(o *dynamodb.Options) {
		if u := endpoint(os.Getenv("AWS_ENDPOINT_URL_DYNAMODB")); u != nil {
			o.BaseEndpoint = u
		}
		if tp != nil {
			o.TracerProvider = tp
		}
	})
	q := sqs.NewFromConfig(cfg, func(o *sqs.Options) {
		if u := endpoint(os.Getenv("AWS_ENDPOINT_URL_SQS")); u != nil {
			o.BaseEndpoint = u
		}
		if tp != nil {
			o.TracerProvider = tp
		}
	})
	return &Backend{Config: cfg, DB: db, Store: &dynamo.Store{Client: db, Table: table},
		Queue: sqsq.New(q, os.Getenv(EnvQueuePrefix)), Expo: expo, Tracing: tp}, nil
}
