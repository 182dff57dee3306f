package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/mail"
	"strings"
	"sync"
	"time"

	"github.com/ipfast/ipfast/shared/filing"
)

// Sender delivers the outbox: every due pending notice of every expo is claimed (a
// conditional write, so that two senders never send one notice at once), composed in the
// filing's language, handed to the expo's mail server, and recorded as sent. A server that
// cannot be reached, or answers "try later", is tried again with backoff (filing.NoticeBackoff)
// for up to filing.NoticeGiveUp; a refusal for good (5xx) is recorded as a bounce (failed).
//
// Exactly once, as far as mail allows: a sender that dies between the server's acceptance and
// recording it leaves the notice claimed; once the claim ends (or at once, for an Exclusive
// sender starting again) it is sent again with the same Message-ID, and nothing else is.
type Sender struct {
	Store   filing.Store
	Notices filing.NoticeStore
	Expo    *filing.Expo // the deployment: its expos, each with its notifications.smtp
	Clock   filing.Clock
	Log     *slog.Logger
	// BaseURL is where the filing's status link points (the public URL of the deployment).
	BaseURL string
	// Instance names this sender in its claims.
	Instance string
	// Exclusive says this is the only sender of the store (the embedded store is one process's):
	// a claim by another instance is a dead process's, taken over at once.
	Exclusive bool
	// Mailer makes the Mailer of an SMTP configuration (default: SMTP{Config: c}).
	Mailer func(c filing.SMTP) Mailer
	// AfterSend, when set, runs after a server accepted a message and before that is
	// recorded: the fault tests stop the process there.
	AfterSend func(n filing.Notice)

	mu       sync.Mutex
	takeOver bool // Exclusive: claims of other instances were released
}

// SMTPOf is the mail server of an expo of the deployment: its own notifications.smtp, else the
// deployment's (nil: none, its notices are kept and listed, not sent).
func SMTPOf(deployment, x *filing.Expo) *filing.SMTP {
	if x.Notifications.SMTP != nil {
		return x.Notifications.SMTP
	}
	return deployment.Notifications.SMTP
}

// expos are the deployment's expos whose notices are sent (those with a mail server).
func (s *Sender) expos() []*filing.Expo {
	var out []*filing.Expo
	for _, x := range s.Expo.Expos() {
		if SMTPOf(s.Expo, x) != nil {
			out = append(out, x)
		}
	}
	return out
}

// RunOnce sends every notice due now and reports how many it sent.
func (s *Sender) RunOnce(ctx context.Context) (int, error) {
	sent := 0
	var errs []error
	if s.Exclusive {
		s.mu.Lock()
		if !s.takeOver {
			for _, x := range s.expos() {
				if err := s.releaseDeadClaims(ctx, x); err != nil {
					s.mu.Unlock()
					return 0, err
				}
			}
			s.takeOver = true
		}
		s.mu.Unlock()
	}
	for _, x := range s.expos() {
		// Once the expo's mail server cannot be reached, the other due notices are not tried
		// against it in this run (each would wait for its own time-out): they are put off with
		// the same reason.
		var down error
		for {
			now := s.Clock.Now()
			page, err := s.Notices.Notices(ctx, filing.NoticeQuery{Expo: x.ID, State: filing.NoticePending, Due: now, Limit: 50})
			if err != nil {
				errs = append(errs, err)
				break
			}
			progress := false
			for _, n := range page.Items {
				ok, err := s.deliver(ctx, x, n, &down)
				if err != nil {
					errs = append(errs, err)
				}
				if ok {
					sent++
					progress = true
				}
			}
			if page.NextCursor == "" || !progress || ctx.Err() != nil {
				break
			}
		}
	}
	return sent, errors.Join(errs...)
}

