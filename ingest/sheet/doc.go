// Package sheet reads input files into rows: CSV (UTF-8 with or without a
// byte order mark, Windows-1258 or Windows-1252, comma, semicolon or tab
// separated, the encoding and the separator told from the file), XLSX
// (every sheet or one, merged cells lent to the cells they cover, a header
// over two or three rows read as group and sub-column; sheetxml.go is a
// hand-written reader of the sheet XML, several times faster than
// excelize's), and JSON Lines. The header of a table is found below a
// report's title block by ingest/layout; every Row carries the table's
// Layout. Readers stream and stay within Limits, whatever a file holds: a
// file that breaks one is refused with a LimitError naming the limit.
//
// It imports analytics (error codes), analytics/commune (the folding of
// sheet names), ingest/layout, ingest/schema and ingest/value; never
// ingest.
package sheet
