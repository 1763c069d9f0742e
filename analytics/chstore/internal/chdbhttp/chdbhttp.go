// Package chdbhttp lets clickhouse-go/v2 (Protocol: clickhouse.HTTP) talk to
// the embedded engine: Transport is an http.RoundTripper that answers the
// driver's HTTP requests in-process from libchdb connections, with no socket.
// The same client code, batches, parameters and scanning then run on the
// embedded engine and on a ClickHouse server.
//
// What it handles: SQL in the body or in ?query=; INSERT ... FORMAT Native
// bodies, passed to chdb_stream_insert (binary-safe; never inline, where a
// blank line would silently end the data); param_* values as server-side
// parameters; ClickHouse settings in the URL, applied as SET on the chosen
// connection and reset afterwards; ?database= as USE; errors as HTTP 500 with
// X-ClickHouse-Exception-Code so the driver returns *clickhouse.Exception.
// Not handled: body compression (the store leaves it off) and external
// tables. Insert takes a Native block the caller encoded itself, without
// the driver, on the same sessions.
//
// A cancelled request returns at once with the context's error; the
// statement itself runs to its end on its connection (chDB cannot stop it),
// bounded by max_execution_time, which the store always sets.
package chdbhttp

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/antq-atlas/antq/analytics/chstore/internal/libchdb"

	chproto "github.com/ClickHouse/ch-go/proto"
	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/column"
	cproto "github.com/ClickHouse/clickhouse-go/v2/lib/proto"
)

// Transport serves clickhouse-go HTTP requests from a pool of connections
// on one data directory. Each connection runs one statement at a time.
type Transport struct {
	pool     chan *session
	all      []*session
	defaults map[string]string // applied to every session once
}

type session struct {
	c  *libchdb.Conn
	db string // current database (USE)
}

// New opens n connections on the data directory path and applies the
// default settings to each once. libchdb.Load must have been called.
func New(path string, n int, defaults map[string]string) (*Transport, error) {
	if n < 1 {
		n = 1
	}
	t := &Transport{pool: make(chan *session, n), defaults: defaults}
	for i := 0; i < n; i++ {
		c, err := libchdb.Connect(path)
		if err != nil {
			t.Close()
			return nil, err
		}
		s := &session{c: c, db: "default"}
		t.all = append(t.all, s)
		if len(defaults) > 0 {
			var kv [][2]string
			for k, v := range defaults {
				kv = append(kv, [2]string{k, v})
			}
			if _, err := c.Query([]byte(setStatement(kv)), "Native"); err != nil {
				t.Close()
				return nil, fmt.Errorf("apply default settings: %w", err)
			}
		}
		t.pool <- s
	}
	return t, nil
}

// Exec runs one statement outside the driver (e.g. CREATE DATABASE before
// the driver may name the database).
func (t *Transport) Exec(sql string) error {
	s := <-t.pool
	defer func() { t.pool <- s }()
	_, err := s.c.Query([]byte(sql), "Native")
	return err
}

// setStatement builds SET a = 'x', b = 'y'. Names were checked against
// settingNameRe; values are quoted literals.
func setStatement(kv [][2]string) string {
	var b strings.Builder
	b.WriteString("SET ")
	for i, p := range kv {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(p[0] + " = '" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(p[1]) + "'")
	}
	return b.String()
}

// Close closes every connection. No request may be in flight.
func (t *Transport) Close() {
	for i := len(t.all) - 1; i >= 0; i-- {
		t.all[i].c.Close()
	}
	t.all = nil
}

const helloQuery = "SELECT displayName(), version(), revision(), timezone()"

var (
	insertFormatRe = regexp.MustCompile(`(?is)^\s*(INSERT\s+INTO\s+.*?)\s+FORMAT\s+(\w+)\s*$`)
	codeRe         = regexp.MustCompile(`Code: (\d+)\.`)
	nameRe         = regexp.MustCompile(`\(([A-Z_]+)\)\s*(\(version [^)]*\))?\s*$`)
	settingNameRe  = regexp.MustCompile(`^[a-z_][a-z0-9_]*$`)
	// URL parameters that are protocol options, not settings.
	protocolParams = map[string]bool{"query": true, "default_format": true, "client_protocol_version": true,
		"query_id": true, "quota_key": true, "database": true, "session_id": true, "session_timeout": true,
		"session_check": true, "compress": true, "decompress": true, "user": true, "password": true,
		"wait_end_of_query": true, "buffer_size": true}
)

