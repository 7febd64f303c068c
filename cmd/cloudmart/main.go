// Command cloudmart runs the marketplace: `cloudmart serve` is the server;
// the other subcommands operate on its database. See `cloudmart help`.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "cloudmart:", err)
		os.Exit(exitCode(err))
	}
}

// run is the whole program, so tests can run it in-process.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		usage(stderr)
		return errUsage
	}
	env := &environment{getenv: getenv, stdout: stdout, stderr: stderr}
	name, rest := args[0], args[1:]
	if (name == "admin" || name == "license" || name == "campaigns") && len(rest) > 0 {
		name, rest = name+" "+rest[0], rest[1:]
	}
	for _, c := range commands {
		if c.name == name {
			return c.run(ctx, env, rest)
		}
	}
	switch name {
	case "help", "-h", "--help":
		usage(stdout)
		return nil
	}
	usage(stderr)
	return fmt.Errorf("%w: unknown command %q", errUsage, name)
}

// environment is what a command may use of the outside world.
type environment struct {
	getenv         func(string) string
	stdout, stderr io.Writer
}

type command struct {
	name, summary string
	run           func(ctx context.Context, env *environment, args []string) error
}

// commands lists the subcommands, in the order help shows them.
var commands []command

func init() {
	commands = []command{
		{"serve", "run the marketplace's HTTP server and background jobs", serve},
		{"migrate", "bring the database schema up to date, then exit", migrate},
		{"admin create-operator", "create an operator account (or make a user operator)", createOperator},
		{"license verify", "verify a licence offline against the marketplace's published keys", licenseVerify},
		{"bench", "measure the marketplace under load on generated data: bench search, bench checkout", bench},
		{"campaigns check", "recompute campaign totals from the campaign ledger and compare with the cached ones", campaignsCheck},
		{"seller-sim", "run a reference SaaS seller endpoint (the protocol's simulator, for demos and tests)", sellerSim},
		{"saas-check", "check a seller's SaaS production endpoint against the protocol", saasCheck},
		{"version", "print the version", showVersion},
	}
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "cloudmart — an open-source cloud software marketplace\n\nUsage: cloudmart <command> [flags]\n\nCommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-24s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun `cloudmart <command> --help` for a command's flags.")
}
