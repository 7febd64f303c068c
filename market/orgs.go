package market

import (
	"context"
	"fmt"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/audit"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/ids"
	"github.com/cloudmart/cloudmart/store"
)

// OperatorOrgName is the name of the marketplace's own organisation.
const OperatorOrgName = "Marketplace Operations"

// NewUser is an account made by the system or an operator, with its roles.
type NewUser struct {
	Email, Password, DisplayName string
	Roles                        []OrgRole
}

// OrgRole is one role in one organisation.
type OrgRole struct {
	OrgID string
	Role  account.Role
}

// EnsureOrg returns the organisation of the kind and name, creating it with the
// given fields if there is none. It is how the demo and the CLI make
// organisations, so running them twice changes nothing.
//
// Errors: Invalid on "name" or "segment".
func (s *Service) EnsureOrg(ctx context.Context, o account.Org) (account.Org, error) {
	name, err := account.CleanName("name", o.Name)
	if err != nil {
		return o, err
	}
	o.Name = name
	if (o.Kind == account.KindCustomer) != o.Segment.Valid() {
		return o, fault.Field("segment", "error.segment", "customers, and only customers, have a segment")
	}
	now := s.now()
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		found, err := tx.OrgByKindAndName(ctx, o.Kind, o.Name)
		if err == nil {
			o = found
			return nil
		}
		if !fault.Is(err, fault.NotFound) {
			return err
		}
		o.ID, o.CreatedAt = ids.New("org"), now
		if err := tx.CreateOrg(ctx, o); err != nil {
			return err
		}
		if o.Kind == account.KindCustomer { // its first segment, for campaigns (promo.SegmentAt)
			if err := tx.AddSegmentChange(ctx, o.ID, o.Segment, now, ""); err != nil {
				return err
			}
		}
		return record(ctx, tx, account.Actor{}, now, change{role: roleSystem, action: "org.create", objectType: "org", objectID: o.ID, orgID: o.ID,
			summary: fmt.Sprintf("%s organisation %s created", o.Kind, o.Name), after: orgSnapshot(o)})
	})
	return o, err
}

// EnsureUser returns the user with the email, creating it if there is none, and
// gives it every role listed that it does not have yet. role is the role in
// which the change is recorded ("system" for the demo, "cli" for the command).
//
// Errors: Invalid on a field, or when a role does not fit its organisation.
func (s *Service) EnsureUser(ctx context.Context, in NewUser, role string) (account.User, error) {
	email, name, err := account.CleanPerson(in.Email, in.DisplayName)
	if err != nil {
		return account.User{}, err
	}
	u, _, err := s.store.UserByEmail(ctx, email)
	var hash string
	if fault.Is(err, fault.NotFound) {
		if err := account.CheckPassword(in.Password, email, name); err != nil {
			return u, err
		}
		if hash, err = account.HashPassword(in.Password); err != nil {
			return u, err
		}
	} else if err != nil {
		return u, err
	}
	now := s.now()
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		if hash != "" {
			u = account.User{ID: ids.New("usr"), Email: email, DisplayName: name, CreatedAt: now}
			if err := tx.CreateUser(ctx, u, hash); err != nil {
				return err
			}
			if err := record(ctx, tx, account.Actor{}, now, change{role: role, action: "user.create", objectType: "user", objectID: u.ID,
				summary: "user " + email + " created", after: map[string]string{"email": email, "display_name": name}}); err != nil {
				return err
			}
		}
		have, err := tx.Memberships(ctx, u.ID)
		if err != nil {
			return err
		}
	roles:
		for _, r := range in.Roles {
			for _, m := range have {
				if m.OrgID == r.OrgID && m.Role == r.Role {
					continue roles
				}
			}
			org, err := tx.Org(ctx, r.OrgID)
			if err != nil {
				return err
			}
			if !account.RoleFits(org.Kind, r.Role) {
				return fault.Field("role", "error.role_fit", fmt.Sprintf("a %s organisation has no %s role", org.Kind, r.Role))
			}
			if err := tx.AddMembership(ctx, r.OrgID, u.ID, r.Role, now); err != nil {
				return err
			}
			if err := record(ctx, tx, account.Actor{}, now, change{role: role, action: "membership.create", objectType: "user", objectID: u.ID, orgID: org.ID,
				summary: fmt.Sprintf("%s is %s of %s", email, r.Role, org.Name)}); err != nil {
				return err
			}
		}
		return nil
	})
	return u, err
}

// CreateOperator makes (or promotes) a user to operator of the marketplace,
// creating the operator organisation if it is the first. The command
// `cloudmart admin create-operator` runs it on the server.
//
// Errors: Invalid on a field.
func (s *Service) CreateOperator(ctx context.Context, email, password, displayName string) (account.User, error) {
	org, err := s.EnsureOrg(ctx, account.Org{Kind: account.KindOperator, Name: OperatorOrgName})
	if err != nil {
		return account.User{}, err
	}
	if displayName == "" {
		displayName = email
	}
	return s.EnsureUser(ctx, NewUser{Email: email, Password: password, DisplayName: displayName,
		Roles: []OrgRole{{OrgID: org.ID, Role: account.RoleOperator}}}, roleCLI)
}

// customerResource describes a customer to the policy.
func customerResource(o account.Org) account.Resource {
	return account.Resource{OrgID: o.ID, AccountManagerID: o.AccountManagerID, PartnerOrgID: o.PartnerOrgID}
}

