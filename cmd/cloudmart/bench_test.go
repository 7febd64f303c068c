package main

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"
)

func TestBenchSearch(t *testing.T) {
	data := t.TempDir()
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"bench", "search", "--data", data, "--products", "300", "--clients", "4", "--duration", "1s"},
		func(string) string { return "" }, &out, &errOut)
	if err != nil {
		t.Fatalf("bench search: %v\n%s", err, errOut.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	summary := regexp.MustCompile(`^bench search: requests/s=[0-9]+\.[0-9] p50_ms=[0-9]+\.[0-9]{2} p95_ms=[0-9]+\.[0-9]{2} p99_ms=[0-9]+\.[0-9]{2} errors=0$`)
	if len(lines) != 1 || !summary.MatchString(lines[0]) {
		t.Fatalf("stdout is not one summary line with errors=0:\n%s\nstderr:\n%s", out.String(), errOut.String())
	}
	if strings.HasPrefix(lines[0], "bench search: requests/s=0.0 ") {
		t.Fatalf("no request answered: %s\n%s", lines[0], errOut.String())
	}
	if !strings.Contains(errOut.String(), "generated 300 products") {
		t.Errorf("the generation is not reported:\n%s", errOut.String())
	}

	// A second run finds the catalogue generated.
	out.Reset()
	errOut.Reset()
	if err := run(context.Background(), []string{"bench", "search", "--data", data, "--products", "300", "--clients", "2", "--duration", "200ms"},
		func(string) string { return "" }, &out, &errOut); err != nil || !strings.Contains(errOut.String(), "none to generate") {
		t.Fatalf("second run: %v\n%s", err, errOut.String())
	}
}

func TestBenchHelp(t *testing.T) {
	runCmd := func(args ...string) (string, error) {
		var out, errOut bytes.Buffer
		err := run(context.Background(), args, func(string) string { return "" }, &out, &errOut)
		return out.String() + errOut.String(), err
	}
	if out, err := runCmd("bench", "--help"); err != nil || !strings.Contains(out, "search") {
		t.Errorf("bench --help: %v %q", err, out)
	}
	if out, err := runCmd("bench", "search", "--help"); err != nil || !strings.Contains(out, "--clients") && !strings.Contains(out, "-clients") {
		t.Errorf("bench search --help: %v %q", err, out)
	}
	if _, err := runCmd("bench"); exitCode(err) != 2 {
		t.Errorf("bench alone: %v", err)
	}
	if _, err := runCmd("bench", "frobnicate"); exitCode(err) != 2 {
		t.Errorf("unknown benchmark: %v", err)
	}
	if _, err := runCmd("bench", "search", "--clients", "0"); exitCode(err) != 2 {
		t.Errorf("no clients: %v", err)
	}
	if out, err := runCmd("help"); err != nil || !strings.Contains(out, "bench") {
		t.Errorf("help does not list bench: %v %q", err, out)
	}
}
