package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"testing"
)

// manifest is dist/manifest.json, written by build.sh.
type manifest struct {
	Package   string `json:"package"`
	Version   string `json:"version"`
	Integrity string `json:"integrity"`
	Files     map[string]struct {
		From   string `json:"from"`
		SHA256 string `json:"sha256"`
	} `json:"files"`
}

// TestDistMatchesLock holds the committed dist/ to package-lock.json without
// the network: the manifest names the locked ECharts version and integrity,
// every embedded dist file has the SHA-256 the manifest records and nothing
// else is in dist/, package.json pins the same version, and when
// node_modules holds the locked version (after `make assets`), each file is
// byte for byte the npm package's.
func TestDistMatchesLock(t *testing.T) {
	var lock struct {
		Packages map[string]struct {
			Version      string            `json:"version"`
			Integrity    string            `json:"integrity"`
			Dependencies map[string]string `json:"dependencies"`
		} `json:"packages"`
	}
	readJSON(t, "package-lock.json", &lock)
	locked, ok := lock.Packages["node_modules/echarts"]
	if !ok || locked.Version == "" || locked.Integrity == "" {
		t.Fatal("package-lock.json has no node_modules/echarts with version and integrity")
	}
	if pinned := lock.Packages[""].Dependencies["echarts"]; pinned != locked.Version {
		t.Errorf("package-lock.json: the root depends on echarts %q but locks %q", pinned, locked.Version)
	}
	var pkg struct {
		Dependencies map[string]string `json:"dependencies"`
	}
	readJSON(t, "package.json", &pkg)
	if pkg.Dependencies["echarts"] != locked.Version {
		t.Errorf("package.json pins echarts %q, package-lock.json %q: run npm install, then make assets", pkg.Dependencies["echarts"], locked.Version)
	}

	var m manifest
	b, err := FS.ReadFile("dist/manifest.json")
	if err != nil {
		t.Fatalf("dist/manifest.json: %v (run make assets and commit dist/)", err)
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("dist/manifest.json: %v", err)
	}
	if m.Package != "echarts" || m.Version != locked.Version || m.Integrity != locked.Integrity {
		t.Fatalf("dist/ was built from %s %s (%s), package-lock.json locks echarts %s (%s): run make assets and commit dist/",
			m.Package, m.Version, m.Integrity, locked.Version, locked.Integrity)
	}
	for _, name := range []string{EChartsJS, LocaleVIJS, "LICENSE.echarts.txt", "NOTICE.echarts.txt"} {
		if _, ok := m.Files[name]; !ok {
			t.Errorf("dist/manifest.json lacks %s", name)
		}
	}

	entries, err := FS.ReadDir("dist")
	if err != nil {
		t.Fatal(err)
	}
	var extra []string
	for _, e := range entries {
		if n := e.Name(); n != "manifest.json" && n != "README.txt" {
			if _, ok := m.Files[n]; !ok {
				extra = append(extra, n)
			}
		}
	}
	sort.Strings(extra)
	if len(extra) > 0 {
		t.Errorf("dist/ holds files the manifest does not list: %v (run make assets)", extra)
	}

	nodeModules := false
	if b, err := os.ReadFile("node_modules/echarts/package.json"); err == nil {
		var v struct{ Version string }
		nodeModules = json.Unmarshal(b, &v) == nil && v.Version == locked.Version
	}
	for name, f := range m.Files {
		got, err := FS.ReadFile("dist/" + name)
		if err != nil {
			t.Errorf("dist/%s: %v", name, err)
			continue
		}
		sum := sha256.Sum256(got)
		if hex.EncodeToString(sum[:]) != f.SHA256 {
			t.Errorf("dist/%s: SHA-256 %x, the manifest says %s (edited by hand? run make assets)", name, sum, f.SHA256)
		}
		if !nodeModules {
			continue
		}
		want, err := os.ReadFile(filepath.FromSlash(f.From))
		if err != nil {
			t.Errorf("%s: %v", f.From, err)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("dist/%s differs from %s of echarts %s: run make assets and commit dist/", name, f.From, locked.Version)
		}
	}
	if !nodeModules {
		t.Logf("node_modules has no echarts %s: checked dist/ against its manifest and the lock file only", locked.Version)
	}
}

// TestAssetPageAndVendor: Asset serves the page from src/ and the npm files
// from dist/, and names neither holds as ErrAssetsMissing.
func TestAssetPageAndVendor(t *testing.T) {
	for _, name := range []string{AntqJS, "index.html", "app.js", EChartsJS, LocaleVIJS} {
		if b, err := Asset(name); err != nil || len(b) == 0 {
			t.Errorf("Asset(%s): %d bytes, %v", name, len(b), err)
		}
	}
	if _, err := Asset("nope.js"); err == nil || !errors.Is(err, ErrAssetsMissing) {
		t.Errorf("Asset(nope.js) = %v, want ErrAssetsMissing", err)
	}
}

func readJSON(t *testing.T, name string, v any) {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}
