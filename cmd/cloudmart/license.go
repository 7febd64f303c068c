package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/cloudmart/cloudmart/delivery/license"
)

// errInvalidLicense marks a licence that does not verify (exit status 1, with
// the reason printed).
var errInvalidLicense = errors.New("the licence is not valid")

// licenseVerify checks a licence offline against the marketplace's published
// keys, as a seller's software does.
func licenseVerify(ctx context.Context, env *environment, args []string) error {
	fs := flagSet("license verify", env.stderr)
	keysFrom := fs.String("keys", env.getenv("CLOUDMART_LICENSE_KEYS"),
		"the marketplace's published keys: a JWK set file, or its address, e.g. https://market.example/api/v1/license/keys (env CLOUDMART_LICENSE_KEYS)")
	at := fs.String("at", "", "check validity at this time (RFC 3339) instead of now")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: cloudmart license verify [--keys FILE|URL] [--at TIME] FILE|-\n\nVerifies a licence (FILE, or - for standard input) offline: its signature by one of the published keys, and its dates.\nPrints the licence and exits 0 when it is valid; prints the reason and exits 1 when not.")
		fs.PrintDefaults()
	}
	file, help, err := parseWithFile(fs, args)
	if help || err != nil {
		return err
	}
	if *keysFrom == "" {
		return fmt.Errorf("%w: give --keys: the JWK set file or address of the marketplace's licence keys", errUsage)
	}
	now := time.Now()
	if *at != "" {
		if now, err = time.Parse(time.RFC3339, *at); err != nil {
			return fmt.Errorf("%w: --at: %v", errUsage, err)
		}
	}
	raw, err := readKeys(ctx, *keysFrom)
	if err != nil {
		return err
	}
	keys, err := license.ParseKeySet(raw)
	if err != nil {
		return fmt.Errorf("the keys from %s: %w", *keysFrom, err)
	}
	var in io.Reader = os.Stdin
	if file != "-" {
		f, err := os.Open(file)
		if err != nil {
			return err
		}
		defer f.Close()
		in = f
	}
	token, err := io.ReadAll(io.LimitReader(in, 64<<10))
	if err != nil {
		return err
	}
	d, err := license.Verify(string(token), keys, now)
	if err != nil {
		fmt.Fprintln(env.stdout, "INVALID:", err)
		return fmt.Errorf("%w: %v", errInvalidLicense, err)
	}
	until := "perpetual"
	if !d.Perpetual() {
		until = d.ValidUntil.Format(time.RFC3339)
	}
	fmt.Fprintf(env.stdout, "VALID: licence %s for %d %s of product %s (plan %s), issued to %s (%s), valid %s until %s\n",
		d.ID, d.Quantity, d.Unit, d.ProductID, d.Plan, d.BuyerName, d.Buyer, d.ValidFrom.Format(time.RFC3339), until)
	return json.NewEncoder(env.stdout).Encode(d)
}

// parseWithFile parses flags around exactly one positional argument (a file,
// or - for standard input), which may come before or after them.
func parseWithFile(fs *flag.FlagSet, args []string) (file string, help bool, err error) {
	var files []string
	for {
		if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
			return "", true, nil
		} else if err != nil {
			return "", false, fmt.Errorf("%w: %v", errUsage, err)
		}
		if fs.NArg() == 0 {
			break
		}
		files, args = append(files, fs.Arg(0)), fs.Args()[1:]
	}
	if len(files) != 1 {
		return "", false, fmt.Errorf("%w: give one licence file, or - for standard input", errUsage)
	}
	return files[0], false, nil
}

// readKeys reads a JWK set from a file or an http(s) address.
func readKeys(ctx context.Context, from string) ([]byte, error) {
	if !strings.HasPrefix(from, "https://") && !strings.HasPrefix(from, "http://") {
		return os.ReadFile(from)
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, from, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("the keys from %s: HTTP %s", from, resp.Status)
	}
	return io.ReadAll(io.LimitReader(resp.Body, 1<<20))
}
