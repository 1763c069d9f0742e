package desk

import (
	"bytes"
	"context"
	"mime/multipart"
	"strings"
	"testing"

	"github.com/antq-atlas/antq/analytics"
)

// TestReadParts: files become the upload's, the fields set the options in
// any order, and a bad body or kind is refused with a message naming it.
func TestReadParts(t *testing.T) {
	d, err := Open(context.Background(), Config{Dir: t.TempDir()}, &heldLoader{release: make(chan struct{})})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	body := func(fields [][2]string, files [][2]string) (*bytes.Buffer, string) {
		var b bytes.Buffer
		w := multipart.NewWriter(&b)
		for _, f := range files {
			fw, _ := w.CreateFormFile("file", f[0])
			fw.Write([]byte(f[1]))
		}
		for _, f := range fields {
			w.WriteField(f[0], f[1])
		}
		w.Close()
		return &b, w.Boundary()
	}
	for _, tc := range []struct {
		name   string
		fields [][2]string
		files  [][2]string
		raw    string // instead of a built body
		want   Options
		nFiles int
		bad    string
	}{
		{name: "file then fields", fields: [][2]string{{"kind", " incidents "}, {"province", "08"}, {"district", "Yên Sơn"}},
			files: [][2]string{{"vu_viec.csv", "a,b\n1,2\n"}}, want: Options{Kind: analytics.KindIncidents, Province: "08", District: "Yên Sơn"}, nFiles: 1},
		{name: "two files, no fields", files: [][2]string{{"a.csv", "x\n1\n"}, {"b.csv", "x\n2\n"}}, nFiles: 2},
		{name: "unknown field ignored", fields: [][2]string{{"colour", "red"}}, files: [][2]string{{"a.csv", "x\n1\n"}}, nFiles: 1},
		{name: "bad kind", fields: [][2]string{{"kind", "people"}}, files: [][2]string{{"a.csv", "x\n1\n"}}, bad: `loại dữ liệu không rõ "people"`},
		{name: "broken body", raw: "--b\r\nContent-Disposition form-data\r\n\r\nx\r\n--b--\r\n", bad: "thân multipart hỏng"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u, err := d.NewUpload(Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer u.Abort()
			var mr *multipart.Reader
			if tc.raw != "" {
				mr = multipart.NewReader(strings.NewReader(tc.raw), "b")
			} else {
				b, boundary := body(tc.fields, tc.files)
				mr = multipart.NewReader(b, boundary)
			}
			var opt Options
			err = ReadParts(mr, u, &opt)
			if tc.bad != "" {
				if err == nil || !strings.Contains(err.Error(), tc.bad) || analytics.ErrorCode(err) != analytics.CodeInvalid {
					t.Fatalf("err %v, want invalid with %q", err, tc.bad)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if opt.Kind != tc.want.Kind || opt.Province != tc.want.Province || opt.District != tc.want.District {
				t.Errorf("options %+v, want %+v", opt, tc.want)
			}
			if n := len(u.Files()); n != tc.nFiles {
				t.Errorf("%d files kept, want %d", n, tc.nFiles)
			}
		})
	}
}
