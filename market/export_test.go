package market

import (
	"context"
	"time"
)

// ResaleCounts exposes resaleCounts (the benefits page's facts) to the
// black-box tests.
func (s *Service) ResaleCounts(ctx context.Context, sellerOrgID string, now time.Time) (eligible, authorised int, err error) {
	return s.resaleCounts(ctx, sellerOrgID, now)
}
