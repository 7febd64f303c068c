package market

import (
	"context"
	"fmt"
	"slices"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/benefit"
	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/ids"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/store"
)

// ZoneView is a featured zone with the products on sale placed in it.
type ZoneView struct {
	catalog.Zone
	Products []store.Hit
}

// Zones lists the featured zones with their products on sale; anyone may look.
func (s *Service) Zones(ctx context.Context, currency money.Currency) ([]ZoneView, error) {
	zones, err := s.store.Zones(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]ZoneView, 0, len(zones))
	for _, z := range zones {
		hits, err := s.store.ZoneHits(ctx, z.Slug, currency)
		if err != nil {
			return nil, err
		}
		out = append(out, ZoneView{Zone: z, Products: hits})
	}
	return out, nil
}

// SaveZone creates or changes a featured zone (operators).
//
// Errors: Forbidden; Invalid on a field.
func (s *Service) SaveZone(ctx context.Context, actor account.Actor, z catalog.Zone) (catalog.Zone, error) {
	if err := allow(actor, account.ManageStorefront, account.Resource{}); err != nil {
		return z, err
	}
	if err := z.Validate(); err != nil {
		return z, err
	}
	now := s.now()
	return z, s.store.Write(ctx, func(tx *store.Tx) error {
		before, err := tx.Zone(ctx, z.Slug)
		if err == nil && before == z {
			return nil
		}
		if err := tx.SaveZone(ctx, z, now); err != nil {
			return err
		}
		return record(ctx, tx, actor, now, change{role: string(account.RoleOperator), action: "zone.save", objectType: "zone", objectID: z.Slug,
			summary: fmt.Sprintf("featured zone %s (%s)", z.Slug, z.Name.EN), after: z})
	})
}

// DeleteZone removes a featured zone (operators).
//
// Errors: Forbidden; NotFound.
func (s *Service) DeleteZone(ctx context.Context, actor account.Actor, slug string) error {
	if err := allow(actor, account.ManageStorefront, account.Resource{}); err != nil {
		return err
	}
	now := s.now()
	return s.store.Write(ctx, func(tx *store.Tx) error {
		if err := tx.DeleteZone(ctx, slug); err != nil {
			return err
		}
		return record(ctx, tx, actor, now, change{role: string(account.RoleOperator), action: "zone.delete", objectType: "zone", objectID: slug, summary: "featured zone " + slug + " removed"})
	})
}

// PlaceInZone sets the products of a featured zone, in order (operators).
// Only products on sale can be placed: their sellers are approved, which is
// what makes a seller eligible for featured zones.
//
// Errors: Forbidden; NotFound for the zone; Invalid on "products[i]".
func (s *Service) PlaceInZone(ctx context.Context, actor account.Actor, slug string, productIDs []string) error {
	if err := allow(actor, account.ManageStorefront, account.Resource{}); err != nil {
		return err
	}
	if _, err := s.store.Zone(ctx, slug); err != nil {
		return err
	}
	if len(productIDs) > 48 {
		return fault.Field("products", "error.zone_full", "place at most 48 products in a zone")
	}
	seen := map[string]bool{}
	for i, id := range productIDs {
		on, err := s.store.OnStorefront(ctx, id)
		if err == nil && on {
			on, err = s.featuredSeller(ctx, id)
		}
		if err != nil {
			return err
		}
		if !on || seen[id] {
			return fault.Field(fmt.Sprintf("products[%d]", i), "error.zone_product", "only products on sale by approved sellers can be placed, each once")
		}
		seen[id] = true
	}
	now := s.now()
	return s.store.Write(ctx, func(tx *store.Tx) error {
		current, err := tx.ZoneProducts(ctx, slug)
		if err != nil {
			return err
		}
		if slices.Equal(current, productIDs) {
			return nil // nothing changes, nothing to record
		}
		if err := tx.SetZoneProducts(ctx, slug, productIDs); err != nil {
			return err
		}
		return record(ctx, tx, actor, now, change{role: string(account.RoleOperator), action: "zone.place", objectType: "zone", objectID: slug,
			summary: fmt.Sprintf("%d products placed in %s", len(productIDs), slug), after: productIDs})
	})
}

// featuredSeller reports whether the seller of a product may be placed in
// featured zones (package benefit's rule: an approved seller).
func (s *Service) featuredSeller(ctx context.Context, productID string) (bool, error) {
	e, err := s.store.Product(ctx, productID)
	if err != nil {
		return false, err
	}
	state, err := s.store.SellerState(ctx, e.SellerOrgID)
	return benefit.Featured(state), err
}

// BannerEligibility says whether a seller may be placed in the homepage
// banner, and if not, what is missing. This is the one place the storefront
// asks; the rule is package benefit's: USD 100,000 of transactions — what
// buyers paid for the seller's products, net of refunds, all time, each order
// converted at the operators' exchange rate of its payment date — by an
// approved seller.
func (s *Service) BannerEligibility(ctx context.Context, sellerOrgID string) (bool, catalog.Text, error) {
	f, err := s.bannerFacts(ctx, sellerOrgID)
	if err != nil {
		return false, catalog.Text{}, err
	}
	b := benefit.Banner(f)
	return b.Has, b.Reason.Text, nil
}

// SellerBannerEligibility answers BannerEligibility for an operator, or for the
// seller itself.
//
// Errors: Forbidden for anyone else; NotFound for an organisation that is not a seller.
func (s *Service) SellerBannerEligibility(ctx context.Context, actor account.Actor, orgID string) (bool, catalog.Text, error) {
	if err := allow(actor, account.ReadApplication, account.Resource{OrgID: orgID}); err != nil {
		return false, catalog.Text{}, err
	}
	if org, err := s.store.Org(ctx, orgID); err != nil || org.Kind != account.KindSeller {
		return false, catalog.Text{}, &fault.Error{Code: fault.NotFound, Message: "no such seller"}
	}
	return s.BannerEligibility(ctx, orgID)
}

// SaveBanner creates (empty ID) or changes a homepage banner slot (operators).
// A banner that shows a seller's product needs the product on sale and the
// seller eligible for the banner.
//
// Errors: Forbidden; Invalid on a field; RequirementsNotMet when the seller is
// not eligible.
func (s *Service) SaveBanner(ctx context.Context, actor account.Actor, b catalog.Banner) (catalog.Banner, error) {
	if err := allow(actor, account.ManageStorefront, account.Resource{}); err != nil {
		return b, err
	}
	if err := b.Validate(); err != nil {
		return b, err
	}
	if b.ProductID != "" {
		on, err := s.store.OnStorefront(ctx, b.ProductID)
		if err != nil {
			return b, err
		}
		if !on {
			return b, fault.Field("product_id", "error.zone_product", "only products on sale by approved sellers can be placed")
		}
		e, err := s.store.Product(ctx, b.ProductID)
		if err != nil {
			return b, err
		}
		ok, why, err := s.BannerEligibility(ctx, e.SellerOrgID)
		if err != nil {
			return b, err
		}
		if !ok {
			return b, &fault.Error{Code: fault.RequirementsNotMet, MsgID: "error.banner_not_eligible", Message: why.EN,
				Details: []fault.Detail{{ID: "homepage_banner", Message: why.EN}}}
		}
	}
	if b.ID == "" {
		b.ID = ids.New("ban")
	} else if _, err := s.store.Banner(ctx, b.ID); err != nil {
		return b, err // changing a banner that does not exist: NotFound, never a new one with a chosen id
	}
	b.StartsAt, b.EndsAt = b.StartsAt.UTC(), b.EndsAt.UTC()
	now := s.now()
	return b, s.store.Write(ctx, func(tx *store.Tx) error {
		if err := tx.SaveBanner(ctx, b, now); err != nil {
			return err
		}
		return record(ctx, tx, actor, now, change{role: string(account.RoleOperator), action: "banner.save", objectType: "banner", objectID: b.ID,
			summary: "homepage banner " + b.Title.EN, after: b})
	})
}

// DeleteBanner removes a banner slot (operators).
//
// Errors: Forbidden; NotFound.
func (s *Service) DeleteBanner(ctx context.Context, actor account.Actor, id string) error {
	if err := allow(actor, account.ManageStorefront, account.Resource{}); err != nil {
		return err
	}
	now := s.now()
	return s.store.Write(ctx, func(tx *store.Tx) error {
		if err := tx.DeleteBanner(ctx, id); err != nil {
			return err
		}
		return record(ctx, tx, actor, now, change{role: string(account.RoleOperator), action: "banner.delete", objectType: "banner", objectID: id, summary: "homepage banner removed"})
	})
}

// Banners lists every banner slot (operators).
func (s *Service) Banners(ctx context.Context, actor account.Actor) ([]catalog.Banner, error) {
	if err := allow(actor, account.ManageStorefront, account.Resource{}); err != nil {
		return nil, err
	}
	return s.store.Banners(ctx)
}

// HomeBanners lists the banners showing now; anyone may look.
func (s *Service) HomeBanners(ctx context.Context) ([]catalog.Banner, error) {
	return s.store.BannersShowing(ctx, s.now())
}
