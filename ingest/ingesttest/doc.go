// Package ingesttest holds, for tests, the input tables the fixtures under
// ingest/testdata are made from, as the provinces send them: incidents in
// UTF-8, Windows-1258 and an English Windows-1252 export, sites without
// diacritics and with English headers, models as JSON Lines, gradings and
// workbooks with titles and merged cells, with the writers of those files
// (Fixtures). The readers' tests (ingest/sheet), the header mapping's
// (ingest/schema) and the pipeline's (ingest) seed and check with them.
//
// It imports no package of the module, so that the tests of any ingest
// package may use it.
package ingesttest
