package seller_test

import (
	"testing"

	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/seller"
)

func TestNext(t *testing.T) {
	tests := []struct {
		from   seller.State
		step   seller.Step
		reason string
		want   seller.State
		code   string
	}{
		{seller.Draft, seller.Submit, "", seller.Submitted, ""},
		{seller.ChangesRequested, seller.Submit, "", seller.Submitted, ""},
		{seller.Submitted, seller.RequestChanges, "add a business licence", seller.ChangesRequested, ""},
		{seller.Submitted, seller.RequestChanges, "  ", seller.Submitted, fault.Invalid},
		{seller.Submitted, seller.Approve, "", seller.Approved, ""},
		{seller.Submitted, seller.Reject, "not a software company", seller.Rejected, ""},
		{seller.Submitted, seller.Reject, "", seller.Submitted, fault.Invalid},
		{seller.Approved, seller.Suspend, "fraud report", seller.Suspended, ""},
		{seller.Suspended, seller.Reinstate, "cleared", seller.Approved, ""},
		{seller.Draft, seller.Approve, "", seller.Draft, fault.InvalidState},
		{seller.Approved, seller.Submit, "", seller.Approved, fault.InvalidState},
		{seller.Rejected, seller.Submit, "", seller.Rejected, fault.InvalidState},
		{seller.Rejected, seller.Reinstate, "why not", seller.Rejected, fault.InvalidState},
		{seller.Submitted, seller.Suspend, "x", seller.Submitted, fault.InvalidState},
		{seller.Approved, seller.Approve, "", seller.Approved, fault.InvalidState},
		{seller.Draft, "publish", "", seller.Draft, fault.Invalid},
	}
	for _, tc := range tests {
		got, err := seller.Next(tc.from, tc.step, tc.reason)
		if got != tc.want || fault.Code(err) != tc.code {
			t.Errorf("Next(%s, %s, %q) = %s, %v; want %s, %q", tc.from, tc.step, tc.reason, got, err, tc.want, tc.code)
		}
	}
	if !seller.Draft.Editable() || !seller.ChangesRequested.Editable() || seller.Submitted.Editable() || seller.Approved.Editable() {
		t.Error("Editable wrong")
	}
	if !seller.Approved.Selling() || seller.Suspended.Selling() {
		t.Error("Selling wrong")
	}
}
