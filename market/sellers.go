package market

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/ids"
	"github.com/cloudmart/cloudmart/notice"
	"github.com/cloudmart/cloudmart/seller"
	"github.com/cloudmart/cloudmart/store"
)

// Regions lists the cloud service regions.
func (s *Service) Regions(ctx context.Context) ([]seller.Region, error) { return s.store.Regions(ctx) }

// SaveRegion creates or changes a region (operators).
//
// Errors: Forbidden; Invalid on a field.
func (s *Service) SaveRegion(ctx context.Context, actor account.Actor, r seller.Region) (seller.Region, error) {
	if err := allow(actor, account.ManageRegions, account.Resource{}); err != nil {
		return r, err
	}
	r.NameEN, r.NameZH = strings.TrimSpace(r.NameEN), strings.TrimSpace(r.NameZH)
	if err := r.Validate(); err != nil {
		return r, err
	}
	now := s.now()
	return r, s.store.Write(ctx, func(tx *store.Tx) error {
		before, err := tx.Region(ctx, r.Code)
		var was any
		if err == nil {
			if before == r {
				return nil // nothing changes, nothing to record
			}
			was = before
		} else if !fault.Is(err, fault.NotFound) {
			return err
		}
		if err := tx.SaveRegion(ctx, r, now); err != nil {
			return err
		}
		return record(ctx, tx, actor, now, change{role: string(account.RoleOperator), action: "region.save", objectType: "region", objectID: r.Code,
			summary: fmt.Sprintf("region %s %s (%s)", r.Code, r.NameEN, r.Zone), before: was, after: r})
	})
}

// AgreementInForce returns the Seller Agreement in force and its text.
//
// Errors: NotFound when none was published.
func (s *Service) AgreementInForce(ctx context.Context) (seller.Agreement, string, error) {
	return s.store.AgreementInForce(ctx)
}

// PublishAgreement publishes a new version of the Seller Agreement (operators).
// Every seller must sign it before submitting or publishing anything new; each
// seller's administrators are told.
//
// Errors: Forbidden; Invalid on a field; Conflict on "version" when it exists.
func (s *Service) PublishAgreement(ctx context.Context, actor account.Actor, a seller.Agreement, body string) (seller.Agreement, error) {
	if err := allow(actor, account.PublishAgreement, account.Resource{}); err != nil {
		return a, err
	}
	a.Title, body = strings.TrimSpace(a.Title), strings.TrimSpace(body)
	if err := seller.ValidateAgreement(a, body); err != nil {
		return a, err
	}
	now := s.now()
	a.PublishedAt = now
	return a, s.store.Write(ctx, func(tx *store.Tx) error {
		if err := tx.PublishAgreement(ctx, a, body, actor.UserID); err != nil {
			return err
		}
		if err := s.notifyRole(ctx, tx, account.RoleSellerAdmin, notice.Notification{Kind: "agreement.published", Link: "/seller/application",
			TitleEN: "A new Seller Agreement: version " + a.Version, TitleZH: "卖家协议新版本：" + a.Version,
			BodyEN: "Sign version " + a.Version + " of the Seller Agreement before you submit or publish anything new.",
			BodyZH: "请先签署卖家协议 " + a.Version + " 版，然后再提交申请或发布新内容。"}); err != nil {
			return err
		}
		return record(ctx, tx, actor, now, change{role: string(account.RoleOperator), action: "agreement.publish", objectType: "agreement", objectID: a.Version,
			summary: fmt.Sprintf("Seller Agreement %s published: %s", a.Version, a.Title)})
	})
}

// ApplicationView is an application with everything a reader needs: the
// company, the regions it serves, the seven checks as of today, documents,
// review history and the agreement signature.
type ApplicationView struct {
	seller.Record
	OrgName   string
	Regions   []seller.Region
	Checks    []seller.Result
	Documents []seller.Document
	Events    []seller.Event
	Signature *seller.Signature
	Agreement seller.Agreement // in force; zero when none is published
	// Names of the people the view mentions by user id (signer, reviewers,
	// certifier), for display: user id → "Display Name <email>".
	Names map[string]string
}

