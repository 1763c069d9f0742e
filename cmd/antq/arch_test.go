package main

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/antq-atlas/antq"

// allowedImports is the package graph: each package of the module and the
// module packages it may import (not counting its tests). A package missing
// here fails TestDependencyDirection, so a new package states its place.
// Imports point down: cmd -> {ingest, dashboard, chstore} -> analytics;
// internal/* are leaves on the standard library.
var allowedImports = map[string][]string{
	"analytics":                           {},
	"analytics/commune":                   {"analytics", "analytics/commune/placename", "analytics/commune/topo"},
	"analytics/commune/topo":              {},
	"analytics/commune/csvresolve":        {"analytics", "analytics/commune", "analytics/commune/placename"},
	"analytics/commune/placename":         {},
	"analytics/finding":                   {"analytics"},
	"analytics/commune/communetest":       {},
	"analytics/commune/refdata":           {"analytics/commune/topo"},
	"analytics/chstore":                   {"analytics", "analytics/commune", "analytics/chstore/metricsql", "analytics/chstore/internal/chdbhttp", "analytics/chstore/internal/libchdb"},
	"analytics/chstore/metricsql":         {"analytics"},
	"analytics/chstore/chstoretest":       {"analytics/chstore"},
	"analytics/chstore/enginelib":         {"analytics/chstore/internal/libchdb"},
	"analytics/chstore/internal/chdbhttp": {"analytics/chstore/internal/libchdb"},
	"analytics/chstore/internal/libchdb":  {},
	"analytics/memagg":                    {"analytics"},
	"ingest":                              {"analytics", "ingest/layout", "ingest/record", "ingest/schema", "ingest/sheet", "ingest/value"},
	"ingest/demo":                         {"analytics", "analytics/commune", "analytics/commune/placename"},
	"ingest/ingesttest":                   {},
	"ingest/layout":                       {"analytics", "analytics/commune/placename", "ingest/schema", "ingest/value"},
	"ingest/record":                       {"analytics", "ingest/layout", "ingest/schema", "ingest/sheet", "ingest/value"},
	"ingest/schema":                       {"analytics", "analytics/commune/placename", "ingest/value"},
	"ingest/sheet":                        {"analytics", "analytics/commune/placename", "ingest/layout", "ingest/schema", "ingest/value"},
	"ingest/template":                     {"analytics", "analytics/commune/placename", "ingest/schema", "ingest/sheet"},
	"ingest/value":                        {"analytics", "analytics/commune/placename"},
	"internal/gzbody":                     {},
	"internal/lru":                        {},
	"internal/pptx":                       {},
	"dashboard":                           {"analytics", "analytics/commune", "dashboard/admission", "dashboard/apierr", "dashboard/cache", "dashboard/telemetry", "dashboard/access", "dashboard/chart", "dashboard/charts", "dashboard/desk", "dashboard/briefing", "dashboard/figures", "dashboard/findings", "dashboard/geo", "dashboard/ogc", "dashboard/openapi", "dashboard/params", "dashboard/render", "dashboard/web", "internal/gzbody", "internal/pptx"},
	"dashboard/desk":                      {"analytics"},
	"dashboard/admission":                 {"analytics"},
	"dashboard/access":                    {"analytics", "analytics/commune"},
	"dashboard/telemetry":                 {},
	"dashboard/chart":                     {"analytics"},
	"dashboard/render":                    {"analytics", "dashboard/chart", "dashboard/web", "internal/lru"},
	"dashboard/figures":                   {"analytics", "analytics/commune", "analytics/commune/placename", "dashboard/chart"},
	"dashboard/charts":                    {"analytics", "analytics/commune", "dashboard/chart", "dashboard/figures", "dashboard/geo", "dashboard/params"},
	"dashboard/findings":                  {"analytics", "analytics/finding", "analytics/commune", "dashboard/chart", "dashboard/figures"},
	"dashboard/briefing":                  {"analytics", "analytics/finding", "dashboard/figures", "dashboard/findings", "internal/pptx"},
	"dashboard/geojson":                   {},
	"dashboard/geo":                       {"analytics", "analytics/commune", "analytics/commune/topo", "dashboard/figures", "internal/gzbody"},
	"dashboard/ogc":                       {"analytics", "analytics/commune", "dashboard/figures", "dashboard/geo", "dashboard/params"},
	"dashboard/web":                       {},
	"dashboard/apierr":                    {"analytics"},
	"dashboard/cache":                     {"internal/gzbody", "internal/lru"},
	"dashboard/openapi":                   {"analytics", "dashboard/geo", "dashboard/ogc"},
	"dashboard/params":                    {"analytics", "analytics/commune", "dashboard/chart", "dashboard/figures", "dashboard/geo"},
	"cmd/antq":                            {"analytics", "analytics/commune", "analytics/commune/csvresolve", "analytics/chstore", "analytics/chstore/enginelib", "analytics/memagg", "dashboard", "dashboard/access", "dashboard/desk", "ingest", "ingest/demo", "ingest/layout", "ingest/sheet", "ingest/template"},
}

// fiberImporters are the only packages that may import Fiber: the HTTP shell.
var fiberImporters = map[string]bool{"dashboard": true}

