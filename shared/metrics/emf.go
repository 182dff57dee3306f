package metrics

import (
	"fmt"
	"io"
	"strconv"
	"time"
)

// EMF writes each record as one CloudWatch Embedded Metric Format line (a JSON object whose
// `_aws` member tells CloudWatch which of its members are metrics and dimensions); Lambda's log
// stream carries it to CloudWatch, which makes the metric: no PutMetricData call, no latency.
// Each line is one Write. (Written with fmt, which every function links already: the api
// function is at its size budget. Names and dimension values are identifiers and codes the
// services checked, for which Go's quoting is JSON's.)
type EMF struct {
	w   io.Writer
	now func() time.Time
}

// NewEMF writes to w (a function's stdout).
func NewEMF(w io.Writer) *EMF { return &EMF{w: w, now: time.Now} }

// Record implements Recorder.
func (e *EMF) Record(m Metric, v float64, dims ...string) {
	names, values := "", ""
	for i, d := range m.Dims {
		val := "-" // CloudWatch drops a record with an empty dimension value
		if i < len(dims) && dims[i] != "" {
			val = dims[i]
		}
		if i > 0 {
			names += ","
		}
		names += strconv.Quote(d)
		values += "," + strconv.Quote(d) + ":" + strconv.Quote(val)
	}
	fmt.Fprintf(e.w, `{"_aws":{"Timestamp":%d,"CloudWatchMetrics":[{"Namespace":%q,"Dimensions":[[%s]],"Metrics":[{"Name":%q,"Unit":%q}]}]},%q:%g%s}`+"\n",
		e.now().UnixMilli(), Namespace, names, m.Name, m.Unit, m.Name, v, values)
}