// Customers lists the customers in the actor's care: all for an operator, its
// own for an account manager and for a channel partner.
//
// Errors: Forbidden for other roles.
func (s *Service) Customers(ctx context.Context, actor account.Actor) ([]account.Org, error) {
	if err := allow(actor, account.ListCustomers, account.Resource{}); err != nil {
		return nil, err
	}
	f := store.CustomerFilter{All: actor.Has(account.RoleOperator)}
	if actor.Has(account.RoleAccountManager) {
		f.AccountManagerID = actor.UserID
	}
	for _, m := range actor.Memberships {
		if m.Role == account.RolePartner {
			f.PartnerOrgIDs = append(f.PartnerOrgIDs, m.OrgID)
		}
	}
	return s.store.Customers(ctx, f)
}

// Customer returns one customer organisation the actor may see.
//
// Errors: NotFound, also when the customer is not the actor's to see.
func (s *Service) Customer(ctx context.Context, actor account.Actor, id string) (account.Org, error) {
	if !actor.Signed() {
		return account.Org{}, allow(actor, account.ReadCustomer, account.Resource{})
	}
	o, err := s.store.Org(ctx, id)
	if err != nil {
		return o, err
	}
	if o.Kind != account.KindCustomer || !account.Can(actor, account.ReadCustomer, customerResource(o)) {
		return account.Org{}, fault.New(fault.NotFound, "no such customer")
	}
	return o, nil
}

// CustomerChange is what an operator may change on a customer; nil fields stay.
type CustomerChange struct {
	Segment          *account.Segment
	AccountManagerID *string // "" removes the account manager
	PartnerOrgID     *string // "" removes the partner
}

// UpdateCustomer changes a customer's segment, account manager or partner.
//
// Errors: Forbidden unless operator; NotFound; Invalid on "segment",
// "account_manager_id" or "partner_org_id".
func (s *Service) UpdateCustomer(ctx context.Context, actor account.Actor, id string, c CustomerChange) (account.Org, error) {
	if err := allow(actor, account.UpdateCustomer, account.Resource{OrgID: id}); err != nil {
		return account.Org{}, err
	}
	now := s.now()
	var o account.Org
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		var err error
		if o, err = tx.Org(ctx, id); err != nil {
			return err
		}
		if o.Kind != account.KindCustomer {
			return fault.New(fault.NotFound, "no such customer")
		}
		before := o
		if c.Segment != nil {
			if !c.Segment.Valid() {
				return fault.Field("segment", "error.segment", "choose telesales, channel_partner, direct or other")
			}
			o.Segment = *c.Segment
		}
		if c.AccountManagerID != nil {
			if *c.AccountManagerID != "" {
				ms, err := tx.Memberships(ctx, *c.AccountManagerID)
				if err != nil || !(account.Actor{UserID: *c.AccountManagerID, Memberships: ms}).Has(account.RoleAccountManager) {
					return fault.Field("account_manager_id", "error.account_manager", "no account manager has this id")
				}
			}
			o.AccountManagerID = *c.AccountManagerID
		}
		if c.PartnerOrgID != nil {
			if *c.PartnerOrgID != "" {
				p, err := tx.Org(ctx, *c.PartnerOrgID)
				if err != nil || p.Kind != account.KindPartner {
					return fault.Field("partner_org_id", "error.partner", "no channel partner has this id")
				}
			}
			o.PartnerOrgID = *c.PartnerOrgID
		}
		if o == before {
			return nil
		}
		if err := tx.UpdateCustomer(ctx, o, now); err != nil {
			return err
		}
		if o.Segment != before.Segment { // campaigns ask which segment an order was paid under
			if err := tx.AddSegmentChange(ctx, o.ID, o.Segment, now, actor.UserID); err != nil {
				return err
			}
		}
		return record(ctx, tx, actor, now, change{role: string(account.RoleOperator), action: "customer.update", objectType: "org", objectID: o.ID, orgID: o.ID,
			summary: "customer " + o.Name + " updated", before: orgSnapshot(before), after: orgSnapshot(o)})
	})
	return o, err
}

func orgSnapshot(o account.Org) map[string]string {
	m := map[string]string{"kind": string(o.Kind), "name": o.Name}
	if o.Kind == account.KindCustomer {
		m["segment"], m["account_manager_id"], m["partner_org_id"] = string(o.Segment), o.AccountManagerID, o.PartnerOrgID
	}
	return m
}

// Audit lists audit entries for an operator.
//
// Errors: Forbidden unless operator.
func (s *Service) Audit(ctx context.Context, actor account.Actor, f audit.Filter) ([]audit.Entry, error) {
	if err := allow(actor, account.ReadAudit, account.Resource{}); err != nil {
		return nil, err
	}
	return s.store.Audit(ctx, f)
}

// orgNames caches organisation names for lists: each is read once per list.
type orgNames struct {
	s     *Service
	names map[string]string
}

func (s *Service) orgNames() *orgNames { return &orgNames{s: s, names: map[string]string{}} }

func (n *orgNames) of(ctx context.Context, id string) (string, error) {
	if name, ok := n.names[id]; ok {
		return name, nil
	}
	o, err := n.s.store.Org(ctx, id)
	if err != nil {
		return "", err
	}
	n.names[id] = o.Name
	return o.Name, nil
}
