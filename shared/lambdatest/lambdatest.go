// Package lambdatest runs real Lambda function binaries (bootstrap) on this machine under a
// Lambda Runtime API served by the test: the process polls /next as it would in AWS, and the
// test invokes it with events and reads its responses. It stands in for the Runtime Interface
// Emulator, which is not available here.
package lambdatest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Function is one running bootstrap process and its Runtime API.
type Function struct {
	t       testing.TB
	srv     *http.Server
	cmd     *exec.Cmd
	Started time.Time
	// Ready is closed when the process first asks for an event (its init is done).
	Ready   chan struct{}
	readyAt time.Time
	once    sync.Once

	next    chan invocation
	mu      sync.Mutex
	pending map[string]chan result
	seq     int
	Logs    *bytes.Buffer
	logMu   sync.Mutex
	trace   string // the X-Ray header of the next invocations ("" : one X-Ray did not sample)
}

// SetTraceHeader sets the X-Ray header (Lambda-Runtime-Trace-Id) of the invocations from now
// on, as Lambda gives it with active tracing: "Root=1-…;Parent=…;Sampled=1".
func (f *Function) SetTraceHeader(h string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.trace = h
}

type invocation struct {
	id      string
	payload []byte
}

type result struct {
	body []byte
	err  error
}

// Start runs the bootstrap at path with env (plus AWS_LAMBDA_RUNTIME_API) and stops it when
// the test ends.
func Start(t testing.TB, path string, env ...string) *Function {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f := &Function{t: t, Ready: make(chan struct{}), next: make(chan invocation), pending: map[string]chan result{},
		Logs: &bytes.Buffer{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /2018-06-01/runtime/invocation/next", f.handleNext)
	mux.HandleFunc("POST /2018-06-01/runtime/invocation/{id}/response", f.handleResult(false))
	mux.HandleFunc("POST /2018-06-01/runtime/invocation/{id}/error", f.handleResult(true))
	mux.HandleFunc("POST /2018-06-01/runtime/init/error", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		t.Errorf("function init failed: %s\n%s", b, f.logs())
		w.WriteHeader(http.StatusAccepted)
	})
	f.srv = &http.Server{Handler: mux}
	go func() { _ = f.srv.Serve(ln) }()

	f.cmd = exec.Command(path)
	f.cmd.Env = append(os.Environ(), append([]string{"AWS_LAMBDA_RUNTIME_API=" + ln.Addr().String(),
		"AWS_LAMBDA_FUNCTION_NAME=test", "AWS_LAMBDA_FUNCTION_VERSION=$LATEST", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE=256",
		"_HANDLER=bootstrap"}, env...)...)
	f.cmd.Stdout = f
	f.cmd.Stderr = f
	f.Started = time.Now()
	if err := f.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = f.cmd.Process.Kill()
		_ = f.cmd.Wait()
		_ = f.srv.Close()
	})
	return f
}

// Write collects the function's output.
func (f *Function) Write(p []byte) (int, error) {
	f.logMu.Lock()
	defer f.logMu.Unlock()
	return f.Logs.Write(p)
}

func (f *Function) logs() string {
	f.logMu.Lock()
	defer f.logMu.Unlock()
	return f.Logs.String()
}

// InitDuration is the time from process start to its first request for an event.
func (f *Function) InitDuration(timeout time.Duration) (time.Duration, error) {
	select {
	case <-f.Ready:
		return f.readyAt.Sub(f.Started), nil
	case <-time.After(timeout):
		return 0, fmt.Errorf("function not ready after %v:\n%s", timeout, f.logs())
	}
}

func (f *Function) handleNext(w http.ResponseWriter, r *http.Request) {
	f.once.Do(func() { f.readyAt = time.Now(); close(f.Ready) })
	select {
	case inv := <-f.next:
		w.Header().Set("Lambda-Runtime-Aws-Request-Id", inv.id)
		w.Header().Set("Lambda-Runtime-Deadline-Ms", strconv.FormatInt(time.Now().Add(30*time.Second).UnixMilli(), 10))
		w.Header().Set("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:123456789012:function:test")
		f.mu.Lock()
		trace := f.trace
		f.mu.Unlock()
		if trace == "" {
			trace = "Root=1-00000000-000000000000000000000000;Sampled=0"
		}
		w.Header().Set("Lambda-Runtime-Trace-Id", trace)
		_, _ = w.Write(inv.payload)
	case <-r.Context().Done():
	}
}

func (f *Function) handleResult(isErr bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		f.mu.Lock()
		ch := f.pending[r.PathValue("id")]
		delete(f.pending, r.PathValue("id"))
		f.mu.Unlock()
		if ch != nil {
			res := result{body: b}
			if isErr {
				res.err = fmt.Errorf("function error: %s", b)
			}
			ch <- res
		}
		w.WriteHeader(http.StatusAccepted)
	}
}

// Invoke sends event (marshalled to JSON) and decodes the function's response into out.
func (f *Function) Invoke(event, out any) error {
	payload, err := json.Marshal(event)
	if err != nil {
		return err
	}
	f.mu.Lock()
	f.seq++
	id := fmt.Sprintf("req-%d-%d", time.Now().UnixNano(), f.seq)
	ch := make(chan result, 1)
	f.pending[id] = ch
	f.mu.Unlock()
	select {
	case f.next <- invocation{id: id, payload: payload}:
	case <-time.After(30 * time.Second):
		return fmt.Errorf("function did not ask for an event:\n%s", f.logs())
	}
	select {
	case res := <-ch:
		if res.err != nil {
			return res.err
		}
		if out == nil {
			return nil
		}
		return json.Unmarshal(res.body, out)
	case <-time.After(30 * time.Second):
		return fmt.Errorf("no response from the function:\n%s", f.logs())
	}
}

// Logs returns what the function printed, for failure messages.
func (f *Function) String() string { return strings.TrimSpace(f.logs()) }
