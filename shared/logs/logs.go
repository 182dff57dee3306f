// Package logs makes the JSON logger of every ipfast entry point: log/slog with the field names
// AWS Lambda Powertools users expect (timestamp, level, message, service) and, inside a Lambda
// invocation, cold_start and function_request_id.
package logs

import (
	"context"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"

	"github.com/aws/aws-lambda-go/lambdacontext"
)

// New returns a JSON logger writing to w for the named service, at the level Lambda gives in
// AWS_LAMBDA_LOG_LEVEL (the function's ApplicationLogLevel: TRACE and DEBUG log debug lines,
// WARN and ERROR only those; INFO otherwise).
func New(w io.Writer, service string) *slog.Logger {
	h := slog.NewJSONHandler(w, &slog.HandlerOptions{Level: Level(os.Getenv("AWS_LAMBDA_LOG_LEVEL")), ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
		if len(groups) == 0 {
			switch a.Key {
			case slog.TimeKey:
				a.Key = "timestamp"
			case slog.MessageKey:
				a.Key = "message"
			}
		}
		return a
	}})
	return slog.New(&lambdaHandler{Handler: h, first: &firstInvocation{}}).With("service", service)
}

// Level is the slog level of a Lambda log level name.
func Level(name string) slog.Level {
	switch strings.ToUpper(name) {
	case "TRACE", "DEBUG":
		return slog.LevelDebug
	case "WARN":
		return slog.LevelWarn
	case "ERROR", "FATAL":
		return slog.LevelError
	}
	return slog.LevelInfo
}

// firstInvocation remembers the request id of the process's first invocation: lines of that
// invocation are the cold start's.
type firstInvocation struct {
	once sync.Once
	id   string
}

type lambdaHandler struct {
	slog.Handler
	first *firstInvocation
}

func (h *lambdaHandler) Handle(ctx context.Context, r slog.Record) error {
	if lc, ok := lambdacontext.FromContext(ctx); ok {
		h.first.once.Do(func() { h.first.id = lc.AwsRequestID })
		r.AddAttrs(slog.String("function_request_id", lc.AwsRequestID), slog.Bool("cold_start", lc.AwsRequestID == h.first.id))
	}
	return h.Handler.Handle(ctx, r)
}

func (h *lambdaHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return &lambdaHandler{Handler: h.Handler.WithAttrs(as), first: h.first}
}

func (h *lambdaHandler) WithGroup(name string) slog.Handler {
	return &lambdaHandler{Handler: h.Handler.WithGroup(name), first: h.first}
}
