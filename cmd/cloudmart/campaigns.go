package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
)

// errCampaignsDisagree: the check found the campaign ledger and what is
// cached or counted from it apart.
var errCampaignsDisagree = errors.New("campaigns check: the campaign ledger and the totals cached from it disagree")

// campaignsCheck recomputes every campaign total (and the packs, budget and
// stock counted) from the campaign ledger and compares (docs/campaigns.md).
func campaignsCheck(ctx context.Context, env *environment, args []string) error {
	fs := flagSet("campaigns check", env.stderr)
	st := addStorage(fs, env)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: cloudmart campaigns check [flags]

Recomputes each customer's campaign total from the campaign ledger and
compares it with the cached total; compares each campaign's packs claimed
with its claims, its budget used with its coupons' discounts, and each gift's
units taken with its redemptions. Prints one line, then each disagreement,
and exits 1 if there is one.

Flags:
`)
		fs.PrintDefaults()
	}
	if help, err := parse(fs, args); help || err != nil {
		return err
	}
	db, err := openStore(ctx, st, slog.New(slog.NewTextHandler(env.stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	if err != nil {
		return err
	}
	defer db.Close()
	c, err := db.CheckCampaigns(ctx)
	if err != nil {
		return err
	}
	verdict := "equal"
	if !c.Sound() {
		verdict = "MISMATCH"
	}
	fmt.Fprintf(env.stdout, "campaigns check: campaigns=%d participants=%d entries=%d mismatches=%d totals=%s\n",
		c.Campaigns, c.Participants, c.Entries, len(c.Mismatched), verdict)
	for _, m := range c.Mismatched {
		fmt.Fprintln(env.stdout, "  "+m)
	}
	if !c.Sound() {
		return errCampaignsDisagree
	}
	return nil
}