// TestDependencyDirection holds the package graph: every package of the
// module is in allowedImports and imports no other module package; only
// the dashboard shell imports Fiber; analytics uses the standard library
// only; only chstore imports ClickHouse drivers; ingest and dashboard never
// import chstore or each other (also through their dependencies).
func TestDependencyDirection(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}|{{join .Imports " "}}|{{join .Deps " "}}`, module+"/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	deps := map[string][]string{}
	seen := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Split(line, "|")
		pkg, imports := f[0], strings.Fields(f[1])
		deps[pkg] = strings.Fields(f[2])
		rel := strings.TrimPrefix(strings.TrimPrefix(pkg, module), "/")
		seen[rel] = true
		allowed, ok := allowedImports[rel]
		if !ok {
			t.Errorf("package %s is not in allowedImports: add it with the module packages it may import", rel)
			continue
		}
		for _, imp := range imports {
			if strings.HasPrefix(imp, "github.com/gofiber/") && !fiberImporters[rel] {
				t.Errorf("%s imports %s: only the dashboard shell sees Fiber", rel, imp)
			}
			if !strings.HasPrefix(imp, module+"/") {
				continue
			}
			if d := strings.TrimPrefix(imp, module+"/"); !slices.Contains(allowed, d) {
				t.Errorf("%s imports %s, which allowedImports does not allow", rel, d)
			}
		}
	}
	for rel := range allowedImports {
		if !seen[rel] {
			t.Errorf("allowedImports lists %s, which is not a package of the module", rel)
		}
	}
	has := func(pkg, prefix string) bool {
		for _, d := range deps[pkg] {
			if d == prefix || strings.HasPrefix(d, prefix+"/") {
				return true
			}
		}
		return false
	}
	for pkg := range deps {
		rel := strings.TrimPrefix(strings.TrimPrefix(pkg, module), "/")
		isTestKit := strings.HasSuffix(rel, "test") // chstoretest: tests only
		switch {
		case rel == "analytics":
			for _, d := range deps[pkg] {
				if strings.Contains(d, ".") { // a module path, not the standard library
					t.Errorf("analytics imports %s: the domain uses the standard library only", d)
				}
			}
		case strings.HasPrefix(rel, "ingest"), strings.HasPrefix(rel, "dashboard"):
			for _, banned := range []string{module + "/analytics/chstore", module + "/cmd"} {
				if has(pkg, banned) {
					t.Errorf("%s imports %s", rel, banned)
				}
			}
			if strings.HasPrefix(rel, "ingest") && has(pkg, module+"/dashboard") {
				t.Errorf("%s imports dashboard", rel)
			}
			if strings.HasPrefix(rel, "dashboard") && has(pkg, module+"/ingest") {
				t.Errorf("%s imports ingest", rel)
			}
		}
		if !strings.HasPrefix(rel, "analytics/chstore") && !strings.HasPrefix(rel, "cmd") && !isTestKit &&
			(has(pkg, "github.com/ClickHouse/clickhouse-go/v2") || has(pkg, "github.com/ClickHouse/ch-go")) {
			t.Errorf("%s imports a ClickHouse driver: only analytics/chstore may", rel)
		}
	}
}

// TestREADMEConfigTable: every setting appears in the README's config table
// with its flag, environment variable, default and the subcommands that take
// it, and nothing else does.
func TestREADMEConfigTable(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	rows := regexp.MustCompile("(?m)^\\| `--([a-z-]+)` \\| `(ANTQ_[A-Z_]+)` \\| ([^|]*) \\| ([^|]*) \\|").FindAllStringSubmatch(string(b), -1)
	inREADME := map[string][3]string{}
	for _, r := range rows {
		inREADME[r[1]] = [3]string{r[2], strings.Trim(strings.TrimSpace(r[3]), "`"), strings.ReplaceAll(strings.TrimSpace(r[4]), "`", "")}
	}
	for _, s := range settings() {
		got, ok := inREADME[s.flag]
		if !ok {
			t.Errorf("README config table lacks --%s", s.flag)
			continue
		}
		if got[0] != s.env {
			t.Errorf("README: --%s env %s, want %s", s.flag, got[0], s.env)
		}
		want := s.def
		if want == "" {
			want = "(none)"
		}
		if got[1] != want {
			t.Errorf("README: --%s default %q, want %q", s.flag, got[1], want)
		}
		if cmds := strings.Join(s.cmds, ", "); got[2] != cmds {
			t.Errorf("README: --%s commands %q, want %q", s.flag, got[2], cmds)
		}
		delete(inREADME, s.flag)
	}
	for f := range inREADME {
		t.Errorf("README config table lists --%s, which antq does not have", f)
	}
}

// TestSubcommandFlags: each subcommand's flag set holds exactly the settings
// that name it (plus its own flags): `antq ingest -h` shows no serve flag.
func TestSubcommandFlags(t *testing.T) {
	for _, cmd := range []string{"serve", "ingest", "demo", "migrate", "resolve", "refdata check", "user add", "version", "setup"} {
		var c config
		fs := newFlags(cmd, &c, io.Discard)
		first, _, _ := strings.Cut(cmd, " ")
		for _, s := range settings() {
			if got, want := fs.Lookup(s.flag) != nil, s.usedBy(first); got != want {
				t.Errorf("antq %s: has --%s = %v, want %v", cmd, s.flag, got, want)
			}
		}
		// Settings a command does not take still get their defaults.
		if c.Data == "" || c.Addr == "" || c.LibCHDB == "" || c.QueryTimeout == 0 {
			t.Errorf("antq %s: config not filled: %+v", cmd, c)
		}
	}
	var out bytes.Buffer
	if err := run([]string{"ingest", "-h"}, io.Discard, &out); err == nil {
		t.Fatal("ingest -h: want the usage exit")
	}
	for _, bad := range []string{"-addr", "-public", "-rate-limit", "-embed-keys", "-metrics-addr", "-log-format"} {
		if strings.Contains(out.String(), bad+" ") {
			t.Errorf("antq ingest -h lists %s:\n%s", bad, out.String())
		}
	}
	for _, want := range []string{"-data", "-kind", "-libchdb", "-refdata"} {
		if !strings.Contains(out.String(), want+" ") {
			t.Errorf("antq ingest -h lacks %s:\n%s", want, out.String())
		}
	}
}
