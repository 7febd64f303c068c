package ui_test

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/cloudmart/cloudmart/delivery"
	"github.com/cloudmart/cloudmart/demo"
	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/order"
)

// postFiles sends a multipart form as a browser does: the text fields, then
// the files of the input "files" (name → content).
func (b *browser) postFiles(path string, fields map[string]string, files ...[2]string) response {
	b.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		_ = mw.WriteField(k, v)
	}
	if len(files) == 0 { // an input left empty still sends a part
		fw, _ := mw.CreateFormFile("files", "")
		_, _ = fw.Write(nil)
	}
	for _, f := range files {
		fw, _ := mw.CreateFormFile("files", f[0])
		_, _ = fw.Write([]byte(f[1]))
	}
	_ = mw.Close()
	req, err := http.NewRequest(http.MethodPost, b.site.srv.URL+path, &body)
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res, err := b.hc.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	return response{Status: res.StatusCode, Body: string(out), Location: res.Header.Get("Location"), Header: res.Header}
}

// wantRedirect checks a form post answered with a redirect to the address.
func wantRedirect(t *testing.T, r response, to string) {
	t.Helper()
	if r.Status != http.StatusSeeOther || r.Location != to {
		t.Fatalf("answer %d %q, want a redirect to %q\n%s", r.Status, r.Location, to, r.Body)
	}
}

