package ui

import "net/http"

// lang remembers the language chosen with the switch (GET /lang?to=zh-CN&back=/path)
// and goes back to the page it was chosen on. A GET is enough: it changes only
// the visitor's own preference, and the switch stays a plain link.
func (s *server) lang(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if tag, ok := s.cat.supported(q.Get("to")); ok {
		http.SetCookie(w, &http.Cookie{
			Name: LangCookie, Value: tag.String(), Path: "/", MaxAge: 365 * 24 * 3600,
			HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil,
		})
	}
	redirect(w, r, localPath(q.Get("back"), "/"))
}
