package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ipfast/ipfast/shared/auth"
	"github.com/ipfast/ipfast/shared/awstest"
	"github.com/ipfast/ipfast/shared/blobtest"
	"github.com/ipfast/ipfast/shared/certs"
	"github.com/ipfast/ipfast/shared/filing"
	"github.com/ipfast/ipfast/shared/intake"
	"github.com/ipfast/ipfast/shared/sqsq"
)

const testSecret = "crash-test-secret"

// buildBinary builds ipfast once per test binary.
var buildBinary = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "ipfast-bin")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "ipfast")
	out, err := exec.Command("go", "build", "-tags", "validator_novalidatefn", "-o", bin, ".").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build: %v: %s", err, out)
	}
	return bin, nil
})

type child struct {
	cmd  *exec.Cmd
	base string
	logs *syncBuffer
	out  *syncBuffer // what it printed on stdout
}

// syncBuffer is a bytes.Buffer that the child's stderr copier and the test may use at once.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

var kioskURL = regexp.MustCompile(`Kiosk:\s+(http://127\.0\.0\.1:\d+)/`)

// start runs `ipfast serve` on a free loopback port with the given data dir, extra arguments
// and extra environment.
func start(t *testing.T, dataDir string, args []string, env ...string) *child {
	t.Helper()
	bin, err := buildBinary()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(args, "-config") {
		// These tests file as fast as they can from one token: no rate limit.
		cfg := filepath.Join(t.TempDir(), "expo.json")
		if err := os.WriteFile(cfg, []byte(`{"limits":{"requestsPerSecond":0}}`), 0o600); err != nil {
			t.Fatal(err)
		}
		args = append(args, "-config", cfg)
	}
	cmd := exec.Command(bin, append([]string{"serve", "-addr", "127.0.0.1:0", "-data", dataDir}, args...)...)
	cmd.Env = append(os.Environ(), "IPFAST_TOKEN_SECRET="+testSecret, "IPFAST_CLOCK_START=2026-06-23T02:00:00Z")
	cmd.Env = append(cmd.Env, env...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	logs, out := &syncBuffer{}, &syncBuffer{}
	cmd.Stderr = logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			out.Write([]byte(sc.Text() + "\n"))
			if m := kioskURL.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
			}
		}
		close(found)
	}()
	select {
	case base, ok := <-found:
		if !ok {
			t.Fatalf("serve exited before printing its URL: %s", logs)
		}
		// The welcome text is printed whole before the server logs that it serves.
		deadline := time.Now().Add(5 * time.Second)
		for !strings.Contains(logs.String(), `"serving"`) && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		return &child{cmd: cmd, base: base, logs: logs, out: out}
	case <-time.After(30 * time.Second):
		t.Fatalf("serve printed no URL: %s", logs)
	}
	return nil
}

