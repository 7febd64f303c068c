package main

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/cloudmart/cloudmart/fault"
)

// version is set at build time: go build -ldflags "-X main.version=v1.2.3".
var version = ""

// buildVersion is the release version, or the module version and commit.
func buildVersion() string {
	if version != "" {
		return version
	}
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				return "dev-" + s.Value[:12]
			}
		}
		if v := info.Main.Version; v != "" && v != "(devel)" {
			return v
		}
	}
	return "dev"
}

func showVersion(ctx context.Context, env *environment, args []string) error {
	fs := flagSet("version", env.stderr)
	if help, err := parse(fs, args); help || err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "cloudmart %s (%s, %s/%s)\n", buildVersion(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return nil
}

// describe makes a use case's error readable on a terminal: the message and
// the field at fault, never a driver's text.
func describe(err error) error {
	if f := fault.As(err); f != nil {
		if f.Field != "" {
			return fmt.Errorf("--%s: %s", f.Field, f.Message)
		}
		return fmt.Errorf("%s", f.Message)
	}
	return err
}
