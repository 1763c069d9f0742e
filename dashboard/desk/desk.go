// Package desk is the data desk of the web page: uploads of report files
// kept under <data>/uploads/ (with a retention), the checks a file passes
// before the ingest reads it (size, type, an XLSX's unzipped size and rows),
// the preview, the load with its progress, the rejects (a table and an
// XLSX), the batch list and undo. A batch's state is a JSON file beside its
// files, so a page reload or a server restart finds it; a load the server
// did not finish is marked failed at the next start and what it wrote is
// taken back.
//
// The desk runs the ingest through a Loader that cmd/antq implements: it
// imports neither Fiber (the dashboard's handlers are thin) nor the ingest
// package or the store.
package desk

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/antq-atlas/antq/analytics"
)

// Config configures the desk.
type Config struct {
	Dir             string        // <data>/uploads
	MaxFileBytes    int64         // one file; default 50 MiB
	MaxRequestBytes int64         // one upload request; default 200 MiB
	Retention       time.Duration // kept files and states of finished batches; default 30 days
	// MaxUnzipped bounds an XLSX's parts once unzipped, read from its zip
	// directory before anything else (default 2 GiB, the ingest's own).
	MaxUnzipped int64
	// MaxRows bounds the rows an XLSX sheet announces (its dimension),
	// checked before reading (default 20,000,000, the ingest's own).
	MaxRows int
	Now     func() time.Time
}

func (c *Config) fill() error {
	if c.Dir == "" {
		return errors.New("desk: no upload directory")
	}
	if c.MaxFileBytes <= 0 {
		c.MaxFileBytes = 50 << 20
	}
	if c.MaxRequestBytes <= 0 {
		c.MaxRequestBytes = 200 << 20
	}
	if c.Retention <= 0 {
		c.Retention = 30 * 24 * time.Hour
	}
	if c.MaxUnzipped <= 0 {
		c.MaxUnzipped = 2 << 30
	}
	if c.MaxRows <= 0 {
		c.MaxRows = 20_000_000
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return nil
}

// Desk keeps the uploads and runs their loads, one at a time (two uploads
// at once are queued: each load's counts stay exact and the store is not
// written by two loads at once).
type Desk struct {
	cfg    Config
	loader Loader
	ctx    context.Context
	cancel context.CancelFunc
	slot   chan struct{} // one load at a time
	wg     sync.WaitGroup

	finished func(Batch) // told when a load ends (the audit log)

	mu      sync.Mutex
	batches map[string]*Batch
	changed map[string]chan struct{} // closed when a batch changes
}

// stateFile is a batch's state beside its files.
const stateFile = "batch.json"

// Open opens the desk in cfg.Dir: it reads the batches kept there, marks
// the loads a stopped server left unfinished as failed (taking back what
// they wrote) and removes batches past the retention.
func Open(ctx context.Context, cfg Config, loader Loader) (*Desk, error) {
	if err := cfg.fill(); err != nil {
		return nil, err
	}
	if loader == nil {
		return nil, errors.New("desk: no loader")
	}
	if err := os.MkdirAll(cfg.Dir, 0o750); err != nil {
		return nil, fmt.Errorf("desk: %w", err)
	}
	dctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	d := &Desk{cfg: cfg, loader: loader, ctx: dctx, cancel: cancel, slot: make(chan struct{}, 1),
		batches: map[string]*Batch{}, changed: map[string]chan struct{}{}}
	entries, err := os.ReadDir(cfg.Dir)
	if err != nil {
		return nil, fmt.Errorf("desk: %w", err)
	}
	for _, e := range entries {
		if !e.IsDir() || !validID(e.Name()) {
			continue
		}
		raw, err := os.ReadFile(filepath.Join(cfg.Dir, e.Name(), stateFile))
		if err != nil {
			continue // an upload cut short before its state was written
		}
		var b Batch
		if err := json.Unmarshal(raw, &b); err != nil || b.ID != e.Name() {
			continue
		}
		d.batches[b.ID] = &b
		if b.Status == StatusRunning || b.Status == StatusQueued {
			msg := "máy chủ đã dừng trước khi lô này nạp xong; phần đã ghi dở đã được gỡ, hãy nạp lại tệp / the server stopped before this batch finished; what it had written was taken back, upload the files again"
			if b.Status == StatusRunning {
				if derr := loader.Discard(ctx, d.request(&b)); derr != nil {
					msg = "máy chủ đã dừng trước khi lô này nạp xong và không gỡ được phần đã ghi dở / the server stopped before this batch finished and what it wrote could not be taken back: " + derr.Error()
				}
			}
			b.Status, b.Message, b.Finished = StatusFailed, msg, cfg.Now().UTC()
			if err := d.save(&b); err != nil {
				return nil, err
			}
		}
	}
	d.purge()
	return d, nil
}

// Close stops the loads in flight (they are marked failed) and waits for them.
func (d *Desk) Close() {
	d.cancel()
	d.wg.Wait()
}

// OnFinish sets f to be told of each load when it ends (done or failed).
func (d *Desk) OnFinish(f func(Batch)) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.finished = f
}

