package ui

import (
	"net/http"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/notice"
)

// notificationsView is the signed-in user's notifications, newest first.
type notificationsView struct {
	List   []notice.Notification
	Unread int
}

// notifications lists what cloudmart told the user, in the page's language.
func (s *server) notifications(w http.ResponseWriter, r *http.Request, p *page) {
	list, unread, err := s.svc.Notifications(r.Context(), p.Actor)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	for i := range list {
		list[i].Link = localPath(list[i].Link, "") // only ever a page of this site
	}
	p.Title, p.Data = "notifications.title", notificationsView{List: list, Unread: unread}
	s.render(w, r, p, http.StatusOK, "notifications")
}

// notificationsRead marks one notification read, or all of them when the
// address names none, and goes back to the list.
func (s *server) notificationsRead(w http.ResponseWriter, r *http.Request, p *page) {
	if err := s.svc.MarkRead(r.Context(), p.Actor, r.PathValue("id")); err != nil {
		s.fail(w, r, p, err)
		return
	}
	redirect(w, r, "/notifications")
}

// unread counts the actor's unread notifications for the header. A failure
// is logged and shows no count: the page itself is not about them.
func (s *server) unread(r *http.Request, actor account.Actor) int {
	n, err := s.svc.UnreadCount(r.Context(), actor)
	if err != nil {
		s.log.WarnContext(r.Context(), "ui: unread notifications", "err", err)
		return 0
	}
	return n
}
