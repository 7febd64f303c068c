package main

import (
	"bytes"
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/promo"
	"github.com/cloudmart/cloudmart/seller"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/store/storetest"
)

func TestCampaignsCheck(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "cloudmart.db")
	check := func() (string, error) {
		var out bytes.Buffer
		err := run(ctx, []string{"campaigns", "check", "--db", path}, func(string) string { return "" }, &out, &out)
		return out.String(), err
	}
	if out, err := check(); err != nil || !strings.Contains(out, "campaigns=0 participants=0 entries=0 mismatches=0 totals=equal") {
		t.Fatalf("an empty database: %v\n%s", err, out)
	}

	// A campaign whose packs claimed disagree with its claims.
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	day := func(s string) promo.Date { d, _ := seller.ParseDate(s); return d }
	c := promo.Campaign{ID: "cmp_check", Name: catalog.Text{EN: "C", ZH: "C"}, Currency: money.CNY, Zone: "Asia/Shanghai",
		Start: day("2026-11-01"), End: day("2026-11-30"), RedeemBy: day("2026-11-30"), Segments: []account.Segment{account.SegmentDirect},
		Tiers:     []promo.Tier{{Threshold: money.New(100, money.CNY), Gifts: []promo.Gift{{ID: "g", Name: catalog.Text{EN: "G", ZH: "G"}, Stock: 1}}}},
		PackLimit: 5, State: promo.Active}
	err = st.Write(ctx, func(tx *store.Tx) error {
		if err := tx.CreateCampaign(ctx, store.Campaign{Campaign: c, CreatedAt: time.Now()}); err != nil {
			return err
		}
		_, err := tx.SQL().ExecContext(ctx, `UPDATE campaigns SET packs_claimed = 1`)
		return err
	})
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	out, err := check()
	if err == nil || exitCode(err) != 1 || !strings.Contains(out, "mismatches=1 totals=MISMATCH") || !strings.Contains(out, "campaign cmp_check: packs_claimed 1, claims 0") {
		t.Fatalf("a mismatch: %v (exit %d)\n%s", err, exitCode(err), out)
	}
}

// TestBenchCheckoutCampaign: orders through a campaign's page with coupons,
// and the campaign check after them.
func TestBenchCheckoutCampaign(t *testing.T) {
	for _, e := range storetest.Engines {
		t.Run(string(e), func(t *testing.T) {
			var out, errOut bytes.Buffer
			err := run(context.Background(), []string{"bench", "checkout", "--db", storetest.DSN(t, e), "--data", t.TempDir(), "--products", "60",
				"--buyers", "20", "--clients", "4", "--duration", "1s", "--campaign"}, func(string) string { return "" }, &out, &errOut)
			if err != nil || !strings.HasSuffix(strings.TrimSpace(out.String()), " errors=0 ledger=balanced campaigns=equal") ||
				!strings.Contains(errOut.String(), "20 buyers claimed 100 packs of 10 coupons") {
				t.Fatalf("%v\n%s\n%s", err, out.String(), errOut.String())
			}
		})
	}
}

// TestBenchCheckoutCompare: plain orders and campaign orders in turns, both
// counted, and their ratio.
func TestBenchCheckoutCompare(t *testing.T) {
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"bench", "checkout", "--data", t.TempDir(), "--products", "60",
		"--buyers", "20", "--clients", "4", "--duration", "1s", "--campaign", "--compare"}, func(string) string { return "" }, &out, &errOut)
	line := regexp.MustCompile(` errors=0 ledger=balanced campaigns=equal plain_orders_s=([0-9.]+) campaign_ratio=([0-9.]+)$`).FindStringSubmatch(strings.TrimSpace(out.String()))
	if err != nil || line == nil || line[1] == "0.0" || line[2] == "0.00" || !strings.Contains(errOut.String(), "and in between, plain: ") {
		t.Fatalf("%v\n%s\n%s", err, out.String(), errOut.String())
	}
	err = run(context.Background(), []string{"bench", "checkout", "--compare"}, func(string) string { return "" }, &out, &errOut)
	if exitCode(err) != 2 {
		t.Fatalf("--compare without --campaign: %v", err)
	}
}
