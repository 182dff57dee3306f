package functions_test

import (
	"context"
	"fmt"
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
	"github.com/ipfast/ipfast/shared/review"
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

// counter counts the AWS requests of a client and estimates the DynamoDB write and read units
// they consume, by DynamoDB's rules: a write unit per started KiB of an item, the larger of its
// old and new size for an update (estimated as 1 KiB: every row we update is smaller), twice
// that in a transaction; each global secondary index an item is written into costs the same
// again (counted at the transactional rate in a transaction, as DynamoDB Local reports it); a
// strongly consistent read unit per started 4 KiB.
type counter struct {
	mu       sync.Mutex
	calls    map[string]int
	wru, rru float64
	// parts splits the write units by what was written: the kind of row (its key's prefix),
	// and whether in the filing's transaction ("tx") or after it ("stream").
	parts map[string]float64
}

func newCounter() *counter { return &counter{calls: map[string]int{}, parts: map[string]float64{}} }

// rowKind is the kind of a row: its partition key's prefix (F, IDEM, CTR, SRCH, …), with the
// sort key's for a filing's own rows (F, E: event).
func rowKind(item map[string]ddbtypes.AttributeValue) string {
	pk, _ := item["pk"].(*ddbtypes.AttributeValueMemberS)
	sk, _ := item["sk"].(*ddbtypes.AttributeValueMemberS)
	if pk == nil || sk == nil {
		return "?"
	}
	kind, _, _ := strings.Cut(pk.Value, "#")
	if kind == "F" {
		k, _, _ := strings.Cut(sk.Value, "#")
		return "F/" + k
	}
	return kind
}

func (c *counter) put(item map[string]ddbtypes.AttributeValue, rate float64, where string) {
	kib := math.Ceil(itemSize(item) / 1024)
	c.add(rowKind(item)+" "+where, rate*kib)
	for _, gsi := range []string{"gsi1pk", "gsi2pk"} {
		if _, ok := item[gsi]; ok {
			c.add(rowKind(item)+" "+where+" "+strings.TrimSuffix(gsi, "pk"), rate*kib)
		}
	}
}

func (c *counter) add(part string, units float64) {
	c.wru += units
	c.parts[part] += units
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
				switch {
				case it.Put != nil:
					c.put(it.Put.Item, 2, "tx")
				case it.Update != nil:
					c.add(rowKind(it.Update.Key)+" tx", 2)
				case it.Delete != nil:
					c.add(rowKind(it.Delete.Key)+" tx", 2)
				}
			}
		case *dynamodb.BatchWriteItemInput:
			for _, reqs := range p.RequestItems {
				for _, r := range reqs {
					if r.PutRequest != nil {
						c.put(r.PutRequest.Item, 1, "stream")
					} else if r.DeleteRequest != nil {
						c.add(rowKind(r.DeleteRequest.Key)+" stream", 1)
					}
				}
			}
		case *dynamodb.PutItemInput:
			c.put(p.Item, 1, "single")
		case *dynamodb.UpdateItemInput:
			c.add(rowKind(p.Key)+" single", 1)
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

// breakdown lists the write units by part, largest first, per filing.
func (c *counter) breakdown(n float64) string {
	keys := make([]string, 0, len(c.parts))
	for k := range c.parts {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		return c.parts[keys[i]] > c.parts[keys[j]] || c.parts[keys[i]] == c.parts[keys[j]] && keys[i] < keys[j]
	})
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%s %.1f; ", k, c.parts[k]/n)
	}
	return strings.TrimSuffix(b.String(), "; ")
}

