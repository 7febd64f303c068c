// Package openstack is the compute provider for an OpenStack cloud (Nova,
// with Keystone v3 for identity), through gophercloud. Huawei Cloud and
// other clouds that offer the Nova API work the same way.
package openstack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/gophercloud/gophercloud/v2"
	gopenstack "github.com/gophercloud/gophercloud/v2/openstack"
	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/keypairs"
	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/servers"

	"github.com/cloudmart/cloudmart/delivery/ecs"
)

// Metadata keys the provider keeps on each server it makes.
const (
	MetaToken  = "cloudmart_client_token" // the ClientToken: a retried create finds the server by it
	MetaRegion = "cloudmart_region"       // the cloudmart region, which several may share an OpenStack one
	MetaFlavor = "cloudmart_flavor"       // the cloudmart flavour name, whatever Nova's id for it
)

// Provider creates and runs servers on an OpenStack cloud. It is safe for
// concurrent use.
//
// Server ids are Nova's server ids, prefixed with "<OpenStack region>/" for
// servers outside Config.Region, so Get, Stop, Start and Delete find the
// region again from the id alone.
type Provider struct {
	cfg      Config
	provider *gophercloud.ProviderClient

	mu      sync.Mutex
	compute map[string]*gophercloud.ServiceClient // by OpenStack region
}

var _ ecs.Provider = (*Provider)(nil)

// New logs in to Keystone and finds the compute service of the default
// region, so that wrong settings fail at start rather than at the first sale.
//
// Errors: the login's or the service catalogue's, as they are.
func New(ctx context.Context, cfg Config) (*Provider, error) {
	pc, err := gopenstack.NewClient(cfg.Auth.IdentityEndpoint)
	if err != nil {
		return nil, fmt.Errorf("openstack: OS_AUTH_URL: %w", err)
	}
	if cfg.HTTPClient != nil {
		pc.HTTPClient = *cfg.HTTPClient
	} else {
		pc.HTTPClient = http.Client{Timeout: 60 * time.Second}
	}
	pc.UserAgent.Prepend("cloudmart")
	if err := gopenstack.Authenticate(ctx, pc, cfg.Auth); err != nil {
		return nil, fmt.Errorf("openstack: log in to %s: %w", cfg.Auth.IdentityEndpoint, err)
	}
	p := &Provider{cfg: cfg, provider: pc, compute: map[string]*gophercloud.ServiceClient{}}
	if _, err := p.client(cfg.Region); err != nil {
		return nil, err
	}
	return p, nil
}

// client returns the compute service of the OpenStack region.
func (p *Provider) client(region string) (*gophercloud.ServiceClient, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if c, ok := p.compute[region]; ok {
		return c, nil
	}
	c, err := gopenstack.NewComputeV2(p.provider, gophercloud.EndpointOpts{Region: region, Availability: p.cfg.Interface})
	if err != nil {
		return nil, fmt.Errorf("%w: no compute service in OpenStack region %q: %w", ecs.ErrRejected, region, err)
	}
	p.compute[region] = c
	return c, nil
}

// osRegion returns the OpenStack region serving the cloudmart region.
func (p *Provider) osRegion(region string) (string, error) {
	if len(p.cfg.Regions) == 0 {
		return p.cfg.Region, nil
	}
	if r, ok := p.cfg.Regions[region]; ok {
		return r, nil
	}
	return "", fmt.Errorf("%w: region %s has no OpenStack region in CLOUDMART_OS_REGIONS", ecs.ErrRejected, region)
}

// serverID makes the provider's id of a Nova server; locate reverses it.
func (p *Provider) serverID(osRegion, novaID string) string {
	if osRegion == p.cfg.Region {
		return novaID
	}
	return osRegion + "/" + novaID
}

func (p *Provider) locate(id string) (*gophercloud.ServiceClient, string, string, error) {
	region, novaID, ok := strings.Cut(id, "/")
	if !ok {
		region, novaID = p.cfg.Region, id
	}
	if novaID == "" {
		return nil, "", "", fmt.Errorf("%w: empty server id", ecs.ErrNotFound)
	}
	c, err := p.client(region)
	return c, region, novaID, err
}

