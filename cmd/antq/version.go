package main

import (
	"context"
	"fmt"
	"io"
	"runtime"

	"github.com/antq-atlas/antq/analytics/chstore"
)

func runVersion(args []string, stdout, stderr io.Writer) error {
	var c config
	fs := newFlags("version", &c, stderr)
	engine := fs.Bool("check", false, "also open the store and print the engine's version")
	if err := fs.Parse(args); err != nil {
		return &exitError{code: 2}
	}
	fmt.Fprintf(stdout, "antq %s (%s %s/%s)\n", version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	if !*engine {
		return nil
	}
	store, err := chstore.Open(context.Background(), c.storeConfig())
	if err != nil {
		return err
	}
	defer store.Close()
	fmt.Fprintf(stdout, "clickhouse %s (%s engine)\n", store.EngineVersion(), store.EngineKind())
	return nil
}
