// Package metrics is what the services count (issue 17): filings created per kind and queue,
// validation failures per code, idempotent replays, rate-limited calls, how long lease requests
// waited, decisions per outcome, how long examiners held a filing before deciding it. The services record through the Recorder port; in AWS the
// functions write CloudWatch Embedded Metric Format lines to their logs (EMF: no API call, the
// figures come out of the log stream), locally `serve` keeps Prometheus counters and serves them
// at /metrics (shared/metrics/prom). The template's dashboard names only metrics of All (a test
// holds it to that).
package metrics

// Namespace is the CloudWatch namespace of ipfast's metrics.
const Namespace = "ipfast"

// A Metric is a named figure with its unit and the dimensions every record of it gives, in order.
type Metric struct {
	Name string
	Unit string // CloudWatch unit: Count, Milliseconds
	Dims []string
	Help string
	// Buckets are a duration's histogram buckets in seconds where Prometheus keeps it (nil:
	// those of a request, 10 ms to 30 s).
	Buckets []float64
}

// The metrics.
var (
	FilingsCreated     = Metric{"FilingsCreated", "Count", []string{"Expo", "Kind", "Queue"}, "filings created (not replays)", nil}
	ValidationFailures = Metric{"ValidationFailures", "Count", []string{"Expo", "Code"}, "requests refused by a validation rule, per code (a request counts once per code)", nil}
	IdempotentReplays  = Metric{"IdempotentReplays", "Count", []string{"Expo"}, "submissions answered with the filing an Idempotency-Key made before", nil}
	RateLimited        = Metric{"RateLimited", "Count", []string{"Scope"}, "calls answered 429 rate_limited (Scope: token or address)", nil}
	LeaseWait          = Metric{"LeaseWait", "Milliseconds", []string{"Expo", "Queue", "Outcome"}, "how long a lease request waited (Outcome: granted or empty)", nil}
	Decisions          = Metric{"Decisions", "Count", []string{"Expo", "Outcome"}, "examiners' decisions per outcome", nil}
	LeaseToDecision    = Metric{"LeaseToDecision", "Milliseconds", []string{"Expo", "Queue", "Outcome"},
		"how long an examiner held a filing before deciding it (from the lease to the decision)",
		[]float64{5, 15, 30, 60, 120, 300, 600, 900, 1800, 3600}}
)

// All lists every metric.
var All = []Metric{FilingsCreated, ValidationFailures, IdempotentReplays, RateLimited, LeaseWait, Decisions, LeaseToDecision}

// Recorder records a value of a metric with its dimensions' values (in the order of m.Dims).
type Recorder interface {
	Record(m Metric, v float64, dims ...string)
}

// Discard records nothing: the default of every service.
type Discard struct{}

// Record implements Recorder.
func (Discard) Record(Metric, float64, ...string) {}

// Of is r, or Discard for nil.
func Of(r Recorder) Recorder {
	if r == nil {
		return Discard{}
	}
	return r
}
