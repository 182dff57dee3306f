// Package mailtest runs Mailpit (github.com/axllent/mailpit), a real SMTP server, on loopback
// for tests, and reads what it received through its HTTP API. scripts/emulators.sh installs
// it and names the binary in IPFAST_MAILPIT; outside that script the tests that need it skip,
// except under CI=true, where a missing Mailpit fails the run.
package mailtest

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/ipfast/ipfast/shared/filing"
)

// Server is a Mailpit on loopback.
type Server struct {
	SMTPPort int
	API      string // base URL of its HTTP API
	bin, dir string
	args     []string
	cmd      *exec.Cmd
	t        testing.TB
}

// From is the sender address the tests' configurations use.
const From = "ipfast <noreply@ipfast.test>"

// Start starts a Mailpit that keeps its mail in a file (so a restart keeps it), stopped when
// the test ends. extra are more Mailpit flags (--smtp-allowed-recipients …).
func Start(t testing.TB, extra ...string) *Server {
	t.Helper()
	bin := os.Getenv("IPFAST_MAILPIT")
	if bin == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("IPFAST_MAILPIT is not set: CI must run the mail tests (make test installs Mailpit)")
		}
		t.Skip("IPFAST_MAILPIT is not set: run through scripts/emulators.sh (make test does)")
	}
	s := &Server{SMTPPort: FreePort(t), bin: bin, dir: t.TempDir(), t: t}
	apiPort := FreePort(t)
	s.API = fmt.Sprintf("http://127.0.0.1:%d", apiPort)
	s.args = append([]string{"--smtp", fmt.Sprintf("127.0.0.1:%d", s.SMTPPort), "--listen", fmt.Sprintf("127.0.0.1:%d", apiPort),
		"--database", filepath.Join(s.dir, "mail.db"), "--disable-version-check", "--smtp-disable-rdns",
		"--smtp-auth-accept-any", "--smtp-auth-allow-insecure"}, extra...)
	s.Up()
	t.Cleanup(s.Down)
	return s
}

// FreePort is a loopback port nothing listens on (at the moment of asking).
func FreePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// Up starts the server (again) and waits until it accepts SMTP connections and API calls.
func (s *Server) Up() {
	s.t.Helper()
	if s.cmd != nil {
		return
	}
	log, err := os.OpenFile(filepath.Join(s.dir, "mailpit.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		s.t.Fatal(err)
	}
	defer log.Close()
	cmd := exec.Command(s.bin, s.args...)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
	s.cmd = cmd
	deadline := time.Now().Add(20 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", s.SMTPPort), time.Second)
		if err == nil {
			c.Close()
			if r, err := http.Get(s.API + "/api/v1/messages?limit=1"); err == nil {
				r.Body.Close()
				if r.StatusCode == http.StatusOK {
					return
				}
			}
		}
		if time.Now().After(deadline) {
			b, _ := os.ReadFile(filepath.Join(s.dir, "mailpit.log"))
			s.t.Fatalf("mailpit did not start: %s", b)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Down stops the server: the SMTP port refuses connections until Up.
func (s *Server) Down() {
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Kill()
	_ = s.cmd.Wait()
	s.cmd = nil
}

// Config is a notifications.smtp configuration for this server.
func (s *Server) Config() *filing.SMTP {
	return &filing.SMTP{Host: "127.0.0.1", Port: s.SMTPPort, From: From, TLS: "none"}
}

// Address is a mail address.
type Address struct {
	Name    string `json:"Name"`
	Address string `json:"Address"`
}

// Message is a received message as Mailpit's API lists it.
type Message struct {
	ID        string    `json:"ID"`
	MessageID string    `json:"MessageID"`
	From      Address   `json:"From"`
	To        []Address `json:"To"`
	Subject   string    `json:"Subject"`
}

// Messages lists every message received, newest first.
func (s *Server) Messages(t testing.TB) []Message {
	t.Helper()
	var out struct {
		Messages []Message `json:"messages"`
	}
	s.get(t, "/api/v1/messages?limit=5000", &out)
	return out.Messages
}

// Full is a received message with its bodies and headers.
type Full struct {
	Message
	Text    string              `json:"Text"`
	HTML    string              `json:"HTML"`
	Headers map[string][]string `json:"-"`
}

// Get reads a message whole.
func (s *Server) Get(t testing.TB, id string) Full {
	t.Helper()
	var m Full
	s.get(t, "/api/v1/message/"+id, &m)
	s.get(t, "/api/v1/message/"+id+"/headers", &m.Headers)
	return m
}

// Header is the first value of a header of a message read with Get.
func (m Full) Header(name string) string {
	if v := m.Headers[name]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// WaitFor waits up to timeout until at least n messages were received, and returns them.
func (s *Server) WaitFor(t testing.TB, n int, timeout time.Duration) []Message {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		ms := s.Messages(t)
		if len(ms) >= n || time.Now().After(deadline) {
			return ms
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (s *Server) get(t testing.TB, path string, v any) {
	t.Helper()
	r, err := http.Get(s.API + path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	if r.StatusCode != http.StatusOK {
		t.Fatalf("mailpit %s: %s", path, r.Status)
	}
	if err := json.NewDecoder(r.Body).Decode(v); err != nil {
		t.Fatalf("mailpit %s: %v", path, err)
	}
}
