// Package record builds the records of the domain from the rows of a
// table: it reads each field's value (ingest/value) through the table's
// mapping (ingest/schema), resolves the place to a 2025 commune with the
// report's context (ingest/layout) filling what the row leaves out,
// validates (dates between the minimum and today, points inside Vietnam
// and their province), and keys each record by its source ID, or by a hash
// of its normalised content, never by its file or row, so the same record
// in another file has the same key. A row that cannot be a record gets its
// Problems, which are worded in Vietnamese or English here (ReasonIn,
// FieldIn) whoever found them.
//
// It imports analytics, ingest/layout (Context), ingest/schema,
// ingest/sheet (Row) and ingest/value only; never ingest. The resolver is
// given as an analytics.Resolver.
package record
