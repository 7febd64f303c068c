package account

// Actor is who makes a request: a signed-in user with its memberships. The zero
// Actor is an anonymous visitor.
type Actor struct {
	UserID      string
	Email       string
	Memberships []Membership
}

// Signed reports whether the actor is a signed-in user.
func (a Actor) Signed() bool { return a.UserID != "" }

// Has reports whether the actor has the role in any organisation.
func (a Actor) Has(role Role) bool {
	for _, m := range a.Memberships {
		if m.Role == role {
			return true
		}
	}
	return false
}

// HasIn reports whether the actor has one of the roles in the organisation.
func (a Actor) HasIn(orgID string, roles ...Role) bool {
	for _, m := range a.Memberships {
		if m.OrgID != orgID {
			continue
		}
		for _, r := range roles {
			if m.Role == r {
				return true
			}
		}
	}
	return false
}

// Roles lists the actor's distinct roles, in membership order.
func (a Actor) Roles() []Role {
	var out []Role
	seen := map[Role]bool{}
	for _, m := range a.Memberships {
		if !seen[m.Role] {
			seen[m.Role] = true
			out = append(out, m.Role)
		}
	}
	return out
}

// Action is something an actor may try.
type Action string

const (
	ReadSelf       Action = "self.read"       // own profile and memberships
	UpdateSelf     Action = "self.update"     // own name and password
	ManageTokens   Action = "token.manage"    // own sessions and API tokens
	ReadAudit      Action = "audit.read"      // the audit log
	ListCustomers  Action = "customer.list"   // customers in the actor's care
	ReadCustomer   Action = "customer.read"   // one customer organisation
	UpdateCustomer Action = "customer.update" // segment, account manager, partner
	ReadOrg        Action = "org.read"        // an organisation the actor belongs to

	Apply             Action = "application.create" // start a seller application
	ReadApplication   Action = "application.read"   // a seller application, its checks and documents
	EditApplication   Action = "application.edit"   // change it, upload, sign, enter tax and bank details
	ReviewApplication Action = "application.review" // approve, reject, ask for changes, suspend, certify
	ListApplications  Action = "application.list"   // the review queue
	ManageRegions     Action = "region.manage"
	PublishAgreement  Action = "agreement.publish"

	ManageProducts   Action = "product.manage"    // create, edit, submit, delist the company's products
	ReviewProducts   Action = "product.review"    // approve or reject revisions, delist any product
	ManageStorefront Action = "storefront.manage" // featured zones and the homepage banner

	Buy            Action = "order.place"    // quote and place orders for the organisation
	ReadPurchases  Action = "purchase.read"  // a customer's balance, statement and orders
	ReadSales      Action = "sale.read"      // a seller's orders for its products
	ManageBalances Action = "balance.manage" // record top-ups, set credit limits
	ReadAllOrders  Action = "order.read_all" // every order, for operators

	ManageCampaigns Action = "campaign.manage" // create, edit and move campaigns; dry runs, reports, gift fulfilment
	AdmitCustomers  Action = "campaign.admit"  // admit a customer outside a campaign's segments, or revoke it

	UseSupport       Action = "support.use"        // open, read and answer the company's support tickets
	HandleSupport    Action = "support.handle"     // the support queue: every ticket, internal notes, assignment
	ManageResale     Action = "resale.manage"      // set the resale requirements, approve or decline authorisations
	Resell           Action = "resale.sell"        // see the products authorised to the partner, sell them to its customers, see its sales
	ReadBenefits     Action = "benefit.read"       // a seller's benefits: the seller itself and operators
	ReadRates        Action = "rate.read"          // exchange rates: anyone signed in
	ManageRates      Action = "rate.manage"        // set exchange rates: operators
	UseTestCredit    Action = "test_credit.use"    // request test credit and buy the company's own products with it
	ReadTestCredit   Action = "test_credit.read"   // a seller's requests, test balance and statement
	ReviewTestCredit Action = "test_credit.review" // approve or decline requests; no one decides their own company's
	ManageProgrammes Action = "programme.manage"   // events, verifying migrations, trainings, attendance
	JoinProgrammes   Action = "programme.join"     // apply to events, declare migrations, enrol people, for the company
	ReadProgrammes   Action = "programme.read"     // a seller's applications, declarations and enrolments
)