// The bodies filed by the counting: a Chinese company with its English name, as the
// benchmark has always filed, and the same company in Chinese, as most of the fair's
// domestic exhibitors file (a Chinese name is indexed under more terms).
const (
	bodyLatin = `{"kind":"trademark","trademark":{"markType":"word","markText":"CATL","classes":[{"class":9,"terms":["Batteries, electric","Battery chargers"]}]},
	 "applicants":[{"name":"Contemporary Amperex Technology Co., Limited","kind":"organization","nationality":"CN","domicile":"CN","address":"Ningde, Fujian"}],
	 "contact":{"name":"Li Wei","email":"li.wei@example.com"},"language":"zh"}`
	bodyChinese = `{"kind":"trademark","trademark":{"markType":"word","markText":"宁德时代","classes":[{"class":9,"terms":["Batteries, electric","Battery chargers"]}]},
	 "applicants":[{"name":"宁德时代新能源科技股份有限公司","kind":"organization","nationality":"CN","domicile":"CN","address":"福建省宁德市蕉城区漳湾镇新港路2号"}],
	 "contact":{"name":"李伟","email":"li.wei@example.com"},"language":"zh"}`
)

// perFiling files n filings of body through the intake service on DynamoDB Local and does for
// each what the router function does with its stream record (index, then route), counting
// every AWS request in filed. Then an examiner takes each from its queue as the console does
// (lease, the filing, its history, the decision: 4 calls) and the router reads those changes
// too, counted in examined. A benchmark times the filings only.
func perFiling(tb testing.TB, n int, body string) (filed, examined *counter) {
	filed, examined = newCounter(), newCounter()
	var c *counter // the counter now counting
	cfg := awstest.Config()
	cfg.APIOptions = append(cfg.APIOptions, func(st *middleware.Stack) error { return c.option(st) })
	c = filed
	db := dynamodb.NewFromConfig(cfg, func(o *dynamodb.Options) {
		o.BaseEndpoint = aws.String(awstest.DynamoDBURL(tb))
		o.DisableValidateResponseChecksum = true
	})
	sqsClient := sqs.NewFromConfig(cfg, func(o *sqs.Options) { o.BaseEndpoint = aws.String(awstest.SQSURL(tb)) })
	plain := awstest.DynamoDB(tb)
	table := awstest.Table(tb, plain)
	prefix := awstest.Name("ipfast-bench-")
	expo := filing.DefaultExpo()
	if err := provision.Queues(context.Background(), awstest.SQS(tb), prefix, expo.AllQueues(), 5); err != nil {
		tb.Fatal(err)
	}
	ctx := context.Background()
	queue := sqsq.New(sqsClient, prefix)
	store := &dynamo.Store{Client: db, Table: table}
	svc := intake.New(expo, store, nil)
	p := filing.Principal{Subject: "kiosk", Role: "kiosk", Exhibitor: "EX-0001", Booth: "1A-101"}
	// router does what the router function does with the change of a filing row: index, then
	// route, from the row as it is now (read with an uncounted client) and as it was.
	images := map[string]map[string]string{}
	router := func(id string) {
		row, err := plain.GetItem(ctx, &dynamodb.GetItemInput{TableName: &table,
			Key: map[string]ddbtypes.AttributeValue{"pk": &ddbtypes.AttributeValueMemberS{Value: "F#" + id}, "sk": &ddbtypes.AttributeValueMemberS{Value: "F"}}})
		if err != nil {
			tb.Fatal(err)
		}
		img := map[string]string{}
		for k, v := range row.Item {
			switch x := v.(type) {
			case *ddbtypes.AttributeValueMemberS:
				img[k] = x.Value
			case *ddbtypes.AttributeValueMemberN:
				img[k] = x.Value
			}
		}
		if err := store.IndexChange(ctx, img, images[id]); err != nil {
			tb.Fatal(err)
		}
		if fid, q, seq, ok := dynamo.ChangedRouting(img, images[id]); ok {
			if err := outbox.Route(ctx, queue, outbox.Target{FilingID: fid, Queue: q, Seq: seq}); err != nil {
				tb.Fatal(err)
			}
		}
		images[id] = img
	}
	if b, ok := tb.(*testing.B); ok {
		b.ResetTimer()
	}
	for i := 0; i < n; i++ {
		req, err := validate.Decode([]byte(body))
		if err != nil {
			tb.Fatal(err)
		}
		f, _, err := svc.Submit(ctx, p, fmt.Sprint("bench-", i), req)
		if err != nil {
			tb.Fatal(err)
		}
		router(f.ID)
	}
	if b, ok := tb.(*testing.B); ok {
		b.StopTimer()
	}
	c = examined
	rv := review.New(expo, store, queue, nil)
	ex := filing.Principal{Subject: "examiner-1", Role: filing.RoleExaminer}
	for i := 0; i < n; i++ {
		g, ok, err := rv.Lease(ctx, ex, "trademark", 0)
		if err != nil || !ok {
			tb.Fatalf("lease %d: %v %v", i, ok, err)
		}
		router(g.Filing.ID)
		if _, err := rv.Get(ctx, ex, g.Filing.ID); err != nil {
			tb.Fatal(err)
		}
		if _, err := rv.History(ctx, ex, g.Filing.ID); err != nil {
			tb.Fatal(err)
		}
		if _, err := rv.Decide(ctx, ex, g.Filing.ID, review.DecisionRequest{LeaseToken: g.LeaseToken, Outcome: "accept"}); err != nil {
			tb.Fatal(err)
		}
		router(g.Filing.ID)
	}
	return filed, examined
}

