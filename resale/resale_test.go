package resale_test

import (
	"slices"
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/resale"
)

var now = time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)

func TestCheck(t *testing.T) {
	req := resale.Requirements{MinApprovedDays: 30, RefundPolicy: true, MaxFailedDeliveries: 3, StandardDiscountBPS: 1500}
	good := resale.ProductFacts{SellerApprovedAt: now.AddDate(0, 0, -30), Published: true, RefundPolicy: true, FailedDeliveries: 2}
	tests := []struct {
		name    string
		req     resale.Requirements
		facts   func(f resale.ProductFacts) resale.ProductFacts
		missing []resale.Missing
	}{
		{"meets all, at the edges", req, func(f resale.ProductFacts) resale.ProductFacts { return f }, nil},
		{"one second short of 30 days", req, func(f resale.ProductFacts) resale.ProductFacts {
			f.SellerApprovedAt = f.SellerApprovedAt.Add(time.Second)
			return f
		}, []resale.Missing{{ID: resale.ReqApprovedDays, Need: 30, Have: 29}}},
		{"not approved", req, func(f resale.ProductFacts) resale.ProductFacts {
			f.SellerApprovedAt = time.Time{}
			return f
		}, []resale.Missing{{ID: resale.ReqSellerApproved}}},
		{"approved in the future counts nothing", req, func(f resale.ProductFacts) resale.ProductFacts {
			f.SellerApprovedAt = now.Add(time.Hour)
			return f
		}, []resale.Missing{{ID: resale.ReqApprovedDays, Need: 30, Have: 0}}},
		{"K failed deliveries is too many", req, func(f resale.ProductFacts) resale.ProductFacts {
			f.FailedDeliveries = 3
			return f
		}, []resale.Missing{{ID: resale.ReqFailedDeliveries, Need: 3, Have: 3}}},
		{"no limit on failures", resale.Requirements{MinApprovedDays: 30, RefundPolicy: true}, func(f resale.ProductFacts) resale.ProductFacts {
			f.FailedDeliveries = 1000
			return f
		}, nil},
		{"no refund policy, not asked", resale.Requirements{MinApprovedDays: 30, MaxFailedDeliveries: 3}, func(f resale.ProductFacts) resale.ProductFacts {
			f.RefundPolicy = false
			return f
		}, nil},
		{"everything missing, in order", req, func(resale.ProductFacts) resale.ProductFacts {
			return resale.ProductFacts{FailedDeliveries: 5}
		}, []resale.Missing{{ID: resale.ReqSellerApproved}, {ID: resale.ReqPublished}, {ID: resale.ReqRefundPolicy}, {ID: resale.ReqFailedDeliveries, Need: 3, Have: 5}}},
	}
	for _, tc := range tests {
		got := resale.Check(tc.req, tc.facts(good), now)
		if !slices.Equal(got, tc.missing) {
			t.Errorf("%s: %+v, want %+v", tc.name, got, tc.missing)
		}
		for _, m := range got {
			if m.Message() == m.ID {
				t.Errorf("%s: no words for %s", tc.name, m.ID)
			}
		}
	}
}

func TestNotMet(t *testing.T) {
	err := resale.NotMet([]resale.Missing{{ID: resale.ReqPublished}, {ID: resale.ReqApprovedDays, Need: 30, Have: 12}})
	fe := fault.As(err)
	if fe == nil || fe.Code != fault.RequirementsNotMet || len(fe.Details) != 2 || fe.Details[1].ID != resale.ReqApprovedDays {
		t.Fatalf("%#v", err)
	}
	if want := "the seller must be approved for 30 days; it is 12 so far (18 more)"; fe.Details[1].Message != want {
		t.Errorf("%q", fe.Details[1].Message)
	}
}

func TestDecide(t *testing.T) {
	req := resale.Requirements{StandardDiscountBPS: 1500}
	tests := []struct {
		bps   int
		state resale.State
		ok    bool
	}{
		{-1, "", false}, {0, resale.Active, true}, {1500, resale.Active, true}, {1501, resale.Pending, true},
		{resale.MaxDiscountBPS, resale.Pending, true}, {resale.MaxDiscountBPS + 1, "", false}, {resale.WholeBPS, "", false},
	}
	for _, tc := range tests {
		got, err := resale.Decide(req, tc.bps)
		if got != tc.state || (err == nil) != tc.ok {
			t.Errorf("%d bps: %q %v, want %q", tc.bps, got, err, tc.state)
		}
		if err != nil && fault.As(err).Field != "discount_bps" {
			t.Errorf("%d bps: %v", tc.bps, err)
		}
	}
}

func TestNext(t *testing.T) {
	tests := []struct {
		from resale.State
		step resale.Step
		to   resale.State // "" when refused
	}{
		{resale.Pending, resale.Approve, resale.Active},
		{resale.Pending, resale.Decline, resale.Declined},
		{resale.Pending, resale.Revoke, resale.Revoked},
		{resale.Active, resale.Revoke, resale.Revoked},
		{resale.Active, resale.Approve, ""},
		{resale.Active, resale.Decline, ""},
		{resale.Declined, resale.Approve, ""},
		{resale.Revoked, resale.Revoke, ""},
	}
	for _, tc := range tests {
		got, err := resale.Next(tc.from, tc.step)
		if got != tc.to || (tc.to == "") != fault.Is(err, fault.InvalidState) {
			t.Errorf("%s by %s: %q %v, want %q", tc.from, tc.step, got, err, tc.to)
		}
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		r     resale.Requirements
		field string
	}{
		{resale.Defaults, ""},
		{resale.Requirements{}, ""},
		{resale.Requirements{MinApprovedDays: -1}, "min_approved_days"},
		{resale.Requirements{MaxFailedDeliveries: -1}, "max_failed_deliveries"},
		{resale.Requirements{StandardDiscountBPS: resale.MaxDiscountBPS}, ""},
		{resale.Requirements{StandardDiscountBPS: resale.MaxDiscountBPS + 1}, "standard_discount_bps"},
	}
	for _, tc := range tests {
		err := tc.r.Validate()
		if tc.field == "" && err != nil || tc.field != "" && (fault.As(err) == nil || fault.As(err).Field != tc.field) {
			t.Errorf("%+v: %v, want %q", tc.r, err, tc.field)
		}
	}
}

func TestApprovedDays(t *testing.T) {
	approved := time.Date(2026, 10, 1, 10, 0, 0, 0, time.UTC)
	for at, want := range map[time.Time]int{
		approved: 0, approved.Add(24*time.Hour - time.Nanosecond): 0, approved.Add(24 * time.Hour): 1, approved.Add(-time.Hour): 0,
	} {
		if got := resale.ApprovedDays(approved, at); got != want {
			t.Errorf("at %s: %d, want %d", at, got, want)
		}
	}
}
