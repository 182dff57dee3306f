package functions_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"image"
	"image/jpeg"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/ipfast/ipfast/shared/auth"
	"github.com/ipfast/ipfast/shared/awstest"
	"github.com/ipfast/ipfast/shared/blobtest"
	"github.com/ipfast/ipfast/shared/filing"
	"github.com/ipfast/ipfast/shared/intake"
	"github.com/ipfast/ipfast/shared/lambdatest"
	"github.com/ipfast/ipfast/shared/provision"
	"github.com/ipfast/ipfast/shared/sqsq"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// buildFunction builds a function's bootstrap for this machine with its Makefile target.
func buildFunction(t testing.TB, name string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), name)
	cmd := exec.Command("make", "-s", "build-"+name, "LAMBDA_ARCH="+goarch(), "ARTIFACTS_DIR="+out)
	cmd.Dir = root
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("make build-%s: %v %s", name, err, b)
	}
	return filepath.Join(out, "bootstrap")
}

func httpEvent(method, path, token, body string, headers map[string]string) events.APIGatewayV2HTTPRequest {
	h := map[string]string{"authorization": "Bearer " + token, "host": "api.example.test"}
	if body != "" {
		h["content-type"] = "application/json"
	}
	for k, v := range headers {
		h[k] = v
	}
	return events.APIGatewayV2HTTPRequest{Version: "2.0", RouteKey: "$default", RawPath: path, Headers: h, Body: body,
		RequestContext: events.APIGatewayV2HTTPRequestContext{RequestID: "e2e", Stage: "$default",
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: method, Path: path, Protocol: "HTTP/1.1", SourceIP: "127.0.0.1"}}}
}

// lambdaValue converts a DynamoDB Streams attribute value to the Lambda event form.
func lambdaValue(v types.AttributeValue) events.DynamoDBAttributeValue {
	switch x := v.(type) {
	case *types.AttributeValueMemberS:
		return events.NewStringAttribute(x.Value)
	case *types.AttributeValueMemberN:
		return events.NewNumberAttribute(x.Value)
	case *types.AttributeValueMemberBOOL:
		return events.NewBooleanAttribute(x.Value)
	case *types.AttributeValueMemberM:
		m := map[string]events.DynamoDBAttributeValue{}
		for k, e := range x.Value {
			m[k] = lambdaValue(e)
		}
		return events.NewMapAttribute(m)
	case *types.AttributeValueMemberL:
		var l []events.DynamoDBAttributeValue
		for _, e := range x.Value {
			l = append(l, lambdaValue(e))
		}
		return events.NewListAttribute(l)
	}
	return events.NewNullAttribute()
}

func lambdaImage(m map[string]types.AttributeValue) map[string]events.DynamoDBAttributeValue {
	if m == nil {
		return nil
	}
	out := map[string]events.DynamoDBAttributeValue{}
	for k, v := range m {
		out[k] = lambdaValue(v)
	}
	return out
}

