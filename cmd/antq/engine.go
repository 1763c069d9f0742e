package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/antq-atlas/antq/analytics/chstore"
	"github.com/antq-atlas/antq/analytics/chstore/enginelib"
)

// cacheRoot is the set-up cache: $ANTQ_CACHE, else ~/.cache/antq.
func cacheRoot() string {
	if c := os.Getenv("ANTQ_CACHE"); c != "" {
		return c
	}
	home, err := os.UserHomeDir()
	if err != nil {
		home = "."
	}
	return filepath.Join(home, ".cache", "antq")
}

// defaultLibPath is where antq keeps the engine it fetches.
func defaultLibPath() string { return enginelib.Path(cacheRoot()) }

// npmRegistry is the registry the engine is fetched from:
// $ANTQ_NPM_REGISTRY, else npm's own $npm_config_registry, else the public
// npm registry.
func npmRegistry() string {
	for _, k := range []string{"ANTQ_NPM_REGISTRY", "npm_config_registry"} {
		if v := os.Getenv(k); v != "" {
			return v
		}
	}
	return enginelib.DefaultRegistry
}

// ensureEngine makes sure the embedded engine's library is at c.LibCHDB.
// When it is missing and c.LibCHDB is the cache path (no --libchdb given),
// it is fetched from the npm registry with a progress bar on stderr. A
// missing file elsewhere, or a fetch that fails for want of a network, is
// an error saying what to copy where.
func ensureEngine(ctx context.Context, c *config, stderr io.Writer) error {
	if c.Engine != "" && c.Engine != chstore.EngineEmbedded {
		return nil
	}
	if st, err := os.Stat(c.LibCHDB); err == nil && st.Mode().IsRegular() {
		return nil
	}
	if c.LibCHDB != defaultLibPath() {
		return fmt.Errorf("không có bộ máy ClickHouse tại %[1]s / no engine library at --libchdb %[1]s: copy libchdb.so there, "+
			"or leave --libchdb (ANTQ_LIBCHDB) unset and antq fetches %[2]s@%[3]s into %[4]s (`antq setup`)",
			c.LibCHDB, enginelib.Package, enginelib.Version, defaultLibPath())
	}
	reg := npmRegistry()
	fmt.Fprintf(stderr, "antq: the embedded ClickHouse engine is not installed: fetching %s@%s from %s into %s (≈ 180 MB, once)\n",
		enginelib.Package, enginelib.Version, reg, c.LibCHDB)
	f := &enginelib.Fetcher{Registry: reg, Progress: stderr}
	if err := f.Fetch(ctx, c.LibCHDB); err != nil {
		var fe *enginelib.FetchError
		if errors.As(err, &fe) {
			return fmt.Errorf("%w\n%s", err, enginelib.OfflineHelp(c.LibCHDB, reg))
		}
		return err
	}
	fmt.Fprintf(stderr, "antq: engine installed at %s\n", c.LibCHDB)
	return nil
}

// openStore opens the store c names, fetching the engine first if needed.
func openStore(ctx context.Context, c *config, stderr io.Writer) (*chstore.Store, error) {
	if err := ensureEngine(ctx, c, stderr); err != nil {
		return nil, err
	}
	return chstore.Open(ctx, c.storeConfig())
}

// runSetup fetches what antq needs at run time and is not in the binary:
// the embedded engine. It prints the library's path.
func runSetup(args []string, stdout, stderr io.Writer) error {
	var c config
	fs := newFlags("setup", &c, stderr)
	if err := fs.Parse(args); err != nil {
		return &exitError{code: 2}
	}
	if fs.NArg() > 0 {
		return &exitError{code: 2, msg: "usage: antq setup [--libchdb PATH]"}
	}
	c.Engine = chstore.EngineEmbedded
	if err := ensureEngine(context.Background(), &c, stderr); err != nil {
		return err
	}
	fmt.Fprintln(stdout, c.LibCHDB)
	return nil
}
