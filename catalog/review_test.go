package catalog_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/fault"
)

const (
	bySeller   = false
	byOperator = true
)

func TestNext(t *testing.T) {
	tests := []struct {
		from       catalog.State
		step       catalog.Step
		byOperator bool
		reason     string
		want       catalog.State
		code       string
	}{
		// Every allowed move.
		{catalog.Draft, catalog.Submit, bySeller, "", catalog.InReview, ""},
		{catalog.Rejected, catalog.Submit, bySeller, "", catalog.InReview, ""},
		{catalog.Delisted, catalog.Submit, bySeller, "", catalog.InReview, ""}, // relist
		{catalog.InReview, catalog.Approve, byOperator, "", catalog.Published, ""},
		{catalog.InReview, catalog.Reject, byOperator, "no Chinese screenshots", catalog.Rejected, ""},
		{catalog.Published, catalog.Delist, bySeller, "", catalog.Delisted, ""},
		{catalog.Published, catalog.Delist, bySeller, "end of life", catalog.Delisted, ""},
		{catalog.Published, catalog.Delist, byOperator, "licence dispute", catalog.Delisted, ""},
		// Reasons.
		{catalog.InReview, catalog.Reject, byOperator, "", catalog.InReview, fault.Invalid},
		{catalog.Published, catalog.Delist, byOperator, "  ", catalog.Published, fault.Invalid},
		{catalog.InReview, catalog.Reject, byOperator, strings.Repeat("很", catalog.MaxReason+1), catalog.InReview, fault.Invalid},
		// Who.
		{catalog.InReview, catalog.Approve, bySeller, "", catalog.InReview, fault.Forbidden},
		{catalog.InReview, catalog.Reject, bySeller, "mine is bad", catalog.InReview, fault.Forbidden},
		{catalog.Draft, catalog.Submit, byOperator, "", catalog.Draft, fault.Forbidden},
		// From where.
		{catalog.Draft, catalog.Approve, byOperator, "", catalog.Draft, fault.InvalidState},
		{catalog.Draft, catalog.Delist, bySeller, "", catalog.Draft, fault.InvalidState},
		{catalog.InReview, catalog.Submit, bySeller, "", catalog.InReview, fault.InvalidState},
		{catalog.Published, catalog.Submit, bySeller, "", catalog.Published, fault.InvalidState},
		{catalog.Published, catalog.Approve, byOperator, "", catalog.Published, fault.InvalidState},
		{catalog.Rejected, catalog.Approve, byOperator, "", catalog.Rejected, fault.InvalidState},
		{catalog.Delisted, catalog.Delist, bySeller, "", catalog.Delisted, fault.InvalidState},
		{catalog.Delisted, catalog.Approve, byOperator, "", catalog.Delisted, fault.InvalidState},
		{catalog.Superseded, catalog.Submit, bySeller, "", catalog.Superseded, fault.InvalidState},
		{"", catalog.Delist, byOperator, "fraud", "", fault.InvalidState},
		{catalog.Draft, "publish", bySeller, "", catalog.Draft, fault.Invalid},
	}
	for _, tc := range tests {
		got, err := catalog.Next(tc.from, tc.step, tc.byOperator, tc.reason)
		if got != tc.want || fault.Code(err) != tc.code {
			t.Errorf("Next(%s, %s, operator %v, %.20q) = %s, %v; want %s, %q", tc.from, tc.step, tc.byOperator, tc.reason, got, err, tc.want, tc.code)
		}
	}

	_, err := catalog.Next(catalog.InReview, catalog.Reject, byOperator, "")
	if e := fault.As(err); e == nil || e.Field != "reason" || e.MsgID != "error.reason_required" {
		t.Errorf("reject without a reason: %#v", e)
	}
	_, err = catalog.Next(catalog.InReview, catalog.Approve, bySeller, "")
	if e := fault.As(err); e == nil || e.MsgID != "error.step_actor" || e.Message != "only an operator can approve a listing" {
		t.Errorf("seller approves: %#v", e)
	}
	_, err = catalog.Next(catalog.Draft, catalog.Approve, byOperator, "")
	if e := fault.As(err); e == nil || e.MsgID != "error.step_state" || e.Message != "a listing that is a draft cannot be approved" {
		t.Errorf("approve a draft: %#v", e)
	}
}

func TestEditable(t *testing.T) {
	for _, s := range catalog.States {
		want := s == catalog.Draft || s == catalog.Rejected
		if s.Editable() != want || !s.Valid() {
			t.Errorf("%s: Editable %v, Valid %v", s, s.Editable(), s.Valid())
		}
	}
}

// rev writes a revision as "2 published", or "-" for none.
func rev(r *catalog.Revision) string {
	if r == nil {
		return "-"
	}
	s := fmt.Sprintf("%d %s", r.Number, r.State)
	if r.Reason != "" {
		s += " (" + r.Reason + ")"
	}
	return s
}

