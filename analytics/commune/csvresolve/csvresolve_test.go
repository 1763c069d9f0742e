package csvresolve

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/antq-atlas/antq/analytics/commune"
)

var (
	resOnce sync.Once
	theRes  *commune.Resolver
	resErr  error
)

// mustResolver loads the reference data embedded in the binary once per
// test binary.
func mustResolver(tb testing.TB) *commune.Resolver {
	tb.Helper()
	resOnce.Do(func() {
		var set *commune.Set
		set, resErr = commune.Load(context.Background(), commune.Config{})
		if resErr == nil {
			theRes = commune.NewResolver(set)
		}
	})
	if resErr != nil {
		tb.Fatal(resErr)
	}
	return theRes
}

func TestResolveCSV(t *testing.T) {
	r := mustResolver(t)
	tests := []struct {
		name     string
		opts     Options
		in       string
		wantCode []string // per row; "" = error expected
		comma    rune
	}{
		{"vietnamese headers, semicolon", Options{},
			"Xã/Phường;Huyện;Tỉnh;Ngày\n" +
				"Xã Trung Minh;Huyện Yên Sơn;Tỉnh Tuyên Quang;01/05/2023\n" +
				"Phường Nguyễn Trãi;TP Hà Giang;Hà Giang;\n" +
				"Xã Cao Sơn;;Hòa Bình;2024-01-01\n",
			[]string{"02455", "00694", ""}, ';'},
		{"english headers, tab, coordinates", Options{},
			"commune\tdistrict\tprovince\tdate\tlon\tlat\n" +
				"Xa Kim Phu\tTP Tuyen Quang\tTuyen Quang\t2024-02-01\t105.19\t21.83\n" +
				"X. Yen Lam\tH. Ham Yen\tTuyen Quang\t\t\t\n",
			[]string{"", "02398"}, '\t'},
		{"headers without diacritics, comma, --province", Options{Province: "08"},
			"Xa/Phuong,Huyen,Tinh\n" +
				"Xã Hùng Lợi,,\n" +
				"Xã Ba Đình,,Thành phố Hà Nội\n",
			[]string{"02455", ""}, ','},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			st, err := Resolve(context.Background(), strings.NewReader(tt.in), &out, r, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			cr := csv.NewReader(&out)
			cr.Comma = tt.comma
			recs, err := cr.ReadAll()
			if err != nil {
				t.Fatalf("%v\n%s", err, out.String())
			}
			head := recs[0]
			if strings.Join(head[len(head)-6:], ",") != "code,name_2025,rule,confidence,error,candidates" {
				t.Fatalf("header %v", head)
			}
			if st.Rows != len(tt.wantCode) || len(recs) != len(tt.wantCode)+1 {
				t.Fatalf("%d rows (stats %+v), want %d", len(recs)-1, st, len(tt.wantCode))
			}
			for i, want := range tt.wantCode {
				rec := recs[i+1]
				code, errText := rec[len(head)-6], rec[len(head)-2]
				if want == "" {
					if tt.name == "english headers, tab, coordinates" && i == 0 {
						// Kim Phú is split; its point lies in Phường Minh Xuân.
						if code != "02215" || rec[len(head)-4] != "split_by_coordinates" {
							t.Errorf("row %d: %v", i+1, rec)
						}
						continue
					}
					if errText == "" || code != "" {
						t.Errorf("row %d: want an error, got %v", i+1, rec)
					}
					continue
				}
				if code != want {
					t.Errorf("row %d: code %q (%v), want %q", i+1, code, rec, want)
				}
			}
		})
	}
}

func TestResolveCSVNoCommuneColumn(t *testing.T) {
	r := mustResolver(t)
	_, err := Resolve(context.Background(), strings.NewReader("a,b\n1,2\n"), &bytes.Buffer{}, r, Options{})
	if err == nil {
		t.Fatal("a file without a commune column was accepted")
	}
}

// FuzzResolveCSV resolves arbitrary CSV bytes: no panic; on success the
// output is CSV with the input's header and the six added columns, one row
// per input row, and the counts add up.
func FuzzResolveCSV(f *testing.F) {
	for _, s := range []string{
		"Xã/Phường;Huyện;Tỉnh;Ngày\nXã Trung Minh;Huyện Yên Sơn;Tỉnh Tuyên Quang;01/05/2023\nPhường Nguyễn Trãi;TP Hà Giang;Hà Giang;\nXã Cao Sơn;;Hòa Bình;2024-01-01\n",
		"commune\tdistrict\tprovince\tdate\tlon\tlat\nXa Kim Phu\tTP Tuyen Quang\tTuyen Quang\t2024-02-01\t105.19\t21.83\nX. Yen Lam\tH. Ham Yen\tTuyen Quang\t\t\t\n",
		"\ufeffXa/Phuong,Huyen,Tinh,Ma xa\nXã Hùng Lợi,,,\n,,,02455\n\"Xã \"\"Yên\"\" Phú\",\"a,b\",08,\n",
		"Xã,Kinh độ,Vĩ độ\nXã Hùng Lợi,105,2134,21,8237\nXã Hùng Lợi,\"105,2134\",\"21,8237\"\n",
		"Tên,Ghi chú\nXã Hùng Lợi,không có cột xã\n",
		"", "\n", "commune\n", "commune\n\"unterminated\n", "commune,x\na\"b,c\nd,e,f,g\n",
	} {
		f.Add([]byte(s), "")
		f.Add([]byte(s), "08")
	}
	f.Add([]byte("Xã/Phường\nXã Hùng Lợi\n"), "Tuyên Quang")
	f.Add([]byte("Xã/Phường\nXã Hùng Lợi\n"), "Không có")
	r := mustResolver(f)
	f.Fuzz(func(t *testing.T, data []byte, province string) {
		var out bytes.Buffer
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		st, err := Resolve(ctx, bytes.NewReader(data), &out, r, Options{Province: province})
		if err != nil {
			return // an unreadable file, a header without commune, an unknown province
		}
		if st.Resolved+st.Errors != st.Rows || st.Split > st.Resolved {
			t.Fatalf("stats %+v do not add up", st)
		}
		cr := csv.NewReader(&out)
		cr.Comma = detectComma(string(data[:min(len(data), 4096)]))
		cr.FieldsPerRecord = -1
		head, err := cr.Read()
		if err != nil {
			t.Fatalf("output header unreadable: %v\n%q", err, out.String())
		}
		n := len(head)
		if n < len(csvOutColumns) || !slices.Equal(head[n-len(csvOutColumns):], csvOutColumns) {
			t.Fatalf("output header %q", head)
		}
		rows := 0
		for {
			rec, err := cr.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("output row %d unreadable: %v\n%q", rows+2, err, out.String())
			}
			if len(rec) != n {
				t.Fatalf("output row %d has %d fields, header %d", rows+2, len(rec), n)
			}
			rows++
		}
		if rows != st.Rows {
			t.Fatalf("%d output rows, stats say %d", rows, st.Rows)
		}
	})
}
