package api_test

import (
	"net/http"
	"testing"

	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/store/storetest"
)

// apiTicket is the part of a ticket the tests read.
type apiTicket struct {
	ID, State  string
	AssigneeID string `json:"assignee_id"`
	Moves      []string
	Thread     []struct {
		ID       string
		Internal bool
		Body     string
		Files    []struct{ URL, Name string }
	}
}

// openTicket opens a ticket as the seller with one file and returns it.
func (w *world) openTicket(t *testing.T, token, subject string) apiTicket {
	t.Helper()
	body, h := serviceForm(map[string]string{"kind": "enablement", "subject": subject, "body": "How do we start?"}, [2]string{"trace.log", "GET /x 500"})
	var tk apiTicket
	w.send("POST", "/api/v1/support/tickets", token, body, h).must(t, 201, "open ticket").decode(t, &tk)
	return tk
}

func TestSupportAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		w := newWorld(t, st)
		seller, ops := w.login("seller1@demo.test"), w.login("ops@demo.test")
		tk := w.openTicket(t, seller, "Usage reporting")
		if tk.State != "open" || len(tk.Thread) != 1 || len(tk.Thread[0].Files) != 1 {
			t.Fatalf("opened %+v", tk)
		}
		// An internal note (multipart internal=true) and a public answer.
		body, h := serviceForm(map[string]string{"body": "check their meter", "internal": "true"}, [2]string{"note.txt", "internal"})
		var note struct {
			Internal bool
			Files    []struct{ URL string }
		}
		w.send("POST", "/api/v1/support/tickets/"+tk.ID+"/messages", ops, body, h).must(t, 201, "note").decode(t, &note)
		if !note.Internal || len(note.Files) != 1 {
			t.Fatalf("note %+v", note)
		}
		body, h = serviceForm(map[string]string{"body": "Send one day of records."})
		w.send("POST", "/api/v1/support/tickets/"+tk.ID+"/messages", ops, body, h).must(t, 201, "answer")
		w.do("GET", note.Files[0].URL, seller, nil).must(t, 404, "the seller reads the note's file")
		w.do("GET", note.Files[0].URL, ops, nil).must(t, 200, "the operator reads the note's file")

		var mine, theirs apiTicket
		w.do("GET", "/api/v1/support/tickets/"+tk.ID, seller, nil).must(t, 200, "seller's view").decode(t, &mine)
		w.do("GET", "/api/v1/support/tickets/"+tk.ID, ops, nil).must(t, 200, "operator's view").decode(t, &theirs)
		if len(mine.Thread) != 2 || len(theirs.Thread) != 3 || mine.State != "in_progress" {
			t.Fatalf("seller sees %d messages (%s), operator %d", len(mine.Thread), mine.State, len(theirs.Thread))
		}
		// Assign to an operator; a seller is no assignee; move and reopen.
		var me, sellerMe struct{ User struct{ ID string } }
		w.do("GET", "/api/v1/me", ops, nil).must(t, 200, "me").decode(t, &me)
		w.do("GET", "/api/v1/me", seller, nil).must(t, 200, "me").decode(t, &sellerMe)
		w.do("POST", "/api/v1/support/tickets/"+tk.ID+"/assign", ops, map[string]string{"assignee_id": sellerMe.User.ID}).must(t, 400, "a seller assigned")
		w.do("POST", "/api/v1/support/tickets/"+tk.ID+"/assign", ops, map[string]string{"assignee_id": me.User.ID}).must(t, 200, "assign")
		var queue struct{ Tickets []apiTicket }
		w.do("GET", "/api/v1/support/tickets?assignee=me&state=in_progress", ops, nil).must(t, 200, "my queue").decode(t, &queue)
		found := false
		for _, q := range queue.Tickets {
			found = found || q.ID == tk.ID
			if q.AssigneeID != me.User.ID || q.State != "in_progress" {
				t.Errorf("in my queue: %+v", q)
			}
		}
		if !found {
			t.Errorf("my queue %+v", queue.Tickets)
		}
		w.do("POST", "/api/v1/support/tickets/"+tk.ID+"/state", seller, map[string]string{"state": "waiting_on_seller"}).must(t, 403, "seller makes it wait")
		w.do("POST", "/api/v1/support/tickets/"+tk.ID+"/state", ops, map[string]string{"state": "closed"}).must(t, 409, "close in progress")
		w.do("POST", "/api/v1/support/tickets/"+tk.ID+"/state", seller, map[string]string{"state": "resolved"}).must(t, 200, "seller resolves")
		var reopened apiTicket
		w.do("POST", "/api/v1/support/tickets/"+tk.ID+"/state", seller, map[string]string{"state": "in_progress"}).must(t, 200, "reopen").decode(t, &reopened)
		if reopened.State != "in_progress" || reopened.AssigneeID != me.User.ID {
			t.Errorf("reopened %+v", reopened)
		}
	})
}