// BenchmarkAWSRequestsPerFiling files b.N trademarks through the intake service on DynamoDB
// Local and indexes and routes each as the router function does, counting every AWS request.
func BenchmarkAWSRequestsPerFiling(b *testing.B) {
	c, ex := perFiling(b, b.N, bodyLatin)
	zh, _ := perFiling(b, b.N, bodyChinese) // before reporting: its ResetTimer drops reported metrics
	n := float64(b.N)
	b.ReportMetric(float64(c.total("dynamodb"))/n, "dynamodb-requests/filing")
	b.ReportMetric(float64(c.total("sqs"))/n, "sqs-requests/filing")
	b.ReportMetric(float64(c.total("kms"))/n, "kms-requests/filing")
	b.ReportMetric(c.wru/n, "wru/filing")
	b.ReportMetric(c.rru/n, "rru/filing")
	b.ReportMetric(float64(ex.total("dynamodb"))/n, "examiner-dynamodb-requests/filing")
	b.ReportMetric(float64(ex.total("sqs"))/n, "examiner-sqs-requests/filing")
	b.ReportMetric(ex.wru/n, "examiner-wru/filing")
	b.ReportMetric(ex.rru/n, "examiner-rru/filing")
	b.ReportMetric(zh.wru/n, "wru-zh/filing")
	b.Logf("write units per filing by part: %s", c.breakdown(n))
	b.Logf("the same in Chinese: %s", zh.breakdown(n))
	b.Logf("an examiner's lease, reads and decision: %s", ex.breakdown(n))
}

// TestWriteUnitsPerFiling counts what filing costs in DynamoDB write units (make test shows the
// figures with -v): the filing's transaction holds the counter, the idempotency record, the
// filing, its first event, its status link and its counts, and no search index row; the router
// writes those after it, outside any transaction.
func TestWriteUnitsPerFiling(t *testing.T) {
	for _, c := range []struct{ name, body string }{{"latin", bodyLatin}, {"chinese", bodyChinese}} {
		cnt, ex := perFiling(t, 5, c.body)
		t.Logf("%s: then %.1f write units per filing for its examination (lease, decision): %s", c.name, ex.wru/5, ex.breakdown(5))
		t.Logf("%s: %.1f write units per filing: %s", c.name, cnt.wru/5, cnt.breakdown(5))
		if cnt.parts["SRCH tx"] != 0 {
			t.Errorf("%s: search index rows in the filing's transaction: %.1f units", c.name, cnt.parts["SRCH tx"]/5)
		}
		if cnt.parts["SRCH stream"] == 0 {
			t.Errorf("%s: the router wrote no search index rows", c.name)
		}
		var tx float64
		for k, v := range cnt.parts {
			if strings.HasSuffix(k, " tx") || strings.Contains(k, " tx ") {
				tx += v
			}
		}
		t.Logf("%s: %.1f of them in the filing's transaction", c.name, tx/5)
	}
}
