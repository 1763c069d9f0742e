package dashboard_test

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/chstore"
	"github.com/antq-atlas/antq/analytics/chstore/chstoretest"
	"github.com/antq-atlas/antq/dashboard"
	"github.com/antq-atlas/antq/dashboard/access"
)

// TestOGR2OGRCopiesTheCollections copies the OGC API into a GeoPackage with
// ogr2ogr and its default options, as a GIS user would, from a --public
// server with the product's default rate limits (50/s, burst 200): GDAL
// pages 10 features at a time, so the copy of 3,321 communes is ~333
// requests. Anonymous, only the communes are listed and copied, with
// numeric metric fields typed as numbers (from the collection's schema)
// even where every value of the first page is null; signed in as an analyst
// both layers are copied.
func TestOGR2OGRCopiesTheCollections(t *testing.T) {
	ogr2ogr := requireTool(t, "gdal-bin", "ogr2ogr")
	ogrinfo := requireTool(t, "gdal-bin", "ogrinfo")
	geo, err := loadGeo() // all 34 provinces
	if err != nil {
		t.Fatal(err)
	}
	s := chstoretest.Open(t)
	if _, err := s.LoadReference(ctx, chstore.ReferenceFromSet(geo, "08", "25")); err != nil {
		t.Fatal(err)
	}
	if err := s.Write(ctx, twoProvinceData(geo)); err != nil {
		t.Fatal(err)
	}
	if err := s.Commit(ctx, []analytics.ProvinceCode{"08", "25"}); err != nil {
		t.Fatal(err)
	}
	users, err := access.OpenStore(filepath.Join(t.TempDir(), access.UsersFile))
	if err != nil {
		t.Fatal(err)
	}
	var token string
	if err := users.Update(func(us *access.Users) error {
		if err := us.Add("gis", access.Analyst, testPassword, access.All); err != nil {
			return err
		}
		token, _, err = us.AddToken("gis", "qgis")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	app, err := newApp(dashboard.Config{Version: "test", Now: func() time.Time { return today }, Logger: quietLogger(),
		Auth: &dashboard.Auth{Users: users, Public: true}, RateLimit: 50, RateBurst: 200},
		dashboard.Deps{Health: s, Reader: s, Geo: geo})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go app.Serve(ln)
	t.Cleanup(func() { _ = app.Shutdown(context.Background()) })
	base := "OAPIF:http://" + ln.Addr().String() + "/ogc"

	run := func(name string, args ...string) string {
		t.Helper()
		cctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute) // hang guard
		defer cancel()
		out, err := exec.CommandContext(cctx, name, args...).CombinedOutput()
		if err != nil {
			t.Fatalf("%s %s: %v\n%.4000s", filepath.Base(name), strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	fieldType := func(summary, field string) string {
		m := regexp.MustCompile(`(?m)^` + field + `: ([\w()]+)`).FindStringSubmatch(summary)
		if m == nil {
			return ""
		}
		return m[1]
	}
	count := func(summary string) string {
		m := regexp.MustCompile(`Feature Count: (\d+)`).FindStringSubmatch(summary)
		if m == nil {
			return ""
		}
		return m[1]
	}

	// Anonymous: the communes only, whole, typed. run fails the test unless
	// ogr2ogr exits 0 (listing sites to anonymous users makes it exit 1 on
	// the 403 of their items).
	anon := filepath.Join(t.TempDir(), "anon.gpkg")
	run(ogr2ogr, "-f", "GPKG", anon, base)
	layers := run(ogrinfo, "-ro", "-q", anon)
	if !strings.Contains(layers, "communes") || strings.Contains(layers, "sites") {
		t.Fatalf("anonymous copy has layers:\n%s, want communes only", layers)
	}
	sum := run(ogrinfo, "-ro", "-so", anon, "communes")
	if got := count(sum); got != "3321" {
		t.Errorf("communes copied: %s features, want 3321:\n%.2000s", got, sum)
	}
	for field, want := range map[string]string{"sites": "Real", "models": "Real", "incidents": "Real", "area_km2": "Real", "population": "Integer", "code": "String"} {
		if got := fieldType(sum, field); got != want {
			t.Errorf("field %s is %q, want %s:\n%.2000s", field, got, want, sum)
		}
	}

	// Signed in as an analyst: both layers.
	signed := filepath.Join(t.TempDir(), "signed.gpkg")
	run(ogr2ogr, "--config", "GDAL_HTTP_HEADERS", "Authorization: Bearer "+token, "-f", "GPKG", signed, base)
	layers = run(ogrinfo, "-ro", "-q", signed)
	if !strings.Contains(layers, "communes") || !strings.Contains(layers, "sites") {
		t.Fatalf("signed-in copy has layers:\n%s, want communes and sites", layers)
	}
	sum = run(ogrinfo, "-ro", "-so", signed, "communes")
	if got := count(sum); got != "3321" {
		t.Errorf("signed-in communes copied: %s features, want 3321", got)
	}
	for field, want := range map[string]string{"sites": "Real", "models": "Real", "incidents": "Real", "area_km2": "Real", "population": "Integer", "code": "String", "period_from": "Date"} {
		if got := fieldType(sum, field); got != want {
			t.Errorf("signed-in communes: field %s is %q, want %s:\n%.2000s", field, got, want, sum)
		}
	}
	// The sites layer holds every site the store holds for the analyst's
	// scope (all provinces) at the default window's end, as many as the API
	// says it matches; its fields keep their types (opened a date, split a
	// boolean, the codes text).
	w, err := analytics.ParsePeriod("ytd", today) // the default window ends today
	if err != nil {
		t.Fatal(err)
	}
	stored, err := s.Sites(ctx, analytics.SiteFilter{Window: w})
	if err != nil {
		t.Fatal(err)
	}
	if len(stored) != len(twoProvinceData(geo).Sites) {
		t.Fatalf("the store holds %d active sites, the fixture wrote %d", len(stored), len(twoProvinceData(geo).Sites))
	}
	req, err := http.NewRequest("GET", "http://"+ln.Addr().String()+"/ogc/collections/sites/items?limit=1", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var items struct {
		NumberMatched *int `json:"numberMatched"`
	}
	err = json.NewDecoder(resp.Body).Decode(&items)
	resp.Body.Close()
	if err != nil || resp.StatusCode != 200 || items.NumberMatched == nil {
		t.Fatalf("sites items: status %d, numberMatched %v, %v", resp.StatusCode, items.NumberMatched, err)
	}
	sum = run(ogrinfo, "-ro", "-so", signed, "sites")
	if got, want := count(sum), strconv.Itoa(len(stored)); got != want || *items.NumberMatched != len(stored) {
		t.Errorf("sites copied: %s features, want %s (the store's active sites; the API matches %d):\n%.2000s", got, want, *items.NumberMatched, sum)
	}
	for field, want := range map[string]string{"key": "String", "commune": "String", "province": "String", "opened": "Date", "split": "Integer(Boolean)"} {
		if got := fieldType(sum, field); got != want {
			t.Errorf("sites: field %s is %q, want %s:\n%.2000s", field, got, want, sum)
		}
	}
}
