// Package access owns who may see what: roles (viewer, analyst, admin),
// users with argon2id password hashes and API tokens stored as SHA-256
// hashes, the province grants that scope every figure a user reads, the
// users file (users.json in the data directory: 0600, atomic writes, a lock
// file for writers, re-read by the server when it changes), the audit log
// (audit.jsonl, JSON lines), the page's sessions, signed embed links, and
// the gate that turns a request's credentials (an API token, the session
// cookie, a signed embed link) into its principal (signin.go).
//
// The file, not a ClickHouse table, because it works the same with the
// embedded engine and a server: `antq user` edits it while `antq serve`
// owns the embedded data directory (whose engine lock would keep a second
// process out of the database), and logins keep working while the engine is
// down (data requests then answer 503, sign-in does not).
//
// It uses analytics' province codes and the standard library plus
// golang.org/x/crypto/argon2; it must not import the store, the ingest or
// the dashboard.
package access
