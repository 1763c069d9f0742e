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
//	read (ingest/sheet: csv.go, xlsx.go, sheetxml.go, jsonl.go) -> find the
//	header and the title block of a report layout (ingest/layout) -> Row
//	skip the rows that are not records, carry the context (ingest/layout)
//	map headers (ingest/schema) -> parse values (ingest/value)
//	-> resolve the commune -> validate -> key (ingest/record)
//	-> in-file dedupe -> batch -> Writer (job.go, pipeline.go),
//	rejects (rejects.go)
//
// Every run is a batch the store can list and undo (analytics.BatchLog);
// Job.Preview is the same pipeline without writing (preview.go). Reasons
// are worded in Vietnamese unless asked in English (record.ReasonIn). The
// templates to fill are written by ingest/template.
//
// The subpackages import each other downwards only (sheet -> layout ->
// schema -> value; record over all four; template over schema and sheet),
// never ingest, and outside the module file-format libraries only; some
// fold with analytics/commune/placename. ingest imports analytics and its
// subpackages: it must not import analytics/chstore, analytics/commune,
// dashboard or cmd: the store and the resolver are given to a Job through
// the analytics interfaces.
package ingest