// TestServiceOrdersThroughTheUI: a buyer's professional service becomes a
// service order with its page for the buyer, the seller and operators; they
// write to each other with files; the seller refuses nothing by mistake
// (forms come back with the reason), accepts and delivers; the buyer
// disputes; an operator resolves from the dispute queue with a partial
// refund. Nobody else sees it.
func TestServiceOrdersThroughTheUI(t *testing.T) {
	s := demoSite(t)
	ctx := context.Background()
	product := s.demoProduct(t, "seller3@demo.test", "Middleware installation") // ¥5,000.00
	me := s.world.Actor(t, "telesales@demo.test", demo.Password)
	ops := s.world.Actor(t, "ops@demo.test", demo.Password)
	o, _, err := s.svc.PlaceOrder(ctx, me, market.OrderRequest{OrgID: me.Memberships[0].OrgID,
		Lines: []order.LineRequest{{ProductID: product, Plan: "fixed", Region: "cn-east-3"}}})
	if err != nil {
		t.Fatal(err)
	}
	ds, err := s.svc.Deliveries(ctx, ops, o.ID)
	if err != nil || len(ds) != 1 || ds[0].Action != delivery.Open {
		t.Fatalf("deliveries %+v %v", ds, err)
	}
	if err := s.svc.Deliver(ctx, ds[0].ID); err != nil {
		t.Fatal(err)
	}
	e, ok, err := s.svc.EngagementOfLine(ctx, me, o.ID, 1)
	if err != nil || !ok {
		t.Fatalf("no service order: %v", err)
	}
	start := s.balanceOf(t, me)

	buyer := s.demoLogIn(t, "telesales@demo.test")
	page := "/service-orders/" + e.ID
	want(t, buyer.get("/service-orders"), http.StatusOK, "My service orders", "Middleware installation", "Awaiting acceptance", `href="`+page+`"`)
	want(t, buyer.get("/orders/"+o.ID), http.StatusOK, `href="`+page+`"`, "Line 1: Middleware installation")
	r := buyer.get(page)
	want(t, r, http.StatusOK, "The seller has until", `id="cancel-form"`, `id="message-form"`, "Asia/Shanghai")
	wantNot(t, r, `id="accept-form"`, `id="confirm-form"`)

	// The buyer explains the job with a file; the seller reads it.
	wantRedirect(t, buyer.postFiles(page+"/messages", map[string]string{"body": "Kafka on three hosts, please."}, [2]string{"hosts.txt", "10.0.0.1\n10.0.0.2\n10.0.0.3\n"}),
		page+"?done=message#thread")
	seller := s.demoLogIn(t, "seller3@demo.test")
	sellerPage := "/seller/service-orders/" + e.ID
	want(t, seller.get("/seller/service-orders"), http.StatusOK, "Middleware installation", `href="`+sellerPage+`"`)
	r = seller.get(sellerPage)
	want(t, r, http.StatusOK, "Kafka on three hosts, please.", "hosts.txt", `id="accept-form"`, `id="decline-form"`)
	file := regexpFind(t, r.Body, `href="(`+sellerPage+`/files/[^"]+)"`)
	if got := seller.get(file); got.Status != http.StatusOK || got.Body != "10.0.0.1\n10.0.0.2\n10.0.0.3\n" ||
		!strings.HasPrefix(got.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("download %d %v", got.Status, got.Header)
	}

	// Refused forms come back with the reason; then accepted and delivered.
	r = seller.post(sellerPage+"/decline", url.Values{"reason": {" "}})
	if r.Status != http.StatusBadRequest || !strings.Contains(fieldError(r.Body, "reason"), "Say why") {
		t.Fatalf("decline without a reason: %d %q", r.Status, fieldError(r.Body, "reason"))
	}
	wantRedirect(t, seller.post(sellerPage+"/accept", nil), sellerPage+"?done=accept")
	want(t, seller.get(sellerPage+"?done=accept"), http.StatusOK, "Accepted. The buyer has been told.", `id="deliver-form"`)
	r = seller.postFiles(sellerPage+"/deliver", map[string]string{"note": "Installed and tuned."})
	want(t, r, http.StatusBadRequest, "Attach at least one deliverable.")
	wantRedirect(t, seller.postFiles(sellerPage+"/deliver", map[string]string{"note": "Installed and tuned."}, [2]string{"runbook.md", "# Runbook"}),
		sellerPage+"?done=deliver")

	// The buyer disputes (a reason first); an operator resolves from the queue.
	r = buyer.get(page)
	want(t, r, http.StatusOK, `id="deliverables"`, "runbook.md", `id="confirm-form"`, `id="dispute-form"`)
	r = buyer.post(page+"/dispute", url.Values{"reason": {""}})
	want(t, r, http.StatusBadRequest)
	wantRedirect(t, buyer.post(page+"/dispute", url.Values{"reason": {"Only two hosts were set up."}}), page+"?done=dispute")
	opsB := s.demoLogIn(t, "ops@demo.test")
	opsPage := "/ops/service-orders/" + e.ID
	want(t, opsB.get("/ops/service-orders"), http.StatusOK, "Disputed", `href="`+opsPage+`"`)
	want(t, opsB.get(opsPage), http.StatusOK, "Only two hosts were set up.", `id="resolve-form"`)
	r = opsB.post(opsPage+"/resolve", url.Values{"refund": {"12.345"}, "note": {"One host of three missing."}})
	if r.Status != http.StatusBadRequest || fieldError(r.Body, "refund") == "" {
		t.Fatalf("a bad amount: %d %q", r.Status, fieldError(r.Body, "refund"))
	}
	wantRedirect(t, opsB.post(opsPage+"/resolve", url.Values{"refund": {"1000.00"}, "note": {"One host of three missing."}}), opsPage+"?done=resolve")
	want(t, buyer.get(page), http.StatusOK, "Partly refunded", "One host of three missing.", "This service order has ended")
	if got, _ := start.Add(money.New(100000, money.CNY)); s.balanceOf(t, me) != got {
		t.Fatalf("balance %v, want %v", s.balanceOf(t, me), got)
	}
	for _, b := range []struct {
		b    *browser
		path string
	}{{buyer, page}, {buyer, "/service-orders"}, {seller, sellerPage}, {seller, "/seller/service-orders"}, {opsB, opsPage}, {opsB, "/ops/service-orders?state=all"}} {
		noMissingMessages(t, b.b, b.path, "svc.", "svc_state.")
	}

	// Nobody else: not found.
	want(t, s.demoLogIn(t, "direct@demo.test").get(page), http.StatusNotFound)
	other := s.demoLogIn(t, "seller1@demo.test")
	want(t, other.get("/seller/service-orders/"+e.ID), http.StatusNotFound)
	want(t, other.get(file), http.StatusNotFound)
	wantNot(t, other.get("/seller/service-orders"), "Middleware installation")
}
