// Command sweeper is the scheduled function (EventBridge) that moves filings whose correction
// request went unanswered past respondBy to deemed_withdrawn.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/ipfast/ipfast/shared/cloud"
	"github.com/ipfast/ipfast/shared/logs"
	"github.com/ipfast/ipfast/shared/sweep"
)

func main() {
	log := logs.New(os.Stdout, "ipfast-sweeper")
	slog.SetDefault(log)
	b, err := cloud.Open(context.Background())
	if err != nil {
		log.Error("init", "error", err.Error())
		os.Exit(1)
	}
	lambda.Start(func(ctx context.Context, _ events.CloudWatchEvent) (map[string]int, error) {
		n, err := (&sweep.Service{Store: b.Store, Expo: b.Expo}).DeemWithdrawn(ctx)
		log.InfoContext(ctx, "sweep", "deemed_withdrawn", n)
		return map[string]int{"deemedWithdrawn": n}, err
	})
}
