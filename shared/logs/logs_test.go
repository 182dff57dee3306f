package logs_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/ipfast/ipfast/shared/logs"
)

// TestLevelFromLambda: the logger logs at the level Lambda passes in AWS_LAMBDA_LOG_LEVEL
// (the template's LogLevel), INFO without one; lines carry the Powertools field names.
func TestLevelFromLambda(t *testing.T) {
	for _, tc := range []struct {
		env  string
		want []string
	}{
		{"", []string{"info", "warn", "error"}},
		{"DEBUG", []string{"debug", "info", "warn", "error"}},
		{"WARN", []string{"warn", "error"}},
		{"error", []string{"error"}},
	} {
		t.Setenv("AWS_LAMBDA_LOG_LEVEL", tc.env)
		var out bytes.Buffer
		log := logs.New(&out, "ipfast-test")
		log.Debug("debug")
		log.Info("info")
		log.Warn("warn")
		log.Error("error")
		var got []string
		for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
			var m map[string]any
			if err := json.Unmarshal([]byte(line), &m); err != nil {
				t.Fatalf("%q: %v", line, err)
			}
			if m["service"] != "ipfast-test" || m["timestamp"] == nil {
				t.Errorf("fields: %v", m)
			}
			got = append(got, m["message"].(string))
		}
		if strings.Join(got, " ") != strings.Join(tc.want, " ") {
			t.Errorf("AWS_LAMBDA_LOG_LEVEL=%q: logged %v, want %v", tc.env, got, tc.want)
		}
	}
}
