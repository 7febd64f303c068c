package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"time"
)

// errUsage marks a mistake in the command line (exit status 2).
var errUsage = errors.New("usage")

func exitCode(err error) int {
	if errors.Is(err, errUsage) {
		return 2
	}
	return 1
}

// flagSet returns a flag set that reports errors instead of exiting.
func flagSet(name string, out io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("cloudmart "+name, flag.ContinueOnError)
	fs.SetOutput(out)
	return fs
}

// parse parses args; --help is a success (nil with help=true).
func parse(fs *flag.FlagSet, args []string) (help bool, err error) {
	err = fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		return true, nil
	}
	if err != nil {
		return false, fmt.Errorf("%w: %v", errUsage, err)
	}
	if fs.NArg() > 0 {
		return false, fmt.Errorf("%w: unexpected arguments %v", errUsage, fs.Args())
	}
	return false, nil
}

// storage is the flags every command that opens the database has.
type storage struct {
	data, db string
}

// addStorage declares --data and --db, defaulting from the environment.
func addStorage(fs *flag.FlagSet, env *environment) *storage {
	s := &storage{}
	fs.StringVar(&s.data, "data", envOr(env, "CLOUDMART_DATA", "./data"), "the data folder: the SQLite file and uploaded files (env CLOUDMART_DATA)")
	fs.StringVar(&s.db, "db", env.getenv("CLOUDMART_DB"), "the database: a postgres:// URL, or a SQLite file path; default <data>/cloudmart.db (env CLOUDMART_DB)")
	return s
}

// dsn is the database to open.
func (s *storage) dsn() string {
	if s.db != "" {
		return s.db
	}
	return filepath.Join(s.data, "cloudmart.db")
}

func envOr(env *environment, key, def string) string {
	if v := env.getenv(key); v != "" {
		return v
	}
	return def
}

func envBool(env *environment, key string) bool {
	b, _ := strconv.ParseBool(env.getenv(key))
	return b
}

func envDuration(env *environment, key string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(env.getenv(key)); err == nil {
		return d
	}
	return def
}
