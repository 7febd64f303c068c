// Package notice describes what cloudmart tells a user: an in-app notification,
// in English and Chinese, also sent by email.
package notice

import "time"

// Notification is one message to one user.
type Notification struct {
	ID        string
	UserID    string
	Kind      string // what happened, e.g. "application.approved"
	TitleEN   string
	TitleZH   string
	BodyEN    string
	BodyZH    string
	Link      string // a path in the web UI, e.g. "/seller/application"
	CreatedAt time.Time
	ReadAt    time.Time // zero while unread
}

// MailSubject is the subject of the notification's email: both languages, as
// cloudmart does not know which one the reader prefers.
func (n Notification) MailSubject() string {
	if n.TitleZH == "" || n.TitleZH == n.TitleEN {
		return "cloudmart: " + n.TitleEN
	}
	return "cloudmart: " + n.TitleEN + " / " + n.TitleZH
}

// MailText is the body of the notification's email.
func (n Notification) MailText(baseURL string) string {
	text := n.BodyEN + "\n\n" + n.BodyZH + "\n"
	if n.Link != "" {
		text += "\n" + baseURL + n.Link + "\n"
	}
	return text
}
