package local_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
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

// mailDeployment is `serve`'s composition with notifications.smtp pointing at mail, a manual
// clock at the expo's morning, its background jobs running, over HTTP.
type mailDeployment struct {
	t     *testing.T
	d     *local.Deployment
	clock *filing.ManualClock
	url   string
}

// openMail opens it; extra are more members of the configuration (`"exhibitors":[…]`).
func openMail(t *testing.T, mail *mailtest.Server, extra ...string) *mailDeployment {
	t.Helper()
	smtp, _ := json.Marshal(mail.Config())
	return openWith(t, append([]string{`"notifications":{"smtp":` + string(smtp) + `}`}, extra...)...)
}

// openWith opens `serve`'s composition with these members of the configuration (and no rate
// limit), a manual clock at the expo's morning and its background jobs running, over HTTP.
func openWith(t *testing.T, members ...string) *mailDeployment {
	t.Helper()
	cfg := filepath.Join(t.TempDir(), "expo.json")
	more := ""
	for _, e := range members {
		more += "," + e
	}
	if err := os.WriteFile(cfg, []byte(`{"limits":{"requestsPerSecond":0}`+more+`}`), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("IPFAST_TOKEN_SECRET", "")
	c := &filing.ManualClock{}
	c.Set("2026-06-23T02:00:00Z")
	d, err := local.Open(context.Background(), local.Options{DataDir: t.TempDir(), ConfigPath: cfg, Clock: c})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(d.Handler)
	d.SetBaseURL(srv.URL)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { d.Run(ctx, nil); close(done) }()
	t.Cleanup(func() { cancel(); <-done; srv.Close(); d.Close() })
	return &mailDeployment{t: t, d: d, clock: c, url: srv.URL}
}

func (m *mailDeployment) token(p filing.Principal) string {
	tok, err := auth.Sign(m.d.Secret, p, m.clock.Now(), 12*time.Hour)
	if err != nil {
		m.t.Fatal(err)
	}
	return tok
}

func (m *mailDeployment) do(method, path, tok, key, payload string, into any) int {
	m.t.Helper()
	req, _ := http.NewRequest(method, m.url+path, strings.NewReader(payload))
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	if payload != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		m.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if into != nil && json.Unmarshal(raw, into) != nil {
		m.t.Errorf("%s %s: %d %s", method, path, res.StatusCode, raw)
	}
	return res.StatusCode
}

func mailBody(mark, email, lang string) string {
	return `{"kind":"trademark","trademark":{"markType":"word","markText":"` + mark + `","classes":[{"class":9,"terms":["Batteries"]}]},
	"applicants":[{"name":"Ningbo Lights Co., Ltd.","kind":"organization","nationality":"CN","domicile":"CN","address":"Ningbo, Zhejiang"}],
	"contact":{"name":"Anna Weber","email":"` + email + `"},"language":"` + lang + `"}`
}

// byMessageID groups received mail by Message-ID.
func byMessageID(ms []mailtest.Message) map[string][]mailtest.Message {
	out := map[string][]mailtest.Message{}
	for _, m := range ms {
		out[m.MessageID] = append(out[m.MessageID], m)
	}
	return out
}

// TestNotificationsBySMTP files and decides over HTTP with Mailpit as the mail server (SPEC
// §17): the receipt mail on filing, the correction mail with its date, the reminder three days
// before that date (by a manual clock: not the evening before, at midnight in Beijing, and only
// once), the decision mail; each exactly once, in the filing's language, with the headers;
// the outbox as supervisors and examiners see it; a resend is the same Message-ID; the
// unsubscribe link stops the next reminder.
func TestNotificationsBySMTP(t *testing.T) {
	mail := mailtest.Start(t)
	m := openMail(t, mail)
	kiosk := m.token(filing.Principal{Subject: "kiosk-1", Role: filing.RoleKiosk, Exhibitor: "EX-0001", Booth: "1A-101"})
	examiner := m.token(filing.Principal{Subject: "examiner-1", Role: filing.RoleExaminer})

	var en, zh filing.Filing
	if st := m.do("POST", "/v1/filings", kiosk, "k-en", mailBody("VOLTARA", "anna@example.com", "en"), &en); st != 201 {
		t.Fatalf("file: %d", st)
	}
	if st := m.do("POST", "/v1/filings", kiosk, "k-zh", mailBody("星光", "li@example.cn", "zh"), &zh); st != 201 {
		t.Fatalf("file: %d", st)
	}
	// A replay is the same filing: no second mail.
	m.do("POST", "/v1/filings", kiosk, "k-en", mailBody("VOLTARA", "anna@example.com", "en"), nil)
	got := mail.WaitFor(t, 2, 20*time.Second)
	if len(got) != 2 {
		t.Fatalf("%d mails after two filings", len(got))
	}
	check := func(msgID, to, event, number string, want ...string) {
		t.Helper()
		ms := byMessageID(mail.Messages(t))[msgID]
		if len(ms) != 1 {
			t.Fatalf("%s received %d times", msgID, len(ms))
		}
		full := mail.Get(t, ms[0].ID)
		if full.To[0].Address != to || full.Header("X-Ipfast-Event") != event || full.Header("X-Ipfast-Filing") != number ||
			!strings.Contains(full.Subject, number) {
			t.Errorf("%s: to %v, headers %v, subject %q", msgID, full.To, full.Headers, full.Subject)
		}
		for _, w := range want {
			if !strings.Contains(full.Subject+"\n"+full.Text, w) {
				t.Errorf("%s lacks %q:\n%s\n%s", msgID, w, full.Subject, full.Text)
			}
		}
		if !strings.Contains(full.HTML, `<a href="`+m.url+`/status/`) {
			t.Errorf("%s: HTML without the status link", msgID)
		}
		if (event == "reminder") != (full.Header("List-Unsubscribe") != "") {
			t.Errorf("%s: List-Unsubscribe %q", msgID, full.Header("List-Unsubscribe"))
		}
	}
	check("filed."+en.ID+".1@ipfast.test", "anna@example.com", "filed", en.FilingNumber, "received", "Filing date: 2026-06-23",
		"Filed at: 2026-06-23 10:00 (UTC+08:00)", m.url+"/status/")
	check("filed."+zh.ID+".1@ipfast.test", "li@example.cn", "filed", zh.FilingNumber, "已受理", "申请日：2026-06-23", "星光")

	// The examiner asks the English one for a correction and accepts the Chinese one (in
	// whichever order the queue hands them out).
	for range 2 {
		var g struct {
			LeaseToken string        `json:"leaseToken"`
			Filing     filing.Filing `json:"filing"`
		}
		if st := m.do("POST", "/v1/queues/trademark/lease", examiner, "", "", &g); st != 200 {
			t.Fatalf("lease: %d", st)
		}
		body, into := `{"leaseToken":"`+g.LeaseToken+`","outcome":"accept"}`, &zh
		if g.Filing.ID == en.ID {
			body, into = `{"leaseToken":"`+g.LeaseToken+`","outcome":"request_correction","reasons":[{"code":"class_term_unacceptable","note":"Name the goods."}]}`, &en
		}
		if st := m.do("POST", "/v1/filings/"+g.Filing.ID+"/decision", examiner, "", body, into); st != 200 {
			t.Fatalf("decide: %d", st)
		}
	}
	if en.RespondBy != "2026-07-23" {
		t.Fatalf("respondBy %s", en.RespondBy)
	}
	mail.WaitFor(t, 4, 20*time.Second)
	check(fmt.Sprintf("correction_requested.%s.%d@ipfast.test", en.ID, en.Version), "anna@example.com", "correction_requested", en.FilingNumber,
		"correction requested", "by 2026-07-23", "Name the goods.")
	check(fmt.Sprintf("decided.%s.%d@ipfast.test", zh.ID, zh.Version), "li@example.cn", "decided", zh.FilingNumber, "已作出决定：受理")

	// The reminder: nothing at 23:00 in Beijing on 19 July; at 00:05 on 20 July (3 days before
	// 23 July) one, however often the sweep runs.
	m.clock.Set("2026-07-19T15:00:00Z")
	if n, err := m.d.RunJob(context.Background(), "reminders"); err != nil || n != 0 {
		t.Fatalf("reminders on 19 July: %d %v", n, err)
	}
	m.clock.Set("2026-07-19T16:05:00Z")
	for i, want := range []int{1, 0, 0} {
		if n, err := m.d.RunJob(context.Background(), "reminders"); err != nil || n != want {
			t.Fatalf("reminders on 20 July, run %d: %d %v", i, n, err)
		}
	}
	mail.WaitFor(t, 5, 20*time.Second)
	check(fmt.Sprintf("reminder.%s.%d@ipfast.test", en.ID, en.Version), "anna@example.com", "reminder", en.FilingNumber,
		"3 days left", "by 2026-07-23", "No more reminders: "+m.url+"/v1/status/")

	// Tokens of the day (the clock moved on).
	examiner = m.token(filing.Principal{Subject: "examiner-1", Role: filing.RoleExaminer})
	sup := m.token(filing.Principal{Subject: "supervisor-1", Role: filing.RoleSupervisor})

	// Each exactly once, however long the sender keeps going.
	time.Sleep(1500 * time.Millisecond)
	all := mail.Messages(t)
	if len(all) != 5 || len(byMessageID(all)) != 5 {
		t.Fatalf("%d mails, %d distinct", len(all), len(byMessageID(all)))
	}

	// The outbox: supervisors list it; examiners see a filing's notices with the address masked.
	var page filing.NoticePage
	if st := m.do("GET", "/v1/notifications?state=sent", sup, "", "", &page); st != 200 || len(page.Items) != 5 {
		t.Fatalf("sent: %d, %d items", st, len(page.Items))
	}
	if st := m.do("GET", "/v1/notifications?state=pending", sup, "", "", &page); st != 200 || len(page.Items) != 0 {
		t.Errorf("pending: %d, %d items", st, len(page.Items))
	}
	if st := m.do("GET", "/v1/notifications?state=lost", sup, "", "", nil); st != 400 {
		t.Errorf("unknown state: %d", st)
	}
	if st := m.do("GET", "/v1/notifications", examiner, "", "", nil); st != 403 {
		t.Errorf("examiner lists the outbox: %d", st)
	}
	var list struct {
		Items []filing.Notice `json:"items"`
	}
	if st := m.do("GET", "/v1/filings/"+en.ID+"/notifications", examiner, "", "", &list); st != 200 || len(list.Items) != 3 ||
		list.Items[0].Event != "filed" || list.Items[2].Event != "reminder" || list.Items[1].State != filing.NoticeSent ||
		list.Items[0].To != "****.com" || list.Items[0].SentAt.IsZero() {
		t.Errorf("a filing's notices for an examiner: %d %+v", st, list.Items)
	}

	// A resend goes out again with the same Message-ID.
	var again filing.Notice
	filedID := "filed." + en.ID + ".1"
	if st := m.do("POST", "/v1/notifications/"+filedID+"/resend", sup, "", "", &again); st != 202 || again.State != filing.NoticePending {
		t.Fatalf("resend: %d %+v", st, again)
	}
	mail.WaitFor(t, 6, 20*time.Second)
	if n := len(byMessageID(mail.Messages(t))[filedID+"@ipfast.test"]); n != 2 {
		t.Errorf("the resent message arrived %d times in all, want 2", n)
	}
	if st := m.do("POST", "/v1/notifications/filed.fil_nothing.1/resend", sup, "", "", nil); st != 404 {
		t.Errorf("resend of an unknown notice: %d", st)
	}
}

// TestNotificationsWhileTheMailServerIsDown: filings made while the mail server is down are
// kept pending with the failure recorded, and each is delivered exactly once when it is up.
func TestNotificationsWhileTheMailServerIsDown(t *testing.T) {
	mail := mailtest.Start(t)
	mail.Down()
	m := openMail(t, mail)
	kiosk := m.token(filing.Principal{Subject: "kiosk-1", Role: filing.RoleKiosk, Exhibitor: "EX-0001", Booth: "1A-101"})
	sup := m.token(filing.Principal{Subject: "supervisor-1", Role: filing.RoleSupervisor})
	var ids []string
	for i := 0; i < 4; i++ {
		var f filing.Filing
		if st := m.do("POST", "/v1/filings", kiosk, fmt.Sprint("down-", i), mailBody(fmt.Sprint("MARK", i), fmt.Sprintf("c%d@example.com", i), "en"), &f); st != 201 {
			t.Fatalf("file: %d", st)
		}
		ids = append(ids, "filed."+f.ID+".1@ipfast.test")
	}
	// Every one was tried and is pending with the reason.
	deadline := time.Now().Add(15 * time.Second)
	for {
		var page filing.NoticePage
		m.do("GET", "/v1/notifications?state=pending", sup, "", "", &page)
		tried := 0
		for _, n := range page.Items {
			if n.Attempts > 0 && strings.Contains(n.LastError, "connect") {
				tried++
			}
		}
		if tried == 4 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("pending while down: %+v", page.Items)
		}
		time.Sleep(100 * time.Millisecond)
	}
	// Up again a minute later (the retries' backoff runs on the deployment's clock).
	mail.Up()
	m.clock.Set("2026-06-23T02:01:00Z")
	mail.WaitFor(t, 4, 30*time.Second)
	time.Sleep(2 * time.Second)
	got := mail.Messages(t)
	seen := byMessageID(got)
	if len(got) != 4 {
		t.Fatalf("%d mails after the server came back, want 4", len(got))
	}
	for _, id := range ids {
		if len(seen[id]) != 1 {
			t.Errorf("%s received %d times", id, len(seen[id]))
		}
	}
	var page filing.NoticePage
	if st := m.do("GET", "/v1/notifications?state=sent", sup, "", "", &page); st != 200 || len(page.Items) != 4 {
		t.Errorf("sent after the outage: %d, %d", st, len(page.Items))
	}
}

