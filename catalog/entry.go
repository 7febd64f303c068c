package catalog

import "time"

// Entry is a product as the marketplace keeps it: who sells it, its type, and
// where its revisions stand. The content of each revision is a Product.
type Entry struct {
	ID          string
	SellerOrgID string
	Type        Type
	Listing     Listing
	Version     int // counts every change, so a stale change can be refused
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// RevisionRecord is one revision with its content and its review dates.
type RevisionRecord struct {
	Revision
	Content     Product
	CreatedAt   time.Time
	UpdatedAt   time.Time
	SubmittedAt time.Time
	DecidedAt   time.Time
	DecidedBy   string
}
