package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"os"
	"strconv"
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

	// HTTP security (serve).
	Public       bool
	BehindTLS    bool
	TrustedProxy string
	RateLimit    string
	RateBurst    string
	MetricsAddr  string
	EmbedKeys    string
	CacheMB      string
	IngestDirs   string
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
		{"public", "ANTQ_PUBLIC", "false", "serve: anonymous visitors may read maps, charts and exports of every province (public figures)"},
		{"behind-tls", "ANTQ_BEHIND_TLS", "false", "serve: a TLS reverse proxy is in front (Secure cookies, HSTS)"},
		{"trusted-proxy", "ANTQ_TRUSTED_PROXY", "", "serve: comma-separated addresses/CIDRs of reverse proxies whose X-Forwarded-For/-Proto are believed"},
		{"rate-limit", "ANTQ_RATE_LIMIT", "50", "serve: requests per second per client (token bucket; 0 = off)"},
		{"rate-burst", "ANTQ_RATE_BURST", "200", "serve: requests a client may send at once before the rate limit applies"},
		{"embed-keys", "ANTQ_EMBED_KEYS", "", "serve: file of embed-link signing keys, newest first, one per line (default: <data>/embed.keys, made on first start)"},
		{"cache-mb", "ANTQ_CACHE_MB", "64", "serve: response cache size in MiB of compressed responses (0 = off: every request is computed)"},
		{"ingest-dirs", "ANTQ_INGEST_DIRS", "", "serve: comma-separated directories whose files `antq ingest` may hand to the server (default: the data directory and the working directory)"},
		{"metrics-addr", "ANTQ_METRICS_ADDR", "", "serve: also serve Prometheus /metrics without sign-in on this address (e.g. 127.0.0.1:9090); /metrics on --addr is admin-only"},
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
		"trusted-proxy": &c.TrustedProxy, "rate-limit": &c.RateLimit, "rate-burst": &c.RateBurst, "metrics-addr": &c.MetricsAddr, "embed-keys": &c.EmbedKeys, "cache-mb": &c.CacheMB,
		"ingest-dirs": &c.IngestDirs,
	}
	bools := map[string]*bool{"public": &c.Public, "behind-tls": &c.BehindTLS}
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
		if b, ok := bools[s.flag]; ok {
			v, err := strconv.ParseBool(env(s.env, s.def))
			if err != nil {
				v = false
			}
			fs.BoolVar(b, s.flag, v, help)
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

// cacheBytes reads --cache-mb as the dashboard's CacheBytes (negative: off).
func (c *config) cacheBytes() (int64, error) {
	mb, err := strconv.ParseInt(c.CacheMB, 10, 64)
	if err != nil || mb < 0 || mb > 1<<20 {
		return 0, fmt.Errorf("--cache-mb %q: a whole number of MiB, 0 = off", c.CacheMB)
	}
	if mb == 0 {
		return -1, nil
	}
	return mb << 20, nil
}

// httpSecurity reads the serve-only security settings.
func (c *config) httpSecurity() (rate float64, burst int, proxies []netip.Prefix, err error) {
	if rate, err = strconv.ParseFloat(c.RateLimit, 64); err != nil || rate < 0 {
		return 0, 0, nil, fmt.Errorf("--rate-limit %q: a number of requests per second, 0 = off", c.RateLimit)
	}
	if burst, err = strconv.Atoi(c.RateBurst); err != nil || burst < 0 {
		return 0, 0, nil, fmt.Errorf("--rate-burst %q: a whole number of requests", c.RateBurst)
	}
	for _, s := range strings.Split(c.TrustedProxy, ",") {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		if !strings.Contains(s, "/") {
			a, perr := netip.ParseAddr(s)
			if perr != nil {
				return 0, 0, nil, fmt.Errorf("--trusted-proxy %q: an address or CIDR", s)
			}
			proxies = append(proxies, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
			continue
		}
		p, perr := netip.ParsePrefix(s)
		if perr != nil {
			return 0, 0, nil, fmt.Errorf("--trusted-proxy %q: an address or CIDR", s)
		}
		proxies = append(proxies, p.Masked())
	}
	return rate, burst, proxies, nil
}
