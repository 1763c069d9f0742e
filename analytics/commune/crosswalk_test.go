package commune

import (
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/commune/placename"
)

func sp(s string) *string { return &s }

// A small world: province 08 with communes A (00001), B (00002), C (00003),
// and province 01 with a same-named "Xã Bê" (00004).
func tinyWorld() ([]Province, []Commune) {
	provs := []Province{{Code: "01", Name: "Thành phố Hà Nội"}, {Code: "08", Name: "Tỉnh Tuyên Quang"}}
	communes := []Commune{
		{Code: "00001", Province: "08", FullName: "Xã An", Former: parseFormer("Xã Một, Xã Hai")},
		{Code: "00002", Province: "08", FullName: "Xã Bê", Former: parseFormer("Xã Ba, Xã Hai")},
		{Code: "00003", Province: "08", FullName: "Phường Xê", Former: parseFormer("Xã Bốn (phần còn lại sau khi sáp nhập vào xã An), Xã Năm (huyện Sơn)")},
		{Code: "00004", Province: "01", FullName: "Xã Bê"},
	}
	return provs, communes
}

func mapping(id, oldCode, oldName, district, newCode, newName string) vnadMapping {
	m := vnadMapping{ID: id, OldName: sp(oldName), OldDistrict: sp(district), OldProvince: sp("Tỉnh Tuyên Quang"),
		NewCode: newCode, NewName: newName, NewProvince: "Tuyên Quang"}
	if oldCode != "" {
		m.OldCode = sp(oldCode)
	}
	return m
}

func TestCrosswalkRules(t *testing.T) {
	tests := []struct {
		name     string
		rows     []vnadMapping
		unit     string // old unit name to look at
		wantCode string
		wantSucc []analytics.CommuneCode
		wantRule RepairRule
		repairs  map[RepairRule]int
	}{
		{"used as published", []vnadMapping{mapping("1", "10", "Xã Một", "Huyện Núi", "00001", "Xã An")},
			"Xã Một", "10", []analytics.CommuneCode{"00001"}, RepairNone, map[RepairRule]int{}},
		{"(a) null old code kept as name-only unit", []vnadMapping{mapping("1", "", "Xã Cũ", "Huyện Núi", "00001", "Xã An")},
			"Xã Cũ", "", []analytics.CommuneCode{"00001"}, RepairLegacyName, map[RepairRule]int{RepairLegacyName: 1}},
		{"(b) code not a ward: from the name", []vnadMapping{mapping("1", "10", "Xã Một", "Huyện Núi", "1", "Xã An")},
			"Xã Một", "10", []analytics.CommuneCode{"00001"}, RepairNewCode, map[RepairRule]int{RepairNewCode: 1}},
		{"(b) code of a same-named ward in another province", []vnadMapping{mapping("1", "11", "Xã Ba", "Huyện Núi", "00004", "Xã Bê")},
			"Xã Ba", "11", []analytics.CommuneCode{"00002"}, RepairNewCode, map[RepairRule]int{RepairNewCode: 1}},
		{"(b) code naming another ward", []vnadMapping{mapping("1", "11", "Xã Ba", "Huyện Núi", "00001", "Xã Bê")},
			"Xã Ba", "11", []analytics.CommuneCode{"00002"}, RepairNewCode, map[RepairRule]int{RepairNewCode: 1}},
		{"(b) tone placement is not a different name", []vnadMapping{mapping("1", "11", "Xã Ba", "Huyện Núi", "00002", "xã  BÊ")},
			"Xã Ba", "11", []analytics.CommuneCode{"00002"}, RepairNone, map[RepairRule]int{}},
		{"duplicate row dropped", []vnadMapping{mapping("1", "10", "Xã Một", "Huyện Núi", "00001", "Xã An"), mapping("2", "", "Xã Một", "Huyện Núi", "00001", "Xã An")},
			"Xã Một", "10", []analytics.CommuneCode{"00001"}, RepairNone, map[RepairRule]int{RepairDuplicate: 1, RepairLegacyName: 1}},
		{"table maps one unit to two communes: coded row is main", []vnadMapping{mapping("1", "", "Xã Hai", "Huyện Núi", "00003", "Phường Xê"), mapping("2", "12", "Xã Hai", "Huyện Núi", "00001", "Xã An")},
			"Xã Hai", "12", []analytics.CommuneCode{"00001", "00003", "00002"}, RepairSeveralTargets, nil},
		{"(c) listed under two communes by the portal", []vnadMapping{mapping("1", "12", "Xã Hai", "Huyện Núi", "00001", "Xã An")},
			"Xã Hai", "12", []analytics.CommuneCode{"00001", "00002"}, RepairPortalSplit, map[RepairRule]int{RepairPortalSplit: 1}},
		{"(c) remainder (phần còn lại)", []vnadMapping{mapping("1", "14", "Xã Bốn", "Huyện Núi", "00001", "Xã An")},
			"Xã Bốn", "14", []analytics.CommuneCode{"00001", "00003"}, RepairPortalSplit, map[RepairRule]int{RepairPortalSplit: 1}},
		{"(c) composition differs: the table is kept", []vnadMapping{mapping("1", "13", "Xã Ba", "Huyện Núi", "00001", "Xã An")},
			"Xã Ba", "13", []analytics.CommuneCode{"00001"}, RepairNone, map[RepairRule]int{}},
		{"(c) district qualifier must match", []vnadMapping{mapping("1", "15", "Xã Năm", "Huyện Sông", "00001", "Xã An")},
			"Xã Năm", "15", []analytics.CommuneCode{"00001"}, RepairNone, map[RepairRule]int{}},
		{"no old name: dropped", []vnadMapping{{ID: "1", NewCode: "00001", NewName: "Xã An", NewProvince: "Tuyên Quang"}, mapping("2", "10", "Xã Một", "Huyện Núi", "00001", "Xã An")},
			"Xã Một", "10", []analytics.CommuneCode{"00001"}, RepairNone, map[RepairRule]int{RepairNoOldUnit: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			provs, communes := tinyWorld()
			v := &vnad{Provinces: []vnadProvince{{"08", "Tuyên Quang"}, {"01", "Thành phố Hà Nội"}}, Mappings: tt.rows}
			res := buildCrosswalk(v, provs, communes)
			var u *OldUnit
			for i := range res.units {
				if res.units[i].Name == tt.unit {
					u = &res.units[i]
				}
			}
			if u == nil {
				t.Fatalf("unit %s not built: %+v", tt.unit, res.units)
			}
			var got []analytics.CommuneCode
			for _, s := range u.Successors {
				got = append(got, s.Commune)
			}
			if u.Code != tt.wantCode || !slices.Equal(got, tt.wantSucc) {
				t.Errorf("unit %q -> %v, want %q -> %v", u.Code, got, tt.wantCode, tt.wantSucc)
			}
			if tt.wantRule != RepairNone {
				found := false
				for _, r := range res.rows {
					if r.OldName == tt.unit && slices.Contains(r.Rules, tt.wantRule) {
						found = true
					}
				}
				if !found {
					t.Errorf("no row of %s with rule %s: %+v", tt.unit, tt.wantRule, res.rows)
				}
			}
			for rule, n := range tt.repairs {
				if res.repairs[rule] != n {
					t.Errorf("repairs[%s] = %d, want %d (all: %v)", rule, res.repairs[rule], n, res.repairs)
				}
			}
			// Shares sum to 1 and the main successor has the largest.
			sum := 0.0
			for i, s := range u.Successors {
				sum += s.Share
				if i > 0 && s.Share > u.Successors[0].Share {
					t.Errorf("successor %d share %v above main %v", i, s.Share, u.Successors[0].Share)
				}
			}
			if math.Abs(sum-1) > 1e-9 {
				t.Errorf("shares sum to %v", sum)
			}
		})
	}
}

func TestSplitShares(t *testing.T) {
	for n, want := range map[int][]float64{1: {1}, 2: {MainShare, 1 - MainShare}, 3: {MainShare, (1 - MainShare) / 2, (1 - MainShare) / 2}} {
		if got := SplitShares(n); !slices.Equal(got, want) {
			t.Errorf("SplitShares(%d) = %v, want %v", n, got, want)
		}
	}
}

func TestParseFormer(t *testing.T) {
	got := parseFormer("Phường Quán Thánh, Phường Cửa Đông (phần còn lại sau khi sáp nhập vào phường Hoàn Kiếm), Xã Cao Sơn (huyện Đà Bắc), Xã Phước Hưng (phần còn lại sau khi sáp nhập vào xã An Phú và Nhơn Hội)")
	if len(got) != 4 {
		t.Fatalf("%d entries: %+v", len(got), got)
	}
	if got[0].Name != "Phường Quán Thánh" || got[0].Partial {
		t.Errorf("entry 0: %+v", got[0])
	}
	if got[1].Name != "Phường Cửa Đông" || !got[1].Partial {
		t.Errorf("entry 1: %+v", got[1])
	}
	if got[2].District.Kind != placename.KindDistrict || got[2].District.Core != "da bac" || got[2].Partial {
		t.Errorf("entry 2: %+v", got[2])
	}
	if len(parseFormer("Không sáp nhập")) != 0 {
		t.Error("'Không sáp nhập' yields entries")
	}
}

// TestCrosswalkAgreesWithCheckedTQPT compares the repaired table with the
// checked crosswalk for Tuyên Quang and Phú Thọ: every row's corrected
// new_ward_code must be the old unit's main successor, and every partial
// split the checked file lists must be among the unit's successors.
func TestCrosswalkAgreesWithCheckedTQPT(t *testing.T) {
	s, _ := mustSet(t)
	f, err := os.Open(filepath.Join(testRefDir(t), FileCrosswalk))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col, err := colIndex(recs[0], "old_ward_code", "old_ward_name", "old_district_name", "old_province_name",
		"new_ward_code", "code_fixed", "portal_lists_old_name_also_under")
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]*OldUnit{}
	for i := range s.OldUnits {
		u := &s.OldUnits[i]
		byName[u.Name+"|"+u.District+"|"+u.Province] = u
	}
	rows, fixed, splits := 0, 0, 0
	for _, rec := range recs[1:] {
		rows++
		code := col.get(rec, "old_ward_code")
		var u *OldUnit
		if code != "" {
			u, _ = s.OldUnit(code)
		} else {
			u = byName[col.get(rec, "old_ward_name")+"|"+col.get(rec, "old_district_name")+"|"+col.get(rec, "old_province_name")]
		}
		if u == nil {
			t.Errorf("row %v: old unit missing", rec)
			continue
		}
		want := analytics.CommuneCode(col.get(rec, "new_ward_code"))
		if u.Main().Commune != want {
			t.Errorf("%s %s (%s): main successor %s, want %s", code, u.Name, u.District, u.Main().Commune, want)
		}
		if col.get(rec, "code_fixed") == "True" {
			fixed++
		}
		also := col.get(rec, "portal_lists_old_name_also_under")
		if also == "" || also[0] == '(' {
			continue
		}
		splits++
		found := false
		for _, x := range u.Successors[1:] {
			c, _ := s.Commune(x.Commune)
			if placename.Normalize(c.FullName) == placename.Normalize(also) {
				found = true
			}
		}
		if !found {
			t.Errorf("%s %s: successors %v lack %s", code, u.Name, u.Successors, also)
		}
	}
	if rows != 849 || fixed != 35 || splits != 7 {
		t.Errorf("checked %d rows, %d fixed codes, %d splits; want 849, 35, 7", rows, fixed, splits)
	}
}

func TestCrosswalkInvariants(t *testing.T) {
	s, _ := mustSet(t)
	if s.Repairs[RepairUnresolvable] != 0 {
		t.Errorf("%d rows could not be resolved", s.Repairs[RepairUnresolvable])
	}
	for _, r := range s.Crosswalk {
		if _, ok := s.Commune(r.NewCode); !ok {
			t.Errorf("row %+v: new code not a 2025 commune", r)
		}
	}
	for _, rule := range []RepairRule{RepairLegacyName, RepairNewCode, RepairPortalSplit, RepairSeveralTargets} {
		if s.Repairs[rule] == 0 {
			t.Errorf("rule %s applied to no row", rule)
		}
	}
	// TQ + PT: 809 coded old units (PROVENANCE §3.3), 40 legacy rows.
	coded, legacy := 0, 0
	for _, u := range s.OldUnits {
		if u.NewProvince == "08" || u.NewProvince == "25" {
			if u.Code != "" {
				coded++
			} else {
				legacy++
			}
		}
	}
	if coded != 809 || legacy != 40 {
		t.Errorf("TQ+PT: %d coded, %d legacy units; want 809, 40", coded, legacy)
	}
}
