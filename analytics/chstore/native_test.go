package chstore_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/chstore"
	"github.com/antq-atlas/antq/analytics/chstore/chstoretest"
)

// nativeBatch has every kind, every optional column both set and unset,
// NULL and non-NULL dates and points, and more than 256 distinct values in
// LowCardinality columns (16-bit dictionary keys), so the store's own
// Native encoding is compared with the driver's on each case.
func nativeBatch(n int) analytics.Batch {
	b := analytics.Batch{Token: "native", BatchID: "20261206-000000-0001"}
	loc := func(i int) analytics.Located {
		l := analytics.Located{Province: analytics.ProvinceCode(fmt.Sprintf("%02d", 1+i%3)), Commune: analytics.CommuneCode(fmt.Sprintf("%05d", i%300)),
			Confidence: float64(i%10) / 10}
		if i%2 == 0 {
			l.SourcePlace, l.Rule, l.OldCode, l.Split = fmt.Sprintf("Xã Số %d, Huyện Ý", i%500), analytics.RuleNormalisedName, fmt.Sprintf("%05d", i%77), i%4 == 0
		}
		if i%3 == 0 {
			l.Lon, l.Lat, l.HasPoint = 105+float64(i)/1e4, 21-float64(i)/1e4, true
		}
		return l
	}
	src := func(i int) analytics.Source {
		s := analytics.Source{File: "f.csv", Row: i + 2}
		if i%5 == 0 {
			s.Sheet, s.Extra = "Sheet 1", `{"Ghi chú":"a'b"}`
		}
		return s
	}
	day := func(i int) time.Time { return time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i%2000) }
	opt := func(i int) time.Time {
		if i%3 == 1 {
			return time.Time{}
		}
		return day(i + 30)
	}
	for i := 0; i < n; i++ {
		key := fmt.Sprintf("K-%06d", i)
		b.Models = append(b.Models, analytics.Model{Key: key, Hash: uint64(i) * 7, SourceID: key, Name: fmt.Sprint("mô hình ", i),
			Type: "Tự quản", Sector: analytics.SectorResidential, Level: "xã", Founded: day(i), Retired: opt(i), Advanced: i%2 == 0,
			Located: loc(i), Source: src(i)})
		b.Sites = append(b.Sites, analytics.Site{Key: key, Hash: uint64(i) * 11, ModelKey: key, Name: fmt.Sprint("điểm ", i), Opened: day(i),
			Retired: opt(i), Teams: uint32(i % 4), Members: uint32(i % 40), Located: loc(i), Source: src(i)})
		b.Grades = append(b.Grades, analytics.Grade{Key: key, Hash: uint64(i) * 13, SiteKey: key, Year: uint16(2020 + i%6),
			Grade: analytics.Grades[i%len(analytics.Grades)], Advanced: i%7 == 0, Located: loc(i), Source: src(i)})
		b.Incidents = append(b.Incidents, analytics.Incident{Key: key, Hash: uint64(i) * 17, SiteKey: key,
			Category: fmt.Sprint("loại ", i%400), Received: day(i), Closed: opt(i), Outcome: analytics.Outcomes[i%len(analytics.Outcomes)],
			Tip: i%9 == 0, TipUseful: i%18 == 0, Located: loc(i), Source: src(i)})
	}
	return b
}

func TestNativeInsertsSameAsDriver(t *testing.T) {
	native, driver := chstoretest.Open(t), chstoretest.Open(t)
	driver.UseDriverInserts()
	for _, tc := range []struct {
		name string
		b    analytics.Batch
	}{{"every column", nativeBatch(1200)}, {"optional columns left out", analytics.Batch{Incidents: []analytics.Incident{
		{Key: "A", Hash: 1, Received: time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC), Outcome: analytics.Outcomes[0],
			Located: analytics.Located{Province: "08", Commune: "02584"}},
	}}}} {
		t.Run(tc.name, func(t *testing.T) {
			for _, s := range []*chstore.Store{native, driver} {
				if err := s.Write(ctx, tc.b); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
	ref := chstore.Reference{
		Fingerprint: "native-1",
		Provinces:   []chstore.RefProvince{{Code: "08", Name: "Tỉnh Tuyên Quang", AreaKm2: 13795.5, Communes: 2}},
		Communes: []chstore.RefCommune{
			{Code: "A0001", Province: "08", FullName: "Xã Hùng Lợi", Name: "Hùng Lợi", Kind: "xã", AreaKm2: 50, Population: u32p(20000)},
			{Code: "B0002", Province: "08", FullName: "Phường Hà Giang 1", Name: "Hà Giang 1", Kind: "phường", AreaKm2: 25, PopulationFlag: "implausible_low"},
		},
		Crosswalk: []chstore.RefCrosswalk{
			{OldCode: "O1", OldName: "Xã Trung Minh", NewCode: "A0001", NewProvince: "08", Share: 1},
			{OldCode: "O3", OldName: "Phường Nguyễn Trãi", NewCode: "B0002", NewProvince: "08", Share: 0.5, Split: true},
		},
	}
	for _, s := range []*chstore.Store{native, driver} {
		if loaded, err := s.LoadReference(ctx, ref); err != nil || !loaded {
			t.Fatalf("load reference: %v %v", loaded, err)
		}
	}
	for _, table := range []string{"models", "sites", "grades", "incidents", "ref_provinces", "ref_communes", "ref_crosswalk"} {
		t.Run(table, func(t *testing.T) {
			var except []string
			if !strings.HasPrefix(table, "ref_") {
				except = []string{"version"} // the time of the write
			}
			a, err := native.TableRows(ctx, table, except...)
			if err != nil {
				t.Fatal(err)
			}
			b, err := driver.TableRows(ctx, table, except...)
			if err != nil {
				t.Fatal(err)
			}
			if len(a) == 0 {
				t.Fatalf("%s: no rows", table)
			}
			if !slices.Equal(a, b) {
				for i := range min(len(a), len(b)) {
					if a[i] != b[i] {
						t.Fatalf("%s: %d vs %d rows; first difference:\nnative %s\ndriver %s", table, len(a), len(b), a[i], b[i])
					}
				}
				t.Fatalf("%s: %d rows written natively, %d through the driver", table, len(a), len(b))
			}
		})
	}
}
