package main

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"strings"
	"time"

	"github.com/cloudmart/cloudmart/delivery/saas"
	"github.com/cloudmart/cloudmart/ids"
	"github.com/cloudmart/cloudmart/money"
)

// saasCheck is the sellers' conformance kit: it drives an endpoint through
// every activity on a test order and through the attacks it must refuse.
func saasCheck(ctx context.Context, env *environment, args []string) error {
	fs := flagSet("saas-check", env.stderr)
	endpoint := fs.String("endpoint", "", "the seller's production endpoint, https://… (required)")
	accessKey := fs.String("access-key", "", "the product id (required)")
	key := fs.String("key", env.getenv("CLOUDMART_SAAS_KEY"), "the product's signing key (required; env CLOUDMART_SAAS_KEY)")
	caFile := fs.String("ca", "", "trust the certificates in this PEM file (besides the system's roots), e.g. seller-sim's --cert-out")
	allow := fs.String("allow-private", "", "comma-separated address prefixes the endpoint may resolve to although not public, e.g. 127.0.0.0/8,::1/128")
	timeout := fs.Duration("timeout", saas.DefaultTimeout, "the timeout of each call")
	polls := fs.Int("polls", 10, "how many times to poll queryInstance, a second apart, after a 000004")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: cloudmart saas-check --endpoint URL --access-key ID --key KEY [flags]

Checks a seller's SaaS production endpoint against the protocol
(docs/saas-protocol.md), as cloudmart would call it: every activity on a test
order (testFlag true), a repeated newInstance (it must give the same
instance), and requests it must refuse with 000001 (a bad signature, a stale
timestamp, a replayed nonce) or 000002 (an unknown activity); every answer
must carry a valid Body-Sign. It prints one line per check,

  PASS name
  FAIL name: reason

and exits 1 when any check fails. The checks open, freeze and release one
test instance on the endpoint.

Flags:
`)
		fs.PrintDefaults()
	}
	if help, err := parse(fs, args); help || err != nil {
		return err
	}
	if *endpoint == "" || *accessKey == "" || *key == "" {
		return fmt.Errorf("%w: --endpoint, --access-key and --key are required", errUsage)
	}
	opts := saas.Options{Timeout: *timeout}
	if *caFile != "" {
		pemBytes, err := os.ReadFile(*caFile)
		if err != nil {
			return err
		}
		roots, err := x509.SystemCertPool()
		if err != nil {
			roots = x509.NewCertPool()
		}
		if !roots.AppendCertsFromPEM(pemBytes) {
			return fmt.Errorf("%w: --ca %s holds no PEM certificate", errUsage, *caFile)
		}
		opts.RootCAs = roots
	}
	for p := range strings.SplitSeq(*allow, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		prefix, err := netip.ParsePrefix(p)
		if err != nil {
			return fmt.Errorf("%w: --allow-private: %v", errUsage, err)
		}
		opts.AllowedPrefixes = append(opts.AllowedPrefixes, prefix)
	}
	k := &checker{client: saas.NewClient(opts), opts: opts, polls: *polls,
		ep: saas.Endpoint{URL: *endpoint, AccessKey: *accessKey, Key: *key}}
	failed := 0
	for _, c := range saasChecks {
		if err := c.run(k, ctx); err != nil {
			failed++
			if errors.Is(err, saas.ErrForbiddenAddress) {
				err = fmt.Errorf("%w (a test seller on this machine needs --allow-private 127.0.0.0/8)", err)
			}
			fmt.Fprintf(env.stdout, "FAIL %s: %v\n", c.name, err)
		} else {
			fmt.Fprintf(env.stdout, "PASS %s\n", c.name)
		}
	}
	if failed > 0 {
		return fmt.Errorf("saas-check: %d of %d checks failed", failed, len(saasChecks))
	}
	fmt.Fprintf(env.stdout, "saas-check: all %d checks passed\n", len(saasChecks))
	return nil
}

// checker carries what the checks share: the endpoint and the test order.
type checker struct {
	client   *saas.Client
	opts     saas.Options
	ep       saas.Endpoint
	polls    int
	order    saas.NewInstanceRequest
	instance string // "" until newInstance passed
}

type saasCheckStep struct {
	name string
	run  func(k *checker, ctx context.Context) error // a method expression of checker
}

// saasChecks run in order: the later ones use the instance the first opens.
var saasChecks = []saasCheckStep{
	{"newInstance opens a test instance", (*checker).newInstance},
	{"newInstance repeated gives the same instance", (*checker).repeatNewInstance},
	{"queryInstance reports the instance and leaves out unknown ids", (*checker).query},
	{"refreshInstance RENEWAL", (*checker).refresh},
	{"updateInstanceStatus FREEZE", func(k *checker, ctx context.Context) error { return k.setStatus(ctx, saas.StatusFreeze) }},
	{"updateInstanceStatus NORMAL", func(k *checker, ctx context.Context) error { return k.setStatus(ctx, saas.StatusNormal) }},
	{"upgradeInstance", (*checker).upgrade},
	{"answers carry a valid Body-Sign", (*checker).bodySign},
	{"a bad signature is refused with 000001", (*checker).badSignature},
	{"a stale timestamp is refused with 000001", (*checker).staleTimestamp},
	{"a replayed nonce is refused with 000001", (*checker).replayedNonce},
	{"an unknown activity is refused with 000002", (*checker).unknownActivity},
	{"releaseInstance", (*checker).release},
}

var errCheckNoInstance = errors.New("no instance to act on: newInstance failed")

func (k *checker) newInstance(ctx context.Context) error {
	now := time.Now().UTC()
	k.order = saas.NewInstanceRequest{
		OrderID: ids.New("ord"), OrderLineID: ids.New("oln"), BusinessID: ids.New("dlv"),
		CustomerID: ids.New("org"), CustomerName: "saas-check test buyer", Email: "saas-check@example.com", MobilePhone: "+8613800000000",
		ProductID: k.ep.AccessKey, SKUCode: "pln_saas_check", ChargingMode: saas.ChargingPeriod,
		PeriodType: saas.PeriodMonth, PeriodNumber: 1, ProvisionType: saas.ProvisionFormal,
		ExpireTime: saas.At(now.AddDate(0, 1, 0)), Amount: money.New(0, money.CNY), TestFlag: true,
	}
	id, app, err := k.open(ctx)
	if err != nil {
		return err
	}
	if app == nil || app.FrontEndURL == "" {
		return fmt.Errorf("instance %s has no appInfo.frontEndUrl", id)
	}
	if app.Password != "" {
		if _, err := saas.OpenPassword(k.ep.Key, app.Password); err != nil {
			return fmt.Errorf("appInfo.password: %w", err)
		}
	}
	k.instance = id
	return nil
}

// open sends k.order's newInstance, polling queryInstance after a 000004.
func (k *checker) open(ctx context.Context) (string, *saas.AppInfo, error) {
	resp, _, err := k.client.Call(ctx, k.ep, k.order)
	if err == nil {
		return resp.InstanceID, resp.AppInfo, nil
	}
	if !saas.Processing(err) {
		return "", nil, err
	}
	if resp.InstanceID == "" {
		return "", nil, errors.New("000004 without an instanceId")
	}
	for range k.polls {
		q, _, err := k.client.Call(ctx, k.ep, saas.QueryInstanceRequest{InstanceIDs: []string{resp.InstanceID}, TestFlag: true})
		if err != nil {
			return "", nil, fmt.Errorf("queryInstance after 000004: %w", err)
		}
		for _, in := range q.Info {
			switch {
			case in.InstanceID != resp.InstanceID:
			case in.Status == saas.StatusNormal:
				return in.InstanceID, in.AppInfo, nil
			case in.Status == saas.StatusFailed:
				return "", nil, fmt.Errorf("instance %s: status FAILED", in.InstanceID)
			}
		}
		select {
		case <-ctx.Done():
			return "", nil, ctx.Err()
		case <-time.After(time.Second):
		}
	}
	return "", nil, fmt.Errorf("instance %s still not NORMAL after %d polls of queryInstance", resp.InstanceID, k.polls)
}

func (k *checker) repeatNewInstance(ctx context.Context) error {
	if k.instance == "" {
		return errCheckNoInstance
	}
	k.order.BusinessID = ids.New("dlv") // a resend may come from another delivery attempt
	id, _, err := k.open(ctx)
	if err != nil {
		return err
	}
	if id != k.instance {
		return fmt.Errorf("got instance %s, first %s", id, k.instance)
	}
	return nil
}

// status queries the instance's status.
func (k *checker) status(ctx context.Context) (saas.InstanceStatus, error) {
	q, _, err := k.client.Call(ctx, k.ep, saas.QueryInstanceRequest{InstanceIDs: []string{k.instance, ids.New("ins")}, TestFlag: true})
	if err != nil {
		return "", err
	}
	if len(q.Info) != 1 || q.Info[0].InstanceID != k.instance {
		return "", fmt.Errorf("info %+v: want exactly instance %s", q.Info, k.instance)
	}
	return q.Info[0].Status, nil
}

func (k *checker) query(ctx context.Context) error {
	if k.instance == "" {
		return errCheckNoInstance
	}
	st, err := k.status(ctx)
	if err == nil && st != saas.StatusNormal {
		err = fmt.Errorf("status %s, want NORMAL", st)
	}
	return err
}

// act sends r about the instance and wants 000000.
func (k *checker) act(ctx context.Context, r saas.Request) error {
	if k.instance == "" {
		return errCheckNoInstance
	}
	_, _, err := k.client.Call(ctx, k.ep, r)
	return err
}

func (k *checker) refresh(ctx context.Context) error {
	return k.act(ctx, saas.RefreshInstanceRequest{InstanceID: k.instance, OrderID: ids.New("ord"), OrderLineID: ids.New("oln"),
		Scene: saas.SceneRenewal, PeriodType: saas.PeriodMonth, PeriodNumber: 1,
		ExpireTime: saas.At(k.order.ExpireTime.AddDate(0, 1, 0)), Amount: money.New(0, money.CNY), TestFlag: true})
}

func (k *checker) setStatus(ctx context.Context, st saas.InstanceStatus) error {
	if err := k.act(ctx, saas.UpdateInstanceStatusRequest{InstanceID: k.instance, InstanceStatus: st, TestFlag: true}); err != nil {
		return err
	}
	got, err := k.status(ctx)
	if err == nil && got != st {
		err = fmt.Errorf("queryInstance then reports %s", got)
	}
	return err
}

func (k *checker) upgrade(ctx context.Context) error {
	return k.act(ctx, saas.UpgradeInstanceRequest{InstanceID: k.instance, OrderID: ids.New("ord"), OrderLineID: ids.New("oln"),
		ProductID: k.ep.AccessKey, SKUCode: "pln_saas_check_upgrade", Amount: money.New(0, money.CNY), TestFlag: true})
}

func (k *checker) release(ctx context.Context) error {
	return k.act(ctx, saas.ReleaseInstanceRequest{InstanceID: k.instance, OrderID: k.order.OrderID, OrderLineID: k.order.OrderLineID,
		Scene: saas.SceneUnsubscribe, TestFlag: true})
}

// harmless is a signed request that changes nothing on the seller.
func (k *checker) harmless(c *saas.Client) (saas.SignedRequest, error) {
	return c.Sign(k.ep, saas.QueryInstanceRequest{InstanceIDs: []string{ids.New("ins")}, TestFlag: true})
}

// bodySign checks the answer's signature itself, so the reason is precise.
func (k *checker) bodySign(ctx context.Context) error {
	sr, err := k.harmless(k.client)
	if err != nil {
		return err
	}
	_, ex, err := k.client.Send(ctx, k.ep, sr)
	switch {
	case errors.Is(err, saas.ErrUnsigned):
		return errors.New("the answer has no Body-Sign header")
	case errors.Is(err, saas.ErrBadSign):
		return fmt.Errorf("the answer's Body-Sign does not match HMAC-SHA256(key, body) of body %q", ex.ResponseBody)
	}
	return err
}

// refused sends sr and wants a signed answer with code.
func (k *checker) refused(ctx context.Context, sr saas.SignedRequest, code saas.Code) error {
	_, _, err := k.client.Send(ctx, k.ep, sr)
	var e *saas.Error
	switch {
	case err == nil:
		return errors.New("accepted (000000)")
	case errors.As(err, &e) && e.Code == code:
		return nil
	case errors.As(err, &e):
		return fmt.Errorf("answered %s, want %s", e.Code, code)
	}
	return err
}

func (k *checker) badSignature(ctx context.Context) error {
	sr, err := k.harmless(k.client)
	if err != nil {
		return err
	}
	sr.Signature = saas.Signature(k.ep.Key+"-wrong", k.ep.AccessKey, sr.Nonce, sr.TimestampMillis, sr.Body)
	return k.refused(ctx, sr, saas.CodeAuthFailed)
}

func (k *checker) staleTimestamp(ctx context.Context) error {
	opts := k.opts
	opts.Now = func() time.Time { return time.Now().Add(-5 * time.Minute) }
	sr, err := k.harmless(saas.NewClient(opts))
	if err != nil {
		return err
	}
	return k.refused(ctx, sr, saas.CodeAuthFailed)
}

func (k *checker) replayedNonce(ctx context.Context) error {
	sr, err := k.harmless(k.client)
	if err != nil {
		return err
	}
	if _, _, err := k.client.Send(ctx, k.ep, sr); err != nil {
		return fmt.Errorf("the first sending failed: %w", err)
	}
	return k.refused(ctx, sr, saas.CodeAuthFailed)
}

func (k *checker) unknownActivity(ctx context.Context) error {
	sr, err := k.harmless(k.client)
	if err != nil {
		return err
	}
	sr.Activity = "saasCheckUnknownActivity"
	sr.Body = []byte(`{"activity":"saasCheckUnknownActivity","testFlag":true}`)
	sr.Signature = saas.Signature(k.ep.Key, k.ep.AccessKey, sr.Nonce, sr.TimestampMillis, sr.Body)
	return k.refused(ctx, sr, saas.CodeInvalidParam)
}
