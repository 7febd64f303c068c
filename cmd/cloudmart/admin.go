package main

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/cloudmart/cloudmart/market"
)

// migrate runs the migrations alone.
func migrate(ctx context.Context, env *environment, args []string) error {
	fs := flagSet("migrate", env.stderr)
	st := addStorage(fs, env)
	if help, err := parse(fs, args); help || err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(env.stderr, nil))
	db, err := openStore(ctx, st, log)
	if err != nil {
		return err
	}
	defer db.Close()
	fmt.Fprintf(env.stdout, "the %s database is up to date\n", db.Engine())
	return nil
}

// createOperator makes the first operator (or any later one) on the server.
func createOperator(ctx context.Context, env *environment, args []string) error {
	fs := flagSet("admin create-operator", env.stderr)
	st := addStorage(fs, env)
	email := fs.String("email", "", "the operator's email (required)")
	password := fs.String("password", env.getenv("CLOUDMART_OPERATOR_PASSWORD"), "the password for a new user (or env CLOUDMART_OPERATOR_PASSWORD, which keeps it out of the shell history)")
	name := fs.String("name", "", "the display name (default: the email)")
	if help, err := parse(fs, args); help || err != nil {
		return err
	}
	if *email == "" {
		return fmt.Errorf("%w: --email is required", errUsage)
	}
	log := slog.New(slog.NewTextHandler(env.stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	db, err := openStore(ctx, st, log)
	if err != nil {
		return err
	}
	defer db.Close()
	u, err := market.New(db, market.Options{}).CreateOperator(ctx, *email, *password, *name)
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(env.stdout, "%s (%s) is an operator of %s\n", u.Email, u.ID, market.OperatorOrgName)
	return nil
}