// supportMatrix is the access matrix of support tickets: a seller's people
// see and answer only their company's tickets, never the operators' notes
// or their files; only approved sellers open tickets; operators see all and
// alone assign. Bluepeak (seller2) opens the ticket the matrix's seller,
// Lakeside, must not see.
func supportMatrix(t *testing.T, w *world, tokens map[string]string) []access {
	t.Helper()
	ops := tokens["operator"]
	bluepeak := w.openTicket(t, w.login("seller2@demo.test"), "Matrix scanner onboarding")
	lakeside := w.openTicket(t, tokens["seller"], "Matrix backup question")
	body, h := serviceForm(map[string]string{"body": "internal", "internal": "true"}, [2]string{"note.txt", "internal"})
	var note struct{ Files []struct{ URL string } }
	w.send("POST", "/api/v1/support/tickets/"+lakeside.ID+"/messages", ops, body, h).must(t, 201, "note").decode(t, &note)

	// Opening is multipart: checked here for every role.
	want := map[string]int{"anon": 401, "buyer": 403, "other buyer": 403, "seller": 201, "operator": 403, "account manager": 403,
		"partner": 403, "applicant": 403}
	for _, r := range roles {
		body, h := serviceForm(map[string]string{"kind": "consulting", "subject": "Matrix " + r.name, "body": "?"})
		if got := w.send("POST", "/api/v1/support/tickets", tokens[r.name], body, h); got.status != want[r.name] {
			t.Errorf("POST /api/v1/support/tickets as %s: %d, want %d: %s", r.name, got.status, want[r.name], got.raw)
		}
	}
	only := func(status int, who ...string) map[string]int {
		want := everyone(404)
		for _, r := range who {
			want[r] = status
		}
		return want
	}
	lists := everyone(403)
	lists["seller"], lists["operator"], lists["applicant"] = 200, 200, 200
	theirs, mine := "/api/v1/support/tickets/"+bluepeak.ID, "/api/v1/support/tickets/"+lakeside.ID
	return []access{
		{"GET", "/api/v1/support/tickets", nil, lists},
		{"GET", "/api/v1/support/tickets?assignee=none&state=open", nil, lists},
		{"GET", theirs, nil, only(200, "operator")},
		{"GET", bluepeak.Thread[0].Files[0].URL, nil, only(200, "operator")},
		{"GET", mine, nil, only(200, "seller", "operator")},
		{"GET", lakeside.Thread[0].Files[0].URL, nil, only(200, "seller", "operator")},
		{"GET", note.Files[0].URL, nil, only(200, "operator")},
		{"GET", "/api/v1/support/tickets/tkt_nothing", nil, only(404)},
		{"POST", theirs + "/messages", fileUpload{"", "x.txt", "x"}, only(400, "operator")},
		{"POST", theirs + "/assign", map[string]string{"assignee_id": ""}, set403(only(200, "operator"))},
		{"POST", theirs + "/state", map[string]string{"state": "waiting_on_seller"}, only(409, "operator")},
		{"POST", mine + "/state", map[string]string{"state": "closed"}, only(409, "seller", "operator")},
	}
}

// set403 is 403 for everyone signed in but those with another status than 404.
func set403(want map[string]int) map[string]int {
	for r, s := range want {
		if s == http.StatusNotFound {
			want[r] = http.StatusForbidden
		}
	}
	return want
}
