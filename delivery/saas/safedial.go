package saas

import (
	"errors"
	"fmt"
	"net/netip"
	"syscall"
)

// ErrForbiddenAddress is a connection refused because the endpoint resolved
// to an address cloudmart must not reach (private, loopback, link-local,
// metadata …) and no allowed prefix covers it.
var ErrForbiddenAddress = errors.New("saas: endpoint address is not public")

// forbidden are the ranges no endpoint may reach unless allowed. Besides the
// private, loopback and link-local ranges (169.254.169.254, the cloud
// metadata address, is link-local), they hold the other special-use ranges
// that lead into the operator's own network.
var forbidden = func() []netip.Prefix {
	var ps []netip.Prefix
	for _, s := range []string{
		"0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
		"172.16.0.0/12", "192.0.0.0/24", "192.168.0.0/16", "198.18.0.0/15", "224.0.0.0/3",
		"::/128", "::1/128", "fc00::/7", "fe80::/10", "ff00::/8",
	} {
		ps = append(ps, netip.MustParsePrefix(s))
	}
	return ps
}()

// nat64 embeds an IPv4 address in its last 32 bits.
var nat64 = netip.MustParsePrefix("64:ff9b::/96")

// checkAddress refuses a forbidden address not covered by allowed.
func checkAddress(addr netip.Addr, allowed []netip.Prefix) error {
	addr = addr.Unmap().WithZone("")
	for _, p := range allowed {
		if p.Contains(addr) {
			return nil
		}
	}
	target := addr
	if nat64.Contains(addr) {
		b := addr.As16()
		target = netip.AddrFrom4([4]byte(b[12:]))
	}
	for _, p := range forbidden {
		if p.Contains(target) {
			return fmt.Errorf("%w: %s", ErrForbiddenAddress, addr)
		}
	}
	return nil
}

// dialControl is a net.Dialer Control: it runs after name resolution, on the
// very address being connected to, so a name that resolves to a public
// address when checked and a private one when used (DNS rebinding) is still
// refused.
func dialControl(allowed []netip.Prefix) func(network, address string, c syscall.RawConn) error {
	return func(network, address string, _ syscall.RawConn) error {
		ap, err := netip.ParseAddrPort(address)
		if err != nil {
			return fmt.Errorf("%w: %s", ErrForbiddenAddress, address)
		}
		return checkAddress(ap.Addr(), allowed)
	}
}