type request struct {
	sql      string
	data     []byte // INSERT body
	database string
	names    []string
	values   []string
	settings [][2]string
}

// RoundTrip answers one clickhouse-go request.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("chdbhttp: read request: %w", err)
		}
		body = b
	}
	if req.Header.Get("Content-Encoding") != "" {
		return respond(req, 500, "1001", []byte("chdbhttp: compressed request bodies are not supported")), nil
	}
	r, err := parse(req, body)
	if err != nil {
		return respond(req, 500, "1001", []byte(err.Error())), nil
	}
	type out struct {
		resp *http.Response
		err  error
	}
	done := make(chan out, 1)
	var s *session
	select {
	case s = <-t.pool:
	case <-req.Context().Done():
		return nil, req.Context().Err()
	}
	go func() {
		defer func() { t.pool <- s }()
		resp, err := t.serve(req, s, r)
		done <- out{resp, err}
	}()
	select {
	case o := <-done:
		return o.resp, o.err
	case <-req.Context().Done():
		return nil, req.Context().Err()
	}
}

func parse(req *http.Request, body []byte) (*request, error) {
	q := req.URL.Query()
	r := &request{database: q.Get("database")}
	if qs := q.Get("query"); qs != "" {
		r.sql, r.data = qs, body
	} else {
		r.sql = string(body)
	}
	for k, vs := range q {
		switch {
		case strings.HasPrefix(k, "param_"):
			r.names = append(r.names, strings.TrimPrefix(k, "param_"))
			r.values = append(r.values, vs[0])
		case protocolParams[k]:
		default:
			if !settingNameRe.MatchString(k) {
				return nil, fmt.Errorf("chdbhttp: bad setting name %q", k)
			}
			r.settings = append(r.settings, [2]string{k, vs[0]})
		}
	}
	return r, nil
}

func (t *Transport) serve(req *http.Request, s *session, r *request) (*http.Response, error) {
	if strings.TrimSpace(r.sql) == helloQuery {
		return hello(req, s)
	}
	res, err := t.run(s, r)
	if err != nil {
		return fail(req, err), nil
	}
	return respond(req, 200, "", res.Data), nil
}

// run runs one request's statement on s: in its database, with its
// settings for this statement only.
func (t *Transport) run(s *session, r *request) (*libchdb.Result, error) {
	if r.database != "" && r.database != s.db {
		if _, err := s.c.QueryParams([]byte("USE {db:Identifier}"), "Native", []string{"db"}, []string{r.database}); err != nil {
			return nil, err
		}
		s.db = r.database
	}
	// Settings are session state in chDB: apply the request's, then put
	// the session back as it was.
	var changed, reset [][2]string
	for _, kv := range r.settings {
		if d, ok := t.defaults[kv[0]]; ok && d == kv[1] {
			continue
		}
		changed = append(changed, kv)
		if d, ok := t.defaults[kv[0]]; ok {
			reset = append(reset, [2]string{kv[0], d})
		}
	}
	if len(changed) > 0 {
		if _, err := s.c.Query([]byte(setStatement(changed)), "Native"); err != nil {
			return nil, err
		}
		defer func() {
			var def []string
			for _, kv := range changed {
				if _, ok := t.defaults[kv[0]]; !ok {
					def = append(def, kv[0]+" = DEFAULT")
				}
			}
			if len(def) > 0 {
				s.c.Query([]byte("SET "+strings.Join(def, ", ")), "Native")
			}
			if len(reset) > 0 {
				s.c.Query([]byte(setStatement(reset)), "Native")
			}
		}()
	}
	if len(r.data) > 0 {
		m := insertFormatRe.FindStringSubmatch(r.sql)
		if m == nil {
			return nil, errors.New("chdbhttp: a request body needs INSERT ... FORMAT x")
		}
		return s.c.StreamInsert([]byte(m[1]), m[2], r.data)
	}
	return s.c.QueryParams([]byte(r.sql), "Native", r.names, r.values)
}

