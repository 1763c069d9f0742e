// Package web holds the dashboard's browser assets, built from npm packages
// pinned in package.json and embedded into the binary, so the product runs on
// an offline network with no CDN.
//
// dist/ holds the npm-built files (ECharts, its locale, licence and notice,
// manifest.json), written by `make assets` (npm ci, then build.sh) and
// committed, so that `go build` and `go install` alone give a complete binary;
// TestDistMatchesLock fails when dist/ and package-lock.json disagree. The
// page (src/) is embedded as written. An asset that is not there is reported
// by Asset with ErrAssetsMissing. EmbedErrorPage writes the page an embed
// shows instead of its chart when its link is expired, broken or names no
// chart.
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

// Names of assets for Asset.
const (
	EChartsJS  = "echarts.min.js" // ECharts, the version pinned in package.json
	LocaleVIJS = "langVI.js"      // ECharts' Vietnamese locale; registers 'VI'
	AntqJS     = "antq.js"        // our formatter reviver (src/antq.js)
)

// FS is the embedded dist/ (npm-built) and src/ (the page) directories;
// paths start with "dist/" or "src/".
//
//go:embed dist src
var FS embed.FS

// ErrAssetsMissing reports that dist/ was not built before `go build`.
var ErrAssetsMissing = errors.New("front-end assets missing: run make assets (make -C dashboard/web)")

// Asset returns the file name from src/ (the page), else from dist/ (built
// from npm). A file that is in neither gives an error wrapping
// ErrAssetsMissing.
func Asset(name string) ([]byte, error) {
	b, err := FS.ReadFile("src/" + name)
	if errors.Is(err, fs.ErrNotExist) {
		b, err = FS.ReadFile("dist/" + name)
	}
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s: %w", name, ErrAssetsMissing)
	}
	if err != nil {
		return nil, fmt.Errorf("read asset %s: %w", name, err)
	}
	return b, nil
}
