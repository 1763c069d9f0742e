package desk

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/antq-atlas/antq/analytics"
)

func TestSanitizeName(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"vu_viec.csv", "vu_viec.csv"},
		{"../../etc/passwd.csv", "passwd.csv"},
		{`C:\Users\lan\Báo cáo tháng 3.xlsx`, "Báo cáo tháng 3.xlsx"},
		{".hidden.csv", "hidden.csv"},
		{"a\x00b|c?.csv", "a_b_c_.csv"},
		{"", "tep"},
		{"..", "tep"},
	} {
		if got := sanitizeName(tc.in); got != tc.want {
			t.Errorf("sanitizeName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	long := sanitizeName(strings.Repeat("Điểm mô hình ", 30) + ".xlsx")
	if !utf8.ValidString(long) || !strings.HasSuffix(long, ".xlsx") || utf8.RuneCountInString(long) > 120 {
		t.Errorf("long name cut to %q", long)
	}
}

func TestSniff(t *testing.T) {
	for _, tc := range []struct {
		name, ext string
		head      []byte
		bad       string // "" accepted, else a part of the message
	}{
		{"a.csv", ".csv", []byte("Mã,Tên\n1,2\n"), ""},
		{"a.csv", ".csv", []byte("\xFF\xFEM\x00a\x00"), ""}, // UTF-16 with its byte order mark
		{"a.xlsx", ".xlsx", []byte("PK\x03\x04rest"), ""},
		{"a.xlsx", ".xlsx", []byte("Mã,Tên\n"), "không phải bảng tính"},
		{"a.csv", ".csv", []byte("PK\x03\x04rest"), "tệp nén"},
		{"a.csv", ".csv", []byte("\xD0\xCF\x11\xE0\xA1\xB1"), ".xls"},
		{"a.jsonl", ".jsonl", []byte("%PDF-1.7"), "PDF"},
		{"a.txt", ".txt", []byte("a\x00b"), "nhị phân"},
	} {
		err := sniff(tc.name, tc.ext, tc.head)
		switch {
		case tc.bad == "" && err != nil:
			t.Errorf("%s %q: %v", tc.name, tc.head, err)
		case tc.bad != "" && (err == nil || !strings.Contains(err.Error(), tc.bad) || analytics.ErrorCode(err) != analytics.CodeInvalid):
			t.Errorf("%s %q: %v, want an invalid error with %q", tc.name, tc.head, err, tc.bad)
		}
	}
}

func writeZip(t *testing.T, parts map[string]string, announce uint64) string {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range parts {
		w, _ := zw.Create(name)
		w.Write([]byte(body))
	}
	if announce > 0 {
		w, err := zw.CreateRaw(&zip.FileHeader{Name: "xl/worksheets/sheet9.xml", Method: zip.Store, CompressedSize64: 0, UncompressedSize64: announce})
		if err != nil {
			t.Fatal(err)
		}
		_ = w
	}
	zw.Close()
	p := filepath.Join(t.TempDir(), "b.xlsx")
	if err := os.WriteFile(p, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCheckXLSX(t *testing.T) {
	sheet := func(dim string) string {
		return `<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="` + dim + `"/><sheetData/></worksheet>`
	}
	for _, tc := range []struct {
		name     string
		parts    map[string]string
		announce uint64
		bad      string
	}{
		{"ordinary", map[string]string{"xl/worksheets/sheet1.xml": sheet("A1:K50")}, 0, ""},
		{"no dimension", map[string]string{"xl/worksheets/sheet1.xml": "<worksheet/>"}, 0, ""},
		{"rows at the limit", map[string]string{"xl/worksheets/sheet1.xml": sheet("A1:K1000")}, 0, ""},
		{"rows past the limit", map[string]string{"xl/worksheets/sheet1.xml": sheet("A1:K1001")}, 0, "khai 1.001 dòng"},
		{"single cell dimension past the limit", map[string]string{"xl/worksheets/sheet1.xml": sheet("B5000")}, 0, "dòng"},
		{"unzips past the limit", map[string]string{"xl/worksheets/sheet1.xml": sheet("A1:A2")}, 3 << 30, "khi giải nén lớn hơn"},
	} {
		err := checkXLSX(writeZip(t, tc.parts, tc.announce), "b.xlsx", 1<<20, 1000)
		switch {
		case tc.bad == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.bad != "" && (err == nil || !strings.Contains(err.Error(), tc.bad) || !strings.Contains(err.Error(), "b.xlsx")):
			t.Errorf("%s: %v, want an error naming b.xlsx with %q", tc.name, err, tc.bad)
		}
	}
	p := filepath.Join(t.TempDir(), "c.xlsx")
	os.WriteFile(p, []byte("PK\x03\x04 not really"), 0o600)
	if err := checkXLSX(p, "c.xlsx", 1<<20, 1000); err == nil || !strings.Contains(err.Error(), "c.xlsx") {
		t.Errorf("broken zip: %v", err)
	}
}

func TestReadRejects(t *testing.T) {
	p := filepath.Join(t.TempDir(), "a.csv.rejects.csv")
	body := "\xEF\xBB\xBFtệp,trang,dòng,cột,lý do,Mã vụ việc,Xã/Phường,Ngày tiếp nhận\n" +
		`a.csv,,3,Xã/Phường,"không tìm thấy xã ""Xã Hùng Lới""; gần nhất: Xã Hùng Lợi, Xã Yên Sơn",VV-1,Xã Hùng Lới,01/08/2025` + "\n" +
		`a.csv,,4,Ngày tiếp nhận,"không đọc được ngày ""31/02/2025"" (cần ngày/tháng/năm, ví dụ 05/03/2023)",VV-2,Xã Yên Sơn,31/02/2025` + "\n" +
		"tệp,trang,dòng,cột,lý do,Tên mô hình\n" +
		`a.csv,,9,,"thiếu ""Xã/Phường""",'=cmd` + "\n"
	os.WriteFile(p, []byte(body), 0o600)
	groups, err := readRejects([]string{p})
	if err != nil {
		t.Fatal(err)
	}
	if len(groups) != 2 || len(groups[0].rows) != 2 || len(groups[1].rows) != 1 {
		t.Fatalf("groups %+v", groups)
	}
	r := groups[0].rows[0]
	if r.Row != 3 || r.Value != "Xã Hùng Lới" || r.Nearest != "Xã Hùng Lợi, Xã Yên Sơn" {
		t.Errorf("unknown commune row %+v", r)
	}
	if r := groups[0].rows[1]; r.Value != "31/02/2025" || r.Nearest != "" {
		t.Errorf("bad date row %+v", r)
	}
	if v := groups[1].values[0][0]; v != "=cmd" {
		t.Errorf("formula guard not undone: %q", v)
	}
}

func TestScopeSees(t *testing.T) {
	b08 := &Batch{Source: "web", Actor: "lan", Loaded: []analytics.ProvinceCode{"08"}}
	b0825 := &Batch{Source: "web", Actor: "lan", Loaded: []analytics.ProvinceCode{"08", "25"}}
	empty := &Batch{Source: "web", Actor: "lan"}
	cli := &Batch{Source: "cli", Actor: "lan@may"}
	for _, tc := range []struct {
		name string
		s    Scope
		b    *Batch
		want bool
	}{
		{"granted province", Scope{User: "minh", Provinces: []analytics.ProvinceCode{"08"}}, b08, true},
		{"other province", Scope{User: "minh", Provinces: []analytics.ProvinceCode{"25"}}, b08, false},
		{"one province of two", Scope{User: "minh", Provinces: []analytics.ProvinceCode{"08"}}, b0825, false},
		{"every province", Scope{User: "quantri", All: true}, b0825, true},
		{"nothing loaded, own upload", Scope{User: "lan", Provinces: []analytics.ProvinceCode{"08"}}, empty, true},
		{"nothing loaded, another's upload", Scope{User: "minh", Provinces: []analytics.ProvinceCode{"08"}}, empty, false},
		{"command line batch that loaded nothing", Scope{User: "lan", Provinces: []analytics.ProvinceCode{"08"}}, cli, false},
	} {
		if got := tc.s.sees(tc.b); got != tc.want {
			t.Errorf("%s: sees = %v, want %v", tc.name, got, tc.want)
		}
	}
}
