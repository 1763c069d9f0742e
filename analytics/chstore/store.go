package chstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/chstore/internal/chdbhttp"
	"github.com/antq-atlas/antq/analytics/chstore/internal/libchdb"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
)

// Engines.
const (
	EngineEmbedded = "embedded"
	EngineServer   = "server"
)

// Config says which ClickHouse to use and how.
type Config struct {
	Engine       string        // EngineEmbedded (default) or EngineServer
	DataDir      string        // embedded: the data directory (default ./data)
	LibPath      string        // embedded: libchdb.so (default libchdb.DefaultPath())
	DSN          string        // server: clickhouse://user:pass@host:9000/db?...
	Cluster      string        // server: cluster name for ON CLUSTER DDL, Replicated and Distributed tables
	Database     string        // default "antq"
	QueryTimeout time.Duration // per query, client side and max_execution_time (default 60s)
	Conns        int           // embedded: parallel engine connections (default 4)
}

// DefaultLibPath is where the set-up puts libchdb.so.
func DefaultLibPath() string { return libchdb.DefaultPath() }

// Validate fills defaults and checks the combination.
func (c *Config) Validate() error {
	if c.Engine == "" {
		c.Engine = EngineEmbedded
	}
	if c.Database == "" {
		c.Database = "antq"
	}
	if c.QueryTimeout <= 0 {
		c.QueryTimeout = 60 * time.Second
	}
	if c.Conns <= 0 {
		c.Conns = 4
	}
	if !identRe.MatchString(c.Database) {
		return fmt.Errorf("database name %q: use letters, digits and _", c.Database)
	}
	switch c.Engine {
	case EngineEmbedded:
		if c.DataDir == "" {
			c.DataDir = "./data"
		}
		if c.LibPath == "" {
			c.LibPath = libchdb.DefaultPath()
		}
		if c.Cluster != "" {
			return errors.New("--cluster needs --engine server: the embedded engine is one process")
		}
	case EngineServer:
		if c.DSN == "" {
			return errors.New("--engine server needs --clickhouse-dsn (clickhouse://user:password@host:9000/database)")
		}
	default:
		return fmt.Errorf("engine %q: use embedded or server", c.Engine)
	}
	return nil
}

// Store is the ClickHouse store. It is safe for concurrent use.
type Store struct {
	cfg      Config
	database string
	conn     driver.Conn
	version  string

	// embedded only
	transport *chdbhttp.Transport // owned: closed by Close (nil in a Sibling)
	inserter  *chdbhttp.Transport // the same, shared with Siblings: INSERTs encoded in native.go go through it
	lock      *os.File
	// forceDriver makes this store's INSERTs go through the driver's batch
	// on the embedded engine too (tests compare the two encodings).
	forceDriver bool

	commitMu sync.Mutex
	onCommit []func([]analytics.ProvinceCode)

	dirtyMu sync.Mutex
	dirty   map[analytics.ProvinceCode]bool // provinces this store marked stale and has not committed
}

