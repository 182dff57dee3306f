// Package tracing records the functions' work as AWS X-Ray segments (issue 17): each AWS SDK
// call (through the SDK's own tracing hooks, smithy-go/tracing, which every aws-sdk-go-v2
// client calls) and each HTTP request a handler serves. In Lambda with active tracing, the
// function's segment is Lambda's; the spans become its subsegments (parent and trace from the
// invocation's X-Ray header) and go to the X-Ray daemon Lambda runs beside the function
// (AWS_XRAY_DAEMON_ADDRESS), one UDP datagram each, as X-Ray's SDKs send them. Locally it is off
// unless AWS_XRAY_DAEMON_ADDRESS names a daemon; then each request is a segment of its own (and
// calls no request made, such as the stream poller's, are not recorded).
//
// Why not OpenTelemetry's SDK: the OpenTelemetry instrumentation the issue named (otelaws) was
// deprecated in September 2026 without an owner; the SDK's tracing hooks replace it, and their
// OpenTelemetry adapter (smithyoteltracing) with the OpenTelemetry SDK adds 655 KB to the api
// function, past its size target (BENCHMARKS.md); this package adds what a few segments need.
// A Provider is a smithy-go tracing.TracerProvider, the same interface that adapter implements,
// so one can replace the other where clients are made (shared/cloud).
package tracing

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/smithy-go/tracing"
)

// The environment: where the daemon listens (Lambda sets it with active tracing), the
// invocation's X-Ray header (aws-lambda-go sets it per invocation) and the function's name
// (set in Lambda only).
const (
	EnvDaemon   = "AWS_XRAY_DAEMON_ADDRESS"
	envHeader   = "_X_AMZN_TRACE_ID"
	envFunction = "AWS_LAMBDA_FUNCTION_NAME"
	envRegion   = "AWS_REGION"
)

// Provider makes spans and sends the finished ones to the daemon. A nil *Provider is off.
type Provider struct {
	service string
	region  string
	conn    net.Conn
	lambda  bool // in Lambda: spans outside an invocation (the init phase) are not recorded
	log     *slog.Logger
}

// FromEnv is a Provider sending to AWS_XRAY_DAEMON_ADDRESS, or nil (tracing off) when it is
// not set. service names the segments a request makes outside Lambda.
func FromEnv(service string) (*Provider, error) {
	addr := os.Getenv(EnvDaemon)
	if addr == "" {
		return nil, nil
	}
	return New(addr, service)
}

// New is a Provider sending to the daemon at addr: "host:port", or the "tcp:host:port
// udp:host:port" form Lambda may give (segments go by UDP).
func New(addr, service string) (*Provider, error) {
	udp := addr
	for _, f := range strings.Fields(addr) {
		if a, ok := strings.CutPrefix(f, "udp:"); ok {
			udp = a
		}
	}
	if strings.Contains(udp, " ") || strings.HasPrefix(udp, "tcp:") {
		return nil, fmt.Errorf("tracing: %s %q names no UDP address", EnvDaemon, addr)
	}
	conn, err := net.Dial("udp", udp)
	if err != nil {
		return nil, fmt.Errorf("tracing: daemon %s: %w", udp, err)
	}
	return &Provider{service: service, region: os.Getenv(envRegion), conn: conn,
		lambda: os.Getenv(envFunction) != "", log: slog.Default()}, nil
}

// Close closes the connection to the daemon.
func (p *Provider) Close() error {
	if p == nil {
		return nil
	}
	return p.conn.Close()
}

// Tracer implements tracing.TracerProvider.
func (p *Provider) Tracer(string, ...tracing.TracerOption) tracing.Tracer { return tracer{p} }

type tracer struct{ p *Provider }

// StartSpan implements tracing.Tracer: the span is a child of the context's span, else of the
// invocation's X-Ray header, else (outside Lambda) the root of a new trace.
func (t tracer) StartSpan(ctx context.Context, name string, opts ...tracing.SpanOption) (context.Context, tracing.Span) {
	var o tracing.SpanOptions
	for _, f := range opts {
		f(&o)
	}
	s := &span{p: t.p, name: name, id: newID(8), start: time.Now(), props: map[string]any{}}
	if v := o.Properties.Get("rpc.system"); o.Kind == tracing.SpanKindClient && v == "aws-api" {
		s.kind = kindAWS
		s.service, _ = o.Properties.Get("rpc.service").(string)
		s.operation, _ = o.Properties.Get("rpc.method").(string)
	} else if o.Kind == tracing.SpanKindServer {
		s.kind = kindServer
	}
	if parent, ok := tracing.GetSpan(ctx); ok {
		ps, ours := parent.(*span)
		if !ours || ps.off {
			return ctx, offSpan(name)
		}
		s.traceID = ps.traceID
		if ps.kind == kindInner {
			s.up, s.parentID = ps.up, ps.up.id // an inner span's children hang on its recorded ancestor
		} else {
			s.up, s.parentID = ps, ps.id
		}
	} else {
		root, parent, sampled, found := header(ctx)
		switch {
		case found && !sampled, !found && (t.p.lambda || s.kind != kindServer):
			// Not sampled; or Lambda's init phase; or, outside Lambda, a call no request made
			// (a background job's polling): nothing to join.
			return ctx, offSpan(name)
		case found:
			s.traceID, s.parentID = root, parent
		default:
			s.traceID, s.root = newTraceID(s.start), true
		}
		if s.kind == kindInner {
			s.kind = kindServer // a span of our own with nothing above it stands for the work
		}
	}
	return tracing.WithSpan(ctx, s), s
}

