package chstore

import (
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// TestQueryFilesUsed: every query/*.sql is named by the code and every name
// the code uses has a file.
func TestQueryFilesUsed(t *testing.T) {
	files := map[string]bool{}
	entries, err := fs.ReadDir(queryFS, "query")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		files[strings.TrimSuffix(e.Name(), ".sql")] = true
	}
	used := map[string]bool{}
	re := regexp.MustCompile(`sqlText\("([a-z0-9_]+)"\)`)
	goFiles, _ := filepath.Glob("*.go")
	for _, f := range goFiles {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			used[m[1]] = true
		}
	}
	for n := range used {
		if !files[n] {
			t.Errorf("code names query %q but query/%s.sql does not exist", n, n)
		}
	}
	for n := range files {
		if !used[n] {
			t.Errorf("query/%s.sql is not used by the code", n)
		}
	}
}

func TestMigrationsParse(t *testing.T) {
	ms, err := loadMigrations()
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) < 3 {
		t.Fatalf("%d migrations", len(ms))
	}
	for _, m := range ms {
		for _, st := range m.Statements {
			if strings.Contains(st, "--") || strings.HasSuffix(st, ";") {
				t.Errorf("migration %d statement not clean: %q", m.Version, st)
			}
		}
	}
}

// TestClusterDDL: the cluster rewrite of every migration, against a golden
// file (go test -run ClusterDDL -update rewrites it).
func TestClusterDDL(t *testing.T) {
	ms, err := loadMigrations()
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	all := []string{migrationsTable}
	for _, m := range ms {
		all = append(all, m.Statements...)
	}
	all = append(all, "ALTER TABLE sites ADD COLUMN IF NOT EXISTS x UInt8")
	for _, st := range all {
		for _, x := range clusterDDL(st, "antq", "antq") {
			b.WriteString(x)
			b.WriteString(";\n\n")
		}
	}
	got := b.String()
	golden := filepath.Join("testdata", "cluster_ddl.golden.sql")
	if *update {
		os.MkdirAll("testdata", 0o755)
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	if got != string(want) {
		t.Errorf("cluster DDL differs from %s (run with -update after checking)", golden)
	}
	// Properties that must hold whatever the golden file says.
	for _, st := range all {
		out := clusterDDL(st, "antq", "antq")
		if strings.HasPrefix(st, "CREATE TABLE") && !strings.Contains(st, " AS ") {
			if len(out) != 2 || !strings.Contains(out[0], "ENGINE = Replicated") || !strings.Contains(out[1], "ENGINE = Distributed(") {
				t.Errorf("table not made replicated + distributed:\n%s", strings.Join(out, "\n"))
			}
			if strings.Contains(st, "record_key") && !strings.Contains(out[1], "cityHash64(record_key)") {
				t.Errorf("fact table not sharded by record key:\n%s", out[1])
			}
		}
		if strings.HasPrefix(st, "INSERT INTO") {
			// Data, not DDL: run once, through the Distributed tables.
			if len(out) != 1 || out[0] != st {
				t.Errorf("INSERT rewritten:\n%s", strings.Join(out, "\n"))
			}
			continue
		}
		for _, x := range out {
			if !strings.Contains(x, "ON CLUSTER `antq`") {
				t.Errorf("statement without ON CLUSTER:\n%s", x)
			}
		}
	}
}

func TestSplitStatements(t *testing.T) {
	got := splitStatements("-- c\nCREATE TABLE a (x UInt8)\nENGINE = Log;\n\n-- d\nSELECT 1;\nSELECT 2")
	want := []string{"CREATE TABLE a (x UInt8)\nENGINE = Log", "SELECT 1", "SELECT 2"}
	sort.Strings(got)
	sort.Strings(want)
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("got %q", got)
	}
}