// Resource is what an action touches. Only the fields the action needs are set:
// the organisation it belongs to, the user that owns it, and for customers who
// looks after them.
type Resource struct {
	OrgID            string
	OwnerUserID      string
	AccountManagerID string
	PartnerOrgID     string
}

// Can decides whether the actor may do the action on the resource. It is the
// only place that decides; handlers ask it and never look at roles themselves.
func Can(a Actor, act Action, r Resource) bool {
	if !a.Signed() {
		return false
	}
	operator := a.Has(RoleOperator)
	switch act {
	case ReadSelf, UpdateSelf:
		return true
	case ManageTokens:
		return r.OwnerUserID == a.UserID
	case ReadAudit, UpdateCustomer:
		return operator
	case ListCustomers:
		return operator || a.Has(RoleAccountManager) || a.Has(RolePartner)
	case ReadCustomer:
		return operator ||
			a.HasIn(r.OrgID, RoleBuyer) ||
			(r.AccountManagerID != "" && r.AccountManagerID == a.UserID && a.Has(RoleAccountManager)) ||
			(r.PartnerOrgID != "" && a.HasIn(r.PartnerOrgID, RolePartner))
	case Apply:
		return true
	case ReadApplication:
		return operator || a.HasIn(r.OrgID, RoleSellerAdmin, RoleSellerMember)
	case EditApplication:
		return a.HasIn(r.OrgID, RoleSellerAdmin)
	case ReviewApplication:
		// No one reviews their own company, even an operator who works for it.
		return operator && !a.HasIn(r.OrgID, RoleSellerAdmin, RoleSellerMember)
	case ListApplications, ManageRegions, PublishAgreement, ManageStorefront:
		return operator
	case ManageProducts:
		return a.HasIn(r.OrgID, RoleSellerAdmin, RoleSellerMember)
	case ReviewProducts:
		return operator && !a.HasIn(r.OrgID, RoleSellerAdmin, RoleSellerMember)
	case Buy:
		return a.HasIn(r.OrgID, RoleBuyer)
	case ReadPurchases:
		return operator || a.HasIn(r.OrgID, RoleBuyer)
	case ReadSales:
		return operator || a.HasIn(r.OrgID, RoleSellerAdmin, RoleSellerMember)
	case ManageBalances, ReadAllOrders, ManageCampaigns, ManageResale, ManageRates, ManageProgrammes:
		return operator
	case Resell:
		return a.HasIn(r.OrgID, RolePartner)
	case ReadRates:
		return true
	case ReadBenefits:
		return operator || a.HasIn(r.OrgID, RoleSellerAdmin, RoleSellerMember)
	case JoinProgrammes:
		return a.HasIn(r.OrgID, RoleSellerAdmin, RoleSellerMember)
	case ReadProgrammes:
		return operator || a.HasIn(r.OrgID, RoleSellerAdmin, RoleSellerMember)
	case AdmitCustomers:
		return r.AccountManagerID != "" && r.AccountManagerID == a.UserID && a.Has(RoleAccountManager)
	case UseSupport:
		return a.HasIn(r.OrgID, RoleSellerAdmin, RoleSellerMember)
	case HandleSupport:
		return operator
	case UseTestCredit:
		return a.HasIn(r.OrgID, RoleSellerAdmin)
	case ReadTestCredit:
		return operator || a.HasIn(r.OrgID, RoleSellerAdmin, RoleSellerMember)
	case ReviewTestCredit:
		return operator && !a.HasIn(r.OrgID, RoleSellerAdmin, RoleSellerMember)
	case ReadOrg:
		return operator || a.HasIn(r.OrgID, RoleBuyer, RoleSellerAdmin, RoleSellerMember, RoleOperator, RoleAccountManager, RolePartner)
	}
	return false
}
