// Package chstore is the ClickHouse store of ANTQ Atlas and the only package
// that imports ClickHouse drivers. It talks to ClickHouse through
// github.com/ClickHouse/clickhouse-go/v2 alone, over two engines that run the
// same SQL:
//
//   - embedded (the default): the ClickHouse engine in-process, from chDB's
//     libchdb.so, bound without cgo (internal/libchdb) and plugged under
//     clickhouse-go as an in-process http.RoundTripper (internal/chdbhttp);
//     data persists in a data directory that one process owns at a time;
//   - server: a ClickHouse server over the native protocol, optionally a
//     cluster (migrations ON CLUSTER, Replicated* local tables, Distributed
//     tables under the names the queries use).
//
// Schema changes are numbered, append-only files in schema/; reads are named
// .sql files in query/. Values reach SQL only as parameters.
//
// It implements analytics.Writer and analytics.Health. It must not import
// ingest, dashboard or cmd.
package chstore