// Template is the template of a kind to fill (XLSX).
func (d *Desk) Template(kind analytics.Kind) (string, []byte, error) { return d.loader.Template(kind) }

// Limits returns the size limits (for the page's own checks before sending).
func (d *Desk) Limits() (file, request int64) { return d.cfg.MaxFileBytes, d.cfg.MaxRequestBytes }

// newID names a batch as the ingest does: time and a random suffix.
func (d *Desk) newID() string {
	var b [2]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	return d.cfg.Now().UTC().Format("20060102-150405") + "-" + hex.EncodeToString(b[:])
}

// validID: "20251120-100000-3fa9", nothing that could leave the directory.
func validID(id string) bool {
	if len(id) < 10 || len(id) > 40 {
		return false
	}
	for _, r := range id {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f' || r == '-') {
			return false
		}
	}
	return true
}

func (d *Desk) dir(id string) string      { return filepath.Join(d.cfg.Dir, id) }
func (d *Desk) filesDir(id string) string { return filepath.Join(d.cfg.Dir, id, "files") }

// save writes b's state atomically; the caller holds no lock on b's copy.
func (d *Desk) save(b *Batch) error {
	raw, err := json.MarshalIndent(b, "", " ")
	if err != nil {
		return fmt.Errorf("desk: batch %s: %w", b.ID, err)
	}
	f, err := os.CreateTemp(d.dir(b.ID), stateFile+".*.tmp")
	if err != nil {
		return fmt.Errorf("desk: batch %s: %w", b.ID, err)
	}
	_, werr := f.Write(raw)
	if err := errors.Join(werr, f.Close()); err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("desk: batch %s: %w", b.ID, err)
	}
	if err := os.Rename(f.Name(), filepath.Join(d.dir(b.ID), stateFile)); err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("desk: batch %s: %w", b.ID, err)
	}
	return nil
}

// update changes batch id under the lock, saves it and wakes its waiters.
func (d *Desk) update(id string, f func(b *Batch)) error {
	d.mu.Lock()
	b, ok := d.batches[id]
	if !ok {
		d.mu.Unlock()
		return analytics.Errorf(analytics.CodeNotFound, "không có lô %s / no batch %s", id, id)
	}
	f(b)
	cp := clone(b)
	if ch, ok := d.changed[id]; ok {
		close(ch)
		delete(d.changed, id)
	}
	d.mu.Unlock()
	return d.save(&cp)
}

func clone(b *Batch) Batch {
	cp := *b
	cp.Files = slices.Clone(b.Files)
	cp.Progress.Files = slices.Clone(b.Progress.Files)
	return cp
}

// request is the loader's request for batch b.
func (d *Desk) request(b *Batch) Request {
	r := Request{ID: b.ID, Kind: b.Kind, Province: b.Province, District: b.District, Actor: b.Actor}
	if !b.AllGrants {
		r.Provinces = slices.Clone(b.Grants)
		if r.Provinces == nil {
			r.Provinces = []analytics.ProvinceCode{}
		}
	}
	for _, f := range b.Files {
		r.Files = append(r.Files, filepath.Join(d.filesDir(b.ID), f.Name))
	}
	return r
}

// Options are what an upload asks besides its files.
type Options struct {
	Kind     analytics.Kind
	Province string
	District string
	Scope    Scope
}

