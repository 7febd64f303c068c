package account_test

import (
	"testing"

	"github.com/cloudmart/cloudmart/account"
)

func TestCan(t *testing.T) {
	member := func(org string, role account.Role) account.Membership {
		return account.Membership{OrgID: org, Role: role}
	}
	var (
		anon     = account.Actor{}
		buyer    = account.Actor{UserID: "u1", Memberships: []account.Membership{member("c1", account.RoleBuyer)}}
		seller   = account.Actor{UserID: "u2", Memberships: []account.Membership{member("s1", account.RoleSellerAdmin)}}
		operator = account.Actor{UserID: "u3", Memberships: []account.Membership{member("op", account.RoleOperator)}}
		am       = account.Actor{UserID: "u4", Memberships: []account.Membership{member("op", account.RoleAccountManager)}}
		partner  = account.Actor{UserID: "u5", Memberships: []account.Membership{member("p1", account.RolePartner)}}
		// sellingOperator works for the marketplace and for a seller.
		sellingOperator = account.Actor{UserID: "u6", Memberships: []account.Membership{member("op", account.RoleOperator), member("s1", account.RoleSellerAdmin)}}
	)
	c1 := account.Resource{OrgID: "c1", AccountManagerID: "u4"}
	c2 := account.Resource{OrgID: "c2", PartnerOrgID: "p1"}
	tests := []struct {
		name  string
		actor account.Actor
		act   account.Action
		res   account.Resource
		want  bool
	}{
		{"anonymous reads nothing", anon, account.ReadSelf, account.Resource{}, false},
		{"anyone signed in reads self", seller, account.ReadSelf, account.Resource{}, true},
		{"own tokens", buyer, account.ManageTokens, account.Resource{OwnerUserID: "u1"}, true},
		{"another's tokens", operator, account.ManageTokens, account.Resource{OwnerUserID: "u1"}, false},
		{"operator reads audit", operator, account.ReadAudit, account.Resource{}, true},
		{"account manager does not read audit", am, account.ReadAudit, account.Resource{}, false},
		{"buyer lists no customers", buyer, account.ListCustomers, account.Resource{}, false},
		{"partner lists customers", partner, account.ListCustomers, account.Resource{}, true},
		{"buyer reads own customer org", buyer, account.ReadCustomer, c1, true},
		{"buyer reads no other customer", buyer, account.ReadCustomer, c2, false},
		{"account manager reads its customer", am, account.ReadCustomer, c1, true},
		{"account manager reads no other", am, account.ReadCustomer, c2, false},
		{"partner reads its customer", partner, account.ReadCustomer, c2, true},
		{"partner reads no other", partner, account.ReadCustomer, c1, false},
		{"seller reads no customer", seller, account.ReadCustomer, c1, false},
		{"only operators update customers", am, account.UpdateCustomer, c1, false},
		{"operator updates customers", operator, account.UpdateCustomer, c1, true},
		{"unknown action is refused", operator, account.Action("nuke"), account.Resource{}, false},
		{"seller reads its application", seller, account.ReadApplication, account.Resource{OrgID: "s1"}, true},
		{"seller reads no other application", seller, account.ReadApplication, account.Resource{OrgID: "s2"}, false},
		{"buyer reads no application", buyer, account.ReadApplication, account.Resource{OrgID: "s1"}, false},
		{"seller admin edits its application", seller, account.EditApplication, account.Resource{OrgID: "s1"}, true},
		{"operator does not edit applications", operator, account.EditApplication, account.Resource{OrgID: "s1"}, false},
		{"seller does not review", seller, account.ReviewApplication, account.Resource{OrgID: "s1"}, false},
		{"operator reviews", operator, account.ReviewApplication, account.Resource{OrgID: "s1"}, true},
		{"operator who is the applicant does not review", sellingOperator, account.ReviewApplication, account.Resource{OrgID: "s1"}, false},
		{"only operators see the queue", am, account.ListApplications, account.Resource{}, false},
		{"operator manages campaigns", operator, account.ManageCampaigns, account.Resource{}, true},
		{"account manager does not manage campaigns", am, account.ManageCampaigns, account.Resource{}, false},
		{"account manager admits its customer", am, account.AdmitCustomers, c1, true},
		{"account manager admits no other", am, account.AdmitCustomers, c2, false},
		{"seller uses its company's support", seller, account.UseSupport, account.Resource{OrgID: "s1"}, true},
		{"seller uses no other company's support", seller, account.UseSupport, account.Resource{OrgID: "s2"}, false},
		{"buyer uses no support", buyer, account.UseSupport, account.Resource{OrgID: "c1"}, false},
		{"operator handles support", operator, account.HandleSupport, account.Resource{}, true},
		{"seller does not handle support", seller, account.HandleSupport, account.Resource{OrgID: "s1"}, false},
		{"operator admits no one", operator, account.AdmitCustomers, account.Resource{OrgID: "c1", AccountManagerID: "u3"}, false},
	}
	for _, tc := range tests {
		if got := account.Can(tc.actor, tc.act, tc.res); got != tc.want {
			t.Errorf("%s: Can = %v, want %v", tc.name, got, tc.want)
		}
	}
}
