package functions_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/smithy-go/middleware"
	"github.com/ipfast/ipfast/shared/awstest"
	"github.com/ipfast/ipfast/shared/dynamo"
	"github.com/ipfast/ipfast/shared/filing"
	"github.com/ipfast/ipfast/shared/intake"
	"github.com/ipfast/ipfast/shared/lambdatest"
	"github.com/ipfast/ipfast/shared/outbox"
	"github.com/ipfast/ipfast/shared/provision"
	"github.com/ipfast/ipfast/shared/sqsq"
	"github.com/ipfast/ipfast/shared/validate"
)

// BenchmarkInit starts each function's real bootstrap b.N times (use -benchtime=20x) under the
// Runtime API harness and reports the median time from process start to its first request for
// an event, next to the hello-world reference built the same way. The binaries take turns
// (hello, api, router, hello, …), so that a drift in the machine's load (the emulators' JVM
// warming up, another process) weighs on all three alike.
func BenchmarkInit(b *testing.B) {
	env := []string{"AWS_REGION=us-east-1", "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test",
		"IPFAST_TABLE=bench", "IPFAST_QUEUE_PREFIX=bench-", "IPFAST_TOKEN_SECRET=bench", "IPFAST_EXPO_JSON={}"}
	hello := filepath.Join(b.TempDir(), "hello")
	cmd := exec.Command("go", "build", "-tags", "lambda.norpc", "-trimpath", "-ldflags=-s -w", "-o", hello, "./bench/lambda-hello")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("build hello: %v %s", err, out)
	}
	fns := []struct{ name, path string }{
		{"hello", hello}, {"api", buildFunction(b, "ApiFunction")}, {"router", buildFunction(b, "RouterFunction")},
	}
	inits := make([][]float64, len(fns))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for j, fn := range fns {
			f := lambdatest.Start(b, fn.path, env...)
			d, err := f.InitDuration(30 * time.Second)
			if err != nil {
				b.Fatal(err)
			}
			inits[j] = append(inits[j], float64(d.Microseconds())/1000)
		}
	}
	for j, fn := range fns {
		sort.Float64s(inits[j])
		b.ReportMetric(inits[j][len(inits[j])/2], fn.name+"-init-ms-median")
	}
}

// counter counts the AWS requests of a client and estimates the DynamoDB capacity units they
// consume, by DynamoDB's rules: a write unit per started KiB of item, doubled in a transaction;
// a strongly consistent read unit per started 4 KiB; plus one write per KiB for the GSI copy of
// a filing.
type counter struct {
	mu       sync.Mutex
	calls    map[string]int
	wru, rru float64
}

func (c *counter) option(o *middleware.Stack) error {
	return o.Initialize.Add(middleware.InitializeMiddlewareFunc("count", func(ctx context.Context, in middleware.InitializeInput,
		next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
		c.mu.Lock()
		op := fmt.Sprintf("%T", in.Parameters)
		c.calls[op]++
		switch p := in.Parameters.(type) {
		case *dynamodb.TransactWriteItemsInput:
			for _, it := range p.TransactItems {
				if it.Put != nil {
					kib := math.Ceil(itemSize(it.Put.Item) / 1024)
					c.wru += 2 * kib
					if _, gsi := it.Put.Item["gsi1pk"]; gsi {
						c.wru += kib
					}
				}
				if it.Update != nil {
					c.wru += 2
				}
			}
		case *dynamodb.GetItemInput, *dynamodb.QueryInput:
			c.rru++
		}
		c.mu.Unlock()
		return next.HandleInitialize(ctx, in)
	}), middleware.Before)
}

func itemSize(item map[string]ddbtypes.AttributeValue) float64 {
	n := 0
	for k, v := range item {
		n += len(k)
		switch x := v.(type) {
		case *ddbtypes.AttributeValueMemberS:
			n += len(x.Value)
		case *ddbtypes.AttributeValueMemberN:
			n += len(x.Value)/2 + 1
		default:
			n += 8
		}
	}
	return float64(n)
}

func (c *counter) total(prefix string) int {
	n := 0
	for op, k := range c.calls {
		if strings.Contains(op, prefix+".") {
			n += k
		}
	}
	return n
}

// BenchmarkAWSRequestsPerFiling files b.N trademarks through the intake service on DynamoDB
// Local and routes each as the router function does, counting every AWS request.
func BenchmarkAWSRequestsPerFiling(b *testing.B) {
	c := &counter{calls: map[string]int{}}
	cfg := awstest.Config()
	cfg.APIOptions = append(cfg.APIOptions, c.option)
	db := dynamodb.NewFromConfig(cfg, func(o *dynamodb.Options) {
		o.BaseEndpoint = aws.String(awstest.DynamoDBURL(b))
		o.DisableValidateResponseChecksum = true
	})
	sqsClient := sqs.NewFromConfig(cfg, func(o *sqs.Options) { o.BaseEndpoint = aws.String(awstest.SQSURL(b)) })
	plain := awstest.DynamoDB(b)
	table := awstest.Table(b, plain)
	prefix := awstest.Name("ipfast-bench-")
	expo := filing.DefaultExpo()
	if err := provision.Queues(context.Background(), awstest.SQS(b), prefix, expo.AllQueues(), 5); err != nil {
		b.Fatal(err)
	}
	queue := sqsq.New(sqsClient, prefix)
	svc := intake.New(expo, &dynamo.Store{Client: db, Table: table}, nil)
	p := filing.Principal{Subject: "kiosk", Role: "kiosk", Exhibitor: "EX-0001", Booth: "1A-101"}
	_ = slog.New(slog.NewJSONHandler(io.Discard, nil))
	body := `{"kind":"trademark","trademark":{"markType":"word","markText":"CATL","classes":[{"class":9,"terms":["Batteries, electric","Battery chargers"]}]},
	 "applicants":[{"name":"Contemporary Amperex Technology Co., Limited","kind":"organization","nationality":"CN","domicile":"CN","address":"Ningde, Fujian"}],
	 "contact":{"name":"Li Wei","email":"li.wei@example.com"},"language":"zh"}`
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		req, err := validate.Decode([]byte(body))
		if err != nil {
			b.Fatal(err)
		}
		f, _, err := svc.Submit(context.Background(), p, fmt.Sprint("bench-", i), req)
		if err != nil {
			b.Fatal(err)
		}
		if err := outbox.Route(context.Background(), queue, outbox.Target{FilingID: f.ID, Queue: filing.ExpoQueue(f.Expo, f.Queue), Seq: 1}); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	n := float64(b.N)
	b.ReportMetric(float64(c.total("dynamodb"))/n, "dynamodb-requests/filing")
	b.ReportMetric(float64(c.total("sqs"))/n, "sqs-requests/filing")
	b.ReportMetric(float64(c.total("kms"))/n, "kms-requests/filing")
	b.ReportMetric(c.wru/n, "wru/filing")
	b.ReportMetric(c.rru/n, "rru/filing")
}
