package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/delivery/ecs"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/store/storetest"
)

// --compute chooses the provider: sim (by default, with --sim-boot) or
// openstack, whose missing settings are a usage error at start.
func TestComputeFlags(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	tests := []struct {
		args  []string
		env   map[string]string
		sim   bool
		boot  time.Duration
		usage string
	}{
		{nil, nil, true, ecs.DefaultSimBoot, ""},
		{[]string{"--sim-boot", "3s"}, nil, true, 3 * time.Second, ""},
		{nil, map[string]string{"CLOUDMART_COMPUTE": "sim", "CLOUDMART_SIM_BOOT": "1m"}, true, time.Minute, ""},
		{[]string{"--sim-boot", "-1s"}, nil, false, 0, "--sim-boot"},
		{[]string{"--compute", "aws"}, nil, false, 0, "--compute must be"},
		{[]string{"--compute", "openstack"}, nil, false, 0, "--compute openstack"},
	}
	for _, tt := range tests {
		env := &environment{getenv: func(k string) string { return tt.env[k] }, stderr: io.Discard}
		fs := flagSet("serve", io.Discard)
		c := addCompute(fs, env)
		if _, err := parse(fs, tt.args); err != nil {
			t.Fatal(err)
		}
		p, err := c.provider(context.Background(), db, log)
		if tt.usage != "" {
			if !errors.Is(err, errUsage) || !strings.Contains(err.Error(), tt.usage) {
				t.Errorf("%v: %v; want a usage error about %s", tt.args, err, tt.usage)
			}
			continue
		}
		if _, ok := p.(*ecs.Sim); err != nil || !ok || c.boot != tt.boot || c.name != "sim" {
			t.Errorf("%v %v: %T boot %s, %v", tt.args, tt.env, p, c.boot, err)
		}
	}
}