func kioskToken(t *testing.T) string {
	tok, err := auth.Sign([]byte(testSecret), filing.Principal{Subject: "kiosk-1", Role: "kiosk", Exhibitor: "EX-0001", Booth: "1A-101"},
		time.Date(2026, 6, 23, 2, 0, 0, 0, time.UTC), 48*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func body(key string) string {
	return `{"kind":"trademark","trademark":{"markType":"word","markText":"` + key + `","classes":[{"class":9,"terms":["Batteries"]}]},
	 "applicants":[{"name":"ACME","kind":"organization","nationality":"CN","domicile":"CN","address":"Beijing"}],
	 "contact":{"name":"Li","email":"li@example.com"},"language":"en"}`
}

func submit(client *http.Client, base, tok, key string) (filing.Filing, int, error) {
	req, _ := http.NewRequest("POST", base+"/v1/filings", strings.NewReader(body(key)))
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", key)
	res, err := client.Do(req)
	if err != nil {
		return filing.Filing{}, 0, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return filing.Filing{}, res.StatusCode, err
	}
	var f filing.Filing
	if res.StatusCode == http.StatusCreated {
		if err := json.Unmarshal(b, &f); err != nil {
			return f, res.StatusCode, err
		}
	}
	return f, res.StatusCode, nil
}

// TestCrashLosesNoAcknowledgedFiling kills `ipfast serve` with SIGKILL in the middle of a stream
// of concurrent submissions, restarts it on the same data dir, and checks that every filing
// that got a 201 is there exactly once, and that retrying the unanswered ones files each once.
func TestCrashLosesNoAcknowledgedFiling(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the server")
	}
	dataDir := t.TempDir()
	c := start(t, dataDir, nil)
	tok := kioskToken(t)
	client := &http.Client{Timeout: 10 * time.Second}

	var mu sync.Mutex
	acked := map[string]filing.Filing{} // key → filing answered with 201
	var unanswered []string             // keys whose request got no answer
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := 0; w < 16; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				key := fmt.Sprintf("w%02d-%05d", w, n)
				f, status, err := submit(client, c.base, tok, key)
				mu.Lock()
				switch {
				case err == nil && status == 201:
					acked[key] = f
				case err != nil:
					unanswered = append(unanswered, key)
				default:
					t.Errorf("%s: status %d", key, status)
				}
				mu.Unlock()
				if err != nil {
					return // the server is gone
				}
			}
		}(w)
	}
	// Kill once a few hundred filings are through, while requests are in flight.
	deadline := time.Now().Add(20 * time.Second)
	for {
		mu.Lock()
		n := len(acked)
		mu.Unlock()
		if n >= 300 || time.Now().After(deadline) {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := c.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = c.cmd.Wait()
	close(stop)
	wg.Wait()
	if len(acked) < 100 {
		t.Fatalf("only %d filings acknowledged before the kill", len(acked))
	}
	t.Logf("killed with %d acknowledged, %d unanswered", len(acked), len(unanswered))

	c2 := start(t, dataDir, nil)
	for key, f := range acked {
		req, _ := http.NewRequest("GET", c2.base+"/v1/filings/"+f.ID, nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var got filing.Filing
		_ = json.NewDecoder(res.Body).Decode(&got)
		res.Body.Close()
		// IPFAST_CLOCK_START=2026-06-23T02:00:00Z is 10:00 in Beijing: that is the filing date.
		if res.StatusCode != 200 || got.FilingNumber != f.FilingNumber || got.Trademark.MarkText != key ||
			got.FilingDate != "2026-06-23" || !strings.HasPrefix(got.FiledAt, "2026-06-23T10:") {
			t.Errorf("acknowledged filing %s (%s) after restart: %d %+v", f.ID, key, res.StatusCode, got.FilingNumber)
		}
	}
	// Retrying what went unanswered files each at most once: the ones committed before the
	// kill come back as replays.
	for _, key := range unanswered {
		if _, status, err := submit(client, c2.base, tok, key); err != nil || status != 201 {
			t.Errorf("retry %s: %d %v", key, status, err)
		}
	}
	all := listAll(t, client, c2.base, tok)
	byKey := map[string]int{}
	var numbers []string
	for _, f := range all {
		byKey[f.Trademark.MarkText]++
		numbers = append(numbers, f.FilingNumber)
	}
	for key, n := range byKey {
		if n != 1 {
			t.Errorf("key %s filed %d times", key, n)
		}
	}
	if want := len(acked) + len(unanswered); len(all) != want {
		t.Errorf("%d filings after restart and retries, want %d", len(all), want)
	}
	sort.Strings(numbers)
	for i, num := range numbers {
		if want := fmt.Sprintf("CISCE2026-TM-%06d", i+1); num != want {
			t.Fatalf("filing numbers have a gap or repeat at %d: %s", i, num)
		}
	}
}

func listAll(t *testing.T, client *http.Client, base, tok string) []filing.Filing {
	var all []filing.Filing
	cursor := ""
	for {
		req, _ := http.NewRequest("GET", base+"/v1/filings?limit=100&cursor="+cursor, nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var page filing.Page
		err = json.NewDecoder(res.Body).Decode(&page)
		res.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, page.Items...)
		if page.NextCursor == "" {
			return all
		}
		cursor = page.NextCursor
	}
}

func TestServePrintsTokensAndStopsOnSIGTERM(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the server")
	}
	c := start(t, t.TempDir(), nil)
	for _, path := range []string{"/", "/examiner/", "/healthz", "/v1/expo", "/no-such-page", "/blobs?op=get"} {
		res, err := http.Get(c.base + path)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		res.Body.Close()
		if res.StatusCode != 200 && !strings.HasPrefix(path, "/no-") && !strings.HasPrefix(path, "/blobs") {
			t.Errorf("GET %s: %d", path, res.StatusCode)
		}
		// Every answer, pages and blob links too (SPEC §3).
		if res.Header.Get("X-Request-Id") == "" || res.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("GET %s: X-Request-Id %q, X-Content-Type-Options %q", path, res.Header.Get("X-Request-Id"),
				res.Header.Get("X-Content-Type-Options"))
		}
		if strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") && res.Header.Get("Content-Security-Policy") == "" {
			t.Errorf("GET %s: HTML without a Content-Security-Policy", path)
		}
	}
	if err := c.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- c.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve exited with %v after SIGTERM: %s", err, c.logs)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop on SIGTERM")
	}
	if strings.Contains(c.logs.String(), "li@example.com") {
		t.Errorf("personal data in logs")
	}
}

