package schema

import (
	"slices"
	"strings"
	"testing"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/ingest/ingesttest"
)

// `go test -run '^$' -fuzz '^FuzzDetectKind$' -fuzztime 10m ./ingest/schema`
// (make fuzz) explores further. A crasher is written under
// testdata/fuzz/FuzzX/ and then runs with every `go test`.

// FuzzDetectKind maps arbitrary headers (cells separated by '|'): no
// panic, a detected kind is valid and its mapping has every required
// column, and an error is an invalid-input domain error.
func FuzzDetectKind(f *testing.F) {
	for _, rows := range [][][]string{ingesttest.IncidentRows, ingesttest.IncidentRowsEnglish, ingesttest.SitesRowsPlain, ingesttest.SitesRowsEnglish, ingesttest.GradeRows} {
		f.Add(strings.Join(rows[0], "|"))
	}
	f.Add("Mã mô hình|Tên mô hình|Loại mô hình|Xã/Phường|Ngày thành lập")
	f.Add("Tọa độ - Kinh độ|Tọa độ - Vĩ độ|Xã, phường|Ngày nhận")
	f.Add("XÃ - PHƯỜNG|NGÀY TIẾP NHẬN|TINH")
	f.Add("Tên|Xã|Tên|Xã| |")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		header := strings.Split(s, "|")
		orig := slices.Clone(header)
		kind, err := DetectKind(header)
		if !slices.Equal(header, orig) {
			t.Fatalf("DetectKind changed its header: %q -> %q", orig, header)
		}
		if err != nil {
			if analytics.ErrorCode(err) != analytics.CodeInvalid {
				t.Fatalf("error %v has code %s, want invalid", err, analytics.ErrorCode(err))
			}
			return
		}
		if !kind.Valid() {
			t.Fatalf("kind %q is not valid", kind)
		}
		m, err := NewMapping(kind, slices.Clone(header))
		if err != nil {
			t.Fatalf("DetectKind said %s, but its mapping fails: %v", kind, err)
		}
		if len(m.Extra)+countMapped(m) != len(header) {
			t.Fatalf("%d columns mapped + %d extra != %d", countMapped(m), len(m.Extra), len(header))
		}
	})
}

func countMapped(m *Mapping) int {
	n := 0
	for _, c := range m.col {
		if c >= 0 {
			n++
		}
	}
	return n
}
