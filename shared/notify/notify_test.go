package notify_test

import (
	"bytes"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/ipfast/ipfast/shared/filing"
	"github.com/ipfast/ipfast/shared/notify"
	"golang.org/x/text/unicode/norm"
)

func sample(lang string) filing.Filing {
	f := filing.Filing{ID: "fil_1", FilingNumber: "CISCE2026-TM-000042", State: filing.StateCorrectionRequested,
		FiledAt: "2026-06-23T02:00:00Z", FilingDate: "2026-06-23", RespondBy: "2026-07-23", Expo: "CISCE2026",
		Request: filing.Request{Kind: "trademark", Language: lang,
			Trademark:  &filing.Trademark{MarkType: "word", MarkText: "VOLTARA"},
			Applicants: []filing.Applicant{{Name: "Other Applicant GmbH", IDNumber: "91350900587527783P"}},
			Contact:    &filing.Contact{Name: "Anna Weber", Email: "anna@example.com", Phone: "+49 30 1234"}},
		Decision: &filing.Decision{Outcome: filing.OutcomeRequestCorrection, Reasons: []filing.Reason{{Code: "class_term_unacceptable", Note: "Name the goods."}}}}
	return f
}

// TestCompose: each event in the filing's language, with the number in the subject, the status
// link, the dates; only the recipient's own data; an unsubscribe line on reminders only; the
// same event, the same Message-ID.
func TestCompose(t *testing.T) {
	x := filing.DefaultExpo()
	for _, tc := range []struct {
		event, lang string
		want        []string
	}{
		{notify.EventFiled, "en", []string{"Filing CISCE2026-TM-000042 received", "Filing date: 2026-06-23", "Filed at: 2026-06-23 10:00 (UTC+08:00)", "VOLTARA"}},
		{notify.EventFiled, "zh", []string{"申请CISCE2026-TM-000042已受理", "申请日：2026-06-23", "第四届中国国际供应链促进博览会"}},
		{notify.EventCorrectionRequested, "en", []string{"correction requested", "by 2026-07-23", "A class or term is not acceptable: Name the goods."}},
		{notify.EventCorrectionRequested, "zh", []string{"需补正", "2026-07-23前补正", "类别或商品服务项目不规范"}},
		{notify.EventReminder, "en", []string{"3 days left", "No more reminders: https://ipfast.example.org/unsubscribe/x"}},
		{notify.EventDeemedWithdrawn, "zh", []string{"视为撤回", "未在2026-07-23前补正"}},
	} {
		in := notify.Input{Filing: sample(tc.lang), Expo: x, Seq: 4, StatusURL: "https://ipfast.example.org/status/abc",
			UnsubscribeURL: "https://ipfast.example.org/unsubscribe/x", Domain: "ipfast.example.org"}
		m, ok := notify.Compose(tc.event, in)
		if !ok {
			t.Fatalf("%s: nothing composed", tc.event)
		}
		all := m.Subject + "\n" + m.Text
		for _, w := range append(tc.want, "https://ipfast.example.org/status/abc", "Anna Weber") {
			if !strings.Contains(all, w) {
				t.Errorf("%s/%s lacks %q:\n%s", tc.event, tc.lang, w, all)
			}
		}
		for _, personal := range []string{"Other Applicant GmbH", "91350900587527783P", "+49 30 1234"} {
			if strings.Contains(all+m.HTML, personal) {
				t.Errorf("%s/%s shows %q", tc.event, tc.lang, personal)
			}
		}
		if (m.Unsubscribe != "") != (tc.event == notify.EventReminder) {
			t.Errorf("%s: unsubscribe %q", tc.event, m.Unsubscribe)
		}
		again, _ := notify.Compose(tc.event, in)
		if again.ID != m.ID || m.ID != tc.event+".fil_1.4@ipfast.example.org" {
			t.Errorf("Message-ID %q, then %q", m.ID, again.ID)
		}
		// The mail as sent: it parses, with the headers SPEC §17 names and both parts.
		raw := m.Bytes("ipfast <noreply@ipfast.example.org>", time.Date(2026, 6, 23, 2, 0, 0, 0, time.UTC))
		msg, err := mail.ReadMessage(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		subject, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
		if subject != m.Subject || msg.Header.Get("Message-Id") != "<"+m.ID+">" || msg.Header.Get("X-Ipfast-Event") != tc.event ||
			msg.Header.Get("X-Ipfast-Filing") != "CISCE2026-TM-000042" || msg.Header.Get("To") != "anna@example.com" {
			t.Errorf("headers: %v (subject %q)", msg.Header, subject)
		}
		_, params, _ := mime.ParseMediaType(msg.Header.Get("Content-Type"))
		mr := multipart.NewReader(msg.Body, params["boundary"])
		parts := 0
		for {
			p, err := mr.NextPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(p) // the multipart reader decodes quoted-printable
			if !strings.Contains(norm.NFC.String(string(b)), "CISCE2026-TM-000042") {
				t.Errorf("%s/%s: part %s lacks the number:\n%s", tc.event, tc.lang, p.Header.Get("Content-Type"), b)
			}
			parts++
		}
		if parts != 2 {
			t.Errorf("%d parts", parts)
		}
	}
	f := sample("en")
	f.Contact.Email = ""
	if _, ok := notify.Compose(notify.EventFiled, notify.Input{Filing: f, Expo: x}); ok {
		t.Errorf("a message without an address")
	}
}