// TestNotificationBounce: a recipient the server refuses for good (5xx) is recorded as a
// bounce (failed, with the server's reply) and not tried again.
func TestNotificationBounce(t *testing.T) {
	mail := mailtest.Start(t, "--smtp-allowed-recipients", `@example\.com$`)
	m := openMail(t, mail)
	kiosk := m.token(filing.Principal{Subject: "kiosk-1", Role: filing.RoleKiosk, Exhibitor: "EX-0001", Booth: "1A-101"})
	sup := m.token(filing.Principal{Subject: "supervisor-1", Role: filing.RoleSupervisor})
	if st := m.do("POST", "/v1/filings", kiosk, "b1", mailBody("BOUNCE", "nobody@refused.test", "en"), nil); st != 201 {
		t.Fatalf("file: %d", st)
	}
	if st := m.do("POST", "/v1/filings", kiosk, "b2", mailBody("FINE", "fine@example.com", "en"), nil); st != 201 {
		t.Fatalf("file: %d", st)
	}
	deadline := time.Now().Add(20 * time.Second)
	var page filing.NoticePage
	for {
		m.do("GET", "/v1/notifications?state=failed", sup, "", "", &page)
		if len(page.Items) == 1 || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if len(page.Items) != 1 || !page.Items[0].Bounced || page.Items[0].Attempts != 1 || !strings.Contains(page.Items[0].LastError, "55") ||
		page.Items[0].To != "nobody@refused.test" {
		t.Fatalf("failed: %+v", page.Items)
	}
	if got := mail.WaitFor(t, 1, 10*time.Second); len(got) != 1 || got[0].To[0].Address != "fine@example.com" {
		t.Errorf("received %+v", got)
	}
}

// TestComplaintNotifications: the complaint desk's mail (SPEC §17): the complainant hears of
// the complaint's receipt, its acceptance and the decision, in its language; the respondent
// exhibitor, whose contact the exhibitor directory gives, hears from accepted on, in Chinese and
// English, with the date to answer by; each once, with X-Ipfast-Complaint.
func TestComplaintNotifications(t *testing.T) {
	mail := mailtest.Start(t)
	m := openMail(t, mail, `"exhibitors":[{"id":"EX-B","booth":"3C-210","name":"深圳复制科技有限公司","contact":{"name":"王芳","email":"ip@copy.example"}},
		{"id":"EX-0001","booth":"1A-101","name":"Voltara GmbH"}]`)
	kiosk := m.token(filing.Principal{Subject: "kiosk-1", Role: filing.RoleKiosk, Exhibitor: "EX-0001", Booth: "1A-101"})
	officer := m.token(filing.Principal{Subject: "officer-1", Role: filing.RoleOfficer})

	// The right's certificate, uploaded as the kiosk does.
	pdf := []byte("%PDF-1.7\n% certificate\n%%EOF\n")
	sum := sha256.Sum256(pdf)
	var slot struct {
		ID     string `json:"id"`
		Upload struct {
			Method  string            `json:"method"`
			URL     string            `json:"url"`
			Headers map[string]string `json:"headers"`
		} `json:"upload"`
	}
	if st := m.do("POST", "/v1/uploads", kiosk, "", fmt.Sprintf(`{"role":"right_certificate","contentType":"application/pdf","size":%d,"sha256":"%x"}`, len(pdf), sum), &slot); st != 201 {
		t.Fatalf("upload slot: %d", st)
	}
	req, _ := http.NewRequest(slot.Upload.Method, slot.Upload.URL, bytes.NewReader(pdf))
	for k, v := range slot.Upload.Headers {
		req.Header.Set(k, v)
	}
	if res, err := http.DefaultClient.Do(req); err != nil || res.StatusCode >= 300 {
		t.Fatalf("upload: %v %v", res, err)
	}
	var cp filing.Complaint
	body := `{"complainant":{"name":"Voltara GmbH","kind":"organization","nationality":"DE","address":"Berlin","contact":{"name":"Anna Schmidt","email":"anna@voltara.example"}},
		"right":{"kind":"invention","number":"ZL202310123456.7","owner":"Voltara GmbH","validUntil":"2043-05-01"},
		"respondent":{"booth":"3C-210"},"exhibits":[{"description":"Power bank PB-20"}],"grounds":"Claim 1 is read on the power bank.",
		"attachments":["` + slot.ID + `"],"language":"en"}`
	if st := m.do("POST", "/v1/complaints", kiosk, "cp-1", body, &cp); st != 201 {
		t.Fatalf("complaint: %d", st)
	}
	mail.WaitFor(t, 1, 20*time.Second)
	if st := m.do("POST", "/v1/complaints/"+cp.ID+"/accept", officer, "", "{}", &cp); st != 200 {
		t.Fatalf("accept: %d", st)
	}
	mail.WaitFor(t, 3, 20*time.Second)
	if st := m.do("POST", "/v1/complaints/"+cp.ID+"/decision", officer, "", `{"outcome":"infringement","measures":["remove_exhibit","cut_links"],"note":"Remove it today."}`, &cp); st != 200 {
		t.Fatalf("decide: %d", st)
	}
	mail.WaitFor(t, 5, 20*time.Second)
	time.Sleep(1500 * time.Millisecond)
	all := mail.Messages(t)
	if len(all) != 5 || len(byMessageID(all)) != 5 {
		t.Fatalf("%d mails, %d distinct", len(all), len(byMessageID(all)))
	}
	check := func(event string, seq int, to string, want ...string) {
		t.Helper()
		ms := byMessageID(mail.Messages(t))[fmt.Sprintf("%s.%s.%d@ipfast.test", event, cp.ID, seq)]
		if len(ms) != 1 {
			t.Fatalf("%s: %d mails", event, len(ms))
		}
		full := mail.Get(t, ms[0].ID)
		if full.To[0].Address != to || full.Header("X-Ipfast-Event") != event || full.Header("X-Ipfast-Complaint") != cp.ComplaintNumber ||
			full.Header("X-Ipfast-Filing") != "" || !strings.Contains(full.Subject, cp.ComplaintNumber) {
			t.Errorf("%s: to %v, headers %v, subject %q", event, full.To, full.Headers, full.Subject)
		}
		for _, w := range want {
			if !strings.Contains(full.Subject+"\n"+full.Text, w) {
				t.Errorf("%s lacks %q:\n%s\n%s", event, w, full.Subject, full.Text)
			}
		}
		for _, personal := range []string{"anna@voltara.example", "Anna Schmidt"} {
			if to != "anna@voltara.example" && strings.Contains(full.Text+full.HTML, personal) {
				t.Errorf("%s shows the complainant's %q to the respondent", event, personal)
			}
		}
	}
	check("complaint_submitted", 1, "anna@voltara.example", "Dear Anna Schmidt", "received", "booth 3C-210", "2026-06-23 10:00 (UTC+08:00)")
	check("complaint_accepted", 2, "anna@voltara.example", "accepted", "until 2026-06-24 10:00 (UTC+08:00)")
	check("respondent_accepted", 2, "ip@copy.example", "关于贵展位3C-210展品的投诉", "发明专利（ZL202310123456.7）", "2026-06-24 10:00 (UTC+08:00)前",
		"Read the complaint at your booth kiosk", "Power bank PB-20", "invention patent ZL202310123456.7")
	check("complaint_decided", 3, "anna@voltara.example", "infringement found", "remove the exhibit, cut its links", "Remove it today.")
	check("respondent_decided", 3, "ip@copy.example", "构成侵权", "撤展、断开链接", "infringement found")
}

// TestUnsubscribeStopsRemindersOnly: the contact unsubscribes through the reminders' link (a
// page whose button posts; one click by RFC 8058): no reminder comes, but the legal notice of
// the deemed withdrawal does.
func TestUnsubscribeStopsRemindersOnly(t *testing.T) {
	mail := mailtest.Start(t)
	m := openMail(t, mail)
	kiosk := m.token(filing.Principal{Subject: "kiosk-1", Role: filing.RoleKiosk, Exhibitor: "EX-0001", Booth: "1A-101"})
	examiner := m.token(filing.Principal{Subject: "examiner-1", Role: filing.RoleExaminer})
	var f filing.Filing
	if st := m.do("POST", "/v1/filings", kiosk, "u-1", mailBody("NORDLICHT", "jan@example.de", "en"), &f); st != 201 {
		t.Fatalf("file: %d", st)
	}
	var g struct {
		LeaseToken string `json:"leaseToken"`
	}
	if st := m.do("POST", "/v1/queues/trademark/lease", examiner, "", "", &g); st != 200 {
		t.Fatalf("lease: %d", st)
	}
	if st := m.do("POST", "/v1/filings/"+f.ID+"/decision", examiner, "", `{"leaseToken":"`+g.LeaseToken+`","outcome":"request_correction","reasons":[{"code":"mark_unclear"}]}`, &f); st != 200 {
		t.Fatalf("decide: %d", st)
	}
	link := strings.Replace(f.StatusURL, "/status/", "/v1/status/", 1) + "/unsubscribe"
	page := func(method string) (int, string) {
		req, _ := http.NewRequest(method, link, strings.NewReader("List-Unsubscribe=One-Click"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	if st, body := page("GET"); st != 200 || !strings.Contains(body, `<form method="post">`) || !strings.Contains(body, f.FilingNumber) {
		t.Fatalf("the unsubscribe page: %d %s", st, body)
	}
	if st, body := page("POST"); st != 200 || !strings.Contains(body, "No more reminders") || !strings.Contains(body, "不会再发送补正期限提醒") {
		t.Fatalf("unsubscribing: %d %s", st, body)
	}
	m.clock.Set("2026-07-19T16:05:00Z")
	if n, err := m.d.RunJob(context.Background(), "reminders"); err != nil || n != 0 {
		t.Fatalf("reminders after unsubscribing: %d %v", n, err)
	}
	m.clock.Set("2026-07-23T16:05:00Z") // 24 July in Beijing: respondBy has passed
	if n, err := m.d.RunJob(context.Background(), "deemed withdrawn"); err != nil || n != 1 {
		t.Fatalf("deemed withdrawn: %d %v", n, err)
	}
	mail.WaitFor(t, 3, 20*time.Second)
	time.Sleep(time.Second)
	got := mail.Messages(t)
	events := map[string]int{}
	for _, msg := range got {
		events[mail.Get(t, msg.ID).Header("X-Ipfast-Event")]++
	}
	if fmt.Sprint(events) != fmt.Sprint(map[string]int{"correction_requested": 1, "deemed_withdrawn": 1, "filed": 1}) {
		t.Fatalf("mails: %v", events)
	}
	ms := byMessageID(got)[fmt.Sprintf("deemed_withdrawn.%s.%d@ipfast.test", f.ID, f.Version+1)]
	if len(ms) != 1 || !strings.Contains(mail.Get(t, ms[0].ID).Text, "deemed withdrawn: the correction requested was not made by 2026-07-23") {
		t.Errorf("the deemed withdrawal's mail: %+v", ms)
	}
}
