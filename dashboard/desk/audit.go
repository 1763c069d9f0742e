package desk

import (
	"encoding/json"
	"fmt"
)

// AuditDetail is the detail of a desk event in the audit log, as JSON: the
// batch's id and status, its files with their SHA-256 and size, its counts
// (and a preview's counts while it waits for confirmation), and extra,
// whose members are added last and win.
func (b Batch) AuditDetail(extra map[string]any) string {
	files := make([]map[string]any, len(b.Files))
	for i, f := range b.Files {
		files[i] = map[string]any{"name": f.Name, "sha256": f.SHA256, "size": f.Size}
	}
	d := map[string]any{"batch": b.ID, "status": b.Status, "files": files, "counts": b.Counts}
	if b.Preview != nil && b.Status == StatusPreview {
		d["preview_counts"] = b.Preview.Counts
	}
	for k, v := range extra {
		d[k] = v
	}
	raw, _ := json.Marshal(d) // maps, strings and numbers: cannot fail
	return string(raw)
}

// RequestTooLarge is the 413 of an upload request announced larger than
// the request limit (--upload-max-request-mb).
func (d *Desk) RequestTooLarge() *TooLargeError {
	return requestTooLarge(d.cfg.MaxRequestBytes)
}

func requestTooLarge(limit int64) *TooLargeError {
	return &TooLargeError{fmt.Sprintf("các tệp gửi một lần vượt giới hạn %s / the files of one request exceed %s (--upload-max-request-mb)", mib(limit), mib(limit))}
}
