package ui

import (
	"context"
	"encoding/csv"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/cloudmart/cloudmart/order"
	"github.com/cloudmart/cloudmart/store"
)

// csvMaxOrders bounds an export: the newest orders that match, this many at most.
const csvMaxOrders = 10_000

// ordersCSV exports a scope's orders that match the list's filter as CSV,
// newest first: one row per order line, so that a spreadsheet can sum by
// product or seller. Amounts are decimals in the currency's unit.
func (s *server) ordersCSV(scopeName string) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, p *page) {
		ctx := r.Context()
		sc, err := s.scope(p, scopeName)
		if err != nil {
			s.fail(w, r, p, err)
			return
		}
		f, err := orderFilter(r.URL.Query(), sc.Name == "ops")
		if err != nil {
			s.fail(w, r, p, err)
			return
		}
		f.Before = ""
		names := map[string]string{}
		if sc.Name != "seller" {
			if sc.Name == "ops" {
				_, _, names, err = s.orgOptions(ctx, p)
			} else {
				org := buyerOrg(p.Actor)
				names[org.OrgID] = org.OrgName
			}
			if err != nil {
				s.fail(w, r, p, err)
				return
			}
		}
		orders, err := allOrders(ctx, sc, f)
		if err != nil {
			s.fail(w, r, p, err)
			return
		}
		h := w.Header()
		h.Set("Content-Type", "text/csv; charset=utf-8")
		h.Set("Content-Disposition", `attachment; filename="orders-`+time.Now().UTC().Format("20060102")+`.csv"`)
		h.Set("Cache-Control", "no-store")
		cw := csv.NewWriter(w)
		_ = cw.Write([]string{"order_id", "placed_at", "paid_at", "state", "kind", "channel", "customer_id", "customer",
			"line", "product_id", "product", "plan", "quantity", "periods", "region", "trial", "currency", "list", "discount", "paid"})
		for _, o := range orders {
			for _, l := range o.Lines {
				_ = cw.Write([]string{o.ID, stamp(o.PlacedAt), stamp(o.PaidAt), string(o.State), string(o.Kind), o.Channel, o.BuyerOrgID,
					cell(names[o.BuyerOrgID]), strconv.Itoa(l.No), l.ProductID, cell(p.Choose(l.ProductName.EN, l.ProductName.ZH)), l.Plan,
					strconv.Itoa(l.Quantity), strconv.Itoa(l.Periods), l.Region, strconv.FormatBool(l.Trial), string(o.Currency),
					l.List.Decimal(), l.Discount.Decimal(), l.Paid.Decimal()})
			}
		}
		cw.Flush()
	}
}

// allOrders pages through the scope's orders that match f, newest first,
// up to csvMaxOrders.
func allOrders(ctx context.Context, sc orderScope, f store.OrderFilter) ([]order.Order, error) {
	var out []order.Order
	f.Limit = 500
	for len(out) < csvMaxOrders {
		page, err := sc.list(ctx, f)
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
		if len(page) < f.Limit {
			break
		}
		f.Before = page[len(page)-1].ID
	}
	return out[:min(len(out), csvMaxOrders)], nil
}

// stamp writes a time for a spreadsheet: RFC 3339 in UTC; "" for none.
func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// cell keeps a text from being read as a formula by a spreadsheet.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
