package main

import (
	"context"
	"fmt"
	"io"
	"strings"
)

func runMigrate(args []string, stdout, stderr io.Writer) error {
	var c config
	fs := newFlags("migrate", &c, stderr)
	if err := fs.Parse(args); err != nil {
		return &exitError{code: 2}
	}
	ctx := context.Background()
	store, err := openStore(ctx, &c, stderr)
	if err != nil {
		return fmt.Errorf("open store: %w", err)
	}
	defer store.Close()
	applied, err := store.Migrate(ctx)
	if err != nil {
		return err
	}
	v, err := store.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	if len(applied) == 0 {
		fmt.Fprintf(stdout, "schema up to date (version %d, database %s)\n", v, store.Database())
		return nil
	}
	fmt.Fprintf(stdout, "applied %s; schema version %d (database %s)\n", strings.Join(applied, ", "), v, store.Database())
	return nil
}
