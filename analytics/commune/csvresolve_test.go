package commune

import (
	"bytes"
	"context"
	"encoding/csv"
	"strings"
	"testing"
)

func TestResolveCSV(t *testing.T) {
	_, r := mustSet(t)
	tests := []struct {
		name     string
		opts     CSVOptions
		in       string
		wantCode []string // per row; "" = error expected
		comma    rune
	}{
		{"vietnamese headers, semicolon", CSVOptions{},
			"Xã/Phường;Huyện;Tỉnh;Ngày\n" +
				"Xã Trung Minh;Huyện Yên Sơn;Tỉnh Tuyên Quang;01/05/2023\n" +
				"Phường Nguyễn Trãi;TP Hà Giang;Hà Giang;\n" +
				"Xã Cao Sơn;;Hòa Bình;2024-01-01\n",
			[]string{"02455", "00694", ""}, ';'},
		{"english headers, tab, coordinates", CSVOptions{},
			"commune\tdistrict\tprovince\tdate\tlon\tlat\n" +
				"Xa Kim Phu\tTP Tuyen Quang\tTuyen Quang\t2024-02-01\t105.19\t21.83\n" +
				"X. Yen Lam\tH. Ham Yen\tTuyen Quang\t\t\t\n",
			[]string{"", "02398"}, '\t'},
		{"headers without diacritics, comma, --province", CSVOptions{Province: "08"},
			"Xa/Phuong,Huyen,Tinh\n" +
				"Xã Hùng Lợi,,\n" +
				"Xã Ba Đình,,Thành phố Hà Nội\n",
			[]string{"02455", ""}, ','},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			st, err := ResolveCSV(context.Background(), strings.NewReader(tt.in), &out, r, tt.opts)
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
	_, r := mustSet(t)
	_, err := ResolveCSV(context.Background(), strings.NewReader("a,b\n1,2\n"), &bytes.Buffer{}, r, CSVOptions{})
	if err == nil {
		t.Fatal("a file without a commune column was accepted")
	}
}

func TestCheckReport(t *testing.T) {
	s, _ := mustSet(t)
	rep := Check(s)
	if len(rep.Provinces) != 34 || rep.Communes != 3321 {
		t.Fatalf("%d provinces, %d communes", len(rep.Provinces), rep.Communes)
	}
	for _, p := range rep.Provinces {
		if p.Code == "08" && (p.Communes != 124 || p.WithPolygon != 124 || p.FlaggedPopulation != 14) {
			t.Errorf("TQ: %+v", p)
		}
		if p.Code == "25" && (p.Communes != 148 || p.WithPolygon != 148 || p.FlaggedPopulation != 13) {
			t.Errorf("PT: %+v", p) // 12 implausibly low + Đại Đồng missing
		}
	}
	var b bytes.Buffer
	if err := rep.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Tỉnh Tuyên Quang", string(RepairLegacyName), string(RepairPortalSplit), "every commune has a polygon"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, b.String())
		}
	}
	t.Log("\n" + b.String())
}