// TestListing follows one product through its life, step by step: each row
// acts on the listing the previous rows left.
func TestListing(t *testing.T) {
	const edit = "edit"
	tests := []struct {
		name       string
		action     catalog.Step // or edit
		byOperator bool
		reason     string
		live       string
		pending    string
		superseded string
		code       string
		onSale     bool
	}{
		{"first edit makes revision 1", edit, bySeller, "", "-", "1 draft", "-", "", false},
		{"nothing to delist", catalog.Delist, bySeller, "", "-", "1 draft", "-", fault.InvalidState, false},
		{"approve a draft", catalog.Approve, byOperator, "", "-", "1 draft", "-", fault.InvalidState, false},
		{"submit", catalog.Submit, bySeller, "", "-", "1 in_review", "-", "", false},
		{"no edits in review", edit, bySeller, "", "-", "1 in_review", "-", fault.InvalidState, false},
		{"reject", catalog.Reject, byOperator, "add screenshots", "-", "1 rejected (add screenshots)", "-", "", false},
		{"edit the rejected revision", edit, bySeller, "", "-", "1 rejected (add screenshots)", "-", "", false},
		{"resubmit", catalog.Submit, bySeller, "", "-", "1 in_review", "-", "", false},
		{"approve", catalog.Approve, byOperator, "", "1 published", "-", "-", "", true},
		{"nothing to submit", catalog.Submit, bySeller, "", "1 published", "-", "-", fault.InvalidState, true},
		{"nothing to approve", catalog.Approve, byOperator, "", "1 published", "-", "-", fault.InvalidState, true},
		{"edit a published product", edit, bySeller, "", "1 published", "2 draft", "-", "", true},
		{"a second edit goes to the same draft", edit, bySeller, "", "1 published", "2 draft", "-", "", true},
		{"submit revision 2", catalog.Submit, bySeller, "", "1 published", "2 in_review", "-", "", true},
		{"approve revision 2", catalog.Approve, byOperator, "", "2 published", "-", "1 superseded", "", true},
		{"seller delists", catalog.Delist, bySeller, "", "2 delisted", "-", "-", "", false},
		{"relist", catalog.Submit, bySeller, "", "-", "2 in_review", "-", "", false},
		{"approve the relisting", catalog.Approve, byOperator, "", "2 published", "-", "-", "", true},
		{"edit", edit, bySeller, "", "2 published", "3 draft", "-", "", true},
		{"operator delists without a reason", catalog.Delist, byOperator, "", "2 published", "3 draft", "-", fault.Invalid, true},
		{"operator delists; the draft stays", catalog.Delist, byOperator, "malware report", "2 delisted (malware report)", "3 draft", "-", "", false},
		{"submit the draft", catalog.Submit, bySeller, "", "2 delisted (malware report)", "3 in_review", "-", "", false},
		{"approving relists", catalog.Approve, byOperator, "", "3 published", "-", "2 superseded", "", true},
	}
	var l catalog.Listing
	for _, tc := range tests {
		before := rev(l.Live) + rev(l.Pending)
		var next catalog.Listing
		var superseded *catalog.Revision
		var err error
		if tc.action == edit {
			next, err = l.Edit()
		} else {
			next, superseded, err = l.Take(tc.action, tc.byOperator, tc.reason)
		}
		if rev(l.Live)+rev(l.Pending) != before {
			t.Fatalf("%s: changed the listing it was given", tc.name)
		}
		if fault.Code(err) != tc.code {
			t.Fatalf("%s: %v; want %q", tc.name, err, tc.code)
		}
		if err != nil && (rev(next.Live) != rev(l.Live) || rev(next.Pending) != rev(l.Pending)) {
			t.Fatalf("%s: refused, yet the listing moved", tc.name)
		}
		if rev(next.Live) != tc.live || rev(next.Pending) != tc.pending || rev(superseded) != tc.superseded || next.OnSale() != tc.onSale {
			t.Fatalf("%s: live %s, pending %s, superseded %s, on sale %v; want %s, %s, %s, %v",
				tc.name, rev(next.Live), rev(next.Pending), rev(superseded), next.OnSale(), tc.live, tc.pending, tc.superseded, tc.onSale)
		}
		l = next
	}
}

func TestEmptyListing(t *testing.T) {
	for _, step := range []catalog.Step{catalog.Submit, catalog.Approve, catalog.Reject, catalog.Delist} {
		if _, _, err := (catalog.Listing{}).Take(step, step != catalog.Submit, "why"); !fault.Is(err, fault.InvalidState) {
			t.Errorf("%s on an empty listing: %v", step, err)
		}
	}
}
