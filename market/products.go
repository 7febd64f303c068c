package market

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"slices"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/ids"
	"github.com/cloudmart/cloudmart/notice"
	"github.com/cloudmart/cloudmart/seller"
	"github.com/cloudmart/cloudmart/store"
)

// ProductView is a product with the revisions a reader needs: the one on sale
// (or delisted), the one in the works, and what changed between them.
type ProductView struct {
	catalog.Entry
	SellerName string
	Live       *catalog.RevisionRecord
	Pending    *catalog.RevisionRecord
	Changes    []catalog.Change         // pending against live; nil without both
	History    []catalog.RevisionRecord // every revision, newest first
}

// Content is the revision a reader sees first: the pending one if any, else
// the live one.
func (v ProductView) Content() catalog.Product {
	if v.Pending != nil {
		return v.Pending.Content
	}
	if v.Live != nil {
		return v.Live.Content
	}
	return catalog.Product{}
}

// productView loads the revisions of an entry.
func (s *Service) productView(ctx context.Context, e catalog.Entry) (ProductView, error) {
	v := ProductView{Entry: e}
	org, err := s.store.Org(ctx, e.SellerOrgID)
	if err != nil {
		return v, err
	}
	v.SellerName = org.Name
	for _, side := range []struct {
		rev  *catalog.Revision
		into **catalog.RevisionRecord
	}{{e.Listing.Live, &v.Live}, {e.Listing.Pending, &v.Pending}} {
		if side.rev == nil {
			continue
		}
		r, err := s.store.Revision(ctx, e.ID, side.rev.Number)
		if err != nil {
			return v, err
		}
		r.Revision = *side.rev
		*side.into = &r
	}
	if v.Live != nil && v.Pending != nil {
		v.Changes = catalog.Diff(v.Live.Content, v.Pending.Content)
	}
	v.History, err = s.store.Revisions(ctx, e.ID)
	return v, err
}

// sellerMaySell decides whether the company may list products of the type:
// it must be an approved (unsuspended) seller that declared the offering.
//
// Errors: Forbidden (error.seller_not_selling, error.offering_not_declared).
func (s *Service) sellerMaySell(ctx context.Context, orgID string, typ catalog.Type) error {
	state, err := s.store.SellerState(ctx, orgID)
	if err != nil {
		return err
	}
	if !state.Selling() {
		return &fault.Error{Code: fault.Forbidden, MsgID: "error.seller_not_selling",
			Message: "only an approved seller that is not suspended may list products"}
	}
	app, err := s.store.ApplicationOfOrg(ctx, orgID)
	if err != nil {
		return err
	}
	if !slices.Contains(app.Offerings, typ.Offering()) {
		return &fault.Error{Code: fault.Forbidden, MsgID: "error.offering_not_declared",
			Message: fmt.Sprintf("your company did not declare %s among its offerings", typ)}
	}
	return nil
}

// agreementSigned fails when the company has not signed the Seller Agreement in
// force: a new version is signed before anything new is submitted.
//
// Errors: RequirementsNotMet with the agreement detail.
func (s *Service) agreementSigned(ctx context.Context, orgID string) error {
	in, _, err := s.store.AgreementInForce(ctx)
	if err != nil {
		return err
	}
	sig, err := s.store.LatestSignature(ctx, orgID)
	if err != nil {
		return err
	}
	if sig == nil || sig.Version != in.Version {
		return &fault.Error{Code: fault.RequirementsNotMet, MsgID: "error.requirements_not_met",
			Message: "sign the Seller Agreement in force first",
			Details: []fault.Detail{{ID: seller.ReqAgreement, Message: "Sign the Seller Agreement version " + in.Version + "."}}}
	}
	return nil
}

func (s *Service) regionCodes(ctx context.Context) ([]string, error) {
	regions, err := s.store.Regions(ctx)
	codes := make([]string, 0, len(regions))
	for _, r := range regions {
		codes = append(codes, r.Code)
	}
	return codes, err
}

