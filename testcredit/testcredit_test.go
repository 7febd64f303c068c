package testcredit_test

import (
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/testcredit"
)

func usd(c int64) money.Amount { return money.New(c, money.USD) }

func TestCheckRequest(t *testing.T) {
	tests := []struct {
		name    string
		amount  money.Amount
		purpose string
		field   string
	}{
		{"the whole cap", usd(1_000_00), "try it", ""},
		{"a cent", usd(1), "try it", ""},
		{"a cent over the cap", usd(1_000_01), "try it", "amount"},
		{"zero", usd(0), "try it", "amount"},
		{"yuan", money.New(100, money.CNY), "try it", "amount"},
		{"no purpose", usd(100), "   ", "purpose"},
	}
	for _, tt := range tests {
		_, err := testcredit.CheckRequest(tt.amount, tt.purpose)
		if got := fieldOf(err); got != tt.field {
			t.Errorf("%s: %v, want field %q", tt.name, err, tt.field)
		}
	}
}

func fieldOf(err error) string {
	if e := fault.As(err); e != nil {
		return e.Field
	}
	return ""
}

func TestCheckApproval(t *testing.T) {
	now := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	r := testcredit.Request{State: testcredit.Pending, Requested: usd(500_00)}
	tests := []struct {
		name    string
		amount  money.Amount
		expires time.Time
		want    money.Amount
		until   time.Time
		field   string
	}{
		{"all, by default", money.Amount{}, time.Time{}, usd(500_00), now.Add(testcredit.DefaultValidity), ""},
		{"less", usd(200_00), now.Add(time.Hour), usd(200_00), now.Add(time.Hour), ""},
		{"more", usd(500_01), time.Time{}, money.Amount{}, time.Time{}, "amount"},
		{"nothing", usd(0), time.Time{}, money.Amount{}, time.Time{}, "amount"},
		{"expired already", usd(1), now, money.Amount{}, time.Time{}, "expires_at"},
		{"beyond a year", usd(1), now.Add(testcredit.MaxValidity + time.Second), money.Amount{}, time.Time{}, "expires_at"},
	}
	for _, tt := range tests {
		got, until, err := testcredit.CheckApproval(r, tt.amount, tt.expires, now)
		if fieldOf(err) != tt.field || got != tt.want || !until.Equal(tt.until) {
			t.Errorf("%s: %v %v %v", tt.name, got, until, err)
		}
	}
	r.State = testcredit.Declined
	if _, _, err := testcredit.CheckApproval(r, money.Amount{}, time.Time{}, now); !fault.Is(err, fault.InvalidState) {
		t.Errorf("a decided request: %v", err)
	}
}

func TestHeldAndExpiry(t *testing.T) {
	r := testcredit.Request{Requested: usd(500_00), Approved: usd(300_00)}
	for state, want := range map[testcredit.State]int64{testcredit.Pending: 500_00, testcredit.Approved: 300_00, testcredit.Expired: 300_00, testcredit.Declined: 0} {
		r.State = state
		if got := r.Held(); got.Minor != want {
			t.Errorf("%s holds %v", state, got)
		}
	}
	if got := testcredit.Left(usd(650_00)); got != usd(350_00) {
		t.Errorf("left %v", got)
	}
}
