// Package s3blob adapts Amazon S3 (aws-sdk-go-v2) to the filing.Blobs port. Clients upload with
// a presigned PUT that binds the key, the content type, the exact Content-Length and the
// x-amz-checksum-sha256 of the declared bytes: S3 refuses any other body. (A presigned POST
// policy could bound the size as a range; the PUT binds it exactly and adds the checksum,
// which is what an attachment declares.)
package s3blob

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
	"github.com/ipfast/ipfast/shared/filing"
)

// Store is a bucket of attachments.
type Store struct {
	Client *s3.Client
	Bucket string
}

var _ filing.Blobs = (*Store)(nil)

// New returns the store of a bucket, with the client configured from cfg and the endpoint
// override AWS_ENDPOINT_URL_S3 (or AWS_ENDPOINT_URL) for emulators, path-style when overridden.
func New(cfg aws.Config, bucket string) *Store {
	return &Store{Bucket: bucket, Client: s3.NewFromConfig(cfg, func(o *s3.Options) {
		u := os.Getenv("AWS_ENDPOINT_URL_S3")
		if u == "" {
			u = os.Getenv("AWS_ENDPOINT_URL")
		}
		if u != "" {
			o.BaseEndpoint, o.UsePathStyle = &u, true
		}
	})}
}

func notFound(key string, err error) error {
	var nk *types.NoSuchKey
	var nf *types.NotFound
	var ae smithy.APIError
	if errors.As(err, &nk) || errors.As(err, &nf) || (errors.As(err, &ae) && (ae.ErrorCode() == "NotFound" || ae.ErrorCode() == "NoSuchKey")) {
		return filing.Errorf(filing.NotFound, filing.CodeNotFound, "no blob %q", key)
	}
	return fmt.Errorf("s3: %s: %w", key, err)
}

// UploadTarget implements filing.Blobs.
func (s *Store) UploadTarget(ctx context.Context, key, contentType string, size int64, sha256hex string, ttl time.Duration) (filing.UploadTarget, error) {
	raw, err := hex.DecodeString(sha256hex)
	if err != nil || len(raw) != 32 {
		return filing.UploadTarget{}, filing.Errorf(filing.Invalid, "invalid_format", "sha256 must be 64 hex digits")
	}
	req, err := s3.NewPresignClient(s.Client).PresignPutObject(ctx, &s3.PutObjectInput{Bucket: &s.Bucket, Key: &key,
		ContentType: &contentType, ContentLength: aws.Int64(size),
		ChecksumSHA256: aws.String(base64.StdEncoding.EncodeToString(raw))},
		s3.WithPresignExpires(ttl))
	if err != nil {
		return filing.UploadTarget{}, fmt.Errorf("s3: presign put %s: %w", key, err)
	}
	headers := map[string]string{}
	for k, v := range req.SignedHeader {
		if http.CanonicalHeaderKey(k) != "Host" && len(v) > 0 {
			headers[http.CanonicalHeaderKey(k)] = v[0]
		}
	}
	return filing.UploadTarget{Method: http.MethodPut, URL: req.URL, Headers: headers}, nil
}

// Open implements filing.Blobs.
func (s *Store) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	out, err := s.Client.GetObject(ctx, &s3.GetObjectInput{Bucket: &s.Bucket, Key: &key})
	if err != nil {
		return nil, notFound(key, err)
	}
	return out.Body, nil
}

// Stat implements filing.Blobs.
func (s *Store) Stat(ctx context.Context, key string) (int64, error) {
	out, err := s.Client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: &s.Bucket, Key: &key})
	if err != nil {
		return 0, notFound(key, err)
	}
	return aws.ToInt64(out.ContentLength), nil
}

// Copy implements filing.Blobs.
func (s *Store) Copy(ctx context.Context, from, to string) error {
	src := s.Bucket + "/" + url.PathEscape(from)
	if _, err := s.Client.CopyObject(ctx, &s3.CopyObjectInput{Bucket: &s.Bucket, Key: &to, CopySource: &src}); err != nil {
		return notFound(from, err)
	}
	return nil
}

// Delete implements filing.Blobs.
func (s *Store) Delete(ctx context.Context, key string) error {
	if _, err := s.Client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: &s.Bucket, Key: &key}); err != nil {
		return fmt.Errorf("s3: delete %s: %w", key, err)
	}
	return nil
}

// DownloadURL implements filing.Blobs.
func (s *Store) DownloadURL(ctx context.Context, key string, ttl time.Duration) (string, error) {
	req, err := s3.NewPresignClient(s.Client).PresignGetObject(ctx, &s3.GetObjectInput{Bucket: &s.Bucket, Key: &key},
		s3.WithPresignExpires(ttl))
	if err != nil {
		return "", fmt.Errorf("s3: presign get %s: %w", key, err)
	}
	return req.URL, nil
}