// Open connects to the engine the config names, creates the database if
// needed and checks the connection. It does not migrate; call Migrate.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	if err := cfg.Validate(); err != nil {
		return nil, analytics.NewError(analytics.CodeInvalid, err.Error(), err)
	}
	s := &Store{cfg: cfg, database: cfg.Database}
	var err error
	if cfg.Engine == EngineEmbedded {
		err = s.openEmbedded(ctx)
	} else {
		err = s.openServer(ctx)
	}
	if err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func (s *Store) openEmbedded(ctx context.Context) error {
	if err := libchdb.Load(s.cfg.LibPath); err != nil {
		return analytics.NewError(analytics.CodeUnavailable, err.Error(), err)
	}
	if err := os.MkdirAll(s.cfg.DataDir, 0o750); err != nil {
		return fmt.Errorf("create data directory: %w", err)
	}
	lock, err := lockDataDir(s.cfg.DataDir)
	if err != nil {
		return err
	}
	s.lock = lock
	tr, err := chdbhttp.New(filepath.Join(s.cfg.DataDir, "clickhouse"), s.cfg.Conns, map[string]string{
		"max_execution_time": strconv.Itoa(int(s.cfg.QueryTimeout.Seconds())),
	})
	if err != nil {
		if errors.Is(err, libchdb.ErrConnect) {
			return analytics.NewError(analytics.CodeConflict, fmt.Sprintf("the embedded engine cannot open %s (another process, or another data directory in this process)", s.cfg.DataDir), err)
		}
		return fmt.Errorf("open embedded engine: %w", err)
	}
	s.transport, s.inserter = tr, tr
	if err := tr.Exec("CREATE DATABASE IF NOT EXISTS " + s.database); err != nil {
		return fmt.Errorf("create database %s: %w", s.database, err)
	}
	conn, err := clickhouse.Open(&clickhouse.Options{
		Protocol:      clickhouse.HTTP,
		Addr:          []string{"embedded.invalid:8123"}, // never dialled: the transport answers
		Auth:          clickhouse.Auth{Database: s.database},
		TransportFunc: func(*http.Transport) (http.RoundTripper, error) { return tr, nil },
		MaxOpenConns:  4 * s.cfg.Conns,
		MaxIdleConns:  4 * s.cfg.Conns,
		DialTimeout:   s.cfg.QueryTimeout,
	})
	if err != nil {
		return fmt.Errorf("open clickhouse-go over the embedded engine: %w", err)
	}
	s.conn = conn
	return s.hello(ctx)
}

func (s *Store) openServer(ctx context.Context) error {
	opts, err := clickhouse.ParseDSN(s.cfg.DSN)
	if err != nil {
		return analytics.NewError(analytics.CodeInvalid, "bad --clickhouse-dsn", err)
	}
	if opts.Auth.Database != "" {
		s.database = opts.Auth.Database
	}
	if opts.Settings == nil {
		opts.Settings = clickhouse.Settings{}
	}
	// A cancelled context does not stop a server query; this does.
	opts.Settings["max_execution_time"] = int(s.cfg.QueryTimeout.Seconds())
	if opts.DialTimeout == 0 {
		opts.DialTimeout = 5 * time.Second
	}
	// Create the database through a connection to "default" first.
	boot := *opts
	boot.Auth.Database = "default"
	bc, err := clickhouse.Open(&boot)
	if err != nil {
		return analytics.NewError(analytics.CodeUnavailable, "cannot reach the ClickHouse server", err)
	}
	create := "CREATE DATABASE IF NOT EXISTS " + quoteIdent(s.database)
	if s.cfg.Cluster != "" {
		create += " ON CLUSTER " + quoteIdent(s.cfg.Cluster)
	}
	cctx, cancel := context.WithTimeout(ctx, s.cfg.QueryTimeout)
	err = bc.Exec(cctx, create)
	cancel()
	bc.Close()
	if err != nil {
		return classify(fmt.Errorf("create database %s: %w", s.database, err))
	}
	opts.Auth.Database = s.database
	conn, err := clickhouse.Open(opts)
	if err != nil {
		return analytics.NewError(analytics.CodeUnavailable, "cannot reach the ClickHouse server", err)
	}
	s.conn = conn
	return s.hello(ctx)
}

func (s *Store) hello(ctx context.Context) error {
	v, err := s.conn.ServerVersion()
	if err != nil {
		return classify(fmt.Errorf("clickhouse hello: %w", err))
	}
	s.version = fmt.Sprintf("%d.%d.%d", v.Version.Major, v.Version.Minor, v.Version.Patch)
	var full string
	qctx, cancel := s.qctx(ctx)
	defer cancel()
	if err := s.conn.QueryRow(qctx, "SELECT version()").Scan(&full); err == nil {
		s.version = full
	}
	return nil
}

// Close releases the engine and the data directory.
func (s *Store) Close() error {
	if s == nil {
		return nil
	}
	var err error
	if s.conn != nil {
		err = s.conn.Close()
		s.conn = nil
	}
	s.inserter = nil
	if s.transport != nil {
		s.transport.Close()
		s.transport = nil
	}
	if s.lock != nil {
		os.Remove(filepath.Join(s.cfg.DataDir, ownerFile))
		s.lock.Close()
		s.lock = nil
	}
	return err
}

