package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ipfast/ipfast/shared/auth"
	"github.com/ipfast/ipfast/shared/filing"
	"github.com/ipfast/ipfast/shared/local"
	"github.com/ipfast/ipfast/shared/mailtest"
)

// TestCrashBetweenSentAndRecordedResendsOnce: `serve` is killed (SIGKILL) right after the
// mail server accepted a filing's receipt mail and before it recorded that (the fault hook
// local.EnvCrashAfterSend); started again on the same data dir, it sends that one message
// again with the same Message-ID and nothing else twice, and records it as sent (SPEC §17).
func TestCrashBetweenSentAndRecordedResendsOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the server")
	}
	mail := mailtest.Start(t)
	smtp, _ := json.Marshal(mail.Config())
	cfg := filepath.Join(t.TempDir(), "expo.json")
	if err := os.WriteFile(cfg, []byte(`{"limits":{"requestsPerSecond":0},"notifications":{"smtp":`+string(smtp)+`}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	dataDir := t.TempDir()
	c := start(t, dataDir, []string{"-config", cfg}, local.EnvCrashAfterSend+"=1")
	f, status, err := submit(http.DefaultClient, c.base, kioskToken(t), "crash-1")
	if err != nil || status != 201 {
		t.Fatalf("file: %d %v", status, err)
	}
	// The server dies by its own SIGKILL once Mailpit has the message.
	exited := make(chan error, 1)
	go func() { exited <- c.cmd.Wait() }()
	select {
	case <-exited:
	case <-time.After(30 * time.Second):
		t.Fatalf("serve did not stop after sending: %s", c.logs)
	}
	msgID := "filed." + f.ID + ".1@ipfast.test"
	if got := mail.Messages(t); len(got) != 1 || got[0].MessageID != msgID {
		t.Fatalf("before the restart: %+v", got)
	}
	// Started again (no fault this time), with a second filing made after the restart.
	c = start(t, dataDir, []string{"-config", cfg})
	g, status, err := submit(http.DefaultClient, c.base, kioskToken(t), "crash-2")
	if err != nil || status != 201 {
		t.Fatalf("file after the restart: %d %v", status, err)
	}
	mail.WaitFor(t, 3, 30*time.Second)
	time.Sleep(1500 * time.Millisecond)
	counts := map[string]int{}
	for _, m := range mail.Messages(t) {
		counts[m.MessageID]++
	}
	want := map[string]int{msgID: 2, "filed." + g.ID + ".1@ipfast.test": 1}
	if fmt.Sprint(counts) != fmt.Sprint(want) {
		t.Fatalf("received %v, want %v", counts, want)
	}
	tok, _ := auth.Sign([]byte(testSecret), filing.Principal{Subject: "sup", Role: filing.RoleSupervisor}, time.Date(2026, 6, 23, 2, 0, 0, 0, time.UTC), 48*time.Hour)
	req, _ := http.NewRequest("GET", c.base+"/v1/notifications?state=sent", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var page filing.NoticePage
	if err := json.NewDecoder(res.Body).Decode(&page); err != nil || len(page.Items) != 2 {
		t.Fatalf("sent after the restart: %+v %v", page, err)
	}
	for _, n := range page.Items {
		if n.ID == strings.TrimSuffix(msgID, "@ipfast.test") && n.Attempts != 2 {
			t.Errorf("the crashed notice: %d attempts, want 2", n.Attempts)
		}
	}
}
