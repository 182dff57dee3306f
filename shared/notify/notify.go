// Package notify composes the mail a filing's contact gets at each step that needs them
// (SPEC §17): filed (the receipt), correction requested (the reasons and the date to answer
// by), the reminder 3 days before it, decided, deemed withdrawn. A message is in the filing's
// language (English or Chinese), plain text and HTML, with the filing's status link and any
// date in the expo's local time; it names nobody but its recipient. Its Message-ID is the
// event's, so that a message sent again after a crash is the same message to the server.
//
// This is the composition only: the outbox that keeps the messages with their events, and the
// SMTP delivery, are issue 16's next steps.
package notify

import (
	"bytes"
	"fmt"
	"html"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/textproto"
	"sort"
	"strings"
	"time"

	"github.com/ipfast/ipfast/shared/filing"
)

// The events a contact hears of (the X-Ipfast-Event header).
const (
	EventFiled               = "filed"
	EventCorrectionRequested = "correction_requested"
	EventReminder            = "reminder"
	EventDecided             = "decided"
	EventDeemedWithdrawn     = "deemed_withdrawn"
)

// Message is a composed mail.
type Message struct {
	// ID is the Message-ID without angle brackets: the same for the same event, always.
	ID      string
	Event   string
	To      string
	Subject string
	Text    string
	HTML    string
	// Unsubscribe is the link that stops reminders (reminders only: legal notices have none).
	Unsubscribe string
	// Number is the filing's number (X-Ipfast-Filing) or, with Complaint, the complaint's
	// (X-Ipfast-Complaint); Language the message's ("zh" or "en").
	Number    string
	Complaint bool
	Language  string
}

// Input is what a message is made from: the filing as it stands after the event, the event's
// number in its history (the Message-ID's part), the expo, and the links.
type Input struct {
	Filing filing.Filing
	Expo   *filing.Expo
	// Seq identifies the event among the filing's: its version after the event (reminders:
	// the version they remind of).
	Seq int
	// StatusURL is the filing's public status link (absolute).
	StatusURL string
	// UnsubscribeURL stops the reminders of this contact (reminders only).
	UnsubscribeURL string
	// Domain is the Message-ID's right-hand side: the deployment's host.
	Domain string
}

// Compose makes the message of event for in; ok is false when there is nobody to write to (no
// contact email).
func Compose(event string, in Input) (Message, bool) {
	f := in.Filing
	if f.Contact == nil || strings.TrimSpace(f.Contact.Email) == "" {
		return Message{}, false
	}
	zh := f.Language == "zh"
	w := words(zh)
	m := Message{ID: fmt.Sprintf("%s.%s.%d@%s", event, f.ID, in.Seq, in.Domain), Event: event, To: f.Contact.Email,
		Number: f.FilingNumber, Language: map[bool]string{true: "zh", false: "en"}[zh]}
	var lines []string
	line := func(s ...string) { lines = append(lines, strings.Join(s, "")) }
	line(w["dear"], f.Contact.Name, w["comma"])
	line()
	switch event {
	case EventFiled:
		m.Subject = fmt.Sprintf(w["subjectFiled"], f.FilingNumber)
		line(fmt.Sprintf(w["filed"], expoName(in.Expo, zh)))
		line()
		line(w["number"], f.FilingNumber)
		line(w["filingDate"], f.FilingDate)
		line(w["filedAt"], localTime(in.Expo, f.FiledAt))
		line(w["subject"], subjectOf(f))
		for _, d := range f.Deadlines {
			basis := d.Basis
			if zh {
				basis = d.BasisZh
			}
			line(w["due"], d.Due, " (", basis, ")")
		}
	case EventCorrectionRequested, EventReminder:
		if event == EventReminder {
			m.Subject = fmt.Sprintf(w["subjectReminder"], f.FilingNumber, f.RespondBy)
			line(fmt.Sprintf(w["reminder"], f.FilingNumber, f.RespondBy))
		} else {
			m.Subject = fmt.Sprintf(w["subjectCorrection"], f.FilingNumber)
			line(fmt.Sprintf(w["correction"], f.FilingNumber, f.RespondBy))
		}
		if f.Decision != nil {
			line()
			for _, r := range f.Decision.Reasons {
				line("- ", reasonText(r.Code, zh), note(r.Note, zh))
			}
			if f.Decision.Note != "" {
				line(f.Decision.Note)
			}
		}
		line()
		line(w["amend"])
		if event == EventReminder {
			m.Unsubscribe = in.UnsubscribeURL
		}
	case EventDecided:
		outcome := ""
		if f.Decision != nil {
			outcome = f.Decision.Outcome
		}
		m.Subject = fmt.Sprintf(w["subjectDecided"], f.FilingNumber, w["outcome_"+outcome])
		line(fmt.Sprintf(w["decided"], f.FilingNumber, w["outcome_"+outcome]))
		if f.Decision != nil {
			for _, r := range f.Decision.Reasons {
				line("- ", reasonText(r.Code, zh), note(r.Note, zh))
			}
		}
	case EventDeemedWithdrawn:
		m.Subject = fmt.Sprintf(w["subjectWithdrawn"], f.FilingNumber)
		line(fmt.Sprintf(w["withdrawn"], f.FilingNumber, f.RespondBy))
	default:
		return Message{}, false
	}
	line()
	line(w["status"], in.StatusURL)
	if m.Unsubscribe != "" {
		line()
		line(w["unsubscribe"], m.Unsubscribe)
	}
	line()
	line(expoName(in.Expo, zh), " · ipfast")
	m.Text = strings.Join(lines, "\n") + "\n"
	m.HTML = htmlOf(lines, m.Language, []string{in.StatusURL, m.Unsubscribe})
	return m, true
}

