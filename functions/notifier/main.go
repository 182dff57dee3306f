// Command notifier is the scheduled function (EventBridge, every minute) that sends the
// notification outbox (SPEC §17): every due notice of every expo, by SMTP through Amazon SES's
// SMTP interface (notifications.smtp in ExpoConfig; the password from Secrets Manager).
package main

import (
	"context"
	"log/slog"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/ipfast/ipfast/shared/cloud"
	"github.com/ipfast/ipfast/shared/filing"
	"github.com/ipfast/ipfast/shared/logs"
	"github.com/ipfast/ipfast/shared/notify"
)

func main() {
	log := logs.New(os.Stdout, "ipfast-notifier")
	slog.SetDefault(log)
	ctx := context.Background()
	b, err := cloud.Open(ctx)
	if err != nil {
		log.Error("init", "error", err.Error())
		os.Exit(1)
	}
	if err := notify.PasswordFromSecret(ctx, b.Config, b.Expo); err != nil {
		log.Error("init", "error", err.Error())
		os.Exit(1)
	}
	s := &notify.Sender{Store: b.Store, Notices: b.Store, Expo: b.Expo, Clock: filing.SystemClock{}, Log: log,
		BaseURL: os.Getenv(cloud.EnvPublicURL), Instance: filing.NewID("snd_", time.Now())}
	lambda.Start(func(ctx context.Context, _ events.CloudWatchEvent) (int, error) {
		n, err := s.RunOnce(ctx)
		log.InfoContext(ctx, "notices", "sent", n)
		return n, err
	})
}