// newSigningKey returns a fresh key for the SaaS delivery protocol.
func newSigningKey() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// prepare makes content fit its product: its id, seller and type are the
// entry's, and plans keep the ids they had by code (new plans get new ones), so
// orders of a plan stay attached to it across revisions.
func prepare(content catalog.Product, e catalog.Entry, previous *catalog.Product) catalog.Product {
	content.ID, content.SellerOrgID, content.Type = e.ID, e.SellerOrgID, e.Type
	known := map[string]string{}
	if previous != nil {
		for _, pl := range previous.Plans {
			known[pl.Code] = pl.ID
		}
	}
	plans := make([]catalog.Plan, len(content.Plans))
	for i, pl := range content.Plans {
		if id, ok := known[pl.Code]; ok {
			pl.ID = id
		} else {
			pl.ID = ids.New("pln") // never a caller's: it could collide with another product's
		}
		plans[i] = pl
	}
	content.Plans = plans
	return content
}

// CreateProduct starts a product of the actor's company: its first revision,
// a draft with the content given. A SaaS product gets its signing key for the
// delivery protocol, returned here once. The content refers to no uploaded
// file yet: files are uploaded for a product that exists (UploadProductFile).
//
// Errors: Forbidden when the company may not sell the type; Invalid on a field
// (error.file_unknown on a file's key).
func (s *Service) CreateProduct(ctx context.Context, actor account.Actor, content catalog.Product) (ProductView, string, error) {
	orgID := sellerOrg(actor)
	if err := allow(actor, account.ManageProducts, account.Resource{OrgID: orgID}); err != nil {
		return ProductView{}, "", err
	}
	if !content.Type.Valid() {
		return ProductView{}, "", fault.Field("type", "error.type_unknown", "choose image, saas, license or professional_service")
	}
	if err := s.sellerMaySell(ctx, orgID, content.Type); err != nil {
		return ProductView{}, "", err
	}
	regions, err := s.regionCodes(ctx)
	if err != nil {
		return ProductView{}, "", err
	}
	now := s.now()
	e := catalog.Entry{ID: ids.New("prd"), SellerOrgID: orgID, Type: content.Type, CreatedAt: now, UpdatedAt: now}
	content = prepare(content, e, nil)
	if err := content.ValidateDraft(regions); err != nil {
		return ProductView{}, "", err
	}
	if err := content.CheckFileRefs(nil); err != nil { // files are uploaded for a product that exists
		return ProductView{}, "", err
	}
	e.Listing, _ = catalog.Listing{}.Edit()
	var key, sealed string
	if e.Type == catalog.TypeSaaS {
		if s.secrets == nil {
			return ProductView{}, "", fmt.Errorf("market: no secret key configured")
		}
		key = newSigningKey()
		sealed = s.secrets.Seal([]byte(key), e.ID)
	}
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		if err := tx.CreateProduct(ctx, e, sealed); err != nil {
			return err
		}
		if err := tx.PutRevision(ctx, e.ID, catalog.RevisionRecord{Revision: *e.Listing.Pending, Content: content, CreatedAt: now, UpdatedAt: now}); err != nil {
			return err
		}
		return record(ctx, tx, actor, now, change{role: "seller", action: "product.create", objectType: "product", objectID: e.ID, orgID: orgID,
			summary: fmt.Sprintf("%s product %q created", e.Type, content.Name.EN)})
	})
	if err != nil {
		return ProductView{}, "", err
	}
	v, err := s.productOf(ctx, e.ID)
	return v, key, err
}

func (s *Service) productOf(ctx context.Context, id string) (ProductView, error) {
	e, err := s.store.Product(ctx, id)
	if err != nil {
		return ProductView{}, err
	}
	return s.productView(ctx, e)
}

// ownProduct loads one of the actor's company's products; another company's
// answers NotFound.
func (s *Service) ownProduct(ctx context.Context, actor account.Actor, id string) (catalog.Entry, error) {
	if !actor.Signed() {
		return catalog.Entry{}, allow(actor, account.ManageProducts, account.Resource{})
	}
	e, err := s.store.Product(ctx, id)
	if err == nil && !account.Can(actor, account.ManageProducts, account.Resource{OrgID: e.SellerOrgID}) {
		err = &fault.Error{Code: fault.NotFound, MsgID: "error.no_product", Message: "no such product"}
	}
	return e, err
}

