package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"os/signal"
	"os/user"
	"path/filepath"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/chstore"
	"github.com/antq-atlas/antq/analytics/commune"
	"github.com/antq-atlas/antq/ingest"
	"github.com/antq-atlas/antq/ingest/layout"
	"github.com/antq-atlas/antq/ingest/sheet"
	"github.com/antq-atlas/antq/ingest/template"
)

// ingestRequest is what `antq ingest` hands to a running `antq serve` that
// owns the data directory: the files' absolute paths (same machine), so the
// server reads them and writes the rejects files beside them.
type ingestRequest struct {
	Files    []string `json:"files"`
	Kind     string   `json:"kind,omitempty"`
	Sheet    string   `json:"sheet,omitempty"`
	Encoding string   `json:"encoding,omitempty"`
	Province string   `json:"province,omitempty"` // the files' province, over what their title blocks say
	District string   `json:"district,omitempty"`
	Lang     string   `json:"lang,omitempty"`  // "vi" (default) or "en": rejects and summary
	Actor    string   `json:"actor,omitempty"` // who runs it, for the batch log
	Undo     string   `json:"undo,omitempty"`  // `antq batches undo ID` handed to the server: no files
	List     bool     `json:"list,omitempty"`  // `antq batches` handed to the server: no files
}

// ingestReply is the server's answer.
type ingestReply struct {
	Summary  string `json:"summary"`
	ExitCode int    `json:"exit_code"`
	Error    string `json:"error,omitempty"`
}

const localIngestPath = "/api/v1/admin/ingest-local"

func runIngest(args []string, stdout, stderr io.Writer) error {
	var c config
	fs := newFlags("ingest", &c, stderr)
	kind := fs.String("kind", "", "kind of every file: models, sites, grades or incidents (default: detected from the headers)")
	sheet := fs.String("sheet", "", "XLSX: read only this sheet (default: every sheet)")
	encoding := fs.String("encoding", "", "CSV encoding: utf-8, windows-1258 or windows-1252 (default: detected; non-UTF-8 is read as windows-1258)")
	tmpl := fs.String("template", "", "write a template (e.g. sites.xlsx, incidents.csv) with Vietnamese headers and a guide sheet, then exit")
	province := fs.String("province", "", "province of the files (name or code), over what their title blocks say; communes are judged within it")
	district := fs.String("district", "", "district of the files (records before 1 July 2025), over what their title blocks and sections say")
	dryRun := fs.Bool("dry-run", false, "show per sheet the header rows, each column's mapping, the context, the first rows as they would be stored and the counts; write nothing")
	lang := fs.String("lang", "vi", "language of the reasons in the rejects file and the summary: vi or en")
	if err := fs.Parse(args); err != nil {
		return &exitError{code: 2}
	}
	if *lang != "vi" && *lang != "en" {
		return &exitError{code: 2, msg: "--lang: vi or en"}
	}
	if *tmpl != "" {
		if err := template.Write(*tmpl); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "wrote %s: fill in the rows, then run `antq ingest %s`\n", *tmpl, *tmpl)
		return nil
	}
	if fs.NArg() == 0 {
		return &exitError{code: 2, msg: "usage: antq ingest [--kind K] [--sheet S] FILE...   (or --template FILE)"}
	}
	req := ingestRequest{Kind: *kind, Sheet: *sheet, Encoding: *encoding, Province: *province, District: *district, Lang: *lang, Actor: actor()}
	for _, f := range fs.Args() {
		abs, err := filepath.Abs(f)
		if err != nil {
			return err
		}
		req.Files = append(req.Files, abs)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if *dryRun {
		return previewFiles(ctx, &c, req, stdout)
	}
	return ingestFiles(ctx, &c, nil, req, stdout, stderr)
}

// previewFiles prints what loading the files would do. It needs the
// reference geography only: no store is opened, nothing is written.
func previewFiles(ctx context.Context, c *config, req ingestRequest, stdout io.Writer) error {
	set, err := openReference(ctx, c)
	if err != nil {
		return err
	}
	job, err := newJob(nil, set, req)
	if err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	p, err := job.Preview(ctx, req.Files...)
	if err != nil {
		return err
	}
	return p.WriteText(stdout)
}

// newJob makes the ingest job a request asks for.
func newJob(w analytics.Writer, set *commune.Set, req ingestRequest) (*ingest.Job, error) {
	job := &ingest.Job{Writer: w, Resolver: commune.NewResolver(set), Kind: analytics.Kind(req.Kind), Sheet: req.Sheet,
		Context: layout.Context{Province: req.Province, District: req.District}, Actor: req.Actor, Lang: req.Lang}
	if req.Encoding != "" {
		enc, err := sheet.ParseEncoding(req.Encoding)
		if err != nil {
			return nil, err
		}
		job.Encoding = enc
	}
	return job, nil
}