// streamEvent reads every record of the table's stream into one Lambda DynamoDB event, as the
// event source mapping would deliver them.
func streamEvent(t *testing.T, db *dynamodb.Client, st *dynamodbstreams.Client, table string) events.DynamoDBEvent {
	t.Helper()
	ctx := context.Background()
	desc, err := db.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: &table})
	if err != nil {
		t.Fatal(err)
	}
	s, err := st.DescribeStream(ctx, &dynamodbstreams.DescribeStreamInput{StreamArn: desc.Table.LatestStreamArn})
	if err != nil {
		t.Fatal(err)
	}
	var ev events.DynamoDBEvent
	for _, sh := range s.StreamDescription.Shards {
		it, err := st.GetShardIterator(ctx, &dynamodbstreams.GetShardIteratorInput{StreamArn: desc.Table.LatestStreamArn,
			ShardId: sh.ShardId, ShardIteratorType: types.ShardIteratorTypeTrimHorizon})
		if err != nil {
			t.Fatal(err)
		}
		for iter := it.ShardIterator; iter != nil; {
			out, err := st.GetRecords(ctx, &dynamodbstreams.GetRecordsInput{ShardIterator: iter})
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range out.Records {
				ev.Records = append(ev.Records, events.DynamoDBEventRecord{EventID: aws.ToString(r.EventID),
					EventName: string(r.EventName), EventSource: "aws:dynamodb", EventVersion: "1.1", AWSRegion: "us-east-1",
					EventSourceArn: aws.ToString(desc.Table.LatestStreamArn),
					Change: events.DynamoDBStreamRecord{Keys: lambdaImage(r.Dynamodb.Keys), NewImage: lambdaImage(r.Dynamodb.NewImage),
						OldImage: lambdaImage(r.Dynamodb.OldImage), SequenceNumber: aws.ToString(r.Dynamodb.SequenceNumber),
						StreamViewType: string(r.Dynamodb.StreamViewType)}})
			}
			if len(out.Records) == 0 {
				break
			}
			iter = out.NextShardIterator
		}
	}
	return ev
}

