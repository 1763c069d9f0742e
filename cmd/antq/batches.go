package main

import (
	"context"
	"fmt"
	"io"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"text/tabwriter"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/chstore"
)

// runBatches lists the ingest batches, or undoes one: `antq batches`,
// `antq batches undo ID`. When `antq serve` owns the data directory, the
// undo is handed to it (as `antq ingest` hands files), so its response
// cache is emptied with the figures; listing reads the log either way.
func runBatches(args []string, stdout, stderr io.Writer) error {
	var c config
	fs := newFlags("batches", &c, stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: antq batches            list the ingest batches, newest last\n       antq batches undo ID    remove the rows batch ID loaded and rebuild the figures")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return &exitError{code: 2}
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	switch {
	case fs.NArg() == 0:
		return listBatches(ctx, &c, stdout)
	case fs.NArg() == 2 && fs.Arg(0) == "undo":
		return undoCommand(ctx, &c, fs.Arg(1), stdout, stderr)
	}
	fs.Usage()
	return &exitError{code: 2}
}

func listBatches(ctx context.Context, c *config, stdout io.Writer) error {
	store, err := chstore.Open(ctx, c.storeConfig())
	if analytics.ErrorCode(err) == analytics.CodeConflict {
		owner, ok := chstore.ReadOwner(c.Data)
		if !ok || owner.Addr == "" || owner.Token == "" {
			return fmt.Errorf("%w; stop it or wait for it to finish, then list the batches again", err)
		}
		return handOff(ctx, owner, ingestRequest{List: true}, stdout)
	}
	if err != nil {
		return fmt.Errorf("open store: %w", err)
	}
	defer store.Close()
	if _, err := store.Migrate(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	batches, err := store.Batches(ctx)
	if err != nil {
		return err
	}
	writeBatches(stdout, batches)
	return nil
}

// writeBatches prints the batch log as a table.
func writeBatches(w io.Writer, batches []analytics.IngestBatch) {
	if len(batches) == 0 {
		fmt.Fprintln(w, "Chưa có lô nạp nào")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "LÔ\tLÚC (UTC)\tNGƯỜI NẠP\tLOẠI\tĐỌC\tNẠP\tLOẠI BỎ\tTRÙNG\tBỎ QUA\tTỈNH, THÀNH PHỐ\tTỆP\tTRẠNG THÁI")
	for _, b := range batches {
		var kinds, provs, files []string
		for _, k := range b.Kinds {
			kinds = append(kinds, analytics.KindLabel(analytics.LangVI, k))
		}
		for _, p := range b.Provinces {
			provs = append(provs, string(p))
		}
		for _, f := range b.Files {
			files = append(files, filepath.Base(f.Path)+" ("+short(f.SHA256)+")")
		}
		state := "Đã nạp"
		if !b.Undone.IsZero() {
			state = "Đã hoàn tác " + b.Undone.Format("02/01/2006 15:04") + " bởi " + b.UndoneBy
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%d\t%d\t%d\t%d\t%s\t%s\t%s\n", b.ID, b.At.Format("02/01/2006 15:04:05"), b.Actor,
			strings.Join(kinds, ", "), b.Counts.Read, b.Counts.Loaded, b.Counts.Rejected, b.Counts.Duplicates, b.Counts.Skipped,
			strings.Join(provs, ","), strings.Join(files, ", "), state)
	}
	tw.Flush()
}

func short(sha string) string {
	if len(sha) > 12 {
		return "sha256 " + sha[:12] + "…"
	}
	return sha
}

func undoCommand(ctx context.Context, c *config, id string, stdout, stderr io.Writer) error {
	store, err := chstore.Open(ctx, c.storeConfig())
	if analytics.ErrorCode(err) == analytics.CodeConflict {
		owner, ok := chstore.ReadOwner(c.Data)
		if !ok || owner.Addr == "" || owner.Token == "" {
			return fmt.Errorf("%w; stop it or wait for it to finish, then run the undo again", err)
		}
		fmt.Fprintf(stderr, "antq batches: %s is owned by `antq %s` (pid %d); handing the undo of %s to it at %s\n",
			c.Data, owner.Command, owner.PID, id, owner.Addr)
		return handOff(ctx, owner, ingestRequest{Undo: id, Actor: actor()}, stdout)
	}
	if err != nil {
		return fmt.Errorf("open store: %w", err)
	}
	defer store.Close()
	if _, err := store.Migrate(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	text, err := undoBatch(ctx, store, id, actor())
	if err != nil {
		return err
	}
	fmt.Fprint(stdout, text)
	return nil
}

// undoBatch undoes a batch and words what it removed.
func undoBatch(ctx context.Context, store *chstore.Store, id, who string) (string, error) {
	res, err := store.UndoBatch(ctx, id, who)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Đã hoàn tác lô %s:", id)
	total := uint64(0)
	var removed []string
	for _, k := range analytics.Kinds {
		if n := res.Removed[k]; n > 0 {
			removed = append(removed, " "+analytics.Number(analytics.LangVI, float64(n), 0)+" "+analytics.KindLabel(analytics.LangVI, k))
			total += n
		}
	}
	provs := make([]string, len(res.Provinces))
	for i, p := range res.Provinces {
		provs[i] = string(p)
	}
	if len(removed) > 0 {
		b.WriteString(strings.Join(removed, ",") + ";")
	}
	fmt.Fprintf(&b, " xóa %s bản ghi; số liệu của tỉnh, thành phố mã %s đã được tính lại\n", analytics.Number(analytics.LangVI, float64(total), 0), strings.Join(provs, ", "))
	return b.String(), nil
}
