package tracing_test

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/ipfast/ipfast/shared/awstest"
	"github.com/ipfast/ipfast/shared/tracing"
)

// daemon is a UDP socket on loopback standing where X-Ray's daemon listens; segments reads
// what arrived, checking each datagram's header line as the daemon does.
type daemon struct {
	conn *net.UDPConn
}

func newDaemon(t *testing.T) daemon {
	t.Helper()
	c, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return daemon{c}
}

func (d daemon) addr() string { return d.conn.LocalAddr().String() }

// segments reads datagrams until none comes for 300 ms.
func (d daemon) segments(t *testing.T) []tracing.Segment {
	t.Helper()
	var out []tracing.Segment
	buf := make([]byte, 64<<10)
	for {
		_ = d.conn.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
		n, err := d.conn.Read(buf)
		if err != nil {
			return out
		}
		head, body, ok := strings.Cut(string(buf[:n]), "\n")
		if !ok || head != `{"format": "json", "version": 1}` {
			t.Fatalf("datagram without the daemon's header line: %q", buf[:n])
		}
		var s tracing.Segment
		dec := json.NewDecoder(strings.NewReader(body))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&s); err != nil {
			t.Fatalf("segment %s: %v", body, err)
		}
		out = append(out, s)
	}
}

var (
	traceIDRe = regexp.MustCompile(`^1-[0-9a-f]{8}-[0-9a-f]{24}$`)
	idRe      = regexp.MustCompile(`^[0-9a-f]{16}$`)
)

// The X-Ray header of an invocation, as Lambda hands it to aws-lambda-go.
const (
	root   = "1-6858a1c0-0123456789abcdef01234567"
	parent = "53995c3f42cd8ad8"
)

// tracedServer is a handler making DynamoDB calls with the request's context (one that
// succeeds, one that fails: the table does not exist), traced by p, with the client traced too.
func tracedServer(t *testing.T, p *tracing.Provider) http.Handler {
	t.Helper()
	plain := awstest.DynamoDB(t)
	table := awstest.Table(t, plain)
	db := dynamodb.NewFromConfig(awstest.Config(), func(o *dynamodb.Options) {
		o.BaseEndpoint = aws.String(awstest.DynamoDBURL(t))
		o.DisableValidateResponseChecksum = true
		o.TracerProvider = p
		o.RetryMaxAttempts = 1
	})
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/things/{id}", func(w http.ResponseWriter, r *http.Request) {
		key := map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: "T#" + r.PathValue("id")},
			"sk": &types.AttributeValueMemberS{Value: "T"}}
		if _, err := db.PutItem(r.Context(), &dynamodb.PutItemInput{TableName: &table, Item: key}); err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		if _, err := db.GetItem(r.Context(), &dynamodb.GetItemInput{TableName: aws.String("no-such-table"), Key: key}); err == nil {
			http.Error(w, "a table that does not exist answered", 500)
			return
		}
		w.WriteHeader(http.StatusCreated)
	})
	return p.Handler("ipfast-api", mux)
}

// In Lambda: the request is a subsegment of the invocation's segment, each SDK call a
// subsegment of the request's, in the aws namespace, with its operation, region, request id
// and status; the failed call is an error with its cause.
func TestSubsegmentsOfTheInvocation(t *testing.T) {
	d := newDaemon(t)
	t.Setenv("AWS_LAMBDA_FUNCTION_NAME", "ipfast-test-api")
	t.Setenv("AWS_REGION", "cn-north-1")
	t.Setenv("_X_AMZN_TRACE_ID", "Root="+root+";Parent="+parent+";Sampled=1")
	t.Setenv(tracing.EnvDaemon, "tcp:"+d.addr()+" udp:"+d.addr())
	p, err := tracing.FromEnv("ipfast-api")
	if err != nil || p == nil {
		t.Fatalf("FromEnv: %v %v", p, err)
	}
	defer p.Close()
	srv := tracedServer(t, p)
	before := time.Now()
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest("POST", "/v1/things/42", nil))
	if rec.Code != http.StatusCreated {
		t.Fatalf("handler: %d %s", rec.Code, rec.Body)
	}
	segs := d.segments(t)
	if len(segs) != 3 {
		t.Fatalf("%d segments, want the request's and two calls': %+v", len(segs), segs)
	}
	byName := map[string][]tracing.Segment{}
	for _, s := range segs {
		byName[s.Name] = append(byName[s.Name], s)
		if s.TraceID != root || s.Type != "subsegment" || !idRe.MatchString(s.ID) || s.StartTime < float64(before.Unix()) || s.EndTime < s.StartTime {
			t.Errorf("segment %+v: not a subsegment of the invocation's trace", s)
		}
	}
	req := byName["ipfast-api"]
	if len(req) != 1 {
		t.Fatalf("the request's subsegment: %+v", segs)
	}
	r := req[0]
	if r.ParentID != parent || r.HTTP == nil || r.HTTP.Request.Method != "POST" || r.HTTP.Request.URL != "/v1/things/42" ||
		r.HTTP.Response.Status != 201 || r.Error || r.Fault || r.Annotations["route"] != "POST /v1/things/{id}" {
		t.Errorf("request subsegment: %+v %+v %+v", r, r.HTTP, r.Annotations)
	}
	calls := byName["DynamoDB"]
	if len(calls) != 2 {
		t.Fatalf("DynamoDB subsegments: %+v", segs)
	}
	for _, c := range calls {
		if c.ParentID != r.ID || c.Namespace != "aws" || c.AWS["region"] != "cn-north-1" || c.StartTime < r.StartTime || c.EndTime > r.EndTime {
			t.Errorf("call %+v: not an aws subsegment inside the request's", c)
		}
		if id, _ := c.AWS["request_id"].(string); id == "" {
			t.Errorf("call %v: no request id", c.AWS)
		}
	}
	put, get := calls[0], calls[1]
	if put.AWS["operation"] != "PutItem" || put.HTTP == nil || put.HTTP.Response.Status != 200 || put.Error || put.Fault || put.Cause != nil {
		t.Errorf("PutItem: %+v %+v", put, put.HTTP)
	}
	if get.AWS["operation"] != "GetItem" || get.HTTP == nil || get.HTTP.Response.Status != 400 || !get.Error || get.Fault ||
		get.Cause == nil || get.Cause.Exceptions[0].Type != "ResourceNotFoundException" {
		t.Errorf("GetItem of a missing table: %+v %+v %+v", get, get.HTTP, get.Cause)
	}
}

