package engagement_test

import (
	"strings"
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/engagement"
	"github.com/cloudmart/cloudmart/fault"
)

func TestMessageValidate(t *testing.T) {
	file := files[0]
	with := func(f func(*engagement.Attachment)) []engagement.Attachment {
		a := file
		f(&a)
		return []engagement.Attachment{a}
	}
	tests := []struct {
		name  string
		m     engagement.Message
		code  string // "" for valid
		field string
		msgID string
	}{
		{"buyer writes", engagement.Message{Author: engagement.Buyer, Body: "here are the credentials"}, "", "", ""},
		{"seller sends a file only", engagement.Message{Author: engagement.Seller, Attachments: files}, "", "", ""},
		{"operator writes", engagement.Message{Author: engagement.Operator, Body: "looking into it"}, "", "", ""},
		{"4000 characters", engagement.Message{Author: engagement.Buyer, Body: strings.Repeat("字", engagement.MaxBody)}, "", "", ""},
		{"five files", engagement.Message{Author: engagement.Buyer, Body: "x", Attachments: make5(file)}, "", "", ""},
		{"a delivery's deliverables", engagement.Message{Author: engagement.Seller, Action: engagement.Deliver, Body: "done",
			Attachments: with(func(a *engagement.Attachment) { a.Deliverable = true })}, "", "", ""},
		{"the system does not write", engagement.Message{Author: engagement.System, Body: "x"}, fault.Forbidden, "", "error.message_author"},
		{"nor a stranger", engagement.Message{Author: "", Body: "x"}, fault.Forbidden, "", "error.message_author"},
		{"empty", engagement.Message{Author: engagement.Buyer, Body: " \n "}, fault.Invalid, "body", "error.message_empty"},
		{"4001 characters", engagement.Message{Author: engagement.Buyer, Body: strings.Repeat("字", engagement.MaxBody+1)}, fault.Invalid, "body", "error.message_long"},
		{"not UTF-8", engagement.Message{Author: engagement.Buyer, Body: "\xff"}, fault.Invalid, "body", "error.message_long"},
		{"six files", engagement.Message{Author: engagement.Buyer, Attachments: append(make5(file), file)}, fault.Invalid, "attachments", "error.attachments_many"},
		{"a key that climbs out", engagement.Message{Author: engagement.Buyer, Attachments: with(func(a *engagement.Attachment) { a.BlobKey = "../etc/passwd" })},
			fault.Invalid, "attachments[0]", "error.blob_key"},
		{"no name", engagement.Message{Author: engagement.Buyer, Attachments: with(func(a *engagement.Attachment) { a.Name = "" })},
			fault.Invalid, "attachments[0].name", "error.file_name"},
		{"a name with a slash", engagement.Message{Author: engagement.Buyer, Attachments: with(func(a *engagement.Attachment) { a.Name = "a/b.pdf" })},
			fault.Invalid, "attachments[0].name", "error.file_name"},
		{"a name with a newline", engagement.Message{Author: engagement.Buyer, Attachments: with(func(a *engagement.Attachment) { a.Name = "a\nb.pdf" })},
			fault.Invalid, "attachments[0].name", "error.file_name"},
		{"a name too long", engagement.Message{Author: engagement.Buyer, Attachments: with(func(a *engagement.Attachment) { a.Name = strings.Repeat("a", 201) })},
			fault.Invalid, "attachments[0].name", "error.file_name"},
		{"empty file", engagement.Message{Author: engagement.Buyer, Attachments: with(func(a *engagement.Attachment) { a.Size = 0 })},
			fault.Invalid, "attachments[0].size", "error.file_empty"},
		{"file too large", engagement.Message{Author: engagement.Buyer, Attachments: with(func(a *engagement.Attachment) { a.Size = engagement.MaxFileSize + 1 })},
			fault.Invalid, "attachments[0].size", "error.attachment_size"},
		{"no content type", engagement.Message{Author: engagement.Buyer, Attachments: with(func(a *engagement.Attachment) { a.ContentType = "" })},
			fault.Invalid, "attachments[0].content_type", "error.content_type"},
		{"a deliverable in a plain message", engagement.Message{Author: engagement.Seller, Body: "x",
			Attachments: with(func(a *engagement.Attachment) { a.Deliverable = true })}, fault.Invalid, "attachments[0]", "error.deliverable_flag"},
		{"a deliverable from the buyer", engagement.Message{Author: engagement.Buyer, Action: engagement.Deliver, Body: "x",
			Attachments: with(func(a *engagement.Attachment) { a.Deliverable = true })}, fault.Invalid, "attachments[0]", "error.deliverable_flag"},
	}
	for _, tc := range tests {
		err := tc.m.Validate()
		if tc.code == "" {
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
			}
			continue
		}
		if fe := fault.As(err); fe == nil || fe.Code != tc.code || fe.Field != tc.field || fe.MsgID != tc.msgID {
			t.Errorf("%s: %v, want %s %s on %q", tc.name, err, tc.code, tc.msgID, tc.field)
		}
	}
}