// releaseDeadClaims makes notices claimed by an earlier process due at once (Exclusive
// senders, once per start).
func (s *Sender) releaseDeadClaims(ctx context.Context, x *filing.Expo) error {
	q := filing.NoticeQuery{Expo: x.ID, State: filing.NoticePending, Limit: 100}
	for {
		page, err := s.Notices.Notices(ctx, q)
		if err != nil {
			return err
		}
		for _, n := range page.Items {
			if n.Claim == "" || n.Claim == s.Instance {
				continue
			}
			n.Version++
			n.Claim, n.NextAttemptAt = "", s.Clock.Now()
			if err := s.Notices.UpdateNotice(ctx, n); err != nil && filing.ErrorCode(err) != filing.CodeVersionConflict {
				return err
			}
		}
		if page.NextCursor == "" {
			break
		}
		q.Cursor = page.NextCursor
	}
	return nil
}

// deliver claims, sends and records one notice; ok reports that it was sent.
func (s *Sender) deliver(ctx context.Context, x *filing.Expo, n filing.Notice, down *error) (bool, error) {
	now := s.Clock.Now()
	n.Version++
	n.Attempts++
	n.Claim, n.NextAttemptAt, n.UpdatedAt = s.Instance, now.Add(filing.NoticeClaim), now
	if err := s.Notices.UpdateNotice(ctx, n); err != nil {
		if filing.ErrorCode(err) == filing.CodeVersionConflict {
			return false, nil // another sender has it
		}
		return false, err
	}
	cfg := *SMTPOf(s.Expo, x)
	msg, raw, ok, err := s.render(ctx, x, n, cfg.From, now)
	if err != nil {
		return false, s.settle(ctx, n, err, false)
	}
	if !ok {
		return false, s.settle(ctx, n, errors.New("nothing to compose (no contact email)"), true)
	}
	if *down != nil {
		return false, s.settle(ctx, n, *down, false)
	}
	mailer := SMTP{Config: cfg}.Send
	if s.Mailer != nil {
		mailer = s.Mailer(cfg).Send
	}
	if err := mailer(ctx, Address(cfg.From), msg.To, raw); err != nil {
		if Unreachable(err) {
			*down = err
		}
		return false, s.settle(ctx, n, err, Permanent(err))
	}
	if s.AfterSend != nil {
		s.AfterSend(n)
	}
	n.Version++
	n.State, n.SentAt, n.UpdatedAt, n.Claim, n.LastError = filing.NoticeSent, s.Clock.Now(), s.Clock.Now(), "", ""
	if err := s.Notices.UpdateNotice(ctx, n); err != nil {
		// Sent, but not recorded: the claim ends and it goes again with the same Message-ID.
		return true, fmt.Errorf("notify: %s sent but not recorded: %w", n.ID, err)
	}
	s.log().Info("notice sent", "id", n.ID, "number", n.Number(), "event", n.Event)
	return true, nil
}

// settle records a failed attempt: failed for good, or pending until the backoff ends.
func (s *Sender) settle(ctx context.Context, n filing.Notice, cause error, permanent bool) error {
	now := s.Clock.Now()
	n.Version++
	n.Claim, n.LastError, n.UpdatedAt = "", cause.Error(), now
	switch {
	case permanent:
		n.State, n.Bounced = filing.NoticeFailed, true
	case now.Sub(n.CreatedAt) > filing.NoticeGiveUp:
		n.State = filing.NoticeFailed
	default:
		n.NextAttemptAt = now.Add(filing.NoticeBackoff(n.Attempts))
	}
	s.log().Warn("notice not sent", "id", n.ID, "number", n.Number(), "state", n.State, "attempts", n.Attempts, "error", n.LastError)
	if err := s.Notices.UpdateNotice(ctx, n); err != nil {
		return fmt.Errorf("notify: record attempt of %s: %w", n.ID, err)
	}
	return nil
}

func (s *Sender) log() *slog.Logger {
	if s.Log == nil {
		return slog.Default()
	}
	return s.Log
}

