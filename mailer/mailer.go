// Package mailer sends cloudmart's emails through an SMTP server, or, when none
// is configured, writes each one to the log instead, so a marketplace without
// mail still tells its operators what would have been sent.
package mailer

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// Message is one plain-text email.
type Message struct {
	To      string
	Subject string
	Text    string
}

// Sender sends messages.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// New returns the sender for an SMTP URL, or a log sender when rawURL is "".
//
//	smtp://user:password@mail.example.com:587?from=market@example.com&tls=starttls
//
// tls is "starttls" (the default: required), "opportunistic", "implicit" (port
// 465) or "none" (a local relay only).
func New(rawURL string, log *slog.Logger) (Sender, error) {
	if rawURL == "" {
		return logSender{log}, nil
	}
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme != "smtp" || u.Hostname() == "" {
		return nil, fmt.Errorf("mailer: want smtp://[user:password@]host[:port]?from=…, got %q", redact(rawURL))
	}
	from := u.Query().Get("from")
	if from == "" {
		return nil, fmt.Errorf("mailer: the SMTP URL needs ?from=address")
	}
	opts := []gomail.Option{gomail.WithTimeout(20 * time.Second)}
	if p := u.Port(); p != "" {
		port, err := strconv.Atoi(p)
		if err != nil {
			return nil, fmt.Errorf("mailer: bad port %q", p)
		}
		opts = append(opts, gomail.WithPort(port))
	}
	switch tls := u.Query().Get("tls"); tls {
	case "", "starttls":
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	case "opportunistic":
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	case "implicit":
		opts = append(opts, gomail.WithSSL())
	case "none":
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		return nil, fmt.Errorf("mailer: tls must be starttls, opportunistic, implicit or none, not %q", tls)
	}
	if user := u.User.Username(); user != "" {
		pass, _ := u.User.Password()
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover), gomail.WithUsername(user), gomail.WithPassword(pass))
	}
	return &smtpSender{host: u.Hostname(), from: from, opts: opts}, nil
}

type smtpSender struct {
	host, from string
	opts       []gomail.Option
}

func (s *smtpSender) Send(ctx context.Context, m Message) error {
	msg := gomail.NewMsg()
	if err := msg.From(s.from); err != nil {
		return fmt.Errorf("mailer: from: %w", err)
	}
	if err := msg.To(m.To); err != nil {
		return fmt.Errorf("mailer: to: %w", err)
	}
	msg.Subject(m.Subject)
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	c, err := gomail.NewClient(s.host, s.opts...)
	if err != nil {
		return fmt.Errorf("mailer: %w", err)
	}
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("mailer: send to %s: %w", m.To, err)
	}
	return nil
}

type logSender struct{ log *slog.Logger }

func (l logSender) Send(ctx context.Context, m Message) error {
	l.log.InfoContext(ctx, "email (no SMTP configured)", "to", m.To, "subject", m.Subject, "text", m.Text)
	return nil
}

// redact hides the password of an SMTP URL.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparseable)"
	}
	return u.Redacted()
}