// Submit previews an upload's files and keeps the batch; unless dryRun,
// the load is queued at once (otherwise Confirm queues it).
func (d *Desk) Submit(ctx context.Context, u *Upload, dryRun bool) (Batch, error) {
	if len(u.files) == 0 {
		u.Abort()
		return Batch{}, analytics.Errorf(analytics.CodeInvalid, "không có tệp nào (trường file) / no file (field file)")
	}
	b := &Batch{ID: u.id, Source: "web", At: d.cfg.Now().UTC(), Actor: u.opt.Scope.User, Files: u.files,
		Kind: u.opt.Kind, Province: u.opt.Province, District: u.opt.District, Status: StatusPreview,
		AllGrants: u.opt.Scope.All}
	if !b.AllGrants {
		b.Grants = slices.Clone(u.opt.Scope.Provinces)
	}
	pv, err := d.loader.Preview(ctx, d.request(b))
	if err != nil {
		u.Abort()
		return Batch{}, err
	}
	b.Preview = &pv
	for _, f := range pv.Files {
		b.Progress.Files = append(b.Progress.Files, FileProgress{Name: f.Name, Total: f.Rows()})
		b.Progress.Total += f.Rows()
	}
	// The preview may order the files by kind: the progress follows it.
	if err := d.save(b); err != nil {
		u.Abort()
		return Batch{}, err
	}
	d.mu.Lock()
	d.batches[b.ID] = b
	d.mu.Unlock()
	if dryRun {
		return d.Get(b.ID, u.opt.Scope)
	}
	return d.Confirm(b.ID, u.opt.Scope)
}

// Confirm queues the load of a previewed batch.
func (d *Desk) Confirm(id string, s Scope) (Batch, error) {
	// The load outlives the caller: a web server's request strings may be
	// views of a buffer it reuses for the next request (Fiber), so the
	// desk keeps its own copy.
	id = strings.Clone(id)
	if _, err := d.Get(id, s); err != nil {
		return Batch{}, err
	}
	var bad error
	err := d.update(id, func(b *Batch) {
		if b.Status != StatusPreview {
			bad = analytics.Errorf(analytics.CodeConflict, "lô %s đang ở trạng thái %s, không xác nhận được / batch %s is %s, not a preview", id, b.Status, id, b.Status)
			return
		}
		b.Status = StatusQueued
	})
	if err == nil {
		err = bad
	}
	if err != nil {
		return Batch{}, err
	}
	d.wg.Add(1)
	go d.run(id)
	return d.Get(id, s)
}

// run loads batch id when the slot is free.
func (d *Desk) run(id string) {
	defer d.wg.Done()
	select {
	case d.slot <- struct{}{}:
	case <-d.ctx.Done():
		d.fail(id, "máy chủ đang dừng / the server is stopping")
		return
	}
	defer func() { <-d.slot }()
	var req Request
	d.update(id, func(b *Batch) {
		b.Status = StatusRunning
		req = d.request(b)
	})
	var (
		pmu  sync.Mutex
		last time.Time
	)
	progress := func(path string, rows int) {
		pmu.Lock()
		defer pmu.Unlock()
		now := time.Now()
		save := now.Sub(last) >= 500*time.Millisecond
		if save {
			last = now
		}
		d.mu.Lock()
		b := d.batches[id]
		name := filepath.Base(path)
		for i := range b.Progress.Files {
			if b.Progress.Files[i].Name == name {
				b.Progress.Files[i].Rows = rows
			}
		}
		b.Progress.Rows = 0
		for _, f := range b.Progress.Files {
			b.Progress.Rows += min(f.Rows, f.Total)
		}
		if b.Progress.Total > 0 {
			b.Progress.Percent = min(99, b.Progress.Rows*100/b.Progress.Total)
		}
		cp := clone(b)
		d.mu.Unlock()
		if save {
			d.save(&cp)
		}
	}
	sum, err := d.loader.Load(d.ctx, req, progress)
	d.update(id, func(b *Batch) {
		b.Finished = d.cfg.Now().UTC()
		if sum.Files != nil || sum.Counts.Read > 0 {
			b.Summary = &sum
			b.Counts = sum.Counts
			b.Kinds = nil
			for _, k := range analytics.Kinds {
				if _, ok := sum.Kinds[string(k)]; ok {
					b.Kinds = append(b.Kinds, k)
				}
			}
			b.Loaded = nil
			for p, c := range sum.Provinces {
				if p != "" && c.Loaded > 0 {
					b.Loaded = append(b.Loaded, analytics.ProvinceCode(p))
				}
			}
			slices.Sort(b.Loaded)
			for i := range b.Files {
				for _, f := range sum.Files {
					if f.Name == b.Files[i].Name && f.SHA256 != "" {
						b.Files[i].SHA256 = f.SHA256
					}
				}
			}
		}
		if err != nil {
			b.Status, b.Message = StatusFailed, "nạp không xong / the load failed: "+analytics.ErrorMessage(err)
			return
		}
		b.Status = StatusDone
		for i := range b.Progress.Files {
			b.Progress.Files[i].Rows = b.Progress.Files[i].Total
		}
		b.Progress.Rows, b.Progress.Percent = b.Progress.Total, 100
	})
	d.mu.Lock()
	f, b := d.finished, d.batches[id]
	var cp Batch
	if b != nil {
		cp = clone(b)
	}
	d.mu.Unlock()
	if f != nil && b != nil {
		f(cp)
	}
}

