package s3blob_test

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/ipfast/ipfast/shared/awstest"
	"github.com/ipfast/ipfast/shared/blobtest"
	"github.com/ipfast/ipfast/shared/s3blob"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// TestStoreConformance runs the blob suite against gofakes3, an S3 server in this process on
// 127.0.0.1. The bucket is made with the SDK's S3 client; the store speaks to it on its own.
func TestStoreConformance(t *testing.T) {
	blobtest.Run(t, func(t *testing.T) blobtest.Harness {
		srv := httptest.NewServer(gofakes3.New(s3mem.New()).Server())
		t.Cleanup(srv.Close)
		cfg := awstest.Config()
		client := s3.NewFromConfig(cfg, func(o *s3.Options) {
			o.BaseEndpoint = aws.String(srv.URL)
			o.UsePathStyle = true
		})
		if _, err := client.CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String("attachments")}); err != nil {
			t.Fatal(err)
		}
		return blobtest.Harness{Blobs: &s3blob.Store{Bucket: "attachments", Region: cfg.Region, Endpoint: srv.URL,
			Credentials: cfg.Credentials}}
	})
}
