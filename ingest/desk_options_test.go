package ingest

import (
	"strings"
	"testing"
	"time"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/commune"
)

// TestJobProvincesAndPreviewRows: a job limited to some provinces (a data
// officer's grants) rejects the records of any other, naming it, in
// Vietnamese; PreviewRows sets how many records a preview shows.
func TestJobProvincesAndPreviewRows(t *testing.T) {
	set := refData(t)
	path := copyReport(t, "xep_loai_diem_2024.xlsx") // Phú Thọ (25)
	preview := func(provinces []analytics.ProvinceCode, rows int) Preview {
		t.Helper()
		j := &Job{Resolver: commune.NewResolver(set), Now: func() time.Time { return testNow }, Provinces: provinces, PreviewRows: rows}
		p, err := j.Preview(t.Context(), path)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	free := preview(nil, 0)
	if free.Loaded <= PreviewRows {
		t.Fatalf("the report would load %d records: too few to tell PreviewRows", free.Loaded)
	}
	if got := preview([]analytics.ProvinceCode{"25"}, 0); got.Counts != free.Counts {
		t.Errorf("granted 25: %+v, want %+v", got.Counts, free.Counts)
	}
	other := preview([]analytics.ProvinceCode{"08"}, 0)
	// In-file duplicates of a rejected record are rejected too.
	if want := free.Rejected + free.Loaded + free.Duplicates; other.Loaded != 0 || other.Rejected != want || other.Read != free.Read {
		t.Errorf("granted 08 only: %+v; want nothing loaded and %d rejected", other.Counts, want)
	}
	found := false
	for _, r := range other.Files[0].Tables[0].Rejects {
		if strings.Contains(r.Reason, "bản ghi thuộc tỉnh 25, tài khoản không được cấp quyền nhập liệu tỉnh này (được cấp: 08)") {
			found = true
		}
	}
	if !found {
		t.Errorf("no reject names the province not granted: %+v", other.Files[0].Tables[0].Rejects)
	}
	if none := preview([]analytics.ProvinceCode{}, 0); none.Loaded != 0 {
		t.Errorf("no province granted: %d would load", none.Loaded)
	}
	if n := len(preview(nil, 20).Files[0].Tables[0].Records); n != min(20, free.Loaded) {
		t.Errorf("PreviewRows 20 shows %d records, want %d", n, min(20, free.Loaded))
	}
}
