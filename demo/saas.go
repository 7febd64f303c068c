package demo

import "net/url"

// SaaSSeller is a demo SaaS product's seller and production endpoint. The
// endpoints' host names do not resolve: `cloudmart serve --demo` serves them
// in its own process, so demo purchases are really delivered.
type SaaSSeller struct {
	Host   string // the endpoint's host name
	Seller string // the demo login that sells the product
	Name   string // the product's English name
}

// SaaSSellers lists the demo's SaaS products' endpoints.
func SaaSSellers() []SaaSSeller {
	var out []SaaSSeller
	for _, l := range catalogue() {
		if l.content.SaaS == nil {
			continue
		}
		if u, err := url.Parse(l.content.SaaS.Endpoint); err == nil {
			out = append(out, SaaSSeller{Host: u.Hostname(), Seller: l.seller, Name: l.content.Name.EN})
		}
	}
	return out
}