func (d *Desk) fail(id, msg string) {
	d.update(id, func(b *Batch) { b.Status, b.Message, b.Finished = StatusFailed, msg, d.cfg.Now().UTC() })
}

// Get returns batch id when s may see it: a web upload, or one from the
// store's batch log.
func (d *Desk) Get(id string, s Scope) (Batch, error) {
	d.mu.Lock()
	b, ok := d.batches[id]
	var cp Batch
	if ok {
		cp = clone(b)
	}
	d.mu.Unlock()
	if !ok {
		all, err := d.List(d.ctx, s)
		if err != nil {
			return Batch{}, err
		}
		for _, x := range all {
			if x.ID == id {
				return x, nil
			}
		}
		return Batch{}, analytics.Errorf(analytics.CodeNotFound, "không có lô %s / no batch %s", id, id)
	}
	if !s.sees(&cp) {
		return Batch{}, analytics.Errorf(analytics.CodeForbidden, "lô %s có số liệu của tỉnh không được cấp cho tài khoản / batch %s holds rows of provinces not granted to this account", id, id)
	}
	return cp, nil
}

// Wait waits until batch id is no longer queued or running, or ctx ends.
func (d *Desk) Wait(ctx context.Context, id string, s Scope) (Batch, error) {
	for {
		d.mu.Lock()
		b, ok := d.batches[id]
		if !ok {
			d.mu.Unlock()
			return d.Get(id, s)
		}
		if b.Status != StatusQueued && b.Status != StatusRunning {
			d.mu.Unlock()
			return d.Get(id, s)
		}
		ch, ok := d.changed[id]
		if !ok {
			ch = make(chan struct{})
			d.changed[id] = ch
		}
		d.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return Batch{}, ctx.Err()
		}
	}
}

// List returns the batches s may see, newest first: the uploads, and the
// store's batches loaded otherwise (`antq ingest`).
func (d *Desk) List(ctx context.Context, s Scope) ([]Batch, error) {
	logged, err := d.loader.Batches(ctx)
	if err != nil {
		return nil, err
	}
	d.mu.Lock()
	out := make([]Batch, 0, len(d.batches)+len(logged))
	seen := map[string]int{}
	for _, b := range d.batches {
		seen[b.ID] = len(out)
		out = append(out, clone(b))
	}
	d.mu.Unlock()
	for _, lb := range logged {
		if i, ok := seen[lb.ID]; ok {
			if !lb.Undone.IsZero() && out[i].Status == StatusDone {
				out[i].Status, out[i].Undone, out[i].UndoneBy = StatusUndone, lb.Undone, lb.UndoneBy
			}
			continue
		}
		b := Batch{ID: lb.ID, Source: "cli", At: lb.At, Actor: lb.Actor, Status: StatusDone, Counts: lb.Counts,
			Kinds: lb.Kinds, Loaded: lb.Provinces, Undone: lb.Undone, UndoneBy: lb.UndoneBy,
			Progress: Progress{Rows: lb.Counts.Read, Total: lb.Counts.Read, Percent: 100}}
		if !lb.Undone.IsZero() {
			b.Status = StatusUndone
		}
		for _, f := range lb.Files {
			b.Files = append(b.Files, File{Name: filepath.Base(f.Path), SHA256: f.SHA256})
		}
		out = append(out, b)
	}
	shown := out[:0]
	for i := range out {
		if s.sees(&out[i]) {
			out[i].Preview = nil // the list is light: open a batch for its preview and summary
			out[i].Summary = nil
			shown = append(shown, out[i])
		}
	}
	sort.SliceStable(shown, func(i, j int) bool {
		return shown[i].At.After(shown[j].At) || shown[i].At.Equal(shown[j].At) && shown[i].ID > shown[j].ID
	})
	return shown, nil
}

