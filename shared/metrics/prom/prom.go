// Package prom keeps the metrics (package metrics) as Prometheus collectors for `ipfast serve`,
// served at /metrics in the Prometheus text format (github.com/prometheus/client_golang): a
// counter ipfast_<name>_total per count, a histogram ipfast_<name>_seconds per duration, with
// the dimensions as labels (lower case).
package prom

import (
	"net/http"
	"strings"
	"unicode"

	"github.com/ipfast/ipfast/shared/metrics"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Registry is a metrics.Recorder on a Prometheus registry of its own.
type Registry struct {
	reg      *prometheus.Registry
	counters map[string]*prometheus.CounterVec
	hists    map[string]*prometheus.HistogramVec
}

// New registers every metric of metrics.All.
func New() *Registry {
	r := &Registry{reg: prometheus.NewRegistry(), counters: map[string]*prometheus.CounterVec{}, hists: map[string]*prometheus.HistogramVec{}}
	for _, m := range metrics.All {
		labels := make([]string, len(m.Dims))
		for i, d := range m.Dims {
			labels[i] = strings.ToLower(d)
		}
		switch m.Unit {
		case "Milliseconds":
			buckets := m.Buckets
			if buckets == nil {
				buckets = []float64{.01, .05, .1, .5, 1, 2, 5, 10, 20, 30}
			}
			h := prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: metrics.Namespace, Name: Name(m), Help: m.Help,
				Buckets: buckets}, labels)
			r.reg.MustRegister(h)
			r.hists[m.Name] = h
		default:
			c := prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: metrics.Namespace, Name: Name(m), Help: m.Help}, labels)
			r.reg.MustRegister(c)
			r.counters[m.Name] = c
		}
	}
	return r
}

// Name is a metric's Prometheus name without the namespace: FilingsCreated → filings_created_total,
// LeaseWait → lease_wait_seconds.
func Name(m metrics.Metric) string {
	var b strings.Builder
	for i, c := range m.Name {
		if unicode.IsUpper(c) && i > 0 {
			b.WriteByte('_')
		}
		b.WriteRune(unicode.ToLower(c))
	}
	if m.Unit == "Milliseconds" {
		return b.String() + "_seconds"
	}
	return b.String() + "_total"
}

// Record implements metrics.Recorder.
func (r *Registry) Record(m metrics.Metric, v float64, dims ...string) {
	values := make([]string, len(m.Dims))
	copy(values, dims)
	if c, ok := r.counters[m.Name]; ok {
		c.WithLabelValues(values...).Add(v)
	} else if h, ok := r.hists[m.Name]; ok {
		h.WithLabelValues(values...).Observe(v / 1000)
	}
}

// Handler serves the registry in the Prometheus text format.
func (r *Registry) Handler() http.Handler {
	return promhttp.HandlerFor(r.reg, promhttp.HandlerOpts{})
}