// SaveProduct changes a product's content: the draft or rejected revision in
// the works, or, for a published product, a new revision while the published
// one stays on sale. version is the entry version the seller edited (0 skips
// the check). The logo, screenshots and licence terms it refers to must be
// files uploaded for this product, each of the kind its field needs.
//
// Errors: NotFound; InvalidState while a revision is in review; Conflict when
// it changed meanwhile; Invalid on a field (error.file_unknown,
// error.screenshot_duplicate on a file's key).
func (s *Service) SaveProduct(ctx context.Context, actor account.Actor, id string, content catalog.Product, version int) (ProductView, error) {
	e, err := s.ownProduct(ctx, actor, id)
	if err != nil {
		return ProductView{}, err
	}
	if version > 0 && version != e.Version {
		return ProductView{}, &fault.Error{Code: fault.Conflict, MsgID: "error.changed_meanwhile", Message: "the product was changed meanwhile: reload it"}
	}
	next, err := e.Listing.Edit()
	if err != nil {
		return ProductView{}, err
	}
	var previous *catalog.Product
	if e.Listing.Live != nil {
		live, err := s.store.Revision(ctx, id, e.Listing.Live.Number)
		if err != nil {
			return ProductView{}, err
		}
		previous = &live.Content
	}
	if e.Listing.Pending != nil {
		pending, err := s.store.Revision(ctx, id, e.Listing.Pending.Number)
		if err != nil {
			return ProductView{}, err
		}
		previous = &pending.Content
	}
	content = prepare(content, e, previous)
	regions, err := s.regionCodes(ctx)
	if err != nil {
		return ProductView{}, err
	}
	if err := content.ValidateDraft(regions); err != nil {
		return ProductView{}, err
	}
	if err := s.checkFiles(ctx, id, content); err != nil {
		return ProductView{}, err
	}
	now := s.now()
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		created := now
		if e.Listing.Pending != nil && e.Listing.Pending.Number == next.Pending.Number {
			old, err := tx.Revision(ctx, id, next.Pending.Number)
			if err != nil {
				return err
			}
			created = old.CreatedAt
		}
		next.Pending.State = catalog.Draft // a rejected revision being answered is a draft again
		next.Pending.Reason = ""
		if err := tx.PutRevision(ctx, id, catalog.RevisionRecord{Revision: *next.Pending, Content: content, CreatedAt: created, UpdatedAt: now}); err != nil {
			return err
		}
		moved := e
		moved.Listing = next
		if err := tx.SaveListing(ctx, moved, now); err != nil {
			return err
		}
		return record(ctx, tx, actor, now, change{role: "seller", action: "product.update", objectType: "product", objectID: id, orgID: e.SellerOrgID,
			summary: fmt.Sprintf("revision %d of %q saved", next.Pending.Number, content.Name.EN)})
	})
	if err != nil {
		return ProductView{}, err
	}
	return s.productOf(ctx, id)
}

// SubmitProduct sends the product's revision in the works to review, or
// relists a delisted product (its revision goes to review again). The content
// must pass every rule of its type and refer only to files uploaded for the
// product, the company must still be allowed to sell it and must have signed
// the Seller Agreement in force.
//
// Errors: NotFound; Invalid on a field; Forbidden; RequirementsNotMet;
// InvalidState.
func (s *Service) SubmitProduct(ctx context.Context, actor account.Actor, id string) (ProductView, error) {
	e, err := s.ownProduct(ctx, actor, id)
	if err != nil {
		return ProductView{}, err
	}
	if err := s.sellerMaySell(ctx, e.SellerOrgID, e.Type); err != nil {
		return ProductView{}, err
	}
	if err := s.agreementSigned(ctx, e.SellerOrgID); err != nil {
		return ProductView{}, err
	}
	next, _, err := e.Listing.Take(catalog.Submit, false, "")
	if err != nil {
		return ProductView{}, err
	}
	rev, err := s.store.Revision(ctx, id, next.Pending.Number)
	if err != nil {
		return ProductView{}, err
	}
	regions, err := s.regionCodes(ctx)
	if err != nil {
		return ProductView{}, err
	}
	if err := rev.Content.Validate(regions); err != nil {
		return ProductView{}, err
	}
	if err := s.checkFiles(ctx, id, rev.Content); err != nil {
		return ProductView{}, err
	}
	now := s.now()
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		if e.Listing.Live != nil && next.Live == nil { // relisting: the delisted revision is off the storefront already
			if err := tx.TakeOffStorefront(ctx, id); err != nil {
				return err
			}
		}
		rev.Revision, rev.UpdatedAt, rev.SubmittedAt = *next.Pending, now, now
		if err := tx.PutRevision(ctx, id, rev); err != nil {
			return err
		}
		moved := e
		moved.Listing = next
		if err := tx.SaveListing(ctx, moved, now); err != nil {
			return err
		}
		if err := s.notifyRole(ctx, tx, account.RoleOperator, notice.Notification{Kind: "product.submitted", Link: "/ops/products/" + id,
			TitleEN: "Product to review: " + rev.Content.Name.EN, TitleZH: "待审核商品：" + rev.Content.Name.ZH,
			BodyEN: fmt.Sprintf("Revision %d of %q waits for review.", rev.Number, rev.Content.Name.EN),
			BodyZH: fmt.Sprintf("商品“%s”的第 %d 版等待审核。", rev.Content.Name.ZH, rev.Number)}); err != nil {
			return err
		}
		return record(ctx, tx, actor, now, change{role: "seller", action: "product.submit", objectType: "product", objectID: id, orgID: e.SellerOrgID,
			summary: fmt.Sprintf("revision %d of %q submitted for review", rev.Number, rev.Content.Name.EN)})
	})
	if err != nil {
		return ProductView{}, err
	}
	return s.productOf(ctx, id)
}