// EngineVersion is the ClickHouse version, e.g. "26.7.3.1".
func (s *Store) EngineVersion() string { return s.version }

// EngineKind is "embedded" or "server".
func (s *Store) EngineKind() string { return s.cfg.Engine }

// Database is the database the store uses.
func (s *Store) Database() string { return s.database }

// Ping checks the engine answers.
func (s *Store) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := s.conn.Ping(ctx); err != nil {
		return classify(fmt.Errorf("ping: %w", err))
	}
	return nil
}

// OnCommit registers fn to run after every successful Commit (caches use it).
func (s *Store) OnCommit(fn func([]analytics.ProvinceCode)) {
	s.commitMu.Lock()
	defer s.commitMu.Unlock()
	s.onCommit = append(s.onCommit, fn)
}

// qctx bounds a query by the configured timeout unless ctx is already
// bounded more tightly.
func (s *Store) qctx(ctx context.Context) (context.Context, context.CancelFunc) {
	if _, ok := ctx.Deadline(); ok {
		return ctx, func() {}
	}
	return context.WithTimeout(ctx, s.cfg.QueryTimeout)
}

func (s *Store) exec(ctx context.Context, sql string) error {
	ctx, cancel := s.qctx(ctx)
	defer cancel()
	if err := s.conn.Exec(ctx, sql); err != nil {
		return classify(err)
	}
	return nil
}

// withParams attaches server-side {name:Type} parameters, given as name,
// value pairs, to ctx. Values are escaped as ClickHouse reads scalar
// parameters. withRawParams passes values as they are (array literals).
func withParams(ctx context.Context, kv ...string) context.Context {
	return paramsContext(ctx, escapeParam, kv)
}

func withRawParams(ctx context.Context, kv ...string) context.Context {
	return paramsContext(ctx, func(v string) string { return v }, kv)
}

func paramsContext(ctx context.Context, enc func(string) string, kv []string) context.Context {
	p := make(clickhouse.Parameters, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		p[kv[i]] = enc(kv[i+1])
	}
	return clickhouse.Context(ctx, clickhouse.WithParameters(p))
}

