package notify

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/smtp"
	"net/textproto"
	"strconv"
	"time"

	"github.com/ipfast/ipfast/shared/filing"
)

// Mailer hands a message to a mail server.
type Mailer interface {
	// Send delivers msg (RFC 5322 bytes) from from to to. An error that Permanent reports is
	// the server's refusal for good (a bounce); any other is worth trying again.
	Send(ctx context.Context, from, to string, msg []byte) error
}

// SMTP is the Mailer of notifications.smtp (SPEC §17): any SMTP server locally, Amazon SES's
// SMTP interface in AWS. One connection per message: notices are few, and a connection that
// broke in between cannot leave a message half accepted.
type SMTP struct {
	Config filing.SMTP
	// Timeout bounds one delivery (default 30 s).
	Timeout time.Duration
	// TLSConfig is for tests with their own certificate authority (nil: the system's).
	TLSConfig *tls.Config
}

// Send implements Mailer.
func (m SMTP) Send(ctx context.Context, from, to string, msg []byte) error {
	timeout := m.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	addr := net.JoinHostPort(m.Config.Host, strconv.Itoa(m.Config.Port))
	tlsConfig := m.TLSConfig
	if tlsConfig == nil {
		tlsConfig = &tls.Config{ServerName: m.Config.Host, MinVersion: tls.VersionTLS12}
	}
	var conn net.Conn
	var err error
	dialer := &net.Dialer{Timeout: timeout}
	if m.Config.TLS == "tls" {
		conn, err = (&tls.Dialer{NetDialer: dialer, Config: tlsConfig}).DialContext(ctx, "tcp", addr)
	} else {
		conn, err = dialer.DialContext(ctx, "tcp", addr)
	}
	if err != nil {
		// "cannot reach 127.0.0.1:25 (connect: connection refused)", not Go's repetition of the
		// addresses: supervisors read it in the outbox.
		var op *net.OpError
		if errors.As(err, &op) && op.Err != nil {
			return unreachable{fmt.Errorf("smtp: cannot reach %s (%v)", addr, op.Err)}
		}
		return unreachable{fmt.Errorf("smtp: cannot reach %s (%v)", addr, err)}
	}
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	_ = conn.SetDeadline(time.Now().Add(timeout))
	c, err := smtp.NewClient(conn, m.Config.Host)
	if err != nil {
		conn.Close()
		return fmt.Errorf("smtp: %s: %w", addr, err)
	}
	defer c.Close()
	if err := c.Hello("localhost"); err != nil {
		return fmt.Errorf("smtp: hello: %w", err)
	}
	if m.Config.TLS == "starttls" {
		if err := c.StartTLS(tlsConfig); err != nil {
			return fmt.Errorf("smtp: starttls: %w", err)
		}
	}
	if m.Config.Username != "" {
		// PLAIN only over TLS, or to loopback (net/smtp refuses anything else).
		if err := c.Auth(smtp.PlainAuth("", m.Config.Username, string(m.Config.Password), m.Config.Host)); err != nil {
			return fmt.Errorf("smtp: auth: %w", err)
		}
	}
	if err := c.Mail(from); err != nil {
		return fmt.Errorf("smtp: MAIL FROM: %w", err)
	}
	if err := c.Rcpt(to); err != nil {
		return refusal{fmt.Errorf("smtp: RCPT TO: %w", err)}
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("smtp: DATA: %w", err)
	}
	if _, err := w.Write(msg); err != nil {
		return fmt.Errorf("smtp: DATA: %w", err)
	}
	// The server's answer to the end of the data is its acceptance (or refusal) of the message.
	if err := w.Close(); err != nil {
		return refusal{fmt.Errorf("smtp: end of DATA: %w", err)}
	}
	_ = c.Quit() // accepted already: a failed QUIT changes nothing
	return nil
}

// unreachable is a server that could not be connected to.
type unreachable struct{ error }

func (u unreachable) Unwrap() error { return u.error }

// Unreachable reports whether err is a failure to connect to the mail server at all (then the
// other messages for it need not try now).
func Unreachable(err error) bool {
	var u unreachable
	return errors.As(err, &u)
}

// refusal is the server's answer to the recipient or to the message itself (not to the
// connection, the login or the sender: those are the deployment's to put right, and the
// notices wait until it does).
type refusal struct{ error }

func (r refusal) Unwrap() error { return r.error }

// Permanent reports whether err is a mail server's refusal of this message for good: a 5xx reply
// to its recipient or its content (a bounce). Connection failures, time-outs, 4xx replies and
// refusals of the login or the sender are temporary: tried again.
func Permanent(err error) bool {
	var r refusal
	var te *textproto.Error
	return errors.As(err, &r) && errors.As(err, &te) && te.Code >= 500 && te.Code < 600
}

// Address is the bare address of a From header value ("ipfast <noreply@x.org>" → noreply@x.org).
func Address(from string) string {
	if a, err := parseAddress(from); err == nil {
		return a
	}
	return from
}
