package ui

import (
	"net/http"

	"github.com/cloudmart/cloudmart/fault"
)

// notFound is the page for every address that is no page.
func (s *server) notFound(w http.ResponseWriter, r *http.Request, p *page) {
	s.fail(w, r, p, &fault.Error{Code: fault.NotFound, MsgID: "error.page_not_found", Message: "no such page"})
}

// forbidden is the error for a signed-in visitor who may not see a page.
var forbidden = &fault.Error{Code: fault.Forbidden, MsgID: "error.forbidden", Message: "you may not do this"}