// today is the date of a check: the marketplace's date now.
func (s *Service) today() seller.Date { return seller.DateOf(s.clock().In(s.zone)) }

// sellerOrg returns the seller organisation the actor works for ("" if none).
func sellerOrg(actor account.Actor) string {
	for _, m := range actor.Memberships {
		if m.OrgKind == account.KindSeller {
			return m.OrgID
		}
	}
	return ""
}

// view loads an application's view.
func (s *Service) view(ctx context.Context, r seller.Record) (ApplicationView, error) {
	v := ApplicationView{Record: r}
	org, err := s.store.Org(ctx, r.OrgID)
	if err != nil {
		return v, err
	}
	v.OrgName = org.Name
	for _, code := range r.RegionCodes {
		reg, err := s.store.Region(ctx, code)
		if err != nil {
			return v, err
		}
		v.Regions = append(v.Regions, reg)
	}
	if v.Signature, err = s.store.LatestSignature(ctx, r.OrgID); err != nil {
		return v, err
	}
	if v.Agreement, _, err = s.store.AgreementInForce(ctx); err != nil && !fault.Is(err, fault.NotFound) {
		return v, err
	}
	v.Checks = seller.Check(r.Application(v.Regions, v.Signature), v.Agreement, s.today())
	if v.Documents, err = s.store.Documents(ctx, r.ID); err != nil {
		return v, err
	}
	if v.Events, err = s.store.ApplicationEvents(ctx, r.ID); err != nil {
		return v, err
	}
	mentioned := []string{r.ApplicantID, r.DecidedBy, r.TaxBankCertifiedBy}
	if v.Signature != nil {
		mentioned = append(mentioned, v.Signature.SignedBy)
	}
	for _, e := range v.Events {
		mentioned = append(mentioned, e.ActorID)
	}
	v.Names, err = s.names(ctx, mentioned)
	return v, err
}