// An invocation X-Ray did not sample sends nothing; nor do calls in Lambda's init phase,
// outside any invocation.
func TestNotSampledSendsNothing(t *testing.T) {
	d := newDaemon(t)
	t.Setenv("AWS_LAMBDA_FUNCTION_NAME", "ipfast-test-api")
	t.Setenv("_X_AMZN_TRACE_ID", "Root="+root+";Parent="+parent+";Sampled=0")
	p, err := tracing.New(d.addr(), "ipfast-api")
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	srv := tracedServer(t, p)
	srv.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("POST", "/v1/things/1", nil))
	t.Setenv("_X_AMZN_TRACE_ID", "")
	srv.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("POST", "/v1/things/2", nil))
	if segs := d.segments(t); len(segs) != 0 {
		t.Errorf("sent %+v", segs)
	}
}

// Outside Lambda, with a daemon configured, a request is a segment of a trace of its own;
// without one, tracing is off.
func TestLocally(t *testing.T) {
	t.Setenv("AWS_LAMBDA_FUNCTION_NAME", "")
	t.Setenv("_X_AMZN_TRACE_ID", "")
	t.Setenv(tracing.EnvDaemon, "")
	if p, err := tracing.FromEnv("ipfast"); p != nil || err != nil {
		t.Fatalf("without a daemon: %v %v", p, err)
	}
	var off *tracing.Provider
	h := http.NotFoundHandler()
	if got := off.Handler("x", h); got == nil {
		t.Fatal("a nil provider's handler is nil")
	}
	d := newDaemon(t)
	t.Setenv(tracing.EnvDaemon, d.addr())
	p, err := tracing.FromEnv("ipfast")
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	srv := tracedServer(t, p)
	srv.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("POST", "/v1/things/7", nil))
	segs := d.segments(t)
	if len(segs) != 3 {
		t.Fatalf("%d segments: %+v", len(segs), segs)
	}
	var seg tracing.Segment
	for _, s := range segs {
		if s.Type == "" {
			seg = s
		}
	}
	if seg.Name != "ipfast" || seg.ParentID != "" || !traceIDRe.MatchString(seg.TraceID) || seg.HTTP.Response.Status != 201 {
		t.Errorf("the request's segment: %+v", seg)
	}
	if stamp := seg.TraceID[2:10]; stamp < "60000000" {
		t.Errorf("trace id %s does not start with the time", seg.TraceID)
	}
	for _, s := range segs {
		if s.Type == "subsegment" && (s.ParentID != seg.ID || s.TraceID != seg.TraceID) {
			t.Errorf("call %+v is not in the request's segment", s)
		}
	}
	// A call no request made (a background job's) is not recorded.
	db := dynamodb.NewFromConfig(awstest.Config(), func(o *dynamodb.Options) {
		o.BaseEndpoint = aws.String(awstest.DynamoDBURL(t))
		o.TracerProvider = p
	})
	if _, err := db.ListTables(context.Background(), &dynamodb.ListTablesInput{}); err != nil {
		t.Fatal(err)
	}
	if segs := d.segments(t); len(segs) != 0 {
		t.Errorf("a background call was recorded: %+v", segs)
	}
	if _, err := tracing.New("tcp:127.0.0.1:2000", "x"); err == nil {
		t.Error("a daemon address without UDP was accepted")
	}
}