// Create makes a server with Nova. A request with a ClientToken first looks
// for a server of the same name carrying the token in its metadata (Nova
// has no client tokens), so a create retried after a lost answer returns
// the server made the first time. The server returned is in BUILD without
// its creation time or address: poll Get.
//
// Errors: ErrRejected (Nova's 400 and 403: an unknown image or flavour, a
// quota exceeded; an unmapped region), ErrUnavailable.
func (p *Provider) Create(ctx context.Context, req ecs.CreateRequest) (ecs.Server, error) {
	osRegion, err := p.osRegion(req.Region)
	if err != nil {
		return ecs.Server{}, err
	}
	c, err := p.client(osRegion)
	if err != nil {
		return ecs.Server{}, err
	}
	if req.ClientToken != "" {
		s, found, err := p.byToken(ctx, c, osRegion, req)
		if err != nil || found {
			return s, err
		}
	}
	meta := map[string]string{}
	for k, v := range req.Metadata {
		meta[k] = v
	}
	meta[MetaRegion], meta[MetaFlavor] = req.Region, req.Flavor
	if req.ClientToken != "" {
		meta[MetaToken] = req.ClientToken
	}
	opts := servers.CreateOpts{
		Name:      req.Name,
		ImageRef:  p.imageID(req.Region, req.ImageRef),
		FlavorRef: lookup(p.cfg.Flavors, req.Flavor, req.Flavor),
		Metadata:  meta,
		AdminPass: req.AdminPass,
	}
	network := req.Network
	if network == "" {
		network = lookup(p.cfg.Networks, req.Region, lookup(p.cfg.Networks, "", ""))
	}
	if network != "" {
		opts.Networks = []servers.Network{{UUID: network}}
	}
	created, err := servers.Create(ctx, c, keypairs.CreateOptsExt{CreateOptsBuilder: opts, KeyName: req.KeyName}, nil).Extract()
	if err != nil {
		return ecs.Server{}, classify("create a server", err)
	}
	return ecs.Server{ID: p.serverID(osRegion, created.ID), Name: req.Name, Status: ecs.Build, Flavor: req.Flavor, Region: req.Region}, nil
}

// byToken finds the server made before with the request's client token.
func (p *Provider) byToken(ctx context.Context, c *gophercloud.ServiceClient, osRegion string, req ecs.CreateRequest) (ecs.Server, bool, error) {
	// Nova filters names by regular expression.
	page, err := servers.List(c, servers.ListOpts{Name: "^" + regexp.QuoteMeta(req.Name) + "$"}).AllPages(ctx)
	if err != nil {
		return ecs.Server{}, false, classify("look for a server made before", err)
	}
	all, err := servers.ExtractServers(page)
	if err != nil {
		return ecs.Server{}, false, classify("look for a server made before", err)
	}
	for _, s := range all {
		if s.Metadata[MetaToken] == req.ClientToken {
			return p.server(osRegion, &s), true, nil
		}
	}
	return ecs.Server{}, false, nil
}

func (p *Provider) imageID(region, ref string) string {
	return lookup(p.cfg.Images, region+"/"+ref, lookup(p.cfg.Images, ref, ref))
}

func lookup(m map[string]string, key, otherwise string) string {
	if v, ok := m[key]; ok {
		return v
	}
	return otherwise
}

// Get returns the server as Nova reports it.
//
// Errors: ErrNotFound, ErrUnavailable.
func (p *Provider) Get(ctx context.Context, id string) (ecs.Server, error) {
	c, region, novaID, err := p.locate(id)
	if err != nil {
		return ecs.Server{}, err
	}
	s, err := servers.Get(ctx, c, novaID).Extract()
	if err != nil {
		return ecs.Server{}, classify("get server "+id, err)
	}
	return p.server(region, s), nil
}

// Stop powers the server off (Nova's os-stop action).
//
// Errors: ErrNotFound, ErrInvalidState (Nova's 409), ErrUnavailable.
func (p *Provider) Stop(ctx context.Context, id string) error {
	c, _, novaID, err := p.locate(id)
	if err != nil {
		return err
	}
	return classify("stop server "+id, servers.Stop(ctx, c, novaID).ExtractErr())
}

// Start powers the server on (Nova's os-start action).
//
// Errors: ErrNotFound, ErrInvalidState (Nova's 409), ErrUnavailable.
func (p *Provider) Start(ctx context.Context, id string) error {
	c, _, novaID, err := p.locate(id)
	if err != nil {
		return err
	}
	return classify("start server "+id, servers.Start(ctx, c, novaID).ExtractErr())
}

