package desk

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/antq-atlas/antq/analytics"
)

// TooLargeError is a file or request past a size limit (HTTP 413).
type TooLargeError struct{ Message string }

func (e *TooLargeError) Error() string { return e.Message }

// Exts are the file kinds the desk takes (those the ingest reads).
var Exts = []string{".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".jsonl", ".ndjson", ".json"}

// Upload is one upload request's files as they are received.
type Upload struct {
	d     *Desk
	id    string
	opt   Options
	files []File
	total int64
}

// NewUpload starts an upload: its batch ID and directory.
func (d *Desk) NewUpload(opt Options) (*Upload, error) {
	if opt.Kind != "" && !opt.Kind.Valid() {
		return nil, analytics.Errorf(analytics.CodeInvalid, "loại dữ liệu không rõ %q (models, sites, grades, incidents) / unknown kind %q", opt.Kind, opt.Kind)
	}
	u := &Upload{d: d, id: d.newID(), opt: opt.clone()}
	if err := os.MkdirAll(d.filesDir(u.id), 0o750); err != nil {
		return nil, fmt.Errorf("desk: %w", err)
	}
	return u, nil
}

// SetOptions sets what the upload asks (read from the request's fields
// after its files, as multipart forms may send them in any order).
func (u *Upload) SetOptions(opt Options) { u.opt = opt.clone() }

// clone copies the options' strings: the batch outlives the request they
// were read from, whose strings a web server may reuse (Fiber).
func (o Options) clone() Options {
	o.Kind = analytics.Kind(strings.Clone(string(o.Kind)))
	o.Province, o.District = strings.Clone(o.Province), strings.Clone(o.District)
	o.Scope.User = strings.Clone(o.Scope.User)
	o.Scope.Provinces = slices.Clone(o.Scope.Provinces)
	return o
}

// ID is the batch the upload becomes.
func (u *Upload) ID() string { return u.id }

// Abort removes what the upload kept.
func (u *Upload) Abort() { os.RemoveAll(u.d.dir(u.id)) }

// AddFile keeps one file: its name is checked for a kind the ingest reads,
// its bytes are counted against the file and request limits as they come
// (a *TooLargeError past one), and its content must be of its kind; an
// XLSX's zip directory is checked for the unzipped size and its sheets for
// the rows they announce before the ingest ever reads it.
func (u *Upload) AddFile(name string, r io.Reader) error {
	name = sanitizeName(name)
	ext := strings.ToLower(filepath.Ext(name))
	if !slicesContains(Exts, ext) {
		hint := ""
		if ext == ".xls" {
			hint = " Tệp Excel 97-2003 (.xls): hãy mở bằng Excel và lưu lại dạng .xlsx /"
		}
		return analytics.Errorf(analytics.CodeInvalid, "tệp %s: chỉ nhận tệp .csv, .tsv, .txt, .xlsx, .xlsm, .jsonl, .ndjson, .json.%s file %s: only CSV, XLSX and JSON Lines files are taken", name, hint, name)
	}
	for _, f := range u.files {
		if f.Name == name {
			base := strings.TrimSuffix(name, filepath.Ext(name))
			name = base + "-" + strconv.Itoa(len(u.files)+1) + filepath.Ext(name)
		}
	}
	path := filepath.Join(u.d.filesDir(u.id), name)
	out, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o640)
	if err != nil {
		return fmt.Errorf("desk: keep %s: %w", name, err)
	}
	h := sha256.New()
	var head bytes.Buffer
	limit := min(u.d.cfg.MaxFileBytes, u.d.cfg.MaxRequestBytes-u.total)
	n, err := io.Copy(io.MultiWriter(out, h, &headWriter{b: &head, n: 8 << 10}), io.LimitReader(r, limit+1))
	cerr := out.Close()
	u.total += n
	if err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return fmt.Errorf("desk: receive %s: %w", name, err)
	}
	if n > limit {
		os.Remove(path)
		if n > u.d.cfg.MaxFileBytes {
			return &TooLargeError{fmt.Sprintf("tệp %s lớn hơn giới hạn %s một tệp / file %s is larger than the limit of %s a file (--upload-max-mb)", name, mib(u.d.cfg.MaxFileBytes), name, mib(u.d.cfg.MaxFileBytes))}
		}
		return requestTooLarge(u.d.cfg.MaxRequestBytes)
	}
	if err := sniff(name, ext, head.Bytes()); err != nil {
		os.Remove(path)
		return err
	}
	if ext == ".xlsx" || ext == ".xlsm" {
		if err := checkXLSX(path, name, u.d.cfg.MaxUnzipped, u.d.cfg.MaxRows); err != nil {
			os.Remove(path)
			return err
		}
	}
	u.files = append(u.files, File{Name: name, Size: n, SHA256: hex.EncodeToString(h.Sum(nil))})
	return nil
}

// Rerun makes a new batch of batch id's kept files, previewed (confirm it
// to load): after an undo, or after a load the server did not finish. The
// files pass the checks again; the options are the old batch's, the scope
// the caller's.
func (d *Desk) Rerun(ctx context.Context, id string, s Scope) (Batch, error) {
	old, err := d.Get(id, s)
	if err != nil {
		return Batch{}, err
	}
	if old.Source != "web" || old.Status == StatusCancelled {
		return Batch{}, analytics.Errorf(analytics.CodeConflict, "lô %s không còn giữ tệp để nạp lại (chỉ lô tải lên từ trang) / batch %s keeps no files to load again", id, id)
	}
	u, err := d.NewUpload(Options{Kind: old.Kind, Province: old.Province, District: old.District, Scope: s})
	if err != nil {
		return Batch{}, err
	}
	for _, f := range old.Files {
		in, err := os.Open(filepath.Join(d.filesDir(id), f.Name))
		if err != nil {
			u.Abort()
			return Batch{}, analytics.Errorf(analytics.CodeNotFound, "tệp %s của lô %s không còn (quá thời hạn lưu?) / file %s of batch %s is gone: %v", f.Name, id, f.Name, id, err)
		}
		err = u.AddFile(f.Name, in)
		in.Close()
		if err != nil {
			u.Abort()
			return Batch{}, err
		}
	}
	return d.Submit(ctx, u, true)
}

