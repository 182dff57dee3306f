// Command api is the HTTP API function: API Gateway HTTP API (payload 2.0) events for the kiosk,
// console, complaint desk and public routes, served by the same handlers as `ipfast serve`.
package main

import (
	"context"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"
	"github.com/ipfast/ipfast/shared/api"
	"github.com/ipfast/ipfast/shared/auth"
	"github.com/ipfast/ipfast/shared/cloud"
	"github.com/ipfast/ipfast/shared/logs"
	"github.com/ipfast/ipfast/shared/metrics"
	"github.com/ipfast/ipfast/shared/s3blob"
	"github.com/ipfast/ipfast/shared/secrets"
)

func main() {
	ctx := context.Background()
	log := logs.New(os.Stdout, "ipfast-api")
	b, err := cloud.Open(ctx)
	var secret []byte
	if err == nil {
		secret, err = secrets.TokenSecret(ctx, b.Config)
	}
	if err != nil {
		log.Error("init", "error", err.Error())
		os.Exit(1)
	}
	blobs := s3blob.New(b.Config, os.Getenv(cloud.EnvAttachmentsBucket))
	// The figures as Embedded Metric Format lines in the log: CloudWatch makes the metrics.
	srv := api.NewServer(b.Expo, api.Backend{Store: b.Store, Queue: b.Queue, Blobs: blobs, Metrics: metrics.NewEMF(os.Stdout), EnrolmentMaxStale: cloud.EnrolmentMaxStale},
		auth.NewVerifier(secret, nil).ForExpos(b.Expo), log, os.Getenv(cloud.EnvPublicURL))
	srv.Intake.WarmHints() // the known marks' index (SPEC §15), built in the init phase
	// The pages are the pages function's (functions/pages).
	// Each request a subsegment of the invocation's X-Ray segment, its SDK calls under it.
	lambda.Start(httpadapter.NewV2(b.Tracing.Handler("ipfast-api", srv.Handler())).ProxyWithContext)
}