// htmlOf is a message's lines as HTML, the links among them made links.
func htmlOf(lines []string, lang string, links []string) string {
	var h strings.Builder
	h.WriteString(`<!doctype html><html lang="` + map[bool]string{true: "zh-CN", false: "en"}[lang == "zh"] + `"><body style="font-family:sans-serif;line-height:1.5">`)
	for _, l := range lines {
		if l == "" {
			h.WriteString("<br>\n")
			continue
		}
		text := html.EscapeString(l)
		for _, u := range links {
			if u != "" && strings.Contains(l, u) {
				text = strings.Replace(text, html.EscapeString(u), `<a href="`+html.EscapeString(u)+`">`+html.EscapeString(u)+`</a>`, 1)
			}
		}
		h.WriteString("<div>" + text + "</div>\n")
	}
	h.WriteString("</body></html>\n")
	return h.String()
}

// Bytes is the message as RFC 5322 mail from from, sent at at: multipart/alternative of the
// plain text and the HTML, both quoted-printable UTF-8, with the headers SPEC §17 names.
func (m Message) Bytes(from string, at time.Time) []byte {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for _, part := range []struct{ ctype, text string }{{"text/plain; charset=utf-8", m.Text}, {"text/html; charset=utf-8", m.HTML}} {
		pw, _ := mw.CreatePart(textproto.MIMEHeader{"Content-Type": {part.ctype}, "Content-Transfer-Encoding": {"quoted-printable"}})
		qw := quotedprintable.NewWriter(pw)
		_, _ = qw.Write([]byte(part.text))
		_ = qw.Close()
	}
	_ = mw.Close()
	headers := map[string]string{
		"From":             from,
		"To":               m.To,
		"Subject":          mime.QEncoding.Encode("utf-8", m.Subject),
		"Date":             at.Format(time.RFC1123Z),
		"Message-ID":       "<" + m.ID + ">",
		"MIME-Version":     "1.0",
		"Content-Type":     `multipart/alternative; boundary="` + mw.Boundary() + `"`,
		"X-Ipfast-Event":   m.Event,
		"Auto-Submitted":   "auto-generated",
		"Content-Language": map[bool]string{true: "zh-CN", false: "en"}[m.Language == "zh"],
	}
	if m.Complaint {
		headers["X-Ipfast-Complaint"] = m.Number
	} else {
		headers["X-Ipfast-Filing"] = m.Number
	}
	if m.Unsubscribe != "" {
		headers["List-Unsubscribe"] = "<" + m.Unsubscribe + ">"
	}
	keys := make([]string, 0, len(headers))
	for k := range headers {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out bytes.Buffer
	for _, k := range keys {
		fmt.Fprintf(&out, "%s: %s\r\n", k, headers[k])
	}
	out.WriteString("\r\n")
	out.Write(body.Bytes())
	return out.Bytes()
}

// note is an examiner's note after a reason, with the language's colon.
func note(s string, zh bool) string {
	if s == "" {
		return ""
	}
	if zh {
		return "：" + s
	}
	return ": " + s
}

func expoName(x *filing.Expo, zh bool) string {
	if zh && x.NameZh != "" {
		return x.NameZh
	}
	return x.Name
}

func subjectOf(f filing.Filing) string {
	switch {
	case f.Trademark != nil && f.Trademark.MarkText != "":
		return f.Trademark.MarkText
	case f.Patent != nil:
		return f.Patent.Title
	}
	return ""
}

// localTime is an RFC 3339 instant in the expo's time zone: "2026-06-23 10:00 (UTC+08:00)".
func localTime(x *filing.Expo, stamp string) string {
	t, err := time.Parse(time.RFC3339, stamp)
	if err != nil {
		return stamp
	}
	t = x.Local(t)
	return t.Format("2006-01-02 15:04") + " (UTC" + t.Format("-07:00") + ")"
}
