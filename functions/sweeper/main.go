// Command sweeper is the scheduled function (EventBridge) that moves filings whose correction
// request went unanswered past respondBy to deemed_withdrawn, returns lapsed leases whose
// message was lost to their queue and adds the reminders 3 days before respondBy to the
// notification outbox, in every expo; its first run after an upgrade also
// migrates the table to the current layout.
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
	lambda.Start(func(ctx context.Context, _ events.CloudWatchEvent) (sweep.Report, error) {
		// The first run after an upgrade brings the table to this code's layout (dynamo.Migrate).
		migrated, err := b.Store.Migrate(ctx, b.Expo.ID)
		if err != nil {
			return sweep.Report{}, err
		}
		r, err := (&sweep.Service{Store: b.Store, Expo: b.Expo, Notices: b.Store}).Run(ctx)
		log.InfoContext(ctx, "sweep", "deemed_withdrawn", r.DeemedWithdrawn, "lapsed_leases_returned", r.LapsedLeasesReturned,
			"reminders", r.Reminders,
			"migrated_rows", migrated)
		return r, err
	})
}