// names returns the display names of users, by id ("" ids are skipped).
func (s *Service) names(ctx context.Context, userIDs []string) (map[string]string, error) {
	out := map[string]string{}
	for _, id := range userIDs {
		if id == "" || out[id] != "" {
			continue
		}
		u, err := s.store.User(ctx, id)
		if fault.Is(err, fault.NotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out[id] = u.DisplayName + " <" + u.Email + ">"
	}
	return out, nil
}

// MyApplication returns the application of the company the actor works for.
//
// Errors: NotFound when the actor's company has none (or it has no company).
func (s *Service) MyApplication(ctx context.Context, actor account.Actor) (ApplicationView, error) {
	r, err := s.myApplication(ctx, actor, account.ReadApplication)
	if err != nil {
		return ApplicationView{}, err
	}
	return s.view(ctx, r)
}

// myApplication loads the actor's company's application after asking the policy.
func (s *Service) myApplication(ctx context.Context, actor account.Actor, act account.Action) (seller.Record, error) {
	if !actor.Signed() {
		return seller.Record{}, allow(actor, act, account.Resource{})
	}
	orgID := sellerOrg(actor)
	if orgID == "" {
		return seller.Record{}, &fault.Error{Code: fault.NotFound, MsgID: "error.no_application", Message: "you have not applied to sell yet"}
	}
	if err := allow(actor, act, account.Resource{OrgID: orgID}); err != nil {
		return seller.Record{}, err
	}
	return s.store.ApplicationOfOrg(ctx, orgID)
}

// Checks returns the seven checks of the actor's company's application as of today.
//
// Errors: NotFound when it has none.
func (s *Service) Checks(ctx context.Context, actor account.Actor) ([]seller.Result, error) {
	v, err := s.MyApplication(ctx, actor)
	return v.Checks, err
}

// ApplicationInput is what an applicant states. Empty parts are allowed in a
// draft (the checks say what is missing); what is given must be well formed.
type ApplicationInput struct {
	LegalName          string
	RegistrationNumber string
	Country            string // ISO 3166-1 alpha-2
	Established        string // YYYY-MM-DD, or "" not yet
	Regions            []string
	Offerings          []string
	PreSales           []seller.Contact
	PostSales          []seller.Contact
	Support            seller.Schedule
	Revision           int // the revision the applicant edited; 0 to skip the check
}

var (
	countryCode = regexp.MustCompile(`^[A-Z]{2}$`)
	regNumber   = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9 ./-]{0,63}$`)
)

// clean validates the input into the record's stated fields.
func (s *Service) clean(ctx context.Context, in ApplicationInput, r *seller.Record) error {
	name, err := account.CleanName("legal_name", in.LegalName)
	if err != nil {
		return err
	}
	r.LegalName = name
	r.RegistrationNumber = strings.TrimSpace(in.RegistrationNumber)
	if r.RegistrationNumber != "" && !regNumber.MatchString(r.RegistrationNumber) {
		return fault.Field("registration_number", "error.registration_number", "enter the registration number as it is printed: letters, digits, spaces, . / -")
	}
	r.Country = strings.ToUpper(strings.TrimSpace(in.Country))
	if r.Country != "" && !countryCode.MatchString(r.Country) {
		return fault.Field("country", "error.country", "enter the country as a two-letter ISO code, e.g. CN")
	}
	r.Established = seller.Date{}
	if in.Established != "" {
		d, err := seller.ParseDate(in.Established)
		if err != nil {
			return fault.Field("established", "error.date_invalid", "enter the date as YYYY-MM-DD")
		}
		if err := seller.ValidateEstablished(d, s.today()); err != nil {
			return err
		}
		r.Established = d
	}
	r.RegionCodes = nil
	seen := map[string]bool{}
	for i, code := range in.Regions {
		if seen[code] {
			continue
		}
		seen[code] = true
		if _, err := s.store.Region(ctx, code); err != nil {
			if fault.Is(err, fault.NotFound) {
				return fault.Field(fmt.Sprintf("regions[%d]", i), "error.region_unknown", fmt.Sprintf("there is no region %q", code))
			}
			return err
		}
		r.RegionCodes = append(r.RegionCodes, code)
	}
	r.Offerings = nil
	for i, o := range in.Offerings {
		off := seller.Offering(o)
		if !off.Valid() {
			return fault.Field(fmt.Sprintf("offerings[%d]", i), "error.offering_unknown", "choose image, saas, api, license or professional_service")
		}
		if !slices.Contains(r.Offerings, off) {
			r.Offerings = append(r.Offerings, off)
		}
	}
	for _, group := range []struct {
		field string
		in    []seller.Contact
		out   *[]seller.Contact
	}{{"presales", in.PreSales, &r.PreSales}, {"postsales", in.PostSales, &r.PostSales}} {
		if len(group.in) > 20 {
			return fault.Field(group.field, "error.too_many", "list at most 20 contacts")
		}
		*group.out = []seller.Contact{}
		for i, c := range group.in {
			c = seller.Contact{Name: strings.TrimSpace(c.Name), Email: strings.ToLower(strings.TrimSpace(c.Email)), Phone: strings.TrimSpace(c.Phone)}
			if err := c.Validate(fmt.Sprintf("%s[%d]", group.field, i)); err != nil {
				return err
			}
			*group.out = append(*group.out, c)
		}
	}
	r.Support = in.Support
	if in.Support.AllDay || in.Support.Zone != "" || hasHours(in.Support) {
		if err := in.Support.Validate(); err != nil {
			return err
		}
	}
	return nil
}

func hasHours(s seller.Schedule) bool {
	for _, d := range s.Days {
		if len(d) > 0 {
			return true
		}
	}
	return false
}

// SaveApplication creates the actor's company's application, or changes it
// while it is a draft or changes were requested. A user who works for no
// seller yet starts one: a seller organisation named after the legal name, in
// which the user is the administrator.
//
// Errors: Invalid on a field; InvalidState when it is under review or
// decided; Conflict when it changed since Revision; Forbidden for a seller member.
func (s *Service) SaveApplication(ctx context.Context, actor account.Actor, in ApplicationInput) (ApplicationView, error) {
	if err := allow(actor, account.Apply, account.Resource{}); err != nil {
		return ApplicationView{}, err
	}
	orgID := sellerOrg(actor)
	if orgID != "" {
		if err := allow(actor, account.EditApplication, account.Resource{OrgID: orgID}); err != nil {
			return ApplicationView{}, err
		}
	}
	var r seller.Record
	if err := s.clean(ctx, in, &r); err != nil {
		return ApplicationView{}, err
	}
	now := s.now()
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		if orgID == "" {
			org := account.Org{ID: ids.New("org"), Kind: account.KindSeller, Name: r.LegalName, CreatedAt: now}
			if err := tx.CreateOrg(ctx, org); err != nil {
				return err
			}
			if err := tx.AddMembership(ctx, org.ID, actor.UserID, account.RoleSellerAdmin, now); err != nil {
				return err
			}
			orgID = org.ID
		}
		old, err := tx.ApplicationOfOrg(ctx, orgID)
		if fault.Is(err, fault.NotFound) {
			r.ID, r.OrgID, r.ApplicantID, r.State, r.CreatedAt = ids.New("app"), orgID, actor.UserID, seller.Draft, now
			if err := tx.CreateApplication(ctx, r); err != nil {
				return err
			}
			return record(ctx, tx, actor, now, change{role: string(account.RoleSellerAdmin), action: "application.create", objectType: "application",
				objectID: r.ID, orgID: orgID, summary: "seller application started for " + r.LegalName, after: stated(r)})
		}
		if err != nil {
			return err
		}
		if !old.State.Editable() {
			return &fault.Error{Code: fault.InvalidState, MsgID: "error.application_locked",
				Message: fmt.Sprintf("the application is %s: it can be changed only as a draft or when changes are requested", old.State)}
		}
		if in.Revision > 0 && in.Revision != old.Revision {
			return &fault.Error{Code: fault.Conflict, MsgID: "error.changed_meanwhile", Message: "the application was changed meanwhile: reload it"}
		}
		next := old
		next.LegalName, next.RegistrationNumber, next.Country, next.Established = r.LegalName, r.RegistrationNumber, r.Country, r.Established
		next.RegionCodes, next.Offerings, next.PreSales, next.PostSales, next.Support = r.RegionCodes, r.Offerings, r.PreSales, r.PostSales, r.Support
		if err := tx.UpdateApplication(ctx, next, now); err != nil {
			return err
		}
		if next.LegalName != old.LegalName {
			if err := tx.RenameOrg(ctx, orgID, next.LegalName, now); err != nil {
				return err
			}
		}
		r = next
		return record(ctx, tx, actor, now, change{role: string(account.RoleSellerAdmin), action: "application.update", objectType: "application",
			objectID: old.ID, orgID: orgID, summary: "seller application changed", before: stated(old), after: stated(next)})
	})
	if err != nil {
		return ApplicationView{}, err
	}
	saved, err := s.store.ApplicationOfOrg(ctx, orgID)
	if err != nil {
		return ApplicationView{}, err
	}
	return s.view(ctx, saved)
}

// stated is what the audit log keeps of an application's stated fields.
func stated(r seller.Record) map[string]any {
	return map[string]any{
		"legal_name": r.LegalName, "registration_number": r.RegistrationNumber, "country": r.Country,
		"established": dateString(r.Established), "regions": r.RegionCodes, "offerings": r.Offerings,
		"presales": r.PreSales, "postsales": r.PostSales, "support": r.Support,
	}
}

func dateString(d seller.Date) string {
	if d == (seller.Date{}) {
		return ""
	}
	return d.String()
}

// failedDetails lists the failed checks for a RequirementsNotMet error.
func failedDetails(results []seller.Result) *fault.Error {
	failed := seller.Failed(results)
	e := &fault.Error{Code: fault.RequirementsNotMet, MsgID: "error.requirements_not_met",
		Message: fmt.Sprintf("%d of the seven requirements are not met", len(failed))}
	for _, r := range failed {
		e.Details = append(e.Details, fault.Detail{ID: r.ID, Message: r.Reason.EN})
	}
	return e
}

// Submit sends the actor's company's application for review. Every one of the
// seven checks must pass; the operators are told.
//
// Errors: RequirementsNotMet listing each failed check; InvalidState when it
// is not a draft or sent back for changes; Forbidden for a seller member.
func (s *Service) Submit(ctx context.Context, actor account.Actor) (ApplicationView, error) {
	r, err := s.myApplication(ctx, actor, account.EditApplication)
	if err != nil {
		return ApplicationView{}, err
	}
	v, err := s.view(ctx, r)
	if err != nil {
		return v, err
	}
	next, err := seller.Next(r.State, seller.Submit, "")
	if err != nil {
		return v, err
	}
	if len(seller.Failed(v.Checks)) > 0 {
		return v, failedDetails(v.Checks)
	}
	now := s.now()
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		if err := tx.MoveApplication(ctx, r.ID, r.State, next, actor.UserID, "", now); err != nil {
			return err
		}
		if err := s.notifyRole(ctx, tx, account.RoleOperator, notice.Notification{Kind: "application.submitted", Link: "/ops/applications/" + r.ID,
			TitleEN: "Application to review: " + r.LegalName, TitleZH: "待审核的入驻申请：" + r.LegalName,
			BodyEN: r.LegalName + " submitted its seller application.", BodyZH: r.LegalName + " 提交了卖家入驻申请。"}); err != nil {
			return err
		}
		return record(ctx, tx, actor, now, change{role: string(account.RoleSellerAdmin), action: "application.submit", objectType: "application",
			objectID: r.ID, orgID: r.OrgID, summary: "seller application submitted", before: map[string]string{"state": string(r.State)}, after: map[string]string{"state": string(next)}})
	})
	if err != nil {
		return v, err
	}
	return s.reload(ctx, r.ID)
}

func (s *Service) reload(ctx context.Context, id string) (ApplicationView, error) {
	r, err := s.store.Application(ctx, id)
	if err != nil {
		return ApplicationView{}, err
	}
	return s.view(ctx, r)
}

// SignAgreement signs the Seller Agreement in force for the actor's company.
// version must be the one in force: a signature is of a text the signer saw.
//
// Errors: Invalid on "version" when it is not the one in force; NotFound when
// no agreement is published or the actor has no application.
func (s *Service) SignAgreement(ctx context.Context, actor account.Actor, version string) (seller.Signature, error) {
	r, err := s.myApplication(ctx, actor, account.EditApplication)
	if err != nil {
		return seller.Signature{}, err
	}
	in, _, err := s.store.AgreementInForce(ctx)
	if err != nil {
		return seller.Signature{}, err
	}
	if version != in.Version {
		return seller.Signature{}, fault.Field("version", "error.agreement_not_in_force", fmt.Sprintf("the version in force is %s: read it and sign that one", in.Version))
	}
	now := s.now()
	sig := seller.Signature{Version: version, SignedBy: actor.UserID, SignedAt: now}
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		if err := tx.AddSignature(ctx, r.OrgID, sig); err != nil {
			return err
		}
		return record(ctx, tx, actor, now, change{role: string(account.RoleSellerAdmin), action: "agreement.sign", objectType: "agreement",
			objectID: version, orgID: r.OrgID, summary: fmt.Sprintf("Seller Agreement %s signed by %s", version, actor.Email)})
	})
	if err != nil {
		return sig, err
	}
	got, err := s.store.LatestSignature(ctx, r.OrgID)
	if err != nil || got == nil {
		return sig, err
	}
	return *got, nil
}

// SetTaxBank stores the actor's company's tax ID and bank account, sealed, and
// withdraws any certification of the details they replace.
//
// Errors: Invalid on a field; Forbidden for a seller member.
func (s *Service) SetTaxBank(ctx context.Context, actor account.Actor, tb seller.TaxBank) (seller.TaxBank, error) {
	r, err := s.myApplication(ctx, actor, account.EditApplication)
	if err != nil {
		return tb, err
	}
	tb = tb.Normal()
	if err := tb.Validate(); err != nil {
		return tb, err
	}
	if s.secrets == nil {
		return tb, fmt.Errorf("market: no secret key configured")
	}
	plain, err := json.Marshal(tb)
	if err != nil {
		return tb, err
	}
	sealed := s.secrets.Seal(plain, r.ID)
	masked := tb.Masked()
	now := s.now()
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		if err := tx.SetTaxBank(ctx, r.ID, sealed, masked, now); err != nil {
			return err
		}
		return record(ctx, tx, actor, now, change{role: string(account.RoleSellerAdmin), action: "taxbank.update", objectType: "application",
			objectID: r.ID, orgID: r.OrgID, summary: "tax and bank details changed; certification withdrawn", before: r.TaxBank, after: masked})
	})
	return masked, err
}

// TaxBank returns the actor's company's tax and bank details, masked, with the
// application they belong to (for who certified them and when).
//
// Errors: NotFound when none are entered.
func (s *Service) TaxBank(ctx context.Context, actor account.Actor) (seller.TaxBank, seller.Record, error) {
	r, err := s.myApplication(ctx, actor, account.ReadApplication)
	if err != nil {
		return seller.TaxBank{}, r, err
	}
	if r.TaxBank == nil {
		return seller.TaxBank{}, r, &fault.Error{Code: fault.NotFound, MsgID: "error.taxbank_missing", Message: "no tax and bank details are entered yet"}
	}
	return *r.TaxBank, r, nil
}

// ApplicationSummary is a row of the review queue.
type ApplicationSummary struct {
	seller.Record
	TaxBankToCertify bool // details entered, not certified
	AgeDays          int  // whole days since the last submission; -1 if never submitted
}

// ApplicationFilter selects applications for the review queue.
type ApplicationFilter struct {
	State        seller.State
	Region       string
	OlderThanDay int // submitted more than this many days ago
}

// Applications lists applications for review (operators), oldest first.
//
// Errors: Forbidden; Invalid on "state".
func (s *Service) Applications(ctx context.Context, actor account.Actor, f ApplicationFilter) ([]ApplicationSummary, error) {
	if err := allow(actor, account.ListApplications, account.Resource{}); err != nil {
		return nil, err
	}
	if f.State != "" && !f.State.Valid() {
		return nil, fault.Field("state", "error.state_unknown", "choose draft, submitted, changes_requested, approved, rejected or suspended")
	}
	now := s.now()
	sf := store.ApplicationFilter{State: f.State, Region: f.Region}
	if f.OlderThanDay > 0 {
		sf.SubmittedBefore = now.AddDate(0, 0, -f.OlderThanDay)
	}
	list, err := s.store.Applications(ctx, sf)
	if err != nil {
		return nil, err
	}
	out := make([]ApplicationSummary, 0, len(list))
	for _, r := range list {
		if r.RegionCodes, err = s.store.ApplicationRegions(ctx, r.ID); err != nil {
			return nil, err
		}
		age := -1
		if !r.SubmittedAt.IsZero() {
			age = max(0, int(now.Sub(r.SubmittedAt)/(24*time.Hour)))
		}
		out = append(out, ApplicationSummary{Record: r, TaxBankToCertify: r.TaxBank != nil && r.TaxBankCertifiedAt.IsZero(), AgeDays: age})
	}
	return out, nil
}

// Application returns one application for an operator, or for its own company.
//
// Errors: NotFound (also for another company's).
func (s *Service) Application(ctx context.Context, actor account.Actor, id string) (ApplicationView, error) {
	if !actor.Signed() { // before the lookup, so the answer does not tell which ids exist
		return ApplicationView{}, allow(actor, account.ReadApplication, account.Resource{})
	}
	r, err := s.store.Application(ctx, id)
	if err == nil && !account.Can(actor, account.ReadApplication, account.Resource{OrgID: r.OrgID}) {
		err = &fault.Error{Code: fault.NotFound, MsgID: "error.no_application", Message: "no such application"}
	}
	if err != nil {
		return ApplicationView{}, err
	}
	return s.view(ctx, r)
}

// reviewable loads an application for a review step: only operators get as
// far as the lookup (so others cannot tell which ids exist), and never for
// their own company.
func (s *Service) reviewable(ctx context.Context, actor account.Actor, id string) (seller.Record, error) {
	if err := allow(actor, account.ListApplications, account.Resource{}); err != nil {
		return seller.Record{}, err
	}
	r, err := s.store.Application(ctx, id)
	if err != nil {
		return r, err
	}
	return r, allow(actor, account.ReviewApplication, account.Resource{OrgID: r.OrgID})
}

// Review moves an application one step (operators): approve, reject or ask
// for changes of a submitted one; suspend an approved seller or reinstate a
// suspended one. Approval runs the seven checks again (the agreement may have
// changed since submission). The company's administrators are told.
//
// Errors: Forbidden (also for an operator of the applying company);
// NotFound; Invalid on "step" or "reason"; InvalidState; RequirementsNotMet.
func (s *Service) Review(ctx context.Context, actor account.Actor, id string, step seller.Step, reason string) (ApplicationView, error) {
	r, err := s.reviewable(ctx, actor, id)
	if err != nil {
		return ApplicationView{}, err
	}
	if step == seller.Submit {
		return ApplicationView{}, fault.Field("step", "error.step_unknown", "only the applicant submits")
	}
	next, err := seller.Next(r.State, step, reason)
	if err != nil {
		return ApplicationView{}, err
	}
	reason = strings.TrimSpace(reason)
	if step == seller.Approve {
		v, err := s.view(ctx, r)
		if err != nil {
			return v, err
		}
		if len(seller.Failed(v.Checks)) > 0 {
			return v, failedDetails(v.Checks)
		}
	}
	now := s.now()
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		if err := tx.MoveApplication(ctx, r.ID, r.State, next, actor.UserID, reason, now); err != nil {
			return err
		}
		if err := s.notifyCompany(ctx, tx, r.OrgID, stepNotice(step, r.LegalName, reason)); err != nil {
			return err
		}
		return record(ctx, tx, actor, now, change{role: string(account.RoleOperator), action: "application." + string(step), objectType: "application",
			objectID: r.ID, orgID: r.OrgID, summary: fmt.Sprintf("seller application of %s: %s → %s", r.LegalName, r.State, next),
			before: map[string]string{"state": string(r.State)}, after: map[string]string{"state": string(next), "reason": reason}})
	})
	if err != nil {
		return ApplicationView{}, err
	}
	return s.reload(ctx, r.ID)
}

// notifyCompany tells the company's administrators.
func (s *Service) notifyCompany(ctx context.Context, tx *store.Tx, orgID string, n notice.Notification) error {
	admins, err := tx.OrgMembers(ctx, orgID, account.RoleSellerAdmin)
	if err != nil {
		return err
	}
	return s.notify(ctx, tx, admins, n)
}

// stepNotice is what the applicant is told of a review step.
func stepNotice(step seller.Step, company, reason string) notice.Notification {
	n := notice.Notification{Kind: "application." + string(step), Link: "/seller/application"}
	withReason := func(en, zh string) (string, string) {
		if reason == "" {
			return en, zh
		}
		return en + " Reason: " + reason, zh + " 原因：" + reason
	}
	switch step {
	case seller.Approve:
		n.TitleEN, n.TitleZH = "Your seller application is approved", "您的卖家入驻申请已通过"
		n.BodyEN, n.BodyZH = withReason(company+" can now list and sell products on the marketplace.", company+" 现在可以在云市场发布并销售商品。")
	case seller.Reject:
		n.TitleEN, n.TitleZH = "Your seller application was rejected", "您的卖家入驻申请未通过"
		n.BodyEN, n.BodyZH = withReason("The application of "+company+" was rejected.", company+" 的申请未通过。")
	case seller.RequestChanges:
		n.TitleEN, n.TitleZH = "Changes requested on your seller application", "您的卖家入驻申请需要修改"
		n.BodyEN, n.BodyZH = withReason("Change the application of "+company+" and submit it again.", "请修改 "+company+" 的申请后重新提交。")
	case seller.Suspend:
		n.TitleEN, n.TitleZH = "Your seller account is suspended", "您的卖家账号已被暂停"
		n.BodyEN, n.BodyZH = withReason(company+"'s listings are hidden and it cannot sell until it is reinstated.", company+" 的商品已下架隐藏，恢复前无法销售。")
	case seller.Reinstate:
		n.TitleEN, n.TitleZH = "Your seller account is reinstated", "您的卖家账号已恢复"
		n.BodyEN, n.BodyZH = withReason(company+" can sell again.", company+" 已恢复销售。")
	}
	return n
}

// CertifyTaxBank certifies the tax and bank details on file (operators, never
// of their own company). seen is when the details the operator looked at were
// entered (TaxBankUpdatedAt as shown): if they changed since, nothing is
// certified. A zero seen certifies what is on file at this moment.
//
// Errors: Forbidden; NotFound; InvalidState when none are entered; Conflict
// when they changed meanwhile.
func (s *Service) CertifyTaxBank(ctx context.Context, actor account.Actor, id string, seen time.Time) (ApplicationView, error) {
	r, err := s.reviewable(ctx, actor, id)
	if err != nil {
		return ApplicationView{}, err
	}
	if r.TaxBank == nil {
		return ApplicationView{}, &fault.Error{Code: fault.InvalidState, MsgID: "error.taxbank_missing", Message: "the company has not entered tax and bank details"}
	}
	if !seen.IsZero() && !seen.Equal(r.TaxBankUpdatedAt) {
		return ApplicationView{}, &fault.Error{Code: fault.Conflict, MsgID: "error.taxbank_changed",
			Message: "the tax and bank details changed after you looked at them: review them again"}
	}
	if !r.TaxBankCertifiedAt.IsZero() {
		return s.view(ctx, r)
	}
	now := s.now()
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		if err := tx.CertifyTaxBank(ctx, r.ID, r.TaxBankUpdatedAt, actor.UserID, now); err != nil {
			return err
		}
		if err := s.notifyCompany(ctx, tx, r.OrgID, notice.Notification{Kind: "taxbank.certified", Link: "/seller/application",
			TitleEN: "Tax and bank details certified", TitleZH: "税务和银行信息已认证",
			BodyEN: "The marketplace certified the tax and bank details of " + r.LegalName + ".", BodyZH: "云市场已认证 " + r.LegalName + " 的税务和银行信息。"}); err != nil {
			return err
		}
		return record(ctx, tx, actor, now, change{role: string(account.RoleOperator), action: "taxbank.certify", objectType: "application",
			objectID: r.ID, orgID: r.OrgID, summary: "tax and bank details of " + r.LegalName + " certified", after: r.TaxBank})
	})
	if err != nil {
		return ApplicationView{}, err
	}
	return s.reload(ctx, r.ID)
}
