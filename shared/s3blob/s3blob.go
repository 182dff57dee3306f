// Package s3blob adapts Amazon S3 to the filing.Blobs port. Clients upload with a presigned
// PUT that binds the key, the content type, the exact Content-Length and the
// x-amz-checksum-sha256 of the declared bytes: S3 refuses any other body. (A presigned POST
// policy could bound the size as a range; the PUT binds it exactly and adds the checksum,
// which is what an attachment declares.)
//
// Every request, the clients' and the store's own, is a presigned URL made with the SDK's
// Signature Version 4 signer (aws-sdk-go-v2/aws/signer/v4), the same URL the SDK's S3 presign
// client makes (a test compares them byte for byte), sent with net/http. The S3 service
// client is not used: linking it made the api function alone 1.3 MB larger, which put it past
// its size target (BENCHMARKS.md), for the six requests this store makes.
package s3blob

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/ipfast/ipfast/shared/filing"
)

// Store is a bucket of attachments.
type Store struct {
	Bucket string
	// Region is the bucket's region; Endpoint, when set, is an S3-compatible server reached
	// path-style (emulators); otherwise the bucket's virtual-hosted AWS endpoint is used.
	Region   string
	Endpoint string
	// Credentials sign the requests.
	Credentials aws.CredentialsProvider
	// HTTP sends the store's own requests (nil: a client with sensible timeouts).
	HTTP *http.Client

	now func() time.Time // the signing clock (tests); nil: time.Now
}

// signer signs S3 requests: S3 signs the path as sent, without escaping it a second time.
var signer = v4.NewSigner(func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true })

var _ filing.Blobs = (*Store)(nil)

// New returns the store of a bucket, with the region and credentials of cfg and the endpoint
// override AWS_ENDPOINT_URL_S3 (or AWS_ENDPOINT_URL) for emulators.
func New(cfg aws.Config, bucket string) *Store {
	u := os.Getenv("AWS_ENDPOINT_URL_S3")
	if u == "" {
		u = os.Getenv("AWS_ENDPOINT_URL")
	}
	return &Store{Bucket: bucket, Region: cfg.Region, Endpoint: u, Credentials: cfg.Credentials}
}

// presignTTL is how long the store's own requests are valid: long enough for retries.
const presignTTL = time.Minute

// objectURL is the URL of a key: virtual-hosted style on AWS, path style on an endpoint.
func (s *Store) objectURL(key string) string {
	path := escapeKey(key)
	if s.Endpoint != "" {
		return strings.TrimRight(s.Endpoint, "/") + "/" + s.Bucket + "/" + path
	}
	domain := "amazonaws.com"
	if strings.HasPrefix(s.Region, "cn-") {
		domain = "amazonaws.com.cn" // the China partition (Beijing, Ningxia)
	}
	if strings.Contains(s.Bucket, ".") {
		// A dotted bucket name does not match the wildcard TLS certificate of its host.
		return "https://s3." + s.Region + "." + domain + "/" + s.Bucket + "/" + path
	}
	return "https://" + s.Bucket + ".s3." + s.Region + "." + domain + "/" + path
}