// ReviewProduct approves or rejects the revision in review (operators, never
// of their own company). Approval puts it on the storefront in place of the
// revision on sale, and its files (logo, screenshots, terms) become readable
// by everyone; rejection needs a reason. The seller is told.
//
// Errors: Forbidden; NotFound; Invalid on "step" or "reason"; InvalidState.
func (s *Service) ReviewProduct(ctx context.Context, actor account.Actor, id string, step catalog.Step, reason string) (ProductView, error) {
	if err := allow(actor, account.ListApplications, account.Resource{}); err != nil { // operators only get as far as the lookup
		return ProductView{}, err
	}
	e, err := s.store.Product(ctx, id)
	if err != nil {
		return ProductView{}, err
	}
	if err := allow(actor, account.ReviewProducts, account.Resource{OrgID: e.SellerOrgID}); err != nil {
		return ProductView{}, err
	}
	if step != catalog.Approve && step != catalog.Reject {
		return ProductView{}, fault.Field("step", "error.step_unknown", "approve or reject")
	}
	next, superseded, err := e.Listing.Take(step, true, reason)
	if err != nil {
		return ProductView{}, err
	}
	number := e.Listing.Pending.Number
	rev, err := s.store.Revision(ctx, id, number)
	if err != nil {
		return ProductView{}, err
	}
	now := s.now()
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		moved := e
		moved.Listing = next
		if step == catalog.Approve {
			rev.Revision = *next.Live
			if err := tx.PutOnStorefront(ctx, rev.Content, now); err != nil {
				return err
			}
			if err := tx.MarkLiveFiles(ctx, id, rev.Content.FileKeys()); err != nil {
				return err
			}
		} else {
			rev.Revision = *next.Pending
		}
		rev.UpdatedAt, rev.DecidedAt, rev.DecidedBy = now, now, actor.UserID
		if err := tx.PutRevision(ctx, id, rev); err != nil {
			return err
		}
		if superseded != nil {
			old, err := tx.Revision(ctx, id, superseded.Number)
			if err != nil {
				return err
			}
			old.Revision, old.UpdatedAt = *superseded, now
			if err := tx.PutRevision(ctx, id, old); err != nil {
				return err
			}
		}
		if err := tx.SaveListing(ctx, moved, now); err != nil {
			return err
		}
		n := notice.Notification{Kind: "product." + string(step), Link: "/seller/products/" + id}
		if step == catalog.Approve {
			n.TitleEN, n.TitleZH = "Published: "+rev.Content.Name.EN, "已上架："+rev.Content.Name.ZH
			n.BodyEN, n.BodyZH = fmt.Sprintf("Revision %d is now on sale.", number), fmt.Sprintf("第 %d 版已上架销售。", number)
		} else {
			n.TitleEN, n.TitleZH = "Not approved: "+rev.Content.Name.EN, "未通过审核："+rev.Content.Name.ZH
			n.BodyEN, n.BodyZH = fmt.Sprintf("Revision %d was rejected. Reason: %s", number, reason), fmt.Sprintf("第 %d 版未通过审核。原因：%s", number, reason)
		}
		if err := s.notifyCompany(ctx, tx, e.SellerOrgID, n); err != nil {
			return err
		}
		return record(ctx, tx, actor, now, change{role: string(account.RoleOperator), action: "product." + string(step), objectType: "product", objectID: id,
			orgID: e.SellerOrgID, summary: fmt.Sprintf("revision %d of %q: %s", number, rev.Content.Name.EN, step), after: map[string]string{"reason": reason}})
	})
	if err != nil {
		return ProductView{}, err
	}
	return s.productOf(ctx, id)
}

