package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/antq-atlas/antq/analytics/chstore"
	"github.com/antq-atlas/antq/analytics/commune"
	"github.com/antq-atlas/antq/analytics/commune/csvresolve"
)

// openReference loads the reference geography: the bundle built into the
// binary, or the folder of the refdata setting (and ANTQ_VNAD's table).
func openReference(ctx context.Context, c *config) (*commune.Set, error) {
	dir, err := commune.FindRefData(c.RefData)
	if err != nil {
		return nil, err
	}
	vnad, err := commune.FindVNAD("")
	if err != nil {
		return nil, err
	}
	set, err := commune.Load(ctx, commune.Config{RefDir: dir, VNADPath: vnad})
	if err != nil {
		from := dir
		if from == "" {
			from = commune.EmbeddedSource
		}
		return nil, fmt.Errorf("load reference data from %s: %w", from, err)
	}
	return set, nil
}

// syncReference loads the reference tables into the store when they changed.
func syncReference(ctx context.Context, store *chstore.Store, set *commune.Set) (bool, error) {
	return store.LoadReference(ctx, chstore.ReferenceFromSet(set))
}

func runRefdata(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "check" {
		return &exitError{code: 2, msg: "usage: antq refdata check [--refdata DIR]"}
	}
	var c config
	fs := newFlags("refdata check", &c, stderr)
	if err := fs.Parse(args[1:]); err != nil {
		return &exitError{code: 2}
	}
	t0 := time.Now()
	set, err := openReference(context.Background(), &c)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "reference data loaded from %s in %v\n", set.Source, time.Since(t0).Round(time.Millisecond))
	return commune.Check(set).WriteText(stdout)
}

func runResolve(args []string, stdout, stderr io.Writer) error {
	var c config
	fs := newFlags("resolve", &c, stderr)
	province := fs.String("province", "", "assume this province (code or name) for rows without one")
	if err := fs.Parse(args); err != nil {
		return &exitError{code: 2}
	}
	if fs.NArg() != 1 {
		return &exitError{code: 2, msg: "cách dùng / usage: antq resolve [--province P] FILE.csv|-   (ghi ra các dòng với mã, tên xã 2025, quy tắc, độ tin cậy hoặc lỗi / writes the rows with code, 2025 name, rule, confidence or error to stdout)"}
	}
	in := os.Stdin
	if name := fs.Arg(0); name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return fmt.Errorf("không mở được tệp %s / cannot open %s: %w", name, name, err)
		}
		defer f.Close()
		in = f
	}
	ctx := context.Background()
	set, err := openReference(ctx, &c)
	if err != nil {
		return err
	}
	st, err := csvresolve.Resolve(ctx, in, stdout, commune.NewResolver(set), csvresolve.Options{Province: *province})
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "antq resolve: %d dòng, %d xác định được xã 2025 (%d từ xã cũ bị chia), %d lỗi / %d rows, %d resolved (%d split), %d errors\n",
		st.Rows, st.Resolved, st.Split, st.Errors, st.Rows, st.Resolved, st.Split, st.Errors)
	if st.Errors > 0 {
		return &exitError{code: 2}
	}
	return nil
}