// Files are the files kept so far.
func (u *Upload) Files() []File { return u.files }

func slicesContains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

func mib(n int64) string {
	if n%(1<<20) == 0 {
		return strconv.FormatInt(n>>20, 10) + " MB"
	}
	return strconv.FormatInt(n, 10) + " byte"
}

// headWriter keeps the first n bytes written.
type headWriter struct {
	b *bytes.Buffer
	n int
}

func (w *headWriter) Write(p []byte) (int, error) {
	if rest := w.n - w.b.Len(); rest > 0 {
		w.b.Write(p[:min(rest, len(p))])
	}
	return len(p), nil
}

// sniff checks that a file's first bytes are of the kind its name says:
// an XLSX is a zip; a text file is no zip, PDF, old Excel or other binary
// (NUL bytes are allowed only after a UTF-16 or UTF-32 byte order mark).
func sniff(name, ext string, head []byte) error {
	isZip := bytes.HasPrefix(head, []byte("PK\x03\x04"))
	if ext == ".xlsx" || ext == ".xlsm" {
		if !isZip {
			return analytics.Errorf(analytics.CodeInvalid, "tệp %s không phải bảng tính .xlsx (nội dung không phải tệp nén Office Open XML) / file %s is not an XLSX workbook", name, name)
		}
		return nil
	}
	kind := ""
	switch {
	case isZip:
		kind = "tệp nén (zip, có thể là .xlsx đổi tên) / a zip archive (an .xlsx renamed?)"
	case bytes.HasPrefix(head, []byte("\xD0\xCF\x11\xE0")):
		kind = "tệp Excel 97-2003 (.xls) hoặc Word cũ / an old Excel (.xls) or Word file"
	case bytes.HasPrefix(head, []byte("%PDF")):
		kind = "tệp PDF / a PDF file"
	case bytes.HasPrefix(head, []byte("\x89PNG")), bytes.HasPrefix(head, []byte("\xFF\xD8\xFF")):
		kind = "ảnh / an image"
	}
	utf16or32 := bytes.HasPrefix(head, []byte("\xFF\xFE")) || bytes.HasPrefix(head, []byte("\xFE\xFF")) || bytes.HasPrefix(head, []byte("\x00\x00\xFE\xFF"))
	if kind == "" && !utf16or32 && bytes.IndexByte(head, 0) >= 0 {
		kind = "tệp nhị phân / a binary file"
	}
	if kind != "" {
		return analytics.Errorf(analytics.CodeInvalid, "tệp %s có đuôi %s nhưng nội dung là %s", name, ext, kind)
	}
	return nil
}

var dimensionRE = regexp.MustCompile(`<(?:\w+:)?dimension\s+ref="(?:[A-Z]+[0-9]+:)?[A-Z]+([0-9]+)"`)

// checkXLSX reads an XLSX's zip directory: the parts' unzipped size and
// count within the limits, then each worksheet's first bytes for the rows
// its dimension announces. Nothing else is read.
func checkXLSX(path, name string, maxUnzipped int64, maxRows int) error {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return analytics.Errorf(analytics.CodeInvalid, "tệp %s không mở được như bảng tính .xlsx (tệp nén hỏng) / file %s is not a readable XLSX (%v)", name, name, err)
	}
	defer zr.Close()
	if len(zr.File) > 10_000 {
		return analytics.Errorf(analytics.CodeInvalid, "tệp %s có %d phần, quá giới hạn 10.000 / file %s has %d parts, over 10,000", name, len(zr.File), name, len(zr.File))
	}
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
		if total > uint64(maxUnzipped) {
			return analytics.Errorf(analytics.CodeInvalid, "tệp %s khi giải nén lớn hơn giới hạn %s (tệp nén bất thường, có thể là \"zip bomb\") / file %s unzips to more than %s", name, mib(maxUnzipped), name, mib(maxUnzipped))
		}
	}
	for _, f := range zr.File {
		if !strings.HasPrefix(f.Name, "xl/worksheets/") || !strings.HasSuffix(f.Name, ".xml") {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return analytics.Errorf(analytics.CodeInvalid, "tệp %s: không đọc được trang %s / cannot read sheet part %s: %v", name, f.Name, f.Name, err)
		}
		head, err := io.ReadAll(io.LimitReader(rc, 4<<10))
		rc.Close()
		if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
			return analytics.Errorf(analytics.CodeInvalid, "tệp %s: không đọc được trang %s / cannot read sheet part %s: %v", name, f.Name, f.Name, err)
		}
		if m := dimensionRE.FindSubmatch(head); m != nil {
			if rows, err := strconv.Atoi(string(m[1])); err == nil && rows > maxRows {
				return analytics.Errorf(analytics.CodeInvalid, "tệp %s: trang %s khai %s dòng, quá giới hạn %s dòng / file %s: a sheet announces %d rows, over the limit of %d",
					name, strings.TrimSuffix(filepath.Base(f.Name), ".xml"), analytics.Number(analytics.LangVI, float64(rows), 0), analytics.Number(analytics.LangVI, float64(maxRows), 0), name, rows, maxRows)
			}
		}
	}
	return nil
}
