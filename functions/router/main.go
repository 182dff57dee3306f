// Command router is the routing function: it reads the filing table's stream (DynamoDB
// Streams event source, ReportBatchItemFailures) and sends each new or re-queued filing to
// its review queue in SQS. It is the consumer side of the table's transactional outbox.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/ipfast/ipfast/shared/cloud"
	"github.com/ipfast/ipfast/shared/logs"
	"github.com/ipfast/ipfast/shared/outbox"
)

func main() {
	log := logs.New(os.Stdout, "ipfast-router")
	slog.SetDefault(log)
	b, err := cloud.Open(context.Background())
	if err != nil {
		log.Error("init", "error", err.Error())
		os.Exit(1)
	}
	lambda.Start(func(ctx context.Context, ev events.DynamoDBEvent) (events.DynamoDBEventResponse, error) {
		return outbox.HandleStream(ctx, b.Queue, b.Store.IndexChange, ev)
	})
}
