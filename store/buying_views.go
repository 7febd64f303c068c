package store

import (
	"context"

	"github.com/cloudmart/cloudmart/ledger"
)

// PaymentPostingID returns the id of the posting that paid the order, for its
// receipt ("" when nothing was paid: a free trial, pay-per-use lines only).
func (q *queries) PaymentPostingID(ctx context.Context, orderID string) (string, error) {
	ids, err := list(ctx, q.q, func(r scanner) (id string, err error) {
		err = r.Scan(&id)
		return id, err
	}, `SELECT id FROM postings WHERE ref = $1 AND kind = $2 ORDER BY created_at, id LIMIT 1`, orderID, string(ledger.Payment))
	if err != nil || len(ids) == 0 {
		return "", err
	}
	return ids[0], nil
}
