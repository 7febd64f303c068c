package catalog

import (
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/cloudmart/cloudmart/fault"
)

// SaaSSpec is what a SaaS product needs: the marketplace opens, renews, expires
// and releases buyers' instances by calling the seller's production endpoint.
// The key that signs those calls is not part of the listing: cloudmart makes
// it, shows it once, and keeps it apart from what reviewers and buyers see.
//
// Errors of Product.Validate: Invalid on saas.endpoint (error.endpoint_https:
// not https, not a URL, a bad port or a fragment; error.endpoint_host: an IP
// address, localhost or not a domain name; error.endpoint_userinfo),
// saas.deploy_region (error.deploy_region), and saas.free_trial
// (error.free_trial_plan) when a free trial is offered but no active plan has
// trial days.
type SaaSSpec struct {
	Endpoint     string `json:"endpoint"`      // https://app.example.com/cloudmart
	DeployRegion string `json:"deploy_region"` // SaaS products run on this cloud
	FreeTrial    bool   `json:"free_trial"`    // plans may then offer trial days
}

// validate checks the SaaS details.
func (s *SaaSSpec) validate(v validator, _ Product) error {
	return firstError(
		v.endpoint("saas.endpoint", s.Endpoint),
		v.region("saas.deploy_region", s.DeployRegion, "error.deploy_region"),
	)
}

// validateFreeTrial checks, for review, that a SaaS product promising a free
// trial offers trial days on an active plan. It runs after the plans' own
// rules, whose errors say more.
func (p Product) validateFreeTrial(v validator) error {
	if !v.review || p.SaaS == nil || !p.SaaS.FreeTrial {
		return nil
	}
	if !slices.ContainsFunc(p.Plans, func(pl Plan) bool { return pl.Active && pl.TrialDays > 0 }) {
		return fault.Field("saas.free_trial", "error.free_trial_plan", "give an active plan trial days, or offer no free trial")
	}
	return nil
}

// endpoint checks a production endpoint: HTTPS to a domain name. An IP address
// or localhost would tie the listing to one machine (or point the marketplace
// at itself), and credentials in the address would leak into every log.
func (v validator) endpoint(field, raw string) error {
	if raw == "" && !v.review {
		return nil
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "https" || u.Host == "" || u.Opaque != "" || u.Fragment != "" || len(raw) > maxURL || !validPort(u.Port()) {
		return fault.Field(field, "error.endpoint_https", "enter an https:// address, such as https://app.example.com/cloudmart")
	}
	if u.User != nil {
		return fault.Field(field, "error.endpoint_userinfo", "leave the user name and password out of the address: requests are signed instead")
	}
	if !domainName(u.Hostname()) {
		return fault.Field(field, "error.endpoint_host", "use a public domain name, not an IP address or localhost")
	}
	return nil
}

func validPort(port string) bool {
	if port == "" {
		return true
	}
	n, err := strconv.Atoi(port)
	return err == nil && n >= 1 && n <= 65535
}

// domainName reports whether host is a fully qualified DNS name of letters,
// digits and hyphens (an internationalised name in its xn-- form), neither an
// IP address in any spelling nor localhost.
func domainName(host string) bool {
	host = strings.ToLower(host)
	if _, err := netip.ParseAddr(host); err == nil || len(host) > 253 ||
		host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return false
	}
	labels := strings.Split(host, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if len(l) < 1 || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for _, r := range l {
			if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '-' {
				return false
			}
		}
	}
	// A numeric top-level label means an address written another way (127.1).
	tld := labels[len(labels)-1]
	return strings.Trim(tld, "0123456789") != ""
}

func (s *SaaSSpec) fields() []field {
	return []field{
		{"saas.endpoint", s.Endpoint},
		{"saas.deploy_region", s.DeployRegion},
		{"saas.free_trial", strconv.FormatBool(s.FreeTrial)},
	}
}
