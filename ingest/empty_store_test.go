package ingest_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/antq-atlas/antq/analytics/chstore/chstoretest"
	"github.com/antq-atlas/antq/ingest"
)

// TestJobWarnsOnFilesWithoutRows: an empty file and a file with only its
// header load nothing and say why, and the run exits 2, not 0.
func TestJobWarnsOnFilesWithoutRows(t *testing.T) {
	s := chstoretest.Open(t)
	dir := t.TempDir()
	for _, c := range []struct{ name, content, want string }{
		{"trong.csv", "", "tệp trống"},
		{"tieu_de.csv", "Mã vụ việc,Ngày tiếp nhận,Xã/Phường\r\n\r\n", "chỉ có dòng tiêu đề"},
		{"trong.jsonl", "\n\n", "không có dòng dữ liệu"},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(dir, c.name)
			if err := os.WriteFile(path, []byte(c.content), 0o644); err != nil {
				t.Fatal(err)
			}
			sum, err := newJob(s).Run(context.Background(), path)
			if err != nil {
				t.Fatal(err)
			}
			if len(sum.Files) != 1 || !strings.Contains(sum.Files[0].Warning, c.want) {
				t.Fatalf("files %+v, want a warning saying %q", sum.Files, c.want)
			}
			if code := ingest.ExitCode(sum, err); code != ingest.ExitRejected {
				t.Errorf("exit code %d, want %d", code, ingest.ExitRejected)
			}
			if !strings.Contains(sum.String(), "cảnh báo: "+c.name) {
				t.Errorf("summary does not show the warning:\n%s", sum)
			}
		})
	}
}