// TestServeWelcomeAndLockedDataDir: demo tokens are printed only for a secret of the data
// dir's own, and a second serve on a data dir in use says it is locked rather than "timeout".
func TestServeWelcomeAndLockedDataDir(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the server")
	}
	dir := t.TempDir()
	// stdout is read by another goroutine than the one that saw the URL: wait for the line.
	printed := func(c *child, line string) string {
		for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
			if strings.Contains(c.out.String(), line) {
				break
			}
		}
		return c.out.String()
	}
	c := start(t, dir, nil) // IPFAST_TOKEN_SECRET set
	if out := printed(c, "no demo tokens"); strings.Contains(out, "Demo tokens") || strings.Contains(out, "eyJ") ||
		!strings.Contains(out, "no demo tokens") {
		t.Errorf("with the secret from the environment, serve printed:\n%s", out)
	}
	bin, _ := buildBinary()
	second := exec.Command(bin, "serve", "-addr", "127.0.0.1:0", "-data", dir)
	second.Env = append(os.Environ(), "IPFAST_TOKEN_SECRET="+testSecret)
	out, err := second.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "locked by another process") || strings.Contains(string(out), "timeout") {
		t.Errorf("second serve on the same data dir: %v\n%s", err, out)
	}
	own := start(t, t.TempDir(), nil, "IPFAST_TOKEN_SECRET=")
	if out := printed(own, "supervisor:"); !strings.Contains(out, "Demo tokens") || !strings.Contains(out, "kiosk with this token") || !strings.Contains(out, "  officer:\n    eyJ") {
		t.Errorf("with a generated secret, serve printed no demo tokens:\n%s", out)
	}
	// Either way serve prints the organiser's set-up link (SPEC §18): its code signs in a
	// supervisor, once.
	for _, c := range []*child{c, own} {
		m := regexp.MustCompile(`(http://\S+)/examiner/#setup=(\S+)`).FindStringSubmatch(c.out.String())
		if m == nil || m[1] != c.base {
			t.Fatalf("no organiser's set-up link on %s:\n%s", c.base, c.out.String())
		}
		for i, want := range []int{200, 410} {
			res, err := http.Post(c.base+"/v1/staff/setup", "application/json", strings.NewReader(`{"code":"`+m[2]+`"}`))
			if err != nil {
				t.Fatal(err)
			}
			var tok struct{ Token string }
			_ = json.NewDecoder(res.Body).Decode(&tok)
			res.Body.Close()
			if res.StatusCode != want {
				t.Fatalf("set-up code, use %d: %d", i+1, res.StatusCode)
			}
			if i == 0 {
				req, _ := http.NewRequest("GET", c.base+"/v1/kiosks", nil)
				req.Header.Set("Authorization", "Bearer "+tok.Token)
				if res, err := http.DefaultClient.Do(req); err != nil || res.StatusCode != 200 {
					t.Fatalf("the organiser lists kiosks: %v %v", res, err)
				}
			}
		}
	}
}

// TestServeRefusesABadConfig: an unknown key or a bad value stops serve, naming it.
func TestServeRefusesABadConfig(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the server")
	}
	bin, err := buildBinary()
	if err != nil {
		t.Fatal(err)
	}
	for cfg, name := range map[string]string{
		`{"limits":{"burst":"twenty"}}`:                    "limits.burst",
		`{"workingDays":["2026-11-09"]}`:                   "workingDays",
		`{"complaints":{"responseWindow":"one day"}}`:      "complaints.responseWindow",
		`{"notifications":{"smtp":{"host":"h","port":0}}}`: "notifications.smtp.port",
		`{"holidayz":[]}`:                                  "holidayz",
	} {
		path := filepath.Join(t.TempDir(), "expo.json")
		if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(bin, "serve", "-addr", "127.0.0.1:0", "-data", t.TempDir(), "-config", path)
		cmd.Env = append(os.Environ(), "IPFAST_TOKEN_SECRET="+testSecret)
		out, err := cmd.CombinedOutput()
		if err == nil || !strings.Contains(string(out), name) {
			t.Errorf("%s: %v, output %q; want a refusal naming %s", cfg, err, out, name)
		}
	}
}