func make5(a engagement.Attachment) []engagement.Attachment {
	out := make([]engagement.Attachment, 5)
	for i := range out {
		out[i] = a
	}
	return out
}

// TestThreadIsOpenUntilTheEnd: messages are taken from payment until the
// engagement ends, then the thread is read only.
func TestThreadIsOpenUntilTheEnd(t *testing.T) {
	m := engagement.Message{Author: engagement.Buyer, Body: "hello"}
	for _, s := range engagement.States {
		err := engagement.CheckMessage(at(t, s), m)
		if s.Final() != fault.Is(err, fault.InvalidState) || (!s.Final() && err != nil) {
			t.Errorf("%s: %v", s, err)
		}
	}
	if err := engagement.CheckMessage(awaiting(), engagement.Message{Author: engagement.Seller}); !fault.Is(err, fault.Invalid) {
		t.Errorf("an empty message: %v", err)
	}
}

// TestActionMessages: the steps with text are posted to the thread; a
// delivery's files become deliverables; the rest post nothing.
func TestActionMessages(t *testing.T) {
	e := at(t, engagement.InProgress)
	now := time.Date(2026, 3, 9, 10, 0, 0, 0, shanghai)
	m, ok := deliver.Message("msg_1", e, "usr_seller", now)
	want := engagement.Message{ID: "msg_1", EngagementID: e.ID, Author: engagement.Seller, AuthorUserID: "usr_seller", Action: engagement.Deliver,
		Body: "migration done, report attached", CreatedAt: now.UTC()}
	if !ok || len(m.Attachments) != 1 || !m.Attachments[0].Deliverable || m.Attachments[0].BlobKey != files[0].BlobKey {
		t.Fatalf("delivery message %+v %v", m, ok)
	}
	if files[0].Deliverable {
		t.Fatal("the action's files were changed")
	}
	if err := m.Validate(); err != nil {
		t.Fatalf("the delivery message is invalid: %v", err)
	}
	m.Attachments = nil
	if m.ID != want.ID || m.EngagementID != want.EngagementID || m.Author != want.Author || m.AuthorUserID != want.AuthorUserID ||
		m.Action != want.Action || m.Body != want.Body || !m.CreatedAt.Equal(want.CreatedAt) || m.CreatedAt.Location() != time.UTC {
		t.Fatalf("delivery message %+v", m)
	}
	for _, a := range []engagement.Action{decline, dispute, resolve(10)} {
		if m, ok := a.Message("msg_2", e, "usr", now); !ok || m.Body != a.Note || m.Action != a.Kind || m.Author != a.By || m.Validate() != nil {
			t.Errorf("%s: %+v %v", a.Kind, m, ok)
		}
	}
	for _, a := range []engagement.Action{accept, cancel, confirm, expire, autoOK} {
		if _, ok := a.Message("msg_3", e, "usr", now); ok {
			t.Errorf("%s posts a message", a.Kind)
		}
	}
	thread := []engagement.Message{{Attachments: files}, {Attachments: []engagement.Attachment{{Name: "a", Deliverable: true}, {Name: "b"}}}}
	if d := engagement.Deliverables(thread); len(d) != 1 || d[0].Name != "a" {
		t.Errorf("Deliverables = %+v", d)
	}
}
