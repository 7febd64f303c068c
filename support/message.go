package support

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cloudmart/cloudmart/engagement"
	"github.com/cloudmart/cloudmart/fault"
)

// Files on a thread follow the service orders' limits (engagement's): the
// same checks, so a file one thread takes the other takes too.
const (
	MaxBody        = engagement.MaxBody
	MaxAttachments = engagement.MaxAttachments
	MaxFileSize    = engagement.MaxFileSize
)

// Message is one entry of a ticket's thread.
type Message struct {
	ID           string
	TicketID     string
	Author       Role
	AuthorUserID string
	AuthorName   string // the author's display name, filled when the thread is read
	// Internal marks an operators' note: sellers never see it.
	Internal    bool
	Body        string
	Attachments []Attachment
	CreatedAt   time.Time
}

// Attachment is a file on a message; its bytes are in the blob store.
type Attachment struct {
	BlobKey     string
	Name        string // as uploaded
	Size        int64  // bytes
	ContentType string // judged by the bytes
}

// CheckMessage decides whether m may be added to t's thread: the ticket is
// not closed, the author is a seller or an operator, only an operator writes
// internal notes, and the message is a body of at most MaxBody characters or
// at least one file, with at most MaxAttachments well-formed files.
//
// Errors: InvalidState (error.ticket_closed); Forbidden (error.message_author,
// error.internal_note_operator); Invalid on "body" (error.message_empty,
// error.message_long) or "attachments…" (see CheckAttachments).
func CheckMessage(t Ticket, m Message) error {
	if t.State == Closed {
		return errClosed
	}
	switch m.Author {
	case Seller, Operator:
	default:
		return &fault.Error{Code: fault.Forbidden, MsgID: "error.message_author", Message: "only the seller or an operator may write here"}
	}
	if m.Internal && m.Author != Operator {
		return &fault.Error{Code: fault.Forbidden, MsgID: "error.internal_note_operator", Message: "only operators write internal notes"}
	}
	body := strings.TrimSpace(m.Body)
	if !utf8.ValidString(body) || utf8.RuneCountInString(body) > MaxBody {
		return fault.Field("body", "error.message_long", "write at most 4,000 characters")
	}
	if body == "" && len(m.Attachments) == 0 {
		return fault.Field("body", "error.message_empty", "write a message or attach a file")
	}
	return CheckAttachments("attachments", m.Attachments)
}

// CheckAttachments checks a message's files as a service order's are
// checked (engagement.CheckAttachments), naming errors by field.
func CheckAttachments(field string, files []Attachment) error {
	as := make([]engagement.Attachment, len(files))
	for i, f := range files {
		as[i] = engagement.Attachment{BlobKey: f.BlobKey, Name: f.Name, Size: f.Size, ContentType: f.ContentType}
	}
	return engagement.CheckAttachments(field, as)
}

// AfterMessage is the state t is in once m is added: a seller's answer to a
// ticket waiting on it puts it back in progress, and an operator's public
// answer to an open ticket starts it; anything else leaves the state.
func AfterMessage(t Ticket, m Message) State {
	switch {
	case m.Author == Seller && t.State == WaitingOnSeller:
		return InProgress
	case m.Author == Operator && !m.Internal && t.State == Open:
		return InProgress
	}
	return t.State
}

// Visible is the part of a thread the role sees: sellers never see internal
// notes.
func Visible(thread []Message, by Role) []Message {
	if by == Operator {
		return thread
	}
	out := make([]Message, 0, len(thread))
	for _, m := range thread {
		if !m.Internal {
			out = append(out, m)
		}
	}
	return out
}