// Delete deletes the server; one Nova no longer knows is deleted already.
//
// Errors: ErrUnavailable, ErrRejected.
func (p *Provider) Delete(ctx context.Context, id string) error {
	c, _, novaID, err := p.locate(id)
	if errors.Is(err, ecs.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	err = classify("delete server "+id, servers.Delete(ctx, c, novaID).ExtractErr())
	if errors.Is(err, ecs.ErrNotFound) {
		return nil
	}
	return err
}

// server turns a Nova server into an ecs.Server.
func (p *Provider) server(osRegion string, s *servers.Server) ecs.Server {
	out := ecs.Server{
		ID: p.serverID(osRegion, s.ID), Name: s.Name, Status: ecs.Status(s.Status), Address: address(s.Addresses),
		Flavor: s.Metadata[MetaFlavor], Region: s.Metadata[MetaRegion], Created: s.Created.UTC(),
	}
	if out.Flavor == "" { // made outside cloudmart: Nova's own name for it
		for _, k := range []string{"original_name", "id"} {
			if v, ok := s.Flavor[k].(string); ok && out.Flavor == "" {
				out.Flavor = v
			}
		}
	}
	if out.Region == "" {
		out.Region = osRegion
	}
	if out.Status == ecs.Error {
		out.Fault = s.Fault.Message
	}
	return out
}

// address picks the address to log in at from Nova's addresses: a floating
// IPv4 address first, then a fixed one, then IPv6; networks in name order.
func address(addresses map[string]any) string {
	type addr struct {
		Addr    string `json:"addr"`
		Version int    `json:"version"`
		Type    string `json:"OS-EXT-IPS:type"`
	}
	var all []addr
	nets := make([]string, 0, len(addresses))
	for n := range addresses {
		nets = append(nets, n)
	}
	sort.Strings(nets)
	for _, n := range nets {
		b, err := json.Marshal(addresses[n])
		var list []addr
		if err == nil && json.Unmarshal(b, &list) == nil {
			all = append(all, list...)
		}
	}
	rank := func(a addr) int {
		r := 0
		if a.Version == 6 {
			r += 2
		}
		if a.Type != "floating" {
			r++
		}
		return r
	}
	sort.SliceStable(all, func(i, j int) bool { return rank(all[i]) < rank(all[j]) })
	if len(all) == 0 {
		return ""
	}
	return all[0].Addr
}

// classify turns a gophercloud error into one of ecs's: Nova's answer by its
// status, and no answer at all (a timeout, a refused connection) as
// ErrUnavailable, since the same call may succeed later.
func classify(what string, err error) error {
	if err == nil {
		return nil
	}
	var code gophercloud.ErrUnexpectedResponseCode
	var endpoint *gophercloud.ErrEndpointNotFound
	switch {
	case errors.As(err, &code):
		kind := ecs.ErrRejected // 400 bad request, 401 after logging in again, 403 quota or policy
		switch {
		case code.Actual == http.StatusNotFound:
			kind = ecs.ErrNotFound
		case code.Actual == http.StatusConflict:
			kind = ecs.ErrInvalidState
		case code.Actual == http.StatusTooManyRequests, code.Actual == http.StatusRequestEntityTooLarge, code.Actual >= 500:
			kind = ecs.ErrUnavailable // 413 is old Nova's rate limit
		}
		return fmt.Errorf("%w: %s: Nova answered %d: %s", kind, what, code.Actual, novaMessage(code.Body))
	case errors.As(err, &endpoint):
		return fmt.Errorf("%w: %s: %w", ecs.ErrRejected, what, err)
	}
	return fmt.Errorf("%w: %s: %w", ecs.ErrUnavailable, what, err)
}

// novaMessage returns the message of a Nova error body such as
// {"badRequest": {"code": 400, "message": "Invalid flavorRef provided."}}.
func novaMessage(body []byte) string {
	var m map[string]struct {
		Message string `json:"message"`
	}
	if json.Unmarshal(body, &m) == nil {
		for _, v := range m {
			if v.Message != "" {
				return v.Message
			}
		}
	}
	s := strings.TrimSpace(string(body))
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}
