// Package layout reads the layout of reports typed in Excel by commune,
// district and provincial police, which are laid out for printing: a title
// block (issuing unit, title, window line) above a header over one to three
// rows, a column-number row under it, section rows naming districts or
// groups, subtotals and totals, notes and a signature block below.
//
// Find picks the header among a table's first rows (the readers of
// ingest/sheet call it) and returns the Layout: the header rows, the title
// block and the row-number column. A Classifier tells the rows that are
// records from the rows that are not, only on positive evidence. Context is
// where a report's records are and what window it covers, read from its
// title block (TitleContext) and its section rows (SectionContext).
//
// It imports analytics, analytics/commune (the folding), ingest/schema (the
// headers a field is known by) and ingest/value only; never ingest or its
// readers.
package layout
