// Package template writes the templates the police fill: for the kind a
// file's name tells (KindOfName), an XLSX workbook with the Vietnamese
// headers of ingest/schema, one example row and a guide sheet documenting
// every column (which the readers of ingest/sheet skip), or a CSV file in
// UTF-8 with a byte order mark.
//
// It imports analytics, analytics/commune (the folding of file names),
// ingest/schema and ingest/sheet; never ingest.
package template
