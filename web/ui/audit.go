package ui

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/audit"
	"github.com/cloudmart/cloudmart/fault"
)

// auditPage is how many entries one page of the audit log shows.
const auditPage = 50

var auditFields = []string{"action", "object_type", "object_id", "actor", "since", "until"}

// auditView is one page of the audit log.
type auditView struct {
	Entries []auditRow
	Older   string // the address of the next older page; "" on the last
	Newest  string // the address of the first page, when this is a later one
}

// auditRow is an entry with what changed, ready to show.
type auditRow struct {
	audit.Entry
	Changes []fieldChange
}

// fieldChange is one field of an entry's before and after ("" when absent).
type fieldChange struct{ Key, Before, After string }

// audit shows the audit log to operators, newest first, filtered by the GET
// form above it and paged back with "before".
func (s *server) audit(w http.ResponseWriter, r *http.Request, p *page) {
	if !account.Can(p.Actor, account.ReadAudit, account.Resource{}) {
		s.fail(w, r, p, forbidden)
		return
	}
	p.Title = "audit.title"
	p.Form = newForm("audit", r, auditFields...)
	q := r.URL.Query()
	f, err := auditFilter(q)
	if err != nil {
		s.refill(w, r, p, err, func(status int) {
			p.Data = auditView{}
			s.render(w, r, p, status, "audit")
		})
		return
	}
	entries, err := s.svc.Audit(r.Context(), p.Actor, f)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	var v auditView
	if len(entries) > auditPage {
		entries = entries[:auditPage]
		q.Set("before", entries[auditPage-1].ID)
		v.Older = "/ops/audit?" + q.Encode()
	}
	if f.Before != "" {
		q.Del("before")
		v.Newest = "/ops/audit?" + q.Encode()
	}
	for _, e := range entries {
		v.Entries = append(v.Entries, auditRow{Entry: e, Changes: changes(e.Before, e.After)})
	}
	p.Data = v
	s.render(w, r, p, http.StatusOK, "audit")
}

// auditFilter reads the filter form. Dates are days in UTC, both included.
//
// Errors: Invalid on "since" or "until".
func auditFilter(q url.Values) (audit.Filter, error) {
	f := audit.Filter{
		Action:      strings.TrimSpace(q.Get("action")),
		ObjectType:  strings.TrimSpace(q.Get("object_type")),
		ObjectID:    strings.TrimSpace(q.Get("object_id")),
		ActorUserID: strings.TrimSpace(q.Get("actor")),
		Before:      q.Get("before"),
		Limit:       auditPage + 1, // one more tells whether there is an older page
	}
	var err error
	f.Since, f.Until, err = dayRange(q)
	return f, err
}

// changes lists the fields of an entry's before and after snapshots, sorted.
// A snapshot that is not a JSON object shows whole, under no key.
func changes(before, after json.RawMessage) []fieldChange {
	b, bok := fields(before)
	a, aok := fields(after)
	if !bok || !aok {
		return []fieldChange{{Before: compact(before), After: compact(after)}}
	}
	var keys []string
	for k := range b {
		keys = append(keys, k)
	}
	for k := range a {
		if _, seen := b[k]; !seen {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	out := make([]fieldChange, 0, len(keys))
	for _, k := range keys {
		out = append(out, fieldChange{Key: k, Before: value(b[k]), After: value(a[k])})
	}
	return out
}

// fields reads a snapshot as an object; an empty snapshot is an empty object.
func fields(raw json.RawMessage) (map[string]json.RawMessage, bool) {
	m := map[string]json.RawMessage{}
	if len(raw) == 0 {
		return m, true
	}
	return m, json.Unmarshal(raw, &m) == nil
}

// value shows a JSON value: a string without its quotes, anything else as JSON.
func value(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return compact(raw)
}

func compact(raw json.RawMessage) string {
	var b bytes.Buffer
	if len(raw) == 0 || json.Compact(&b, raw) != nil {
		return string(raw)
	}
	return b.String()
}

// dayRange reads the "since" and "until" fields of a filter form: days
// (YYYY-MM-DD) in UTC, both included, so until is the start of the day after.
// Either may be empty (zero).
//
// Errors: Invalid on "since" or "until".
func dayRange(q url.Values) (since, until time.Time, err error) {
	for _, d := range []struct {
		field string
		to    *time.Time
		shift time.Duration
	}{{"since", &since, 0}, {"until", &until, 24 * time.Hour}} {
		s := strings.TrimSpace(q.Get(d.field))
		if s == "" {
			continue
		}
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			return since, until, fault.Field(d.field, "error.date", "enter a date as YYYY-MM-DD")
		}
		*d.to = t.Add(d.shift)
	}
	return since, until, nil
}
