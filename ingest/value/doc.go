// Package value reads the values of cells as the police write them: text
// cleaned to one form (Clean), dates in their many spellings and Excel
// serials, whole and decimal numbers with Vietnamese or English separators,
// police years, yes/no, and the enumerations of the domain (grades,
// outcomes, sectors, incident categories) by their Vietnamese, unaccented
// or English names.
//
// Spellings are compared folded with placename.Fold, the module's one
// folding (case, diacritics and punctuation ignored), so a value and a
// place name fold alike. Errors say what was written and what was expected
// ("not a date: …"); the ingest words them in Vietnamese.
//
// It imports analytics (the canonical values) and analytics/commune (the
// folding) only.
package value