// DelistProduct takes a product off sale: its seller may, and an operator may
// with a reason. A revision in the works is unaffected.
//
// Errors: NotFound; Invalid on "reason"; InvalidState when it is not on sale.
func (s *Service) DelistProduct(ctx context.Context, actor account.Actor, id, reason string) (ProductView, error) {
	if !actor.Signed() {
		return ProductView{}, allow(actor, account.ManageProducts, account.Resource{})
	}
	e, err := s.store.Product(ctx, id)
	if err != nil {
		return ProductView{}, err
	}
	own := account.Can(actor, account.ManageProducts, account.Resource{OrgID: e.SellerOrgID})
	operator := account.Can(actor, account.ReviewProducts, account.Resource{OrgID: e.SellerOrgID})
	if !own && !operator {
		return ProductView{}, &fault.Error{Code: fault.NotFound, MsgID: "error.no_product", Message: "no such product"}
	}
	next, _, err := e.Listing.Take(catalog.Delist, !own, reason)
	if err != nil {
		return ProductView{}, err
	}
	now := s.now()
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		if err := tx.TakeOffStorefront(ctx, id); err != nil {
			return err
		}
		rev, err := tx.Revision(ctx, id, next.Live.Number)
		if err != nil {
			return err
		}
		rev.Revision, rev.UpdatedAt = *next.Live, now
		if err := tx.PutRevision(ctx, id, rev); err != nil {
			return err
		}
		moved := e
		moved.Listing = next
		if err := tx.SaveListing(ctx, moved, now); err != nil {
			return err
		}
		if !own {
			if err := s.notifyCompany(ctx, tx, e.SellerOrgID, notice.Notification{Kind: "product.delisted", Link: "/seller/products/" + id,
				TitleEN: "Delisted by the marketplace: " + rev.Content.Name.EN, TitleZH: "已被云市场下架：" + rev.Content.Name.ZH,
				BodyEN: "Reason: " + reason, BodyZH: "原因：" + reason}); err != nil {
				return err
			}
		}
		role := "seller"
		if !own {
			role = string(account.RoleOperator)
		}
		return record(ctx, tx, actor, now, change{role: role, action: "product.delist", objectType: "product", objectID: id, orgID: e.SellerOrgID,
			summary: fmt.Sprintf("%q delisted", rev.Content.Name.EN), after: map[string]string{"reason": reason}})
	})
	if err != nil {
		return ProductView{}, err
	}
	return s.productOf(ctx, id)
}

// RotateSigningKey replaces a SaaS product's signing key and returns the new
// one, once.
//
// Errors: NotFound; InvalidState for a product that is not SaaS.
func (s *Service) RotateSigningKey(ctx context.Context, actor account.Actor, id string) (string, error) {
	e, err := s.ownProduct(ctx, actor, id)
	if err != nil {
		return "", err
	}
	if e.Type != catalog.TypeSaaS {
		return "", &fault.Error{Code: fault.InvalidState, MsgID: "error.not_saas", Message: "only SaaS products have a signing key"}
	}
	if s.secrets == nil {
		return "", fmt.Errorf("market: no secret key configured")
	}
	key := newSigningKey()
	now := s.now()
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		if err := tx.SetSigningKey(ctx, id, s.secrets.Seal([]byte(key), id), now); err != nil {
			return err
		}
		return record(ctx, tx, actor, now, change{role: "seller", action: "product.rotate_key", objectType: "product", objectID: id, orgID: e.SellerOrgID,
			summary: "signing key rotated"})
	})
	return key, err
}