// markImage is a 500×500 JPEG: a valid mark image.
func markImage(t *testing.T) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, 500, 500))
	for i := range img.Pix {
		img.Pix[i] = uint8(i / 997)
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestEndToEndOnLambda runs the real api and router binaries under the Runtime API harness,
// against DynamoDB Local, fauxqs and gofakes3 (S3, in this process): a combined mark whose
// image is uploaded through a presigned S3 URL is filed through API Gateway v2 events, read
// back with its document, downloaded byte for byte, and reaches its SQS review queue through
// the router.
func TestEndToEndOnLambda(t *testing.T) {
	ctx := context.Background()
	expo := filing.DefaultExpo()
	db := awstest.DynamoDB(t)
	table := awstest.Table(t, db)
	prefix := awstest.Name("ipfast-e2e-")
	sqsClient := awstest.SQS(t)
	if err := provision.Queues(ctx, sqsClient, prefix, expo.AllQueues(), 5); err != nil {
		t.Fatal(err)
	}
	s3srv := httptest.NewServer(gofakes3.New(s3mem.New()).Server())
	t.Cleanup(s3srv.Close)
	s3c := s3.NewFromConfig(awstest.Config(), func(o *s3.Options) { o.BaseEndpoint, o.UsePathStyle = aws.String(s3srv.URL), true })
	if _, err := s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("attachments")}); err != nil {
		t.Fatal(err)
	}
	env := []string{"AWS_ENDPOINT_URL_DYNAMODB=" + awstest.DynamoDBURL(t), "AWS_ENDPOINT_URL_SQS=" + awstest.SQSURL(t),
		"AWS_ENDPOINT_URL_S3=" + s3srv.URL, "AWS_REGION=us-east-1", "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test",
		"IPFAST_TABLE=" + table, "IPFAST_QUEUE_PREFIX=" + prefix, "IPFAST_TOKEN_SECRET=e2e-secret",
		"IPFAST_EXPO_JSON={}", "IPFAST_PUBLIC_URL=https://api.example.test", "IPFAST_ATTACHMENTS_BUCKET=attachments"}
	apiFn := lambdatest.Start(t, buildFunction(t, "ApiFunction"), env...)
	routerFn := lambdatest.Start(t, buildFunction(t, "RouterFunction"), env...)
	tok, _ := auth.Sign([]byte("e2e-secret"), filing.Principal{Subject: "kiosk-1", Role: "kiosk", Exhibitor: "EX-0001", Booth: "1A-101"},
		time.Now(), time.Hour)

	// The mark image: declared, then PUT to S3 exactly as the slot says.
	img := markImage(t)
	digest := sha256.Sum256(img)
	var resp events.APIGatewayV2HTTPResponse
	decl := fmt.Sprintf(`{"role":"mark_image","contentType":"image/jpeg","size":%d,"sha256":"%x"}`, len(img), digest)
	if err := apiFn.Invoke(httpEvent("POST", "/v1/uploads", tok, decl, nil), &resp); err != nil {
		t.Fatal(err)
	}
	var slot intake.UploadSlot
	if resp.StatusCode != 201 || json.Unmarshal([]byte(resp.Body), &slot) != nil || slot.Upload.Method != "PUT" ||
		!strings.HasPrefix(slot.Upload.URL, s3srv.URL+"/attachments/"+filing.UploadKey("CISCE2026", slot.ID)) {
		t.Fatalf("upload slot: %d %s", resp.StatusCode, resp.Body)
	}
	if status, err := blobtest.Upload(slot.Upload, img); err != nil || status != 200 {
		t.Fatalf("PUT to the presigned URL: %d %v", status, err)
	}

	body := `{"kind":"trademark","trademark":{"markType":"combined","markText":"LAMBDA","classes":[{"class":9,"terms":["Batteries"]}]},
	 "applicants":[{"name":"ACME","kind":"organization","nationality":"CN","domicile":"CN","address":"Beijing"}],
	 "attachments":["` + slot.ID + `"],"contact":{"name":"Li","email":"li@example.com"},"language":"en"}`
	if err := apiFn.Invoke(httpEvent("POST", "/v1/filings", tok, body, map[string]string{"idempotency-key": "e2e-1"}), &resp); err != nil {
		t.Fatal(err)
	}
	var f filing.Filing
	if resp.StatusCode != 201 || json.Unmarshal([]byte(resp.Body), &f) != nil || f.FilingNumber != "CISCE2026-TM-000001" {
		t.Fatalf("file through the api function: %d %s\n%s", resp.StatusCode, resp.Body, apiFn)
	}
	if err := apiFn.Invoke(httpEvent("GET", "/v1/filings/"+f.ID, tok, "", nil), &resp); err != nil {
		t.Fatal(err)
	}
	var got filing.Filing
	if resp.StatusCode != 200 || json.Unmarshal([]byte(resp.Body), &got) != nil || got.ID != f.ID || got.Trademark.MarkText != "LAMBDA" {
		t.Fatalf("read back: %d %s", resp.StatusCode, resp.Body)
	}
	if resp.Headers["X-Request-Id"] == "" {
		t.Errorf("no X-Request-Id through API Gateway")
	}
	if len(got.Documents) != 1 || got.Documents[0].SHA256 != fmt.Sprintf("%x", digest) || got.Documents[0].Size != int64(len(img)) {
		t.Errorf("documents: %+v", got.Documents)
	}
	// The owning kiosk downloads the filed copy (filings/), byte for byte.
	if err := apiFn.Invoke(httpEvent("GET", "/v1/filings/"+f.ID+"/attachments/"+slot.ID, tok, "", nil), &resp); err != nil {
		t.Fatal(err)
	}
	var dl filing.DownloadLink
	if resp.StatusCode != 200 || json.Unmarshal([]byte(resp.Body), &dl) != nil || !strings.Contains(dl.URL, "/attachments/"+filing.FiledKey("CISCE2026", slot.ID)) {
		t.Fatalf("download link: %d %s", resp.StatusCode, resp.Body)
	}
	res, err := http.Get(dl.URL)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !bytes.Equal(b, img) {
		t.Errorf("download: %d, %d bytes (want %d, identical)", res.StatusCode, len(b), len(img))
	}

	complainOnLambda(t, apiFn, tok)
	// The documents function, with the seed its secret would hold, at an expo that runs today
	// (the functions keep real time; the last IPFAST_EXPO_JSON given is the one they read).
	today := time.Now().In(expo.Location())
	expoNow := fmt.Sprintf(`IPFAST_EXPO_JSON={"startDate":%q,"endDate":%q}`, today.AddDate(0, 0, -1).Format(time.DateOnly), today.AddDate(0, 0, 3).Format(time.DateOnly))
	certifyOnLambda(t, lambdatest.Start(t, buildFunction(t, "DocumentsFunction"),
		append(env, `IPFAST_CERTIFICATE_KEYS={"seed":"e2e-seed-0123456789-0123456789-0123456789"}`, expoNow)...))

	// The stream holds the complaint's rows too: the router passes over them.
	ev := streamEvent(t, db, awstest.Streams(t), table)
	if len(ev.Records) == 0 {
		t.Fatal("the stream holds no records")
	}
	var routed events.DynamoDBEventResponse
	if err := routerFn.Invoke(ev, &routed); err != nil || len(routed.BatchItemFailures) != 0 {
		t.Fatalf("router: %+v %v\n%s", routed, err, routerFn)
	}
	q := sqsq.New(sqsClient, prefix)
	d, ok, err := q.Receive(ctx, filing.ExpoQueue("CISCE2026", "trademark"), time.Minute, 5*time.Second)
	if err != nil || !ok || d.FilingID != f.ID {
		t.Fatalf("not in the trademark queue: %+v %v %v", d, ok, err)
	}
	if _, again, _ := q.Receive(ctx, filing.ExpoQueue("CISCE2026", "trademark"), time.Minute, time.Second); again {
		t.Errorf("routed more than once")
	}
}

