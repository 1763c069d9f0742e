package main

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

const module = "github.com/antq-atlas/antq"

// TestDependencyDirection holds the package map's line: cmd -> {ingest,
// dashboard, chstore} -> analytics; analytics uses the standard library
// only; ingest and dashboard never import chstore or each other; only
// chstore imports ClickHouse drivers.
func TestDependencyDirection(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}} {{join .Deps " "}}`, module+"/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	deps := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		deps[f[0]] = f[1:]
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
