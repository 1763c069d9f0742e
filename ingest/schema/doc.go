// Package schema says what the input tables of each kind of record hold:
// the canonical fields (Field), the columns that document them for the
// templates (Column: the Vietnamese label, the other headers a column is
// known by, its meaning, format and example), the columns a file must
// have (Required), mapping a table's header to the fields of a kind
// (Mapping), and telling the kind from a header (DetectKind).
//
// Headers are compared folded with placename.Fold (case, diacritics and
// punctuation ignored), so "Xã/Phường", "xa phuong" and "XÃ - PHƯỜNG"
// name one column; a merged group over a sub-column reads as
// "Tọa độ - Kinh độ" (GroupSep).
//
// It imports analytics (the kinds), analytics/commune (the folding) and
// ingest/value (the outcomes a marking column may name) only; never
// ingest or its readers.
package schema
