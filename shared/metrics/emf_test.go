package metrics

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// TestEMF: each record is one line of valid Embedded Metric Format (the CloudWatch spec: an
// `_aws` object with an integer Timestamp and CloudWatchMetrics directives whose Dimensions
// and Metrics name members of the line), in the ipfast namespace, with the documented name,
// unit and dimensions; an empty dimension value becomes "-".
func TestEMF(t *testing.T) {
	var out bytes.Buffer
	e := NewEMF(&out)
	e.now = func() time.Time { return time.Date(2026, 6, 23, 2, 0, 0, 0, time.UTC) }
	for _, m := range All {
		dims := make([]string, len(m.Dims))
		for i := range dims {
			dims[i] = "v" + m.Dims[i]
		}
		e.Record(m, 3, dims...)
	}
	e.Record(FilingsCreated, 1, "CISCE2026", "trademark") // one value missing
	e.Record(ValidationFailures, 1, "CISCE\"2026\\\n", "日本")
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != len(All)+2 {
		t.Fatalf("%d lines for %d records", len(lines), len(All)+2)
	}
	// Awkward values come out as valid JSON and read back as they were.
	var odd map[string]any
	if err := json.Unmarshal([]byte(lines[len(All)+1]), &odd); err != nil || odd["Expo"] != "CISCE\"2026\\\n" || odd["Code"] != "日本" {
		t.Fatalf("escaping: %v %v", odd, err)
	}
	lines = lines[:len(All)+1]
	for i, line := range lines {
		var doc map[string]json.RawMessage
		if err := json.Unmarshal([]byte(line), &doc); err != nil {
			t.Fatalf("line %d is not JSON: %v", i, err)
		}
		var meta struct {
			Timestamp         *int64 `json:"Timestamp"`
			CloudWatchMetrics []struct {
				Namespace  string     `json:"Namespace"`
				Dimensions [][]string `json:"Dimensions"`
				Metrics    []struct{ Name, Unit string }
			} `json:"CloudWatchMetrics"`
		}
		if err := json.Unmarshal(doc["_aws"], &meta); err != nil || meta.Timestamp == nil || *meta.Timestamp != 1782180000000 || len(meta.CloudWatchMetrics) != 1 {
			t.Fatalf("line %d: _aws %s", i, doc["_aws"])
		}
		d := meta.CloudWatchMetrics[0]
		m := All[min(i, len(All)-1)]
		if i == len(All) {
			m = FilingsCreated
		}
		if d.Namespace != "ipfast" || len(d.Metrics) != 1 || d.Metrics[0].Name != m.Name || d.Metrics[0].Unit != m.Unit ||
			len(d.Dimensions) != 1 || strings.Join(d.Dimensions[0], ",") != strings.Join(m.Dims, ",") {
			t.Errorf("line %d: directive %+v, want %+v", i, d, m)
		}
		var v float64
		if err := json.Unmarshal(doc[m.Name], &v); err != nil {
			t.Errorf("line %d: the metric's member %s: %s", i, m.Name, doc[m.Name])
		}
		for j, dim := range m.Dims {
			var got string
			if err := json.Unmarshal(doc[dim], &got); err != nil || got == "" {
				t.Errorf("line %d: dimension %s missing", i, dim)
			}
			if i < len(All) && got != "v"+dim {
				t.Errorf("line %d: dimension %s = %q", i, dim, got)
			}
			if i == len(All) && j == 2 && got != "-" {
				t.Errorf("an empty dimension value is %q, want -", got)
			}
		}
	}
}
