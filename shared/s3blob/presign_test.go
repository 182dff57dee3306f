package s3blob

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// fixedTime presigns as the S3 client's default presigner does (service/s3 api_client.go,
// newDefaultV4Signer: DisableURIPathEscaping), at a fixed instant.
type fixedTime struct {
	at time.Time
}

func (f fixedTime) PresignHTTP(ctx context.Context, creds aws.Credentials, r *http.Request, payloadHash, service, region string,
	_ time.Time, optFns ...func(*v4.SignerOptions)) (string, http.Header, error) {
	s := v4.NewSigner(func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true })
	return s.PresignHTTP(ctx, creds, r, payloadHash, service, region, f.at, optFns...)
}

// TestPresignedLikeTheSDK: every URL the store makes is the URL the SDK's S3 presign client
// makes for the same operation at the same instant, byte for byte (and so is every signed
// header): on AWS and in the China partition, with and without a session token, virtual-hosted
// and path style, for keys that need escaping.
func TestPresignedLikeTheSDK(t *testing.T) {
	at := time.Date(2026, 6, 23, 2, 3, 4, 0, time.UTC)
	for _, tc := range []struct {
		name, region, endpoint, bucket, token string
	}{
		{"us-east-1", "us-east-1", "", "ipfast-dev-attachments", ""},
		{"Beijing, session token", "cn-north-1", "", "ipfast-prod-attachments", "FwoGZXIvYXdzEJr//////////session"},
		{"dotted bucket", "eu-central-1", "", "attachments.ipfast.example", "tok"},
		{"emulator, path style", "us-east-1", "http://127.0.0.1:9000", "attachments", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			creds := credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", tc.token)
			store := &Store{Bucket: tc.bucket, Region: tc.region, Endpoint: tc.endpoint, Credentials: creds,
				now: func() time.Time { return at }}
			sdk := s3.NewPresignClient(s3.NewFromConfig(aws.Config{Region: tc.region, Credentials: creds}, func(o *s3.Options) {
				if tc.endpoint != "" {
					o.BaseEndpoint, o.UsePathStyle = aws.String(tc.endpoint), true
				}
			}), func(o *s3.PresignOptions) { o.Presigner = fixedTime{at} })
			ctx := context.Background()
			for _, key := range []string{"uploads/att_06h36r3rhvmpfaedwpjpx19ztg", "filings/a b+c=d~e(1)'é.pdf"} {
				sum := "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
				want, err := sdk.PresignPutObject(ctx, &s3.PutObjectInput{Bucket: &tc.bucket, Key: &key,
					ContentType: aws.String("application/pdf"), ContentLength: aws.Int64(1234), ChecksumSHA256: &sum},
					s3.WithPresignExpires(15*time.Minute))
				if err != nil {
					t.Fatal(err)
				}
				got, err := store.UploadTarget(ctx, key, "application/pdf", 1234,
					"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", 15*time.Minute)
				if err != nil {
					t.Fatal(err)
				}
				if got.URL != want.URL || got.Method != want.Method {
					t.Errorf("PutObject %s:\n got %s %s\nwant %s %s", key, got.Method, got.URL, want.Method, want.URL)
				}
				for k, v := range want.SignedHeader {
					if k != "Host" && got.Headers[k] != v[0] {
						t.Errorf("PutObject header %s = %q, want %q", k, got.Headers[k], v[0])
					}
				}
				if len(got.Headers) != len(want.SignedHeader)-1 {
					t.Errorf("PutObject headers %v, want %v", got.Headers, want.SignedHeader)
				}
				wantGet, _ := sdk.PresignGetObject(ctx, &s3.GetObjectInput{Bucket: &tc.bucket, Key: &key}, s3.WithPresignExpires(5*time.Minute))
				if got, _ := store.DownloadURL(ctx, key, 5*time.Minute); got != wantGet.URL {
					t.Errorf("GetObject %s:\n got %s\nwant %s", key, got, wantGet.URL)
				}
				wantHead, _ := sdk.PresignHeadObject(ctx, &s3.HeadObjectInput{Bucket: &tc.bucket, Key: &key}, s3.WithPresignExpires(presignTTL))
				if got, _, _ := store.presign(ctx, "", http.MethodHead, key, nil, presignTTL); got != wantHead.URL {
					t.Errorf("HeadObject %s:\n got %s\nwant %s", key, got, wantHead.URL)
				}
				wantDel, _ := sdk.PresignDeleteObject(ctx, &s3.DeleteObjectInput{Bucket: &tc.bucket, Key: &key}, s3.WithPresignExpires(presignTTL))
				if got, _, _ := store.presign(ctx, "DeleteObject", http.MethodDelete, key, nil, presignTTL); got != wantDel.URL {
					t.Errorf("DeleteObject %s:\n got %s\nwant %s", key, got, wantDel.URL)
				}
			}
		})
	}
}
