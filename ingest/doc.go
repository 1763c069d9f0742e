// Package ingest loads the provincial police's spreadsheets into the store:
// it reads CSV, XLSX and JSON Lines files as they were written by many hands
// over 2022–2025, maps their Vietnamese or English headers to the fields of
// each kind of record, parses values, resolves every record's place to a 2025
// commune, validates, keys and deduplicates the records, writes rejected rows
// next to the input, and loads the rest through an analytics.Writer.
//
// Words, kept with their Vietnamese meaning: model (mô hình), site (điểm mô
// hình), grade (xếp loại of a site in a police year), incident (vụ việc, or a
// tip — tin báo), commune (xã / phường / đặc khu of 2025).
//
// The pipeline of one file is
//
//	read (csv.go, xlsx.go, jsonl.go) -> find the header and the title
//	block of a report layout (report.go) -> Row
//	skip the rows that are not records, carry the context (report.go)
//	map headers (fields.go, mapping.go) -> parse values (parse.go)
//	-> resolve the commune (resolve.go) -> validate -> key (record.go)
//	-> in-file dedupe -> batch -> Writer (job.go), rejects (rejects.go)
//
// Every run is a batch the store can list and undo (analytics.BatchLog);
// Job.Preview is the same pipeline without writing (preview.go). Reasons
// are worded in Vietnamese unless asked in English (lang.go).
//
// It depends on analytics and on file-format libraries only. It must not
// import analytics/chstore, analytics/commune, dashboard or cmd: the store
// and the resolver are given to a Job through the analytics interfaces.
package ingest