var paramEscaper = strings.NewReplacer(`\`, `\\`, "\t", `\t`, "\n", `\n`, "\r", `\r`, "\x00", `\0`)

func escapeParam(v string) string { return paramEscaper.Replace(v) }

// classify turns driver errors into domain errors: exceptions from the engine
// stay internal (a query is wrong), failures to reach it are unavailable.
func classify(err error) error {
	if err == nil {
		return nil
	}
	var ae *analytics.Error
	if errors.As(err, &ae) {
		return err
	}
	var ex *clickhouse.Exception
	if errors.As(err, &ex) {
		switch ex.Code {
		case 159, 160, 209, 210, 394: // timeouts, network errors, cancelled
			return analytics.NewError(analytics.CodeUnavailable, "the database did not answer in time", err)
		}
		return analytics.NewError(analytics.CodeInternal, "database query failed", err)
	}
	var ne net.Error
	if errors.As(err, &ne) || errors.Is(err, io.EOF) || errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, context.DeadlineExceeded) || errors.Is(err, clickhouse.ErrAcquireConnTimeout) {
		return analytics.NewError(analytics.CodeUnavailable, "the database is not available", err)
	}
	return analytics.NewError(analytics.CodeInternal, "database query failed", err)
}

// The data directory is owned by one process at a time. The lock is ours
// (flock on antq.lock, released by the kernel when the process dies, even by
// SIGKILL), taken before the engine's own, so a second process gets a clear
// answer naming the owner instead of the engine's NULL.
const (
	lockFile  = "antq.lock"
	ownerFile = "antq.owner.json"
)

// Owner describes the process that holds a data directory.
type Owner struct {
	PID     int       `json:"pid"`
	Command string    `json:"command"`
	Addr    string    `json:"addr,omitempty"` // HTTP address of a running server
	Token   string    `json:"token,omitempty"`
	Since   time.Time `json:"since"`
}

func lockDataDir(dir string) (*os.File, error) {
	f, err := os.OpenFile(filepath.Join(dir, lockFile), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open lock file: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		msg := fmt.Sprintf("data directory %s is in use by another process", dir)
		if o, ok := ReadOwner(dir); ok {
			msg = fmt.Sprintf("data directory %s is in use by `antq %s` (pid %d since %s)", dir, o.Command, o.PID, o.Since.Format(time.RFC3339))
			if o.Addr != "" {
				msg += " serving on " + o.Addr
			}
		}
		return nil, analytics.NewError(analytics.CodeConflict, msg, nil)
	}
	return f, nil
}

// SetOwner records who holds the data directory (embedded engine only), so
// another process can name it or hand work to it.
func (s *Store) SetOwner(o Owner) error {
	if s.lock == nil {
		return nil
	}
	o.PID = os.Getpid()
	if o.Since.IsZero() {
		o.Since = time.Now().UTC().Truncate(time.Second)
	}
	b, err := json.Marshal(o)
	if err != nil {
		return err
	}
	tmp := filepath.Join(s.cfg.DataDir, ownerFile+".tmp")
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return fmt.Errorf("write owner file: %w", err)
	}
	return os.Rename(tmp, filepath.Join(s.cfg.DataDir, ownerFile))
}

// ReadOwner returns the recorded owner of a data directory, if any.
func ReadOwner(dir string) (Owner, bool) {
	var o Owner
	b, err := os.ReadFile(filepath.Join(dir, ownerFile))
	if err != nil || json.Unmarshal(b, &o) != nil {
		return Owner{}, false
	}
	return o, true
}

// Sibling returns a store on another database of the same engine: the
// embedded engine allows one owner per data directory, so tests and tools
// that need several databases share it. Closing a sibling leaves the parent
// open; DropDatabase removes the sibling's data.
func (s *Store) Sibling(ctx context.Context, database string) (*Store, error) {
	if !identRe.MatchString(database) {
		return nil, analytics.Errorf(analytics.CodeInvalid, "database name %q: use letters, digits and _", database)
	}
	cfg := s.cfg
	cfg.Database = database
	sib := &Store{cfg: cfg, database: database, version: s.version}
	if s.transport != nil {
		if err := s.transport.Exec("CREATE DATABASE IF NOT EXISTS " + database); err != nil {
			return nil, fmt.Errorf("create database %s: %w", database, err)
		}
		tr := s.transport
		sib.inserter = tr
		conn, err := clickhouse.Open(&clickhouse.Options{
			Protocol:      clickhouse.HTTP,
			Addr:          []string{"embedded.invalid:8123"},
			Auth:          clickhouse.Auth{Database: database},
			TransportFunc: func(*http.Transport) (http.RoundTripper, error) { return tr, nil },
			MaxOpenConns:  4 * s.cfg.Conns,
			MaxIdleConns:  4 * s.cfg.Conns,
		})
		if err != nil {
			return nil, err
		}
		sib.conn = conn
		return sib, nil
	}
	opts, err := clickhouse.ParseDSN(s.cfg.DSN)
	if err != nil {
		return nil, err
	}
	opts.Auth.Database = database
	if err := s.exec(ctx, "CREATE DATABASE IF NOT EXISTS "+quoteIdent(database)+s.onCluster()); err != nil {
		return nil, err
	}
	if opts.Settings == nil {
		opts.Settings = clickhouse.Settings{}
	}
	opts.Settings["max_execution_time"] = int(s.cfg.QueryTimeout.Seconds())
	conn, err := clickhouse.Open(opts)
	if err != nil {
		return nil, classify(err)
	}
	sib.conn = conn
	return sib, nil
}

// DropDatabase removes the store's database and everything in it.
func (s *Store) DropDatabase(ctx context.Context) error {
	return s.exec(ctx, "DROP DATABASE IF EXISTS "+quoteIdent(s.database)+s.onCluster()+" SYNC")
}

func (s *Store) onCluster() string {
	if s.cfg.Cluster == "" {
		return ""
	}
	return " ON CLUSTER " + quoteIdent(s.cfg.Cluster)
}

func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }
