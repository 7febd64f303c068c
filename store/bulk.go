package store

import (
	"context"
	"fmt"
	"iter"
	"strings"
	"time"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/seller"
)

// Bulk loading is for benchmarks and tests ONLY. It puts many products on the
// storefront at once, in batched transactions, through the same statements the
// use cases run (CreateProduct, PutRevision, PutOnStorefront), but it bypasses
// everything around them: no validation, no review, no audit log, no
// notifications, no signing keys for SaaS products, and sellers approved
// without an application being checked. Never call it on a marketplace in use.

// BulkSeller is a seller organisation BulkLoad creates, with a user who
// applied for it (who cannot sign in: it has no password) and an approved
// application.
type BulkSeller struct {
	OrgID     string
	Name      string
	Offerings []seller.Offering
	Regions   []string // codes of regions it serves; they must exist (see Bulk.Regions)
}

// BulkProduct is a product BulkLoad publishes, as revision 1, at PublishedAt.
type BulkProduct struct {
	Product     catalog.Product
	PublishedAt time.Time
}

// Bulk is what BulkLoad loads.
type Bulk struct {
	Regions []seller.Region // created or updated first
	Sellers []BulkSeller    // created unless their organisation exists
	// Products are created and published in the order given (read as they are
	// loaded, so a large catalogue need not be held in memory); their sellers
	// must exist.
	Products  iter.Seq[BulkProduct]
	BatchSize int // products per transaction; DefaultBulkBatch when 0
	// Progress, if set, is called after each committed batch with the number
	// of products loaded so far.
	Progress func(loaded int)
}

// DefaultBulkBatch is how many products one transaction of BulkLoad holds.
const DefaultBulkBatch = 500

// BulkLoad loads a catalogue for benchmarks and tests, bypassing review (see
// above). Batches are committed one after the other: when it fails, the
// batches before the failing one stay loaded. It then runs ANALYZE on
// PostgreSQL, as autovacuum would a little later, and merges the full-text
// index on SQLite (CompactSearch), as is due after loading many products.
func (s *Store) BulkLoad(ctx context.Context, b Bulk) error {
	if b.BatchSize <= 0 {
		b.BatchSize = DefaultBulkBatch
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	err := s.Write(ctx, func(tx *Tx) error {
		for _, r := range b.Regions {
			if err := tx.SaveRegion(ctx, r, now); err != nil {
				return fmt.Errorf("region %s: %w", r.Code, err)
			}
		}
		for _, sl := range b.Sellers {
			if err := tx.bulkSeller(ctx, sl, now); err != nil {
				return fmt.Errorf("seller %s: %w", sl.OrgID, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: bulk load: %w", err)
	}
	loaded := 0
	batch := make([]BulkProduct, 0, b.BatchSize)
	flush := func() error {
		err := s.Write(ctx, func(tx *Tx) error {
			for _, bp := range batch {
				if err := tx.bulkProduct(ctx, bp); err != nil {
					return fmt.Errorf("product %s: %w", bp.Product.ID, err)
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("store: bulk load: %w", err)
		}
		loaded += len(batch)
		batch = batch[:0]
		if b.Progress != nil {
			b.Progress(loaded)
		}
		return nil
	}
	if b.Products != nil {
		for bp := range b.Products {
			if batch = append(batch, bp); len(batch) == b.BatchSize {
				if err := flush(); err != nil {
					return err
				}
			}
		}
	}
	if len(batch) > 0 {
		if err := flush(); err != nil {
			return err
		}
	}
	if s.engine == SQLite && loaded > 0 {
		if err := s.CompactSearch(ctx); err != nil {
			return fmt.Errorf("store: bulk load: %w", err)
		}
	}
	if s.engine == Postgres && loaded > 0 {
		// Statistics for the planner, as autovacuum would gather them a little
		// later: measuring before it did measures plans made blind.
		if _, err := s.db.ExecContext(ctx, `ANALYZE`); err != nil {
			return fmt.Errorf("store: bulk load: analyze: %w", err)
		}
	}
	return nil
}

// bulkSeller creates a seller's organisation, its applicant and its approved
// application, unless the organisation exists.
func (tx *Tx) bulkSeller(ctx context.Context, sl BulkSeller, at time.Time) error {
	if _, err := tx.Org(ctx, sl.OrgID); err == nil {
		return nil
	} else if !fault.Is(err, fault.NotFound) {
		return err
	}
	if err := tx.CreateOrg(ctx, account.Org{ID: sl.OrgID, Kind: account.KindSeller, Name: sl.Name, CreatedAt: at}); err != nil {
		return err
	}
	user := account.User{ID: "usr_bulk_" + sl.OrgID, Email: "bulk+" + strings.ToLower(sl.OrgID) + "@sellers.invalid", DisplayName: sl.Name, CreatedAt: at}
	if err := tx.CreateUser(ctx, user, ""); err != nil {
		return err
	}
	if err := tx.AddMembership(ctx, sl.OrgID, user.ID, account.RoleSellerAdmin, at); err != nil {
		return err
	}
	contact := []seller.Contact{{Name: sl.Name, Email: user.Email}}
	return tx.CreateApplication(ctx, seller.Record{
		ID: "app_bulk_" + sl.OrgID, OrgID: sl.OrgID, ApplicantID: user.ID, State: seller.Approved,
		LegalName: sl.Name, RegistrationNumber: "BULK-" + sl.OrgID, Country: "CN",
		RegionCodes: sl.Regions, Offerings: sl.Offerings, PreSales: contact, PostSales: contact,
		Support: seller.Schedule{AllDay: true}, CreatedAt: at,
	})
}

// bulkProduct creates a product whose revision 1 is published, and puts it on
// the storefront.
func (tx *Tx) bulkProduct(ctx context.Context, bp BulkProduct) error {
	p, at := bp.Product, bp.PublishedAt.UTC().Truncate(time.Microsecond)
	live := catalog.Revision{Number: 1, State: catalog.Published}
	e := catalog.Entry{ID: p.ID, SellerOrgID: p.SellerOrgID, Type: p.Type, Listing: catalog.Listing{Live: &live}, CreatedAt: at, UpdatedAt: at}
	if err := tx.CreateProduct(ctx, e, ""); err != nil {
		return err
	}
	if err := tx.PutRevision(ctx, p.ID, catalog.RevisionRecord{Revision: live, Content: p,
		CreatedAt: at, UpdatedAt: at, SubmittedAt: at, DecidedAt: at}); err != nil {
		return err
	}
	return tx.PutOnStorefront(ctx, p, at)
}

// StorefrontSize counts the products on the storefront (of any seller).
func (q *queries) StorefrontSize(ctx context.Context) (int, error) {
	var n int
	err := q.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM storefront`).Scan(&n)
	return n, err
}
