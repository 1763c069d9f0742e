package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/antq-atlas/antq/analytics/chstore"
	"github.com/antq-atlas/antq/analytics/chstore/enginelib"
	"github.com/antq-atlas/antq/dashboard/desk"
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
	// RenderTimeout bounds one chart render (--render-timeout).
	RenderTimeout time.Duration
	LogFormat     string
	RSVGConvert   string

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
	// MemAggregates: maps read the metric figures from memory (memagg).
	MemAggregates bool

	// The data desk (serve): uploads in the page.
	UploadMaxMB        string
	UploadMaxRequestMB string
	UploadRetention    string
}

// setting describes one flag for the usage text and the README test, and
// the subcommands that take it (each subcommand its own flag set).
type setting struct {
	flag, env, def, help string
	cmds                 []string
}

// Subcommands by what they open. A new subcommand that opens the store goes
// into storeCmds.
var (
	storeCmds = []string{"serve", "ingest", "batches", "demo", "migrate", "version", "export-rows"}         // open the store
	refCmds   = []string{"serve", "ingest", "demo", "resolve", "refdata"}                                   // read the reference data
	dataCmds  = []string{"serve", "ingest", "batches", "demo", "migrate", "version", "user", "export-rows"} // use the data directory
	serveCmd  = []string{"serve"}
)

func settings() []setting {
	return []setting{
		{"data", "ANTQ_DATA", "./data", "data directory of the embedded engine", dataCmds},
		{"addr", "ANTQ_ADDR", ":8080", "HTTP listen address", serveCmd},
		{"engine", "ANTQ_ENGINE", "embedded", "ClickHouse engine: embedded or server", storeCmds},
		{"clickhouse-dsn", "ANTQ_CLICKHOUSE_DSN", "", "server engine: clickhouse://user:password@host:9000/database", storeCmds},
		{"cluster", "ANTQ_CLUSTER", "", "server engine: cluster name (ON CLUSTER DDL, Replicated and Distributed tables)", storeCmds},
		{"database", "ANTQ_DATABASE", "antq", "database name", storeCmds},
		{"refdata", "ANTQ_REFDATA", "", "reference-data folder (shared/geo layout, with full resolution) read instead of the bundle built into the binary", refCmds},
		{"libchdb", "ANTQ_LIBCHDB", "~/.cache/antq/chdb/" + enginelib.Version + "/libchdb.so", "libchdb.so of the embedded engine; the default is fetched from the npm registry when missing", append([]string{"setup"}, storeCmds...)},
		{"query-timeout", "ANTQ_QUERY_TIMEOUT", "60s", "limit of one query (also max_execution_time)", storeCmds},
		{"render-timeout", "ANTQ_RENDER_TIMEOUT", "30s", "limit of one chart render (JavaScript and rasterising); beyond it the chart answers 503", serveCmd},
		{"log-format", "ANTQ_LOG_FORMAT", "text", "log format: text or json", serveCmd},
		{"rsvg-convert", "ANTQ_RSVG_CONVERT", "rsvg-convert", "chart rasteriser for PNG (Debian librsvg2-bin); missing: PNG routes answer 503, SVG, JSON and CSV work", []string{"serve", "version"}},
		{"public", "ANTQ_PUBLIC", "false", "anonymous visitors may read maps, charts and exports of every province (public figures)", serveCmd},
		{"behind-tls", "ANTQ_BEHIND_TLS", "false", "a TLS reverse proxy is in front (Secure cookies, HSTS)", serveCmd},
		{"trusted-proxy", "ANTQ_TRUSTED_PROXY", "", "comma-separated addresses/CIDRs of reverse proxies whose X-Forwarded-For/-Proto are believed", serveCmd},
		{"rate-limit", "ANTQ_RATE_LIMIT", "50", "requests per second per client (sliding window; 0 = off)", serveCmd},
		{"rate-burst", "ANTQ_RATE_BURST", "200", "requests a client may send at once before the rate limit applies", serveCmd},
		{"embed-keys", "ANTQ_EMBED_KEYS", "", "file of embed-link signing keys, newest first, one per line (default: <data>/embed.keys, made on first start)", serveCmd},
		{"cache-mb", "ANTQ_CACHE_MB", "64", "response cache size in MiB: compressed responses, and the plain bodies kept once a client without gzip asks (0 = off: every request is computed)", serveCmd},
		{"mem-aggregates", "ANTQ_MEM_AGGREGATES", "true", "keep the per-commune figures of the count and rate metrics in memory, refreshed at each ingest commit, so a map asks the engine nothing (false: every figure from SQL; the figures are the same)", serveCmd},
		{"ingest-dirs", "ANTQ_INGEST_DIRS", "", "comma-separated directories whose files `antq ingest` may hand to the server (default: the data directory and the working directory)", serveCmd},
		{"upload-max-mb", "ANTQ_UPLOAD_MAX_MB", "50", "largest file the page's data desk takes, in MiB", serveCmd},
		{"upload-max-request-mb", "ANTQ_UPLOAD_MAX_REQUEST_MB", "200", "largest upload request (all its files) of the data desk, in MiB", serveCmd},
		{"upload-retention", "ANTQ_UPLOAD_RETENTION", "720h", "how long uploaded files and their batch states are kept under <data>/uploads/ after the load (Go duration)", serveCmd},
		{"metrics-addr", "ANTQ_METRICS_ADDR", "", "also serve Prometheus /metrics without sign-in on this address (e.g. 127.0.0.1:9090); /metrics on --addr is admin-only", serveCmd},
	}
}