// complainOnLambda runs the complaint desk through the api function (SPEC §11): the kiosk of
// tok uploads a certificate to S3 and files a complaint against booth 3C-210; an officer
// accepts it; the respondent's kiosk reads it masked and answers; the certificate's filed copy
// downloads byte for byte.
func complainOnLambda(t *testing.T, apiFn *lambdatest.Function, tok string) {
	t.Helper()
	call := func(method, path, token, body string, headers map[string]string, want int) events.APIGatewayV2HTTPResponse {
		t.Helper()
		var resp events.APIGatewayV2HTTPResponse
		if err := apiFn.Invoke(httpEvent(method, path, token, body, headers), &resp); err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != want {
			t.Fatalf("%s %s: %d (want %d) %s\n%s", method, path, resp.StatusCode, want, resp.Body, apiFn)
		}
		return resp
	}
	cert := []byte("%PDF-1.7\n% patent certificate ZL202310123456.7\n%%EOF\n")
	digest := sha256.Sum256(cert)
	var slot intake.UploadSlot
	resp := call("POST", "/v1/uploads", tok, fmt.Sprintf(`{"role":"right_certificate","contentType":"application/pdf","size":%d,"sha256":"%x"}`, len(cert), digest), nil, 201)
	if err := json.Unmarshal([]byte(resp.Body), &slot); err != nil {
		t.Fatal(err)
	}
	if status, err := blobtest.Upload(slot.Upload, cert); err != nil || status != 200 {
		t.Fatalf("PUT the certificate: %d %v", status, err)
	}
	body := `{"complainant":{"name":"Voltara GmbH","kind":"organization","nationality":"DE","address":"Berlin",
	 "contact":{"name":"Anna Schmidt","email":"anna@voltara.example"}},
	 "right":{"kind":"invention","number":"ZL202310123456.7","owner":"Voltara GmbH","validUntil":"2043-05-01"},
	 "respondent":{"booth":"3C-210"},"exhibits":[{"description":"Battery pack"}],"attachments":["` + slot.ID + `"],"language":"en"}`
	var c filing.Complaint
	resp = call("POST", "/v1/complaints", tok, body, map[string]string{"idempotency-key": "e2e-complaint"}, 201)
	if err := json.Unmarshal([]byte(resp.Body), &c); err != nil || c.ComplaintNumber != "CISCE2026-CP-000001" {
		t.Fatalf("complaint: %s %v", resp.Body, err)
	}
	officer, _ := auth.Sign([]byte("e2e-secret"), filing.Principal{Subject: "officer-1", Role: filing.RoleOfficer}, time.Now(), time.Hour)
	respondent, _ := auth.Sign([]byte("e2e-secret"), filing.Principal{Subject: "kiosk-3C-210", Role: "kiosk", Exhibitor: "EX-0042", Booth: "3C-210"},
		time.Now(), time.Hour)
	call("GET", "/v1/complaints/"+c.ID, respondent, "", nil, 404)
	call("POST", "/v1/complaints/"+c.ID+"/accept", tok, "", nil, 403)
	call("POST", "/v1/complaints/"+c.ID+"/accept", officer, "", nil, 200)
	var v filing.Complaint
	resp = call("GET", "/v1/complaints/"+c.ID, respondent, "", nil, 200)
	if err := json.Unmarshal([]byte(resp.Body), &v); err != nil || v.Complainant.Contact.Email == "anna@voltara.example" {
		t.Errorf("the respondent's view: %s %v", resp.Body, err)
	}
	call("POST", "/v1/complaints/"+c.ID+"/answer", respondent, `{"statement":"我们的冷却板早于该专利。"}`, nil, 200)
	resp = call("GET", "/v1/complaints/"+c.ID+"/attachments/"+slot.ID, officer, "", nil, 200)
	var dl filing.DownloadLink
	if err := json.Unmarshal([]byte(resp.Body), &dl); err != nil || !strings.Contains(dl.URL, "/attachments/"+filing.FiledKey("CISCE2026", slot.ID)) {
		t.Fatalf("certificate link: %s %v", resp.Body, err)
	}
	res, err := http.Get(dl.URL)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !bytes.Equal(b, cert) {
		t.Errorf("the certificate's filed copy: %d, %d bytes", res.StatusCode, len(b))
	}
}