// SellerProducts lists the actor's company's products.
func (s *Service) SellerProducts(ctx context.Context, actor account.Actor) ([]ProductView, error) {
	orgID := sellerOrg(actor)
	if err := allow(actor, account.ManageProducts, account.Resource{OrgID: orgID}); err != nil {
		return nil, err
	}
	entries, err := s.store.SellerProducts(ctx, orgID)
	if err != nil {
		return nil, err
	}
	return s.productViews(ctx, entries)
}

func (s *Service) productViews(ctx context.Context, entries []catalog.Entry) ([]ProductView, error) {
	out := make([]ProductView, 0, len(entries))
	for _, e := range entries {
		v, err := s.productView(ctx, e)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// SellerProduct returns one of the actor's company's products, or any product
// for an operator.
//
// Errors: NotFound.
func (s *Service) SellerProduct(ctx context.Context, actor account.Actor, id string) (ProductView, error) {
	if !actor.Signed() {
		return ProductView{}, allow(actor, account.ManageProducts, account.Resource{})
	}
	e, err := s.store.Product(ctx, id)
	if err == nil && !account.Can(actor, account.ManageProducts, account.Resource{OrgID: e.SellerOrgID}) && !actor.Has(account.RoleOperator) {
		err = &fault.Error{Code: fault.NotFound, MsgID: "error.no_product", Message: "no such product"}
	}
	if err != nil {
		return ProductView{}, err
	}
	return s.productView(ctx, e)
}

// ProductForReview returns any product for an operator's review.
//
// Errors: Forbidden for everyone else; NotFound.
func (s *Service) ProductForReview(ctx context.Context, actor account.Actor, id string) (ProductView, error) {
	if err := allow(actor, account.ListApplications, account.Resource{}); err != nil {
		return ProductView{}, err
	}
	return s.productOf(ctx, id)
}

// ProductsInReview lists products with a revision waiting for review (operators).
func (s *Service) ProductsInReview(ctx context.Context, actor account.Actor) ([]ProductView, error) {
	if err := allow(actor, account.ListApplications, account.Resource{}); err != nil {
		return nil, err
	}
	entries, err := s.store.ProductsInReview(ctx)
	if err != nil {
		return nil, err
	}
	return s.productViews(ctx, entries)
}

// PublicProduct returns what buyers see of a product on sale: its published
// revision. Anyone may ask, signed in or not.
//
// Errors: NotFound for a product not on sale (never published, delisted, or
// of a seller that may not sell).
func (s *Service) PublicProduct(ctx context.Context, id string) (catalog.Product, string, error) {
	on, err := s.store.OnStorefront(ctx, id)
	if err != nil {
		return catalog.Product{}, "", err
	}
	e, err := s.store.Product(ctx, id)
	if err == nil && (!on || e.Listing.Live == nil) {
		err = &fault.Error{Code: fault.NotFound, MsgID: "error.no_product", Message: "no such product"}
	}
	if err != nil {
		return catalog.Product{}, "", err
	}
	org, err := s.store.Org(ctx, e.SellerOrgID)
	if err != nil {
		return catalog.Product{}, "", err
	}
	p, err := s.liveContent(ctx, id, e.Listing.Live.Number)
	if err != nil {
		return catalog.Product{}, "", err
	}
	p.Plans = slices.DeleteFunc(slices.Clone(p.Plans), func(pl catalog.Plan) bool { return !pl.Active }) // buyers see what they can buy
	return p, org.Name, nil
}

// liveContent is the content of a product's published revision. A revision's
// content never changes once it is published (an edit makes the next one), so
// it is kept in memory: every order and product page reads it.
func (s *Service) liveContent(ctx context.Context, id string, number int) (catalog.Product, error) {
	key := liveKey{id, number}
	if p, ok := s.live.get(key); ok {
		return p, nil
	}
	r, err := s.store.Revision(ctx, id, number)
	if err != nil {
		return catalog.Product{}, err
	}
	s.live.put(key, r.Content)
	return r.Content, nil
}

// Search finds products on sale; anyone may search.
//
// Errors: Invalid on "sort" or "cursor".
func (s *Service) Search(ctx context.Context, q store.Query) (store.Page, error) {
	return s.store.Search(ctx, q)
}