func (s setting) usedBy(cmd string) bool {
	for _, c := range s.cmds {
		if c == cmd {
			return true
		}
	}
	return false
}

func env(name, def string) string {
	if v, ok := os.LookupEnv(name); ok && v != "" {
		return v
	}
	return def
}

// newFlags returns the flag set of one subcommand ("ingest", "user add",
// "refdata check": its first word picks the settings) with the settings it
// takes bound to c. Every other field of c gets its environment value or
// default, so c is always complete.
func newFlags(name string, c *config, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("antq "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	cmd, _, _ := strings.Cut(name, " ")
	ptr := map[string]*string{
		"data": &c.Data, "addr": &c.Addr, "engine": &c.Engine, "clickhouse-dsn": &c.DSN, "cluster": &c.Cluster,
		"database": &c.Database, "refdata": &c.RefData, "libchdb": &c.LibCHDB, "log-format": &c.LogFormat, "rsvg-convert": &c.RSVGConvert,
		"trusted-proxy": &c.TrustedProxy, "rate-limit": &c.RateLimit, "rate-burst": &c.RateBurst, "metrics-addr": &c.MetricsAddr, "embed-keys": &c.EmbedKeys, "cache-mb": &c.CacheMB,
		"ingest-dirs": &c.IngestDirs, "upload-max-mb": &c.UploadMaxMB, "upload-max-request-mb": &c.UploadMaxRequestMB, "upload-retention": &c.UploadRetention,
	}
	bools := map[string]*bool{"public": &c.Public, "behind-tls": &c.BehindTLS, "mem-aggregates": &c.MemAggregates}
	durations := map[string]*time.Duration{"query-timeout": &c.QueryTimeout, "render-timeout": &c.RenderTimeout}
	for _, s := range settings() {
		help := fmt.Sprintf("%s (env %s)", s.help, s.env)
		bind := s.usedBy(cmd)
		if dp, ok := durations[s.flag]; ok {
			d, err := time.ParseDuration(env(s.env, s.def))
			if err != nil {
				d, _ = time.ParseDuration(s.def)
			}
			*dp = d
			if bind {
				fs.DurationVar(dp, s.flag, d, help)
			}
			continue
		}
		if b, ok := bools[s.flag]; ok {
			v, err := strconv.ParseBool(env(s.env, s.def))
			if err != nil {
				v = false
			}
			*b = v
			if bind {
				fs.BoolVar(b, s.flag, v, help)
			}
			continue
		}
		def := s.def
		if s.flag == "libchdb" {
			def = defaultLibPath()
		}
		*ptr[s.flag] = env(s.env, def)
		if bind {
			fs.StringVar(ptr[s.flag], s.flag, env(s.env, def), help)
		}
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

// deskConfig reads the data desk's settings.
func (c *config) deskConfig() (desk.Config, error) {
	file, err := strconv.ParseInt(c.UploadMaxMB, 10, 64)
	if err != nil || file < 1 || file > 1<<20 {
		return desk.Config{}, fmt.Errorf("--upload-max-mb %q: a whole number of MiB, at least 1", c.UploadMaxMB)
	}
	req, err := strconv.ParseInt(c.UploadMaxRequestMB, 10, 64)
	if err != nil || req < 1 || req > 1<<20 {
		return desk.Config{}, fmt.Errorf("--upload-max-request-mb %q: a whole number of MiB, at least 1", c.UploadMaxRequestMB)
	}
	keep, err := time.ParseDuration(c.UploadRetention)
	if err != nil || keep <= 0 {
		return desk.Config{}, fmt.Errorf("--upload-retention %q: a duration such as 720h", c.UploadRetention)
	}
	return desk.Config{Dir: filepath.Join(c.Data, "uploads"), MaxFileBytes: file << 20, MaxRequestBytes: req << 20, Retention: keep}, nil
}