// Run sends what is due every period, and at once when wake signals (a notice was written),
// until ctx ends.
func (s *Sender) Run(ctx context.Context, period time.Duration, wake <-chan struct{}) {
	t := time.NewTicker(period)
	defer t.Stop()
	for {
		if _, err := s.RunOnce(ctx); err != nil && ctx.Err() == nil {
			s.log().Error("send notices", "error", err.Error())
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-wake:
		}
	}
}

// render composes a notice's message from what it is about (a filing, a complaint).
func (s *Sender) render(ctx context.Context, x *filing.Expo, n filing.Notice, from string, now time.Time) (Message, []byte, bool, error) {
	if n.ComplaintID == "" {
		f, err := s.Store.Get(ctx, x.ID, n.FilingID)
		if err != nil {
			return Message{}, nil, false, fmt.Errorf("read filing: %w", err)
		}
		m, raw, ok := Render(n, f, x, s.BaseURL, from, now)
		return m, raw, ok, nil
	}
	cs, ok := s.Store.(filing.ComplaintStore)
	if !ok {
		return Message{}, nil, false, errors.New("this store keeps no complaints")
	}
	c, err := cs.GetComplaint(ctx, x.ID, n.ComplaintID)
	if err != nil {
		return Message{}, nil, false, fmt.Errorf("read complaint: %w", err)
	}
	name := ""
	if c.Complainant.Contact != nil {
		name = c.Complainant.Contact.Name
	}
	m, ok := ComposeComplaint(ComplaintInput{Notice: n, Complaint: c, Expo: x, Name: name, Domain: domainOf(from)})
	if !ok {
		return m, nil, false, nil
	}
	return m, m.Bytes(from, now), true, nil
}

// Render composes a notice's message and its bytes: the filing as it stands, with what the
// notice kept of its event (the decision, the date to answer by, the address).
func Render(n filing.Notice, f filing.Filing, x *filing.Expo, baseURL, from string, at time.Time) (Message, []byte, bool) {
	f.FilingNumber = n.FilingNumber
	f.Language = n.Language
	f.RespondBy = n.RespondBy
	f.Decision = n.Decision
	c := filing.Contact{}
	if f.Contact != nil {
		c = *f.Contact
	}
	c.Email = n.To
	f.Contact = &c
	base := strings.TrimRight(baseURL, "/")
	in := Input{Filing: f, Expo: x, Seq: n.Seq, Domain: domainOf(from)}
	if f.StatusToken != "" {
		in.StatusURL = base + filing.StatusPath(f.StatusToken)
		in.UnsubscribeURL = base + UnsubscribePath(f.StatusToken)
	}
	m, ok := Compose(n.Event, in)
	if !ok {
		return m, nil, false
	}
	return m, m.Bytes(from, at), true
}

// UnsubscribePath is the one-click link that stops a filing's reminders (RFC 8058: POST; a GET
// shows a page with the button).
func UnsubscribePath(statusToken string) string { return "/v1/status/" + statusToken + "/unsubscribe" }

// domainOf is the Message-ID's right-hand side: the From address's domain.
func domainOf(from string) string {
	a := Address(from)
	if i := strings.LastIndexByte(a, '@'); i >= 0 && i < len(a)-1 {
		return a[i+1:]
	}
	return "ipfast.invalid"
}

func parseAddress(s string) (string, error) {
	a, err := mail.ParseAddress(s)
	if err != nil {
		return "", err
	}
	return a.Address, nil
}

// SetPassword gives every mail server of the deployment without a password in its
// configuration the one from the environment (in AWS: Secrets Manager; ExpoConfig holds none).
func SetPassword(deployment *filing.Expo, password string) {
	if password == "" {
		return
	}
	for _, x := range append([]*filing.Expo{deployment}, deployment.Expos()...) {
		if c := x.Notifications.SMTP; c != nil && c.Password == "" {
			c.Password = filing.Secret(password)
		}
	}
}