// escapeKey URI-encodes each segment of a key as S3 expects (RFC 3986 unreserved characters
// kept, "/" kept between segments).
func escapeKey(key string) string {
	var b strings.Builder
	for i := 0; i < len(key); i++ {
		c := key[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-', c == '.', c == '_', c == '~', c == '/':
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// presign makes a presigned URL for one S3 operation on key, valid for ttl, binding header;
// it returns the URL and the headers the request must carry. op names the operation in the
// x-id parameter, as the SDK does for every operation but HeadObject ("").
func (s *Store) presign(ctx context.Context, op, method, key string, header http.Header, ttl time.Duration) (string, http.Header, error) {
	if s.Credentials == nil {
		return "", nil, fmt.Errorf("s3: no AWS credentials")
	}
	creds, err := s.Credentials.Retrieve(ctx)
	if err != nil {
		return "", nil, fmt.Errorf("s3: credentials: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, method, s.objectURL(key), nil)
	if err != nil {
		return "", nil, err
	}
	q := req.URL.Query()
	q.Set("X-Amz-Expires", strconv.Itoa(int(ttl.Seconds())))
	if op != "" {
		q.Set("x-id", op)
	}
	req.URL.RawQuery = q.Encode()
	for k, v := range header {
		if http.CanonicalHeaderKey(k) == "Content-Length" {
			req.ContentLength, _ = strconv.ParseInt(v[0], 10, 64)
			continue
		}
		req.Header[http.CanonicalHeaderKey(k)] = v
	}
	now := time.Now
	if s.now != nil {
		now = s.now
	}
	u, signed, err := signer.PresignHTTP(ctx, creds, req, "UNSIGNED-PAYLOAD", "s3", s.Region, now().UTC())
	if err != nil {
		return "", nil, fmt.Errorf("s3: presign %s %s: %w", op, key, err)
	}
	return u, signed, nil
}

// do sends one of the store's own requests, presigned, retrying network failures and S3's
// 5xx answers (with SlowDown) up to three times. A 2xx answer is returned open.
func (s *Store) do(ctx context.Context, op, method, key string, header http.Header) (*http.Response, error) {
	client := s.HTTP
	if client == nil {
		client = defaultClient
	}
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		if attempt > 0 {
			select {
			case <-ctx.Done():
				return nil, ctx.Err()
			case <-time.After(time.Duration(50<<attempt) * time.Millisecond):
			}
		}
		u, signed, err := s.presign(ctx, op, method, key, header, presignTTL)
		if err != nil {
			return nil, err
		}
		req, err := http.NewRequestWithContext(ctx, method, u, nil)
		if err != nil {
			return nil, err
		}
		for k, v := range signed {
			if http.CanonicalHeaderKey(k) != "Host" {
				req.Header[http.CanonicalHeaderKey(k)] = v
			}
		}
		res, err := client.Do(req)
		if err != nil {
			lastErr = fmt.Errorf("s3: %s %s: %w", op, key, err)
			continue
		}
		if res.StatusCode/100 == 2 {
			return res, nil
		}
		name := op
		if name == "" {
			name = "HeadObject"
		}
		apiErr := readError(name, key, res)
		if res.StatusCode < 500 {
			return nil, apiErr
		}
		lastErr = apiErr
	}
	return nil, lastErr
}

var defaultClient = &http.Client{Transport: &http.Transport{
	Proxy: http.ProxyFromEnvironment, MaxIdleConnsPerHost: 16, IdleConnTimeout: 90 * time.Second,
	TLSHandshakeTimeout: 10 * time.Second, ResponseHeaderTimeout: 30 * time.Second,
}}

// Error is an error answer of S3.
type Error struct {
	Op, Key string
	Status  int
	Code    string // S3's error code (NoSuchKey, AccessDenied, …), when the answer has one
}

func (e *Error) Error() string {
	return fmt.Sprintf("s3: %s %s: %d %s", e.Op, e.Key, e.Status, e.Code)
}

// readError reads an S3 error answer (XML with a Code element, or nothing for HEAD) and
// closes it.
func readError(op, key string, res *http.Response) error {
	defer res.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(res.Body, 4096))
	e := &Error{Op: op, Key: key, Status: res.StatusCode, Code: element(string(b), "Code")}
	if e.Status == http.StatusNotFound || e.Code == "NoSuchKey" || e.Code == "NotFound" {
		return filing.Errorf(filing.NotFound, filing.CodeNotFound, "no blob %q", key)
	}
	return e
}

// element is the text of the first <name> element of an XML document ("" if none).
func element(doc, name string) string {
	_, rest, ok := strings.Cut(doc, "<"+name+">")
	if !ok {
		return ""
	}
	text, _, _ := strings.Cut(rest, "</"+name+">")
	return text
}

// UploadTarget implements filing.Blobs.
func (s *Store) UploadTarget(ctx context.Context, key, contentType string, size int64, sha256hex string, ttl time.Duration) (filing.UploadTarget, error) {
	raw, err := hex.DecodeString(sha256hex)
	if err != nil || len(raw) != 32 {
		return filing.UploadTarget{}, filing.Errorf(filing.Invalid, "invalid_format", "sha256 must be 64 hex digits")
	}
	h := http.Header{}
	h.Set("Content-Type", contentType)
	h.Set("Content-Length", strconv.FormatInt(size, 10))
	h.Set("X-Amz-Checksum-Sha256", base64.StdEncoding.EncodeToString(raw))
	u, signed, err := s.presign(ctx, "PutObject", http.MethodPut, key, h, ttl)
	if err != nil {
		return filing.UploadTarget{}, err
	}
	headers := map[string]string{}
	for k, v := range signed {
		if http.CanonicalHeaderKey(k) != "Host" && len(v) > 0 {
			headers[http.CanonicalHeaderKey(k)] = v[0]
		}
	}
	return filing.UploadTarget{Method: http.MethodPut, URL: u, Headers: headers}, nil
}

// Open implements filing.Blobs.
func (s *Store) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	res, err := s.do(ctx, "GetObject", http.MethodGet, key, nil)
	if err != nil {
		return nil, err
	}
	return res.Body, nil
}

// Stat implements filing.Blobs.
func (s *Store) Stat(ctx context.Context, key string) (int64, error) {
	res, err := s.do(ctx, "", http.MethodHead, key, nil)
	if err != nil {
		return 0, err
	}
	res.Body.Close()
	return res.ContentLength, nil
}

// Copy implements filing.Blobs.
func (s *Store) Copy(ctx context.Context, from, to string) error {
	h := http.Header{}
	h.Set("X-Amz-Copy-Source", "/"+s.Bucket+"/"+escapeKey(from))
	res, err := s.do(ctx, "CopyObject", http.MethodPut, to, h)
	if err != nil {
		var e *Error
		if errors.As(err, &e) && e.Status == http.StatusNotFound || filing.ErrorKind(err) == filing.NotFound {
			return filing.Errorf(filing.NotFound, filing.CodeNotFound, "no blob %q", from)
		}
		return err
	}
	defer res.Body.Close()
	// A copy can fail after S3 has answered 200: the body then holds an Error.
	b, err := io.ReadAll(io.LimitReader(res.Body, 64<<10))
	if err != nil {
		return fmt.Errorf("s3: CopyObject %s: %w", to, err)
	}
	if code := element(string(b), "Code"); strings.Contains(string(b), "<Error>") {
		return &Error{Op: "CopyObject", Key: to, Status: res.StatusCode, Code: code}
	}
	return nil
}

// Delete implements filing.Blobs.
func (s *Store) Delete(ctx context.Context, key string) error {
	res, err := s.do(ctx, "DeleteObject", http.MethodDelete, key, nil)
	if filing.ErrorKind(err) == filing.NotFound {
		return nil
	}
	if err != nil {
		return err
	}
	res.Body.Close()
	return nil
}

// DownloadURL implements filing.Blobs.
func (s *Store) DownloadURL(ctx context.Context, key string, ttl time.Duration) (string, error) {
	u, _, err := s.presign(ctx, "GetObject", http.MethodGet, key, nil, ttl)
	return u, err
}