// header reads the invocation's X-Ray header (Root=…;Parent=…;Sampled=1): aws-lambda-go puts
// it on the invocation's context and in _X_AMZN_TRACE_ID.
func header(ctx context.Context) (root, parent string, sampled, found bool) {
	h, _ := ctx.Value("x-amzn-trace-id").(string)
	if h == "" {
		h = os.Getenv(envHeader)
	}
	for _, f := range strings.Split(h, ";") {
		k, v, _ := strings.Cut(strings.TrimSpace(f), "=")
		switch k {
		case "Root":
			root = v
		case "Parent":
			parent = v
		case "Sampled":
			sampled = v == "1"
		}
	}
	return root, parent, sampled, root != "" && parent != ""
}

type kind int

const (
	kindInner  kind = iota // a step inside an SDK call: its figures go to the call's subsegment
	kindAWS                // an SDK call: a subsegment in the aws namespace
	kindServer             // a request served, or work of our own: a (sub)segment
)

type span struct {
	p                  *Provider
	name               string
	kind               kind
	service, operation string
	id, traceID        string
	parentID           string
	root               bool  // a segment of a trace of its own (outside Lambda)
	up                 *span // the recorded span above (nil for the top)
	off                bool
	start              time.Time

	mu     sync.Mutex
	props  map[string]any
	status tracing.SpanStatus
	ended  bool
}

func offSpan(name string) *span { return &span{name: name, off: true, props: map[string]any{}} }

func (s *span) Name() string { return s.name }

func (s *span) Context() tracing.SpanContext {
	return tracing.SpanContext{TraceID: s.traceID, SpanID: s.id}
}

func (s *span) AddEvent(string, ...tracing.EventOption) {}

func (s *span) SetStatus(st tracing.SpanStatus) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.status = st
}

// SetProperty implements tracing.Span; an inner span's go to the call it is part of.
func (s *span) SetProperty(k, v any) {
	if s.off {
		return
	}
	if s.kind == kindInner && s.up != nil {
		s.up.SetProperty(k, v)
		return
	}
	key, ok := k.(string)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.props[key] = v
}

// End implements tracing.Span: a recorded span goes to the daemon.
func (s *span) End() {
	if s.off || s.kind == kindInner {
		return
	}
	s.mu.Lock()
	if s.ended {
		s.mu.Unlock()
		return
	}
	s.ended = true
	doc := s.document(time.Now())
	s.mu.Unlock()
	b, err := json.Marshal(doc)
	if err != nil {
		return
	}
	if _, err := s.p.conn.Write(append([]byte("{\"format\": \"json\", \"version\": 1}\n"), b...)); err != nil {
		s.p.log.Debug("tracing: send segment", "error", err.Error())
	}
}

// Segment is an X-Ray segment document, as much of it as ipfast fills in.
type Segment struct {
	Name        string         `json:"name"`
	ID          string         `json:"id"`
	TraceID     string         `json:"trace_id"`
	ParentID    string         `json:"parent_id,omitempty"`
	Type        string         `json:"type,omitempty"` // "subsegment", or none for a segment
	StartTime   float64        `json:"start_time"`
	EndTime     float64        `json:"end_time"`
	Namespace   string         `json:"namespace,omitempty"` // "aws" for an SDK call
	HTTP        *HTTP          `json:"http,omitempty"`
	AWS         map[string]any `json:"aws,omitempty"`
	Error       bool           `json:"error,omitempty"`    // a 4xx
	Throttle    bool           `json:"throttle,omitempty"` // a 429
	Fault       bool           `json:"fault,omitempty"`    // a 5xx, or a call that failed
	Cause       *Cause         `json:"cause,omitempty"`
	Annotations map[string]any `json:"annotations,omitempty"`
}

// HTTP is a segment's request and response.
type HTTP struct {
	Request  *HTTPRequest  `json:"request,omitempty"`
	Response *HTTPResponse `json:"response,omitempty"`
}

