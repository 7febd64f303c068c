package ui

import (
	"context"
	"fmt"
	"net/url"

	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/delivery"
)

// An order's delivery on its page: for each line, what the marketplace did
// to deliver it (and later to renew, freeze or release it), how far each
// step got, and where what was delivered is (a licence's page).

// deliveryRow is one delivery of a line.
type deliveryRow struct {
	delivery.Delivery
	Name     string // the line's product, in the page's language
	Link     string // what was delivered, when it has a page
	LinkText string // the link's message id
}

// deliveryRows lists the order's deliveries the viewer may see (a seller: its
// lines'), with a link to what each line delivered.
func (s *server) deliveryRows(ctx context.Context, p *page, v orderView) ([]deliveryRow, error) {
	ds, err := s.svc.Deliveries(ctx, p.Actor, v.ID)
	if err != nil {
		return nil, err
	}
	names := map[int]lineRow{}
	for _, r := range v.Rows {
		names[r.No] = r
	}
	out := make([]deliveryRow, 0, len(ds))
	for _, d := range ds {
		row := deliveryRow{Delivery: d, Name: names[d.LineNo].Name}
		if d.Action == delivery.Open && d.State == delivery.Done {
			switch d.ProductType {
			case catalog.TypeLicense:
				if l, ok, err := s.svc.LicenseOfLine(ctx, p.Actor, v.Order, d.LineNo); err != nil {
					return nil, err
				} else if ok {
					row.Link, row.LinkText = "/licenses/"+url.PathEscape(l.ID), "delivery.license_link"
				}
			case catalog.TypeSaaS:
				if v.Whole { // the instance page is its buyer's
					row.Link, row.LinkText = fmt.Sprintf("/orders/%s/lines/%d/instance", url.PathEscape(v.ID), d.LineNo), "delivery.saas_link"
				}
			}
		}
		out = append(out, row)
	}
	return out, nil
}

// Stuck says a delivery has been tried and is still being tried: its last
// error is worth showing.
func (d deliveryRow) Stuck() bool { return d.State == delivery.Waiting && d.Attempts > 0 }