func TestTokenCommand(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("IPFAST_TOKEN_SECRET", "")
	var out bytes.Buffer
	if err := token([]string{"-role", "kiosk", "-exhibitor", "EX-0001", "-booth", "1A-101", "-data", dir}, &out); err != nil {
		t.Fatal(err)
	}
	secret, err := auth.LocalSecret(dir) // the same secret serve would use
	if err != nil {
		t.Fatal(err)
	}
	p, err := auth.NewVerifier(secret, nil).Verify(strings.TrimSpace(out.String()))
	if err != nil || p.Role != "kiosk" || p.Exhibitor != "EX-0001" || p.Booth != "1A-101" || p.Subject != "kiosk-1A-101" {
		t.Errorf("token = %+v, %v", p, err)
	}
	out.Reset()
	if err := token([]string{"-role", "officer", "-data", dir}, &out); err != nil {
		t.Fatal(err)
	}
	if p, err := auth.NewVerifier(secret, nil).Verify(strings.TrimSpace(out.String())); err != nil || p.Role != "officer" || p.Subject != "officer" {
		t.Errorf("officer token = %+v, %v", p, err)
	}
	if err := token([]string{"-role", "kiosk", "-data", dir}, &out); err == nil {
		t.Errorf("a kiosk token without exhibitor was issued")
	}
	if err := token([]string{"-role", "admin", "-data", dir}, &out); err == nil {
		t.Errorf("a token with an unknown role was issued")
	}
	// -expo names the expo; with -config it must be one the configuration serves.
	cfg := filepath.Join(dir, "expos.json")
	if err := os.WriteFile(cfg, []byte(`{"expos":[{},{"id":"AUTUMN2026","filingNumberPrefix":"AUTUMN2026"}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := token([]string{"-role", "examiner", "-expo", "AUTUMN2026", "-config", cfg, "-data", dir}, &out); err != nil {
		t.Fatal(err)
	}
	if p, err := auth.NewVerifier(secret, nil).Verify(strings.TrimSpace(out.String())); err != nil || p.Expo != "AUTUMN2026" {
		t.Errorf("token with -expo = %+v, %v", p, err)
	}
	err = token([]string{"-role", "examiner", "-expo", "SPRING2027", "-config", cfg, "-data", dir}, &out)
	if err == nil || !strings.Contains(err.Error(), "CISCE2026, AUTUMN2026") {
		t.Errorf("a token for an expo the configuration does not serve: %v", err)
	}
}

// TestServeOnAWSBackend runs `ipfast serve -backend aws -bootstrap` against DynamoDB Local and
// fauxqs: it creates its table and queues, files a trademark, and routes it to SQS through the
// table's stream.
func TestServeOnAWSBackend(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the server")
	}
	prefix := awstest.Name("ipfast-serve-")
	c := start(t, t.TempDir(), []string{"-backend", "aws", "-bootstrap"},
		"AWS_ENDPOINT_URL_DYNAMODB="+awstest.DynamoDBURL(t), "AWS_ENDPOINT_URL_SQS="+awstest.SQSURL(t),
		"AWS_REGION=us-east-1", "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test",
		"IPFAST_TABLE="+prefix+"filings", "IPFAST_QUEUE_PREFIX="+prefix)
	tok := kioskToken(t)
	client := &http.Client{Timeout: 10 * time.Second}
	f, status, err := submit(client, c.base, tok, "AWS-MARK")
	if err != nil || status != 201 || f.FilingNumber != "CISCE2026-TM-000001" || f.Queue != "trademark" {
		t.Fatalf("submit on aws backend: %d %v %+v\n%s", status, err, f, c.logs)
	}
	again, status, err := submit(client, c.base, tok, "AWS-MARK")
	if err != nil || status != 201 || again.ID != f.ID {
		t.Errorf("replay on aws backend: %d %v %s", status, err, again.ID)
	}
	q := sqsq.New(awstest.SQS(t), prefix)
	d, ok, err := q.Receive(context.Background(), filing.ExpoQueue("CISCE2026", "trademark"), time.Minute, 60*time.Second)
	if err != nil || !ok || d.FilingID != f.ID {
		t.Fatalf("filing not routed to SQS: %+v %v %v\n%s", d, ok, err, c.logs)
	}
	if d2, ok, _ := q.Receive(context.Background(), filing.ExpoQueue("CISCE2026", "trademark"), time.Minute, time.Second); ok {
		t.Errorf("routed twice: %+v", d2)
	}
}

// call makes an API request as tok and decodes a JSON answer into out (when not nil).
func call(t *testing.T, method, url, tok, body string, out any, headers ...string) int {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+tok)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if out != nil && res.StatusCode/100 == 2 {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s %s: %v: %s", method, url, err, b)
		}
	}
	return res.StatusCode
}

// TestServeKeepsAttachments uploads a drawing to a real `ipfast serve` through the link it
// hands out, files a utility model with it, restarts the server on the same data dir, and
// downloads the drawing back byte for byte.
func TestServeKeepsAttachments(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the server")
	}
	dir := t.TempDir()
	c := start(t, dir, nil)
	tok := kioskToken(t)
	pdf := append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte("drawing "), 40000)...)
	digest := sha256.Sum256(pdf)
	var slot intake.UploadSlot
	decl := fmt.Sprintf(`{"role":"drawings","contentType":"application/pdf","size":%d,"sha256":"%x"}`, len(pdf), digest)
	if status := call(t, "POST", c.base+"/v1/uploads", tok, decl, &slot); status != 201 || !strings.HasPrefix(slot.Upload.URL, c.base+"/blobs?") {
		t.Fatalf("upload slot: %d %+v", status, slot)
	}
	if status, err := blobtest.Upload(slot.Upload, pdf); err != nil || status != 204 {
		t.Fatalf("upload: %d %v", status, err)
	}
	um := `{"kind":"patent","patent":{"type":"utility_model","title":"Clip","abstract":"A clip.","claims":["1. A clip."],
	 "inventors":[{"name":"Zhang San","nationality":"CN"}]},
	 "applicants":[{"name":"ACME","kind":"organization","nationality":"CN","domicile":"CN","address":"Beijing"}],
	 "attachments":["` + slot.ID + `"],"contact":{"name":"Li","email":"li@example.com"},"language":"en"}`
	var f filing.Filing
	if status := call(t, "POST", c.base+"/v1/filings", tok, um, &f, "Idempotency-Key", "um-1"); status != 201 || len(f.Documents) != 1 {
		t.Fatalf("file: %d %+v", status, f)
	}
	_ = c.cmd.Process.Signal(syscall.SIGTERM)
	_ = c.cmd.Wait()

	c = start(t, dir, nil)
	var dl filing.DownloadLink
	if status := call(t, "GET", c.base+"/v1/filings/"+f.ID+"/attachments/"+slot.ID, tok, "", &dl); status != 200 {
		t.Fatalf("download link after restart: %d", status)
	}
	res, err := http.Get(dl.URL)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !bytes.Equal(got, pdf) {
		t.Errorf("downloaded %d bytes (status %d), want the %d uploaded", len(got), res.StatusCode, len(pdf))
	}
}

// TestHelpAndVersion: -h of every command is help, not an error (main exits 0 on
// flag.ErrHelp), and `ipfast version` names the build.
func TestHelpAndVersion(t *testing.T) {
	var out bytes.Buffer
	if err := serve(t.Context(), []string{"-h"}, &out, &out); !errors.Is(err, flag.ErrHelp) || !strings.Contains(out.String(), "-addr") {
		t.Errorf("serve -h = %v, printed %q", err, out.String())
	}
	if err := token([]string{"-h"}, &out); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("token -h = %v", err)
	}
	if v := version(); !strings.HasPrefix(v, "ipfast ") || !strings.HasSuffix(v, runtime.Version()) {
		t.Errorf("version = %q", v)
	}
}

// TestKeysCommand: `ipfast keys rotate` adds a signing key to the data dir's keyring; the keys
// before it stay (what they signed still verifies); `keys list` shows them, the newest signing.
func TestKeysCommand(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	if err := keys(context.Background(), []string{"list", "-data", dir}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	before, err := certs.LocalKeyring(dir, time.Now())
	if err != nil || len(before.Keys) != 1 || !strings.Contains(out.String(), before.Keys[0].ID) {
		t.Fatalf("list made %v %v:\n%s", before, err, out.String())
	}
	jws, _, _ := before.Sign([]byte(`{"v":1}`))
	out.Reset()
	if err := keys(context.Background(), []string{"rotate", "-data", dir}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	after, err := certs.LocalKeyring(dir, time.Now())
	if err != nil || len(after.Keys) != 2 || after.Keys[0].ID != before.Keys[0].ID {
		t.Fatalf("after rotate: %+v %v", after, err)
	}
	if !strings.Contains(out.String(), "new signing key "+after.Keys[1].ID) || !strings.Contains(out.String(), after.Keys[1].ID+"  ") {
		t.Errorf("rotate said:\n%s", out.String())
	}
	if _, _, err := after.Verify(jws); err != nil {
		t.Errorf("a certificate of the old key after rotation: %v", err)
	}
	if _, kid, _ := after.Sign([]byte(`{"v":1}`)); kid != after.Keys[1].ID {
		t.Errorf("signs with %s, want the new key", kid)
	}
	if err := keys(context.Background(), []string{"forget"}, &out, io.Discard); err == nil {
		t.Errorf("an unknown keys command was taken")
	}
}