// HTTPRequest is what was asked.
type HTTPRequest struct {
	Method string `json:"method,omitempty"`
	URL    string `json:"url,omitempty"`
}

// HTTPResponse is what was answered.
type HTTPResponse struct {
	Status        int   `json:"status,omitempty"`
	ContentLength int64 `json:"content_length,omitempty"`
}

// Cause is why a call failed.
type Cause struct {
	Exceptions []Exception `json:"exceptions"`
}

// Exception is one error.
type Exception struct {
	ID      string `json:"id"`
	Type    string `json:"type,omitempty"`
	Message string `json:"message,omitempty"`
	Remote  bool   `json:"remote,omitempty"`
}

func seconds(t time.Time) float64 { return float64(t.UnixNano()) / 1e9 }

func (s *span) document(end time.Time) Segment {
	d := Segment{Name: s.name, ID: s.id, TraceID: s.traceID, ParentID: s.parentID, Type: "subsegment",
		StartTime: seconds(s.start), EndTime: seconds(end)}
	if s.root {
		d.Type, d.ParentID = "", ""
	}
	status := intProp(s.props["http.status_code"])
	switch s.kind {
	case kindAWS:
		d.Name, d.Namespace = s.service, "aws"
		d.AWS = map[string]any{"operation": s.operation}
		if s.p.region != "" {
			d.AWS["region"] = s.p.region
		}
		if id, ok := s.props["aws.request_id"].(string); ok && id != "" {
			d.AWS["request_id"] = id
		}
		if status != 0 {
			d.HTTP = &HTTP{Response: &HTTPResponse{Status: status}}
		}
		if failed, _ := s.props["error"].(bool); failed || s.status == tracing.SpanStatusError {
			// The SDK says whose fault: "client" (a 4xx, a refused condition) or "server".
			switch fault, _ := s.props["api.error_fault"].(string); {
			case status == 429 || strings.Contains(fmt.Sprint(s.props["api.error_code"]), "Throttl"):
				d.Throttle, d.Error = true, true
			case fault == "client":
				d.Error = true
			default:
				d.Fault = true
			}
			msg, _ := s.props["exception.message"].(string)
			typ, _ := s.props["api.error_code"].(string)
			if typ == "" {
				typ, _ = s.props["exception.type"].(string)
			}
			d.Cause = &Cause{Exceptions: []Exception{{ID: newID(8), Type: typ, Message: msg, Remote: true}}}
		}
	case kindServer:
		method, _ := s.props["http.method"].(string)
		url, _ := s.props["http.url"].(string)
		if method != "" || status != 0 {
			d.HTTP = &HTTP{Request: &HTTPRequest{Method: method, URL: url}, Response: &HTTPResponse{Status: status}}
		}
		switch {
		case status == 429:
			d.Throttle, d.Error = true, true
		case status >= 500:
			d.Fault = true
		case status >= 400:
			d.Error = true
		}
		if route, ok := s.props["http.route"].(string); ok && route != "" {
			d.Annotations = map[string]any{"route": route}
		}
		if s.root {
			d.Name = s.p.service
		}
	}
	return d
}

func intProp(v any) int {
	switch x := v.(type) {
	case int:
		return x
	case int64:
		return int(x)
	case string:
		n, _ := strconv.Atoi(x)
		return n
	}
	return 0
}

// newID is n random bytes in hex: a segment id is 8 (16 hex digits).
func newID(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// newTraceID is an X-Ray trace id: version 1, the start in epoch seconds (8 hex digits), 96
// random bits.
func newTraceID(t time.Time) string {
	return fmt.Sprintf("1-%08x-%s", t.Unix(), newID(12))
}

// Handler records each request h serves as a span named name (a subsegment of the invocation
// in Lambda, a segment of its own elsewhere), with the method, path, status and route. SDK
// calls made with the request's context are its children. A nil Provider returns h.
func (p *Provider) Handler(name string, h http.Handler) http.Handler {
	if p == nil {
		return h
	}
	t := tracer{p}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, sp := t.StartSpan(r.Context(), name, func(o *tracing.SpanOptions) { o.Kind = tracing.SpanKindServer })
		sp.SetProperty("http.method", r.Method)
		sp.SetProperty("http.url", r.URL.Path)
		rec := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		r = r.WithContext(ctx)
		defer func() {
			sp.SetProperty("http.status_code", rec.status)
			sp.SetProperty("http.route", r.Pattern)
			sp.End()
		}()
		h.ServeHTTP(rec, r)
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (w *statusWriter) WriteHeader(code int) {
	if !w.wrote {
		w.status, w.wrote = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	w.wrote = true
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the writer underneath (flushes, deadlines).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