// actor is who runs a command, for the batch log: user@host.
func actor() string {
	name := "?"
	if u, err := user.Current(); err == nil {
		name = u.Username
	}
	host, _ := os.Hostname()
	return name + "@" + host
}

// ingestFiles loads the files with this process's own store, or hands them
// to the `antq serve` that owns the data directory. set is the reference
// geography when the caller has it loaded already (nil: load it here).
func ingestFiles(ctx context.Context, c *config, set *commune.Set, req ingestRequest, stdout, stderr io.Writer) error {
	// The reference data (a third of a second of parsing) load while the
	// engine opens and migrates.
	type loaded struct {
		set *commune.Set
		err error
	}
	var ref chan loaded
	if set == nil {
		ref = make(chan loaded, 1)
		go func() {
			s, err := openReference(ctx, c)
			ref <- loaded{s, err}
		}()
	}
	store, err := openStore(ctx, c, stderr)
	if analytics.ErrorCode(err) == analytics.CodeConflict {
		owner, ok := chstore.ReadOwner(c.Data)
		if !ok || owner.Addr == "" || owner.Token == "" {
			return fmt.Errorf("%w; stop it or wait for it to finish, then run the ingest again", err)
		}
		fmt.Fprintf(stderr, "antq ingest: %s is owned by `antq %s` (pid %d); handing %d file(s) to it at %s\n",
			c.Data, owner.Command, owner.PID, len(req.Files), owner.Addr)
		return handOff(ctx, owner, req, stdout)
	}
	if err != nil {
		return fmt.Errorf("open store: %w", err)
	}
	defer store.Close()
	if _, err := store.Migrate(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if ref != nil {
		r := <-ref
		if r.err != nil {
			return r.err
		}
		set = r.set
	}
	if _, err := syncReference(ctx, store, set); err != nil {
		return fmt.Errorf("load reference tables: %w", err)
	}
	text, code, err := runJob(ctx, store, set, req, stderr)
	if err != nil && text == "" {
		return err
	}
	fmt.Fprint(stdout, text)
	if code != ingest.ExitOK {
		return &exitError{code: code, msg: errMsg(err)}
	}
	return nil
}

func errMsg(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// runJob runs one ingest job and returns its summary text and exit code.
func runJob(ctx context.Context, w analytics.Writer, set *commune.Set, req ingestRequest, progress io.Writer) (string, int, error) {
	return runJobCounted(ctx, w, set, req, progress, nil)
}

// runJobCounted is runJob that also reports the rows loaded per kind.
func runJobCounted(ctx context.Context, w analytics.Writer, set *commune.Set, req ingestRequest, progress io.Writer, counted func(kind string, rows uint64)) (string, int, error) {
	return runJobWith(ctx, w, set, req, progress, counted, false)
}

// ingestGCLimit is the Go heap's soft limit while an ingest runs, unless
// GOMEMLIMIT sets one: the national incidents file (12.5 M rows) peaked at
// 3.5-4.3 GiB RSS without it and at 1.9 GiB with it, in 36-40 s against
// 33-40 s (make bench-ingest-peer, 2 rounds alternating with the build
// without it). The engine's own memory is not counted in it.
const ingestGCLimit = 1536 << 20

// ingestGC sets the collector for an ingest and returns what puts it back:
// fewer collections (the job allocates a record per row; GOGC 400) within
// a heap limit, so that the fewer collections do not let the heap grow to
// several times what is live.
func ingestGC() (restore func()) {
	gc := debug.SetGCPercent(400)
	limit := debug.SetMemoryLimit(-1)
	if limit == math.MaxInt64 {
		debug.SetMemoryLimit(ingestGCLimit)
	}
	return func() {
		debug.SetGCPercent(gc)
		debug.SetMemoryLimit(limit)
	}
}

// runJobWith is runJobCounted; opaque (the hand-off) reports files that
// could not be read without their content (see handoff.go).
func runJobWith(ctx context.Context, w analytics.Writer, set *commune.Set, req ingestRequest, progress io.Writer, counted func(kind string, rows uint64), opaque bool) (string, int, error) {
	defer ingestGC()()
	job, err := newJob(w, set, req)
	if err != nil {
		return "", ingest.ExitFailure, err
	}
	job.Progress = progress
	sum, err := job.Run(ctx, req.Files...)
	if opaque {
		opaqueFileErrors(&sum)
		if err != nil {
			err = opaqueError(strings.Join(req.Files, ", "), err)
		}
	}
	if counted != nil {
		for kind, n := range sum.Kinds {
			counted(string(kind), uint64(n.Loaded))
		}
	}
	return sum.String(), ingest.ExitCode(sum, err), err
}

func handOff(ctx context.Context, owner chstore.Owner, req ingestRequest, stdout io.Writer) error {
	body, _ := json.Marshal(req)
	addr := owner.Addr
	if strings.HasPrefix(addr, ":") {
		addr = "127.0.0.1" + addr
	}
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+addr+localIngestPath, bytes.NewReader(body))
	if err != nil {
		return err
	}
	hreq.Header.Set("Content-Type", "application/json")
	hreq.Header.Set(localTokenHeader, owner.Token)
	resp, err := (&http.Client{Timeout: 6 * time.Hour}).Do(hreq)
	if err != nil {
		return fmt.Errorf("hand the files to antq serve at %s: %w", addr, err)
	}
	defer resp.Body.Close()
	var rep ingestReply
	if err := json.NewDecoder(resp.Body).Decode(&rep); err != nil {
		return fmt.Errorf("antq serve answered %s without a summary: %w", resp.Status, err)
	}
	fmt.Fprint(stdout, rep.Summary)
	if rep.ExitCode != ingest.ExitOK {
		return &exitError{code: rep.ExitCode, msg: rep.Error}
	}
	return nil
}

// localTokenHeader carries the token `antq serve` writes, readable by its
// own user only, into the data directory's owner file.
const localTokenHeader = "X-Antq-Local-Token"

func newToken() string {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

// localIngest is the server side of the hand-off.
// counted (may be nil) receives the rows loaded, by kind, for /metrics.
// dirs are the real paths of the ingest directories (config.ingestDirs).
func localIngest(store *chstore.Store, set *commune.Set, token string, dirs []string, counted func(kind string, rows uint64)) func(ctx context.Context, tok string, body []byte) (int, []byte) {
	return func(ctx context.Context, tok string, body []byte) (int, []byte) {
		reply := func(status int, r ingestReply) (int, []byte) {
			b, _ := json.Marshal(r)
			return status, b
		}
		if tok == "" || subtle.ConstantTimeCompare([]byte(tok), []byte(token)) != 1 {
			return reply(http.StatusForbidden, ingestReply{ExitCode: ingest.ExitFailure, Error: "bad local token"})
		}
		var req ingestRequest
		if err := json.Unmarshal(body, &req); err != nil || len(req.Files) == 0 && req.Undo == "" && !req.List {
			return reply(http.StatusBadRequest, ingestReply{ExitCode: ingest.ExitFailure, Error: "bad ingest request"})
		}
		if req.List {
			batches, err := store.Batches(ctx)
			if err != nil {
				return reply(http.StatusOK, ingestReply{ExitCode: ingest.ExitFailure, Error: err.Error()})
			}
			var b strings.Builder
			writeBatches(&b, batches)
			return reply(http.StatusOK, ingestReply{Summary: b.String()})
		}
		if req.Undo != "" {
			// `antq batches undo` handed over: the undo empties this
			// server's response cache through the store's commit listeners.
			text, err := undoBatch(ctx, store, req.Undo, req.Actor)
			if err != nil {
				return reply(http.StatusOK, ingestReply{ExitCode: ingest.ExitFailure, Error: err.Error()})
			}
			return reply(http.StatusOK, ingestReply{Summary: text})
		}
		for i, f := range req.Files {
			real, err := allowedFile(dirs, f)
			if err != nil {
				return reply(http.StatusForbidden, ingestReply{ExitCode: ingest.ExitFailure, Error: err.Error()})
			}
			req.Files[i] = real
		}
		text, code, err := runJobWith(ctx, store, set, req, nil, counted, true)
		if err != nil && text == "" {
			return reply(http.StatusInternalServerError, ingestReply{ExitCode: ingest.ExitFailure, Error: err.Error()})
		}
		return reply(http.StatusOK, ingestReply{Summary: text, ExitCode: code, Error: errMsg(err)})
	}
}

func runDemo(args []string, stdout, stderr io.Writer) error {
	var c config
	fs := newFlags("demo", &c, stderr)
	out := fs.String("out", "", "directory for the demo files (default: <data>/demo, or <data>/demo-national)")
	seed := fs.Uint64("seed", 1, "random seed: the same seed gives the same files")
	scale := fs.String("scale", "provinces", "provinces (Tuyên Quang and Phú Thọ) or national (34 provinces, ≈10 M incidents, for benchmarks)")
	noIngest := fs.Bool("no-ingest", false, "only write the files")
	if err := fs.Parse(args); err != nil {
		return &exitError{code: 2}
	}
	if *scale != "provinces" && *scale != "national" {
		return &exitError{code: 2, msg: "--scale: provinces or national"}
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	set, files, err := writeDemo(ctx, &c, *out, *seed, *scale == "national", stderr)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %d demo files (synthetic data):\n  %s\n", len(files), strings.Join(files, "\n  "))
	if *noIngest {
		return nil
	}
	err = ingestFiles(ctx, &c, set, ingestRequest{Files: files}, stdout, stderr)
	var ex *exitError
	if errors.As(err, &ex) && ex.code == ingest.ExitRejected {
		fmt.Fprintln(stdout, "the rejected rows are the demo's deliberately invalid rows; see the rejects files for the reasons")
		return nil
	}
	return err
}
