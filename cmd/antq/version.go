package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/antq-atlas/antq/analytics/chstore"
)

func runVersion(args []string, stdout, stderr io.Writer) error {
	var c config
	fs := newFlags("version", &c, stderr)
	check := fs.Bool("check", false, "list what antq needs and is missing (engine library, rsvg-convert, fonts), then open the store and print the engine's version")
	if err := fs.Parse(args); err != nil {
		return &exitError{code: 2}
	}
	fmt.Fprintf(stdout, "antq %s (%s %s/%s)\n", version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	if !*check {
		return nil
	}
	var missing []string
	for _, r := range requirements(&c) {
		state := "ok"
		if r.problem != "" {
			state = "MISSING"
			missing = append(missing, r.name)
		}
		fmt.Fprintf(stdout, "%-7s %-13s %s\n", state, r.name, r.detail)
		if r.problem != "" {
			fmt.Fprintf(stdout, "        %s\n", r.problem)
		}
	}
	if len(missing) > 0 {
		return &exitError{code: 1, msg: "thiếu / missing: " + strings.Join(missing, ", ")}
	}
	store, err := chstore.Open(context.Background(), c.storeConfig())
	if err != nil {
		return err
	}
	defer store.Close()
	fmt.Fprintf(stdout, "clickhouse %s (%s engine)\n", store.EngineVersion(), store.EngineKind())
	return nil
}

// requirement is one thing antq needs from the machine.
type requirement struct {
	name, detail, problem string // problem empty: present
}

// requirements checks what antq needs at run time and does not carry: the
// engine library (embedded engine), the PNG rasteriser and its fonts.
func requirements(c *config) []requirement {
	var rs []requirement
	if c.Engine == "" || c.Engine == chstore.EngineEmbedded {
		r := requirement{name: "engine", detail: c.LibCHDB}
		if st, err := os.Stat(c.LibCHDB); err != nil || !st.Mode().IsRegular() {
			r.problem = "no libchdb.so there: run `antq setup` (fetches it from the npm registry), or copy it there / pass --libchdb PATH"
		}
		rs = append(rs, r)
	}
	r := requirement{name: "rsvg-convert", detail: c.RSVGConvert}
	if p, err := exec.LookPath(c.RSVGConvert); err != nil {
		r.problem = "PNG charts answer 503 without it: install the Debian package librsvg2-bin (or pass --rsvg-convert PATH)"
	} else {
		r.detail = p
	}
	rs = append(rs, r)
	f := requirement{name: "fonts", detail: "DejaVu Sans"}
	if p := findFont("DejaVu Sans"); p == "" {
		f.problem = "charts are drawn without Vietnamese glyphs: install the Debian package fonts-dejavu-core"
	} else {
		f.detail += ": " + p
	}
	return append(rs, f)
}

// findFont returns a file of the font family: fontconfig's answer when
// fc-list is there (it is whenever librsvg is), else the Debian path.
func findFont(family string) string {
	if out, err := exec.Command("fc-list", ":family="+family, "file").Output(); err == nil {
		for _, line := range strings.Split(string(out), "\n") {
			if p := strings.TrimSuffix(strings.TrimSpace(line), ":"); p != "" {
				return p
			}
		}
		return ""
	}
	for _, dir := range []string{"/usr/share/fonts/truetype/dejavu", "/usr/local/share/fonts"} {
		if m, _ := filepath.Glob(filepath.Join(dir, strings.ReplaceAll(family, " ", "")+"*.ttf")); len(m) > 0 {
			return m[0]
		}
	}
	return ""
}
