package engagement

import (
	"fmt"
	"mime"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/fault"
)

// Limits on the thread.
const (
	MaxBody        = 4000     // characters (runes) of a message, a note or a reason
	MaxAttachments = 5        // files on one message (deliverables of one delivery)
	MaxFileName    = 200      // characters of a file's name
	MaxFileSize    = 50 << 20 // bytes of one file: 50 MiB
	MaxMessages    = 1000     // messages of one engagement, so one thread cannot fill the disk
)

// Message is one entry of an engagement's thread between buyer and seller
// (an operator may write too). Steps taken with a text (a delivery, a
// dispute …) are in the thread as messages too, with the step in Action.
type Message struct {
	ID           string
	EngagementID string
	Author       Role   // buyer, seller or operator
	AuthorUserID string // the person who wrote it
	// Action is the step the message records ("" for an ordinary message).
	Action      Kind
	Body        string
	Attachments []Attachment
	CreatedAt   time.Time
}

// Attachment is a file on a message; its bytes are in the blob store.
type Attachment struct {
	BlobKey     string
	Name        string // as uploaded
	Size        int64  // bytes
	ContentType string
	// Deliverable marks the files a delivery hands over (the work itself,
	// not a file exchanged while working).
	Deliverable bool
}

// Deliverables are the files the messages' deliveries handed over, oldest first.
func Deliverables(thread []Message) []Attachment {
	var out []Attachment
	for _, m := range thread {
		for _, a := range m.Attachments {
			if a.Deliverable {
				out = append(out, a)
			}
		}
	}
	return out
}

// open says in which states the thread takes messages: from payment (the
// buyer may explain the job before the seller accepts) until the engagement
// ends. A final engagement's thread is kept, read only.
func open(s State) bool { return s != "" && !s.Final() }

// CheckMessage decides whether m may be added to e's thread: the thread is
// open, the author is the buyer, the seller or an operator, and the message
// is well formed (see Validate). The caller decides m.Author from who the
// person is (Engagement.RoleOf, or an operator).
//
// Errors: InvalidState (error.thread_closed) once the engagement has ended;
// those of Validate.
func CheckMessage(e Engagement, m Message) error {
	if !open(e.State) {
		return &fault.Error{Code: fault.InvalidState, MsgID: "error.thread_closed", Message: "this service order has ended: its messages can only be read"}
	}
	return m.Validate()
}

// Validate checks a message's shape: an author who writes (not the system),
// a body of at most MaxBody characters or at least one file, at most
// MaxAttachments files, each well formed (CheckAttachments); deliverables only
// on the seller's delivery.
//
// Errors: Forbidden (error.message_author) for an author who may not write;
// Invalid on "body" (error.message_empty, error.message_long), on
// "attachments" and "attachments[i]…" (see CheckAttachments, and
// error.deliverable_flag).
func (m Message) Validate() error {
	switch m.Author {
	case Buyer, Seller, Operator:
	default:
		return &fault.Error{Code: fault.Forbidden, MsgID: "error.message_author", Message: "only the buyer, the seller or an operator may write here"}
	}
	body := strings.TrimSpace(m.Body)
	if !utf8.ValidString(body) || utf8.RuneCountInString(body) > MaxBody {
		return fault.Field("body", "error.message_long", "write at most 4,000 characters")
	}
	if body == "" && len(m.Attachments) == 0 {
		return fault.Field("body", "error.message_empty", "write a message or attach a file")
	}
	if err := CheckAttachments("attachments", m.Attachments); err != nil {
		return err
	}
	for i, a := range m.Attachments {
		if a.Deliverable && (m.Author != Seller || m.Action != Deliver) {
			return fault.Field(fmt.Sprintf("attachments[%d]", i), "error.deliverable_flag", "only a delivery hands over deliverables")
		}
	}
	return nil
}

// CheckAttachments checks the files of a message or a delivery, field naming
// them in errors: at most MaxAttachments; each with a blob key, a name of 1 to
// MaxFileName characters without slashes or control characters, a size of 1
// byte to MaxFileSize, and a content type that parses as a media type.
//
// Errors: Invalid on field (error.attachments_many), on field[i]
// (error.blob_key), field[i].name (error.file_name), field[i].size
// (error.file_empty, error.attachment_size), field[i].content_type
// (error.content_type).
func CheckAttachments(field string, files []Attachment) error {
	if len(files) > MaxAttachments {
		return fault.Field(field, "error.attachments_many", "attach at most 5 files")
	}
	for i, a := range files {
		at := fmt.Sprintf("%s[%d]", field, i)
		if err := catalog.CheckBlobKey(at, a.BlobKey); err != nil {
			return err
		}
		if n := utf8.RuneCountInString(a.Name); n < 1 || n > MaxFileName || !utf8.ValidString(a.Name) ||
			strings.ContainsAny(a.Name, "/\\") || strings.IndexFunc(a.Name, unicode.IsControl) >= 0 {
			return fault.Field(at+".name", "error.file_name", "the file name must be 1 to 200 characters, without slashes")
		}
		if a.Size <= 0 {
			return fault.Field(at+".size", "error.file_empty", "the file is empty: choose it again")
		}
		if a.Size > MaxFileSize {
			return fault.Field(at+".size", "error.attachment_size", "attach files of at most 50 MB")
		}
		if _, _, err := mime.ParseMediaType(a.ContentType); err != nil {
			return fault.Field(at+".content_type", "error.content_type", "the file's type is not known: upload it again")
		}
	}
	return nil
}

// Message is the thread entry that records the action taken on e (the
// delivery with its note and deliverables, the reason for a decline or a
// dispute, the operator's resolution), written by userID; false for an
// action without text (an acceptance, a confirmation, the system's steps).
func (a Action) Message(id string, e Engagement, userID string, at time.Time) (Message, bool) {
	body := strings.TrimSpace(a.Note)
	if a.By == System || (body == "" && len(a.Files) == 0) {
		return Message{}, false
	}
	m := Message{ID: id, EngagementID: e.ID, Author: a.By, AuthorUserID: userID, Action: a.Kind, Body: body, CreatedAt: at.UTC()}
	for _, f := range a.Files {
		f.Deliverable = a.Kind == Deliver
		m.Attachments = append(m.Attachments, f)
	}
	return m, true
}
