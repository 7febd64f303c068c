package mailer_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/cloudmart/cloudmart/mailer"
	"github.com/cloudmart/cloudmart/mailer/mailertest"
)

func TestSendThroughSMTP(t *testing.T) {
	srv := mailertest.Start(t)
	s, err := mailer.New(srv.URL("market@example.com"), slog.Default())
	if err != nil {
		t.Fatal(err)
	}
	err = s.Send(context.Background(), mailer.Message{To: "ann@example.com", Subject: "Your application 申请", Text: "Approved. 已批准。"})
	if err != nil {
		t.Fatal(err)
	}
	got := srv.Mails()
	if len(got) != 1 || got[0].From != "market@example.com" || got[0].To[0] != "ann@example.com" || !strings.Contains(got[0].Data, "Subject:") {
		t.Fatalf("received %+v", got)
	}
}

func TestWithoutSMTPEmailsAreLogged(t *testing.T) {
	var buf bytes.Buffer
	s, err := mailer.New("", slog.New(slog.NewTextHandler(&buf, nil)))
	if err != nil {
		t.Fatal(err)
	}
	_ = s.Send(context.Background(), mailer.Message{To: "ann@example.com", Subject: "hello", Text: "body"})
	if !strings.Contains(buf.String(), "ann@example.com") || !strings.Contains(buf.String(), "hello") {
		t.Fatalf("log: %s", buf.String())
	}
}

func TestBadURLs(t *testing.T) {
	for _, u := range []string{"http://x", "smtp://host", "smtp://host?from=a@b.c&tls=maybe", "smtp://:25?from=a@b.c"} {
		if _, err := mailer.New(u, slog.Default()); err == nil {
			t.Errorf("%q accepted", u)
		}
	}
	if _, err := mailer.New("smtp://user:secretpw@host:0x?from=a@b.c", slog.Default()); err == nil || strings.Contains(err.Error(), "secretpw") {
		t.Errorf("bad port: %v", err)
	}
}
