package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/ingest"
)

// The ingest hand-off (`antq ingest` → the `antq serve` that owns the data
// directory) names files on the server's disk. The local token is readable
// only by the server's user, but a leaked token must still not make the
// server read (or write a rejects file beside) anything it likes, so the
// server opens a named file only when
//   - it is a regular file (no device, FIFO or directory),
//   - its name ends in an extension the ingest reads (.csv, .tsv, .txt,
//     .xlsx, .xlsm, .jsonl, .ndjson, .json), and
//   - its real path (symbolic links resolved) lies under one of the ingest
//     directories (--ingest-dirs; default: the data directory and the
//     server's working directory, never the root directory "/").
//
// The job then opens the real path, so a link swapped after the check
// cannot lead elsewhere. A file that cannot be read is reported by name and
// error code only: the server never echoes what it read from a file it
// could not parse (run `antq ingest` with the server stopped to see why).

// ingestExts are the extensions the ingest reads (ingest/sheet/row.go).
var ingestExts = map[string]bool{".csv": true, ".tsv": true, ".txt": true, ".xlsx": true, ".xlsm": true,
	".jsonl": true, ".ndjson": true, ".json": true}

// ingestDirs returns the real paths of the directories the hand-off may
// read from: --ingest-dirs (comma-separated), else the data directory and
// the working directory. "/" is never one.
func (c *config) ingestDirs() ([]string, error) {
	var dirs []string
	if strings.TrimSpace(c.IngestDirs) != "" {
		dirs = strings.Split(c.IngestDirs, ",")
	} else {
		wd, err := os.Getwd()
		if err != nil {
			return nil, err
		}
		dirs = []string{c.Data, wd}
	}
	var out []string
	for _, d := range dirs {
		if d = strings.TrimSpace(d); d == "" {
			continue
		}
		abs, err := filepath.Abs(d)
		if err != nil {
			return nil, fmt.Errorf("--ingest-dirs %q: %w", d, err)
		}
		real, err := filepath.EvalSymlinks(abs)
		if err != nil {
			if strings.TrimSpace(c.IngestDirs) == "" {
				continue // the default data directory may not exist yet
			}
			return nil, fmt.Errorf("--ingest-dirs %q: %w", d, err)
		}
		if real == "/" {
			if strings.TrimSpace(c.IngestDirs) != "" {
				return nil, fmt.Errorf("--ingest-dirs %q: the root directory may not be an ingest directory", d)
			}
			continue
		}
		out = append(out, real)
	}
	return out, nil
}

var errNotIngestable = errors.New("not an ingestable file")

// allowedFile checks a handed-over path against the rules above and returns
// its real path. The error names the path and the rule, never the content.
func allowedFile(dirs []string, path string) (string, error) {
	if !filepath.IsAbs(path) {
		return "", fmt.Errorf("%s: đường dẫn phải là tuyệt đối / file paths must be absolute: %w", path, errNotIngestable)
	}
	if !ingestExts[strings.ToLower(filepath.Ext(path))] {
		return "", fmt.Errorf("%s: chỉ nhận .csv .tsv .txt .xlsx .xlsm .jsonl .ndjson .json / not a file kind the ingest reads: %w", path, errNotIngestable)
	}
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return "", fmt.Errorf("%s: không mở được / cannot open: %w", path, errNotIngestable)
	}
	if !ingestExts[strings.ToLower(filepath.Ext(real))] {
		return "", fmt.Errorf("%s: chỉ nhận .csv .tsv .txt .xlsx .xlsm .jsonl .ndjson .json / not a file kind the ingest reads: %w", path, errNotIngestable)
	}
	under := false
	for _, d := range dirs {
		if rel, err := filepath.Rel(d, real); err == nil && rel != ".." && !strings.HasPrefix(rel, "../") && rel != "." {
			under = true
			break
		}
	}
	if !under {
		return "", fmt.Errorf("%s: không nằm trong thư mục nạp của máy chủ (--ingest-dirs) / not under the server's ingest directories (--ingest-dirs: %s): %w",
			path, strings.Join(dirs, ", "), errNotIngestable)
	}
	fi, err := os.Stat(real)
	if err != nil || !fi.Mode().IsRegular() {
		return "", fmt.Errorf("%s: không phải tệp thường / not a regular file: %w", path, errNotIngestable)
	}
	return real, nil
}

// opaqueFileErrors replaces the errors of files the job could not read by
// their name and error code: the hand-off reply carries no file content.
func opaqueFileErrors(sum *ingest.Summary) {
	for i := range sum.Files {
		f := &sum.Files[i]
		if f.Err != nil {
			f.Err = opaqueError(f.Path, f.Err)
		}
	}
}

func opaqueError(path string, err error) error {
	code := analytics.ErrorCode(err)
	if code != analytics.CodeInvalid {
		return err // not about the file's content: the store, the context
	}
	return analytics.Errorf(code, "%s: không đọc được tệp (mã %s); dừng antq serve rồi chạy lại antq ingest để xem lý do / "+
		"the file could not be read (code %s); stop antq serve and run antq ingest again to see why", path, code, code)
}
