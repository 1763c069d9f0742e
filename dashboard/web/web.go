// Package web holds the dashboard's browser assets, built from npm packages
// pinned in package.json and embedded into the binary, so the product runs on
// an offline network with no CDN.
//
// dist/ is filled by `make -C dashboard/web` (npm ci, then build.sh) and is
// git-ignored except a placeholder, so `go build` works on a fresh clone; an
// asset that was not built is reported by Asset with ErrAssetsMissing.
//
// It must not import anything from this module: the chart renderer and the
// HTTP handlers depend on it, not the other way round.
package web

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
)

// Names of the built assets in FS (under dist/) and for Asset.
const (
	EChartsJS  = "echarts.min.js" // ECharts, the version pinned in package.json
	LocaleVIJS = "langVI.js"      // ECharts' Vietnamese locale; registers 'VI'
	AntqJS     = "antq.js"        // our formatter reviver (src/antq.js)
)

// FS is the embedded dist/ directory; paths start with "dist/".
//
//go:embed dist
var FS embed.FS

// ErrAssetsMissing reports that dist/ was not built before `go build`.
var ErrAssetsMissing = errors.New("front-end assets missing: run make assets (make -C dashboard/web)")

// Asset returns the built file name from dist/. A file that is not there
// gives an error wrapping ErrAssetsMissing.
func Asset(name string) ([]byte, error) {
	b, err := FS.ReadFile("dist/" + name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s: %w", name, ErrAssetsMissing)
	}
	if err != nil {
		return nil, fmt.Errorf("read asset %s: %w", name, err)
	}
	return b, nil
}
