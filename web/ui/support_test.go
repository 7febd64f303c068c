package ui_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestSupportThroughTheUI: a seller opens an enablement ticket with a file
// (a refused form comes back with the reason); an operator finds it in the
// queue, assigns it to itself, writes an internal note and asks the seller;
// the seller never sees the note, answers (back in progress), and after the
// operator resolves it reopens it. Another seller finds nothing. Both
// languages show no message ids.
func TestSupportThroughTheUI(t *testing.T) {
	s := demoSite(t)
	seller := s.demoLogIn(t, "seller1@demo.test")
	want(t, seller.get("/seller/support"), http.StatusOK, "Technical support", `id="open-form"`, "Pricing per core or per instance")

	r := seller.postFiles("/seller/support", map[string]string{"kind": "enablement", "subject": " ", "body": "How?"})
	if r.Status != http.StatusBadRequest || !strings.Contains(fieldError(r.Body, "subject"), "subject of 1 to 200") {
		t.Fatalf("no subject: %d %q", r.Status, fieldError(r.Body, "subject"))
	}
	r = seller.postFiles("/seller/support", map[string]string{"kind": "enablement", "subject": "Metering the backup service", "body": "Which unit do we report?"},
		[2]string{"meter.log", "units=GB"})
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/seller/support/tkt_") {
		t.Fatalf("open: %d %q\n%s", r.Status, r.Location, r.Body)
	}
	sellerPage := strings.TrimSuffix(r.Location, "?done=open")
	id := strings.TrimPrefix(sellerPage, "/seller/support/")
	want(t, seller.get(r.Location), http.StatusOK, "Your ticket is open", "Which unit do we report?", "meter.log", `id="move-resolved"`)

	ops := s.demoLogIn(t, "ops@demo.test")
	opsPage := "/ops/support/" + id
	want(t, ops.get("/ops/support?assignee=none&state=open"), http.StatusOK, "Metering the backup service", "Help with monthly and yearly plans")
	wantNot(t, ops.get("/ops/support?assignee=me"), "Metering the backup service")
	want(t, ops.get(opsPage), http.StatusOK, `id="assign-form"`, `id="move-in_progress"`, "Lakeside Data")
	wantRedirect(t, ops.post(opsPage+"/assign", url.Values{"assignee_id": {s.world.Actor(t, "ops@demo.test", "cloudmart-demo").UserID}}), opsPage+"?done=assign")
	want(t, ops.get("/ops/support?assignee=me"), http.StatusOK, "Metering the backup service")
	wantRedirect(t, ops.postFiles(opsPage+"/messages", map[string]string{"body": "Their meter counts GiB, not GB.", "internal": "on"}, [2]string{"secret.txt", "internal"}),
		opsPage+"?done=message#thread")
	wantRedirect(t, ops.post(opsPage+"/state", url.Values{"state": {"in_progress"}}), opsPage+"?done=in_progress")
	wantRedirect(t, ops.post(opsPage+"/state", url.Values{"state": {"waiting_on_seller"}}), opsPage+"?done=waiting_on_seller")
	r = ops.post(opsPage+"/state", url.Values{"state": {"closed"}})
	want(t, r, http.StatusConflict, "not in a state that allows this")

	r = seller.get(sellerPage)
	want(t, r, http.StatusOK, "Waiting on seller", "Olivia Park")
	wantNot(t, r, "Their meter counts GiB", "secret.txt", `name="internal"`)
	if r := seller.post(sellerPage+"/state", url.Values{"state": {"in_progress"}}); r.Status != http.StatusForbidden {
		t.Errorf("the seller takes it back without answering: %d", r.Status)
	}
	wantRedirect(t, seller.postFiles(sellerPage+"/messages", map[string]string{"body": "We report GB."}), sellerPage+"?done=message#thread")
	want(t, seller.get(sellerPage), http.StatusOK, "In progress", "We report GB.")
	want(t, ops.get(opsPage), http.StatusOK, "Their meter counts GiB", "secret.txt", "Internal note")
	wantRedirect(t, ops.post(opsPage+"/state", url.Values{"state": {"resolved"}}), opsPage+"?done=resolved")
	want(t, seller.get(sellerPage), http.StatusOK, `id="move-in_progress"`, "Reopen", `id="sup-reopen-until"`)
	wantRedirect(t, seller.post(sellerPage+"/state", url.Values{"state": {"in_progress"}}), sellerPage+"?done=in_progress")

	// Another seller, a buyer: nothing to see.
	other := s.demoLogIn(t, "seller2@demo.test")
	if r := other.get(sellerPage); r.Status != http.StatusNotFound {
		t.Errorf("seller2 reads seller1's ticket: %d", r.Status)
	}
	wantNot(t, other.get("/seller/support"), "Metering the backup service")
	if r := seller.get(opsPage); r.Status != http.StatusNotFound && r.Status != http.StatusForbidden {
		t.Errorf("a seller on the operators' page: %d", r.Status)
	}
	buyer := s.demoLogIn(t, "telesales@demo.test")
	if r := buyer.get("/seller/support"); r.Status != http.StatusForbidden {
		t.Errorf("a buyer's support page: %d", r.Status)
	}

	for _, lang := range []string{"en", "zh-CN"} {
		seller.lang, ops.lang = lang, lang
		for _, c := range []struct {
			b    *browser
			path string
		}{{seller, "/seller/support"}, {seller, sellerPage}, {ops, "/ops/support"}, {ops, opsPage}} {
			r := c.b.get(c.path)
			if r.Status != http.StatusOK {
				t.Errorf("%s %s: %d", lang, c.path, r.Status)
			}
			for _, prefix := range []string{"sup.", "sup_", "error.", "nav."} {
				for _, at := range []string{">" + prefix, "\"" + prefix} {
					if i := strings.Index(r.Body, at); i >= 0 {
						t.Errorf("%s %s: a message id shows: %s", lang, c.path, r.Body[i:min(len(r.Body), i+60)])
					}
				}
			}
		}
	}
}
