package metrics

import (
	"encoding/json"
	"io"
	"sync"
	"time"
)

// EMF writes each record as one CloudWatch Embedded Metric Format line (a JSON object whose
// `_aws` member tells CloudWatch which of its members are metrics and dimensions); Lambda's log
// stream carries it to CloudWatch, which makes the metric: no PutMetricData call, no latency.
type EMF struct {
	mu  sync.Mutex
	w   io.Writer
	now func() time.Time
}

// NewEMF writes to w (a function's stdout).
func NewEMF(w io.Writer) *EMF { return &EMF{w: w, now: time.Now} }

type emfDirective struct {
	Namespace  string      `json:"Namespace"`
	Dimensions [][]string  `json:"Dimensions"`
	Metrics    []emfMetric `json:"Metrics"`
}

type emfMetric struct {
	Name string `json:"Name"`
	Unit string `json:"Unit"`
}

// Record implements Recorder.
func (e *EMF) Record(m Metric, v float64, dims ...string) {
	line := map[string]any{
		"_aws": map[string]any{
			"Timestamp":         e.now().UnixMilli(),
			"CloudWatchMetrics": []emfDirective{{Namespace: Namespace, Dimensions: [][]string{m.Dims}, Metrics: []emfMetric{{m.Name, m.Unit}}}},
		},
		m.Name: v,
	}
	for i, d := range m.Dims {
		val := ""
		if i < len(dims) {
			val = dims[i]
		}
		if val == "" {
			val = "-" // CloudWatch drops a record with an empty dimension value
		}
		line[d] = val
	}
	b, err := json.Marshal(line)
	if err != nil {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	_, _ = e.w.Write(append(b, '\n'))
}
