package chstore

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

//go:embed schema/*.sql
var schemaFS embed.FS

// migration is one numbered, append-only schema file.
type migration struct {
	Version    uint32
	Name       string
	Checksum   string
	Statements []string
}

var migrationNameRe = regexp.MustCompile(`^(\d{4})_([a-z0-9_]+)\.sql$`)

func loadMigrations() ([]migration, error) {
	entries, err := fs.ReadDir(schemaFS, "schema")
	if err != nil {
		return nil, fmt.Errorf("read embedded schema: %w", err)
	}
	var ms []migration
	for _, e := range entries {
		m := migrationNameRe.FindStringSubmatch(e.Name())
		if m == nil {
			return nil, fmt.Errorf("schema file %s is not named NNNN_name.sql", e.Name())
		}
		b, err := schemaFS.ReadFile("schema/" + e.Name())
		if err != nil {
			return nil, fmt.Errorf("read schema %s: %w", e.Name(), err)
		}
		v, _ := strconv.ParseUint(m[1], 10, 32)
		sum := sha256.Sum256(b)
		ms = append(ms, migration{Version: uint32(v), Name: m[2], Checksum: hex.EncodeToString(sum[:8]), Statements: splitStatements(string(b))})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].Version < ms[j].Version })
	for i := range ms {
		if ms[i].Version != uint32(i+1) {
			return nil, fmt.Errorf("schema migrations must be numbered 1, 2, 3, ...: found %04d at position %d", ms[i].Version, i+1)
		}
	}
	return ms, nil
}

// splitStatements drops comment lines and splits at semicolons that end a
// line. Migration files hold no string literal with ";\n".
func splitStatements(sql string) []string {
	var out []string
	var cur strings.Builder
	for _, line := range strings.Split(sql, "\n") {
		t := strings.TrimSpace(line)
		if t == "" || strings.HasPrefix(t, "--") {
			continue
		}
		cur.WriteString(line)
		cur.WriteByte('\n')
		if strings.HasSuffix(t, ";") {
			s := strings.TrimSpace(cur.String())
			out = append(out, strings.TrimSuffix(s, ";"))
			cur.Reset()
		}
	}
	if s := strings.TrimSpace(cur.String()); s != "" {
		out = append(out, s)
	}
	return out
}

const migrationsTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
    version    UInt32,
    name       String,
    checksum   String,
    applied_at DateTime DEFAULT now()
) ENGINE = ReplacingMergeTree
ORDER BY version`

// Migrate applies the migrations not yet recorded in schema_migrations. It is
// a no-op when all are applied, and refuses to run when an applied file has
// changed (migrations are append-only).
func (s *Store) Migrate(ctx context.Context) (applied []string, err error) {
	ms, err := loadMigrations()
	if err != nil {
		return nil, err
	}
	for _, st := range s.ddl(migrationsTable) {
		if err := s.exec(ctx, st); err != nil {
			return nil, fmt.Errorf("create schema_migrations: %w", err)
		}
	}
	done := map[uint32]string{}
	rows, err := s.conn.Query(ctx, "SELECT version, checksum FROM schema_migrations FINAL")
	if err != nil {
		return nil, fmt.Errorf("read schema_migrations: %w", err)
	}
	for rows.Next() {
		var v uint32
		var sum string
		if err := rows.Scan(&v, &sum); err != nil {
			rows.Close()
			return nil, fmt.Errorf("read schema_migrations: %w", err)
		}
		done[v] = sum
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read schema_migrations: %w", err)
	}
	for _, m := range ms {
		if sum, ok := done[m.Version]; ok {
			if sum != m.Checksum {
				return applied, fmt.Errorf("migration %04d_%s changed after it was applied (checksum %s, recorded %s): migrations are append-only, add a new one", m.Version, m.Name, m.Checksum, sum)
			}
			continue
		}
		for i, st := range m.Statements {
			for _, x := range s.ddl(st) {
				if err := s.exec(ctx, x); err != nil {
					return applied, fmt.Errorf("migration %04d_%s statement %d: %w", m.Version, m.Name, i+1, err)
				}
			}
		}
		pctx := withParams(ctx, "v", strconv.Itoa(int(m.Version)), "n", m.Name, "c", m.Checksum)
		if err := s.conn.Exec(pctx, "INSERT INTO schema_migrations (version, name, checksum) VALUES ({v:UInt32}, {n:String}, {c:String})"); err != nil {
			return applied, fmt.Errorf("record migration %04d: %w", m.Version, err)
		}
		applied = append(applied, fmt.Sprintf("%04d_%s", m.Version, m.Name))
	}
	// A load killed between its writes and its Commit left aggregates
	// stale: rebuild them now.
	if _, err := s.RecoverAggregates(ctx); err != nil {
		return applied, err
	}
	return applied, nil
}

// SchemaVersion returns the highest applied migration.
func (s *Store) SchemaVersion(ctx context.Context) (uint32, error) {
	var v uint32
	if err := s.conn.QueryRow(ctx, "SELECT max(version) FROM schema_migrations").Scan(&v); err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	return v, nil
}

var (
	createTableRe = regexp.MustCompile(`(?is)^CREATE TABLE IF NOT EXISTS (\w+)\s*(\(.*\))\s*ENGINE\s*=\s*(\w+)(?:\(([^)]*)\))?(.*)$`)
	createAsRe    = regexp.MustCompile(`(?is)^CREATE TABLE IF NOT EXISTS (\w+) AS (\w+)\s*$`)
	alterRe       = regexp.MustCompile(`(?is)^ALTER TABLE (\w+) (.*)$`)
	addColumnRe   = regexp.MustCompile(`(?i)^ADD COLUMN `)
	shardKeyRe    = regexp.MustCompile(`(?s)\brecord_key\s+String\b`)
)

// ddl returns the statements that apply st: st itself on one server or the
// embedded engine; on a cluster, the replicated local table ON CLUSTER plus a
// Distributed table under the original name, so every read and write names
// the same tables in both modes.
func (s *Store) ddl(st string) []string {
	if s.cfg.Cluster == "" {
		return []string{st}
	}
	return clusterDDL(st, s.cfg.Cluster, s.database)
}

func clusterDDL(st, cluster, database string) []string {
	on := " ON CLUSTER " + quoteIdent(cluster)
	if m := createTableRe.FindStringSubmatch(st); m != nil {
		name, cols, engine, args, rest := m[1], m[2], m[3], strings.TrimSpace(m[4]), m[5]
		path := "'/clickhouse/tables/{shard}/{database}/{table}', '{replica}'"
		if args != "" {
			path += ", " + args
		}
		local := fmt.Sprintf("CREATE TABLE IF NOT EXISTS %s_local%s %s\nENGINE = Replicated%s(%s)%s", name, on, cols, engine, path, rest)
		// Sharding by record key keeps all versions of a record on one shard,
		// which ReplacingMergeTree needs; other tables spread at random.
		key := "rand()"
		if shardKeyRe.MatchString(cols) {
			key = "cityHash64(record_key)"
		}
		dist := fmt.Sprintf("CREATE TABLE IF NOT EXISTS %s%s AS %s_local\nENGINE = Distributed(%s, %s, %s_local, %s)",
			name, on, name, quoteString(cluster), quoteString(database), name, key)
		return []string{local, dist}
	}
	if m := createAsRe.FindStringSubmatch(st); m != nil {
		return []string{
			fmt.Sprintf("CREATE TABLE IF NOT EXISTS %s_local%s AS %s_local", m[1], on, m[2]),
			fmt.Sprintf("CREATE TABLE IF NOT EXISTS %s%s AS %s_local\nENGINE = Distributed(%s, %s, %s_local, rand())", m[1], on, m[1], quoteString(cluster), quoteString(database), m[1]),
		}
	}
	if m := alterRe.FindStringSubmatch(st); m != nil {
		out := []string{fmt.Sprintf("ALTER TABLE %s_local%s %s", m[1], on, m[2])}
		if addColumnRe.MatchString(m[2]) {
			// The Distributed table over the local ones has the columns too.
			out = append(out, fmt.Sprintf("ALTER TABLE %s%s %s", m[1], on, m[2]))
		}
		return out
	}
	return []string{st}
}

func quoteIdent(s string) string { return "`" + strings.ReplaceAll(s, "`", "``") + "`" }

func quoteString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}
