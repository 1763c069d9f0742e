package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/antq-atlas/antq/analytics/chstore"
)

// config is everything read from flags and the environment. Precedence:
// flag > ANTQ_* environment variable > default. The README's config table
// lists every field (a test checks it).
type config struct {
	Data         string
	Addr         string
	Engine       string
	DSN          string
	Cluster      string
	Database     string
	RefData      string
	LibCHDB      string
	QueryTimeout time.Duration
	LogFormat    string
}

// setting describes one flag for the usage text and the README test.
type setting struct {
	flag, env, def, help string
}

func settings() []setting {
	return []setting{
		{"data", "ANTQ_DATA", "./data", "data directory of the embedded engine"},
		{"addr", "ANTQ_ADDR", ":8080", "HTTP listen address (serve)"},
		{"engine", "ANTQ_ENGINE", "embedded", "ClickHouse engine: embedded or server"},
		{"clickhouse-dsn", "ANTQ_CLICKHOUSE_DSN", "", "server engine: clickhouse://user:password@host:9000/database"},
		{"cluster", "ANTQ_CLUSTER", "", "server engine: cluster name (ON CLUSTER DDL, Replicated and Distributed tables)"},
		{"database", "ANTQ_DATABASE", "antq", "database name"},
		{"refdata", "ANTQ_REFDATA", "", "reference-data directory (default: ./refdata, then ../shared/geo)"},
		{"libchdb", "ANTQ_LIBCHDB", "~/.cache/antq/chdb/" + "26.7.3-stable.1" + "/libchdb.so", "path of libchdb.so for the embedded engine"},
		{"query-timeout", "ANTQ_QUERY_TIMEOUT", "60s", "limit of one query (also max_execution_time)"},
		{"log-format", "ANTQ_LOG_FORMAT", "text", "log format: text or json"},
	}
}

func env(name, def string) string {
	if v, ok := os.LookupEnv(name); ok && v != "" {
		return v
	}
	return def
}

// newFlags returns a flag set with the common settings bound to c.
func newFlags(name string, c *config, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("antq "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	ptr := map[string]*string{
		"data": &c.Data, "addr": &c.Addr, "engine": &c.Engine, "clickhouse-dsn": &c.DSN, "cluster": &c.Cluster,
		"database": &c.Database, "refdata": &c.RefData, "libchdb": &c.LibCHDB, "log-format": &c.LogFormat,
	}
	for _, s := range settings() {
		help := fmt.Sprintf("%s (env %s)", s.help, s.env)
		if s.flag == "query-timeout" {
			d, err := time.ParseDuration(env(s.env, s.def))
			if err != nil {
				d = time.Minute
			}
			fs.DurationVar(&c.QueryTimeout, s.flag, d, help)
			continue
		}
		def := s.def
		if s.flag == "libchdb" {
			def = chstore.DefaultLibPath()
		}
		fs.StringVar(ptr[s.flag], s.flag, env(s.env, def), help)
	}
	return fs
}

func (c *config) storeConfig() chstore.Config {
	return chstore.Config{
		Engine: c.Engine, DataDir: c.Data, LibPath: c.LibCHDB, DSN: c.DSN, Cluster: c.Cluster,
		Database: c.Database, QueryTimeout: c.QueryTimeout,
	}
}

func (c *config) logger(w io.Writer) *slog.Logger {
	if strings.EqualFold(c.LogFormat, "json") {
		return slog.New(slog.NewJSONHandler(w, nil))
	}
	return slog.New(slog.NewTextHandler(w, nil))
}