// Undo takes back a loaded batch (or cancels a preview, discarding its
// files). An editor may undo only batches all of whose rows are of their
// provinces.
func (d *Desk) Undo(ctx context.Context, id string, s Scope) (Batch, analytics.UndoResult, error) {
	b, err := d.Get(id, s)
	if err != nil {
		return Batch{}, analytics.UndoResult{}, err
	}
	switch b.Status {
	case StatusPreview:
		err := d.update(id, func(b *Batch) { b.Status, b.Finished = StatusCancelled, d.cfg.Now().UTC() })
		if err == nil {
			os.RemoveAll(d.filesDir(id))
		}
		nb, _ := d.Get(id, s)
		return nb, analytics.UndoResult{Batch: id}, err
	case StatusQueued, StatusRunning:
		return Batch{}, analytics.UndoResult{}, analytics.Errorf(analytics.CodeConflict, "lô %s đang nạp; hãy chờ nạp xong rồi hoàn tác / batch %s is loading; undo it when it is done", id, id)
	case StatusCancelled, StatusUndone:
		return Batch{}, analytics.UndoResult{}, analytics.Errorf(analytics.CodeConflict, "lô %s đã %s / batch %s is %s", id, statusVI[b.Status], id, b.Status)
	case StatusFailed:
		if b.Source == "web" && len(b.Loaded) == 0 && b.Summary == nil {
			return Batch{}, analytics.UndoResult{}, analytics.Errorf(analytics.CodeConflict, "lô %s không nạp được dòng nào, không có gì để hoàn tác / batch %s loaded nothing to undo", id, id)
		}
	}
	res, err := d.loader.Undo(ctx, id, s.User)
	if err != nil {
		return Batch{}, res, err
	}
	now := d.cfg.Now().UTC()
	d.update(id, func(b *Batch) { b.Status, b.Undone, b.UndoneBy = StatusUndone, now, s.User })
	nb, err := d.Get(id, s)
	if err != nil { // a batch of the command line: not kept by the desk
		b.Status, b.Undone, b.UndoneBy = StatusUndone, now, s.User
		nb = b
	}
	return nb, res, nil
}

// statusVI names the statuses in Vietnamese.
var statusVI = map[Status]string{
	StatusPreview: "chờ xác nhận", StatusQueued: "đang chờ nạp", StatusRunning: "đang nạp", StatusDone: "đã nạp",
	StatusFailed: "lỗi", StatusCancelled: "đã hủy", StatusUndone: "đã hoàn tác",
}

// purge removes the batches finished longer ago than the retention (and
// previews never confirmed), with their files.
func (d *Desk) purge() {
	cut := d.cfg.Now().Add(-d.cfg.Retention)
	d.mu.Lock()
	var gone []string
	for id, b := range d.batches {
		at := b.Finished
		if at.IsZero() {
			at = b.At
		}
		if (b.Status.terminal() || b.Status == StatusPreview) && at.Before(cut) {
			gone = append(gone, id)
			delete(d.batches, id)
		}
	}
	d.mu.Unlock()
	for _, id := range gone {
		os.RemoveAll(d.dir(id))
	}
}

// Purge removes what is past the retention; the server calls it daily.
func (d *Desk) Purge() { d.purge() }

// sanitizeName keeps a file's base name, without path, control characters
// or a leading dot.
func sanitizeName(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, "\\", "/"))
	var b strings.Builder
	for _, r := range name {
		switch {
		case r < 0x20 || r == 0x7f || r == '/' || r == ':' || r == '*' || r == '?' || r == '"' || r == '<' || r == '>' || r == '|':
			b.WriteRune('_')
		default:
			b.WriteRune(r)
		}
	}
	s := strings.TrimLeft(strings.TrimSpace(b.String()), ".")
	if r := []rune(s); len(r) > 120 {
		ext := []rune(filepath.Ext(s))
		if len(ext) > 10 {
			ext = nil
		}
		s = string(r[:120-len(ext)]) + string(ext)
	}
	if s == "" {
		s = "tep"
	}
	return s
}
