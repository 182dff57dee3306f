// Package cloud wires the AWS deployment: it reads the environment that template.yaml gives the
// functions (and that `ipfast serve -backend aws` reads too), loads the AWS configuration (which
// honours AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL_SQS, … for emulators) and builds the
// adapters. Functions stay a few lines of wiring on top of it.
package cloud

import (
	"context"
	"fmt"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/ipfast/ipfast/shared/dynamo"
	"github.com/ipfast/ipfast/shared/filing"
	"github.com/ipfast/ipfast/shared/sqsq"
)

// The environment variables of the AWS deployment.
const (
	EnvTable       = "IPFAST_TABLE"        // DynamoDB table name
	EnvQueuePrefix = "IPFAST_QUEUE_PREFIX" // SQS review queues are named prefix + routing name
	EnvExpo        = "IPFAST_EXPO_JSON"    // expo configuration overrides (JSON), optional
	EnvPublicURL   = "IPFAST_PUBLIC_URL"   // base URL for receipts' QR codes, optional
)

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
}

// Open reads the environment and builds the adapters.
func Open(ctx context.Context) (*Backend, error) {
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
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, fmt.Errorf("cloud: AWS configuration: %w", err)
	}
	db := dynamodb.NewFromConfig(cfg)
	return &Backend{
		Config: cfg,
		DB:     db,
		Store:  &dynamo.Store{Client: db, Table: table},
		Queue:  sqsq.New(sqs.NewFromConfig(cfg), os.Getenv(EnvQueuePrefix)),
		Expo:   expo,
	}, nil
}