// certifyOnLambda runs the certificates through the documents function (SPEC §12): an officer
// records an exhibit and issues its certificate, which verifies from its QR text against the
// published keys; GET /v1/keys lists the key derived from the secret's seed.
func certifyOnLambda(t *testing.T, fn *lambdatest.Function) {
	t.Helper()
	officer, _ := auth.Sign([]byte("e2e-secret"), filing.Principal{Subject: "officer-1", Role: filing.RoleOfficer}, time.Now(), time.Hour)
	call := func(method, path, token, body string, want int) events.APIGatewayV2HTTPResponse {
		t.Helper()
		var resp events.APIGatewayV2HTTPResponse
		if err := fn.Invoke(httpEvent(method, path, token, body, nil), &resp); err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != want {
			t.Fatalf("%s %s: %d (want %d) %s\n%s", method, path, resp.StatusCode, want, resp.Body, fn)
		}
		return resp
	}
	var ex filing.ExhibitRecord
	resp := call("POST", "/v1/exhibits", officer, `{"exhibitor":"EX-0001","booth":"1A-101","exhibit":"Battery pack","firstDisplayDate":"`+
		time.Now().In(filing.DefaultExpo().Location()).AddDate(0, 0, -1).Format(time.DateOnly)+`"}`, 201)
	_ = json.Unmarshal([]byte(resp.Body), &ex)
	var c filing.Certificate
	resp = call("POST", "/v1/exhibits/"+ex.ID+"/certificate", officer, "", 201)
	if err := json.Unmarshal([]byte(resp.Body), &c); err != nil || c.CertificateNumber != "CISCE2026-EC-000001" || !strings.HasPrefix(c.QR, "https://api.example.test/verify/") {
		t.Fatalf("certificate: %s %v", resp.Body, err)
	}
	resp = call("POST", "/v1/certificates/verify", "", `{"qr":"`+c.QR+`"}`, 200)
	if !strings.Contains(resp.Body, `"valid":true`) {
		t.Errorf("verify: %s", resp.Body)
	}
	resp = call("GET", "/v1/keys", "", "", 200)
	if !strings.Contains(resp.Body, `"kid":"`+c.KeyID+`"`) {
		t.Errorf("keys: %s", resp.Body)
	}
}
