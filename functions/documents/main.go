// Command documents is the documents function: exhibits, certificates, their verification and
// the public keys (SPEC §12), the handlers of `ipfast serve`, apart from the API function.
package main

import (
	"context"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"
	"github.com/ipfast/ipfast/shared/api"
	"github.com/ipfast/ipfast/shared/auth"
	"github.com/ipfast/ipfast/shared/certs"
	"github.com/ipfast/ipfast/shared/cloud"
	"github.com/ipfast/ipfast/shared/docapi"
	"github.com/ipfast/ipfast/shared/exhibits"
	"github.com/ipfast/ipfast/shared/logs"
	"github.com/ipfast/ipfast/shared/s3blob"
)

func main() {
	ctx := context.Background()
	log := logs.New(os.Stdout, "ipfast-documents")
	b, err := cloud.Open(ctx)
	var secret []byte
	var keys *certs.Reloading
	if err == nil {
		secret, keys, err = docapi.Secrets(ctx, b.Config)
	}
	if err != nil {
		log.Error("init", "error", err.Error())
		os.Exit(1)
	}
	blobs := s3blob.New(b.Config, os.Getenv(cloud.EnvAttachmentsBucket))
	srv := api.NewServer(b.Expo, api.Backend{Store: b.Store, Queue: b.Queue, Blobs: blobs, EnrolmentMaxStale: cloud.EnrolmentMaxStale}, auth.NewVerifier(secret, nil).ForExpos(b.Expo), log, os.Getenv(cloud.EnvPublicURL))
	h := srv.HandlerFor(docapi.Routes(srv, exhibits.New(b.Expo, b.Store, srv.Intake, keys, nil)))
	lambda.Start(httpadapter.NewV2(b.Tracing.Handler("ipfast-documents", h)).ProxyWithContext)
}
