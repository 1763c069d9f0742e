package commune

import (
	"bytes"
	"compress/gzip"
	"embed"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// bundleFS is the reference-data bundle built by ./refdata from the public
// sources (see bundle/NOTICE and bundle/PROVENANCE.md) and embedded in the
// binary: Load uses it when Config.RefDir is empty.
//
//go:embed bundle
var bundleFS embed.FS

// Files of the embedded bundle (written by ./refdata; keep in step).
const (
	bundleDir       = "bundle"
	bundleProvinces = "provinces.csv"
	bundleCommunes  = "communes.csv.gz"
	bundleMedium    = "medium.topojson.gz"
	bundleDetail    = "detail.topojson.gz"
	bundleVNAD      = "vnad.json.gz"
	// BundleNotice is the bundle's NOTICE (sources, licences, attribution).
	BundleNotice = "NOTICE"
)

// EmbeddedSource is how Set.Source names the embedded bundle.
const EmbeddedSource = "embedded bundle"

// Bundle returns the embedded bundle's files (NOTICE, PROVENANCE.md and the
// data files) as a read-only file system.
func Bundle() fs.FS {
	sub, err := fs.Sub(bundleFS, bundleDir)
	if err != nil {
		panic(err) // the directory is embedded at compile time
	}
	return sub
}

// refSource reads the inputs of Load: the embedded bundle, or a shared/geo
// folder (the override).
type refSource struct {
	fsys                          fs.FS
	name                          string // for messages: EmbeddedSource or the folder
	provinces, communes, topology string
}

func sourceOf(cfg Config) refSource {
	if cfg.RefDir == "" {
		return refSource{fsys: Bundle(), name: EmbeddedSource,
			provinces: bundleProvinces, communes: bundleCommunes, topology: bundleMedium}
	}
	return refSource{fsys: os.DirFS(cfg.RefDir), name: cfg.RefDir,
		provinces: FileProvinces, communes: FileCommunes, topology: FileTopology}
}

// readAll reads a file of the source, gunzipping a name ending in .gz.
func (src refSource) readAll(name string) ([]byte, error) {
	b, err := fs.ReadFile(src.fsys, name)
	if err != nil {
		return nil, fmt.Errorf("read reference file %s: %w", src.path(name), err)
	}
	if strings.HasSuffix(name, ".gz") {
		if b, err = gunzip(b); err != nil {
			return nil, fmt.Errorf("read reference file %s: %w", src.path(name), err)
		}
	}
	return b, nil
}

func (src refSource) path(name string) string {
	if src.name == EmbeddedSource {
		return path.Join(bundleDir, name) + " (embedded)"
	}
	return filepath.Join(src.name, name)
}

func gunzip(b []byte) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	return io.ReadAll(zr)
}

// readBundleVNAD reads the embedded extract of the official table.
func readBundleVNAD() (*vnad, error) {
	b, err := fs.ReadFile(bundleFS, path.Join(bundleDir, bundleVNAD))
	if err != nil {
		return nil, fmt.Errorf("read old->new table: %w", err)
	}
	if b, err = gunzip(b); err != nil {
		return nil, fmt.Errorf("read old->new table %s: %w", bundleVNAD, err)
	}
	return decodeVNAD(b, path.Join(bundleDir, bundleVNAD)+" (embedded)")
}