// Insert runs insert (INSERT INTO t (columns), no FORMAT clause) with
// native as its data: one block in the Native format at protocol revision
// 0 (no block info, no custom serialization flags), which is what
// clickhouse-go sends for a batch over this transport. It runs in database
// db with settings for this statement only. The store uses it to write
// blocks it encoded column by column itself: clickhouse-go's batch boxes
// every value of a LowCardinality column into an interface, and its body
// is copied once more through a pipe into RoundTrip.
//
// Errors are *clickhouse.Exception, as the driver returns them, so the
// store classifies both paths alike. As RoundTrip, a cancelled ctx returns
// at once while the statement runs to its end; native must then not be
// reused (done is closed when the engine has finished with it).
func (t *Transport) Insert(ctx context.Context, db, insert string, settings [][2]string, native []byte) (done <-chan struct{}, err error) {
	finished := make(chan struct{})
	if len(native) == 0 {
		close(finished)
		return finished, errors.New("chdbhttp: insert with no data")
	}
	r := &request{sql: insert + " FORMAT Native", data: native, database: db, settings: settings}
	var s *session
	select {
	case s = <-t.pool:
	case <-ctx.Done():
		close(finished)
		return finished, ctx.Err()
	}
	errc := make(chan error, 1)
	go func() {
		defer close(finished)
		defer func() { t.pool <- s }()
		_, err := t.run(s, r)
		errc <- err
	}()
	select {
	case err := <-errc:
		if err != nil {
			return finished, exception(err)
		}
		return finished, nil
	case <-ctx.Done():
		return finished, ctx.Err()
	}
}

// exception is err as the driver reports an engine error over HTTP.
func exception(err error) error {
	msg := err.Error()
	ex := &clickhouse.Exception{Code: 1001, Message: msg}
	if m := codeRe.FindStringSubmatch(msg); m != nil {
		if c, cerr := strconv.Atoi(m[1]); cerr == nil {
			ex.Code = int32(c)
		}
	}
	if m := nameRe.FindStringSubmatch(msg); m != nil {
		ex.CodeName = m[1]
	}
	return ex
}

// hello answers the driver's handshake. The driver decodes this one reply at
// its own protocol revision and every later one at the revision reported
// here: 0, which is what chDB's Native output is (no BlockInfo).
func hello(req *http.Request, s *session) (*http.Response, error) {
	res, err := s.c.Query([]byte("SELECT displayName(), version(), timezone()"), "TSV")
	if err != nil {
		return fail(req, err), nil
	}
	f := strings.Split(strings.TrimRight(string(res.Data), "\n"), "\t")
	if len(f) != 3 {
		return respond(req, 500, "1001", []byte("chdbhttp: unexpected hello reply")), nil
	}
	b := cproto.NewBlock()
	cols := []struct{ name, typ string }{{"displayName()", "String"}, {"version()", "String"}, {"revision()", "UInt32"}, {"timezone()", "String"}}
	for _, c := range cols {
		if err := b.AddColumn(c.name, column.Type(c.typ)); err != nil {
			return nil, err
		}
	}
	if err := b.Append(f[0], f[1], uint32(0), f[2]); err != nil {
		return nil, err
	}
	var buf chproto.Buffer
	if err := b.Encode(&buf, clickhouse.ClientTCPProtocolVersion); err != nil {
		return nil, err
	}
	return respond(req, 200, "", buf.Buf), nil
}

func fail(req *http.Request, err error) *http.Response {
	msg := err.Error()
	code := "1001"
	if m := codeRe.FindStringSubmatch(msg); m != nil {
		code = m[1]
	}
	resp := respond(req, 500, code, []byte(msg))
	if m := nameRe.FindStringSubmatch(msg); m != nil {
		resp.Header.Set("X-ClickHouse-Exception-Name", m[1])
	}
	return resp
}

func respond(req *http.Request, status int, exCode string, body []byte) *http.Response {
	h := http.Header{}
	h.Set("Content-Type", "application/octet-stream")
	h.Set("X-ClickHouse-Format", "Native")
	if exCode != "" {
		h.Set("X-ClickHouse-Exception-Code", exCode)
		h.Set("Content-Type", "text/plain; charset=UTF-8")
	}
	return &http.Response{
		Status: strconv.Itoa(status) + " " + http.StatusText(status), StatusCode: status,
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: h, Body: io.NopCloser(bytes.NewReader(body)), ContentLength: int64(len(body)),
		Request: req,
	}
}
