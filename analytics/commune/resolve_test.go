package commune

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/commune/placename"
)

// abbreviate writes a name the short way: "Xã Trung Minh" -> "X. Trung Minh",
// "Huyện Yên Sơn" -> "H. Yên Sơn", "Thành phố Hà Giang" -> "TP. Hà Giang".
func abbreviate(s string) string {
	for _, r := range []struct{ long, short string }{
		{"Thị trấn ", "TT. "}, {"Thị xã ", "TX "}, {"Thành phố ", "TP. "}, {"Xã ", "X. "},
		{"Phường ", "P. "}, {"Huyện ", "H. "}, {"Quận ", "Q. "}, {"Tỉnh ", "T. "},
	} {
		if strings.HasPrefix(s, r.long) {
			return r.short + strings.TrimPrefix(s, r.long)
		}
	}
	return s
}

// plain removes diacritics but keeps case and spaces ("Yên Sơn" -> "Yen Son").
func plain(s string) string {
	var b strings.Builder
	for _, w := range strings.Fields(s) {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		f := placename.Fold(w)
		if f != "" && w[0] >= 'A' && w[0] <= 'Z' || strings.ToUpper(w) != strings.ToLower(w) && strings.ToUpper(w[:1]) == w[:1] {
			f = strings.ToUpper(f[:1]) + f[1:]
		}
		b.WriteString(f)
	}
	return b.String()
}

// TestResolveEveryOldUnit resolves every old unit of the repaired official
// table, for all 34 provinces, from its (commune, district, old province)
// names as written, without diacritics and abbreviated, with a pre-merger
// date. Each must reach its main successor, with Split set for split units.
// The only errors allowed are in the diacritic-free forms, and only where
// two units of one district differ by diacritics alone (ambiguous by
// design: the resolver must then refuse, listing both).
func TestResolveEveryOldUnit(t *testing.T) {
	s, r := mustSet(t)
	date := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	// Which units are indistinguishable without diacritics?
	plainKey := func(u *OldUnit) string {
		return placename.Parse(u.Name).Core + "|" + placename.Parse(u.District).Core + "|" + placename.Parse(u.Province).Core
	}
	plainCount := map[string]int{}
	accentKey := func(u *OldUnit) string {
		n := placename.Parse(u.Name)
		return string(n.Kind) + n.Accent + "|" + placename.Parse(u.District).Accent + "|" + placename.Parse(u.Province).Core
	}
	accentCount := map[string]int{}
	for i := range s.OldUnits {
		plainCount[plainKey(&s.OldUnits[i])]++
		accentCount[accentKey(&s.OldUnits[i])]++
	}
	forms := []struct {
		name string
		f    func(string) string
	}{
		{"as written", func(x string) string { return x }},
		{"no diacritics", plain},
		{"abbreviated", abbreviate},
		{"abbreviated, no diacritics", func(x string) string { return plain(abbreviate(x)) }},
	}
	for _, form := range forms {
		t.Run(form.name, func(t *testing.T) {
			ok, wrong, refused, byDesign, splits := 0, 0, 0, 0, 0
			for i := range s.OldUnits {
				u := &s.OldUnits[i]
				p := analytics.Place{Commune: form.f(u.Name), District: form.f(u.District), Province: form.f(u.Province), Date: date}
				res, err := r.Resolve(p)
				want := u.Main().Commune
				isPlain := strings.Contains(form.name, "no diacritics")
				if accentCount[accentKey(u)] > 1 || isPlain && plainCount[plainKey(u)] > 1 {
					// Two units with the same name in one district (possible only
					// through kind or diacritics): must refuse or pick the right one.
					var re *analytics.ResolveError
					if err != nil && errors.As(err, &re) && len(re.Candidates) >= 2 {
						byDesign++
						continue
					}
				}
				switch {
				case err != nil:
					refused++
					if refused <= 10 {
						t.Errorf("%s, %s, %s: %v", p.Commune, p.District, p.Province, err)
					}
				case res.Commune != want:
					wrong++
					if wrong <= 10 {
						t.Errorf("%s, %s, %s: got %s %s (%s), want %s", p.Commune, p.District, p.Province, res.Commune, res.Name, res.Rule, want)
					}
				case res.Split != u.Split():
					wrong++
					t.Errorf("%s, %s: split %v, want %v", p.Commune, p.District, res.Split, u.Split())
				default:
					ok++
					if res.Split {
						splits++
						if res.Rule != analytics.RuleSplitShare {
							t.Errorf("%s: split unit resolved by %s, want %s", p.Commune, res.Rule, analytics.RuleSplitShare)
						}
					}
				}
			}
			t.Logf("%d units: %d right (%d split, to the main successor), %d wrong, %d refused, %d refused by design",
				len(s.OldUnits), ok, splits, wrong, refused, byDesign)
			if wrong != 0 || refused != 0 {
				t.Fatalf("%d wrong, %d refused", wrong, refused)
			}
		})
	}
}

func TestResolveTQPTWithoutDate(t *testing.T) {
	// Without a date and district, TQ and PT old units resolve by name within
	// the new province when the name is unique there, else they must refuse.
	s, r := mustSet(t)
	wrong := 0
	for i := range s.OldUnits {
		u := &s.OldUnits[i]
		if u.NewProvince != "08" && u.NewProvince != "25" {
			continue
		}
		res, err := r.Resolve(analytics.Place{Commune: u.Name, District: u.District, Province: string(u.NewProvince)})
		if err != nil || res.Commune != u.Main().Commune {
			wrong++
			t.Errorf("%s, %s -> %v %v", u.Name, u.District, res.Commune, err)
		}
	}
	if wrong > 0 {
		t.Fatalf("%d wrong", wrong)
	}
}

func TestResolveRules(t *testing.T) {
	_, r := mustSet(t)
	before := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	after := time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		p         analytics.Place
		wantCode  analytics.CommuneCode
		wantRule  analytics.ResolveRule
		wantSplit bool
		wantErr   string
	}{
		{"2025 code", analytics.Place{Code: "02512"}, "02512", analytics.RuleExactCode, false, ""},
		{"2025 code without leading zero", analytics.Place{Code: "2512"}, "02512", analytics.RuleExactCode, false, ""},
		{"old code", analytics.Place{Code: "02515"}, "02512", analytics.RuleExactCode, false, ""},
		{"code wins over names", analytics.Place{Code: "02512", Commune: "Xã Trung Minh"}, "02512", analytics.RuleExactCode, false, ""},
		{"new name exact", analytics.Place{Commune: "Xã Hùng Lợi", Province: "Tuyên Quang", Date: after}, "", analytics.RuleExactName, false, ""},
		{"new name folded", analytics.Place{Commune: "xa hung loi", Province: "tuyen quang"}, "", analytics.RuleNormalisedName, false, ""},
		{"old name with district", analytics.Place{Commune: "Xã Trung Minh", District: "Huyện Yên Sơn", Province: "Tỉnh Tuyên Quang", Date: before}, "", analytics.RuleExactName, false, ""},
		{"old name abbreviated", analytics.Place{Commune: "X. Trung Minh", District: "H. Yen Son", Province: "T. Tuyen Quang"}, "", analytics.RuleNormalisedName, false, ""},
		{"district tells apart", analytics.Place{Commune: "Xã Cao Sơn", District: "Huyện Đà Bắc", Province: "Tỉnh Hoà Bình"}, "04876", analytics.RuleDistrict, false, ""},
		{"same name, no district", analytics.Place{Commune: "Xã Cao Sơn", Province: "Tỉnh Hoà Bình", Date: before}, "", "", false, "ambiguous commune"},
		{"split by share", analytics.Place{Commune: "Xã Kim Phú", District: "Thành phố Tuyên Quang", Province: "Tuyên Quang", Date: before}, "02509", analytics.RuleSplitShare, true, ""},
		{"unknown", analytics.Place{Commune: "Xã Không Có", Province: "Tuyên Quang"}, "", "", false, "unknown commune"},
		{"unknown province", analytics.Place{Commune: "Xã Hùng Lợi", Province: "Tỉnh Atlantis"}, "", "", false, "unknown province"},
		{"no commune", analytics.Place{Province: "Tuyên Quang"}, "", "", false, "no commune given"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := r.Resolve(tt.p)
			if tt.wantErr != "" {
				var re *analytics.ResolveError
				if !errors.As(err, &re) || !strings.HasPrefix(re.Reason, tt.wantErr) {
					t.Fatalf("got %+v, %v; want error %q", res, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tt.wantCode != "" && res.Commune != tt.wantCode {
				t.Errorf("code %s (%s), want %s", res.Commune, res.Name, tt.wantCode)
			}
			if res.Rule != tt.wantRule || res.Split != tt.wantSplit {
				t.Errorf("rule %s split %v, want %s %v", res.Rule, res.Split, tt.wantRule, tt.wantSplit)
			}
			if res.Confidence <= 0 || res.Confidence > 1 {
				t.Errorf("confidence %v", res.Confidence)
			}
		})
	}
}

// TestResolveSameNameNeverConfused: every folded commune name that exists
// in more than one place resolves, without a province, to an error listing
// candidates, never to one of them.
func TestResolveSameNameNeverConfused(t *testing.T) {
	s, r := mustSet(t)
	count := map[string]int{}
	for i := range s.Communes {
		count[string(r.newMeta[i].name.Kind)+r.newMeta[i].name.Accent]++
	}
	n := 0
	for i := range s.Communes {
		c := &s.Communes[i]
		if count[string(r.newMeta[i].name.Kind)+r.newMeta[i].name.Accent] < 2 {
			continue
		}
		n++
		res, err := r.Resolve(analytics.Place{Commune: c.FullName, Date: time.Date(2025, 8, 1, 0, 0, 0, 0, time.UTC)})
		var re *analytics.ResolveError
		if !errors.As(err, &re) || len(re.Candidates) < 2 {
			t.Errorf("%s: got %v %v, want an ambiguity error with candidates", c.FullName, res.Commune, err)
		}
		// With the province it resolves.
		res, err = r.Resolve(analytics.Place{Commune: c.FullName, Province: string(c.Province)})
		if err != nil || res.Commune != c.Code {
			t.Errorf("%s in %s: got %v %v", c.FullName, c.Province, res.Commune, err)
		}
	}
	if n == 0 {
		t.Fatal("no duplicated commune names found: the test checks nothing")
	}
	t.Logf("%d communes share their name with another", n)
}

func TestResolveSplitByCoordinates(t *testing.T) {
	s, r := mustSet(t)
	u, ok := s.OldUnit("02497") // Xã Kim Phú -> Mỹ Lâm (main), Minh Xuân (portal)
	if !ok || !u.Split() {
		t.Fatalf("Kim Phú not split: %+v", u)
	}
	for _, succ := range u.Successors {
		c, _ := s.Commune(succ.Commune)
		pt := interiorPoint(t, s, c.Code)
		res, err := r.Resolve(analytics.Place{Code: "02497", Lon: pt[0], Lat: pt[1], HasPoint: true})
		if err != nil {
			t.Fatal(err)
		}
		if res.Commune != c.Code || res.Rule != analytics.RuleSplitCoordinate || !res.Split {
			t.Errorf("point in %s: got %s %s split=%v", c.FullName, res.Commune, res.Rule, res.Split)
		}
	}
	// A point in neither: the main successor by share.
	res, err := r.Resolve(analytics.Place{Code: "02497", Lon: 105.0, Lat: 10.0, HasPoint: true})
	if err != nil || res.Commune != u.Main().Commune || res.Rule != analytics.RuleSplitShare {
		t.Errorf("point outside: got %+v %v", res, err)
	}
}

func ExampleResolver_Resolve() {
	ctx, cancel := exampleContext()
	defer cancel()
	set, err := Load(ctx, Config{}) // the reference data embedded in the binary
	if err != nil {
		fmt.Println(err)
		return
	}
	r := NewResolver(set)
	before := time.Date(2023, 5, 1, 0, 0, 0, 0, time.UTC)
	for _, p := range []analytics.Place{
		{Commune: "xã Trung Minh", District: "huyện Yên Sơn", Province: "Tuyên Quang", Date: before},
		{Commune: "X. Yen Lam", District: "H. Ham Yen", Province: "Tuyen Quang"},
		{Commune: "Phường Nguyễn Trãi", District: "TP Hà Giang", Province: "Hà Giang"},
		{Commune: "Xã Tân Thành", District: "Huyện Hàm Yên", Province: "Tuyên Quang", Date: before},
	} {
		res, err := r.Resolve(p)
		fmt.Println(p.Commune, "->", res.Commune, res.Name, res.Rule, err)
	}
	_, err = r.Resolve(analytics.Place{Commune: "Xã Cao Sơn", Province: "Hòa Bình", Date: before})
	fmt.Println(err)
	// Output:
	// xã Trung Minh -> 02455 Xã Hùng Lợi normalised_name <nil>
	// X. Yen Lam -> 02398 Xã Yên Phú normalised_name <nil>
	// Phường Nguyễn Trãi -> 00694 Phường Hà Giang 1 exact_name <nil>
	// Xã Tân Thành -> 02374 Xã Hàm Yên exact_name <nil>
	// ambiguous commune "Xã Cao Sơn"; closest: Xã Cao Sơn, Huyện Đà Bắc, Tỉnh Hoà Bình → Xã Cao Sơn (04876); Xã Cao Sơn, Huyện Lương Sơn, Tỉnh Hoà Bình → Xã Liên Sơn (split) (04957)
}

func TestInProvince(t *testing.T) {
	s, r := mustSet(t)
	hungLoi, ok := s.Commune("02455")
	if !ok {
		t.Fatal("no commune 02455")
	}
	tests := []struct {
		name     string
		p        analytics.ProvinceCode
		lon, lat float64
		want     bool
	}{
		{"centre of Hùng Lợi in Tuyên Quang", "08", hungLoi.Center[0], hungLoi.Center[1], true},
		{"the same point is not in Cà Mau", "96", hungLoi.Center[0], hungLoi.Center[1], false},
		{"Tokyo", "08", 139.69, 35.69, false},
		{"unknown province", "99", hungLoi.Center[0], hungLoi.Center[1], false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := r.InProvince(tt.p, tt.lon, tt.lat); got != tt.want {
				t.Fatalf("InProvince = %v, want %v", got, tt.want)
			}
		})
	}
}
