package saas_test

import (
	"testing"

	"github.com/cloudmart/cloudmart/delivery/saas"
)

// Options.Hosts may only send names to loopback addresses: anything else
// would let configuration steer calls around the address guard.
func TestHostsOnlyToLoopback(t *testing.T) {
	for addr, ok := range map[string]bool{"127.0.0.1:8443": true, "[::1]:443": true, "10.0.0.5:443": false, "169.254.169.254:80": false, "localhost:443": false} {
		func() {
			defer func() {
				if r := recover(); (r == nil) != ok {
					t.Errorf("Hosts → %s: panic %v", addr, r)
				}
			}()
			saas.NewClient(saas.Options{Hosts: map[string]string{"app.example.com": addr}})
		}()
	}
}
