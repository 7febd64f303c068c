package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"time"

	"github.com/cloudmart/cloudmart/delivery/ecs"
	"github.com/cloudmart/cloudmart/delivery/ecs/openstack"
	"github.com/cloudmart/cloudmart/store"
)

// computeFlags choose the compute service image products are delivered on
// (docs/compute.md).
type computeFlags struct {
	env  *environment
	name string        // sim or openstack
	boot time.Duration // the simulator's boot time
}

// addCompute declares --compute and --sim-boot.
func addCompute(fs *flag.FlagSet, env *environment) *computeFlags {
	c := &computeFlags{env: env}
	fs.StringVar(&c.name, "compute", envOr(env, "CLOUDMART_COMPUTE", "sim"),
		"where image products run: sim (the built-in simulated cloud) or openstack (configured by OS_* settings; docs/compute.md) (env CLOUDMART_COMPUTE)")
	fs.DurationVar(&c.boot, "sim-boot", envDuration(env, "CLOUDMART_SIM_BOOT", ecs.DefaultSimBoot),
		"how long a simulated server takes to boot (env CLOUDMART_SIM_BOOT)")
	return c
}

// provider makes the chosen compute provider. OpenStack logs in now, so
// wrong settings stop the server at once rather than at the first sale.
func (c *computeFlags) provider(ctx context.Context, db *store.Store, log *slog.Logger) (ecs.Provider, error) {
	switch c.name {
	case "sim":
		if c.boot < 0 {
			return nil, fmt.Errorf("%w: --sim-boot must not be negative", errUsage)
		}
		log.Info("compute: image products run on the simulated cloud", "boot", c.boot)
		return ecs.NewSim(db, ecs.SimOptions{Boot: c.boot}), nil
	case "openstack":
		cfg, err := openstack.ConfigFromEnv(c.env.getenv)
		if err != nil {
			return nil, fmt.Errorf("%w: --compute openstack: %v", errUsage, err)
		}
		p, err := openstack.New(ctx, cfg)
		if err != nil {
			return nil, fmt.Errorf("compute: %w", err)
		}
		log.Info("compute: image products run on OpenStack", "auth_url", cfg.Auth.IdentityEndpoint)
		return p, nil
	}
	return nil, fmt.Errorf("%w: --compute must be sim or openstack", errUsage)
}
